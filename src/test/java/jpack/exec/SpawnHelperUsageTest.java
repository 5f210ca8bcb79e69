package jpack.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 17: what jpack-spawn reports a task used (wait4's rusage), against tasks whose use is
 * known: src/test/c/usage-fixture.c touches exactly N MiB, or burns S seconds of its own CPU
 * clock. The real helper (target/jpack-spawn) and real processes; skipped as SpawnHelperTest is
 * when no C compiler built the helper (JPACK_REQUIRE_SPAWN_HELPER: then a failure).
 *
 * <p>The peak of "mem N" is N MiB plus the fixture's own resident set (libc, stack: about 1.1 MiB
 * here, and never below jpack-spawn's own, as the vfork'd child runs in its memory until exec).
 * That baseline is measured with "mem 0" and must stay under 3 MiB, so that the raw figure stays
 * within 10 % of N from 50 MiB up; the figure less the baseline is held to 2 %.
 */
@Timeout(60)
class SpawnHelperUsageTest {
  @TempDir static Path bin;
  @TempDir Path dir;
  private static Path fixture;
  private SpawnHelper helper;
  private final List<String> warnings = new ArrayList<>();

  @BeforeAll
  static void buildFixture() throws Exception {
    if (!Files.isExecutable(SpawnHelperTest.BINARY)) {
      return; // skipped below, or failed there
    }
    fixture = bin.resolve("usage-fixture");
    Process cc = new ProcessBuilder("cc", "-O0", "-Wall", "-o", fixture.toString(),
        Path.of("src/test/c/usage-fixture.c").toAbsolutePath().toString())
        .redirectErrorStream(true).start();
    String out = new String(cc.getInputStream().readAllBytes());
    assertTrue(cc.waitFor(30, TimeUnit.SECONDS) && cc.exitValue() == 0, "cc: " + out);
  }

  @BeforeEach
  void start() throws Exception {
    assumeTrue(Files.isExecutable(SpawnHelperTest.BINARY)
        || System.getenv("JPACK_REQUIRE_SPAWN_HELPER") != null,
        "jpack-spawn was not built (no C compiler)");
    helper = SpawnHelper.start(SpawnHelperTest.BINARY, dir, Redirect.from(new File("/dev/null")),
        warnings::add);
  }

  @AfterEach
  void stop() {
    if (helper != null) {
      helper.close();
    }
  }

  /** Runs argv to its end through the helper; its recorder holds the end and the times. */
  private SpawnHelperTest.Recorder run(String... argv) throws Exception {
    SpawnHelperTest.Recorder r = new SpawnHelperTest.Recorder();
    assertNotNull(helper.spawn(0, List.of(argv), Map.of(), Redirect.INHERIT, Redirect.INHERIT, r));
    helper.flush();
    assertEquals("started", r.next());
    assertEquals("ended", r.next());
    assertTrue(r.exit.success(), "the task failed: " + r.exit);
    assertTrue(r.exit.usage().known(), "jpack-spawn reports usage");
    return r;
  }

  private long baselineKb() throws Exception {
    return run(fixture.toString(), "mem", "0").exit.usage().maxRssKb();
  }

  @ParameterizedTest
  @ValueSource(ints = {50, 100, 200})
  void thePeakOfATaskThatTouchesNMebibytes(int mib) throws Exception {
    long base = baselineKb();
    assertTrue(base > 0 && base < 3 * 1024, "the fixture's own resident set: " + base + " KB");
    Usage u = run(fixture.toString(), "mem", String.valueOf(mib)).exit.usage();
    long truth = mib * 1024L;
    System.out.printf("usage: mem %d MiB: peak %d KB (%.1f MiB), baseline %d KB, less it %+.2f %%%n",
        mib, u.maxRssKb(), u.maxRssKb() / 1024.0, base,
        100.0 * (u.maxRssKb() - base - truth) / truth);
    assertTrue(Math.abs(u.maxRssKb() - truth) <= truth / 10, u + " for " + mib + " MiB");
    assertTrue(Math.abs(u.maxRssKb() - base - truth) <= truth / 50, u + " less " + base + " KB");
  }

