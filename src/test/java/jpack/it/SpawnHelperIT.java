package jpack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs that go through jpack-spawn (the C task starter beside the jar): the same results as
 * with ProcessBuilder (JPACK_SPAWN_HELPER=off), and the rules that tasks waiting in the helper
 * must keep: nothing starts after a failure before jpack has seen it, a stop takes them back
 * (a --resume runs them), a long task does not keep short ones waiting behind it. Skipped when
 * no C compiler built the helper, unless JPACK_REQUIRE_SPAWN_HELPER is set (CI).
 */
@Timeout(180)
class SpawnHelperIT {
  @TempDir Path tmp;

  @BeforeEach
  void helperBuilt() {
    assumeTrue(Files.isExecutable(Proc.HOME.resolve("target/jpack-spawn"))
        || System.getenv("JPACK_REQUIRE_SPAWN_HELPER") != null,
        "jpack-spawn was not built (no C compiler)");
  }

  private Path items(int n) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      sb.append(i).append('\n');
    }
    return Files.writeString(tmp.resolve("items" + n), sb);
  }

  private Proc.Result jpack(Map<String, String> env, String... args) throws Exception {
    return Proc.run(Proc.prepend(Proc.JPACK, args), null, env, tmp.toFile(),
        Duration.ofSeconds(120));
  }

  /** The job log's lines (header dropped), fields split. */
  private static List<String[]> log(Path f) throws Exception {
    List<String[]> out = new ArrayList<>();
    for (String l : Files.readAllLines(f).subList(1, Files.readAllLines(f).size())) {
      out.add(l.split("\t", -1));
    }
    return out;
  }

  @Test
  void manyShortTasksGoThroughTheHelperWithProcessBuildersResults() throws Exception {
    Path in = items(300);
    String task = "printf '%s %s\\n' \"$0\" \"$(cat /proc/$PPID/comm)\"; [ $(($0 % 7)) != 0 ]";
    Proc.Result on = jpack(Map.of(), "-k", "-P", "2", "-n", "1", "-a", in.toString(),
        "--joblog", tmp.resolve("on.tsv").toString(), "sh", "-c", task);
    Proc.Result off = jpack(Map.of("JPACK_SPAWN_HELPER", "off"), "-k", "-P", "2", "-n", "1",
        "-a", in.toString(), "--joblog", tmp.resolve("off.tsv").toString(), "sh", "-c", task);
    assertEquals(123, on.code(), on.err());
    assertEquals(123, off.code(), off.err());
    List<String> seqOn = new ArrayList<>();
    int viaHelper = 0;
    for (String line : on.out().split("\n")) {
      String[] f = line.split(" ");
      seqOn.add(f[0]);
      viaHelper += f[1].equals("jpack-spawn") ? 1 : 0;
    }
    List<String> seqOff = new ArrayList<>();
    for (String line : off.out().split("\n")) {
      String[] f = line.split(" ");
      seqOff.add(f[0]);
      assertEquals("java", f[1], "ProcessBuilder's tasks are the JVM's children");
    }
    assertEquals(seqOff, seqOn, "-k: the same lines in the same order");
    assertTrue(viaHelper >= 250, viaHelper + " of 300 tasks through jpack-spawn");
    Map<String, String> exitOn = new TreeMap<>();
    Map<String, String> exitOff = new TreeMap<>();
    for (String[] f : log(tmp.resolve("on.tsv"))) {
      exitOn.put(f[0], f[6] + "/" + f[7] + "/" + f[8]);
      assertTrue(Double.parseDouble(f[3]) >= 0, "runtime " + f[3]);
    }
    for (String[] f : log(tmp.resolve("off.tsv"))) {
      exitOff.put(f[0], f[6] + "/" + f[7] + "/" + f[8]);
    }
    assertEquals(exitOff, exitOn, "the same exit values, signals and commands logged");
    assertEquals(300, exitOn.size());
    // the same summary, but for what jpack-spawn measured (the JVM cannot: none there)
    assertTrue(on.err().contains("; peak memory "), on.err());
    assertEquals(on.err().replaceAll("[0-9.]+ s elapsed", "").replaceAll("\\(see [^)]*\\)", "")
        .replaceAll("; peak memory [^;]*", ""),
        off.err().replaceAll("[0-9.]+ s elapsed", "").replaceAll("\\(see [^)]*\\)", ""));
  }

  /**
   * How many tasks started after task 200 ended with the status given (the job log's start
   * times and runtimes, measured by jpack-spawn): none may, since that end stops the run.
   */
  private long startedAfterTheFailure(int expectedCode, int status, String... options)
      throws Exception {
    Path log = tmp.resolve("run.tsv");
    List<String> args = new ArrayList<>(List.of("-P", "2", "-n", "1", "-a",
        items(400).toString(), "--joblog", log.toString()));
    args.addAll(List.of(options));
    args.addAll(List.of("sh", "-c", "[ $0 = 200 ] && exit " + status + "; exit 0"));
    Proc.Result r = jpack(Map.of(), args.toArray(new String[0]));
    assertEquals(expectedCode, r.code(), r.err());
    double end = -1;
    List<Double> starts = new ArrayList<>();
    for (String[] f : log(log)) {
      double start = Double.parseDouble(f[2]);
      if (f[0].equals("200")) {
        end = start + Double.parseDouble(f[3]);
      } else {
        starts.add(start);
      }
    }
    assertTrue(end > 0, "task 200 ran");
    assertTrue(starts.size() < 300, starts.size() + " tasks ran");
    // Starttime is logged to the millisecond and comes from two clocks (nanoTime, converted):
    // a start within 3 ms of the failure's end is that clock's rounding, not a start after it
    // (a helper that did not hold would start the next tasks at about one a millisecond).
    double after = end;
    return starts.stream().filter(t -> t > after + 0.003).count();
  }

  /** -u: tasks write straight to jpack's stdout and stderr (the helper's own), files or pipes. */
  @Test
  void ungroupedTasksWriteToJpacksOwnStreams() throws Exception {
    Path out = tmp.resolve("u.out");
    Files.writeString(out, "first line\n"); // jpack >> out: tasks append after it
    Process p = new ProcessBuilder(Proc.prepend(Proc.JPACK, "-u", "-P", "2", "-n", "1", "-a",
        items(300).toString(), "sh", "-c", "echo out $0; echo err $0 >&2"))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
        .redirectError(tmp.resolve("u.err").toFile()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
    List<String> lines = Files.readAllLines(out);
    assertEquals("first line", lines.get(0));
    assertEquals(301, lines.size());
    assertEquals(300, lines.stream().distinct().filter(l -> l.startsWith("out ")).count());
    assertEquals(300, Files.readAllLines(tmp.resolve("u.err")).stream()
        .filter(l -> l.startsWith("err ")).distinct().count());
  }

  /** A helper that cannot run here: the tasks start through ProcessBuilder, nothing hangs. */
  @Test
  void aBrokenHelperIsDoneWithout() throws Exception {
    Proc.Result r = jpack(Map.of("JPACK_SPAWN_HELPER", "/bin/false"), "-k", "-P", "2", "-n", "1",
        "-a", items(100).toString(), "sh", "-c", "echo $0 $(cat /proc/$PPID/comm)");
    assertEquals(0, r.code(), r.err());
    assertEquals(100, r.out().split("\n").length);
    assertTrue(r.out().startsWith("1 java\n2 java\n"), r.out());
    assertTrue(!r.out().contains("jpack-spawn"));
  }

  /** xargs stops at an exit 255: the tasks queued in the helper must not start after it. */
  @Test
  void nothingStartsAfterAnExit255() throws Exception {
    assertEquals(0, startedAfterTheFailure(124, 255));
  }

  @Test
  void haltSoonStartsNothingMoreWhileTasksWaitInTheHelper() throws Exception {
    assertEquals(0, startedAfterTheFailure(123, 1, "--halt", "soon,fail=1"));
  }

  /** Tasks waiting in the helper at a TERM are not logged, and a --resume runs each once. */
  @Test
  void termWithTasksWaitingInTheHelperThenResume() throws Exception {
    Path in = items(400);
    Path done = tmp.resolve("done");
    Path log = tmp.resolve("run.tsv");
    String task = "sleep 0.005; echo $0 >> " + done;
    Process p = new ProcessBuilder(Proc.prepend(Proc.JPACK, "-a", in.toString(), "-n", "1",
        "-P", "2", "--joblog", log.toString(), "sh", "-c", task))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(tmp.resolve("bg.out").toFile())
        .redirectError(tmp.resolve("bg.err").toFile()).start();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(done) || Files.readAllLines(done).size() < 150) {
      assertTrue(System.nanoTime() < until, "150 tasks did not end in 60 s");
      Thread.sleep(10);
    }
    new ProcessBuilder("kill", "-TERM", String.valueOf(p.pid())).start().waitFor();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(143, p.exitValue(), Files.readString(tmp.resolve("bg.err")));
    int logged = log(log).size();
    assertTrue(logged >= 150 && logged < 400, "logged " + logged);
    Proc.Result r = jpack(Map.of(), "-a", in.toString(), "-n", "1", "-P", "2", "--joblog",
        log.toString(), "--resume", "sh", "-c", task);
    assertEquals(0, r.code(), r.err());
    Map<String, Integer> count = new TreeMap<>();
    for (String l : Files.readAllLines(done)) {
      count.merge(l, 1, Integer::sum);
    }
    assertEquals(400, count.size());
    long twice = count.values().stream().filter(c -> c > 1).count();
    // a task stopped between its echo and its exit runs again (at least once, as any runner)
    assertTrue(twice <= 2, twice + " tasks ran twice");
    assertEquals(400, log(log).size());
  }

  /** Tasks queued behind a long one are taken back and run on a free slot. */
  @Test
  void aLongTaskKeepsNoShortOneWaitingBehindIt() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= 120; i++) {
      sb.append(i == 60 ? "2" : "0").append('\n');
    }
    Path in = Files.writeString(tmp.resolve("sleeps"), sb);
    Path log = tmp.resolve("run.tsv");
    Proc.Result r = jpack(Map.of(), "-P", "2", "-n", "1", "-a", in.toString(), "--joblog",
        log.toString(), "sleep");
    assertEquals(0, r.code(), r.err());
    double longEnd = 0;
    double lastShortEnd = 0;
    for (String[] f : log(log)) {
      double end = Double.parseDouble(f[2]) + Double.parseDouble(f[3]);
      if (f[8].equals("sleep 2")) {
        longEnd = end;
      } else {
        lastShortEnd = Math.max(lastShortEnd, end);
      }
    }
    assertTrue(lastShortEnd < longEnd - 1.0, "a short task ended " + (longEnd - lastShortEnd)
        + " s before the long one: it waited behind it");
  }

  /**
   * -k with blocks too big to hold in memory: such a block moves aside with its slot file and
   * the slot's later tasks (which jpack-spawn starts with its spool files kept open) write new
   * files. Every task's output comes out whole, once, in order.
   */
  @Test
  void bigHeldBlocksMoveAsideWhileTheHelperKeepsItsFilesOpen() throws Exception {
    int n = 60;
    // ~90 KB a task (more than the 64 KiB held in memory); every fourth task is slower, so the
    // tasks after it end first and their blocks wait
    String task = "[ $(($0 % 4)) = 1 ] && sleep 0.05; "
        + "awk -v n=\"$0\" 'BEGIN { for (i = 0; i < 10000; i++) print n, i }'";
    Proc.Result r = jpack(Map.of(), "-k", "-P", "2", "-n", "1", "-a", items(n).toString(),
        "sh", "-c", task);
    assertEquals(0, r.code(), r.err());
    StringBuilder expected = new StringBuilder();
    for (int t = 1; t <= n; t++) {
      for (int i = 0; i < 10000; i++) {
        expected.append(t).append(' ').append(i).append('\n');
      }
    }
    assertEquals(expected.length(), r.out().length(), "output size");
    assertTrue(expected.toString().equals(r.out()), "every task's lines whole and in order");
  }
}
