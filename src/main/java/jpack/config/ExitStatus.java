package jpack.config;

/** jpack's exit statuses: GNU xargs' table, plus 141 when jpack's own stdout was closed. */
public enum ExitStatus {
  OK(0),
  /** Usage errors, bad input, and other errors of jpack's own. */
  FAILURE(1),
  /** Some task exited with a status from 1 to 125. */
  TASK_FAILED(123),
  /** A task exited with 255: jpack started nothing more. */
  TASK_EXIT_255(124),
  /** A task was killed by a signal: jpack started nothing more. */
  TASK_SIGNALLED(125),
  /** The command could not be run. */
  CANNOT_RUN(126),
  /** The command was not found. */
  NOT_FOUND(127),
  /** jpack's standard output was closed by its reader (128 + SIGPIPE): jpack stopped quietly. */
  OUTPUT_CLOSED(141);

  private final int code;

  ExitStatus(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
