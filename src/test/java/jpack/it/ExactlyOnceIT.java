package jpack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Nothing lost, nothing twice": a job-log line means the task is done and its output delivered,
 * under kill -9 at random moments and a failing stdout.
 */
@Timeout(300)
class ExactlyOnceIT {
  @TempDir Path tmp;

  /** Seqs of the job log's task lines. */
  private static Set<Long> logged(Path log) throws IOException {
    Set<Long> s = new TreeSet<>();
    if (Files.exists(log)) {
      for (String line : Files.readAllLines(log)) {
        String[] f = line.split("\t", -1);
        if (f.length == 9 && !f[0].equals("Seq")) {
          s.add(Long.parseLong(f[0]));
        }
      }
    }
    return s;
  }

  /** How often each seq's output line ("out SEQ") was printed. */
  private static Map<Long, Integer> printed(Path out) throws IOException {
    Map<Long, Integer> m = new HashMap<>();
    if (Files.exists(out)) {
      for (String line : Files.readAllLines(out)) {
        if (line.startsWith("out ")) {
          m.merge(Long.parseLong(line.substring(4).trim()), 1, Integer::sum);
        }
      }
    }
    return m;
  }

  @Test
  void keepOrderKilledAtRandomLosesNoLoggedOutput() throws Exception {
    int n = 240;
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      sb.append(i % 12 == 1 ? "0.5" : "0.01").append('\n'); // a slow one holds the blocks behind it
    }
    Path in = tmp.resolve("in");
    Files.writeString(in, sb);
    Path log = tmp.resolve("run.tsv");
    Path out = tmp.resolve("out");
    Random rnd = new Random(11);
    int kills = 0;
    int lost = 0;
    String[] argv = {Proc.JPACK, "-a", in.toString(), "-L", "1", "-P", "8", "-k", "--joblog",
        log.toString(), "--resume", "--term-grace", "1", "sh", "-c",
        "sleep $1; echo out $JPACK_SEQ # exactly-once-marker", "_"};
    for (int round = 0; round < 25 && logged(log).size() < n; round++) {
      Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(
          new java.io.File("/dev/null"))).redirectOutput(ProcessBuilder.Redirect.appendTo(
          out.toFile())).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(300 + rnd.nextInt(900), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly(); // SIGKILL
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        kills++;
      }
      assertTrue(!Proc.anyAlive("exactly-once-marker"), "a task outlived the killed jpack");
      Map<Long, Integer> seen = printed(out);
      for (long seq : logged(log)) {
        if (!seen.containsKey(seq)) {
          lost++;
        }
      }
      assertEquals(0, lost, "round " + round + ": tasks logged whose output was never printed");
    }
    Proc.Result r = Proc.run(argv, null, Map.of(), null, Duration.ofSeconds(120));
    assertEquals(0, r.code(), r.err());
    Files.write(out, r.stdout(), java.nio.file.StandardOpenOption.APPEND);
    Map<Long, Integer> seen = printed(out);
    assertEquals(n, logged(log).size());
    for (long seq = 1; seq <= n; seq++) {
      assertTrue(seen.containsKey(seq), "task " + seq + " never printed");
    }
    assertTrue(kills >= 5, "only " + kills + " rounds were killed: the test proved little");
    long twice = seen.values().stream().filter(c -> c > 1).count();
    System.out.println("ExactlyOnceIT: " + kills + " kills, 0 lost, " + twice
        + " printed twice (killed between their print and their log line, or mid-run)");
  }

  /**
   * --results FILE.tsv with --resume, killed at random moments: in the end one whole row per task
   * (a row cut by a kill is cut off; a task whose row is there gets no second one), and every
   * task the job log has has its row (the row is written before the log line).
   */
  @Test
  void aResultsTableKilledAtRandomEndsWithOneWholeRowPerTask() throws Exception {
    int n = 240;
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      sb.append(i % 6 == 1 ? "0.4" : "0.02").append('\n'); // ~2.5 s for the whole run
    }
    Path in = Files.writeString(tmp.resolve("rin"), sb);
    Path log = tmp.resolve("r.log");
    Path table = tmp.resolve("r.tsv");
    Random rnd = new Random(7);
    int kills = 0;
    String[] argv = {Proc.JPACK, "--placeholders", "-a", in.toString(), "-P", "8", "--joblog",
        log.toString(), "--resume", "--results", table.toString(), "--term-grace", "1", "sh",
        "-c", "sleep {}; printf 'out {#}' # results-once-marker"};
    for (int round = 0; round < 15 && logged(log).size() < n; round++) {
      Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(
          new java.io.File("/dev/null"))).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(150 + rnd.nextInt(600), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly(); // SIGKILL
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        kills++;
      }
      assertTrue(!Proc.anyAlive("results-once-marker"), "a task outlived the killed jpack");
      if (Files.exists(table)) {
        Set<Long> rows = new java.util.HashSet<>();
        for (String l : Files.readAllLines(table).subList(1, Files.readAllLines(table).size())) {
          rows.add(Long.parseLong(l.substring(0, l.indexOf('\t'))));
        }
        for (long seq : logged(log)) {
          assertTrue(rows.contains(seq), "round " + round + ": task " + seq + " logged, no row");
        }
      }
    }
    Proc.Result r = Proc.run(argv, null, Map.of(), null, Duration.ofSeconds(120));
    assertEquals(0, r.code(), r.err());
    List<String> lines = Files.readAllLines(table);
    int columns = lines.get(0).split("\t", -1).length;
    Map<Long, Integer> rows = new java.util.TreeMap<>();
    for (String l : lines.subList(1, lines.size())) {
      String[] f = l.split("\t", -1);
      assertEquals(columns, f.length, "a whole row: " + l);
      assertTrue(l.contains("out " + f[0]), "the row's own output: " + l);
      rows.merge(Long.parseLong(f[0]), 1, Integer::sum);
    }
    assertEquals(n, rows.size(), "a row for every task");
    rows.forEach((seq, c) -> assertEquals(1, c, "task " + seq + " has " + c + " rows"));
    assertTrue(kills >= 5, "only " + kills + " rounds were killed: the test proved little");
    System.out.println("ExactlyOnceIT results table: " + kills + " kills, " + n
        + " tasks, one whole row each");
  }

  @Test
  void aTaskWhoseOutputCannotBeWrittenIsNotLogged() throws Exception {
    Path log = tmp.resolve("full.tsv");
    Proc.Result r = Proc.run(new String[] {"sh", "-c", "printf 'a\\nb\\n' | " + Proc.JPACK
        + " -n 1 --joblog " + log + " echo > /dev/full"}, null, Map.of(), null,
        Duration.ofSeconds(60));
    assertEquals(1, r.code(), r.err());
    assertEquals(Set.of(), logged(log), "logged although its output went nowhere");
  }

  @Test
  void aTaskWithoutOutputIsLoggedAtOnceEvenBehindASlowOne() throws Exception {
    Path log = tmp.resolve("u.tsv");
    Process p = new ProcessBuilder(Proc.JPACK, "-u", "-k", "-n", "1", "-P", "2", "--joblog",
        log.toString(), "sh", "-c", "sleep $0").redirectInput(ProcessBuilder.Redirect.PIPE)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    p.getOutputStream().write("30\n0\n".getBytes());
    p.getOutputStream().close();
    try {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!logged(log).contains(2L)) {
        assertTrue(System.nanoTime() < until, "-u -k: task 2 waits for task 1 to be logged");
        Thread.sleep(20);
      }
    } finally {
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    assertEquals(List.of(2L), List.copyOf(logged(log)));
    assertTrue(new HashSet<>(logged(log)).size() == 1);
  }

  @Test
  void aTornLastLogLineIsNoTaskAndDoesNotBlockLaterResumes() throws Exception {
    Path in = tmp.resolve("in");
    Files.writeString(in, "1\n2\n3\n");
    Path log = tmp.resolve("torn.tsv");
    String[] argv = {Proc.JPACK, "-a", in.toString(), "-n", "1", "--joblog", log.toString(),
        "--resume", "echo", "out"};
    Proc.Result first = Proc.run(argv, null, Map.of(), null, Duration.ofSeconds(60));
    assertEquals(0, first.code(), first.err());
    List<String> lines = Files.readAllLines(log);
    // task 3's line torn by a crash inside its Command column: still nine fields
    String torn = lines.get(3).substring(0, lines.get(3).length() - 2);
    Files.writeString(log, String.join("\n", lines.subList(0, 3)) + "\n" + torn);
    for (int round = 0; round < 2; round++) {
      Proc.Result r = Proc.run(argv, null, Map.of(), null, Duration.ofSeconds(60));
      assertEquals(0, r.code(), "round " + round + ": " + r.err());
      assertEquals(round == 0 ? "out 3\n" : "", r.out(), "the torn task runs once, then never");
    }
    assertEquals(Set.of(1L, 2L, 3L), logged(log));
    assertEquals(4, Files.readAllLines(log).size(), "the torn piece is gone: " + Files.readString(log));
  }

  @Test
  void twoJpacksOnOneLogRefuseButShardsMayShareOne() throws Exception {
    Path in = tmp.resolve("in");
    Files.writeString(in, "1\n2\n3\n4\n");
    Path log = tmp.resolve("shared.tsv");
    Path gate = tmp.resolve("gate");
    Files.createFile(gate);
    // the first holds the log while its tasks wait for the gate to go
    String task = "while [ -e " + gate + " ]; do sleep 0.05; done # lock-marker";
    Process first = new ProcessBuilder(Proc.JPACK, "-a", in.toString(), "-n", "1", "-P", "4",
        "--joblog", log.toString(), "--resume", "sh", "-c", task)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(tmp.resolve("first.err").toFile()).start();
    try {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine()
          .map(c -> c.contains("lock-marker") && !c.contains("jpack")).orElse(false))) {
        assertTrue(System.nanoTime() < until, "the first jpack's tasks never started");
        Thread.sleep(20);
      }
      Proc.Result second = Proc.run(new String[] {Proc.JPACK, "-a", in.toString(), "-n", "1",
          "--joblog", log.toString(), "--resume", "echo", "twice"}, null, Map.of(), null,
          Duration.ofSeconds(60));
      assertEquals(1, second.code(), second.err());
      assertEquals("", second.out(), "the second ran tasks the first is running");
      assertTrue(second.err().startsWith("jpack: the job log '" + log + "' is in use by another"
          + " running jpack"), second.err());
      assertEquals(1, second.err().lines().count(), second.err());
    } finally {
      Files.deleteIfExists(gate);
      assertTrue(first.waitFor(30, TimeUnit.SECONDS));
    }
    assertEquals(0, first.exitValue(), Files.readString(tmp.resolve("first.err")));
    assertEquals(Set.of(1L, 2L, 3L, 4L), logged(log));

    // the shards of an array, at once on one log: each locks its own part
    Path shardLog = tmp.resolve("shards.tsv");
    Path gate2 = tmp.resolve("gate2");
    Files.createFile(gate2);
    String wait = "while [ -e " + gate2 + " ]; do sleep 0.05; done # shard-marker";
    Process one = new ProcessBuilder(Proc.JPACK, "--shard", "1/2", "-a", in.toString(), "-n",
        "1", "--joblog", shardLog.toString(), "--resume", "sh", "-c", wait)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(tmp.resolve("one.err").toFile()).start();
    try {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine()
          .map(c -> c.contains("shard-marker") && !c.contains("jpack")).orElse(false))) {
        assertTrue(System.nanoTime() < until, "shard 1's task never started");
        Thread.sleep(20);
      }
      Proc.Result two = Proc.run(new String[] {Proc.JPACK, "--shard", "2/2", "-a",
          in.toString(), "-n", "1", "--joblog", shardLog.toString(), "--resume", "echo", "s2"},
          null, Map.of(), null, Duration.ofSeconds(60));
      assertEquals(0, two.code(), two.err());
      assertEquals("s2 2\ns2 4\n", two.out());
    } finally {
      Files.deleteIfExists(gate2);
      assertTrue(one.waitFor(30, TimeUnit.SECONDS));
    }
    assertEquals(0, one.exitValue(), Files.readString(tmp.resolve("one.err")));
  }

  @Test
  void aShardRefusesALogAnotherShardWrote() throws Exception {
    Path in = tmp.resolve("in");
    Files.writeString(in, "1\n2\n3\n4\n");
    Path log = tmp.resolve("log.tsv");
    Proc.Result one = Proc.run(new String[] {Proc.JPACK, "--shard", "1/2", "-a", in.toString(),
        "-n", "1", "--joblog", log.toString(), "--resume", "echo"}, null, Map.of(), null,
        Duration.ofSeconds(60));
    assertEquals(0, one.code(), one.err());
    Proc.Result two = Proc.run(new String[] {Proc.JPACK, "--shard", "2/2", "-a", in.toString(),
        "-n", "1", "--joblog", log.toString(), "--resume", "echo"}, null, Map.of(), null,
        Duration.ofSeconds(60));
    assertEquals(1, two.code(), two.err());
    assertEquals("", two.out());
    assertTrue(two.err().startsWith("jpack: the job log '" + log + "' has task 1, which is not"
        + " of this run's shard 2/2"), two.err());
  }

  @Test
  void aLogTooLargeForTheHeapIsOneLineNotAStackTrace() throws Exception {
    Path log = tmp.resolve("big.tsv");
    try (var w = Files.newBufferedWriter(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
      w.write("Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n");
      for (int i = 1; i <= 3_000_000; i++) {
        w.write(i + "\t:\t1.0\t0.1\t0\t0\t0\t0\techo " + i + "\n");
      }
    }
    Proc.Result r = Proc.run(new String[] {Proc.JPACK, "--joblog", log.toString(), "--resume",
        "echo"}, null, Map.of("JPACK_JAVA_OPTS", "-Xms4m -Xmx12m"), null, Duration.ofSeconds(60));
    assertEquals(1, r.code(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("jpack: the job log '" + log + "' is too large to resume in the"
        + " Java heap"), r.err());
  }

  @Test
  void whenJpackSpawnDiesItsTasksRunAgainAndNoneIsLoggedKilled() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Proc.HOME.resolve(
        "target/jpack-spawn")) || System.getenv("JPACK_REQUIRE_SPAWN_HELPER") != null,
        "jpack-spawn is not built");
    for (String halt : new String[] {"soon,fail=1", "never"}) {
      Path log = tmp.resolve("spawn-" + halt + ".tsv");
      Path in = tmp.resolve("in1000");
      Files.writeString(in, "0.02\n".repeat(1000)); // short: they wait in jpack-spawn
      Process p = new ProcessBuilder(Proc.JPACK, "-a", in.toString(), "-n", "1", "-P", "4",
          "--halt", halt, "--joblog", log.toString(), "sleep")
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(tmp.resolve("spawn.err").toFile()).start();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      ProcessHandle helper = null;
      while (helper == null || logged(log).size() < 100) {
        assertTrue(p.isAlive(), "jpack ended before jpack-spawn could be killed");
        assertTrue(System.nanoTime() < until, "jpack-spawn never started");
        helper = p.toHandle().children().filter(c -> c.info().command()
            .map(x -> x.endsWith("jpack-spawn")).orElse(false)).findFirst().orElse(null);
        Thread.sleep(5);
      }
      helper.destroyForcibly();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      String err = Files.readString(tmp.resolve("spawn.err"));
      assertEquals(0, p.exitValue(), halt + ": " + err);
      assertEquals(1, err.lines().filter(l -> l.contains("jpack-spawn")).count(), err);
      assertTrue(err.startsWith("jpack: the spawn helper (jpack-spawn) ended unexpectedly"), err);
      List<String> lines = Files.readAllLines(log);
      assertEquals(1001, lines.size(), halt + ": every task logged once");
      assertEquals(1000, logged(log).size());
      for (String l : lines.subList(1, lines.size())) {
        assertEquals("0\t0", l.split("\t")[6] + "\t" + l.split("\t")[7], "logged: " + l);
      }
    }
  }

  @Test
  void noHostOfSeveralAnsweringLogsNothingAndExitsOne() throws Exception {
    Path down = tmp.resolve("always255");
    Files.writeString(down, "#!/bin/sh\necho \"ssh: connect to host $1: No route to host\" >&2\n"
        + "exit 255\n");
    Path up = tmp.resolve("local-ssh"); // runs the script as ssh would run it on the host
    Files.writeString(up, "#!/bin/sh\nshift\nexec sh -c \"$*\"\n");
    down.toFile().setExecutable(true);
    up.toFile().setExecutable(true);
    Path in = tmp.resolve("in");
    Files.writeString(in, "1\n2\n3\n4\n");
    Path log = tmp.resolve("hosts.tsv");
    Proc.Result r = Proc.run(new String[] {Proc.JPACK, "-a", in.toString(), "-n", "1",
        "--hosts", "h1,h2", "--launcher", down.toString(), "--joblog", log.toString(), "echo"},
        null, Map.of(), tmp.toFile(), Duration.ofSeconds(60));
    assertEquals(1, r.code(), r.err());
    assertEquals(Set.of(), logged(log), "nothing ran, so nothing is logged: " + r.err());
    assertTrue(r.err().contains("no host is left"), r.err());
    Proc.Result again = Proc.run(new String[] {Proc.JPACK, "-a", in.toString(), "-n", "1",
        "--hosts", "h1,h2", "--launcher", up.toString(), "--joblog", log.toString(), "--resume",
        "echo"}, null, Map.of(), tmp.toFile(), Duration.ofSeconds(60));
    assertEquals(0, again.code(), again.err());
    assertEquals(List.of("1", "2", "3", "4"), Proc.sortedLines(again.out()));
  }

  /**
   * The batch system stops a job by signalling every process in it (scancel, a time limit,
   * preemption): the tasks die of TERM a moment before jpack handles its own. They were stopped,
   * not failed: none is logged, and a resume runs them.
   */
  @Test
  void tasksKilledWithJpackByTheSchedulerAreNotLoggedAsFailed() throws Exception {
    Path in = tmp.resolve("in");
    Files.writeString(in, "1\n2\n3\n4\n5\n6\n7\n8\n");
    Path log = tmp.resolve("sched.tsv");
    String marker = "sched-marker-" + ProcessHandle.current().pid();
    for (int round = 0; round < 4; round++) {
      Process p = new ProcessBuilder(Proc.JPACK, "-a", in.toString(), "-n", "1", "-P", "4",
          "--joblog", log.toString(), "--resume", "sh", "-c", "sleep 30; : " + marker)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(tmp.resolve("sched.err").toFile()).start();
      List<Long> tasks;
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        tasks = ProcessHandle.allProcesses().filter(h -> h.info().commandLine()
            .map(c -> c.contains(" -c sleep 30; : " + marker) && !c.contains("jpack"))
            .orElse(false))
            .map(ProcessHandle::pid).toList();
        if (tasks.size() == 4) {
          break;
        }
        assertTrue(System.nanoTime() < until, "4 tasks never ran: " + tasks);
        Thread.sleep(20);
      }
      List<String> kill = new java.util.ArrayList<>(List.of("kill", "-TERM"));
      tasks.forEach(pid -> kill.add(Long.toString(pid)));
      kill.add(Long.toString(p.pid())); // every process of the job, jpack last
      assertEquals(0, new ProcessBuilder(kill).start().waitFor());
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      String err = Files.readString(tmp.resolve("sched.err"));
      assertEquals(143, p.exitValue(), err);
      assertEquals(Set.of(), logged(log), "round " + round + ": stopped tasks logged: "
          + Files.readString(log));
      assertTrue(!err.contains("terminated by signal"), err);
    }
    Proc.Result r = Proc.run(new String[] {Proc.JPACK, "-a", in.toString(), "-n", "1", "-P",
        "4", "--joblog", log.toString(), "--resume", "echo"}, null, Map.of(), null,
        Duration.ofSeconds(60));
    assertEquals(0, r.code(), r.err());
    assertEquals(8, r.out().lines().count(), "the resume runs every task");
  }

  @Test
  void aTaskThatDiesOfTermAloneStillCountsAsKilledBySignal() throws Exception {
    Proc.Result r = Proc.run(new String[] {Proc.JPACK, "-n", "1", "--joblog",
        tmp.resolve("alone.tsv").toString(), "sh", "-c", "kill -TERM $$"}, "x\n".getBytes(),
        Map.of(), null, Duration.ofSeconds(60));
    assertEquals(125, r.code(), r.err());
    assertTrue(r.err().contains("terminated by signal 15"), r.err());
    assertEquals(Set.of(1L), logged(tmp.resolve("alone.tsv")));
  }

  @Test
  void aTaskThatExitsWithA128PlusStatusIsAnExitStatusNotASignal() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= 20; i++) {
      sb.append(i).append('\n');
    }
    // with a job log jpack-spawn starts every task (it knows the wait status exactly)
    Proc.Result r = Proc.run(new String[] {Proc.JPACK, "-P", "1", "-n", "1", "--joblog",
        tmp.resolve("exits.tsv").toString(), "sh", "-c",
        "[ $0 = 15 ] && exit 137; [ $0 = 16 ] && exit 130; exit 0"}, sb.toString().getBytes(),
        Map.of(), null, Duration.ofSeconds(60));
    assertEquals(123, r.code(), r.err());
    assertTrue(!r.err().contains("signal"), r.err());
    assertTrue(r.err().contains("18 done, 2 failed"), r.err());
  }

  /** jpack stopped (SIGSTOP, a starved node) past a task's --timeout while the task ends. */
  @Test
  void aTaskThatEndedByItselfWhileJpackWasStoppedIsNotTimedOut() throws Exception {
    int wrong = 0;
    for (int round = 0; round < 4; round++) {
      Path log = tmp.resolve("late-" + round + ".tsv");
      Path started = tmp.resolve("started-" + round);
      Process p = new ProcessBuilder(Proc.JPACK, "-n", "1", "--timeout", "1s", "--joblog",
          log.toString(), "sh", "-c", "touch " + started + "; sleep 0.3; echo done")
          .redirectInput(ProcessBuilder.Redirect.PIPE)
          .redirectOutput(tmp.resolve("late.out").toFile())
          .redirectError(tmp.resolve("late.err").toFile()).start();
      p.getOutputStream().write("x\n".getBytes());
      p.getOutputStream().close();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.exists(started)) {
        assertTrue(System.nanoTime() < until, "the task never started");
        Thread.sleep(5);
      }
      assertEquals(0, new ProcessBuilder("kill", "-STOP", Long.toString(p.pid())).start()
          .waitFor());
      Thread.sleep(2000); // the task ends meanwhile, and its limit passes: nothing to await
      assertEquals(0, new ProcessBuilder("kill", "-CONT", Long.toString(p.pid())).start()
          .waitFor());
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      String err = Files.readString(tmp.resolve("late.err"));
      String line = Files.readAllLines(log).get(1);
      if (p.exitValue() != 0 || err.contains("timed out") || !line.split("\t")[6].equals("0")) {
        wrong++;
      }
      assertEquals("done\n", Files.readString(tmp.resolve("late.out")));
    }
    assertEquals(0, wrong, "rounds with a task that exited 0 logged as timed out");
  }

  @Test
  void lineBufferAtAHighPUnderALowFileLimitRunsFewerAtOnceAndLosesNothing() throws Exception {
    Path in = tmp.resolve("in1500");
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= 1500; i++) {
      sb.append(i).append('\n');
    }
    Files.writeString(in, sb);
    Proc.Result r = Proc.run(new String[] {"sh", "-c", "ulimit -n 1024; exec " + Proc.JPACK
        + " --line-buffer -P 700 -n 1 -a " + in + " sh -c 'sleep 1; echo $0'"}, null, Map.of(),
        null,
        Duration.ofSeconds(120));
    assertEquals(0, r.code(), r.err().lines().limit(5).toList().toString());
    assertEquals(1500, r.out().lines().count());
    assertEquals(1, r.err().lines().count(), r.err().lines().limit(5).toList().toString());
    assertTrue(r.err().startsWith("jpack: warning: 700 tasks at once would need 2 open files"
        + " each, over the limit of 1024 (ulimit -n): running "), r.err());
  }

  /**
   * A finished task's background child writes later, while the next task of its slot runs: that
   * output is never printed, counted or logged as the next task's (through jpack-spawn, and
   * through the JVM).
   */
  @Test
  void lateOutputOfAFinishedTasksChildIsNeverAnotherTasks() throws Exception {
    for (String helper : new String[] {"", "off"}) {
      Proc.Result r = Proc.run(new String[] {Proc.JPACK, "-P", "1", "-n", "1", "--tag",
          "--joblog", tmp.resolve("late" + helper + ".tsv").toString(), "sh", "-c",
          "if [ $0 = 8 ]; then (sleep 0.3; echo LATE from 8) & fi; echo task $0;"
          + " [ $0 = 9 ] && sleep 1; true"}, "1 2 3 4 5 6 7 8 9 10 11 12\n".getBytes(),
          helper.isEmpty() ? Map.of() : Map.of("JPACK_SPAWN_HELPER", helper), null,
          Duration.ofSeconds(60));
      assertEquals(0, r.code(), r.err());
      for (String line : r.out().split("\n")) {
        assertTrue(!line.contains("LATE") || line.startsWith("8\t"), "helper " + helper
            + ": task 8's late output attributed to another task: " + line);
      }
      for (String line : Files.readAllLines(tmp.resolve("late" + helper + ".tsv"))) {
        if (line.startsWith("9\t")) {
          assertEquals("7", line.split("\t")[5], "task 9's Receive counts only its own bytes");
        }
      }
    }
  }
}
