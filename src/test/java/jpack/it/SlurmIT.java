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

  /** examples/slurm-array.sbatch as a 3-part array: the parts together run every task once. */
  @Test
  void arrayExampleShardsRunEveryTaskOnce(@TempDir Path tmp) throws Exception {
    Path dir = submitDir(tmp, 12);
    String job = sbatch(dir, "--array=1-3", "--cpus-per-task=1", "--time=5",
        "-o", "slurm-%A_%a.out", EXAMPLES.resolve("slurm-array.sbatch").toString());
    awaitGone(dir, job, Duration.ofSeconds(240));
    assertEquals(allSucceeded(12), logged(dir, "log.*.tsv"));
    for (int k = 1; k <= 3; k++) {
      assertTrue(Files.exists(dir.resolve("log." + k + ".tsv")), "shard " + k + "'s log");
    }
    assertEquals(expectedItems(12), items(taskLines(dir, "slurm-*.out")));
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
    Path dir = submitDir(tmp, 100);
    Files.createDirectory(dir.resolve("examples"));
    String script = Files.readString(EXAMPLES.resolve("slurm-resume-loop.sbatch"))
        .replace("--cpus-per-task=48", "--cpus-per-task=2")
        .replace("--time=02:00:00", "--time=00:01:00\n#SBATCH --output=slurm-%j.out");
    assertTrue(script.contains("--time=00:01:00"), "the example still sets its time limit");
    Path copy = dir.resolve("examples/slurm-resume-loop.sbatch");
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
}
