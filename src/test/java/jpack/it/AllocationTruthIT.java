package jpack.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, "allocation truth": what jpack believes it was given, checked against real limits (a
 * CPU affinity mask, cgroups made here as root) and against squeue and qstat that fail or hang
 * (fake ones first on PATH).
 */
@Timeout(120)
class AllocationTruthIT {
  @TempDir Path tmp;

  private Proc.Result jpack(Map<String, String> env, String... args) throws Exception {
    return Proc.run(Proc.prepend(Proc.JPACK, args), null, env, tmp.toFile(),
        Duration.ofSeconds(30));
  }

  /** A directory with fake batch-system commands, for PATH. */
  private String fakeCommands(String... nameAndScript) throws Exception {
    Path bin = tmp.resolve("bin");
    Files.createDirectories(bin);
    for (int i = 0; i < nameAndScript.length; i += 2) {
      Path p = bin.resolve(nameAndScript[i]);
      Files.writeString(p, "#!/bin/sh\n" + nameAndScript[i + 1] + "\n");
      p.toFile().setExecutable(true);
    }
    return bin + ":" + System.getenv("PATH");
  }

  private static String line(String err, String prefix) {
    return err.lines().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no '" + prefix + "' line in:\n" + err));
  }

  /** The deadline --show-allocation prints, as an instant. */
  private static Instant shownDeadline(String err) {
    Matcher m = Pattern.compile("^jpack: deadline: (\\S+) ", Pattern.MULTILINE).matcher(err);
    assertTrue(m.find(), err);
    return OffsetDateTime.parse(m.group(1)).toInstant();
  }

