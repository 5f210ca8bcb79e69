package jpack.output;

import java.io.IOException;

/** jpack's own stdout is gone (a closed pipe, as after "| head -1"): stop quietly. */
public final class OutputClosedException extends IOException {
  public OutputClosedException(Throwable cause) {
    super("standard output closed", cause);
  }

  /** EPIPE: the reader is gone (the JVM ignores SIGPIPE, so the write fails instead). */
  public static boolean isBrokenPipe(IOException e) {
    return String.valueOf(e.getMessage()).contains("Broken pipe");
  }
}
