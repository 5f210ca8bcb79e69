package jpack.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What job logs say about the packs that wrote them: counts by cause, runtimes, peak memory,
 * slots, makespan, utilisation, tail waste, the slowest runs and the core-hours used against
 * those held. Each log is a group (a shard of a job array); the totals are over them all.
 */
final class Report {
  final Runs runs;
  final List<Timeline> timelines = new ArrayList<>();
  final int cpusPerTask;
  final List<Path> logs;

  private Report(List<Path> logs, Runs runs, int cpusPerTask) {
    this.logs = logs;
    this.runs = runs;
    this.cpusPerTask = Math.max(1, cpusPerTask);
    for (Runs.Group g : runs.groups) {
      timelines.add(new Timeline(runs, g));
    }
  }

  static Report of(List<Path> logs, int cpusPerTask) throws IOException {
    return new Report(logs, Runs.read(logs), cpusPerTask);
  }

  long runsTotal() {
    return runs.n;
  }

  long tasks() {
    return sum(g -> g.tasks());
  }

  long tasksBy(int cause) {
    return sum(g -> g.tasksBy[cause]);
  }

  long slots() {
    long s = 0;
    for (Timeline t : timelines) {
      s += t.slots;
    }
    return s;
  }

  long busyMs() {
    return sum(g -> g.busyMs);
  }

  /** Slot-ms held: each group's slots for its own makespan. */
  double heldSlotMs() {
    double h = 0;
    for (int i = 0; i < timelines.size(); i++) {
      h += (double) timelines.get(i).slots * runs.groups.get(i).makespanMs();
    }
    return h;
  }

  long tailWasteMs() {
    long w = 0;
    for (Timeline t : timelines) {
      w += t.tailWasteMs;
    }
    return w;
  }

  long firstStart() {
    long m = Long.MAX_VALUE;
    for (Runs.Group g : runs.groups) {
      m = Math.min(m, g.minStart);
    }
    return m;
  }

  long lastEnd() {
    long m = Long.MIN_VALUE;
    for (Runs.Group g : runs.groups) {
      m = Math.max(m, g.maxEnd);
    }
    return m;
  }

  LogHistogram runtime() {
    LogHistogram h = new LogHistogram();
    runs.groups.forEach(g -> h.addAll(g.runtime));
    return h;
  }

  LogHistogram rss() {
    LogHistogram h = new LogHistogram();
    runs.groups.forEach(g -> h.addAll(g.rss));
    return h;
  }

  private long sum(java.util.function.ToLongFunction<Runs.Group> f) {
    long s = 0;
    for (Runs.Group g : runs.groups) {
      s += f.applyAsLong(g);
    }
    return s;
  }

  static final String[] CAUSE = {"done", "exit status", "signal", "timeout", "out of memory"};

