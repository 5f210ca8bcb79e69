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
}
