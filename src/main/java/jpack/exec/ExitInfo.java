package jpack.exec;

/**
 * How a task ended, decoded once. The JDK reports death by signal n as 128+n, indistinguishable
 * from a process that exits with 128+n itself; jpack reads 129..192 as a signal (documented).
 *
 * @param exitCode the exit status, or -1 when killed by a signal
 * @param signal the signal number, or 0
 */
public record ExitInfo(int exitCode, int signal) {
  public static ExitInfo fromJdk(int value) {
    if (value > 128 && value <= 128 + 64) {
      return new ExitInfo(-1, value - 128);
    }
    return new ExitInfo(value, 0);
  }

  public boolean success() {
    return exitCode == 0;
  }
}
