package jpack.joblog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * What a job log says was done: for every Seq, whether its last logged run failed and a 30-bit
 * hash of its command. Kept in an int a task, in pages indexed by the task's place in this run's
 * shard (a log of 10 million tasks takes ~40 MB), read with a byte scanner (no String a line).
 * Lines that are not whole nine-field task lines (a header, a comment) are ignored, and so is a
 * last line without its newline: each line is written in one write(2), so one torn by a crash or
 * a full disk was never a finished task. The log has GNU parallel's nine columns whether or not
 * jpack knew what its tasks used (that goes to LOG.usage, see {@link JobLog}), so logs of every
 * jpack version, and lines GNU parallel appended, read alike.
 */
public final class LoggedTasks {
  private static final int PAGE_BITS = 16;
  private static final int PAGE = 1 << PAGE_BITS;
  private static final long MAX_PAGES = 1 << 20;
  private static final int PRESENT = 1 << 31;
  private static final int FAILED = 1 << 30;
  private static final int HASH = FAILED - 1;
  private static final long FNV_BASIS = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private final long shard;
  private final long shards;
  private int[][] pages = new int[16][];
  private long size;
  private long maxSeq;
  private long foreign;
  private final int[] tabs = new int[8];

  private LoggedTasks(long shard, long shards) {
    this.shard = shards <= 1 ? 1 : shard;
    this.shards = Math.max(1, shards);
  }

  /** The tasks of the log at path; an empty set when the file does not exist. */
  public static LoggedTasks read(Path path) throws IOException {
    return read(path, 0, 0);
  }

  /**
   * The tasks of the log at path for shard K of N (0, 0: the whole input); a task of another
   * shard is noted ({@link #foreignSeq}), not kept.
   */
  public static LoggedTasks read(Path path, long shard, long shards) throws IOException {
    return read(path, shard, shards, SPLIT_AT);
  }

  /**
   * A log of this many bytes or more (a million lines or so) is read in two halves at once, the
   * second on a thread of its own: a resume reads it before any task starts, so the CPUs are
   * free, and on two of them a 10-million-line log reads in about half the time.
   */
  private static final long SPLIT_AT = 48L << 20;

