package jpack.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * How a run survives failures and ends: the job log and resume, retries, timeouts, halting, signals
 * and the deadline.
 *
 * @param joblog the --joblog file, or null
 * @param resume what a previous log lets this run skip
 * @param forceResume resume by Seq even where the logged command differs
 * @param fsync force each job-log line to disk
 * @param retries extra attempts for a failed task
 * @param timeout a fixed per-task limit, or null
 * @param timeoutPercent the limit as a percentage of the median successful runtime, or 0
 * @param halt when to stop early
 * @param termGrace how long TERM has before KILL
 * @param deadline when the run must be over, or null
 * @param autoDeadline whether to take the deadline from the batch job when none is given
 * @param summary print the summary line even when everything succeeded
 * @param stallAfter --stall-after: warn when no task has ended this long; null for the automatic
 *     threshold (10 × the 95th percentile of the runtimes, at least 10 min), zero for never
 */
public record Policy(
    Path joblog,
    Resume resume,
    boolean forceResume,
    boolean fsync,
    int retries,
    Duration timeout,
    double timeoutPercent,
    Halt halt,
    Duration termGrace,
    Instant deadline,
    boolean autoDeadline,
    boolean summary,
    Duration stallAfter) {

  /** What --resume / --resume-failed let a run skip. */
  public enum Resume { NONE, RESUME, RESUME_FAILED }

  public static final Policy DEFAULT = new Policy(null, Resume.NONE, false, false, 0, null, 0,
      Halt.DEFAULT, Duration.ofSeconds(5), null, true, false, null);
}
