package jpack.site;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import jpack.config.Deadline;
import jpack.config.Policy;

/**
 * When the batch job jpack runs in must end: Slurm's SLURM_JOB_END_TIME (or squeue's end time);
 * PBS's walltime (qstat -f's Resource_List.walltime, or Torque's PBS_WALLTIME) counted from the
 * job's start (qstat -f's stime, Torque's start_time, or else the start of the job shell: the
 * topmost ancestor process with this PBS_JOBID in its environment). A query that fails or does
 * not answer within {@link #QUERY_LIMIT} is reported and the run goes on without its answer.
 */
public final class BatchJob {
  /** How long squeue or qstat may take before jpack starts without its answer. */
  public static final Duration QUERY_LIMIT = Duration.ofSeconds(2);

  private BatchJob() {}

  /** The run's deadline: --deadline, none with --deadline none, else the batch job's end. */
  public static Deadline deadline(Policy policy, Map<String, String> env, Instant now,
      Consumer<String> warn) {
    if (policy.deadline() != null) {
      return new Deadline(policy.deadline(), "--deadline");
    }
    if (!policy.autoDeadline()) {
      return new Deadline(null, "--deadline none");
    }
    Deadline d = deadline(env, now, warn, ProcessHandle.current());
    if (Diag.on()) {
      Diag.log(BatchJob.class, "deadline: " + (d.at() == null ? "none" : d.at()) + ", "
          + d.source());
    }
    return d;
  }

  /** The batch job's end; warnings (after "jpack: warning: ") go to warn. */
  static Deadline deadline(Map<String, String> env, Instant now, Consumer<String> warn,
      ProcessHandle self) {
    String end = env.get("SLURM_JOB_END_TIME");
    if (end != null && !end.isBlank()) {
      try {
        return new Deadline(Instant.ofEpochSecond(Long.parseLong(end.trim())),
            "SLURM_JOB_END_TIME");
      } catch (NumberFormatException e) {
        warn.accept("SLURM_JOB_END_TIME='" + end + "' is not a time: asking squeue instead");
      }
    }
    String slurmJob = env.get("SLURM_JOB_ID");
    if (slurmJob != null) {
      return slurm(slurmJob, warn);
    }
    String pbsJob = env.get("PBS_JOBID");
    if (pbsJob != null) {
      return pbs(pbsJob, env.get("PBS_WALLTIME"), now, warn, self);
    }
    return new Deadline(null, "not in a Slurm or PBS job");
  }

  private static Deadline slurm(String job, Consumer<String> warn) {
    String[] argv = {"squeue", "-h", "-j", job, "-o", "%e"};
    Answer a = query(QUERY_LIMIT, argv);
    if (a.error() != null) {
      warn.accept(String.join(" ", argv) + " " + a.error() + ": no deadline from Slurm job "
          + job + "; --deadline TIME sets one");
      return new Deadline(null, "unknown: squeue " + a.error());
    }
    String out = a.out().trim();
    if (out.isEmpty() || out.equals("NONE") || out.equals("Unknown") || out.equals("N/A")
        || out.equals("UNLIMITED")) {
      return new Deadline(null, "none: Slurm job " + job + " has no time limit (squeue: "
          + (out.isEmpty() ? "nothing" : out) + ")");
    }
    try {
      return new Deadline(LocalDateTime.parse(out).atZone(ZoneId.systemDefault()).toInstant(),
          "the end time of Slurm job " + job + " (squeue)");
    } catch (DateTimeParseException e) {
      warn.accept(String.join(" ", argv) + " printed '" + out + "', not an end time: no"
          + " deadline from Slurm job " + job + "; --deadline TIME sets one");
      return new Deadline(null, "unknown: squeue printed '" + out + "'");
    }
  }

