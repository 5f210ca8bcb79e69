package jpack.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * --shard K/N, or auto[/INDICES] from a Slurm, PBS Pro or Torque job array (and several jpacks
 * under one srun or mpirun).
 *
 * <p>The rule: the parts are the array's indices, in ascending order. With
 * {@code auto/INDICES} (the indices the array was submitted with, as {@code sbatch --array} or
 * {@code qsub -J}/{@code -t} take them; {@code auto/N} is {@code auto/1-N}) an element's part
 * depends on its index alone, so
 * a rerun of some elements ({@code sbatch --array=3}) runs exactly their parts. Plain {@code auto}
 * derives the indices from Slurm's SLURM_ARRAY_TASK_MIN/MAX/STEP/COUNT, which describe the array
 * being run, not the one first submitted; it is used only where that array cannot be a rerun of
 * part of another in a way jpack could see: a range that starts at 0 or 1, has more than one
 * element, and has every index of MIN-MAX:STEP. Anything else is refused in one line.
 */
final class Shards {
  private Shards() {}

  /** Indices above this are refused (Slurm's MaxArraySize is at most 4,000,001). */
  private static final long MAX_INDEX = Integer.MAX_VALUE;

  static long[] parse(String spec, Map<String, String> env) throws UsageException {
    return parse(spec, env, w -> { });
  }

