package jpack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Faults: jpack killed at random, a full $TMPDIR, a full or closed stdout, big and odd tasks. */
@Timeout(300)
class FaultIT {
  @TempDir Path tmp;


  @Test
  void killedAtRandomMomentsTheLogStaysWholeAndResumeFinishesEverything() throws Exception {
    Path in = tmp.resolve("in");
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= 40; i++) {
      sb.append(i).append('\n');
    }
    Files.writeString(in, sb);
    Path log = tmp.resolve("run.tsv");
    Random rnd = new Random(7);
    String task = "sleep 0.$(( $0 % 7 + 1 )) # kill-fault-marker";
    int kills = 0;
    for (int round = 0; round < 5; round++) {
      Process p = new ProcessBuilder(Proc.JPACK, "-a", in.toString(), "-n", "1", "-P", "4",
          "--joblog", log.toString(), "--resume", "--term-grace", "1", "sh", "-c", task)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      boolean ended = p.waitFor(300 + rnd.nextInt(1200), TimeUnit.MILLISECONDS);
      if (!ended) {
        p.destroyForcibly(); // SIGKILL
        p.waitFor(30, TimeUnit.SECONDS);
        kills++;
      }
      assertTrue(!Proc.anyAlive("kill-fault-marker"), "a task outlived the killed jpack");
      for (String line : Files.readAllLines(log)) {
        assertEquals(9, line.split("\t", -1).length, "torn line: " + line);
      }
    }
    Proc.Result r = Proc.run(new String[] {Proc.JPACK, "-a", in.toString(), "-n", "1", "-P", "4",
        "--joblog", log.toString(), "--resume", "sh", "-c", task}, null, Map.of(), null,
        Duration.ofSeconds(120));
    assertEquals(0, r.code(), r.err());
    List<String> lines = Files.readAllLines(log);
    Set<String> seqs = new HashSet<>();
    for (String line : lines.subList(1, lines.size())) {
      assertTrue(seqs.add(line.split("\t")[0]), "seq logged twice: " + line);
    }
    assertEquals(40, seqs.size());
    assertTrue(kills >= 1, "no round was killed: the test proved nothing");
  }

  @Test
  void fullTmpdirIsReportedNotSilent() throws Exception {
    Path small = tmp.resolve("small");
    Files.createDirectories(small);
    Proc.Result mount = Proc.run(new String[] {"mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs",
        small.toString()}, null, Map.of(), null, Duration.ofSeconds(30));
    assumeTrue(mount.code() == 0 || System.getenv("JPACK_REQUIRE_ROOT") != null,
        "mounting a small tmpfs needs root");
    assertEquals(0, mount.code(), mount.err());
    try {
      Proc.Result r = Proc.run(new String[] {Proc.JPACK, "-n", "1", "-P", "1", "sh", "-c",
          "head -c 3000000 /dev/zero; true"}, "1\n2\n".getBytes(), Map.of("TMPDIR",
          small.toString()), null, Duration.ofSeconds(60));
      assertTrue(r.code() != 0, "exit 0 although output was lost");
      assertTrue(r.err().contains("is full") && r.err().contains("task 1"), r.err());
    } finally {
      Proc.run(new String[] {"umount", small.toString()}, null, Map.of(), null,
          Duration.ofSeconds(30));
    }
  }

  @Test
  void fullStdoutIsAClearErrorAndClosedStdoutIsQuiet() throws Exception {
    Proc.Result full = Proc.run(new String[] {"sh", "-c", "printf 'a\\nb\\n' | " + Proc.JPACK
        + " -n 1 echo > /dev/full"}, null, Map.of(), null, Duration.ofSeconds(60));
    assertEquals(1, full.code());
    assertTrue(full.err().startsWith("jpack: cannot write to standard output: No space left"),
        full.err());
    assertEquals(1, full.err().lines().filter(l -> l.startsWith("jpack: cannot")).count());
    Proc.Result closed = Proc.run(new String[] {"sh", "-c", "seq 1 1000 | " + Proc.JPACK
        + " -n 1 -P 2 echo | head -n 1 >/dev/null; echo"}, null, Map.of(), null,
        Duration.ofSeconds(60));
    assertEquals("", closed.err());
  }

  @Test
  void aGigabyteOfOutputPassesThroughWithBoundedMemory() throws Exception {
    Proc.Result r = Proc.run(new String[] {"sh", "-c", "echo 1 | /usr/bin/time -f %M -o "
        + tmp.resolve("rss") + " " + Proc.JPACK + " -n 1 sh -c 'head -c 1073741824 /dev/zero'"
        + " | wc -c"}, null, Map.of(), null, Duration.ofSeconds(240));
    assumeTrue(Files.exists(tmp.resolve("rss")), "GNU time is needed");
    assertEquals("1073741824", r.out().trim(), r.err());
    long rssKb = Long.parseLong(Files.readAllLines(tmp.resolve("rss")).get(0).trim());
    assertTrue(rssKb < 256 * 1024, "peak RSS " + rssKb + " KB");
  }

  @Test
  void oddTasksAreAllReapedAndNothingIsLeftBehind() throws Exception {
    // Closes its stdout early; leaves grandchildren running after it exits.
    Proc.Result r = Proc.run(new String[] {Proc.JPACK, "-n", "1", "-P", "3", "sh", "-c",
        "exec >&-; for i in 1 2 3 4 5 6 7 8 9 10; do sleep 3456 & done; echo left $0 >&2"},
        "a\nb\nc\n".getBytes(), Map.of(), null, Duration.ofSeconds(60));
    assertEquals(0, r.code(), r.err());
    assertEquals(3, r.err().lines().filter(l -> l.startsWith("left ")).count(), r.err());
    assertTrue(!Proc.anyAlive("sleep 3456"), "grandchildren outlived jpack");
  }

  @Test
  void threeThousandTasksAtP500KeepFileDescriptorsAndThreadsBounded() throws Exception {
    Path ones = tmp.resolve("ones");
    Files.writeString(ones, "0.2\n".repeat(3000));
    Path err = tmp.resolve("err");
    Process p = new ProcessBuilder("sh", "-c", "ulimit -n 256; exec " + Proc.JPACK + " -a " + ones
        + " -n 1 -P 500 --summary sleep").redirectError(err.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    int maxThreads = 0;
    int maxFds = 0;
    while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
      try {
        for (String l : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
          if (l.startsWith("Threads:")) {
            maxThreads = Math.max(maxThreads, Integer.parseInt(l.substring(8).trim()));
          }
        }
        try (var fds = Files.list(Path.of("/proc/" + p.pid() + "/fd"))) {
          maxFds = Math.max(maxFds, (int) fds.count());
        }
      } catch (java.io.IOException e) {
        // the process ended between two looks
      }
    }
    String stderr = Files.readString(err);
    assertEquals(0, p.exitValue(), stderr);
    assertTrue(stderr.startsWith("jpack: 3000 done, 0 failed"), stderr);
    assertTrue(!stderr.contains("Too many open files"), stderr);
    // One JDK reaper thread per running child, plus a fixed few of jpack's own.
    assertTrue(maxThreads > 0 && maxThreads <= 500 + 40, "threads: " + maxThreads);
    assertTrue(maxFds <= 64, "file descriptors: " + maxFds);
  }
}