  private static Deadline pbs(String job, String pbsWalltime, Instant now,
      Consumer<String> warn, ProcessHandle self) {
    String[] argv = {"qstat", "-f", job};
    Answer a = query(QUERY_LIMIT, argv);
    Qstat q = a.error() == null ? qstat(a.out()) : new Qstat(null, null);
    Duration walltime = q.walltime();
    String wallSource = "the walltime of PBS job " + job + " (qstat -f)";
    if (walltime == null && pbsWalltime != null) {
      try {
        walltime = Duration.ofSeconds(Long.parseLong(pbsWalltime.trim()));
        wallSource = "PBS_WALLTIME";
      } catch (NumberFormatException e) {
        warn.accept("PBS_WALLTIME='" + pbsWalltime + "' is not a number of seconds");
      }
    }
    Instant start = q.start();
    String startSource = "its start (qstat -f)";
    if (start == null && walltime != null) {
      Optional<ProcessHandle> shell = jobShell(job, self);
      start = shell.flatMap(p -> p.info().startInstant()).orElse(null);
      startSource = "the start of the job shell (process " + shell.map(ProcessHandle::pid)
          .orElse(-1L) + ")";
    }
    String failed = a.error() == null ? null : String.join(" ", argv) + " " + a.error();
    if (walltime == null) {
      if (failed != null) {
        warn.accept(failed + ": no deadline from PBS job " + job + "; --deadline TIME sets one");
      }
      return new Deadline(null, failed != null ? "unknown: qstat " + a.error()
          : "none: PBS job " + job + " has no walltime");
    }
    if (start == null) {
      warn.accept((failed != null ? failed : "the start of PBS job " + job + " is unknown (not"
          + " in qstat -f)") + ", and no job shell is among jpack's ancestors: counting "
          + wallSource + " from now, so the deadline may be late; --deadline TIME sets it");
      return new Deadline(now.plus(walltime), wallSource + " counted from jpack's start");
    }
    if (failed != null) {
      warn.accept(failed + ": the deadline is " + wallSource + " counted from " + startSource);
    }
    return new Deadline(start.plus(walltime), wallSource + " counted from " + startSource);
  }

  /** What qstat -f tells: the walltime and the start, each null when not there. */
  record Qstat(Duration walltime, Instant start) {}

