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
 *
 * <h2>What a task used: a companion file, LOG.usage</h2>
 *
 * <p>A task's peak resident memory and its user and system CPU time ({@link Usage}) go to a
 * second file next to the log, its name with {@code .usage} added ({@link #usagePath}), never
 * into the log itself, which keeps exactly GNU parallel's nine columns:
 *
 * <pre>
 * Seq  Host  Starttime       MaxRSSkB  UserSec   SysSec
 * 17   :     1732546000.123  10240     1.250000  0.031000
 * </pre>
 *
 * <p>Seq, Host and Starttime are the task's log line's own, written the same way, so a script
 * joins the two files on them (a Seq alone is not a key: a log holds a task once per run of it,
 * after --retries or --resume-failed). MaxRSSkB is ru_maxrss (KiB: the largest single process of
 * the task and its waited-for descendants, not their sum); UserSec and SysSec are seconds to the
 * microsecond. A figure jpack does not know is an empty field; a task of which it knows none
 * (started by ProcessBuilder, or on another host) has no line at all: nothing is made up. The file
 * is made when the first task with a figure ends (a run without any makes none), and each line is
 * written with one write(2) after the task's log line, so a crash between the two loses only the
 * figures, never the log's record of the task.
 *
 * <p>Why not extra columns after Command, which GNU parallel's readers would seem to tolerate
 * (tried with GNU parallel 20221122, see JobLogParallelCompatIT): its {@code --resume} matches
 * only {@code ^(\d+)} and {@code --resume-failed} {@code ^(\d+)(?:\t[^\t]+){5}\t0\t0\t}, both
 * blind to what follows Command, but {@code --retry-failed} takes a failed line's command as
 * {@code (\d+)\s+\S+(\s+[-0-9.]+){6}\s+(.*)$}, everything to the end of the line, and runs it:
 * {@code ./task.sh 3} would rerun as {@code ./task.sh 3 10240 1.250000 0.031000}, with three
 * arguments more, and be logged so by parallel. Columns before Command would move Command out of
 * the ninth place that {@code cut -f9}, {@code awk -F'\t' '{print $9}'} and parallel's own
 * readers take it from. And Command is only TAB-free when jpack writes it (ShellQuote writes a
 * TAB as $'\t'); a line GNU parallel appends to a log may hold raw TABs in its command, so no
 * reader could tell where such a Command ends and the figures begin. A companion file leaves the
 * log byte for byte what it was, for GNU parallel, for scripts and for {@link LoggedTasks}.
 */
public final class JobLog implements AutoCloseable {
  public static final String HEADER =
      "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand";

  /** The header of {@link #usagePath LOG.usage}. */
  public static final String USAGE_HEADER =
      "Seq\tHost\tStarttime\tMaxRSSkB\tUserSec\tSysSec\tOOM";

  private final FileChannel ch;
  private final boolean fsync;
  private final Path usagePath;
  /** LOG.usage, opened when the first task with a figure is appended. */
  private FileChannel usage;
  /** Whether this run holds the whole log's lock all along (no shard appends beside it). */
  private boolean alone;

  private JobLog(FileChannel ch, boolean fsync, Path usagePath) {
    this.ch = ch;
    this.fsync = fsync;
    this.usagePath = usagePath;
  }

  /** The companion file that keeps what the tasks of the log at path used: path + ".usage". */
  public static Path usagePath(Path log) {
    return log.resolveSibling(log.getFileName() + ".usage");
  }

  /**
   * What a task used, as wait4(2) reports it for the task and the descendants it waited for: the
   * peak resident memory of the largest single process (not their sum) and the CPU time in user
   * and in system mode. A field is -1 where jpack does not know it; {@link #UNKNOWN} is all three.
   *
   * @param maxRssKb ru_maxrss, KiB
   * @param userMicros ru_utime, microseconds
   * @param sysMicros ru_stime, microseconds
   */
  public record Usage(long maxRssKb, long userMicros, long sysMicros) {
    /** A task started by ProcessBuilder or on another host: nothing known. */
    public static final Usage UNKNOWN = new Usage(-1, -1, -1);

    public Usage {
      if (maxRssKb < -1 || userMicros < -1 || sysMicros < -1) {
        throw new IllegalArgumentException("usage figures are >= 0, or -1 for unknown: "
            + maxRssKb + ", " + userMicros + ", " + sysMicros);
      }
    }

    /** Whether any figure is known. */
    public boolean known() {
      return maxRssKb >= 0 || userMicros >= 0 || sysMicros >= 0;
    }
  }

  /**
   * One finished task's record, as {@link #append(Line)} writes it.
   *
   * @param log its job-log line, as {@link #line(long, String, long, long, long, long, int, int,
   *     String)} makes it
   * @param usage its LOG.usage line, or null when nothing of its usage is known
   */
  public record Line(String log, String usage) {}

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
      JobLog log = new JobLog(ch, fsync, usagePath(path));
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
      log.alone = lockable && shards <= 0 && all != null;
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
    return seq + "\t" + host + "\t" + starttime(startMillis) + "\t"
        + String.format(Locale.ROOT, "%10.3f", runtimeNanos / 1e9) + "\t"
        + send + "\t" + receive + "\t" + exitval + "\t" + signal + "\t" + command + "\n";
  }

  /**
   * One finished task's record with what it used: its log line, the same as {@link #line(long,
   * String, long, long, long, long, int, int, String)} makes, and its LOG.usage line (none when
   * usage is {@link Usage#UNKNOWN}), to be written by {@link #append(Line)} once its output is
   * delivered.
   */
  public static Line line(long seq, String host, long startMillis, long runtimeNanos, long send,
      long receive, int exitval, int signal, String command, Usage usage) {
    return line(seq, host, startMillis, runtimeNanos, send, receive, exitval, signal, command,
        usage, false);
  }

  /**
   * The same, and whether the kernel's OOM killer ended the task (LOG.usage's OOM column: 1, or
   * empty): such a task has a usage line even when its figures are unknown.
   */
  public static Line line(long seq, String host, long startMillis, long runtimeNanos, long send,
      long receive, int exitval, int signal, String command, Usage usage, boolean oomKilled) {
    String log = line(seq, host, startMillis, runtimeNanos, send, receive, exitval, signal,
        command);
    if (!usage.known() && !oomKilled) {
      return new Line(log, null);
    }
    return new Line(log, seq + "\t" + host + "\t" + starttime(startMillis) + "\t"
        + (usage.maxRssKb() < 0 ? "" : Long.toString(usage.maxRssKb())) + "\t"
        + seconds(usage.userMicros()) + "\t" + seconds(usage.sysMicros()) + "\t"
        + (oomKilled ? "1" : "") + "\n");
  }

  private static String starttime(long millis) {
    return String.format(Locale.ROOT, "%d.%03d", millis / 1000, millis % 1000);
  }

  /** Microseconds as seconds to the microsecond ("1.250000"), or "" when unknown (-1). */
  private static String seconds(long micros) {
    return micros < 0 ? ""
        : String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
  }

  /** Appends one line made by {@link #line}, in one write(2). */
  public void append(String line) throws IOException {
    write(line);
  }

  /**
   * Appends one task's record: its log line in one write(2), then its usage line (if any) to
   * LOG.usage in another, creating that file (with its header) the first time.
   *
   * @throws IOException when either cannot be written; the log line may then be in already
   */
  public void append(Line line) throws IOException {
    write(line.log());
    if (line.usage() != null) {
      write(usage(), line.usage());
    }
  }

  /**
   * LOG.usage, opened for appending on first use. A piece of a line that a crash tore off its
   * end is cut off when no shard can be appending beside this run, else ended with a newline,
   * so that the next line starts a line of its own (a reader then skips the piece: it is not
   * six fields of the right form, or at worst it is a task's figures cut short).
   */
  private FileChannel usage() throws IOException {
    if (usage != null) {
      return usage;
    }
    FileChannel u = FileChannel.open(usagePath, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    try {
      long size = u.size();
      long whole = size == 0 ? 0 : wholeLines(usagePath, size);
      if (whole < size) {
        if (alone) {
          u.truncate(whole);
        } else {
          write(u, "\n");
        }
      }
      if (whole == 0 && (size == 0 || alone)) {
        write(u, USAGE_HEADER + "\n");
      }
    } catch (IOException | RuntimeException | Error e) {
      u.close();
      throw e;
    }
    return usage = u;
  }

  private void write(String s) throws IOException {
    write(ch, s);
  }

  private void write(FileChannel to, String s) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    while (b.hasRemaining()) {
      to.write(b);
    }
    if (fsync) {
      to.force(false);
    }
  }

  @Override
  public void close() throws IOException {
    try (FileChannel u = usage) {
      ch.close();
    }
  }
}
