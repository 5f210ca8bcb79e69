package jpack.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    assertEquals("cgroup memory limit", a.memorySource());
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
}