  /**
   * From qstat -f: Resource_List.walltime = [[DD:]HH:]MM:SS, and PBS Pro's stime or Torque's
   * start_time = Wed Nov 25 10:00:00 2026.
   */
  static Qstat qstat(String text) {
    Duration walltime = null;
    Instant start = null;
    if (text == null) {
      return new Qstat(null, null);
    }
    for (String line : text.split("\n")) {
      String l = line.trim();
      try {
        if (l.startsWith("Resource_List.walltime = ")) {
          String[] parts = l.substring(25).trim().split(":");
          long[] unit = {86400, 3600, 60, 1};
          long s = 0;
          for (int i = 0; i < parts.length && parts.length <= 4; i++) {
            s += Long.parseLong(parts[i]) * unit[4 - parts.length + i];
          }
          walltime = parts.length <= 4 ? Duration.ofSeconds(s) : null;
        } else if (l.startsWith("stime = ") || l.startsWith("start_time = ")) {
          start = LocalDateTime.parse(l.substring(l.indexOf('=') + 1).trim()
              .replaceAll("\\s+", " "), DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy",
                  Locale.ROOT)).atZone(ZoneId.systemDefault()).toInstant();
        }
      } catch (NumberFormatException | DateTimeParseException e) {
        // a field jpack cannot read: as if it were not there
      }
    }
    return new Qstat(walltime, start);
  }

  /** From qstat -f output: the job's end, or null when walltime or start is missing. */
  static Instant pbsDeadline(String qstat) {
    Qstat q = qstat(qstat);
    return q.walltime() != null && q.start() != null ? q.start().plus(q.walltime()) : null;
  }

  /**
   * The job shell: the topmost of this process and its ancestors that has PBS_JOBID=job in its
   * environment (the batch script pbs_mom started; jpack's launcher execs, so jpack itself may be
   * it). On another node of the job (pbsdsh, mpirun) it is the process started there.
   */
  static Optional<ProcessHandle> jobShell(String job, ProcessHandle self) {
    ProcessHandle top = null;
    for (ProcessHandle p = self; p != null; p = p.parent().orElse(null)) {
      if (!job.equals(environ(p.pid()).get("PBS_JOBID"))) {
        break;
      }
      top = p;
    }
    return Optional.ofNullable(top);
  }

  private static Map<String, String> environ(long pid) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "environ"));
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
    Map<String, String> env = new java.util.HashMap<>();
    for (String kv : new String(raw, StandardCharsets.ISO_8859_1).split("\0")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        env.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    return env;
  }

  /** A query's output, or why there is none ("failed (exit 1: ...)", "did not answer ..."). */
  record Answer(String out, String error) {}

  /**
   * Runs a short query command with its stdin from /dev/null for at most limit; a command still
   * running then is killed (with what it started) and counts as failed.
   */
  static Answer query(Duration limit, String... argv) {
    long t0 = System.nanoTime();
    Answer a = execute(limit, argv);
    if (Diag.on()) {
      Diag.log(BatchJob.class, String.join(" ", argv) + ": " + (a.error() != null ? a.error()
          : "'" + a.out().strip() + "'") + " after " + (System.nanoTime() - t0) / 1_000_000
          + " ms");
    }
    return a;
  }

  /** Runs a short query command (at most 10 s); its output, or null when it failed. */
  static String run(String... argv) {
    return query(Duration.ofSeconds(10), argv).out();
  }

  private static Answer execute(Duration limit, String... argv) {
    Process p;
    try {
      p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(
          new File("/dev/null"))).start();
    } catch (IOException e) {
      String m = String.valueOf(e.getMessage());
      return new Answer(null, m.contains("error=2,") ? "failed: " + argv[0] + " is not on PATH"
          : "failed: " + m);
    }
    long until = System.nanoTime() + limit.toNanos();
    Drain out = Drain.start(p.getInputStream());
    Drain err = Drain.start(p.getErrorStream());
    try {
      if (!p.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        return new Answer(null, "did not answer within " + (limit.toMillis() % 1000 != 0
            ? limit.toMillis() + " ms" : limit.toSeconds() + " s"));
      }
      String stdout = out.text(until);
      if (p.exitValue() != 0) {
        String why = err.text(until).strip();
        if (why.isEmpty()) {
          why = stdout.strip();
        }
        int nl = why.indexOf('\n');
        why = nl < 0 ? why : why.substring(0, nl);
        return new Answer(null, "failed (exit " + p.exitValue() + (why.isEmpty() ? ""
            : ": " + why) + ")");
      }
      return new Answer(stdout, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return new Answer(null, "was interrupted");
    }
  }

  /** Reads a stream to its end on a daemon thread (a stray child may hold it open: bounded). */
  private static final class Drain extends Thread {
    private final InputStream in;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private Drain(InputStream in) {
      super("jpack-query");
      this.in = in;
      setDaemon(true);
    }

    static Drain start(InputStream in) {
      Drain d = new Drain(in);
      d.start();
      return d;
    }

    @Override
    public void run() {
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) > 0; ) {
          synchronized (bytes) {
            bytes.write(buf, 0, n);
          }
        }
      } catch (IOException e) {
        // the process is gone: what was read stands
      }
    }

    /** What was read once the stream ended, or by the time until (System.nanoTime). */
    String text(long until) throws InterruptedException {
      join(Math.max(1, (until - System.nanoTime()) / 1_000_000));
      synchronized (bytes) {
        return bytes.toString(StandardCharsets.ISO_8859_1);
      }
    }
  }

  /** Whether jpack runs inside a Slurm or PBS job. */
  public static boolean inBatchJob(Map<String, String> env) {
    return env.containsKey("SLURM_JOB_ID") || env.containsKey("PBS_JOBID");
  }
}
