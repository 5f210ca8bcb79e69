package jpack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import java.util.concurrent.TimeUnit;

/**
 * The examples and the launchers on a real one-node Slurm cluster (slurmctld, slurmd, munge),
 * started by src/test/sh/slurm-cluster.sh. Without Slurm installed the tests skip, unless
 * JPACK_REQUIRE_SLURM is set (CI), where a skip is a failure. Job scripts are the files in
 * examples/, submitted as they are; only their resources are set on the sbatch command line
 * (a 48-CPU request does not fit this machine), as a user would.
 */
@Timeout(600)
class SlurmIT {
  private static final Path EXAMPLES = Proc.HOME.resolve("examples");
  private static Map<String, String> env;

  @BeforeAll
  static void startCluster() throws Exception {
    env = Map.of("SLURM_CONF", Proc.startService("/usr/sbin/slurmctld",
        "Slurm (slurm-wlm, munge)", "JPACK_REQUIRE_SLURM", "slurm-cluster.sh", "start"));
  }

  /** A submission directory as the examples expect: jpack, task.sh and tasks.txt in it. */
  private static Path submitDir(Path dir, int tasks) throws IOException {
    Path jpack = dir.resolve("jpack"); // as if installed there (a script, not a link: JUnit
    Files.writeString(jpack, "#!/bin/sh\nexec '" + Proc.JPACK + "' \"$@\"\n"); // warns on links)
    jpack.toFile().setExecutable(true);
    Files.copy(EXAMPLES.resolve("task.sh"), dir.resolve("task.sh"));
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= tasks; i++) {
      sb.append("item").append(i).append('\n');
    }
    Files.writeString(dir.resolve("tasks.txt"), sb);
    return dir;
  }

  private static Proc.Result run(Path dir, Duration limit, String... argv) throws Exception {
    return Proc.run(argv, null, env, dir.toFile(), limit);
  }

  private static String sbatch(Path dir, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("sbatch", "--parsable"));
    argv.addAll(List.of(args));
    Proc.Result r = run(dir, Duration.ofSeconds(60), argv.toArray(String[]::new));
    assertEquals(0, r.code(), "sbatch: " + r.err());
    return r.out().strip().split(";")[0];
  }

  /** Waits until no job of the given id (or array) is pending or running. */
  private static void awaitGone(Path dir, String job, Duration limit) throws Exception {
    long until = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < until) {
      Proc.Result r = run(dir, Duration.ofSeconds(30), "squeue", "-h", "-j", job, "-o", "%T");
      if (r.code() == 0 && r.out().isBlank()) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("job " + job + " still queued after " + limit);
  }

  /** seq -> exit value over every job log in dir matching glob; fails on a seq logged twice. */
  private static Map<Integer, String> logged(Path dir, String glob) throws IOException {
    Map<Integer, String> seen = new TreeMap<>();
    try (var files = Files.newDirectoryStream(dir, glob)) {
      for (Path f : files) {
        for (String line : Files.readAllLines(f, StandardCharsets.ISO_8859_1)) {
          if (line.startsWith("Seq\t") || line.isEmpty()) {
            continue;
          }
          String[] x = line.split("\t");
          String before = seen.put(Integer.parseInt(x[0]), x[6]);
          assertEquals(null, before, "task " + x[0] + " ran twice (" + f + ")");
        }
      }
    }
    return seen;
  }

  private static Map<Integer, String> allSucceeded(int n) {
    Map<Integer, String> want = new TreeMap<>();
    for (int i = 1; i <= n; i++) {
      want.put(i, "0");
    }
    return want;
  }

  /** Lines "task itemN on HOST slot S" in every file matching glob. */
  private static List<String> taskLines(Path dir, String glob) throws IOException {
    List<String> lines = new ArrayList<>();
    try (var files = Files.newDirectoryStream(dir, glob)) {
      for (Path f : files) {
        Files.readAllLines(f, StandardCharsets.ISO_8859_1).stream()
            .filter(l -> l.startsWith("task ")).forEach(lines::add);
      }
    }
    return lines;
  }

  private static Set<String> items(List<String> taskLines) {
    Set<String> items = new HashSet<>();
    for (String l : taskLines) {
      assertTrue(items.add(l.split(" ")[1]), "twice: " + l);
    }
    return items;
  }

  private static Set<String> expectedItems(int n) {
    Set<String> s = new HashSet<>();
    for (int i = 1; i <= n; i++) {
      s.add("item" + i);
    }
    return s;
  }

  /** A job script as a user writes one for sbatch: the submission directory, one jpack line. */
  private static Path jobScript(Path dir, String name, String jpackLine) throws IOException {
    Path script = dir.resolve(name);
    Files.writeString(script, "#!/bin/sh\ncd \"$SLURM_SUBMIT_DIR\"\n" + jpackLine + "\n");
    return script;
  }

  /** Every file in dir matching glob, named, for failure messages. */
  private static String contents(Path dir, String glob) throws IOException {
    StringBuilder sb = new StringBuilder();
    try (var files = Files.newDirectoryStream(dir, glob)) {
      for (Path f : files) {
        sb.append("\n== ").append(f.getFileName()).append('\n')
            .append(Files.readString(f, StandardCharsets.ISO_8859_1));
      }
    }
    return sb.toString();
  }

  /**
   * examples/slurm-array.sbatch as written (its 21 elements, one CPU each): the parts together
   * run every task once; then the rerun of one element whose log was lost, as its comment shows
   * (sbatch --array=3), runs part 3 again and nothing else.
   */
  @Test
  void arrayExampleShardsRunEveryTaskOnceAndOneElementReruns(@TempDir Path tmp)
      throws Exception {
    Path dir = submitDir(tmp, 42);
    String example = EXAMPLES.resolve("slurm-array.sbatch").toString();
    String job = sbatch(dir, "--cpus-per-task=1", "--time=5", "-o", "slurm-%A_%a.out", example);
    awaitGone(dir, job, Duration.ofSeconds(400));
    assertEquals(allSucceeded(42), logged(dir, "log.*.tsv"), contents(dir, "slurm-*.out"));
    for (int k = 1; k <= 21; k++) {
      assertTrue(Files.exists(dir.resolve("log." + k + ".tsv")), "shard " + k + "'s log");
    }
    assertEquals(expectedItems(42), items(taskLines(dir, "slurm-*.out")));
    Files.delete(dir.resolve("log.3.tsv"));
    String rerun = sbatch(dir, "--array=3", "--cpus-per-task=1", "--time=5", "-o",
        "rerun-%A_%a.out", example);
    awaitGone(dir, rerun, Duration.ofSeconds(120));
    assertEquals(Set.of("item3", "item24"), items(taskLines(dir, "rerun-*.out")),
        contents(dir, "rerun-*.out"));
    assertEquals(allSucceeded(42), logged(dir, "log.*.tsv"));
  }

  /** --array=1-9:2: five elements, five parts (before: parts 2 and 4 never ran, 40 % lost). */
  @Test
  void aSteppedArrayRunsEveryTaskOnce(@TempDir Path tmp) throws Exception {
    Path dir = submitDir(tmp, 20);
    Path script = jobScript(dir, "job.sh", "./jpack --shard auto -a tasks.txt -L 1 --joblog"
        + " 'log.{shard}.tsv' sh -c 'echo task $1 on $SLURM_ARRAY_TASK_ID' sh");
    String job = sbatch(dir, "--array=1-9:2", "--cpus-per-task=1", "--time=5",
        "-o", "slurm-%A_%a.out", script.toString());
    awaitGone(dir, job, Duration.ofSeconds(240));
    assertEquals(allSucceeded(20), logged(dir, "log.*.tsv"), contents(dir, "slurm-*.out"));
    for (int k = 1; k <= 5; k++) {
      assertTrue(Files.exists(dir.resolve("log." + k + ".tsv")), "shard " + k + "'s log");
    }
    assertEquals(expectedItems(20), items(taskLines(dir, "slurm-*.out")));
  }

  /**
   * sbatch --array=3, the usual fix for one failed part: with --shard auto/5 it runs part 3's
   * tasks only, into log.3.tsv; plain --shard auto refuses (before, it ran all 20 as part 1/1).
   */
  @Test
  void aRerunOfOneElementRunsOnlyItsPart(@TempDir Path tmp) throws Exception {
    Path dir = submitDir(tmp, 20);
    String run = " -a tasks.txt -L 1 sh -c 'echo task $1' sh";
    Path given = jobScript(dir, "given.sh", "./jpack --shard auto/5 --joblog 'log.{shard}.tsv'"
        + run);
    Path plain = jobScript(dir, "plain.sh", "./jpack --shard auto --joblog 'plain.{shard}.tsv'"
        + run);
    String a = sbatch(dir, "--array=3", "--cpus-per-task=1", "--time=5", "-o", "given-%a.out",
        given.toString());
    String b = sbatch(dir, "--array=3", "--cpus-per-task=1", "--time=5", "-o", "plain-%a.out",
        plain.toString());
    awaitGone(dir, a, Duration.ofSeconds(240));
    awaitGone(dir, b, Duration.ofSeconds(240));
    assertEquals(Map.of(3, "0", 8, "0", 13, "0", 18, "0"), logged(dir, "*.tsv"),
        contents(dir, "*.out"));
    assertTrue(Files.exists(dir.resolve("log.3.tsv")), contents(dir, "*.out"));
    String refused = Files.readString(dir.resolve("plain-3.out"));
    assertTrue(refused.startsWith("jpack: --shard auto: a one-element array (index 3)"),
        refused);
    assertEquals(List.of(), taskLines(dir, "plain-*.out"), "the refused rerun ran nothing");
  }

  /** --status status.{shard}.json in an array: one file per element, each its part's counts. */
  @Test
  void statusFilesInAnArrayAreOnePerElement(@TempDir Path tmp) throws Exception {
    Path dir = submitDir(tmp, 12);
    Path script = jobScript(dir, "job.sh", "./jpack --shard auto -a tasks.txt -L 1 --status"
        + " 'status.{shard}.json' sh -c 'echo task $1' sh");
    String job = sbatch(dir, "--array=1-3", "--cpus-per-task=1", "--time=5",
        "-o", "slurm-%A_%a.out", script.toString());
    awaitGone(dir, job, Duration.ofSeconds(240));
    for (int k = 1; k <= 3; k++) {
      Path status = dir.resolve("status." + k + ".json");
      assertTrue(Files.exists(status), "element " + k + "'s status" + contents(dir, "*"));
      String json = Files.readString(status);
      assertTrue(json.startsWith("{\"done\":4,\"failed\":0,\"killed\":0,\"running\":0,"
          + "\"total\":4,") && json.contains("\"finished\":true"), json);
    }
    assertTrue(!Files.exists(dir.resolve("status.{shard}.json")), "one file for all elements");
  }

  /** examples/slurm-multinode.sbatch with two jpacks (one node here): one srun, one input. */
  @Test
  void multinodeExampleSplitsTheInputOverItsSrunTasks(@TempDir Path tmp) throws Exception {
    Path dir = submitDir(tmp, 10);
    String job = sbatch(dir, "--nodes=1", "--ntasks-per-node=2", "--cpus-per-task=1",
        "--time=5", "-o", "slurm-%j.out", EXAMPLES.resolve("slurm-multinode.sbatch").toString());
    awaitGone(dir, job, Duration.ofSeconds(240));
    assertEquals(allSucceeded(10), logged(dir, "log.*.tsv"));
    assertTrue(Files.exists(dir.resolve("log.1.tsv")) && Files.exists(dir.resolve("log.2.tsv")));
    assertEquals(expectedItems(10), items(taskLines(dir, "slurm-*.out")));
  }

  /** srun -n 2 jpack --shard auto: each of the two jpacks runs its half of one input. */
  @Test
  void srunTwoJpacksSplitOneInput(@TempDir Path tmp) throws Exception {
    Path dir = submitDir(tmp, 9);
    Proc.Result r = run(dir, Duration.ofSeconds(240), "srun", "-n", "2", "--time=5",
        "./jpack", "--shard", "auto", "-a", "tasks.txt", "-L", "1", "--joblog",
        "log.{shard}.tsv", "sh", "-c", "echo task $1 of $SLURM_PROCID", "sh");
    assertEquals(0, r.code(), r.err());
    assertEquals(expectedItems(9), items(r.out().lines().toList()));
    Map<String, Integer> perProc = new HashMap<>();
    r.out().lines().forEach(l -> perProc.merge(l.split(" ")[3], 1, Integer::sum));
    assertEquals(Map.of("0", 5, "1", 4), perProc, "task seq modulo 2: " + r.out());
    assertEquals(allSucceeded(9), logged(dir, "log.*.tsv"));
  }

  /**
   * Issue 14: inside srun -n 2 each jpack took the whole node (SLURM_CPUS_ON_NODE), 4 tasks on 2
   * CPUs. A task of a step counts its own CPUs: SLURM_CPUS_PER_TASK with -c, else the node's
   * CPUs over the step's tasks on it.
   */
  @Test
  void eachTaskOfAnSrunStepCountsItsOwnCpus(@TempDir Path tmp) throws Exception {
    Path dir = submitDir(tmp, 1);
    for (List<String> c : List.of(List.of("-c", "1"), List.<String>of())) {
      List<String> argv = new ArrayList<>(List.of("srun", "-n", "2"));
      argv.addAll(c);
      argv.addAll(List.of("--time=5", "./jpack", "--show-allocation", "true"));
      Proc.Result r = run(dir, Duration.ofSeconds(240), argv.toArray(String[]::new));
      assertEquals(0, r.code(), r.err());
      List<String> shown = r.err().lines().filter(l -> l.startsWith("jpack: allocation: "))
          .toList();
      assertEquals(2, shown.size(), r.err());
      for (String l : shown) {
        assertTrue(l.startsWith(c.isEmpty() ? "jpack: allocation: 1 CPUs (SLURM_CPUS_ON_NODE "
            : "jpack: allocation: 1 CPUs (SLURM_CPUS_PER_TASK, a task of srun step "), l);
        assertTrue(l.endsWith("; 1 tasks at once"), l);
      }
    }
  }

  /** srun -n 1 jpack --shard auto, a one-node trial of the multi-node example: part 1 of 1. */
  @Test
  void oneSrunProcessIsPartOneOfOne(@TempDir Path tmp) throws Exception {
    Path dir = submitDir(tmp, 5);
    Proc.Result r = run(dir, Duration.ofSeconds(240), "srun", "-n", "1", "--time=5",
        "./jpack", "--shard", "auto", "-a", "tasks.txt", "-L", "1", "--joblog",
        "log.{shard}.tsv", "sh", "-c", "echo task $1 $JPACK_SHARD", "sh");
    assertEquals(0, r.code(), r.err());
    assertEquals(expectedItems(5), items(r.out().lines().toList()));
    assertTrue(r.out().lines().allMatch(l -> l.endsWith(" 1/1")), r.out());
    assertEquals(allSucceeded(5), logged(dir, "log.1.tsv"));
  }

  /** salloc, then --hosts auto --launcher srun: every task is its own job step in the job. */
  @Test
  void sallocWithLauncherSrunRunsTasksAsJobSteps(@TempDir Path tmp) throws Exception {
    Path dir = submitDir(tmp, 6);
    Proc.Result r = run(dir, Duration.ofSeconds(240), "salloc", "-n", "2", "--time=5",
        "./jpack", "--hosts", "auto", "--launcher", "srun", "-a", "tasks.txt", "-L", "1",
        "--joblog", "run.tsv", "sh", "-c",
        "echo task $1 step $SLURM_STEP_ID job $SLURM_JOB_ID host $JPACK_HOST", "sh");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(expectedItems(6), items(lines));
    Set<String> steps = new HashSet<>();
    Set<String> jobs = new HashSet<>();
    for (String l : lines) {
      String[] f = l.split(" ");
      assertTrue(f[3].matches("\\d+"), "a job step: " + l);
      steps.add(f[3]);
      jobs.add(f[5]);
    }
    assertEquals(6, steps.size(), "one step per task: " + lines);
    assertEquals(1, jobs.size(), "all in the one allocation: " + lines);
    String node = run(dir, Duration.ofSeconds(30), "hostname", "-s").out().strip();
    List<String> log = Files.readAllLines(dir.resolve("run.tsv"));
    assertEquals(7, log.size());
    assertTrue(log.subList(1, 7).stream().allMatch(l -> l.split("\t")[1].equals(node)),
        "the Host column names the node: " + log);
  }

  /**
   * examples/slurm-resume-loop.sbatch, its resources made to fit (2 CPUs, a one-minute limit,
   * in a copy the resubmission also uses): 100 one-second tasks need two jobs; every task runs
   * once.
   */
  @Test
  void resumeLoopExampleFinishesOverTwoJobs(@TempDir Path tmp) throws Exception {
    Path dir = submitDir(tmp, 100); // copied into a project: no examples/ beside it
    String script = Files.readString(EXAMPLES.resolve("slurm-resume-loop.sbatch"))
        .replace("--cpus-per-task=48", "--cpus-per-task=2")
        .replace("--time=02:00:00", "--time=00:01:00\n#SBATCH --output=slurm-%j.out");
    assertTrue(script.contains("--time=00:01:00"), "the example still sets its time limit");
    Path copy = dir.resolve("my-resume-loop.sbatch");
    Files.writeString(copy, script);
    String first = sbatch(dir, copy.toString());
    awaitGone(dir, first, Duration.ofSeconds(180));
    long until = System.nanoTime() + Duration.ofSeconds(240).toNanos();
    while (logged(dir, "run.tsv").size() < 100 && System.nanoTime() < until) {
      Proc.Result q = run(dir, Duration.ofSeconds(30), "squeue", "-h", "-o", "%i %j");
      String next = Stream.of(q.out().split("\n")).filter(l -> l.endsWith("packed-resume"))
          .map(l -> l.split(" ")[0]).findFirst().orElse(null);
      if (next != null) {
        awaitGone(dir, next, Duration.ofSeconds(180));
      } else {
        Thread.sleep(500);
      }
    }
    assertEquals(allSucceeded(100), logged(dir, "run.tsv"));
    List<String> outs = new ArrayList<>();
    try (var files = Files.newDirectoryStream(dir, "slurm-*.out")) {
      files.forEach(f -> outs.add(f.getFileName().toString()));
    }
    assertTrue(outs.size() >= 2, "the first job ran out of time and the next resumed: " + outs);
  }

  /**
   * scancel signals every process of the job at once: the tasks die of TERM a moment before jpack
   * handles its own. They were stopped with the job, not failed: none is logged (so a resume
   * runs them), in every round.
   */
  @Test
  void scancelledTasksAreNotLoggedAsFailed(@TempDir Path tmp) throws Exception {
    Path dir = submitDir(tmp, 4);
    Path script = jobScript(dir, "cancel.sbatch", "./jpack -a tasks.txt -L 1 -P 2 --joblog"
        + " log.tsv --resume --term-grace 1 sh -c 'touch started.$JPACK_SEQ; sleep 60'");
    for (int round = 0; round < 3; round++) {
      String job = sbatch(dir, "-n", "1", "-c", "2", "-o", "cancel-" + round + ".out", script
          .toString());
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        try (var s = Files.newDirectoryStream(dir, "started.*")) {
          int n = 0;
          for (Path ignored : s) {
            n++;
          }
          if (n >= 2) {
            break;
          }
        }
        assertTrue(System.nanoTime() < until, "the job's tasks never started");
        Thread.sleep(100);
      }
      Proc.Result c = run(dir, Duration.ofSeconds(30), "scancel", job);
      assertEquals(0, c.code(), c.err());
      awaitGone(dir, job, Duration.ofSeconds(60));
      assertEquals(Map.of(), logged(dir, "log.tsv"), "round " + round + ": "
          + Files.readString(dir.resolve("cancel-" + round + ".out")));
      try (var s = Files.newDirectoryStream(dir, "started.*")) {
        for (Path f : s) {
          Files.delete(f);
        }
      }
    }
  }
}
