package jpack.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jpack.config.Allocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe against fake /proc and /sys trees and batch-system environments. */
class AllocationProbeTest {
  @TempDir Path root;

  private void write(String rel, String text) throws Exception {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  @Test
  void pbsThenSlurmThenTheProcess() {
    assertEquals(48, AllocationProbe.probe(Map.of("NCPUS", "48", "SLURM_CPUS_ON_NODE", "8"),
        root, 2).cpus());
    assertEquals(8, AllocationProbe.probe(Map.of("SLURM_CPUS_ON_NODE", "8"), root, 2).cpus());
    assertEquals(6, AllocationProbe.probe(Map.of("SLURM_JOB_CPUS_PER_NODE", "6(x2)"), root, 2)
        .cpus());
    assertEquals(2, AllocationProbe.probe(Map.of(), root, 2).cpus());
  }

  @Test
  void memoryIsTheTightestOfCgroupSlurmAndMemAvailable() throws Exception {
    write("proc/self/cgroup", "0::/job42\n");
    write("sys/fs/cgroup/job42/memory.max", String.valueOf(64L << 30) + "\n");
    write("proc/meminfo", "MemTotal: 200000000 kB\nMemAvailable: 190000000 kB\n");
    Allocation a = AllocationProbe.probe(Map.of(), root, 48);
    assertEquals(64L << 30, a.memoryBytes());
    assertEquals("cgroup memory limit, /sys/fs/cgroup/job42/memory.max", a.memorySource());
    Allocation slurm = AllocationProbe.probe(Map.of("SLURM_MEM_PER_NODE", "16384"), root, 48);
    assertEquals(16L << 30, slurm.memoryBytes());
    Allocation perCpu = AllocationProbe.probe(Map.of("SLURM_MEM_PER_CPU", "1024",
        "SLURM_CPUS_ON_NODE", "4"), root, 48);
    assertEquals(4L << 30, perCpu.memoryBytes());
  }

  @Test
  void cgroupV1AndUnlimited() throws Exception {
    write("proc/self/cgroup", "5:memory:/slurm/uid_0/job_7\n");
    write("sys/fs/cgroup/memory/slurm/uid_0/job_7/memory.limit_in_bytes", "8589934592\n");
    assertEquals(8L << 30, AllocationProbe.probe(Map.of(), root, 4).memoryBytes());
    write("proc/self/cgroup", "0::/\n");
    write("sys/fs/cgroup/memory.max", "max\n");
    assertEquals(-1, AllocationProbe.cgroupLimit(root.resolve("nothing-here")));
  }

  @Test
  void tutorialNodeFitsNineteenTenGigabyteTasks() {
    Allocation node = new Allocation(48, "NCPUS", 192L << 30, "test", List.of());
    assertEquals(19, node.slots(1, 10L << 30, 0));
    assertEquals(12, node.slots(4, 0, 0));
  }

  @Test
  void gpusFromCudaVisibleDevicesOrTheDriver() throws Exception {
    assertEquals(List.of("2", "3"),
        AllocationProbe.probe(Map.of("CUDA_VISIBLE_DEVICES", "2,3"), root, 8).gpus());
    assertEquals(List.of(), AllocationProbe.probe(Map.of("CUDA_VISIBLE_DEVICES", ""), root, 8)
        .gpus());
    write("proc/driver/nvidia/gpus/0000:01:00.0/information", "x");
    write("proc/driver/nvidia/gpus/0000:02:00.0/information", "x");
    Allocation a = AllocationProbe.probe(Map.of(), root, 8);
    assertEquals(List.of("0", "1"), a.gpus());
    assertEquals(1, a.slots(1, 0, 2));
  }

  /** Issue 14: inside srun -n 2 each jpack took the whole node (4 tasks on 2 CPUs). */
  @Test
  void aTaskOfAnSrunStepCountsItsOwnCpus() {
    Map<String, String> step = Map.of("SLURM_JOB_ID", "135", "SLURM_STEP_ID", "0",
        "SLURM_CPUS_ON_NODE", "2", "SLURM_JOB_CPUS_PER_NODE", "2", "SLURM_NODEID", "0",
        "SLURM_STEP_TASKS_PER_NODE", "2");
    Allocation a = AllocationProbe.probe(step, root, 2);
    assertEquals(1, a.cpus());
    assertEquals("SLURM_CPUS_ON_NODE 2 / 2 tasks of srun step 0 on this node", a.cpuSource());
    Map<String, String> withC = new java.util.HashMap<>(step);
    withC.put("SLURM_CPUS_PER_TASK", "1");
    withC.put("SLURM_CPUS_ON_NODE", "8");
    assertEquals(1, AllocationProbe.probe(withC, root, 8).cpus());
    // the third node of "4(x2),3,1": 3 tasks there
    Map<String, String> third = new java.util.HashMap<>(step);
    third.put("SLURM_STEP_TASKS_PER_NODE", "4(x2),3,1");
    third.put("SLURM_NODEID", "2");
    third.put("SLURM_CPUS_ON_NODE", "12");
    assertEquals(4, AllocationProbe.probe(third, root, 12).cpus());
  }

  /** A batch script (no SLURM_STEP_ID) is one process that holds the node's whole share. */
  @Test
  void aBatchScriptTakesTheNodesCpusNotOneTasks() {
    assertEquals(8, AllocationProbe.probe(Map.of("SLURM_JOB_ID", "7", "SLURM_CPUS_PER_TASK",
        "2", "SLURM_CPUS_ON_NODE", "8"), root, 8).cpus());
  }

  @Test
  void torqueProcessorsPerNode() {
    assertEquals(6, AllocationProbe.probe(Map.of("PBS_NUM_PPN", "6", "PBS_NP", "12",
        "PBS_NUM_NODES", "2"), root, 2).cpus());
    assertEquals(4, AllocationProbe.probe(Map.of("PBS_NP", "4", "PBS_NUM_NODES", "1"), root, 2)
        .cpus());
    assertEquals(2, AllocationProbe.probe(Map.of("PBS_NP", "12", "PBS_NUM_NODES", "2"), root, 2)
        .cpus(), "PBS_NP counts every node's processors");
  }

  /** An environment variable never beats a tighter affinity mask or cgroup CPU quota. */
  @Test
  void affinityAndCpuQuotaCapTheBatchSystemsClaim() throws Exception {
    write("proc/self/status", "Name:\tjava\nCpus_allowed_list:\t0-1,4\n");
    Allocation a = AllocationProbe.probe(Map.of("NCPUS", "48"), root, 48);
    assertEquals(3, a.cpus());
    assertEquals("NCPUS, capped by the CPU affinity (Cpus_allowed_list)", a.cpuSource());
    write("proc/self/cgroup", "0::/job/step\n");
    write("sys/fs/cgroup/job/cpu.max", "150000 100000\n"); // 1.5 CPUs, on the parent
    write("sys/fs/cgroup/job/step/cpu.max", "max 100000\n");
    Allocation q = AllocationProbe.probe(Map.of("NCPUS", "48"), root, 48);
    assertEquals(2, q.cpus());
    assertTrue(q.cpuSource().endsWith("capped by the cgroup CPU quota"
        + " (/sys/fs/cgroup/job/cpu.max)"), q.cpuSource());
    assertEquals(2, AllocationProbe.probe(Map.of(), root, 48).cpus());
  }

  @Test
  void cgroupV1CpuQuota() throws Exception {
    write("proc/self/cgroup", "3:cpu,cpuacct:/slurm/job_1/step_0\n");
    write("sys/fs/cgroup/cpu,cpuacct/slurm/job_1/cpu.cfs_quota_us", "100000\n");
    write("sys/fs/cgroup/cpu,cpuacct/slurm/job_1/cpu.cfs_period_us", "100000\n");
    write("sys/fs/cgroup/cpu,cpuacct/slurm/job_1/step_0/cpu.cfs_quota_us", "-1\n");
    assertEquals(1, AllocationProbe.probe(Map.of("SLURM_CPUS_ON_NODE", "4"), root, 4).cpus());
  }

  /** Issue 14: a limit on a parent group (Slurm's job, over step and task) was missed. */
  @Test
  void theTightestMemoryLimitOfTheAncestorsCounts() throws Exception {
    write("proc/self/cgroup", "0::/slurm/job_9/step_0/task_0\n");
    write("sys/fs/cgroup/slurm/memory.max", "max\n");
    write("sys/fs/cgroup/slurm/job_9/memory.max", String.valueOf(1L << 30) + "\n");
    write("sys/fs/cgroup/slurm/job_9/step_0/memory.max", String.valueOf(2L << 30) + "\n");
    write("sys/fs/cgroup/slurm/job_9/step_0/task_0/memory.max", "max\n");
    Allocation a = AllocationProbe.probe(Map.of(), root, 4);
    assertEquals(1L << 30, a.memoryBytes());
    assertEquals("cgroup memory limit, /sys/fs/cgroup/slurm/job_9/memory.max", a.memorySource());
  }

  @Test
  void cgroupV1ParentLimitAndHierarchicalLimit() throws Exception {
    write("proc/self/cgroup", "4:memory:/job/child\n");
    write("sys/fs/cgroup/memory/job/memory.limit_in_bytes", String.valueOf(3L << 30));
    write("sys/fs/cgroup/memory/job/child/memory.limit_in_bytes", "9223372036854771712\n");
    assertEquals(3L << 30, AllocationProbe.cgroupLimit(root));
  }

  /** A container sees its own group as the mount's root: v1's memory.stat tells the rest. */
  @Test
  void cgroupV1HierarchicalLimitOfHiddenParents() throws Exception {
    write("proc/self/mountinfo", "35 31 0:32 /job /sys/fs/cgroup/memory rw,relatime - cgroup"
        + " cgroup rw,memory\n");
    write("proc/self/cgroup", "4:memory:/job/child\n");
    write("sys/fs/cgroup/memory/child/memory.limit_in_bytes", "9223372036854771712\n");
    write("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
    assertEquals(-1, AllocationProbe.cgroupLimit(root));
    write("sys/fs/cgroup/memory/child/memory.stat", "cache 0\nhierarchical_memory_limit "
        + (1L << 30) + "\n");
    assertEquals(1L << 30, AllocationProbe.cgroupLimit(root));
  }

  /** A container's view: mountinfo says the mount's root is the container's own group. */
  @Test
  void mountinfoMapsTheGroupPathUnderTheMountsRoot() throws Exception {
    write("proc/self/mountinfo", "30 23 0:26 /docker/abc /sys/fs/cgroup rw,nosuid - cgroup2"
        + " cgroup2 rw\n");
    write("proc/self/cgroup", "0::/docker/abc/sub\n");
    write("sys/fs/cgroup/memory.max", "max\n");
    write("sys/fs/cgroup/sub/memory.max", String.valueOf(5L << 30) + "\n");
    assertEquals(5L << 30, AllocationProbe.cgroupLimit(root));
  }

  @Test
  void slurmMemoryPerGpuTimesTheNodesGpus() {
    Allocation a = AllocationProbe.probe(Map.of("SLURM_MEM_PER_GPU", "2048",
        "SLURM_GPUS_ON_NODE", "3", "CUDA_VISIBLE_DEVICES", "0,1,2"), root, 8);
    assertEquals(6L << 30, a.memoryBytes());
    assertEquals("SLURM_MEM_PER_GPU x 3 GPUs", a.memorySource());
  }

  @Test
  void theTasksOfAStepShareItsMemory() throws Exception {
    write("proc/meminfo", "MemTotal: 8388608 kB\nMemAvailable: 8000000 kB\n");
    Allocation a = AllocationProbe.probe(Map.of("SLURM_JOB_ID", "1", "SLURM_STEP_ID", "2",
        "SLURM_CPUS_ON_NODE", "4", "SLURM_STEP_TASKS_PER_NODE", "2", "SLURM_MEM_PER_NODE",
        "4096"), root, 4);
    assertEquals(2L << 30, a.memoryBytes());
    assertEquals("SLURM_MEM_PER_NODE / 2 tasks of srun step 2 on this node", a.memorySource());
    assertEquals(4L << 30, a.limitBytes(), "what no single task can ever exceed");
  }

  /** jpack keeps its resident memory and 64 MiB out of what tasks get. */
  @Test
  void jpacksOwnMemoryIsKeptFromTheTasks() throws Exception {
    write("proc/self/status", "VmRSS:\t   40960 kB\n");
    Allocation a = AllocationProbe.probe(Map.of("SLURM_MEM_PER_NODE", "1024"), root, 4);
    assertEquals((40L << 20) + (64L << 20), a.ownBytes());
    assertEquals((1L << 30) - (104L << 20), a.taskBytes());
    assertEquals(3, a.slots(1, 300L << 20, 0));
    assertEquals(1, a.slots(1, 1000L << 20, 0));
    assertTrue(a.tight(1000L << 20).startsWith("--mem-per-task 1000 MiB: only 920 MiB is there"
        + " for tasks (1.0 GiB SLURM_MEM_PER_NODE, less 104 MiB for jpack itself), not enough"
        + " for one: running 1 at once"), a.tight(1000L << 20));
    assertNull(a.tight(300L << 20));
    assertNull(a.misfit(1, 1000L << 20), "fits the limit, just not beside jpack");
  }

  /** Issue 15: a request no task can ever fit is said in one line (and is an error). */
  @Test
  void aRequestOverTheAllocationNeverFits() throws Exception {
    write("proc/meminfo", "MemTotal: 24684084 kB\nMemAvailable: 23917664 kB\n");
    Allocation a = AllocationProbe.probe(Map.of(), root, 2);
    assertEquals("--mem-per-task 100.0 GiB: this allocation has 23.5 GiB (MemTotal), so no task"
        + " can ever fit; ask for at most that, or for a bigger allocation",
        a.misfit(1, 100L << 30));
    assertEquals("--cpus-per-task 64: this allocation has 2 CPUs (CPUs this process may use), so"
        + " no task can ever fit; ask for at most 2, or give -P to run that many at once anyway",
        a.misfit(64, 0));
    assertNull(a.misfit(0, 0), "with -P, CPUs set no bound");
    assertNull(a.misfit(2, 20L << 30));
  }
}
