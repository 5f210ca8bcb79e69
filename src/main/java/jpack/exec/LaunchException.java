package jpack.exec;

/** A task that could not be started, with the reason as xargs reports it. */
public final class LaunchException extends Exception {
  /** Why the launch failed. */
  public enum Kind {
    /** The program does not exist (errno 2): xargs exit 127. */
    NOT_FOUND,
    /** The program exists but cannot be run (errno 13, 8, ...): xargs exit 126. */
    CANNOT_RUN,
    /** The system is out of processes or memory for now (errno 11, 12): worth a retry later. */
    RESOURCES
  }

  private final Kind kind;

  public LaunchException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