  /** SLURM_CPUS_ON_NODE=2 under a one-CPU affinity mask: 1 CPU (before: 2, the claim won). */
  @Test
  void anAffinityMaskBeatsTheBatchSystemsClaim() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/taskset")), "taskset is needed");
    Proc.Result r = Proc.run(new String[] {"taskset", "-c", "0", Proc.JPACK, "--show-allocation",
        "true"}, null, Map.of("SLURM_CPUS_ON_NODE", "2"), tmp.toFile(), Duration.ofSeconds(30));
    assertEquals(0, r.code(), r.err());
    assertTrue(line(r.err(), "jpack: allocation: ").startsWith("jpack: allocation: 1 CPUs"
        + " (SLURM_CPUS_ON_NODE, capped by the CPU affinity (Cpus_allowed_list))"), r.err());
    assertTrue(r.err().contains("; 1 tasks at once"), r.err());
  }

  /** A cgroup made for the test: a parent with a limit, the child jpack runs in without one. */
  private record Cgroup(Path parent, Path child, boolean v2) {
    /** Removes both once jpack's last process (its watchdog ends a moment after it) is gone. */
    void remove() throws Exception {
      Path procs = child.resolve("cgroup.procs");
      long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (Files.exists(procs) && !Files.readString(procs).isBlank()
          && System.nanoTime() < until) {
        Thread.sleep(50);
      }
      Files.deleteIfExists(child);
      Files.deleteIfExists(parent);
    }
  }

  /**
   * Makes parent/child under the controller's hierarchy (v2 at /sys/fs/cgroup when it has the
   * controller, else v1 at /sys/fs/cgroup/CONTROLLER) and writes the parent's limit; skips when
   * that cannot be done, unless JPACK_REQUIRE_ROOT is set (then it fails).
   */
  private Cgroup cgroup(String controller, String v2File, String v2Value, String v1File,
      String v1Value) throws Exception {
    String name = "jpack-it-" + ProcessHandle.current().pid() + "-" + controller;
    boolean required = System.getenv("JPACK_REQUIRE_ROOT") != null;
    Path unified = Path.of("/sys/fs/cgroup");
    Path controllers = unified.resolve("cgroup.controllers");
    Cgroup cg = null;
    String why = null;
    try {
      if (Files.exists(controllers)
          && List.of(Files.readString(controllers).trim().split(" ")).contains(controller)) {
        Files.writeString(unified.resolve("cgroup.subtree_control"), "+" + controller);
        Path parent = Files.createDirectory(unified.resolve(name));
        cg = new Cgroup(parent, parent.resolve("child"), true);
        Files.writeString(parent.resolve("cgroup.subtree_control"), "+" + controller);
        Files.writeString(parent.resolve(v2File), v2Value);
        Files.createDirectory(cg.child());
      } else if (Files.isDirectory(unified.resolve(controller))) {
        Path parent = Files.createDirectory(unified.resolve(controller).resolve(name));
        cg = new Cgroup(parent, parent.resolve("child"), false);
        Files.writeString(parent.resolve(v1File), v1Value);
        Files.createDirectory(cg.child());
      } else {
        why = "no cgroup hierarchy with the " + controller + " controller";
      }
    } catch (java.io.IOException e) {
      why = "cannot make a " + controller + " cgroup: " + e;
      if (cg != null) {
        cg.remove();
      }
      cg = null;
    }
    if (cg == null) {
      assumeTrue(required, why + " (root is needed)");
      throw new AssertionError(why + " (JPACK_REQUIRE_ROOT is set)");
    }
    return cg;
  }

  /** Runs jpack in cg's child group. */
  private Proc.Result inCgroup(Cgroup cg, Map<String, String> env, String... args)
      throws Exception {
    StringBuilder cmd = new StringBuilder("echo $$ > '" + cg.child().resolve("cgroup.procs")
        + "' && exec '" + Proc.JPACK + "'");
    for (String a : args) {
      cmd.append(" '").append(a).append('\'');
    }
    return Proc.run(new String[] {"sh", "-c", cmd.toString()}, null, env, tmp.toFile(),
        Duration.ofSeconds(60));
  }

  /**
   * Issue 14: a memory limit on a parent cgroup (Slurm's job, over step and task) was missed:
   * jpack saw MemAvailable (~22 GiB here) instead of the 1 GiB it may use.
   */
  @Test
  void aParentCgroupsMemoryLimitIsSeen() throws Exception {
    Cgroup cg = cgroup("memory", "memory.max", String.valueOf(1L << 30),
        "memory.limit_in_bytes", String.valueOf(1L << 30));
    try {
      Proc.Result r = inCgroup(cg, Map.of(), "--show-allocation", "-P", "8", "--mem-per-task",
          "250M", "true");
      assertEquals(0, r.code(), r.err());
      String parentFile = cg.parent().resolve(cg.v2() ? "memory.max" : "memory.limit_in_bytes")
          .toString();
      assertTrue(line(r.err(), "jpack: allocation: ").contains("memory 1.0 GiB (cgroup memory"
          + " limit, " + parentFile + "; "), r.err());
      // 1 GiB less jpack's own (its resident memory + 64 MiB) over 250 MiB: 3, not -P 8
      assertTrue(r.err().contains("; 3 tasks at once"), r.err());

      Proc.Result never = inCgroup(cg, Map.of(), "--mem-per-task", "2G", "true");
      assertEquals(1, never.code(), never.err());
      assertEquals("jpack: --mem-per-task 2.0 GiB: this allocation has 1.0 GiB (cgroup memory"
          + " limit, " + parentFile + "), so no task can ever fit; ask for at most that, or for"
          + " a bigger allocation\n", never.err());

      Proc.Result tight = inCgroup(cg, Map.of(), "--mem-per-task", "1000M", "true");
      assertEquals(0, tight.code(), tight.err());
      assertTrue(tight.err().matches("jpack: warning: --mem-per-task 1000 MiB: only \\d+ MiB is"
          + " there for tasks \\(1.0 GiB cgroup memory limit, .*, less \\d+ MiB for jpack"
          + " itself\\), not enough for one: running 1 at once\n"), tight.err());
    } finally {
      cg.remove();
    }
  }

  /** A CPU quota of 1 CPU on the parent group caps NCPUS=2 (before: 2, the claim won). */
  @Test
  void aParentCgroupsCpuQuotaCapsTheClaim() throws Exception {
    Cgroup cg = cgroup("cpu", "cpu.max", "100000 100000", "cpu.cfs_quota_us", "100000");
    try {
      Proc.Result r = inCgroup(cg, Map.of("NCPUS", "2"), "--show-allocation", "true");
      assertEquals(0, r.code(), r.err());
      String file = cg.parent().resolve(cg.v2() ? "cpu.max" : "cpu.cfs_quota_us").toString();
      assertTrue(line(r.err(), "jpack: allocation: ").startsWith("jpack: allocation: 1 CPUs"
          + " (NCPUS, capped by the cgroup CPU quota (" + file + "))"), r.err());
    } finally {
      cg.remove();
    }
  }

  /** --cpus-per-task over the allocation's CPUs is an error, as --mem-per-task over its memory. */
  @Test
  void aCpuRequestOverTheAllocationIsRefused() throws Exception {
    Proc.Result r = jpack(Map.of("NCPUS", "1"), "--cpus-per-task", "64", "true");
    assertEquals(1, r.code(), r.err());
    assertEquals("jpack: --cpus-per-task 64: this allocation has 1 CPU (NCPUS), so no task can"
        + " ever fit; ask for at most 1, or give -P to run that many at once anyway\n", r.err());
    Proc.Result withP = jpack(Map.of("NCPUS", "1"), "-P", "1", "--cpus-per-task", "64", "sh",
        "-c", "echo $OMP_NUM_THREADS");
    assertEquals(0, withP.code(), withP.err());
    assertEquals("64\n", withP.out(), "with -P the user decides");
  }

  /**
   * A squeue that hangs never holds back the start: the first task starts within the query's
   * 2 s limit (before: jpack waited for squeue forever), with one warning naming it.
   */
  @Test
  void aHangingSqueueDelaysTheStartByTwoSecondsAtMost() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", fakeCommands("squeue", "exec sleep 60"));
    env.put("SLURM_JOB_ID", "4242");
    Path started = tmp.resolve("started");
    long t0 = System.currentTimeMillis();
    Proc.Result r = Proc.run(Proc.prepend(Proc.JPACK, "sh", "-c",
        "date +%s%3N > " + started), null, env, tmp.toFile(), Duration.ofSeconds(30));
    assertEquals(0, r.code(), r.err());
    long ms = Long.parseLong(Files.readString(started).trim()) - t0;
    assertTrue(ms < 2000 + 2500, "the first task started " + ms + " ms after jpack");
    assertEquals("jpack: warning: squeue -h -j 4242 -o %e did not answer within 2 s: no deadline"
        + " from Slurm job 4242; --deadline TIME sets one", r.err().lines().findFirst().get());
    assertTrue(r.err().lines().skip(1).allMatch(l -> l.startsWith("jpack: 1 done")), r.err());
  }

  @Test
  void aFailingSqueueIsReportedInOneLine() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", fakeCommands("squeue",
        "echo 'slurm_load_jobs error: Invalid job id specified' >&2; exit 1"));
    env.put("SLURM_JOB_ID", "4242");
    Proc.Result r = jpack(env, "--show-allocation", "true");
    assertEquals(0, r.code(), r.err());
    assertEquals("jpack: warning: squeue -h -j 4242 -o %e failed (exit 1: slurm_load_jobs error:"
        + " Invalid job id specified): no deadline from Slurm job 4242; --deadline TIME sets"
        + " one", r.err().lines().findFirst().orElse(""));
    assertEquals("jpack: deadline: none, unknown: squeue failed (exit 1: slurm_load_jobs error:"
        + " Invalid job id specified)", line(r.err(), "jpack: deadline: "));
  }

  /**
   * Torque: PBS_WALLTIME counts from the job's start, not jpack's. With qstat failing, the start
   * is the job shell's (the topmost ancestor with this PBS_JOBID), here 3 s before jpack's
   * (before: jpack's own start, so it started tasks past the job's end).
   */
  @Test
  void torqueWalltimeCountsFromTheJobShellsStart() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", fakeCommands("qstat", "echo \"qstat: Unknown Job Id $2\" >&2; exit 153"));
    env.put("PBS_JOBID", "77.torque");
    env.put("PBS_WALLTIME", "3600");
    Instant t0 = Instant.now();
    // the job shell: starts, works 3 s, then runs jpack (a child, not exec'd)
    Proc.Result r = Proc.run(new String[] {"sh", "-c", "sleep 3; '" + Proc.JPACK
        + "' --show-allocation true; echo done"}, null, env, tmp.toFile(), Duration.ofSeconds(30));
    assertEquals(0, r.code(), r.err());
    Instant deadline = shownDeadline(r.err());
    Instant want = t0.plusSeconds(3600);
    assertTrue(!deadline.isBefore(want.minusSeconds(2)) && !deadline.isAfter(want.plusSeconds(1)),
        "deadline " + deadline + ", want " + want + " (jpack started 3 s later):\n" + r.err());
    assertTrue(line(r.err(), "jpack: deadline: ").matches(".*, PBS_WALLTIME counted from the"
        + " start of the job shell \\(process \\d+\\)"), r.err());
    assertTrue(r.err().startsWith("jpack: warning: qstat -f 77.torque failed (exit 153: qstat:"
        + " Unknown Job Id 77.torque): the deadline is PBS_WALLTIME counted from the start of the"
        + " job shell (process "), r.err());
  }

  /** Torque's qstat -f says start_time (PBS Pro: stime): before, only stime was read. */
  @Test
  void torqueQstatStartTime() throws Exception {
    ZoneId zone = ZoneId.systemDefault();
    LocalDateTime start = LocalDateTime.now(zone).minusMinutes(10).withNano(0);
    String stamp = start.format(DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy",
        Locale.ROOT));
    Map<String, String> env = new HashMap<>();
    env.put("PATH", fakeCommands("qstat", "printf 'Job Id: 78.torque\\n"
        + "    Resource_List.walltime = 01:00:00\\n    start_time = " + stamp + "\\n'"));
    env.put("PBS_JOBID", "78.torque");
    env.put("PBS_WALLTIME", "3600");
    Proc.Result r = jpack(env, "--show-allocation", "--shard", "2/3", "--joblog", "log.tsv",
        "--resume", "true");
    assertEquals(0, r.code(), r.err());
    assertEquals(start.plusHours(1).atZone(zone).toInstant(), shownDeadline(r.err()), r.err());
    assertTrue(line(r.err(), "jpack: deadline: ").endsWith(", the walltime of PBS job 78.torque"
        + " (qstat -f) counted from its start (qstat -f)"), r.err());
    assertEquals("jpack: shard: 2/3", line(r.err(), "jpack: shard: "));
    assertEquals("jpack: job log: log.tsv (--resume)", line(r.err(), "jpack: job log: "));
    assertTrue(!r.err().contains("warning"), r.err());
  }

  /**
   * "running" counts tasks that run: not those queued in jpack-spawn behind a running one, nor
   * those that ended and wait to be seen (before: up to 8 "running" at -P 2).
   */
  @Test
  void progressCountsOnlyRunningTasksAndDoneMeansSucceeded() throws Exception {
    StringBuilder in = new StringBuilder();
    for (int i = 1; i <= 3000; i++) {
      in.append(i).append('\n');
    }
    Proc.Result r = Proc.run(Proc.prepend(Proc.JPACK, "-n", "1", "-P", "2", "--progress",
        "--progress-interval", "0.02s", "sh", "-c", "exit 0"), in.toString().getBytes(
        StandardCharsets.US_ASCII), Map.of(), tmp.toFile(), Duration.ofSeconds(90));
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.err().lines().filter(l -> l.startsWith("jpack: progress: ")).toList();
    assertTrue(lines.size() >= 5, r.err());
    for (String l : lines) {
      int running = Integer.parseInt(l.replaceAll(".* (\\d+) running.*", "$1"));
      assertTrue(running <= 2, l);
    }
    // "done" is what the summary calls done: succeeded, with the failed ones apart
    Proc.Result half = Proc.run(Proc.prepend(Proc.JPACK, "-n", "1", "-P", "2", "--progress",
        "sh", "-c", "exit $(($1 % 2))", "sh"), "1\n2\n3\n4\n5\n6\n".getBytes(
        StandardCharsets.US_ASCII), Map.of(), tmp.toFile(), Duration.ofSeconds(60));
    assertEquals(123, half.code(), half.err());
    assertTrue(line(half.err(), "jpack: progress: ").startsWith("jpack: progress: 3/6 done,"
        + " 3 failed, 0 running"), half.err());
    assertTrue(half.err().contains("jpack: 3 done, 3 failed, 0 killed"), half.err());
  }

  /**
   * Issue 14, item 6: --debug and JPACK_LOG=debug show what jpack probed and why it runs P at
   * once, through slf4j-simple; a plain run loads no slf4j class at all (its start-up cost).
   */
  @Test
  void diagnosticsOnlyWhenAsked() throws Exception {
    Path classes = tmp.resolve("classes.log");
    Proc.Result plain = jpack(Map.of("NCPUS", "1", "JPACK_JAVA_OPTS",
        "-Xlog:class+load:file=" + classes), "--mem-per-task", "1M", "true");
    assertEquals(0, plain.code(), plain.err());
    assertEquals("", plain.err());
    String loaded = Files.readString(classes);
    assertTrue(loaded.contains("jpack.site.AllocationProbe"), "the log lists jpack's classes");
    assertTrue(!loaded.contains("org.slf4j"), "slf4j was loaded on a plain run");
    for (Map<String, String> env : List.of(Map.of("NCPUS", "1", "JPACK_LOG", "debug"),
        Map.of("NCPUS", "1"))) {
      Proc.Result r = env.containsKey("JPACK_LOG") ? jpack(env, "--mem-per-task", "1M", "true")
          : jpack(env, "--debug", "--mem-per-task", "1M", "true");
      assertEquals(0, r.code(), r.err());
      assertTrue(r.err().matches("(?s).*DEBUG AllocationProbe - CPUs: batch system's claim 1"
          + " \\(NCPUS\\).*"), r.err());
      assertTrue(r.err().matches("(?s).*DEBUG RunPlan - tasks at once from the allocation: 1 CPUs"
          + " / 1 per task = 1, .* for tasks / 1 MiB per task = \\d+: 1.*"), r.err());
      assertTrue(r.err().contains("DEBUG BatchJob - deadline: none, not in a Slurm or PBS job"),
          r.err());
    }
  }
}
