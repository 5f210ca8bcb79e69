package jpack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing left running (issue 15): nested runs, tasks that fork in a loop and ignore TERM, and
 * processes that drop the run's mark, after jpack is killed outright and after a normal end.
 */
@Timeout(300)
class SweepIT {
  @TempDir Path tmp;

  /** The mark a launcher whose shell has this pid gave its run: pid and start time. */
  static String markOf(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return pid + "." + f[19];
  }

  /** The pids of processes whose JPACK_RUN has mark as an element. */
  static List<Long> marked(String mark) {
    List<Long> pids = new ArrayList<>();
    try (var dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path d : dirs) {
        byte[] env;
        try {
          env = Files.readAllBytes(d.resolve("environ"));
        } catch (IOException e) {
          continue; // gone, or a kernel thread
        }
        for (String v : new String(env, StandardCharsets.ISO_8859_1).split("\0")) {
          if (v.startsWith("JPACK_RUN=")
              && Arrays.asList(v.substring(10).split(",")).contains(mark)) {
            pids.add(Long.parseLong(d.getFileName().toString()));
          }
        }
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return pids;
  }

  /** The command line of a live process, or null. */
  static String commandOf(long pid) {
    try {
      byte[] b = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
      return b.length == 0 ? null : new String(b, StandardCharsets.ISO_8859_1).replace('\0', ' ');
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Waits (polling /proc) until no process carries the mark; if some still do after the limit,
   * kills them (this test started them) and fails, naming them.
   */
  static void awaitNoneMarked(String mark, long seconds, String what) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Long> left;
    while (!(left = marked(mark)).isEmpty()) {
      if (System.nanoTime() > until) {
        List<String> cmds = new ArrayList<>();
        for (long p : left) {
          cmds.add(p + " " + commandOf(p));
        }
        killAll(left);
        throw new AssertionError(what + ": " + left.size() + " processes with mark " + mark
            + " left after " + seconds + " s: " + cmds);
      }
      Thread.sleep(50);
    }
  }

  /** Waits until no process of pids runs a command containing marker; as above on timeout. */
  static void awaitGone(List<Long> pids, String marker, long seconds, String what)
      throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      List<Long> left = new ArrayList<>();
      for (long p : pids) {
        String c = commandOf(p);
        if (c != null && c.contains(marker)) {
          left.add(p);
        }
      }
      if (left.isEmpty()) {
        return;
      }
      if (System.nanoTime() > until) {
        killAll(left);
        throw new AssertionError(what + ": " + left.size() + " of " + pids.size()
            + " still running after " + seconds + " s: " + left);
      }
      Thread.sleep(50);
    }
  }

  static void killAll(List<Long> pids) {
    for (long p : pids) {
      ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private Path items(String name, int n) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      sb.append(i).append('\n');
    }
    return Files.writeString(tmp.resolve(name), sb);
  }

  private Process start(java.util.Map<String, String> env, String... args) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(Proc.prepend(Proc.JPACK, args)).directory(tmp.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(tmp.resolve("err").toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  private List<String> awaitLines(Path f, int n) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      List<String> l = Files.exists(f) ? Files.readAllLines(f) : List.of();
      if (l.size() >= n) {
        return l;
      }
      if (System.nanoTime() > until) {
        Path err = tmp.resolve("err");
        throw new AssertionError("timed out waiting for " + n + " lines in " + f + " (" + l.size()
            + "); jpack's stderr: " + (Files.exists(err) ? Files.readString(err) : ""));
      }
      Thread.sleep(20);
    }
  }

  /**
   * jpack runs jpack, depth levels deep (two tasks at every level but the outermost, which has
   * outerTasks), the innermost tasks sleep; the outermost is killed with SIGKILL: every process
   * of every level goes.
   */
  private void nestedRunsGoWithTheOuterKill(int depth, int outerTasks, String foreignMark)
      throws Exception {
    Path started = tmp.resolve("started");
    Path two = items("two", 2);
    Path level = Files.writeString(tmp.resolve("level.sh"), String.join("\n",
        "d=$1",
        "[ \"$d\" -eq 0 ] && { echo $$ >> " + started + "; exec sleep 4321; }",
        "exec " + Proc.JPACK + " -n 1 -P 2 --term-grace 1 -a " + two + " sh " + tmp.resolve(
            "level.sh") + " $((d-1))", ""));
    Process p = start(foreignMark == null ? java.util.Map.of()
        : java.util.Map.of("JPACK_RUN", foreignMark), "-n", "1", "-P", "2", "--term-grace", "1",
        "-a", items("outer", outerTasks).toString(), "sh", level.toString(),
        String.valueOf(depth - 1));
    String mark = markOf(p.pid());
    int leaves = outerTasks * (1 << (depth - 1));
    awaitLines(started, leaves);
    List<Long> before = marked(mark);
    assertTrue(before.size() >= leaves + depth, "processes with the mark: " + before);
    p.destroyForcibly(); // SIGKILL
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    awaitNoneMarked(mark, 20, depth + " levels of jpack, the outermost killed");
  }

  @Test
  void twoLevelsOfNestedJpackAllGoWhenTheOuterIsKilled() throws Exception {
    nestedRunsGoWithTheOuterKill(2, 2, null);
  }

  /** The outer run is itself a task of another (its mark is in the middle: X,A,B,C). */
  @Test
  void threeLevelsOfNestedJpackAllGoWhenTheOuterIsKilled() throws Exception {
    nestedRunsGoWithTheOuterKill(3, 1, "elsewhere.1");
  }

  /** A task that ignores TERM and forks all the time; the previous child is killed each time. */
  private static final String FORK_LOOP = "trap '' TERM; while :; do sleep 4322 & kill -9 $p"
      + " 2>/dev/null; p=$!; done";

