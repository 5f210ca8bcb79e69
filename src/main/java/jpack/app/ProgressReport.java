package jpack.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import jpack.config.Progress;
import jpack.output.Printer;

/**
 * Progress for people: --bar, a live line on a terminal; --progress, newline-terminated lines for
 * batch logs (a --bar whose stderr is not a terminal prints these instead: a file never gets a
 * carriage return); --status, a JSON file rewritten atomically that can be read from a login node.
 */
final class ProgressReport {
  /** A running task; host is where it runs with --hosts, else null. */
  record Running(long seq, long pid, long startMillis, String host) {}

  /**
   * The counts at one moment.
   *
   * @param limit tasks at once now (Integer.MAX_VALUE: no limit)
   * @param draining SIGHUP came: nothing more starts
   * @param stalledSeconds how long no task has ended when that is a stall (StallWatch), else -1
   * @param peakKbMax the largest peak resident memory of a task so far, KiB, or -1
   * @param peakKbP95 the 95th percentile of the peaks, or -1
   * @param cpuEfficiency CPU time / (wall time × CPUs per task) of the tasks measured, or -1
   * @param oomKills tasks killed by the kernel for lack of memory
   * @param memPerTaskKb --mem-per-task auto's size per task now (0: nothing learnt), else -1
   */
  record Snapshot(long done, long failed, long killed, long total, List<Running> running,
      long elapsedNanos, boolean finished, int limit, boolean draining, long stalledSeconds,
      long peakKbMax, long peakKbP95, double cpuEfficiency, long oomKills, long memPerTaskKb) {}

  private static final Duration BAR_PERIOD = Duration.ofMillis(250);
  private static final Duration STATUS_PERIOD = Duration.ofSeconds(5);

  private final Progress cfg;
  private final Printer printer;
  private final Supplier<Snapshot> counts;
  private final boolean bar;
  private final boolean lines;
  private long nextLine;
  private long nextStatus;
  private boolean barShown;

  ProgressReport(Progress cfg, Printer printer, Supplier<Snapshot> counts) {
    this.cfg = cfg;
    this.printer = printer;
    this.counts = counts;
    boolean tty = jpack.site.LimitsProbe.stderrIsTerminal();
    this.bar = cfg.bar() && tty;
    this.lines = cfg.lines() || (cfg.bar() && !tty);
    long now = System.nanoTime();
    this.nextLine = now + cfg.interval().toNanos();
    this.nextStatus = now;
  }

  /** How often to be called, or null when nothing is to be reported. */
  Duration period() {
    if (bar) {
      return BAR_PERIOD;
    }
    Duration p = null;
    if (lines) {
      p = cfg.interval();
    }
    if (cfg.statusFile() != null) {
      p = p == null || STATUS_PERIOD.compareTo(p) < 0 ? STATUS_PERIOD : p;
    }
    return p;
  }

  void tick(boolean last) {
    if (!cfg.any()) {
      return;
    }
    Snapshot s = counts.get();
    long now = System.nanoTime();
    if (bar) {
      printer.prompt("\r" + line(s) + "\033[K" + (last ? "\n" : ""));
      barShown = true;
    }
    if (lines && (last || now >= nextLine)) {
      printer.message("jpack: progress: " + line(s));
      while (nextLine <= now) {
        nextLine += cfg.interval().toNanos();
      }
    }
    if (cfg.statusFile() != null && (last || now >= nextStatus)) {
      writeStatus(s);
      nextStatus = now + STATUS_PERIOD.toNanos();
    }
  }

  static String line(Snapshot s) {
    long finished = s.done() + s.failed();
    double seconds = s.elapsedNanos() / 1e9;
    double rate = seconds > 0 ? finished / seconds : 0;
    StringBuilder sb = new StringBuilder();
    // "done" as in the summary and the status file: succeeded; failed tasks are counted apart
    sb.append(s.done()).append('/').append(s.total() < 0 ? "?" : String.valueOf(s.total()))
        .append(" done, ").append(s.failed()).append(" failed, ").append(s.running().size())
        .append(" running");
    if (s.limit() != Integer.MAX_VALUE) {
      sb.append(" (of ").append(s.limit()).append(')');
    }
    sb.append(", ").append(String.format(Locale.ROOT, "%.1f", rate)).append("/s");
    long eta = eta(s, rate);
    if (eta >= 0) {
      sb.append(", ETA ").append(human(eta));
    }
    if (s.draining()) {
      sb.append(", draining");
    }
    if (s.peakKbMax() >= 0) {
      sb.append(", peak ").append(TaskUsage.size(s.peakKbMax()));
    }
    if (s.memPerTaskKb() > 0) {
      sb.append(", auto ").append(TaskUsage.size(s.memPerTaskKb())).append("/task");
    }
    if (s.oomKills() > 0) {
      sb.append(", ").append(s.oomKills()).append(" out of memory");
    }
    if (s.stalledSeconds() >= 0) {
      sb.append(", no task ended for ").append(human(s.stalledSeconds()));
    }
    return sb.toString();
  }

