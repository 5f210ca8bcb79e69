package jpack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jpack.joblog.JobLog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real GNU parallel reads job logs jpack wrote: --resume, --resume-failed and --retry-failed
 * skip and rerun exactly the right tasks, both on a log of a real jpack run and on one written
 * through JobLog with every task's usage known (which goes to LOG.usage, leaving the log's nine
 * columns alone); and jpack reads back what parallel appended. Tasks 1 to 6 of 8 are in the log;
 * 2 and 4 exited 3, 6 was killed by SIGTERM (last: like xargs, jpack starts nothing after
 * that). Skips without parallel unless JPACK_REQUIRE_PARALLEL is set (CI).
 */
@Timeout(180)
class JobLogParallelCompatIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final String TASK = "#!/bin/sh\n"
      + "echo \"$# $*\" >> ran\n" // every run, with all its arguments
      + "case \"$1\" in 2|4) exit 3;; 6) kill -TERM $$;; esac\n";

  @TempDir Path dir;

  @BeforeEach
  void needParallel() throws IOException {
    assumeTrue(onPath("parallel") || System.getenv("JPACK_REQUIRE_PARALLEL") != null,
        "GNU parallel is not installed (apt-get install parallel)");
    Path task = dir.resolve("t.sh");
    Files.writeString(task, TASK);
    assertTrue(task.toFile().setExecutable(true));
    Files.writeString(dir.resolve("six"), "1\n2\n3\n4\n5\n6\n");
    Files.writeString(dir.resolve("eight"), "1\n2\n3\n4\n5\n6\n7\n8\n");
  }

  @Test
  void parallelResumesALogOfARealJpackRun() throws Exception {
    Proc.Result r = jpack("--joblog", "jpack.tsv", "-a", "six", "-n1", "./t.sh");
    assertEquals(125, r.code(), r.err()); // a task killed by a signal
    assertEquals(List.of("1 1", "1 2", "1 3", "1 4", "1 5", "1 6"), ran());
    List<String> log = Files.readAllLines(dir.resolve("jpack.tsv"), StandardCharsets.ISO_8859_1);
    assertEquals(JobLog.HEADER, log.get(0));
    assertEquals(7, log.size(), String.join("\n", log));
    for (String l : log) {
      assertEquals(9, l.split("\t", -1).length, "nine columns: " + l);
    }
    assertTrue(log.stream().anyMatch(l -> l.matches("6\t.*\t-1\t15\t\\./t\\.sh 6")), log::toString);
    Path usage = JobLog.usagePath(dir.resolve("jpack.tsv"));
    if (System.getenv("JPACK_REQUIRE_SPAWN_HELPER") != null) {
      // with a job log every local task starts through jpack-spawn, the first ones too
      assertEquals(7, Files.readAllLines(usage).size(), "a usage line for each of the 6 tasks");
    }
    if (Files.exists(usage)) { // keyed by its log lines
      for (String u : Files.readAllLines(usage).subList(1, Files.readAllLines(usage).size())) {
        String[] f = u.split("\t", -1);
        assertEquals(7, f.length, u);
        String key = f[0] + "\t" + f[1] + "\t" + f[2] + "\t";
        assertTrue(log.stream().anyMatch(l -> l.startsWith(key)), "no log line for " + u);
      }
    }
    expectParallelReruns("jpack.tsv");
  }

  @Test
  void parallelResumesALogWithEveryTasksUsage() throws Exception {
    Path log = dir.resolve("api.tsv");
    long start = 1796000000000L;
    try (JobLog j = JobLog.open(log, false, false, 0, 0, w -> { })) {
      for (int seq = 1; seq <= 6; seq++) {
        boolean killed = seq == 6;
        int exit = killed ? -1 : seq == 2 || seq == 4 ? 3 : 0;
        JobLog.Usage used = seq == 4 ? JobLog.Usage.UNKNOWN
            : new JobLog.Usage(2048L * seq, 1_000_000L + seq, 20_000L * seq);
        j.append(JobLog.line(seq, ":", start + seq, 5_000_000L, 0, 0, exit, killed ? 15 : 0,
            "./t.sh " + seq, used));
      }
    }
    List<String> lines = Files.readAllLines(log);
    assertEquals(7, lines.size());
    for (String l : lines) {
      assertEquals(9, l.split("\t", -1).length, "nine columns: " + l);
    }
    List<String> usage = Files.readAllLines(JobLog.usagePath(log));
    assertEquals(List.of(JobLog.USAGE_HEADER, "1\t:\t1796000000.001\t2048\t1.000001\t0.020000\t",
        "2\t:\t1796000000.002\t4096\t1.000002\t0.040000\t",
        "3\t:\t1796000000.003\t6144\t1.000003\t0.060000\t",
        "5\t:\t1796000000.005\t10240\t1.000005\t0.100000\t",
        "6\t:\t1796000000.006\t12288\t1.000006\t0.120000\t"), usage, "nothing for task 4");
    expectParallelReruns("api.tsv");

    // jpack itself resumes it: the same commands, so no changed-input complaint
    Files.copy(log, dir.resolve("again.tsv"));
    Files.deleteIfExists(dir.resolve("ran"));
    Proc.Result r = jpack("--joblog", "again.tsv", "--resume", "-a", "eight", "-n1", "./t.sh");
    assertEquals(123, r.code(), r.err()); // the failed ones still count
    assertTrue(r.err().contains("2 done, 0 failed"), r.err());
    assertEquals(List.of("1 7", "1 8"), ran());
  }

  /**
   * Why the figures are not columns after Command: --retry-failed reruns the rest of a failed
   * line as its command, figures and all (JobLog's javadoc).
   */
  @Test
  void extraColumnsAfterCommandWouldBeRerunAsArguments() throws Exception {
    String line = JobLog.line(2, ":", 1796000000002L, 5_000_000L, 0, 0, 3, 0, "./t.sh 2");
    Files.writeString(dir.resolve("wide.tsv"), JobLog.HEADER + "\tMaxRSSkB\tUserSec\tSysSec\n"
        + line.replace("\n", "\t2048\t1.000002\t0.040000\n"));
    parallel("wide.tsv", "--retry-failed");
    assertEquals(List.of("4 2 2048 1.000002 0.040000"), ran());
  }

  /** The three of GNU parallel's ways to read a log, each on a fresh copy of it. */
  private void expectParallelReruns(String pristine) throws Exception {
    parallel(pristine, "--resume", "-a", "eight", "-n1", "./t.sh");
    assertEquals(List.of("1 7", "1 8"), ran(), "--resume: what is not in the log");

    Proc.Result r = parallel(pristine, "--resume-failed", "-a", "eight", "-n1", "./t.sh");
    assertEquals(List.of("1 2", "1 4", "1 6", "1 7", "1 8"), ran(),
        "--resume-failed: the failed (exit 3, SIGTERM) and what is not in the log");
    // jpack reads the lines parallel appended (a later line for a seq wins)
    Files.deleteIfExists(dir.resolve("ran"));
    Proc.Result j = jpack("--joblog", "cur.tsv", "--resume", "-a", "eight", "-n1", "./t.sh");
    assertEquals(123, j.code(), j.err()); // of those, 2, 4 and 6 failed (again)
    assertTrue(j.err().contains("8 already done"), j.err());
    assertEquals(List.of(), ran(), "jpack --resume after parallel: all eight are logged");
    j = jpack("--joblog", "cur.tsv", "--resume-failed", "-a", "eight", "-n1", "./t.sh");
    assertEquals(List.of("1 2", "1 4", "1 6"), ran(), "jpack --resume-failed: " + j.err());

    parallel(pristine, "--retry-failed");
    assertEquals(List.of("1 2", "1 4", "1 6"), ran(),
        "--retry-failed: the failed commands of the log, each with its one argument");
  }

  /** Runs GNU parallel on a copy cur.tsv of the log; returns with ran cleared before. */
  private Proc.Result parallel(String log, String... args) throws Exception {
    Files.copy(dir.resolve(log), dir.resolve("cur.tsv"), StandardCopyOption.REPLACE_EXISTING);
    Files.deleteIfExists(dir.resolve("ran"));
    List<String> argv = new ArrayList<>(List.of("parallel", "--will-cite", "--joblog",
        "cur.tsv"));
    argv.addAll(List.of(args));
    Proc.Result r = Proc.run(argv.toArray(String[]::new), null, Map.of(), dir.toFile(), LIMIT);
    assertFalse(r.err().contains("Format of"), r.err());
    assertNotEquals(255, r.code(), r.err());
    return r;
  }

  private Proc.Result jpack(String... args) throws Exception {
    return Proc.run(Proc.prepend(Proc.JPACK, args), null, Map.of(), dir.toFile(), LIMIT);
  }

  /** The runs t.sh recorded ("N args"), sorted. */
  private List<String> ran() throws IOException {
    Path ran = dir.resolve("ran");
    return Files.exists(ran) ? Proc.sortedLines(Files.readString(ran)) : List.of();
  }

  private static boolean onPath(String program) {
    Set<String> seen = new HashSet<>();
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!d.isEmpty() && seen.add(d) && Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }
}
