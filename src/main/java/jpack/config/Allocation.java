package jpack.config;

import java.util.List;

/**
 * What the batch allocation (or, outside one, this process) grants: CPUs, memory, GPU devices.
 *
 * @param cpus CPUs this run may use
 * @param cpuSource where cpus came from (for --show-allocation and messages)
 * @param memoryBytes memory available to the tasks, or -1 when unknown
 * @param memorySource where memoryBytes came from
 * @param gpus the GPU device ids tasks may be given (from CUDA_VISIBLE_DEVICES or the driver)
 */
public record Allocation(int cpus, String cpuSource, long memoryBytes, String memorySource,
    List<String> gpus) {

  public Allocation {
    gpus = List.copyOf(gpus);
  }

  /**
   * Tasks at once: the CPUs over --cpus-per-task (0: CPUs set no bound, as with an explicit -P),
   * capped by memory over --mem-per-task and by the GPUs over --gpus-per-task; at least 1.
   */
  public int slots(int cpusPerTask, long memPerTask, int gpusPerTask) {
    long slots = cpusPerTask <= 0 ? Integer.MAX_VALUE : Math.max(1, cpus / cpusPerTask);
    if (memPerTask > 0 && memoryBytes > 0) {
      slots = Math.min(slots, Math.max(1, memoryBytes / memPerTask));
    }
    if (gpusPerTask > 0) {
      slots = Math.min(slots, Math.max(1, gpus.size() / gpusPerTask));
    }
    return (int) Math.min(Integer.MAX_VALUE, slots);
  }
}
