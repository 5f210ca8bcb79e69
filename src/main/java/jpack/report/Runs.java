package jpack.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jpack.joblog.JobLog;

/**
 * The runs that job logs record, read for a report: three primitive arrays, one entry a log line
 * (start, runtime, cause: 13 bytes a run, so 10 million runs take 130 MB and no object each),
 * sized once by counting the lines first; each log (a shard) a contiguous range of them. Its
 * LOG.usage, when there is one, adds the peak memory and CPU time of the runs (kept as
 * histograms and sums: their quantiles need no array) and names the out-of-memory kills. A
 * task's last run in the logs (in the order given, each in file order) is what the task came to.
 */
final class Runs {
  static final byte OK = 0;
  static final byte EXIT = 1;
  static final byte SIGNAL = 2;
  static final byte TIMEOUT = 3;
  static final byte OOM = 4;
  static final int CAUSES = 5;

  /** Epoch milliseconds at each run's start. */
  final long[] start;
  /** Each run's runtime, milliseconds. */
  final int[] dur;
  /** Each run's cause (OK, EXIT, ...). */
  final byte[] cause;
  int n;
  final List<Group> groups = new ArrayList<>();
  final Slowest slowest = new Slowest(10);
  /** Per seq: (group + 1) << 3 | (cause + 1) of its last run; 0: not logged. */
  private char[][] tasks = new char[16][];
  long maxSeq;

  /** One log: a shard of the report, and its LOG.usage. */
  static final class Group {
    final Path log;
    final int index;
    int from;
    int to;
    final long[] runsBy = new long[CAUSES];
    final long[] tasksBy = new long[CAUSES];
    final LogHistogram runtime = new LogHistogram();
    final LogHistogram rss = new LogHistogram();
    long busyMs;
    long cpuMicros;
    long cpuRuns;
    long usageLines;
    boolean usageFile;
    long skipped;
    long minStart = Long.MAX_VALUE;
    long maxEnd = Long.MIN_VALUE;
    long lastStart = Long.MIN_VALUE;

    Group(Path log, int index) {
      this.log = log;
      this.index = index;
    }

    long runs() {
      return to - from;
    }

    long tasks() {
      long t = 0;
      for (long c : tasksBy) {
        t += c;
      }
      return t;
    }

    long failedTasks() {
      return tasks() - tasksBy[OK];
    }

    long makespanMs() {
      return runs() == 0 ? 0 : maxEnd - minStart;
    }
  }

  private Runs(int capacity) {
    start = new long[capacity];
    dur = new int[capacity];
    cause = new byte[capacity];
  }

  /** Reads the logs (and their LOG.usage files); a missing log is an error. */
  static Runs read(List<Path> logs) throws IOException {
    long lines = 0;
    for (Path log : logs) {
      try {
        lines += LineScanner.lines(log);
      } catch (NoSuchFileException e) {
        throw new IOException("cannot read the job log '" + log + "': no such file", e);
      }
    }
    if (lines > Integer.MAX_VALUE - 16) {
      throw new IOException("the job logs hold " + lines + " lines: a report takes at most "
          + (Integer.MAX_VALUE - 16));
    }
    Runs runs = new Runs((int) lines);
    for (Path log : logs) {
      Group g = new Group(log, runs.groups.size());
      runs.groups.add(g);
      LongSet oom = runs.readUsage(g);
      g.from = runs.n;
      runs.new LogReader(g, oom).scan(log);
      g.to = runs.n;
    }
    runs.countTasks();
    return runs;
  }

  /** LOG.usage's figures into the group; the keys of its OOM-killed runs. */
  private LongSet readUsage(Group g) throws IOException {
    Path usage = JobLog.usagePath(g.log);
    LongSet oom = new LongSet();
    if (!Files.isRegularFile(usage)) {
      return oom;
    }
    g.usageFile = true;
    new LineScanner(6) {
      @Override
      void line(byte[] b, int from, int found, int end) {
        if (found < 6) {
          return;
        }
        int[] t = tabs;
        long seq = digits(b, from, t[0]);
        long st = fixed(b, t[1] + 1, t[2], 3);
        if (seq <= 0 || st < 0) {
          return; // the header, or a torn piece
        }
        g.usageLines++;
        long rss = digits(b, t[2] + 1, t[3]);
        if (rss >= 0) {
          g.rss.add(rss);
        }
        long user = fixed(b, t[3] + 1, t[4], 6);
        long sys = fixed(b, t[4] + 1, t[5], 6);
        if (user >= 0 || sys >= 0) {
          g.cpuMicros += Math.max(0, user) + Math.max(0, sys);
          g.cpuRuns++;
        }
        if (t[5] + 1 < end && b[t[5] + 1] == '1') {
          oom.add(key(seq, st));
        }
      }
    }.scan(usage);
    return oom;
  }

  private static long key(long seq, long startMs) {
    return seq * 0x9E3779B97F4A7C15L ^ startMs;
  }