  /** The same, split in two from splitAt bytes on (for tests). */
  static LoggedTasks read(Path path, long shard, long shards, long splitAt) throws IOException {
    FileChannel ch;
    try {
      ch = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return new LoggedTasks(shard, shards);
    }
    try (ch) {
      long size = ch.size();
      LoggedTasks first = new LoggedTasks(shard, shards);
      if (size < splitAt || Runtime.getRuntime().availableProcessors() < 2) {
        first.scan(range(ch, 0, size));
        return first;
      }
      long half = lineAfter(ch, size / 2, size);
      LoggedTasks second = new LoggedTasks(shard, shards);
      FutureTask<Void> later = new FutureTask<>(() -> {
        second.scan(range(ch, half, size));
        return null;
      });
      Thread t = new Thread(later, "jpack-joblog-read");
      t.setDaemon(true);
      t.start();
      try {
        first.scan(range(ch, 0, half));
        later.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted reading the job log");
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof IOException io) {
          throw io;
        } else if (c instanceof Error err) {
          throw err; // an OutOfMemoryError in particular: the caller says what to do
        }
        throw (RuntimeException) c;
      } finally {
        later.cancel(true); // done by now, unless the first half failed
      }
      first.merge(second);
      return first;
    }
  }

  /** The bytes [from, to) of the file, read with pread(2) (two threads share the channel). */
  private static InputStream range(FileChannel ch, long from, long to) {
    return new InputStream() {
      private long pos = from;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (pos >= to) {
          return -1;
        }
        int n = ch.read(ByteBuffer.wrap(b, off, (int) Math.min(len, to - pos)), pos);
        if (n < 0) {
          return -1; // it shrank under us
        }
        pos += n;
        return n;
      }
    };
  }

  /** The place just after the first newline at or after from, or size when there is none. */
  private static long lineAfter(FileChannel ch, long from, long size) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(1 << 16);
    for (long pos = from; pos < size; ) {
      b.clear();
      int n = ch.read(b, pos);
      if (n <= 0) {
        break;
      }
      for (int i = 0; i < n; i++) {
        if (b.get(i) == '\n') {
          return pos + i + 1;
        }
      }
      pos += n;
    }
    return size;
  }

  /** Takes in what a later part of the same log holds: its lines came after, so they win. */
  private void merge(LoggedTasks later) {
    for (int p = 0; p < later.pages.length; p++) {
      int[] theirs = later.pages[p];
      if (theirs == null) {
        continue;
      }
      if (p >= pages.length) {
        pages = java.util.Arrays.copyOf(pages, Math.max(p + 1, pages.length * 2));
      }
      int[] ours = pages[p];
      if (ours == null) {
        pages[p] = theirs;
        continue;
      }
      for (int i = 0; i < PAGE; i++) {
        if (theirs[i] != 0) {
          if (ours[i] != 0) {
            size--; // counted in both
          }
          ours[i] = theirs[i];
        }
      }
    }
    size += later.size;
    maxSeq = Math.max(maxSeq, later.maxSeq);
    if (foreign == 0) {
      foreign = later.foreign;
    }
  }

  /** The same over a stream (for tests). */
  static LoggedTasks scan(InputStream in, long shard, long shards) throws IOException {
    LoggedTasks t = new LoggedTasks(shard, shards);
    t.scan(in);
    return t;
  }

  /**
   * One pass over the bytes: the first eight TABs of a line are noted, the rest of it (the
   * Command) is hashed on the way to its newline, so no byte is looked at twice (the launcher's
   * JIT is C1 only: this loop is most of a 10-million-line resume's reading time).
   */
  private void scan(InputStream in) throws IOException {
    byte[] buf = new byte[1 << 20];
    int start = 0; // of the line being read
    int pos = 0; // the next byte to look at
    int end = 0; // of the bytes read
    int found = 0; // TABs of this line so far, up to 8
    long h = FNV_BASIS; // the Command's hash so far, once found == 8
    int[] tabs = this.tabs;
    while (true) {
      while (pos < end) {
        if (found < 8) {
          for (; pos < end; pos++) {
            byte c = buf[pos];
            if (c == '\t') {
              tabs[found++] = pos;
              if (found == 8) {
                pos++;
                h = FNV_BASIS;
                break;
              }
            } else if (c == '\n') {
              start = ++pos; // fewer than nine fields: not a task line
              found = 0;
              break;
            }
          }
        } else {
          for (; pos < end; pos++) {
            byte c = buf[pos];
            if (c == '\n') {
              parse(buf, start, h);
              start = ++pos;
              found = 0;
              break;
            }
            h = (h ^ (c & 0xff)) * FNV_PRIME;
          }
        }
      }
      if (start > 0) { // keep the unfinished line, read more behind it
        System.arraycopy(buf, start, buf, 0, end - start);
        for (int i = 0; i < found; i++) {
          tabs[i] -= start;
        }
        end -= start;
        pos -= start;
        start = 0;
      }
      if (end == buf.length) {
        buf = java.util.Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
      }
      int n = in.read(buf, end, buf.length - end);
      if (n < 0) {
        return; // what is left has no newline: a torn line, not a task
      }
      end += n;
    }
  }

  /** A line from from with its eight TABs noted and its Command's hash h. */
  private void parse(byte[] b, int from, long h) {
    long seq = digits(b, from, tabs[0]);
    if (seq <= 0 || !number(b, tabs[1] + 1, tabs[2]) || !number(b, tabs[2] + 1, tabs[3])) {
      return;
    }
    long exitval = integer(b, tabs[5] + 1, tabs[6]);
    long signal = integer(b, tabs[6] + 1, tabs[7]);
    if (exitval == Long.MIN_VALUE || signal == Long.MIN_VALUE) {
      return;
    }
    put(seq, PRESENT | (exitval != 0 || signal != 0 ? FAILED : 0) | (int) (h & HASH));
  }

  /** A whole number of digits, or -1. */
  private static long digits(byte[] b, int from, int to) {
    if (from >= to || to - from > 18) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      if (b[i] < '0' || b[i] > '9') {
        return -1;
      }
      v = v * 10 + (b[i] - '0');
    }
    return v;
  }

  /** An integer, maybe signed and padded with spaces; Long.MIN_VALUE when not one. */
  private static long integer(byte[] b, int from, int to) {
    while (from < to && b[from] == ' ') {
      from++;
    }
    while (to > from && b[to - 1] == ' ') {
      to--;
    }
    boolean negative = from < to && b[from] == '-';
    long v = digits(b, negative ? from + 1 : from, to);
    return v < 0 ? Long.MIN_VALUE : negative ? -v : v;
  }

  /**
   * Whether a field looks like a time as GNU parallel writes them ("1732546000.123", "     0.051"):
   * it starts (after padding) with a digit or a minus and ends with a digit. Only its ends are
   * looked at: Seq, Exitval and Signal are checked whole, and a line with those right and its
   * times wrong is nothing a program writes (this check was a fifth of the reading time).
   */
  private static boolean number(byte[] b, int from, int to) {
    while (from < to && b[from] == ' ') {
      from++;
    }
    return from < to && (b[from] == '-' || b[from] >= '0' && b[from] <= '9')
        && b[to - 1] >= '0' && b[to - 1] <= '9';
  }

  /** FNV-1a over the command text, as stored in the log's Command column. */
  public static long hash(String command) {
    long h = FNV_BASIS;
    for (int i = 0; i < command.length(); i++) {
      h = (h ^ command.charAt(i)) * FNV_PRIME;
    }
    return h;
  }

  /** How a seq stands in the log. */
  public enum Status {
    ABSENT,
    SUCCEEDED,
    FAILED
  }

  public Status status(long seq) {
    int v = get(seq);
    if (v == 0) {
      return Status.ABSENT;
    }
    return (v & FAILED) != 0 ? Status.FAILED : Status.SUCCEEDED;
  }

  /** Whether the logged command of seq (which must be present) is this one. */
  public boolean sameCommand(long seq, String command) {
    return (get(seq) & HASH) == (int) (hash(command) & HASH);
  }

  public long maxSeq() {
    return maxSeq;
  }

  public long size() {
    return size;
  }

  /** The first logged seq that is not of this run's shard (another shard wrote it), or 0. */
  public long foreignSeq() {
    return foreign;
  }

  private boolean mine(long seq) {
    return shards == 1 || (seq - 1) % shards == shard - 1;
  }

  /** The place of a seq of this shard among the shard's tasks (no division without shards). */
  private long index(long seq) {
    return shards == 1 ? seq - 1 : (seq - 1) / shards;
  }

  private int get(long seq) {
    if (seq <= 0 || !mine(seq)) {
      return 0;
    }
    long index = index(seq);
    long page = index >>> PAGE_BITS;
    if (page >= pages.length || pages[(int) page] == null) {
      return 0;
    }
    return pages[(int) page][(int) (index & (PAGE - 1))];
  }

  private void put(long seq, int value) {
    if (!mine(seq)) {
      if (foreign == 0) {
        foreign = seq;
      }
      return;
    }
    long index = index(seq);
    long page = index >>> PAGE_BITS;
    if (page >= MAX_PAGES) {
      return; // beyond any input this could be resumed with (68 billion tasks)
    }
    if (page >= pages.length) {
      pages = java.util.Arrays.copyOf(pages, (int) Math.max(page + 1, pages.length * 2L));
    }
    int[] p = pages[(int) page];
    if (p == null) {
      p = pages[(int) page] = new int[PAGE];
    }
    int i = (int) (index & (PAGE - 1));
    if (p[i] == 0) {
      size++;
    }
    p[i] = value; // a later line for the same seq (a rerun) wins
    maxSeq = Math.max(maxSeq, seq);
  }
}