  /** Seconds left at the current rate, or -1 when it cannot be told. */
  static long eta(Snapshot s, double rate) {
    if (s.total() < 0 || rate <= 0) {
      return -1;
    }
    long left = s.total() - s.done() - s.failed() - s.killed();
    return Math.max(0, Math.round(left / rate));
  }

  static String human(long seconds) {
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return (seconds / 60) + "m" + String.format(Locale.ROOT, "%02d", seconds % 60) + "s";
    }
    return (seconds / 3600) + "h" + String.format(Locale.ROOT, "%02d", (seconds % 3600) / 60)
        + "m";
  }

  /**
   * Whether the status file can be written (its directory exists and takes new files), checked
   * before anything runs; null when it can, else why not.
   */
  String statusProblem() {
    Path file = cfg.statusFile();
    if (file == null) {
      return null;
    }
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return "the directory '" + dir + "' does not exist";
    }
    if (Files.isDirectory(file)) {
      return "it is a directory";
    }
    try {
      Files.deleteIfExists(Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp"));
      return null;
    } catch (IOException e) {
      return e instanceof java.nio.file.AccessDeniedException ? "Permission denied"
          : e.getMessage();
    }
  }

  private boolean statusFailed;

  private void writeStatus(Snapshot s) {
    double seconds = s.elapsedNanos() / 1e9;
    double rate = seconds > 0 ? (s.done() + s.failed()) / seconds : 0;
    long eta = eta(s, rate);
    StringBuilder sb = new StringBuilder("{");
    sb.append("\"done\":").append(s.done())
        .append(",\"failed\":").append(s.failed())
        .append(",\"killed\":").append(s.killed())
        .append(",\"running\":").append(s.running().size())
        .append(",\"total\":").append(s.total() < 0 ? "null" : String.valueOf(s.total()))
        .append(",\"rate_per_second\":").append(String.format(Locale.ROOT, "%.3f", rate))
        .append(",\"eta_seconds\":").append(eta < 0 ? "null" : String.valueOf(eta))
        .append(",\"elapsed_seconds\":").append(String.format(Locale.ROOT, "%.1f", seconds))
        .append(",\"finished\":").append(s.finished())
        .append(",\"limit\":").append(s.limit() == Integer.MAX_VALUE ? "null"
            : String.valueOf(s.limit()))
        .append(",\"draining\":").append(s.draining())
        .append(",\"peak_rss_kb_max\":").append(s.peakKbMax() < 0 ? "null"
            : String.valueOf(s.peakKbMax()))
        .append(",\"peak_rss_kb_p95\":").append(s.peakKbP95() < 0 ? "null"
            : String.valueOf(s.peakKbP95()))
        .append(",\"cpu_efficiency\":").append(s.cpuEfficiency() < 0 ? "null"
            : String.format(Locale.ROOT, "%.3f", s.cpuEfficiency()))
        .append(",\"oom_kills\":").append(s.oomKills())
        .append(",\"mem_per_task_kb\":").append(s.memPerTaskKb() < 0 ? "null"
            : String.valueOf(s.memPerTaskKb()))
        .append(",\"stalled\":").append(s.stalledSeconds() >= 0)
        .append(",\"stalled_seconds\":").append(s.stalledSeconds() >= 0
            ? String.valueOf(s.stalledSeconds()) : "null")
        .append(",\"updated\":\"").append(Instant.now()).append('"')
        .append(",\"tasks\":[");
    for (int i = 0; i < s.running().size(); i++) {
      Running r = s.running().get(i);
      sb.append(i == 0 ? "" : ",").append("{\"seq\":").append(r.seq()).append(",\"pid\":")
          .append(r.pid()).append(",\"start\":\"").append(Instant.ofEpochMilli(r.startMillis()))
          .append('"');
      if (r.host() != null) {
        sb.append(",\"host\":\"").append(r.host().replace("\\", "\\\\").replace("\"", "\\\""))
            .append('"');
      }
      sb.append('}');
    }
    sb.append("]}\n");
    Path file = cfg.statusFile();
    Path tmp = null;
    try {
      // A new file of a random name (O_EXCL: never through a link someone put in the directory),
      // then renamed over the status file, which replaces a link rather than following it.
      Path dir = file.toAbsolutePath().getParent();
      tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp",
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--")));
      Files.writeString(tmp, sb, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      tmp = null;
    } catch (IOException e) {
      if (!statusFailed) {
        statusFailed = true; // said once, not every 5 s
        printer.message("jpack: cannot write the status file '" + file + "': "
            + (e instanceof java.nio.file.NoSuchFileException ? "No such file or directory"
                : e instanceof java.nio.file.AccessDeniedException ? "Permission denied"
                : e.getMessage()));
      }
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the directory went away
        }
      }
    }
  }
}
