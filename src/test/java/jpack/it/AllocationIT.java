package jpack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Slots from the allocation, memory and GPU caps, shards, replacement strings, progress. */
@Timeout(120)
class AllocationIT {
  @TempDir Path tmp;

  /** Tasks append "start|end seq nanos [CUDA_VISIBLE_DEVICES]" lines to LOG. */
  private Path recorder() throws Exception {
    Path script = tmp.resolve("rec.sh");
    Files.writeString(script, "#!/bin/sh\n"
        + "echo \"start $JPACK_SEQ $(date +%s%N) ${CUDA_VISIBLE_DEVICES:-} ${OMP_NUM_THREADS:-}\""
        + " >> \"$LOG\"\nsleep 0.3\n"
        + "echo \"end $JPACK_SEQ $(date +%s%N)\" >> \"$LOG\"\n");
    script.toFile().setExecutable(true);
    return script;
  }

  private Proc.Result run(Map<String, String> env, String input, String... args)
      throws Exception {
    Map<String, String> all = new HashMap<>(env);
    all.put("LOG", tmp.resolve("log").toString());
    return Proc.run(Proc.prepend(Proc.JPACK, args), input.getBytes(StandardCharsets.ISO_8859_1),
        all, tmp.toFile(), Duration.ofSeconds(60));
  }

