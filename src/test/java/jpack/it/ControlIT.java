package jpack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Steering a running pack with real signals (issue 19): SIGUSR1 one more task at once, SIGUSR2
 * one fewer, SIGHUP drains (nothing more starts, the running finish, exit 75, a resume does the
 * rest), and the stall warning. How many ran at once is read from the tasks' own start and end
 * records; each task waits for its own gate file, so the test decides when it ends.
 */
@Timeout(120)
class ControlIT {
  @TempDir Path tmp;

  /** Each task: "S seq" at its start, waits for gate.seq, "E seq" at its end. */
  private String task() {
    Path rec = tmp.resolve("rec");
    return "echo S $0 >> " + rec + "; until [ -e " + tmp.resolve("gate.") + "$0 ]; do"
        + " sleep 0.02; done; echo E $0 >> " + rec;
  }

  private Process start(String... args) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(Proc.prepend(Proc.JPACK, args));
    return pb.directory(tmp.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(tmp.resolve("out").toFile())
        .redirectError(tmp.resolve("err").toFile()).start();
  }

  private Path items(int n) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      b.append(i).append('\n');
    }
    return Files.writeString(tmp.resolve("in"), b);
  }

  private void open(int... seqs) throws IOException {
    for (int s : seqs) {
      Files.writeString(tmp.resolve("gate." + s), "");
    }
  }

  private List<String> rec() throws IOException {
    Path f = tmp.resolve("rec");
    return Files.exists(f) ? Files.readAllLines(f) : List.of();
  }

  private long starts() throws IOException {
    return rec().stream().filter(l -> l.startsWith("S ")).count();
  }

  private String err() throws IOException {
    return Files.readString(tmp.resolve("err"));
  }

  private static void await(String what, BooleanSupplier cond) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!cond.getAsBoolean()) {
      assertTrue(System.nanoTime() < until, "timed out waiting for " + what);
      Thread.sleep(20);
    }
  }

  private interface IoCheck {
    boolean get() throws IOException;
  }

  private static BooleanSupplier io(IoCheck c) {
    return () -> {
      try {
        return c.get();
      } catch (IOException e) {
        return false;
      }
    };
  }

  private static void signal(Process p, String sig) throws Exception {
    assertEquals(0, new ProcessBuilder("kill", "-" + sig, String.valueOf(p.pid())).start()
        .waitFor());
  }

  /** The most tasks running at one moment among those whose seq is in seqs (all when null). */
  private static int mostAtOnce(List<String> rec, Set<String> seqs) {
    int now = 0;
    int most = 0;
    for (String l : rec) {
      String seq = l.substring(2);
      if (seqs != null && !seqs.contains(seq)) {
        continue;
      }
      now += l.startsWith("S ") ? 1 : -1;
      most = Math.max(most, now);
    }
    return most;
  }

  @Test
  void usr1AddsATaskAtOnceAndUsr2TakesOneAway() throws Exception {
    Path in = items(9);
    Process p = start("-a", in.toString(), "-n", "1", "-P", "1", "sh", "-c", task());
    await("task 1 to start", io(() -> starts() == 1));
    signal(p, "USR1");
    await("a second task at once after SIGUSR1", io(() -> starts() == 2));
    signal(p, "USR1");
    await("a third task at once after the second SIGUSR1", io(() -> starts() == 3));
    assertEquals(0, rec().stream().filter(l -> l.startsWith("E ")).count());
    // back to one at once: the running three are not stopped
    signal(p, "USR2");
    signal(p, "USR2");
    await("both SIGUSR2 taken", io(() -> err().contains("1 task at once (was 2 tasks)")));
    open(1, 2, 3);
    await("tasks 1-3 to end", io(() -> rec().stream().filter(l -> l.startsWith("E ")).count()
        == 3));
    open(4, 5, 6, 7, 8, 9);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), err());
    List<String> rec = rec();
    assertEquals(3, mostAtOnce(rec, null), String.join(",", rec));
    assertEquals(1, mostAtOnce(rec, Set.of("4", "5", "6", "7", "8", "9")),
        "one at a time after two SIGUSR2: " + rec);
    assertEquals(18, rec.size(), "every task ran once: " + rec);
    assertEquals(9, new HashSet<>(rec.stream().filter(l -> l.startsWith("S ")).toList()).size(),
        "every task ran once: " + rec);
    assertTrue(err().contains("SIGUSR1: 2 tasks at once (was 1 task)"), err());
    assertTrue(!Files.list(tmp).anyMatch(f -> f.getFileName().toString().startsWith("hs_err")),
        "no JVM crash file");
  }

  @Test
  void hangupDrainsThenAResumeDoesTheRestOnce() throws Exception {
    Path in = items(8);
    Path log = tmp.resolve("run.tsv");
    Process p = start("-a", in.toString(), "-n", "1", "-P", "2", "--joblog", log.toString(),
        "sh", "-c", task());
    await("two tasks to start", io(() -> starts() == 2));
    signal(p, "HUP");
    await("the drain to be taken", io(() -> err().contains("SIGHUP: draining")));
    open(1, 2, 3, 4, 5, 6, 7, 8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(75, p.exitValue(), "drained with work left: run me again; " + err());
    assertEquals(List.of("S 1", "S 2"), rec().stream().filter(l -> l.startsWith("S "))
        .sorted().toList(), "nothing starts after SIGHUP");
    assertEquals(3, Files.readAllLines(log).size(), "the two running finished and are logged");

    Proc.Result r = Proc.run(Proc.prepend(Proc.JPACK, "-a", in.toString(), "-n", "1", "-P",
        "2", "--joblog", log.toString(), "--resume", "sh", "-c", task()), null, Map.of(),
        tmp.toFile(), Duration.ofSeconds(60));
    assertEquals(0, r.code(), r.err());
    Map<String, Integer> started = new TreeMap<>();
    for (String l : rec()) {
      if (l.startsWith("S ")) {
        started.merge(l.substring(2), 1, Integer::sum);
      }
    }
    assertEquals(8, started.size(), started.toString());
    started.forEach((seq, n) -> assertEquals(1, n, "task " + seq + " ran " + n + " times"));
    assertEquals(9, Files.readAllLines(log).size());
  }

  @Test
  void aHangingTaskGetsTheStallLineAndTheStatusSaysSo() throws Exception {
    Path in = items(2);
    Path status = tmp.resolve("status.json");
    open(1);
    Process p = start("-a", in.toString(), "-n", "1", "-P", "1", "--stall-after", "1s",
        "--status", status.toString(), "sh", "-c", task());
    await("the stall line", io(() -> err().contains("no task has ended for")));
    String line = err().lines().filter(l -> l.contains("no task has ended for")).findFirst()
        .orElseThrow();
    assertTrue(line.matches("jpack: no task has ended for \\d+ s; running: 1 \\(oldest: seq 2,"
        + " \\d+ s\\)"), line);
    await("the status file to say stalled", io(() -> Files.exists(status)
        && Files.readString(status).contains("\"stalled\":true")));
    open(2);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), err());
    long warnings = err().lines().filter(l -> l.contains("no task has ended for")).count();
    assertTrue(warnings <= 4, "repeated rarely (each time the silence doubles): " + err());
  }
}
