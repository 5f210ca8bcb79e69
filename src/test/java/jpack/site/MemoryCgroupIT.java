package jpack.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: a real memory cgroup with a 64 MiB limit, a process in it that touches 200 MiB, and
 * the kernel's OOM killer: {@link MemoryCgroup}'s counter for that group rises by one as the
 * process dies by SIGKILL. v2 where /sys/fs/cgroup has the memory controller, else v1's memory
 * hierarchy. Needs root; skipped without, unless JPACK_REQUIRE_CGROUPS or JPACK_REQUIRE_ROOT is
 * set (CI sets the latter, as for AllocationTruthIT's cgroups): then a failure.
 */
@Timeout(60)
class MemoryCgroupIT {
  private static final long LIMIT = 64L << 20;

  @TempDir Path bin;

  /** The fixture (src/test/c/usage-fixture.c), built here. */
  private Path fixture() throws Exception {
    Path f = bin.resolve("usage-fixture");
    Process cc = new ProcessBuilder("cc", "-O0", "-o", f.toString(),
        Path.of(System.getProperty("jpack.home", ".")).resolve("src/test/c/usage-fixture.c")
            .toAbsolutePath().toString()).redirectErrorStream(true).start();
    String out = new String(cc.getInputStream().readAllBytes());
    assertTrue(cc.waitFor(30, TimeUnit.SECONDS) && cc.exitValue() == 0, "cc: " + out);
    return f;
  }

  @Test
  void anOomKillInTheGroupIsCounted() throws Exception {
    String[] why = {null};
    Path g = TestCgroups.memoryGroup("jpack-it-" + ProcessHandle.current().pid() + "-oom", LIMIT,
        why);
    if (g == null) {
      assumeTrue(TestCgroups.required(), why[0] + " (root is needed)");
      throw new AssertionError(why[0] + " (JPACK_REQUIRE_CGROUPS or JPACK_REQUIRE_ROOT is set)");
    }
    Process p = null;
    try {
      // It waits for a line on stdin (a pipe: no sleep) while the test moves it into the group.
      p = new ProcessBuilder("sh", "-c", "read go && exec \"$0\" mem 200",
          fixture().toString()).redirectOutput(ProcessBuilder.Redirect.INHERIT)
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      Files.writeString(g.resolve("cgroup.procs"), String.valueOf(p.pid()));
      MemoryCgroup m = MemoryCgroup.ofProcess(p.pid());
      assertEquals(g.resolve(g.toString().contains("/memory/") ? "memory.oom_control"
          : "memory.events").toString(), m.counterFile());
      assertFalse(m.nodeWide());
      assertEquals(OptionalLong.of(LIMIT), m.limitBytes());
      OptionalLong before = m.oomKills();
      assertEquals(OptionalLong.of(0), before, "a new group has no kills");
      assertFalse(m.oomKilledSince(before));
      try (OutputStream in = p.getOutputStream()) {
        in.write("go\n".getBytes());
      }
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the 200 MiB process ran on in a 64 MiB group");
      assertEquals(128 + 9, p.exitValue(), "killed by SIGKILL (the JDK's 128+n)");
      assertTrue(m.oomKilledSince(before), "the counter rose: " + m.oomKills());
      assertEquals(OptionalLong.of(1), m.oomKills());
    } finally {
      if (p != null && p.isAlive()) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      TestCgroups.remove(g);
    }
  }
}
