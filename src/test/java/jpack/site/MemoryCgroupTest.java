package jpack.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OOM-kill counter and limit of a memory cgroup, on fake /proc and /sys trees. */
class MemoryCgroupTest {
  @TempDir Path root;

  private void write(String rel, String text) throws Exception {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private static final String V2_EVENTS = "low 0\nhigh 0\nmax 12\noom 3\noom_kill %d\n"
      + "oom_group_kill 0\n";

  @Test
  void v2MemoryEventsOfTheOwnGroup() throws Exception {
    write("proc/self/cgroup", "0::/job/step\n");
    write("sys/fs/cgroup/job/memory.max", "1073741824\n");
    write("sys/fs/cgroup/job/step/memory.max", "max\n");
    write("sys/fs/cgroup/job/memory.events", String.format(V2_EVENTS, 9));
    write("sys/fs/cgroup/job/step/memory.events", String.format(V2_EVENTS, 2));
    MemoryCgroup m = MemoryCgroup.of(root, "self");
    assertEquals(root.resolve("sys/fs/cgroup/job/step/memory.events").toString(),
        m.counterFile());
    assertFalse(m.nodeWide());
    OptionalLong before = m.oomKills();
    assertEquals(OptionalLong.of(2), before);
    assertFalse(m.oomKilledSince(before));
    write("sys/fs/cgroup/job/step/memory.events", String.format(V2_EVENTS, 3));
    assertTrue(m.oomKilledSince(before));
    assertEquals(OptionalLong.of(1L << 30), m.limitBytes(), "the parent's limit binds");
    assertEquals("/sys/fs/cgroup/job/memory.max", m.limitFile());
  }

  @Test
  void v1OomControlOfTheMemoryHierarchy() throws Exception {
    write("proc/self/cgroup", "5:memory:/slurm/job_7\n4:cpu,cpuacct:/slurm/job_7\n0::/\n");
    write("sys/fs/cgroup/memory/slurm/job_7/memory.oom_control",
        "oom_kill_disable 0\nunder_oom 0\noom_kill 4\n");
    write("sys/fs/cgroup/memory/slurm/job_7/memory.limit_in_bytes", "629145600\n");
    MemoryCgroup m = MemoryCgroup.of(root, "self");
    assertTrue(m.counterFile().endsWith("memory/slurm/job_7/memory.oom_control"));
    assertEquals(OptionalLong.of(4), m.oomKills());
    assertEquals(OptionalLong.of(629145600), m.limitBytes());
  }

  /** Another process's group: /proc/PID/cgroup. */
  @Test
  void theGroupOfAnotherProcess() throws Exception {
    write("proc/self/cgroup", "0::/a\n");
    write("proc/4242/cgroup", "0::/b\n");
    write("sys/fs/cgroup/a/memory.events", String.format(V2_EVENTS, 1));
    write("sys/fs/cgroup/b/memory.events", String.format(V2_EVENTS, 7));
    assertEquals(OptionalLong.of(7), MemoryCgroup.of(root, "4242").oomKills());
  }

  /** No group file that counts (the v2 root group, a kernel before 4.13): the node's count. */
  @Test
  void withoutAGroupCounterTheNodesCount() throws Exception {
    write("proc/self/cgroup", "0::/\n");
    write("proc/vmstat", "nr_free_pages 123\noom_kill 5\nnuma_hit 1\n");
    write("sys/fs/cgroup/memory.oom_control", "oom_kill_disable 0\n"); // no oom_kill line
    MemoryCgroup m = MemoryCgroup.of(root, "self");
    assertTrue(m.nodeWide());
    assertEquals(OptionalLong.of(5), m.oomKills());
    assertTrue(m.limitBytes().isEmpty());
    assertNull(m.limitFile());
  }

  @Test
  void nothingToReadIsEmptyAndNeverARise() throws Exception {
    write("proc/self/cgroup", "0::/x\n");
    MemoryCgroup m = MemoryCgroup.of(root, "self");
    assertNull(m.counterFile());
    assertEquals(OptionalLong.empty(), m.oomKills());
    assertFalse(m.oomKilledSince(OptionalLong.of(0)));
    assertFalse(m.oomKilledSince(OptionalLong.empty()));
  }
}
