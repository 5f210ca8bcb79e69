package jpack.config;

import java.util.List;
import java.util.Locale;

/**
 * What the batch allocation (or, outside one, this process) grants: CPUs, memory, GPU devices.
 *
 * @param cpus CPUs this run may use: the batch system's claim, never more than the CPU affinity
 *     and the cgroup CPU quota allow
 * @param cpuSource where cpus came from (for --show-allocation and messages)
 * @param memoryBytes memory there is for jpack and its tasks now (the tightest of the limits and
 *     MemAvailable), or -1 when unknown
 * @param memorySource where memoryBytes came from
 * @param limitBytes the tightest hard limit (cgroup, Slurm, the node's MemTotal): no task can
 *     ever have more, or -1 when unknown
 * @param limitSource where limitBytes came from
 * @param ownBytes what jpack keeps for itself out of memoryBytes (its resident memory and room to
 *     grow), 0 when nothing is kept
 * @param gpus the GPU device ids tasks may be given (from CUDA_VISIBLE_DEVICES or the driver)
 */
public record Allocation(int cpus, String cpuSource, long memoryBytes, String memorySource,
    long limitBytes, String limitSource, long ownBytes, List<String> gpus) {

  public Allocation {
    gpus = List.copyOf(gpus);
  }

  /** An allocation whose memory is all a hard limit and all for the tasks. */
  public Allocation(int cpus, String cpuSource, long memoryBytes, String memorySource,
      List<String> gpus) {
    this(cpus, cpuSource, memoryBytes, memorySource, memoryBytes, memorySource, 0, gpus);
  }

  /** The memory tasks may use: memoryBytes less jpack's own; -1 when unknown. */
  public long taskBytes() {
    return memoryBytes < 0 ? -1 : Math.max(0, memoryBytes - ownBytes);
  }

  /**
   * Tasks at once: the CPUs over --cpus-per-task (0: CPUs set no bound, as with an explicit -P),
   * capped by the tasks' memory over --mem-per-task and by the GPUs over --gpus-per-task; at
   * least 1.
   */
  public int slots(int cpusPerTask, long memPerTask, int gpusPerTask) {
    long slots = cpusPerTask <= 0 ? Integer.MAX_VALUE : Math.max(1, cpus / cpusPerTask);
    if (memPerTask > 0 && memoryBytes >= 0) {
      slots = Math.min(slots, Math.max(1, taskBytes() / memPerTask));
    }
    if (gpusPerTask > 0) {
      slots = Math.min(slots, Math.max(1, gpus.size() / gpusPerTask));
    }
    return (int) Math.min(Integer.MAX_VALUE, slots);
  }

  /** How slots(...) came to its answer, for the diagnostics. */
  public String explain(int cpusPerTask, long memPerTask, int gpusPerTask) {
    StringBuilder sb = new StringBuilder();
    sb.append(cpusPerTask <= 0 ? "CPUs set no bound (-P given)"
        : cpus + " CPUs / " + cpusPerTask + " per task = " + Math.max(1, cpus / cpusPerTask));
    if (memPerTask > 0) {
      sb.append(memoryBytes < 0 ? ", memory unknown" : ", " + gib(taskBytes()) + " for tasks / "
          + gib(memPerTask) + " per task = " + taskBytes() / memPerTask);
    }
    if (gpusPerTask > 0) {
      sb.append(", ").append(gpus.size()).append(" GPUs / ").append(gpusPerTask)
          .append(" per task = ").append(gpus.size() / gpusPerTask);
    }
    return sb.append(": ").append(slots(cpusPerTask, memPerTask, gpusPerTask)).toString();
  }

  /**
   * Why no task can ever fit this allocation (a request over its CPUs, with cpusPerTask 0 when
   * CPUs set no bound, or over its memory limit), as one line after "jpack: "; null when one
   * can.
   */
  public String misfit(int cpusPerTask, long memPerTask) {
    if (cpusPerTask > cpus) {
      return "--cpus-per-task " + cpusPerTask + ": this allocation has " + cpus + " CPU"
          + (cpus == 1 ? "" : "s") + " (" + cpuSource + "), so no task can ever fit; ask for at"
          + " most " + cpus + ", or give -P to run that many at once anyway";
    }
    if (memPerTask > 0 && limitBytes >= 0 && memPerTask > limitBytes) {
      return "--mem-per-task " + gib(memPerTask) + ": this allocation has " + gib(limitBytes)
          + " (" + limitSource + "), so no task can ever fit; ask for at most that, or for a"
          + " bigger allocation";
    }
    return null;
  }

  /**
   * A warning (after "jpack: warning: ") when not even one task of memPerTask fits the memory
   * there is now for tasks, so that one runs at a time regardless; null otherwise.
   */
  public String tight(long memPerTask) {
    if (memPerTask <= 0 || memoryBytes < 0 || taskBytes() >= memPerTask) {
      return null;
    }
    return "--mem-per-task " + gib(memPerTask) + ": only " + gib(taskBytes()) + " is there for"
        + " tasks (" + gib(memoryBytes) + " " + memorySource + (ownBytes > 0 ? ", less " + gib(ownBytes)
        + " for jpack itself" : "") + "), not enough for one: running 1 at once";
  }

  /** Bytes for people: GiB with one decimal ("22.9 GiB"), or MiB below one GiB ("96 MiB"). */
  public static String gib(long bytes) {
    return bytes < (1L << 30) ? (bytes >> 20) + " MiB"
        : String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
  }
}
