package jpack.cli;

import java.util.Map;

/** --shard K/N, or auto[/N] from a Slurm or PBS job array (and several jpacks under one srun). */
final class Shards {
  private Shards() {}

  /** {K, N}, K from 1. */
  static long[] parse(String spec, Map<String, String> env) throws UsageException {
    String s = spec.trim();
    if (s.equals("auto") || s.startsWith("auto/")) {
      Long given = s.equals("auto") ? null : number(s.substring(5), spec);
      return auto(env, given, spec);
    }
    String[] kn = s.split("/", 2);
    if (kn.length != 2) {
      throw bad(spec);
    }
    long k = number(kn[0], spec);
    long n = number(kn[1], spec);
    if (n < 1 || k < 1 || k > n) {
      throw bad(spec);
    }
    return new long[] {k, n};
  }

  private static long[] auto(Map<String, String> env, Long givenCount, String spec)
      throws UsageException {
    long index = 0; // 0-based array part
    long count = 1;
    String id = env.get("SLURM_ARRAY_TASK_ID");
    String pbs = env.get("PBS_ARRAY_INDEX");
    if (id != null) {
      long min = env.containsKey("SLURM_ARRAY_TASK_MIN")
          ? number(env.get("SLURM_ARRAY_TASK_MIN"), spec) : 0;
      index = number(id, spec) - min;
      if (givenCount != null) {
        count = givenCount;
      } else if (env.containsKey("SLURM_ARRAY_TASK_COUNT")) {
        count = number(env.get("SLURM_ARRAY_TASK_COUNT"), spec);
      } else {
        throw new UsageException("--shard auto: SLURM_ARRAY_TASK_COUNT is not set; give the"
            + " number of parts as --shard auto/N");
      }
    } else if (pbs != null) {
      if (givenCount == null) {
        throw new UsageException("--shard auto: PBS does not say how many array parts there are;"
            + " give it as --shard auto/N (and submit with qsub -J 1-N)");
      }
      index = number(pbs, spec) - 1;
      count = givenCount;
    } else if (givenCount != null) {
      throw new UsageException("--shard " + spec + ": not in a Slurm or PBS job array");
    }
    // One of several processes of one launch: an srun step (a batch script has SLURM_NTASKS and
    // SLURM_PROCID=0 too, but no SLURM_STEP_ID, and is a single process), Open MPI's mpirun, or
    // MPICH's and Intel MPI's (Hydra).
    String[] rankAndSize = env.containsKey("SLURM_STEP_ID")
        ? new String[] {env.get("SLURM_PROCID"), env.get("SLURM_NTASKS")}
        : env.containsKey("OMPI_COMM_WORLD_RANK")
            ? new String[] {env.get("OMPI_COMM_WORLD_RANK"), env.get("OMPI_COMM_WORLD_SIZE")}
            : new String[] {env.get("PMI_RANK"), env.get("PMI_SIZE")};
    long procs = rankAndSize[0] != null && rankAndSize[1] != null
        ? number(rankAndSize[1], spec) : 1;
    long proc = procs > 1 ? number(rankAndSize[0], spec) : 0;
    if (id == null && pbs == null && procs <= 1) {
      throw new UsageException("--shard auto: not in a job array (no SLURM_ARRAY_TASK_ID or"
          + " PBS_ARRAY_INDEX) nor one of several processes of srun or mpirun");
    }
    long n = count * procs;
    long k = index * procs + proc + 1;
    if (index < 0 || index >= count || k < 1 || k > n) {
      throw new UsageException("--shard auto: array index " + (index + 1) + " is outside 1.."
          + count);
    }
    return new long[] {k, n};
  }

  private static long number(String s, String spec) throws UsageException {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw bad(spec);
    }
  }

  private static UsageException bad(String spec) {
    return new UsageException("invalid --shard '" + spec + "': use K/N (1 <= K <= N) or auto");
  }
}
