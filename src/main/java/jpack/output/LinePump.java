package jpack.output;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Copies one child stream to jpack's stdout or stderr a whole line at a time (--line-buffer), so
 * lines of different tasks interleave but are never torn. The unterminated rest is printed at EOF.
 * A line longer than the buffer limit is passed on in pieces rather than held without bound.
 */
public final class LinePump implements Runnable {
  private static final int MAX_HELD = 1 << 20;

  private final InputStream in;
  private final Printer printer;
  private final boolean toStdout;
  private final byte[] prefix;
  private volatile IOException failure;

  public LinePump(InputStream in, Printer printer, boolean toStdout, byte[] prefix) {
    this.in = in;
    this.printer = printer;
    this.toStdout = toStdout;
    this.prefix = prefix;
  }

  /** The write error that stopped the pump, if any. */
  public IOException failure() {
    return failure;
  }

  @Override
  public void run() {
    byte[] buf = new byte[8192];
    int len = 0;
    try {
      while (true) {
        if (len == buf.length) {
          if (buf.length >= MAX_HELD) {
            printer.line(toStdout, prefix, buf, 0, len);
            len = 0;
          } else {
            buf = Arrays.copyOf(buf, buf.length * 2);
          }
        }
        int n = in.read(buf, len, buf.length - len);
        if (n < 0) {
          break;
        }
        int scanFrom = len;
        len += n;
        int lastNl = -1;
        for (int i = len - 1; i >= scanFrom; i--) {
          if (buf[i] == '\n') {
            lastNl = i;
            break;
          }
        }
        if (lastNl >= 0) {
          emitLines(buf, lastNl + 1);
          System.arraycopy(buf, lastNl + 1, buf, 0, len - lastNl - 1);
          len -= lastNl + 1;
        }
      }
      if (len > 0) {
        emitLines(buf, len);
      }
    } catch (IOException e) {
      failure = e;
      drainQuietly();
    } finally {
      try {
        in.close();
      } catch (IOException ignored) {
        // closing a drained pipe cannot lose anything
      }
    }
  }

  /** After a failed write keep reading, so the child never blocks on a full pipe. */
  private void drainQuietly() {
    byte[] sink = new byte[8192];
    try {
      while (in.read(sink) >= 0) {
        // discard
      }
    } catch (IOException ignored) {
      // the pipe is gone: so is the reason to drain it
    }
  }

  private void emitLines(byte[] buf, int end) throws IOException {
    if (prefix == null) {
      printer.line(toStdout, null, buf, 0, end);
      return;
    }
    int start = 0;
    while (start < end) {
      int nl = start;
      while (nl < end && buf[nl] != '\n') {
        nl++;
      }
      int stop = Math.min(nl + 1, end);
      printer.line(toStdout, prefix, buf, start, stop - start);
      start = stop;
    }
  }
}
