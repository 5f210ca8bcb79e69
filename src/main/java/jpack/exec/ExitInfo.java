package jpack.exec;

import java.util.Objects;

/**
 * How a task ended, decoded once, where the truth is: jpack-spawn reaps its tasks and knows the
 * wait status exactly, a worker's end line is an exit status. Only the JDK's Process reports a
 * death by signal n as 128+n, indistinguishable from a process that exits with 128+n itself;
 * there (tasks started by ProcessBuilder: no C compiler at build time, other hosts) jpack reads
 * 129..192 as a signal (documented).
 *
 * <p>With it, what the task used ({@link Usage}): known only where jpack-spawn reaped it; the
 * two-number constructor and the factories give {@link Usage#UNKNOWN}. Being a record, two
 * ends are equal only when their usage is too.
 *
 * @param exitCode the exit status, or -1 when killed by a signal
 * @param signal the signal number, or 0
 * @param usage peak memory and CPU time, or {@link Usage#UNKNOWN} (never null)
 */
public record ExitInfo(int exitCode, int signal, Usage usage) {
  public ExitInfo {
    Objects.requireNonNull(usage, "usage (Usage.UNKNOWN when not known)");
  }

  /** An end whose usage is not known. */
  public ExitInfo(int exitCode, int signal) {
    this(exitCode, signal, Usage.UNKNOWN);
  }

  /** From a JDK Process's exit value: ambiguous, see above. */
  public static ExitInfo fromJdk(int value) {
    if (value > 128 && value <= 128 + 64) {
      return new ExitInfo(-1, value - 128);
    }
    return new ExitInfo(value, 0);
  }

  /** From a wait(2) status: exact. */
  public static ExitInfo fromWaitStatus(int status) {
    return fromWaitStatus(status, Usage.UNKNOWN);
  }

  /** From a wait4(2) status and the usage it gave. */
  public static ExitInfo fromWaitStatus(int status, Usage usage) {
    int sig = status & 0x7f;
    return sig == 0 ? new ExitInfo((status >> 8) & 0xff, 0, usage) : new ExitInfo(-1, sig, usage);
  }

  /** A process that exited with this status (a worker's end line): exact. */
  public static ExitInfo exited(int status) {
    return new ExitInfo(status, 0);
  }

  /** The same end with this usage. */
  public ExitInfo withUsage(Usage u) {
    return new ExitInfo(exitCode, signal, u);
  }

  public boolean success() {
    return exitCode == 0;
  }
}