  /** The report as text, a screenful (a line per shard more with several logs). */
  String text() {
    StringBuilder sb = new StringBuilder();
    int groups = runs.groups.size();
    sb.append("jpack report: ").append(groups == 1 ? logs.get(0).toString()
        : groups + " job logs (shards), " + logs.get(0) + " ... " + logs.get(groups - 1))
        .append('\n');
    long tasks = tasks();
    long failed = tasks - tasksBy(Runs.OK);
    row(sb, "tasks", Fmt.count(tasks) + ": " + Fmt.count(tasksBy(Runs.OK)) + " done, "
        + Fmt.count(failed) + " failed" + causes(this::tasksBy, failed));
    long reruns = runs.n - tasks;
    if (reruns > 0) {
      row(sb, "", Fmt.count(runs.n) + " runs logged: " + Fmt.count(reruns)
          + " reruns (--retries, --resume-failed); a task counts by its last run");
    }
    long missing = runs.missingSeqs();
    row(sb, "not run", "unknown: a log records what ran, not the input (highest seq "
        + Fmt.count(runs.maxSeq) + "; " + (missing == 0 ? "none below it missing"
        : Fmt.count(missing) + " below it in no log given: other shards' tasks, never started,"
        + " or stopped and not logged") + ")");
    if (runs.n == 0) {
      return sb.toString();
    }
    LogHistogram rt = runtime();
    row(sb, "runtime", "min " + Fmt.ms(rt.min()) + ", median " + Fmt.ms(rt.quantile(0.5))
        + ", p95 " + Fmt.ms(rt.quantile(0.95)) + ", max " + Fmt.ms(rt.max()) + ", mean "
        + Fmt.ms(rt.mean()));
    LogHistogram rss = rss();
    if (rss.count() == 0) {
      row(sb, "peak memory", "unknown (" + (runs.groups.stream().anyMatch(g -> g.usageFile)
          ? "LOG.usage has no figures" : "no LOG.usage beside the log") + ": jpack records"
          + " it for the tasks jpack-spawn starts)");
    } else {
      row(sb, "peak memory", "median " + Fmt.kb(rss.quantile(0.5)) + ", p95 "
          + Fmt.kb(rss.quantile(0.95)) + ", max " + Fmt.kb(rss.max())
          + (rss.count() < runs.n ? " (" + Fmt.count(rss.count()) + " of "
          + Fmt.count(runs.n) + " runs measured)" : ""));
    }
    long slots = slots();
    long span = lastEnd() - firstStart();
    row(sb, "slots", Fmt.count(slots) + " (the most runs at once" + (groups > 1
        ? ", added over the shards" : "") + "), makespan " + Fmt.ms(span)
        + (groups > 1 ? " (first start to last end; each shard held its slots for its own)"
        : ""));
    double held = heldSlotMs();
    row(sb, "utilisation", Fmt.pct(held == 0 ? 1 : busyMs() / held)
        + " (busy slot-time / slots x makespan)");
    row(sb, "tail waste", Fmt.slotTime(tailWasteMs()) + " idle after the last task started ("
        + Fmt.pct(held == 0 ? 0 : tailWasteMs() / held) + " of the slot time held)");
    long cpuRuns = runs.groups.stream().mapToLong(g -> g.cpuRuns).sum();
    double cpuH = runs.groups.stream().mapToLong(g -> g.cpuMicros).sum() / 3.6e9;
    row(sb, "core-hours", (cpuRuns == 0 ? "used unknown (no CPU times)"
        : Fmt.hours(cpuH) + " used (CPU time" + (cpuRuns < runs.n ? ", " + Fmt.count(cpuRuns)
        + " of " + Fmt.count(runs.n) + " runs measured" : "") + ")")
        + ", " + Fmt.hours(busyMs() / 3.6e6 * cpusPerTask) + " busy, "
        + Fmt.hours(held / 3.6e6 * cpusPerTask) + " held (slots x makespan x "
        + Fmt.plural(cpusPerTask, "CPU", "CPUs") + " a slot"
        + (cpusPerTask == 1 ? "; --cpus-per-task N for more" : "") + ")");
    boolean first = true;
    for (Runs.Slowest.Entry e : runs.slowest.entries.subList(0,
        Math.min(5, runs.slowest.entries.size()))) {
      row(sb, first ? "slowest" : "", String.format(Locale.ROOT, "%-10s seq %s%s%s  %s",
          Fmt.ms(e.ms()), e.seq(), groups > 1 ? " (shard " + (e.group() + 1) + ")" : "",
          e.cause() == Runs.OK ? "" : ", " + CAUSE[e.cause()], clip(e.command(), 60)));
      first = false;
    }
    if (groups > 1) {
      sb.append(String.format(Locale.ROOT, "%-5s %-24s %9s %7s %6s %10s %7s %11s%n", "shard",
          "log", "tasks", "failed", "slots", "makespan", "util", "tail waste"));
      for (int i = 0; i < groups; i++) {
        Runs.Group g = runs.groups.get(i);
        Timeline t = timelines.get(i);
        double h = (double) t.slots * g.makespanMs();
        sb.append(String.format(Locale.ROOT, "%-5d %-24s %9s %7s %6d %10s %7s %11s%n", i + 1,
            clip(g.log.getFileName().toString(), 24), Fmt.count(g.tasks()),
            Fmt.count(g.failedTasks()), t.slots, Fmt.ms(g.makespanMs()),
            Fmt.pct(h == 0 ? 1 : g.busyMs / h), Fmt.ms(t.tailWasteMs)));
      }
    }
    long skipped = runs.groups.stream().mapToLong(g -> g.skipped).sum();
    if (skipped > 0) {
      row(sb, "note", Fmt.plural(skipped, "line", "lines")
          + " of the logs are not task lines (nine TAB fields) and were skipped");
    }
    return sb.toString();
  }

  private static String causes(java.util.function.IntToLongFunction by, long failed) {
    if (failed == 0) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (int c = 1; c < Runs.CAUSES; c++) {
      if (by.applyAsLong(c) > 0) {
        sb.append(sb.length() == 0 ? " (" : ", ").append(Fmt.count(by.applyAsLong(c)))
            .append(' ').append(CAUSE[c]);
      }
    }
    return sb.append(')').toString();
  }

  static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }

  private static void row(StringBuilder sb, String label, String text) {
    sb.append(String.format(Locale.ROOT, "%-12s%s%n", label, text));
  }
}
