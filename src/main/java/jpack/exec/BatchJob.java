package jpack.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * When the batch job jpack runs in must end: Slurm's SLURM_JOB_END_TIME (or squeue's end time),
 * PBS's walltime plus the job's start time (from qstat -f), or Torque's PBS_WALLTIME counted from
 * jpack's own start (a safe underestimate of what is left).
 */
public final class BatchJob {
  private BatchJob() {}

  /** The job's end, or null outside a batch job or when it cannot be told. */
  public static Instant deadline(Map<String, String> env, Instant now) {
    try {
      String end = env.get("SLURM_JOB_END_TIME");
      if (end != null && !end.isBlank()) {
        return Instant.ofEpochSecond(Long.parseLong(end.trim()));
      }
      String slurmJob = env.get("SLURM_JOB_ID");
      if (slurmJob != null) {
        String out = run("squeue", "-h", "-j", slurmJob, "-o", "%e");
        if (out != null && !out.isBlank()) {
          return LocalDateTime.parse(out.trim()).atZone(ZoneId.systemDefault()).toInstant();
        }
        return null;
      }
      String pbsJob = env.get("PBS_JOBID");
      if (pbsJob != null) {
        Instant fromQstat = pbsDeadline(run("qstat", "-f", pbsJob));
        if (fromQstat != null) {
          return fromQstat;
        }
        String walltime = env.get("PBS_WALLTIME");
        if (walltime != null) {
          return now.plusSeconds(Long.parseLong(walltime.trim()));
        }
      }
    } catch (NumberFormatException | DateTimeParseException e) {
      return null;
    }
    return null;
  }

  /** From qstat -f: Resource_List.walltime = HH:MM:SS and stime = Wed Nov 25 10:00:00 2026. */
  static Instant pbsDeadline(String qstat) {
    if (qstat == null) {
      return null;
    }
    Duration walltime = null;
    Instant start = null;
    for (String line : qstat.split("\n")) {
      String l = line.trim();
      if (l.startsWith("Resource_List.walltime = ")) {
        String[] hms = l.substring(25).trim().split(":");
        long s = 0;
        for (String part : hms) {
          s = s * 60 + Long.parseLong(part);
        }
        walltime = Duration.ofSeconds(s);
      } else if (l.startsWith("stime = ")) {
        start = LocalDateTime.parse(l.substring(8).trim().replaceAll("\\s+", " "),
            DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT))
            .atZone(ZoneId.systemDefault()).toInstant();
      }
    }
    return walltime != null && start != null ? start.plus(walltime) : null;
  }

  /** Runs a short query command; its output, or null when it failed or is missing. */
  static String run(String... argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return null;
      }
      return new String(out, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Whether jpack runs inside a Slurm or PBS job. */
  public static boolean inBatchJob(Map<String, String> env) {
    return env.containsKey("SLURM_JOB_ID") || env.containsKey("PBS_JOBID");
  }
}