  /** ru_maxrss is the largest single process of the task and its waited-for children, no sum. */
  @Test
  void thePeakIsTheLargestProcessNotTheSum() throws Exception {
    String f = fixture.toString();
    Usage u = run("sh", "-c", f + " mem 60 & " + f + " mem 60 & wait; " + f + " mem 30").exit
        .usage();
    System.out.printf("usage: two children of 60 MiB and one of 30: peak %d KB%n", u.maxRssKb());
    assertTrue(Math.abs(u.maxRssKb() - 60 * 1024) <= 6 * 1024, u.toString());
  }

  /** The fixture spins until its own CPU clock reads 1 s: user time is that second. */
  @Test
  void aBusyLoopsCpuTimeIsUserTime() throws Exception {
    SpawnHelperTest.Recorder r = run(fixture.toString(), "burn", "1");
    Usage u = r.exit.usage();
    long wallMicros = (r.endNanos - r.startNanos) / 1000;
    System.out.printf("usage: burn 1 s: user %d us, system %d us, wall %d us%n", u.userMicros(),
        u.sysMicros(), wallMicros);
    assertTrue(Math.abs(u.userMicros() - 1_000_000) <= 100_000, u.toString());
    assertTrue(u.cpuMicros() >= 990_000 && u.sysMicros() < 50_000, u.toString());
    assertTrue(u.cpuMicros() <= wallMicros + 10_000, "one thread: CPU time " + u.cpuMicros()
        + " us within its wall time " + wallMicros + " us");
  }

  /** The CPU time of a shell's commands is the shell's task's: wait4 counts waited-for children. */
  @Test
  void theCpuTimeOfWaitedForChildrenCounts() throws Exception {
    String f = fixture.toString();
    Usage u = run("sh", "-c", f + " burn 0.3; " + f + " burn 0.3").exit.usage();
    System.out.printf("usage: two children of 0.3 s: user %d us%n", u.userMicros());
    assertTrue(Math.abs(u.userMicros() - 600_000) <= 60_000, u.toString());
  }

  @Test
  void aSleepingTaskUsesNoCpu() throws Exception {
    SpawnHelperTest.Recorder r = run("sleep", "1");
    Usage u = r.exit.usage();
    System.out.printf("usage: sleep 1: user %d us, system %d us, peak %d KB%n", u.userMicros(),
        u.sysMicros(), u.maxRssKb());
    assertTrue(r.endNanos - r.startNanos >= 1_000_000_000L);
    assertTrue(u.cpuMicros() < 20_000, u.toString());
  }

  /** Killed tasks are reaped by wait4 too: their usage comes with the signal. */
  @Test
  void aKilledTaskHasItsUsage() throws Exception {
    SpawnHelperTest.Recorder r = new SpawnHelperTest.Recorder();
    helper.spawn(0, List.of("sh", "-c", "kill -KILL $$"), Map.of(), Redirect.INHERIT,
        Redirect.INHERIT, r);
    helper.flush();
    assertEquals("started", r.next());
    assertEquals("ended", r.next());
    assertEquals(9, r.exit.signal());
    assertTrue(r.exit.usage().known() && r.exit.usage().maxRssKb() > 0, r.exit.toString());
  }

  /** ProcessBuilder's tasks: nothing is known, and nothing is made up. */
  @Test
  void theJdkPathReportsUsageUnknown() throws Exception {
    try (JdkSpawner jdk = new JdkSpawner(Redirect.from(new File("/dev/null")), null, 1)) {
      SpawnHelperTest.Recorder r = new SpawnHelperTest.Recorder();
      jdk.start(new Spawner.JobSpec(0, List.of("true"), Map.of(), Redirect.INHERIT,
          Redirect.INHERIT, false), r);
      assertEquals("started", r.next());
      assertEquals("ended", r.next());
      assertSame(Usage.UNKNOWN, r.exit.usage());
    }
  }
}