  /** {K, N}, K from 1; warn gets a warning without "jpack: ". */
  static long[] parse(String spec, Map<String, String> env, Consumer<String> warn)
      throws UsageException {
    String s = spec.trim();
    if (s.equals("auto")) {
      return auto(env, null, spec, warn);
    }
    if (s.startsWith("auto/")) {
      return auto(env, Indices.parse(s.substring(5), spec), spec, warn);
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

  /**
   * The warning for a jpack in an element of a job array without --shard (every element would
   * run every task), or null when not in an array.
   */
  static String unsharded(Map<String, String> env) {
    String index = env.get("SLURM_ARRAY_TASK_ID");
    if (index == null) {
      index = pbsIndex(env);
    }
    return index == null ? null : "warning: job array element " + index.trim()
        + " without --shard: every element runs every task (--shard auto/N runs one part of N"
        + " in each; --shard 1/1 runs them all here)";
  }

  private static String pbsIndex(Map<String, String> env) {
    String pro = env.get("PBS_ARRAY_INDEX"); // PBS Pro, qsub -J
    return pro != null ? pro : env.get("PBS_ARRAYID"); // Torque, qsub -t
  }

  private static long[] auto(Map<String, String> env, Indices given, String spec,
      Consumer<String> warn) throws UsageException {
    long[] part = arrayPart(env, given, spec, warn); // {position from 1, parts}
    // One of several processes of one launch: mpirun's ranks (Open MPI; an Open MPI mpirun
    // inside a Slurm job starts its daemons with srun, so its ranks carry a step's variables
    // too), an srun step (a batch script has SLURM_PROCID=0, maybe SLURM_NTASKS, but no
    // SLURM_STEP_ID, and is a single process), or MPICH's and Intel MPI's Hydra.
    String[] rankAndSize = env.containsKey("OMPI_COMM_WORLD_SIZE")
        ? new String[] {env.get("OMPI_COMM_WORLD_RANK"), env.get("OMPI_COMM_WORLD_SIZE")}
        : env.containsKey("SLURM_STEP_ID") && env.containsKey("SLURM_NTASKS")
            ? new String[] {env.get("SLURM_PROCID"), env.get("SLURM_NTASKS")}
            : env.containsKey("PMI_SIZE")
                ? new String[] {env.get("PMI_RANK"), env.get("PMI_SIZE")} : null;
    long procs = 1;
    long proc = 0;
    if (rankAndSize != null) {
      procs = number(rankAndSize[1], spec);
      proc = rankAndSize[0] == null ? 0 : number(rankAndSize[0], spec);
      if (procs < 1 || proc >= procs) {
        throw new UsageException("--shard " + spec.trim() + ": process rank " + proc
            + " is outside 0.." + (procs - 1));
      }
    }
    if (part == null) {
      if (given != null) {
        throw new UsageException("--shard " + spec.trim() + ": not in a job array (no"
            + " SLURM_ARRAY_TASK_ID, PBS_ARRAY_INDEX or PBS_ARRAYID)");
      }
      if (rankAndSize == null) {
        throw new UsageException("--shard auto: not in a job array (no SLURM_ARRAY_TASK_ID,"
            + " PBS_ARRAY_INDEX or PBS_ARRAYID) nor in an srun step or under mpirun");
      }
      part = new long[] {1, 1}; // srun -n 1, mpirun -np 1: the one process runs it all
    }
    return new long[] {(part[0] - 1) * procs + proc + 1, part[1] * procs};
  }

  /** {position from 1, parts} of this job array element, or null outside an array. */
  private static long[] arrayPart(Map<String, String> env, Indices given, String spec,
      Consumer<String> warn) throws UsageException {
    String opt = spec.trim();
    String slurm = env.get("SLURM_ARRAY_TASK_ID");
    String pbs = pbsIndex(env);
    if (slurm == null && pbs == null) {
      return null;
    }
    long index = number(slurm != null ? slurm : pbs, spec);
    Long min = slurm == null ? null : optional(env, "SLURM_ARRAY_TASK_MIN", spec);
    Long max = slurm == null ? null : optional(env, "SLURM_ARRAY_TASK_MAX", spec);
    Long count = slurm == null ? null : optional(env, "SLURM_ARRAY_TASK_COUNT", spec);
    if (given != null) {
      long position = given.position(index);
      if (position == 0) {
        throw new UsageException("--shard " + opt + ": array index " + index + " is not one of "
            + given + ": give every index the array was first submitted with");
      }
      if (min != null && max != null && (min < given.first() || max > given.last())) {
        throw new UsageException("--shard " + opt + ": this array's indices run from " + min
            + " to " + max + ", past " + given + ": give every index the array was first"
            + " submitted with");
      }
      if (count != null && min != null && max != null && count > 1 && count < given.count()) {
        warn.accept("warning: --shard " + opt + ": this array has " + count + " of the "
            + given.count() + " parts (indices from " + min + " to " + max + "); the others run"
            + " only in array elements of their own");
      }
      return new long[] {position, given.count()};
    }
    if (slurm == null) {
      throw new UsageException("--shard auto: PBS does not tell a job its array's indices: use"
          + " --shard auto/N for qsub -J 1-N (Torque: qsub -t 1-N), or auto/INDICES");
    }
    Long step = optional(env, "SLURM_ARRAY_TASK_STEP", spec);
    long s = step == null ? 1 : step;
    if (min == null || max == null || count == null) {
      throw new UsageException("--shard auto: Slurm did not set SLURM_ARRAY_TASK_MIN, _MAX and"
          + " _COUNT: give the array's indices, --shard auto/N for --array=1-N");
    }
    if (count == 1) {
      throw new UsageException("--shard auto: a one-element array (index " + index + ") looks"
          + " like the rerun of one part and does not say how many there are: use --shard"
          + " auto/N for an array first submitted as --array=1-N");
    }
    if (min > 1) {
      throw new UsageException("--shard auto: the array starts at index " + min + ", so it"
          + " looks like the rerun of some parts: use --shard auto/N for an array first"
          + " submitted as --array=1-N (auto/INDICES for other indices)");
    }
    if (s < 1 || (max - min) % s != 0 || count != (max - min) / s + 1
        || (index - min) % s != 0) {
      throw new UsageException("--shard auto: the array's indices are a list (" + count
          + " indices from " + min + " to " + max + "), which Slurm does not pass on: use"
          + " --shard auto/LIST with the list --array was given (or auto/N for 1-N)");
    }
    return new long[] {(index - min) / s + 1, count};
  }

  private static Long optional(Map<String, String> env, String name, String spec)
      throws UsageException {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : number(v, spec);
  }

  /**
   * An array's indices as sbatch --array, qsub -J and qsub -t take them: comma-separated A, A-B
   * or A-B:S, with Slurm's and Torque's %LIMIT ignored; a bare N is 1-N.
   */
  static final class Indices {
    private final List<long[]> ranges; // {first, last, step}, sorted, last on the step
    private final String text;
    private final long count;

    private Indices(List<long[]> ranges, String text) {
      this.ranges = ranges;
      this.text = text;
      long n = 0;
      for (long[] r : ranges) {
        n += (r[1] - r[0]) / r[2] + 1;
      }
      this.count = n;
    }

    static Indices parse(String s, String spec) throws UsageException {
      int limit = s.indexOf('%');
      String t = limit >= 0 ? s.substring(0, limit) : s;
      List<long[]> ranges = new ArrayList<>();
      if (digits(t)) {
        long n = index(t, spec);
        if (n < 1) {
          throw bad(spec);
        }
        ranges.add(new long[] {1, n, 1});
        return new Indices(ranges, "1-" + n);
      }
      for (String part : t.split(",", -1)) {
        int colon = part.indexOf(':');
        String bounds = colon >= 0 ? part.substring(0, colon) : part;
        long step = colon >= 0 ? index(part.substring(colon + 1), spec) : 1;
        int dash = bounds.indexOf('-');
        long first = index(dash >= 0 ? bounds.substring(0, dash) : bounds, spec);
        long last = dash >= 0 ? index(bounds.substring(dash + 1), spec) : first;
        if (step < 1 || last < first || (colon >= 0 && dash < 0)) {
          throw bad(spec);
        }
        ranges.add(new long[] {first, first + (last - first) / step * step, step});
      }
      ranges.sort((a, b) -> Long.compare(a[0], b[0]));
      for (int i = 1; i < ranges.size(); i++) {
        if (ranges.get(i)[0] <= ranges.get(i - 1)[1]) {
          throw new UsageException("invalid --shard '" + spec + "': the ranges of indices"
              + " overlap");
        }
      }
      return new Indices(ranges, t);
    }

    /** The index's place among these indices, from 1; 0 when it is not one of them. */
    long position(long index) {
      long before = 0;
      for (long[] r : ranges) {
        if (index >= r[0] && index <= r[1] && (index - r[0]) % r[2] == 0) {
          return before + (index - r[0]) / r[2] + 1;
        }
        before += (r[1] - r[0]) / r[2] + 1;
      }
      return 0;
    }

    long count() {
      return count;
    }

    long first() {
      return ranges.get(0)[0];
    }

    long last() {
      return ranges.get(ranges.size() - 1)[1];
    }

    @Override
    public String toString() {
      return text;
    }

    private static boolean digits(String s) {
      if (s.isEmpty()) {
        return false;
      }
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) < '0' || s.charAt(i) > '9') {
          return false;
        }
      }
      return true;
    }

    private static long index(String s, String spec) throws UsageException {
      if (!digits(s) || s.length() > 10 || Long.parseLong(s) > MAX_INDEX) {
        throw bad(spec);
      }
      return Long.parseLong(s);
    }
  }

  private static long number(String s, String spec) throws UsageException {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw bad(spec);
    }
  }

  private static UsageException bad(String spec) {
    return new UsageException("invalid --shard '" + spec + "': use K/N (1 <= K <= N), auto,"
        + " auto/N or auto/INDICES as --array or qsub -J has them (1-21, 0-20, 1-9:2, 1,5,10)");
  }
}