  /** Scripted rounds: kill -9 at a random moment while every task forks in a loop. */
  @Test
  void forkingTasksThatIgnoreTermAreAllGoneAfterJpackIsKilled() throws Exception {
    Random rnd = new Random(15);
    int rounds = 8;
    int clean = 0;
    List<String> failures = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      Path started = tmp.resolve("started" + round);
      Process p = start(java.util.Map.of(), "-n", "1", "-P", "2", "--term-grace", "1", "-a",
          items("two", 2).toString(), "sh", "-c", "echo $0 >> " + started + "; " + FORK_LOOP);
      String mark = markOf(p.pid());
      awaitLines(started, 2);
      Thread.sleep(rnd.nextInt(500)); // a random moment of the loops: not a synchronisation
      p.destroyForcibly();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      try {
        awaitNoneMarked(mark, 15, "round " + round);
        clean++;
      } catch (AssertionError e) {
        failures.add(e.getMessage());
      }
    }
    System.out.println("SweepIT kill -9 of fork loops: " + clean + " of " + rounds
        + " rounds left nothing");
    assertEquals(rounds, clean, String.join("\n", failures));
  }

  /** Normal ends, several runs: the tasks leave a fork loop behind in the background. */
  @Test
  void forkingLeftoversThatIgnoreTermAreAllGoneAfterANormalEnd() throws Exception {
    int rounds = 4;
    int clean = 0;
    List<String> failures = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      Path marks = tmp.resolve("marks" + round);
      Process p = start(java.util.Map.of(), "-n", "1", "-P", "2", "-a",
          items("two", 2).toString(), "sh", "-c", "echo $JPACK_RUN >> " + marks + "; ("
              + FORK_LOOP + ") >/dev/null 2>&1 &");
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("err")));
      String runs = awaitLines(marks, 2).get(0);
      String mark = runs.substring(runs.lastIndexOf(',') + 1);
      try {
        awaitNoneMarked(mark, 15, "round " + round);
        clean++;
      } catch (AssertionError e) {
        failures.add(e.getMessage());
      }
    }
    System.out.println("SweepIT normal end with fork loops left behind: " + clean + " of "
        + rounds + " rounds left nothing");
    assertEquals(rounds, clean, String.join("\n", failures));
  }

  /**
   * A task line "seq comm pid..." (the task's parent's name, then pids it left): the pids of
   * tasks jpack-spawn started; the others' go to others (started by the JVM: nothing adopts
   * their orphans).
   */
  private static List<Long> escapedFromHelperTasks(List<String> lines, List<Long> others) {
    List<Long> viaHelper = new ArrayList<>();
    for (String l : lines) {
      String[] f = l.trim().split(" ");
      for (int i = 2; i < f.length; i++) {
        (f[1].equals("jpack-spawn") ? viaHelper : others).add(Long.parseLong(f[i]));
      }
    }
    return viaHelper;
  }

  /** Background children that drop the mark: env -u JPACK_RUN, env -i. */
  private static final String ESCAPE = "read -r c < /proc/$PPID/comm; env -u JPACK_RUN sleep 4324"
      + " & a=$!; env -i sleep 4325 & b=$!; ";

  /** After a normal end, what tasks started by jpack-spawn left without the mark is gone. */
  @Test
  void leftoversWithoutTheMarkAreGoneAfterANormalEnd() throws Exception {
    Path left = tmp.resolve("left");
    Process p = start(java.util.Map.of(), "-n", "1", "-P", "2", "-a",
        items("many", 40).toString(), "sh", "-c", ESCAPE + "echo \"$0 $c $a $b\" >> " + left);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("err")));
    List<Long> viaJvm = new ArrayList<>();
    List<Long> viaHelper = escapedFromHelperTasks(awaitLines(left, 40), viaJvm);
    try {
      assertTrue(viaHelper.size() >= 4, "no task went through jpack-spawn: this proves nothing");
      awaitGone(viaHelper, "sleep 432", 10, "leftovers without the mark, after a normal end");
    } finally {
      killAll(viaJvm);
    }
  }

  /**
   * jpack killed outright: tasks started by jpack-spawn that dropped the mark (the task itself,
   * or its leftovers) get TERM and KILL from it, as the marked ones get them from the watchdog.
   */
  @Test
  void processesWithoutTheMarkGoWhenJpackIsKilled() throws Exception {
    Path left = tmp.resolve("left");
    Process p = start(java.util.Map.of(), "-n", "1", "-P", "3", "--term-grace", "1", "-a",
        items("many", 40).toString(), "sh", "-c", ESCAPE + "echo \"$0 $c $$ $a $b\" >> " + left
            + "; [ $0 -le 37 ] && exit; exec env -i sleep 4326");
    String mark = markOf(p.pid());
    List<Long> viaJvm = new ArrayList<>();
    // The last three run on; short tasks queued behind one in jpack-spawn may never start then
    // (Runner may queue them behind the longest-running task): await the three, not every line.
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    List<String> lines;
    while ((lines = Files.exists(left) ? Files.readAllLines(left) : List.of()).stream()
        .filter(l -> l.matches("(38|39|40) .*")).count() < 3) {
      assertTrue(System.nanoTime() < until, "the last three tasks did not start: " + lines);
      Thread.sleep(20);
    }
    List<Long> viaHelper = escapedFromHelperTasks(lines, viaJvm);
    p.destroyForcibly();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    try {
      assertTrue(viaHelper.size() >= 9, "no task went through jpack-spawn: this proves nothing");
      awaitNoneMarked(mark, 15, "jpack killed");
      awaitGone(viaHelper, "sleep 432", 15, "processes without the mark, jpack killed");
    } finally {
      killAll(viaJvm);
    }
  }
}
