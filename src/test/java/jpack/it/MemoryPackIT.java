package jpack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jpack.site.TestCgroups;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 on a real kernel limit: a memory cgroup of 600 MiB that jpack runs in, and tasks that
 * each hold 200 MiB for a second and a half. At -P 8 the kernel's OOM killer kills tasks, and
 * jpack names each kill (stderr, the summary, LOG.usage's OOM column); the same run with
 * --mem-per-task auto starts cautiously, learns the tasks' peaks and finishes every task with
 * none killed. Needs root (skipped without, unless JPACK_REQUIRE_ROOT or _CGROUPS is set).
 */
@Timeout(300)
class MemoryPackIT {
  private static final long LIMIT = 600L << 20;

  @TempDir Path tmp;

  private Path fixture() throws Exception {
    Path f = tmp.resolve("usage-fixture");
    Process cc = new ProcessBuilder("cc", "-O0", "-o", f.toString(), Proc.HOME
        .resolve("src/test/c/usage-fixture.c").toString()).redirectErrorStream(true).start();
    String out = new String(cc.getInputStream().readAllBytes());
    assertTrue(cc.waitFor(60, TimeUnit.SECONDS) && cc.exitValue() == 0, "cc: " + out);
    return f;
  }

  /** jpack, moved into the group before it starts (it waits for a line on a pipe). */
  private int runIn(Path group, String name, String... args) throws Exception {
    String[] argv = new String[args.length + 5];
    argv[0] = "sh";
    argv[1] = "-c";
    argv[2] = "read go && exec \"$@\"";
    argv[3] = "sh";
    argv[4] = Proc.JPACK;
    System.arraycopy(args, 0, argv, 5, args.length);
    Process p = new ProcessBuilder(argv).directory(tmp.toFile())
        .redirectOutput(tmp.resolve(name + ".out").toFile())
        .redirectError(tmp.resolve(name + ".err").toFile()).start();
    try {
      Files.writeString(group.resolve("cgroup.procs"), String.valueOf(p.pid()));
      try (OutputStream in = p.getOutputStream()) {
        in.write("go\n".getBytes());
      }
      assertTrue(p.waitFor(240, TimeUnit.SECONDS), name + ": jpack did not end");
      return p.exitValue();
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void oomKillsAreNamedAndAutoPacksSoThatNoneIsKilled() throws Exception {
    String[] why = {null};
    Path g = TestCgroups.memoryGroup("jpack-it-" + ProcessHandle.current().pid() + "-pack", LIMIT,
        why);
    if (g == null) {
      assumeTrue(TestCgroups.required(), why[0] + " (root is needed)");
      throw new AssertionError(why[0] + " (JPACK_REQUIRE_ROOT or _CGROUPS is set)");
    }
    try {
      Path in = Files.writeString(tmp.resolve("in"), "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n");
      String task = "exec " + fixture() + " mem 200 1500";
      int packed = runIn(g, "packed", "-a", in.toString(), "-n", "1", "-P", "8", "--halt",
          "never", "--summary", "--joblog", "packed.tsv", "sh", "-c", task);
      String err = Files.readString(tmp.resolve("packed.err"));
      assertNotEquals(0, packed, err);
      assertTrue(err.matches("(?s).*jpack: task \\d+ \\(sh -c .*\\) was killed for lack of"
          + " memory.*"), err);
      assertTrue(err.contains("of them killed for lack of memory"), "the summary counts: " + err);
      assertFalse(err.contains("terminated by signal 9"), "named once, as what it is: " + err);
      List<String> usage = Files.readAllLines(tmp.resolve("packed.tsv.usage"));
      assertTrue(usage.stream().anyMatch(l -> l.endsWith("\t1")), "LOG.usage marks it: " + usage);

      int auto = runIn(g, "auto", "-a", in.toString(), "-n", "1", "-P", "8",
          "--mem-per-task", "auto", "--summary", "--joblog", "auto.tsv", "sh", "-c", task);
      String autoErr = Files.readString(tmp.resolve("auto.err"));
      assertEquals(0, auto, autoErr);
      assertFalse(autoErr.contains("lack of memory"), autoErr);
      List<String> log = Files.readAllLines(tmp.resolve("auto.tsv"));
      assertEquals(13, log.size(), "every task logged once: " + log);
      assertTrue(log.subList(1, 13).stream().allMatch(l -> l.split("\t")[6].equals("0")),
          String.join("\n", log));
      assertTrue(autoErr.matches("(?s).*peak memory 20\\d MB.*"), "the summary's peak: "
          + autoErr);
    } finally {
      TestCgroups.remove(g);
    }
  }
}
