package jpack.exec;

/**
 * How a task ended, decoded once, where the truth is: jpack-spawn reaps its tasks and knows the
 * wait status exactly, a worker's end line is an exit status. Only the JDK's Process reports a
 * death by signal n as 128+n, indistinguishable from a process that exits with 128+n itself;
 * there (tasks started by ProcessBuilder: no C compiler at build time, other hosts) jpack reads
 * 129..192 as a signal (documented).
 *
 * @param exitCode the exit status, or -1 when killed by a signal
 * @param signal the signal number, or 0
 */
public record ExitInfo(int exitCode, int signal) {
  /** From a JDK Process's exit value: ambiguous, see above. */
  public static ExitInfo fromJdk(int value) {
    if (value > 128 && value <= 128 + 64) {
      return new ExitInfo(-1, value - 128);
    }
    return new ExitInfo(value, 0);
  }

  /** From a wait(2) status: exact. */
  public static ExitInfo fromWaitStatus(int status) {
    int sig = status & 0x7f;
    return sig == 0 ? new ExitInfo((status >> 8) & 0xff, 0) : new ExitInfo(-1, sig);
  }

  /** A process that exited with this status (a worker's end line): exact. */
  public static ExitInfo exited(int status) {
    return new ExitInfo(status, 0);
  }

  public boolean success() {
    return exitCode == 0;
  }
}
