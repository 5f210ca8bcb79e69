package jpack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** --worker: real sh workers that stay running and do one task per line. */
@Timeout(120)
class WorkerIT {
  /** A worker in sh: "crash" kills it, "quit" ends it mid-task, "sleep" hangs; else echo. */
  private static final String WORKER = String.join("\n",
      "#!/bin/sh",
      "while IFS= read -r line; do",
      "  case $line in",
      "    crash) echo crashing; kill -9 $$ ;;",
      "    quit) exit 3 ;;",
      "    sleep) sleep 300; printf '\\000%d\\n' 0 ;;",
      "    *) echo \"[$line] slot $JPACK_SLOT worker $JPACK_WORKER seq ${JPACK_SEQ-unset}\"",
      "       printf '\\000%d\\n' $(( ${#line} % 2 )) ;;",
      "  esac",
      "done",
      "");

  private static Path worker(Path dir) throws Exception {
    Path w = dir.resolve("w.sh");
    Files.writeString(w, WORKER);
    w.toFile().setExecutable(true);
    return w;
  }

  private static Proc.Result jpack(Path dir, String input, String... args) throws Exception {
    Files.writeString(dir.resolve("in"), input);
    List<String> argv = new ArrayList<>(List.of(Proc.JPACK, "--worker", "-a", "in"));
    argv.addAll(List.of(args));
    return Proc.run(argv.toArray(String[]::new), null, Map.of(), dir.toFile(),
        Duration.ofSeconds(100));
  }

