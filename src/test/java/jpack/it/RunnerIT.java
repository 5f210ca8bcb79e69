package jpack.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** jpack as a black box: concurrency, output modes, stdin, bytes, errors. */
@Timeout(120)
class RunnerIT {
  @TempDir Path tmp;

  /** A task script that logs "start/end SEQ SLOT nanos" lines to LOG, holding its slot for a bit. */
  private Path recorder(String sleep) throws Exception {
    Path script = tmp.resolve("record.sh");
    Files.writeString(script, "#!/bin/sh\n"
        + "echo \"start $1 ${SLOT:-} $(date +%s%N)\" >> \"$LOG\"\n"
        + "sleep " + sleep + "\n"
        + "echo \"end $1 ${SLOT:-} $(date +%s%N)\" >> \"$LOG\"\n"
        + "echo \"done $1\"\n");
    script.toFile().setExecutable(true);
    return script;
  }

  record Interval(String item, String slot, long start, long end) {}

  private List<Interval> intervals(Path log) throws Exception {
    Map<String, String[]> starts = new java.util.HashMap<>();
    List<Interval> out = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      String[] f = line.split(" ");
      if (f[0].equals("start")) {
        starts.put(f[1], f);
      } else {
        String[] s = starts.get(f[1]);
        out.add(new Interval(f[1], s[2], Long.parseLong(s[3]), Long.parseLong(f[3])));
      }
    }
    return out;
  }

  private static int maxOverlap(List<Interval> iv) {
    int best = 0;
    for (Interval a : iv) {
      int n = 0;
      for (Interval b : iv) {
        if (b.start() <= a.start() && a.start() < b.end()) {
          n++;
        }
      }
      best = Math.max(best, n);
    }
    return best;
  }

  private Proc.Result runWithLog(String input, Path log, String... args) throws Exception {
    return Proc.run(Proc.prepend(Proc.JPACK, args), input.getBytes(StandardCharsets.ISO_8859_1),
        Map.of("LOG", log.toString()), tmp.toFile(), Duration.ofSeconds(60));
  }

  @Test
  void atMostPTasksRunAtOnceAndSlotsAreUnique() throws Exception {
    Path log = tmp.resolve("log");
    Path rec = recorder("0.3");
    StringBuilder in = new StringBuilder();
    for (int i = 1; i <= 9; i++) {
      in.append(i).append('\n');
    }
    Proc.Result r = runWithLog(in.toString(), log, "-P", "3", "-n", "1", "--process-slot-var",
        "SLOT", rec.toString());
    assertEquals(0, r.code(), r.err());
    List<Interval> iv = intervals(log);
    assertEquals(9, iv.size());
    int overlap = maxOverlap(iv);
    assertTrue(overlap <= 3 && overlap >= 2, "max overlap " + overlap);
    for (Interval a : iv) {
      assertTrue(Set.of("0", "1", "2").contains(a.slot()), "slot " + a.slot());
      for (Interval b : iv) {
        boolean overlapping = a != b && a.start() < b.end() && b.start() < a.end();
        assertTrue(!overlapping || !a.slot().equals(b.slot()), "slot shared: " + a + " " + b);
      }
    }
  }

  @Test
  void headlineRunsTwentyGreetingsEightAtATime() throws Exception {
    Path log = tmp.resolve("log");
    Path greet = tmp.resolve("greet.sh");
    Files.writeString(greet, "#!/usr/bin/env bash\n"
        + "echo \"start $1 x $(date +%s%N)\" >> \"$LOG\"\n"
        + "echo \"$@ to you my friend!\"\nsleep 1\n"
        + "echo \"end $1 x $(date +%s%N)\" >> \"$LOG\"\n");
    greet.toFile().setExecutable(true);
    Files.copy(Proc.HOME.resolve("greetings.txt"), tmp.resolve("greetings.txt"));
    Proc.Result r = runWithLog("", log, "-a", "greetings.txt", "-L", "1", "-P", "8",
        greet.toString());
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(20, lines.size());
    assertTrue(lines.contains("Ni Hao to you my friend!"), r.out());
    assertEquals(8, maxOverlap(intervals(log)));
  }

  @Test
  void groupedOutputNeverInterleavesAndBigOutputOnBothStreamsIsComplete() throws Exception {
    // Each task writes 200 KB to stdout and to stderr in small pieces.
    String script = "i=0; while [ $i -lt 2000 ]; do echo \"$0 line $i padding padding padding"
        + " padding padding padding padding padding padding\"; echo \"$0 err $i\" >&2;"
        + " i=$((i+1)); done";
    Proc.Result r = Proc.jpack("a\nb\nc\nd\n", "-P", "4", "-n", "1", "sh", "-c", script);
    assertEquals(0, r.code());
    List<String> out = r.out().lines().toList();
    assertEquals(8000, out.size());
    for (int t = 0; t < 4; t++) {
      String first = out.get(t * 2000).split(" ")[0];
      for (int i = 0; i < 2000; i++) {
        assertEquals(first + " line " + i, out.get(t * 2000 + i).substring(0,
            (first + " line " + i).length()));
      }
    }
    assertEquals(8000, r.err().lines().count());
  }

  @Test
  void keepOrderPrintsInInputOrder() throws Exception {
    Proc.Result r = Proc.jpack("0.6\n0.1\n0.3\n0\n", "-k", "-P", "4", "-n", "1", "sh", "-c",
        "sleep $0; echo $0");
    assertEquals("0.6\n0.1\n0.3\n0\n", r.out());
  }

  @Test
  void withoutKeepOrderFastTasksPrintFirst() throws Exception {
    Proc.Result r = Proc.jpack("1\n0\n", "-P", "2", "-n", "1", "sh", "-c", "sleep $0; echo $0");
    assertEquals("0\n1\n", r.out());
  }

  @Test
  void lineBufferNeverTearsLinesAndTagPrefixes() throws Exception {
    String script = "i=0; while [ $i -lt 300 ]; do echo \"$0-$i-abcdefghijklmnopqrstuvwxyz\";"
        + " i=$((i+1)); done";
    Proc.Result r = Proc.jpack("x\ny\nz\n", "--line-buffer", "--tag", "-P", "3", "-n", "1",
        "sh", "-c", script);
    assertEquals(0, r.code());
    List<String> lines = r.out().lines().toList();
    assertEquals(900, lines.size());
    for (String l : lines) {
      assertTrue(l.matches("([xyz])\t\\1-\\d+-abcdefghijklmnopqrstuvwxyz"), l);
    }
  }

  @Test
  void ungroupedWritesStraightThrough() throws Exception {
    Proc.Result r = Proc.jpack("a\nb\n", "-u", "-P", "1", "-n", "1", "echo");
    assertEquals("a\nb\n", r.out());
  }

  @Test
  void childrenDoNotEatJpacksInputButKeepStdinWithArgFile() throws Exception {
    Proc.Result r = Proc.jpack("1\n2\n3\n", "-n", "1", "-P", "1", "sh", "-c", "cat; echo $0");
    assertEquals("1\n2\n3\n", r.out());
    Path items = tmp.resolve("items");
    Files.writeString(items, "a\n");
    Proc.Result r2 = Proc.jpack("from-stdin\n", "-a", items.toString(), "sh", "-c",
        "cat; echo $0");
    assertEquals("from-stdin\na\n", r2.out());
  }

  @Test
  void nonUtf8BytesSurviveInItemsArgumentsAndOutput() throws Exception {
    byte[] name = {'c', 'a', 'f', (byte) 0xe9, ' ', (byte) 0xff, (byte) 0xfe, '\n'};
    for (String locale : List.of("C", "C.UTF-8")) {
      Proc.Result r = Proc.run(new String[] {Proc.JPACK, "-n", "1", "printf", "%s|\\n"}, name,
          Map.of("LC_ALL", locale), null, Duration.ofSeconds(30));
      assertArrayEquals(new byte[] {'c', 'a', 'f', (byte) 0xe9, '|', '\n', (byte) 0xff,
          (byte) 0xfe, '|', '\n'}, r.stdout(), locale);
      String arg = new String(new byte[] {'x', (byte) 0xe9}, StandardCharsets.ISO_8859_1);
      Proc.Result r2 = Proc.run(new String[] {Proc.JPACK, "printf", "%s", arg}, new byte[0],
          Map.of("LC_ALL", locale), null, Duration.ofSeconds(30));
      assertArrayEquals(new byte[] {'x', (byte) 0xe9}, r2.stdout(), locale);
    }
  }

  @Test
  void closedStdoutStopsPromptlyAndQuietly() throws Exception {
    Path log = tmp.resolve("started");
    String[] cmd = {"sh", "-c", "seq 1 100000 | " + Proc.JPACK
        + " -P 2 -n 1 sh -c 'echo $0 >> \"$LOG\"; echo $0' | head -n 1"};
    Proc.Result r = Proc.run(cmd, null, Map.of("LOG", log.toString()), null,
        Duration.ofSeconds(60));
    assertTrue(r.out().matches("[0-9]+\n"), r.out());
    long started = Files.lines(log).count();
    assertTrue(started < 1000, "started " + started + " tasks after the reader left");
    assertTrue(!r.err().contains("jpack:"), r.err());
  }

  @Test
  void errorsAreOneLineWithoutStackTraces() throws Exception {
    Proc.Result r = Proc.jpack("", "-a", tmp.resolve("missing").toString());
    assertEquals(1, r.code());
    assertEquals("jpack: cannot open input file '" + tmp.resolve("missing")
        + "': No such file or directory\n", r.err());
  }

  @Test
  void emptyInputRunsOnceWithoutR() throws Exception {
    assertEquals("\n", Proc.jpack("", "echo").out());
    assertEquals("", Proc.jpack("", "-r", "echo").out());
  }

  @Test
  void withoutPFirstTaskRunsAloneThenAllCpus() throws Exception {
    // A command that fails at once fails once: the others never start.
    Proc.Result r = Proc.jpack("a\nb\nc\nd\n", "-n", "1", "sh", "-c", "echo $0; exit 255");
    assertEquals(124, r.code());
    assertEquals("a\n", r.out());
    Set<String> seen = new HashSet<>(Proc.jpack("1\n2\n3\n4\n5\n", "-n", "1", "echo").out()
        .lines().toList());
    assertEquals(Set.of("1", "2", "3", "4", "5"), seen);
  }
}
