package jpack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Job log, resume, retries, timeouts, halting, signals and deadlines, on real processes. */
@Timeout(180)
class RestartIT {
  @TempDir Path tmp;

  private Path items(int n) throws IOException {
    Path f = tmp.resolve("items");
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      sb.append(i).append('\n');
    }
    Files.writeString(f, sb);
    return f;
  }

  /** Starts jpack in the background (the test stops it); stdout and stderr go to files. */
  private Process startJpack(String... args) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(Proc.prepend(Proc.JPACK, args));
    pb.environment().put("TMPDIR", Files.createDirectories(tmp.resolve("spool")).toString());
    return pb.directory(tmp.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(tmp.resolve("bg.out").toFile())
        .redirectError(tmp.resolve("bg.err").toFile()).start();
  }

  private Proc.Result jpack(String... args) throws Exception {
    return Proc.run(Proc.prepend(Proc.JPACK, args), null, Map.of(), tmp.toFile(),
        Duration.ofSeconds(120));
  }

  /** jpack's spool directory goes with it, also when it was killed (by its watchdog then). */
  private static void awaitEmpty(Path dir) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try (var left = Files.list(dir)) {
        List<Path> l = left.toList();
        if (l.isEmpty()) {
          return;
        }
        if (System.nanoTime() > until) {
          throw new AssertionError("left in $TMPDIR: " + l);
        }
      }
      Thread.sleep(50);
    }
  }

  private static long lines(Path f) throws IOException {
    return Files.exists(f) ? Files.readAllLines(f).size() : 0;
  }

  /** Waits (polling) until the file has at least n lines. */
  private static void awaitLines(Path f, long n) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (lines(f) < n) {
      assertTrue(System.nanoTime() < until, "timed out waiting for " + n + " lines in " + f);
      Thread.sleep(20);
    }
  }


  private static Map<String, Integer> counts(Path f) throws IOException {
    Map<String, Integer> m = new TreeMap<>();
    for (String l : Files.readAllLines(f)) {
      m.merge(l, 1, Integer::sum);
    }
    return m;
  }

  /** Every line of a job log after the header has nine TAB-separated fields. */
  private static List<String[]> logLines(Path log) throws IOException {
    List<String> all = Files.readAllLines(log);
    assertEquals("Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand",
        all.get(0));
    List<String[]> out = new ArrayList<>();
    for (String l : all.subList(1, all.size())) {
      String[] f = l.split("\t", -1);
      assertEquals(9, f.length, l);
      out.add(f);
    }
    return out;
  }

  private void stopMidRunThenResume(String signal, int expectedCode) throws Exception {
    Path in = items(24);
    Path done = tmp.resolve("done");
    Path log = tmp.resolve("run.tsv");
    Path starts = tmp.resolve("starts");
    String task = "echo $0 >> " + starts + "; sleep 0.5; echo $0 >> " + done + " # " + signal
        + "-marker";
    Process p = startJpack("-a", in.toString(), "-n", "1", "-P", "4", "--joblog",
        log.toString(), "--term-grace", "1", "sh", "-c", task);
    // The 12th start means jpack has taken in (and logged) 8 ends: stop it in the middle of the
    // third wave, not at the moment a task writes its result (a task killed between its last
    // write and its exit runs again on resume: at-least-once, as with any runner).
    awaitLines(starts, 12);
    new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(expectedCode, p.exitValue());
    assertTrue(!Proc.anyAlive(signal + "-marker"), "a task outlived jpack");
    awaitEmpty(tmp.resolve("spool"));
    Map<String, Integer> before = counts(done);
    long logged = logLines(log).size();
    assertTrue(logged >= 8 && logged < 24, "logged " + logged);

    Proc.Result r = jpack("-a", in.toString(), "-n", "1", "-P", "4", "--joblog",
        log.toString(), "--resume", "sh", "-c", task);
    assertEquals(0, r.code(), r.err());
    Map<String, Integer> after = counts(done);
    assertEquals(24, after.size());
    for (var e : after.entrySet()) {
      assertEquals(1, e.getValue(), "task " + e.getKey() + " ran " + e.getValue() + " times");
    }
    assertTrue(after.keySet().containsAll(before.keySet()));
    assertEquals(24, logLines(log).size());
  }

  @Test
  void termMidRunThenResumeRunsEveryTaskExactlyOnce() throws Exception {
    stopMidRunThenResume("TERM", 143);
  }

  @Test
  void killMidRunThenResumeRunsEveryTaskExactlyOnce() throws Exception {
    stopMidRunThenResume("KILL", 137);
  }

  @Test
  void termReachesEveryTaskAtOnceAndNoGrandchildSurvives() throws Exception {
    Path trapped = tmp.resolve("trapped");
    Path started = tmp.resolve("started");
    String task = "trap 'echo $0 >> " + trapped + "; exit 3' TERM; echo $0 >> " + started
        + "; sleep 4321 & wait";
    Process p = startJpack("-a", items(8).toString(), "-n", "1", "-P", "3", "--term-grace", "5",
        "sh", "-c", task);
    awaitLines(started, 3);
    new ProcessBuilder("kill", "-TERM", String.valueOf(p.pid())).start().waitFor();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(143, p.exitValue());
    assertEquals(3, lines(trapped), "every running task got TERM");
    assertTrue(!Proc.anyAlive("sleep 4321"), "a grandchild outlived jpack");
  }

  @Test
  void resumeFailedRerunsOnlyFailures() throws Exception {
    Path in = items(6);
    Path ran = tmp.resolve("ran");
    Path log = tmp.resolve("run.tsv");
    String task = "echo $0 >> " + ran + "; [ -e " + tmp.resolve("fixed") + " ] || [ $0 != 4 ]";
    assertEquals(123, jpack("-a", in.toString(), "-n", "1", "-P", "2", "--joblog",
        log.toString(), "sh", "-c", task).code());
    Files.writeString(tmp.resolve("fixed"), "");
    Files.delete(ran);
    assertEquals(123, jpack("-a", in.toString(), "-n", "1", "--joblog", log.toString(),
        "--resume", "sh", "-c", task).code(), "it skips task 4, whose failure still stands");
    assertEquals(0, lines(ran), "--resume skips failed tasks too");
    assertEquals(0, jpack("-a", in.toString(), "-n", "1", "--joblog", log.toString(),
        "--resume-failed", "sh", "-c", task).code());
    assertEquals(List.of("4"), Files.readAllLines(ran));
  }

  @Test
  void changedInputIsRefusedUnlessForced() throws Exception {
    Path in = items(5);
    Path log = tmp.resolve("run.tsv");
    assertEquals(0, jpack("-a", in.toString(), "-n", "1", "--joblog", log.toString(),
        "echo").code());
    Files.writeString(in, "0\n1\n2\n3\n4\n5\n6\n");
    Proc.Result r = jpack("-a", in.toString(), "-n", "1", "--joblog", log.toString(),
        "--resume", "echo");
    assertEquals(1, r.code());
    assertEquals("", r.out(), "nothing may run");
    assertTrue(r.err().startsWith("jpack: task 1 in the job log"), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    Proc.Result forced = jpack("-a", in.toString(), "-n", "1", "--joblog", log.toString(),
        "--resume", "--force-resume", "echo");
    assertEquals(0, forced.code());
    assertEquals("5\n6\n", forced.out());
  }

  @Test
  void retriesRunAFailedTaskAgainAndLogTheLastAttempt() throws Exception {
    Path log = tmp.resolve("run.tsv");
    // Each task fails on its first two attempts, then succeeds.
    String task = "n=$(cat " + tmp + "/c$0 2>/dev/null || echo 0); echo $((n+1)) > " + tmp
        + "/c$0; [ $n -ge 2 ]";
    Proc.Result r = jpack("-a", items(3).toString(), "-n", "1", "--retries", "2", "--joblog",
        log.toString(), "sh", "-c", task);
    assertEquals(0, r.code(), r.err());
    List<String[]> lines = logLines(log);
    assertEquals(3, lines.size());
    for (String[] f : lines) {
      assertEquals("0", f[6]);
    }
    assertEquals(1, jpack("-a", items(1).toString(), "--retries", "1", "false").code() == 123
        ? 1 : 0);
  }

  @Test
  void timeoutStopsTheWholeTreeAndTheLogShowsTheSignal() throws Exception {
    Path log = tmp.resolve("run.tsv");
    Proc.Result r = jpack("-a", items(2).toString(), "-n", "1", "-P", "2", "--timeout", "1s",
        "--term-grace", "1", "--joblog", log.toString(), "sh", "-c",
        "[ $0 = 1 ] && exit 0; sleep 5432 & wait");
    assertEquals(123, r.code(), r.err());
    assertTrue(r.err().contains("timed out"), r.err());
    Map<String, String[]> bySeq = new HashMap<>();
    for (String[] f : logLines(log)) {
      bySeq.put(f[0], f);
    }
    assertEquals("0", bySeq.get("1")[6]);
    assertEquals("-1", bySeq.get("2")[6]);
    assertEquals("15", bySeq.get("2")[7]);
    assertTrue(!Proc.anyAlive("sleep 5432"), "the timed-out task's child survived");
  }

  @Test
  void haltSoonStartsNothingMoreAfterAFailure() throws Exception {
    Path ran = tmp.resolve("ran");
    Proc.Result r = jpack("-a", items(20).toString(), "-n", "1", "-P", "1", "--halt",
        "soon,fail=1", "sh", "-c", "echo $0 >> " + ran + "; [ $0 != 3 ]");
    assertEquals(123, r.code());
    assertEquals(List.of("1", "2", "3"), Files.readAllLines(ran));
    assertTrue(r.err().matches("(?s).*jpack: 2 done, 1 failed, 0 killed, \\d+\\+? skipped.*"), r.err());
  }

  @Test
  void haltNeverRunsOnAfterExit255() throws Exception {
    Proc.Result r = jpack("-a", items(4).toString(), "-n", "1", "-P", "1", "--halt", "never",
        "sh", "-c", "echo $0; [ $0 != 2 ] || exit 255");
    assertEquals(124, r.code());
    assertEquals("1\n2\n3\n4\n", r.out());
  }

  @Test
  void deadlineLoopFinishesEveryTaskExactlyOnce() throws Exception {
    Path done = tmp.resolve("done");
    Path log = tmp.resolve("run.tsv");
    Path in = items(30);
    // The job-script loop: run until jpack no longer says "incomplete" (75).
    String loop = "n=0; while :; do n=$((n+1)); " + Proc.JPACK + " -a " + in + " -n 1 -P 3"
        + " --joblog " + log + " --resume --term-grace 1 --deadline 4s sh -c 'sleep 0.5; echo $0"
        + " >> " + done + "'; rc=$?; [ $rc -eq 75 ] || break; done; echo \"runs=$n rc=$rc\"";
    Proc.Result r = Proc.run(new String[] {"sh", "-c", loop}, null, Map.of(), tmp.toFile(),
        Duration.ofSeconds(150));
    assertTrue(r.out().contains("rc=0"), r.out() + r.err());
    int runs = Integer.parseInt(r.out().replaceAll("(?s).*runs=(\\d+).*", "$1"));
    assertTrue(runs >= 2, "the deadline never stopped a run: " + r.out());
    Map<String, Integer> c = counts(done);
    assertEquals(30, c.size());
    assertEquals(List.of(1), c.values().stream().distinct().collect(Collectors.toList()));
  }

  @Test
  void slurmEndTimeIsTheDefaultDeadline() throws Exception {
    long end = Instant.now().plusSeconds(6).getEpochSecond(); // some tasks finish first
    Proc.Result r = Proc.run(Proc.prepend(Proc.JPACK, "-a", items(40).toString(), "-n", "1",
        "-P", "2", "--term-grace", "1", "sleep", "0.3"), null,
        Map.of("SLURM_JOB_END_TIME", String.valueOf(end), "SLURM_JOB_ID", "1"), tmp.toFile(),
        Duration.ofSeconds(60));
    assertEquals(75, r.code(), r.err());
    assertTrue(r.err().contains("deadline"), r.err());
  }

  @Test
  void summaryOnFailureOnlyUnlessAsked() throws Exception {
    assertEquals("", jpack("-a", items(2).toString(), "true").err());
    assertTrue(jpack("-a", items(2).toString(), "--summary", "true").err()
        .matches("jpack: 1 done, 0 failed, 0 killed, 0 skipped, [0-9.]+ s elapsed; exit 0:"
            + " every task exited 0\n"));
    assertTrue(jpack("-a", items(2).toString(), "-n", "1", "false").err()
        .startsWith("jpack: 0 done, 2 failed"));
  }
}
