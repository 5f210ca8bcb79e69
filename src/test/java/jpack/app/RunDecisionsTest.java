package jpack.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import jpack.app.FakeSpawner.CannotStart;
import jpack.app.FakeSpawner.Dies;
import jpack.app.FakeSpawner.Fate;
import jpack.app.FakeSpawner.Hangs;
import jpack.cli.Cli;
import jpack.config.RunConfig;
import jpack.exec.LaunchException;
import jpack.exec.Spawner.JobSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The run's decisions — retries, --halt, a host whose launches fail, a task that cannot start,
 * xargs' exit rules, the deadline, the ramp-up — with a fake spawner: no process, milliseconds
 * each (the deadline's and the ramp-up's seconds aside).
 */
@Timeout(20)
class RunDecisionsTest {
  /** One run's result. */
  record Result(int code, String out, String err, List<FakeSpawner.Start> starts, int most) {
    /** The last word of each started command (the item with -n 1), in start order. */
    List<String> items() {
      return starts.stream().map(FakeSpawner.Start::last).collect(Collectors.toList());
    }
  }

  private static Result run(String input, Function<JobSpec, Fate> script, String... args)
      throws Exception {
    List<String> warnings = new ArrayList<>();
    RunConfig cfg = Cli.config(List.of(args), Map.of(), warnings::add);
    FakeSpawner fake = new FakeSpawner(script);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Runner r = new Runner(cfg, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        Channels.newChannel(out), Channels.newChannel(err), fake);
    int code = r.run();
    return new Result(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8), fake.starts(), fake.mostAtOnce());
  }

  private static String seq(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      b.append(i).append('\n');
    }
    return b.toString();
  }

  private static String item(JobSpec s) {
    return s.argv().get(s.argv().size() - 1);
  }

  @Test
  void everyCommandStartsOnceAndTheLimitHolds() throws Exception {
    Result r = run(seq(50), s -> FakeSpawner.exits(0), "-n", "1", "-P", "3", "true");
    assertEquals(0, r.code(), r.err());
    assertEquals(50, r.starts().size());
    assertEquals(50, r.items().stream().distinct().count());
    assertTrue(r.most() <= 3, "at most 3 at once: " + r.most());
  }

  @Test
  void hangingTasksNeverExceedTheLimitAndHaltNowStopsThem() throws Exception {
    // task 2 fails; the others run until stopped: --halt now stops the running ones
    Result r = run(seq(20), s -> item(s).equals("2") ? FakeSpawner.exits(1) : new Hangs(),
        "-n", "1", "-P", "4", "--halt", "now,fail=1", "--term-grace", "1", "true");
    assertTrue(r.most() <= 4, "at most 4 at once: " + r.most());
    // the reader hands over commands one event at a time: 3 and 4 may come after 2's end
    List<String> started = r.items();
    assertEquals(List.of("1", "2", "3", "4").subList(0, started.size()), started,
        "nothing starts after the halt");
    assertTrue(r.err().contains("--halt now: 1 failed"), r.err());
    assertEquals(123, r.code(), r.err());
  }

  @Test
  void retriesRunAFailingTaskAgainThenItsStatusStands() throws Exception {
    AtomicInteger tries = new AtomicInteger();
    Result r = run("a\nb\n", s -> item(s).equals("a") && tries.incrementAndGet() < 3
        ? FakeSpawner.exits(1) : FakeSpawner.exits(0), "-n", "1", "-P", "1", "--retries", "2",
        "true");
    assertEquals(List.of("a", "a", "a", "b"), r.items());
    assertEquals(0, r.code(), r.err());

    Result always = run("a\n", s -> FakeSpawner.exits(3), "-n", "1", "--retries", "2", "true");
    assertEquals(3, always.starts().size());
    assertEquals(123, always.code());
  }

  @Test
  void haltSoonStartsNothingMoreAfterTheFailure() throws Exception {
    Result r = run(seq(10), s -> item(s).equals("3") ? FakeSpawner.exits(1)
        : FakeSpawner.exits(0), "-n", "1", "-P", "1", "--halt", "soon,fail=1", "true");
    assertEquals(List.of("1", "2", "3"), r.items());
    assertEquals(123, r.code());
  }

  @Test
  void xargsRulesExit255AndASignalStopTheRun() throws Exception {
    Result e255 = run(seq(10), s -> item(s).equals("2") ? FakeSpawner.exits(255)
        : FakeSpawner.exits(0), "-n", "1", "-P", "1", "true");
    assertEquals(List.of("1", "2"), e255.items());
    assertEquals(124, e255.code());
    // a death by a signal jpack did not send, other than the job-stopping ones: exit 125
    Result sig = run(seq(10), s -> item(s).equals("2") ? new Dies(11) : FakeSpawner.exits(0),
        "-n", "1", "-P", "1", "true");
    assertEquals(List.of("1", "2"), sig.items());
    assertEquals(125, sig.code());
    assertTrue(sig.err().contains("terminated by signal 11"), sig.err());
    // exiting 130 is an exit status, not a signal (issue 16's bug)
    Result exit130 = run(seq(5), s -> item(s).equals("2") ? FakeSpawner.exits(130)
        : FakeSpawner.exits(0), "-n", "1", "-P", "1", "true");
    assertEquals(5, exit130.starts().size());
    assertEquals(123, exit130.code());
  }

  @Test
  void aCommandThatCannotStartStopsTheRunWith127() throws Exception {
    Result r = run(seq(10), s -> item(s).equals("3")
        ? new CannotStart(LaunchException.Kind.NOT_FOUND) : FakeSpawner.exits(0),
        "-n", "1", "-P", "1", "nosuch");
    assertEquals(List.of("1", "2", "3"), r.items());
    assertEquals(127, r.code());
    assertTrue(r.err().contains("nosuch: cannot start"), r.err());
  }

  @Test
  void aHostWhoseLaunchesFailIsDroppedAndItsTasksRunElsewhere() throws Exception {
    // a launcher template: exit 255 on host "bad" means the launch failed there
    Map<String, Integer> onHost = new ConcurrentHashMap<>();
    Result r = run(seq(12), s -> {
      String host = s.argv().get(1);
      onHost.merge(host + ":" + s.env().get("JPACK_SEQ"), 1, Integer::sum);
      return host.equals("bad") ? FakeSpawner.exits(255) : FakeSpawner.exits(0);
    }, "-n", "1", "--hosts", "bad:1,good:1", "--launcher", "fakessh {host}", "true");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("dropping host bad"), r.err() + onHost.keySet());
    for (int i = 1; i <= 12; i++) {
      assertEquals(1, onHost.getOrDefault("good:" + i, 0), "task " + i + " ran once on good");
    }
  }

  @Test
  void noHostAnsweringLogsNothingAndExitsOne() throws Exception {
    Result r = run(seq(4), s -> FakeSpawner.exits(255),
        "-n", "1", "--hosts", "a:1,b:1", "--launcher", "fakessh {host}", "true");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("no host is left"), r.err());
  }

  @Test
  void theDeadlineStopsHangingTasksAndAsksToBeRunAgain() throws Exception {
    // --deadline 4s with a 1 s grace: the running tasks are stopped after ~1 s
    Result r = run(seq(6), s -> item(s).equals("1") ? FakeSpawner.exits(0) : new Hangs(),
        "-n", "1", "-P", "2", "--term-grace", "1", "--deadline", "4s", "true");
    assertEquals(75, r.code(), r.err());
    assertTrue(r.err().contains("the deadline is near"), r.err());
    assertTrue(r.starts().size() < 6, "tasks that wait stay for --resume: " + r.items());
  }

  @Test
  void nothingFinishedBeforeTheDeadlineExitsOne() throws Exception {
    Result r = run(seq(3), s -> new Hangs(),
        "-n", "1", "-P", "2", "--term-grace", "1", "--deadline", "4s", "true");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("nothing finished before the deadline"), r.err());
  }

  @Test
  void withoutMinusPTheFirstTaskRunsAloneForASecond() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() > 1,
        "one CPU: -P defaults to 1, nothing to ramp up");
    Result r = run(seq(4), s -> item(s).equals("1") ? new Hangs() : FakeSpawner.exits(0),
        "-n", "1", "--timeout", "3", "--term-grace", "1", "true");
    List<FakeSpawner.Start> s = r.starts();
    assertTrue(s.size() >= 2, r.items().toString());
    long gap = s.get(1).nanos() - s.get(0).nanos();
    assertTrue(gap >= 900_000_000L, "the second start waits for the ramp-up: " + gap / 1e6
        + " ms");
  }
}
