package jpack.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A byte scanner over a TAB-separated file, as {@code jpack.joblog.LoggedTasks} reads job logs: no
 * String a line, each byte looked at once. Every whole line (ended by a newline; a torn last line
 * is no task) goes to {@link #line} with the places of its first TABs; a line longer than the
 * buffer grows it.
 */
abstract class LineScanner {
  /** TABs noted a line, at most. */
  private final int maxTabs;
  /** The places of the TABs of the line being handed over. */
  protected final int[] tabs;

  LineScanner(int maxTabs) {
    this.maxTabs = maxTabs;
    this.tabs = new int[maxTabs];
  }

  /** One whole line [from, end) with its first found TABs at tabs[0..found). */
  abstract void line(byte[] b, int from, int found, int end);

  void scan(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      byte[] buf = new byte[1 << 20];
      int start = 0;
      int pos = 0;
      int end = 0;
      int found = 0;
      int max = maxTabs;
      int[] t = tabs;
      while (true) {
        for (; pos < end; pos++) {
          byte c = buf[pos];
          if (c == '\n') {
            line(buf, start, found, pos);
            start = pos + 1;
            found = 0;
          } else if (c == '\t' && found < max) {
            t[found++] = pos;
          }
        }
        if (start > 0) {
          System.arraycopy(buf, start, buf, 0, end - start);
          for (int i = 0; i < found; i++) {
            t[i] -= start;
          }
          end -= start;
          pos -= start;
          start = 0;
        }
        if (end == buf.length) {
          buf = java.util.Arrays.copyOf(buf, buf.length * 2);
        }
        int n = ch.read(ByteBuffer.wrap(buf, end, buf.length - end));
        if (n < 0) {
          return;
        }
        end += n;
      }
    }
  }

  /** How many newlines the file holds (to size the arrays once, with no copy). */
  static long lines(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(1 << 20);
      byte[] a = b.array();
      long n = 0;
      int r;
      while ((r = ch.read(b.clear())) >= 0) {
        for (int i = 0; i < r; i++) {
          if (a[i] == '\n') {
            n++;
          }
        }
      }
      return n;
    }
  }

  /** A whole number of digits (spaces around allowed), or -1. */
  static long digits(byte[] b, int from, int to) {
    while (from < to && b[from] == ' ') {
      from++;
    }
    while (to > from && b[to - 1] == ' ') {
      to--;
    }
    if (from >= to || to - from > 18) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  /** An integer, maybe signed and padded; Long.MIN_VALUE when not one. */
  static long integer(byte[] b, int from, int to) {
    while (from < to && b[from] == ' ') {
      from++;
    }
    boolean negative = from < to && b[from] == '-';
    long v = digits(b, negative ? from + 1 : from, to);
    return v < 0 ? Long.MIN_VALUE : negative ? -v : v;
  }

  /**
   * A decimal number of seconds ("1732546000.123", "     0.051") in units of 10^-scale seconds
   * (3: milliseconds, 6: microseconds), rounded; -1 when not one (or empty).
   */
  static long fixed(byte[] b, int from, int to, int scale) {
    while (from < to && b[from] == ' ') {
      from++;
    }
    while (to > from && b[to - 1] == ' ') {
      to--;
    }
    if (from >= to) {
      return -1;
    }
    long whole = 0;
    int i = from;
    for (; i < to && b[i] != '.'; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9 || i - from > 15) {
        return -1;
      }
      whole = whole * 10 + d;
    }
    long frac = 0;
    int digits = 0;
    boolean up = false;
    if (i < to) {
      for (i++; i < to; i++) {
        int d = b[i] - '0';
        if (d < 0 || d > 9) {
          return -1;
        }
        if (digits < scale) {
          frac = frac * 10 + d;
          digits++;
        } else if (digits == scale) {
          up = d >= 5;
          digits++;
        }
      }
    }
    for (int k = Math.min(digits, scale); k < scale; k++) {
      frac *= 10;
    }
    long unit = 1;
    for (int k = 0; k < scale; k++) {
      unit *= 10;
    }
    return whole * unit + frac + (up ? 1 : 0);
  }
}