  private static String lines(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      sb.append(i).append('\n');
    }
    return sb.toString();
  }

  /** The most tasks that ran at once, from the start/end lines. */
  private int maxConcurrency() throws Exception {
    List<long[]> iv = new ArrayList<>();
    Map<String, Long> starts = new HashMap<>();
    for (String l : Files.readAllLines(tmp.resolve("log"))) {
      String[] f = l.split(" ");
      if (f[0].equals("start")) {
        starts.put(f[1], Long.parseLong(f[2]));
      } else {
        iv.add(new long[] {starts.get(f[1]), Long.parseLong(f[2])});
      }
    }
    int best = 0;
    for (long[] a : iv) {
      int n = 0;
      for (long[] b : iv) {
        if (b[0] <= a[0] && a[0] < b[1]) {
          n++;
        }
      }
      best = Math.max(best, n);
    }
    return best;
  }

  /** Slurm's CPUs, never more than this process may use (the affinity mask, a CPU quota). */
  @Test
  void withoutPConcurrencyFollowsSlurmsCpus() throws Exception {
    Proc.Result r = run(Map.of("SLURM_CPUS_ON_NODE", "1"), lines(6), "-n", "1",
        recorder().toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(1, maxConcurrency());
    Files.delete(tmp.resolve("log"));
    Proc.Result over = run(Map.of("SLURM_CPUS_ON_NODE", "3"), lines(9), "-n", "1",
        recorder().toString());
    assertEquals(0, over.code(), over.err());
    assertEquals(Math.min(3, Runtime.getRuntime().availableProcessors()), maxConcurrency());
  }

  @Test
  void pbsNcpusWithCpusPerTaskGivesFewerSlotsAndSetsOmpThreads() throws Exception {
    Proc.Result r = run(Map.of("NCPUS", "2"), lines(4), "-n", "1", "--cpus-per-task", "2",
        recorder().toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(1, maxConcurrency());
    assertTrue(Files.readString(tmp.resolve("log")).contains(" 2\n"), "OMP_NUM_THREADS=2");
  }

  @Test
  void memoryPerTaskCapsConcurrency() throws Exception {
    // Slurm grants 3300 MiB, jpack keeps ~100 MiB; 1 GiB tasks: at most 3 at once, even with -P 8.
    Proc.Result r = run(Map.of("SLURM_MEM_PER_NODE", "3300"), lines(9), "-n", "1", "-P", "8",
        "--mem-per-task", "1G", recorder().toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(3, maxConcurrency());
  }

  @Test
  void eachRunningTaskGetsItsOwnGpus() throws Exception {
    Proc.Result r = run(Map.of("CUDA_VISIBLE_DEVICES", "4,5,6,7,8"), lines(8), "-n", "1", "-P",
        "8", "--gpus-per-task", "2", recorder().toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(2, maxConcurrency(), "5 devices / 2 per task = 2 at once");
    Map<String, long[]> byDevices = new HashMap<>();
    List<String> log = Files.readAllLines(tmp.resolve("log"));
    Map<String, String> devicesOf = new HashMap<>();
    Map<String, long[]> spans = new HashMap<>();
    for (String l : log) {
      String[] f = l.split(" ");
      if (f[0].equals("start")) {
        devicesOf.put(f[1], f[3]);
        spans.put(f[1], new long[] {Long.parseLong(f[2]), Long.MAX_VALUE});
      } else {
        spans.get(f[1])[1] = Long.parseLong(f[2]);
      }
    }
    for (String a : spans.keySet()) {
      assertTrue(Set.of("4,5", "6,7").contains(devicesOf.get(a)), devicesOf.get(a));
      for (String b : spans.keySet()) {
        boolean overlap = !a.equals(b) && spans.get(a)[0] < spans.get(b)[1]
            && spans.get(b)[0] < spans.get(a)[1];
        assertTrue(!overlap || !devicesOf.get(a).equals(devicesOf.get(b)),
            "tasks " + a + " and " + b + " shared GPUs");
      }
    }
    assertTrue(byDevices.isEmpty());
  }

  @Test
  void shardsPartitionTheInputExactly() throws Exception {
    Set<String> all = new HashSet<>();
    int total = 0;
    for (int k = 1; k <= 3; k++) {
      Proc.Result r = Proc.jpack(lines(20), "-n", "1", "--shard", k + "/3", "echo");
      for (String l : r.out().lines().toList()) {
        all.add(l);
        total++;
      }
    }
    assertEquals(20, total);
    assertEquals(20, all.size());
  }

  @Test
  void shardAutoUnderASlurmArrayAndJoblogPathsNameTheShard() throws Exception {
    TreeSet<Integer> seqs = new TreeSet<>();
    int total = 0;
    for (int id = 0; id < 4; id++) {
      Map<String, String> env = Map.of("SLURM_ARRAY_TASK_ID", String.valueOf(id),
          "SLURM_ARRAY_TASK_MIN", "0", "SLURM_ARRAY_TASK_MAX", "3", "SLURM_ARRAY_TASK_STEP", "1",
          "SLURM_ARRAY_TASK_COUNT", "4");
      Proc.Result r = Proc.run(Proc.prepend(Proc.JPACK, "-n", "1", "--shard", "auto",
          "--joblog", "log.{shard}.tsv", "true"), lines(17).getBytes(StandardCharsets.US_ASCII),
          env, tmp.toFile(), Duration.ofSeconds(30));
      assertEquals(0, r.code(), r.err());
      List<String> log = Files.readAllLines(tmp.resolve("log." + (id + 1) + ".tsv"));
      for (String l : log.subList(1, log.size())) {
        int seq = Integer.parseInt(l.split("\t")[0]);
        assertEquals(id, (seq - 1) % 4, "seq " + seq + " in shard " + (id + 1));
        seqs.add(seq);
        total++;
      }
    }
    assertEquals(17, total);
    assertEquals(17, seqs.size());
    assertEquals(17, seqs.last());
  }

  /** Tasks of a shard see it as JPACK_SHARD=K/N; --status names the shard's own file. */
  @Test
  void tasksSeeTheirShardAndTheStatusFileIsTheShards() throws Exception {
    Map<String, String> env = Map.of("SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_MIN", "3",
        "SLURM_ARRAY_TASK_MAX", "3", "SLURM_ARRAY_TASK_STEP", "1", "SLURM_ARRAY_TASK_COUNT", "1");
    Proc.Result r = Proc.run(Proc.prepend(Proc.JPACK, "-n", "1", "-k", "--shard", "auto/5",
        "--status", "status.{shard}.json", "sh", "-c", "echo $1 $JPACK_SHARD", "sh"),
        lines(12).getBytes(StandardCharsets.US_ASCII), env, tmp.toFile(), Duration.ofSeconds(30));
    assertEquals(0, r.code(), r.err());
    assertEquals("3 3/5\n8 3/5\n", r.out(), "a rerun of element 3 runs part 3 of 5 only");
    assertTrue(Files.readString(tmp.resolve("status.3.json")).contains("\"total\":2,"),
        Files.readString(tmp.resolve("status.3.json")));
    Proc.Result unsharded = Proc.jpack("1\n", "sh", "-c", "echo \"[$JPACK_SHARD]\"", "sh");
    assertEquals("[]\n", unsharded.out());
  }

  @Test
  void placeholdersAreOptIn() throws Exception {
    Proc.Result plain = Proc.jpack("a/b.c\n", "-P", "1", "echo", "{}", "{.}");
    assertEquals("{} {.} a/b.c\n", plain.out());
    Proc.Result gnu = Proc.jpack("a/b.c\nd e\n", "-P", "1", "--placeholders", "echo", "{}",
        "{.}", "{/}", "{//}", "{/.}", "{#}", "{%}");
    assertEquals("a/b.c a/b b.c a b 1 1\nd e d e d e . d e 2 1\n", gnu.out());
  }

  @Test
  void progressLinesInABatchLogHaveNoCarriageReturn() throws Exception {
    Path status = tmp.resolve("status.json");
    Proc.Result r = Proc.jpack(lines(6), "-n", "1", "-P", "2", "--progress",
        "--progress-interval", "0.2s", "--status", status.toString(), "--bar", "sh", "-c",
        "sleep 0.3");
    assertEquals(0, r.code(), r.err());
    assertTrue(!r.err().contains("\r"), "a carriage return in a log");
    List<String> lines = r.err().lines().filter(l -> l.startsWith("jpack: progress: ")).toList();
    assertTrue(lines.size() >= 3, r.err());
    assertTrue(lines.get(lines.size() - 1).startsWith("jpack: progress: 6/6 done, 0 failed,"
        + " 0 running"), lines.get(lines.size() - 1));
    String json = Files.readString(status);
    assertTrue(json.startsWith("{\"done\":6,\"failed\":0,\"killed\":0,\"running\":0,\"total\":6,"),
        json);
    assertTrue(json.contains("\"finished\":true"), json);
  }

  @Test
  void barShowsLiveCountsOnATerminal() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux"))
        || System.getenv("JPACK_REQUIRE_TMUX") != null, "tmux is needed for the terminal test");
    liveBar("8 tasks", "seq 1 8 | " + Proc.JPACK + " -n 1 -P 2 --bar sh -c 'sleep 0.5'",
        "(?s).*[1-7]/8 done, 0 failed, [12] running.*", "8/8 done, 0 failed, 0 running");
  }

  /**
   * Issue 19's honest totals on a real terminal: with a file and with a pipe whose producer has
   * finished, the bar shows N/60 while tasks still run (the input is not read to its end yet:
   * jpack reads 16 ahead), so the total is the count ahead; a pipe still being written shows ?.
   */
  @Test
  void barShowsTheTotalForAFileAndAFinishedPipe() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux"))
        || System.getenv("JPACK_REQUIRE_TMUX") != null, "tmux is needed for the terminal test");
    Path file = Files.writeString(tmp.resolve("s60"), "1\n".repeat(60));
    String run = " -n 1 -P 2 --bar sh -c 'sleep 0.1'";
    String end = "60/60 done, 0 failed, 0 running";
    liveBar("file", Proc.JPACK + " -a " + file + run, "(?s).*[1-9][0-9]*/60 done, 0 failed, [12]"
        + " running.*", end);
    liveBar("pipe", "seq 60 | " + Proc.JPACK + run, "(?s).*[1-9][0-9]*/60 done, 0 failed, [12]"
        + " running.*", end);
    liveBar("open pipe", "{ seq 60; sleep 3; } | " + Proc.JPACK + run, "(?s).*[1-9][0-9]*/\\?"
        + " done, 0 failed, [12] running.*", end);
  }

  /** Runs cmd in a tmux terminal: a screen matching live is seen, then end and exit 0. */
  private void liveBar(String what, String cmd, String live, String end) throws Exception {
    String session = "jpack-total-" + ProcessHandle.current().pid();
    new ProcessBuilder("tmux", "new-session", "-d", "-s", session, "-x", "150", "-y", "10",
        cmd + "; echo EXIT=$?; sleep 30").start().waitFor(10, TimeUnit.SECONDS);
    try {
      String screen = "";
      boolean sawLive = false;
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < until) {
        Process cap = new ProcessBuilder("tmux", "capture-pane", "-p", "-t", session).start();
        screen = new String(cap.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        cap.waitFor(5, TimeUnit.SECONDS);
        sawLive |= screen.matches(live);
        if (screen.contains("EXIT=")) {
          break;
        }
        Thread.sleep(50);
      }
      assertTrue(sawLive, what + ": no live bar like " + live + " seen:\n" + screen);
      assertTrue(screen.contains(end), what + ":\n" + screen);
      assertTrue(screen.contains("EXIT=0"), what + ":\n" + screen);
    } finally {
      new ProcessBuilder("tmux", "kill-session", "-t", session).start().waitFor(10,
          TimeUnit.SECONDS);
    }
  }
}