  /** Reads one log's task lines into the arrays. */
  private final class LogReader extends LineScanner {
    private final Group g;
    private final LongSet oom;

    LogReader(Group g, LongSet oom) {
      super(8);
      this.g = g;
      this.oom = oom;
    }

    @Override
    void line(byte[] b, int from, int found, int end) {
      int[] t = tabs;
      if (end - from >= 3 && b[from] == 'S' && b[from + 1] == 'e' && b[from + 2] == 'q') {
        return; // the header
      }
      if (found < 8) {
        if (end > from) {
          g.skipped++; // a line of the wrong form
        }
        return;
      }
      long seq = digits(b, from, t[0]);
      long st = fixed(b, t[1] + 1, t[2], 3);
      long rt = fixed(b, t[2] + 1, t[3], 3);
      long exitval = integer(b, t[5] + 1, t[6]);
      long signal = integer(b, t[6] + 1, t[7]);
      if (seq <= 0 || st < 0 || rt < 0 || exitval == Long.MIN_VALUE || signal == Long.MIN_VALUE
          || n >= start.length) {
        g.skipped++;
        return;
      }
      byte c = signal == 0 ? (exitval == 0 ? OK : EXIT)
          : signal == 15 && exitval == -1 ? TIMEOUT : SIGNAL;
      if (c != OK && oom.size() > 0 && oom.contains(key(seq, st))) {
        c = OOM;
      }
      int d = (int) Math.min(Integer.MAX_VALUE, rt);
      start[n] = st;
      dur[n] = d;
      cause[n] = c;
      n++;
      g.runsBy[c]++;
      g.runtime.add(d);
      g.busyMs += d;
      g.minStart = Math.min(g.minStart, st);
      g.maxEnd = Math.max(g.maxEnd, st + d);
      g.lastStart = Math.max(g.lastStart, st);
      if (slowest.wants(d)) {
        slowest.add(d, seq, g.index,
            new String(b, t[7] + 1, end - t[7] - 1, StandardCharsets.ISO_8859_1), c);
      }
      putTask(seq, (char) (Math.min(g.index + 1, 8191) << 3 | (c + 1)));
    }
  }

  private void putTask(long seq, char v) {
    if (seq >= 1L << 31) {
      return;
    }
    int page = (int) (seq >>> 16);
    if (page >= tasks.length) {
      tasks = java.util.Arrays.copyOf(tasks, Math.max(page + 1, tasks.length * 2));
    }
    char[] p = tasks[page];
    if (p == null) {
      p = tasks[page] = new char[1 << 16];
    }
    p[(int) (seq & 0xffff)] = v;
    maxSeq = Math.max(maxSeq, seq);
  }

  /** Seqs below the highest logged one that no log has. */
  long missingSeqs() {
    return maxSeq - logged;
  }

  private long logged;

  private void countTasks() {
    for (char[] p : tasks) {
      if (p == null) {
        continue;
      }
      for (char v : p) {
        if (v != 0) {
          logged++;
          int gi = (v >>> 3) - 1;
          if (gi < groups.size()) {
            groups.get(gi).tasksBy[(v & 7) - 1]++;
          }
        }
      }
    }
    tasks = null;
  }

  /** The slowest runs, with their commands (kept only while they are among the slowest). */
  static final class Slowest {
    final int k;
    final List<Entry> entries = new ArrayList<>();

    record Entry(int ms, long seq, int group, String command, byte cause) {}

    Slowest(int k) {
      this.k = k;
    }

    boolean wants(int ms) {
      return entries.size() < k || ms > entries.get(entries.size() - 1).ms;
    }

    void add(int ms, long seq, int group, String command, byte cause) {
      int i = entries.size();
      while (i > 0 && entries.get(i - 1).ms < ms) {
        i--;
      }
      entries.add(i, new Entry(ms, seq, group, command, cause));
      if (entries.size() > k) {
        entries.remove(entries.size() - 1);
      }
    }
  }

  /** A set of longs by open addressing (the OOM kills: few, but nothing caps them). */
  static final class LongSet {
    private long[] slots = new long[16];
    private boolean[] used = new boolean[16];
    private int size;

    int size() {
      return size;
    }

    void add(long v) {
      if (size * 2 >= slots.length) {
        long[] old = slots;
        boolean[] oldUsed = used;
        slots = new long[old.length * 2];
        used = new boolean[old.length * 2];
        size = 0;
        for (int i = 0; i < old.length; i++) {
          if (oldUsed[i]) {
            add(old[i]);
          }
        }
      }
      int i = slot(v);
      if (!used[i]) {
        used[i] = true;
        slots[i] = v;
        size++;
      }
    }

    boolean contains(long v) {
      return used[slot(v)];
    }

    private int slot(long v) {
      int mask = slots.length - 1;
      int i = (int) (Long.hashCode(v * 0xff51afd7ed558ccdL) & mask);
      while (used[i] && slots[i] != v) {
        i = (i + 1) & mask;
      }
      return i;
    }
  }
}
