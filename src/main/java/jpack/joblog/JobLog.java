package jpack.joblog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * An append-only job log in GNU parallel's format: a header, then one TAB-separated line per
 * finished task, each written with a single write(2) on a file opened with O_APPEND, so a kill of
 * jpack (even SIGKILL) leaves only whole lines behind. With fsync each line is also forced to disk.
 */
public final class JobLog implements AutoCloseable {
  public static final String HEADER =
      "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand";

  private final FileChannel ch;
  private final boolean fsync;

  private JobLog(FileChannel ch, boolean fsync) {
    this.ch = ch;
    this.fsync = fsync;
  }

  /** Opens (creating if needed) the log for appending; writes the header to an empty file. */
  public static JobLog open(Path path, boolean fsync) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
    JobLog log = new JobLog(ch, fsync);
    long size = ch.size();
    if (size == 0) {
      log.write(HEADER + "\n");
    } else if (!endsWithNewline(path, size)) {
      log.write("\n"); // a line torn by a crash stays alone on its (ignored) line
    }
    return log;
  }

  private static boolean endsWithNewline(Path path, long size) throws IOException {
    try (FileChannel r = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      r.read(b, size - 1);
      return b.get(0) == '\n';
    }
  }

  /**
   * One finished task's line, to be written by {@link #append} once its output is delivered.
   *
   * @param startMillis epoch milliseconds at start
   * @param runtimeNanos how long it ran
   * @param exitval the exit status, or -1 when a signal ended it
   */
  public static String line(long seq, String host, long startMillis, long runtimeNanos, long send,
      long receive, int exitval, int signal, String command) {
    return seq + "\t" + host + "\t"
        + String.format(Locale.ROOT, "%d.%03d", startMillis / 1000, startMillis % 1000) + "\t"
        + String.format(Locale.ROOT, "%10.3f", runtimeNanos / 1e9) + "\t"
        + send + "\t" + receive + "\t" + exitval + "\t" + signal + "\t" + command + "\n";
  }

  /** Appends one line made by {@link #line}, in one write(2). */
  public void append(String line) throws IOException {
    write(line);
  }

  private void write(String s) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    while (b.hasRemaining()) {
      ch.write(b);
    }
    if (fsync) {
      ch.force(false);
    }
  }

  @Override
  public void close() throws IOException {
    ch.close();
  }
}
