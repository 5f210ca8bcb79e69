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

  /** Another jpack holds the log: running its tasks too would run them twice. */
  public static final class InUseException extends IOException {
    InUseException(String message) {
      super(message);
    }
  }

  /** The start of the byte ranges locked beyond the end of every log (fcntl allows that). */
  private static final long LOCKS = 1L << 62;
  /** The range a run of the whole input locks: it overlaps every shard's byte. */
  private static final long ALL = 1L << 40;

  private LoggedTasks done;

  /**
   * Opens (creating if needed) the log for appending; writes the header to an empty file. When
   * resuming, reads what it holds first ({@link #done}). The log is then locked for this run's
   * shard (K of N; 0 of 0 for the whole input) with a byte-range lock past its end, so that a
   * second jpack on the same log and shard refuses, while the shards of a job array may share
   * one log. A last line torn by a crash (no newline: every line is one write) is cut off when no
   * other jpack has the log open, else put on a line of its own.
   *
   * <p>POSIX locks go when the process closes any descriptor of the file: nothing in jpack may
   * open and close the log while this is open, which is why the reading happens here, first.
   *
   * @param warn told when the file system cannot lock (NFS without a lock daemon)
   * @throws InUseException when another process holds the lock
   */
  public static JobLog open(Path path, boolean fsync, boolean resume, long shard, long shards,
      java.util.function.Consumer<String> warn) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
    try {
      JobLog log = new JobLog(ch, fsync);
      long size = ch.size();
      long whole = size == 0 ? 0 : wholeLines(path, size);
      log.done = resume ? LoggedTasks.read(path, shard, shards) : null;
      boolean lockable = true;
      java.nio.channels.FileLock all = null;
      try {
        all = ch.tryLock(LOCKS, ALL, false);
      } catch (IOException e) {
        warn.accept("cannot lock the job log '" + path + "' (" + e.getMessage() + "): two"
            + " jpacks resuming it at once would both run its tasks");
        lockable = false;
      }
      if (whole < size) { // torn
        if (all != null && ch.size() == size) {
          ch.truncate(whole); // alone with it: the piece goes
        } else {
          log.write("\n"); // a sibling shard appends to it: the piece stays alone on its line
        }
      }
      if (lockable && shards > 0) {
        if (all != null) {
          all.release();
        }
        if (ch.tryLock(LOCKS + shard, 1, false) == null) {
          throw new InUseException("the job log '" + path + "' is in use by another running"
              + " jpack for shard " + shard + "/" + shards + " (the same job submitted twice?):"
              + " refusing, as both would run the same tasks");
        }
      } else if (lockable && all == null) {
        throw new InUseException("the job log '" + path + "' is in use by another running jpack"
            + " (the same job submitted twice?): refusing, as both would run the same tasks");
      }
      if (whole == 0 && (size == 0 || all != null)) {
        log.write(HEADER + "\n");
      }
      return log;
    } catch (IOException | RuntimeException | Error e) {
      ch.close();
      throw e;
    }
  }

  /** What the log held as done when it was opened for a resume, else null. */
  public LoggedTasks done() {
    return done;
  }

  /** The length of the file up to and with its last newline. */
  private static long wholeLines(Path path, long size) throws IOException {
    try (FileChannel r = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(8192);
      long end = size;
      while (end > 0) {
        long from = Math.max(0, end - b.capacity());
        b.clear().limit((int) (end - from));
        while (b.hasRemaining() && r.read(b, from + b.position()) > 0) {
          // fill
        }
        for (int i = b.position() - 1; i >= 0; i--) {
          if (b.get(i) == '\n') {
            return from + i + 1;
          }
        }
        end = from;
      }
      return 0;
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