  /** The job log's rows, by seq (they are written as tasks end). */
  private static List<String[]> log(Path dir) throws Exception {
    List<String[]> rows = new ArrayList<>();
    for (String l : Files.readAllLines(dir.resolve("log.tsv"))) {
      if (!l.startsWith("Seq\t")) {
        rows.add(l.split("\t", -1));
      }
    }
    rows.sort((x, y) -> Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]))); // by seq
    return rows;
  }

  @Test
  void eachLineIsATaskWithItsOwnStatusOutputAndLogLine(@TempDir Path dir) throws Exception {
    worker(dir);
    Proc.Result r = jpack(dir, "aa\nb\ncc dd\n\nlast one\n", "-P", "2", "-k", "--joblog",
        "log.tsv", "./w.sh");
    assertEquals(123, r.code(), r.err()); // odd lengths exit 1
    List<String> lines = r.out().lines().toList();
    assertEquals(List.of("[aa]", "[b]", "[cc dd]", "[]", "[last one]"),
        lines.stream().map(l -> l.substring(0, l.indexOf(']') + 1)).toList(), "in order (-k)");
    for (String l : lines) {
      assertTrue(l.matches("\\[.*\\] slot [01] worker 1 seq unset"), l);
    }
    List<String[]> log = log(dir);
    assertEquals(5, log.size());
    String[] status = {"0", "1", "1", "0", "0"};
    String[] sent = {"3", "2", "6", "1", "9"};
    for (int i = 0; i < 5; i++) {
      assertEquals(String.valueOf(i + 1), log.get(i)[0]);
      assertEquals(status[i], log.get(i)[6], "exit value of task " + (i + 1));
      assertEquals(sent[i], log.get(i)[4], "Send: the line and its newline");
      assertEquals(String.valueOf(lines.get(i).length() + 1), log.get(i)[5], "Receive");
    }
  }

  @Test
  void aWorkerThatDiesFailsItsTaskAndTheNextTaskGetsANewOne(@TempDir Path dir)
      throws Exception {
    worker(dir);
    Proc.Result r = jpack(dir, "aa\ncrash\nbb\nquit\ncc\n", "-P", "1", "-k", "--halt", "never",
        "--joblog", "log.tsv", "./w.sh");
    assertEquals(125, r.code(), r.err());
    assertEquals("[aa]\ncrashing\n[bb]\n[cc]\n",
        String.join("\n", r.out().lines().map(l -> l.replaceAll(" slot.*", "")).toList())
            + "\n");
    List<String[]> log = log(dir);
    assertEquals(List.of("0", "-1", "0", "3", "0"), log.stream().map(f -> f[6]).toList());
    assertEquals("9", log.get(1)[7], "killed by signal 9");
  }

  /** A worker that ends at once, before or after reading its task: each task fails, none hangs. */
  @Test
  void aWorkerThatEndsAtOnceFailsEveryTaskWithItsStatus(@TempDir Path dir) throws Exception {
    Proc.Result r = jpack(dir, "aa\nbb\ncc\ndd\n", "-P", "2", "--halt", "never", "--joblog",
        "log.tsv", "sh", "-c", "exit 5");
    assertEquals(123, r.code(), r.err());
    assertEquals(List.of("5", "5", "5", "5"), log(dir).stream().map(f -> f[6]).toList());
  }

  /** Big outputs go through the spool files, not memory, and arrive whole and in order. */
  @Test
  void bigOutputsArriveWholeAndInOrder(@TempDir Path dir) throws Exception {
    Path w = dir.resolve("big.sh");
    Files.writeString(w, String.join("\n", "#!/bin/sh",
        "while IFS= read -r n; do",
        "  head -c \"$n\" /dev/zero | tr '\\0' x; echo \" end $n\"",
        "  printf '\\000%d\\n' 0",
        "done", ""));
    w.toFile().setExecutable(true);
    Proc.Result r = jpack(dir, "20000000\n7\n18000000\n5\n", "-P", "2", "-k", "--joblog",
        "log.tsv", "./big.sh");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(4, lines.size());
    long[] sizes = {20_000_000, 7, 18_000_000, 5};
    Map<String, String> received = new java.util.HashMap<>();
    for (String[] f : log(dir)) {
      received.put(f[0], f[5]); // the log is in the order tasks ended
    }
    for (int i = 0; i < 4; i++) {
      assertEquals("x".repeat((int) sizes[i]) + " end " + sizes[i], lines.get(i));
      assertEquals(String.valueOf(sizes[i] + (" end " + sizes[i]).length() + 1),
          received.get(String.valueOf(i + 1)), "Receive of task " + (i + 1));
    }
  }

  @Test
  void aTimeoutStopsTheWorkerAndTheRestRuns(@TempDir Path dir) throws Exception {
    worker(dir);
    String marker = "sleep 300";
    Proc.Result r = jpack(dir, "aa\nsleep\nbb\n", "-P", "1", "-k", "--timeout", "1s",
        "--joblog", "log.tsv", "./w.sh");
    assertEquals(123, r.code(), r.err());
    assertTrue(r.err().contains("task 2 timed out"), r.err());
    assertEquals(List.of("0", "-1", "0"), log(dir).stream().map(f -> f[6]).toList());
    assertFalse(Proc.anyAlive(marker), "the stopped worker's child is gone too");
  }

  @Test
  void resumeSendsOnlyWhatIsLeft(@TempDir Path dir) throws Exception {
    worker(dir);
    Proc.Result r = jpack(dir, "aa\nquit\ncc\n", "-P", "1", "--halt", "never", "--joblog",
        "log.tsv", "./w.sh");
    assertEquals(123, r.code(), r.err());
    r = jpack(dir, "aa\nquit\ncc\n", "-P", "1", "--resume-failed", "--joblog", "log.tsv",
        "./w.sh");
    assertEquals(123, r.code(), "quit fails again: " + r.err());
    assertEquals("", r.out(), "only task 2 ran again, and it prints nothing");
    assertEquals(4, log(dir).size());
  }

  @Test
  void longLinesPassAndAMalformedEndLineFailsItsTask(@TempDir Path dir) throws Exception {
    Path w = dir.resolve("strict.sh");
    Files.writeString(w, String.join("\n",
        "#!/bin/sh",
        "while IFS= read -r line; do",
        "  printf '%s\\n' \"${#line}\"",
        "  case $line in bad*) printf '\\000x12\\n' ;; big*) printf '\\000300\\n' ;;",
        "    *) printf '\\000%d\\n' 0 ;; esac",
        "done", ""));
    w.toFile().setExecutable(true);
    String longLine = "a".repeat(200_000);
    Proc.Result r = jpack(dir, longLine + "\nbad\nbig\nok\n", "-P", "1", "-k", w.toString());
    assertEquals(123, r.code(), r.err());
    assertEquals("200000\n3\n3\n2\n", r.out(), "a 200 KB line is a task like any other");
    assertEquals(2, r.err().lines().filter(l -> l.contains("is not a NUL byte, an exit status"))
        .count(), r.err());
    assertTrue(r.err().contains("2 done, 2 failed"), r.err());
  }
}
