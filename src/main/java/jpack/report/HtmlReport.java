package jpack.report;

import java.util.Locale;

/**
 * The report as one self-contained HTML page: inline CSS and SVG, no script, no font or image from
 * anywhere (it opens from a cluster's shared file system, in any browser, with no network). It
 * holds the text summary, a timeline of each shard's slots (a row per slot, a bar per run,
 * failures marked), the tasks running over time, and histograms of runtime and peak memory.
 *
 * <p>How a big pack stays small: with at most {@value #BAR_LIMIT} runs in all, each run is a bar
 * of its own (with a tooltip). Beyond that each row's time axis is cut into columns (at most
 * {@value #MAX_COLS}, fewer when there are many rows, so that rows x columns stays within
 * {@value #CELL_BUDGET}) and each cell is shaded by how busy its slot was there (four shades;
 * runs of equal cells are one rectangle), with a red tick on the cells where a run failed. With
 * more than {@value #MAX_ROWS} slots in all, a row stands for several slots (said above the
 * picture). A 10-million-run report is a few hundred kilobytes to a few megabytes.
 */
final class HtmlReport {
  static final int BAR_LIMIT = 5000;
  static final int MAX_COLS = 1500;
  static final int CELL_BUDGET = 60_000;
  static final int MAX_ROWS = 400;
  private static final int LABEL = 64;
  private static final int PLOT = 1400;
  private static final String[] FAIL_CLASS = {"", "exit", "signal", "timeout", "oom"};

  private final Report r;
  private final StringBuilder out = new StringBuilder(1 << 16);

  private HtmlReport(Report r) {
    this.r = r;
  }

  static String render(Report r) {
    return new HtmlReport(r).page();
  }

  private String page() {
    boolean bars = r.runsTotal() <= BAR_LIMIT;
    long totalSlots = r.slots();
    int perRow = (int) Math.max(1, (totalSlots + MAX_ROWS - 1) / MAX_ROWS);
    long totalRows = 0;
    for (Timeline t : r.timelines) {
      totalRows += (t.slots + perRow - 1) / perRow;
    }
    int cols = (int) Math.max(60, Math.min(MAX_COLS, CELL_BUDGET / Math.max(1, totalRows)));
    for (Timeline t : r.timelines) {
      t.picture(perRow, cols, bars);
    }
    String title = "jpack report: " + (r.logs.size() == 1 ? r.logs.get(0).toString()
        : r.logs.size() + " job logs");
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
        .append(esc(title)).append("</title>\n<style>\n").append(CSS).append("</style></head>\n")
        .append("<body>\n<h1>").append(esc(title)).append("</h1>\n")
        .append("<pre class=\"summary\" id=\"summary\">").append(esc(r.text())).append("</pre>\n");
    out.append("<h2>Slots over time</h2>\n<p class=\"note\">")
        .append("The job log has no slot column: each run was put, in order of start, in the slot"
            + " freed earliest (a new one when none was free), so there are as many rows as the"
            + " most runs at once. ")
        .append(bars ? "One bar a run; failed runs in colour (hover for the runtime)."
            : "Too many runs for a bar each (" + Fmt.count(r.runsTotal()) + "): each row is cut"
            + " into " + cols + " columns, shaded by how busy the slot was there (darker: busier);"
            + " a coloured tick marks a column where a run failed.")
        .append(perRow > 1 ? " Each row is " + perRow + " slots together." : "")
        .append("</p>\n<p class=\"legend\"><span class=\"k ok\"></span>done <span class=\"k exit\">"
            + "</span>exit status <span class=\"k signal\"></span>signal <span class=\"k timeout\">"
            + "</span>timeout <span class=\"k oom\"></span>out of memory</p>\n");
    for (int i = 0; i < r.timelines.size(); i++) {
      shard(i, bars);
    }
    utilisation();
    out.append("<div class=\"hists\">\n");
    LogHistogram rt = r.runtime();
    histogram("Runtime", "runtime", rt, Fmt::ms);
    LogHistogram rss = r.rss();
    if (rss.count() > 0) {
      histogram("Peak memory", "memory", rss, Fmt::kb);
    } else {
      out.append("<section class=\"hist\" id=\"memory\"><h2>Peak memory</h2><p>unknown: no"
          + " figures in LOG.usage</p></section>\n");
    }
    out.append("</div>\n<p class=\"note\">Made by jpack --report-html; self-contained (no script,"
        + " nothing from the network).</p>\n</body></html>\n");
    return out.toString();
  }

  private void shard(int i, boolean bars) {
    Timeline t = r.timelines.get(i);
    Runs.Group g = r.runs.groups.get(i);
    int rowH = (int) Math.max(2, Math.min(14, 480 / Math.max(1, t.rows)));
    int height = t.rows * rowH + 22;
    out.append("<section class=\"shard\" id=\"shard-").append(i + 1).append("\" data-slots=\"")
        .append(t.slots).append("\" data-runs=\"").append(g.runs()).append("\" data-failed=\"")
        .append(g.runs() - g.runsBy[Runs.OK]).append("\" data-mode=\"")
        .append(bars ? "bars" : "cells").append("\">\n<h3>")
        .append(r.timelines.size() > 1 ? "shard " + (i + 1) + ": " : "")
        .append(esc(g.log.toString())).append(" &mdash; ").append(Fmt.count(t.slots))
        .append(" slots, ").append(Fmt.count(g.runs())).append(" runs, makespan ")
        .append(Fmt.ms(g.makespanMs())).append(", from ")
        .append(esc(java.time.Instant.ofEpochMilli(Math.max(0, g.minStart)).toString()))
        .append("</h3>\n<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        .append(LABEL + PLOT + 10).append(' ').append(height).append("\">\n");
    double span = Math.max(1, g.makespanMs());
    double scale = PLOT / span;
    for (int row = 0; row < t.rows; row++) {
      int y = row * rowH;
      out.append("<g class=\"slot\" id=\"s").append(i + 1).append("-r").append(row)
          .append("\" data-slot=\"").append(row * t.slotsPerRow).append("\">");
      if (rowH >= 8 && (t.rows <= 64 || row % 10 == 0)) {
        out.append("<text x=\"").append(LABEL - 4).append("\" y=\"").append(y + rowH - 2)
            .append("\" class=\"lab\">").append(row * t.slotsPerRow).append("</text>");
      }
      out.append("<rect class=\"lane\" x=\"").append(LABEL).append("\" y=\"").append(y)
          .append("\" width=\"").append(PLOT).append("\" height=\"").append(rowH - (rowH > 3 ? 1 : 0))
          .append("\"/>");
      int h = rowH - (rowH > 3 ? 1 : 0);
      if (bars) {
        for (int k = g.from; k < g.to; k++) {
          if (t.slotOf[k - g.from] / t.slotsPerRow == row) {
            bar(k, g, y, h, scale);
          }
        }
      } else {
        cells(t, row, y, h);
      }
      out.append("</g>\n");
    }
    axis(t.rows * rowH, span, scale);
    out.append("</svg>\n</section>\n");
  }

  /** Run k as a bar in its row (at y), with its runtime and cause as a tooltip. */
  private void bar(int k, Runs.Group g, int y, int h, double scale) {
    double x = LABEL + (r.runs.start[k] - g.minStart) * scale;
    double w = Math.max(0.6, r.runs.dur[k] * scale);
    byte c = r.runs.cause[k];
    out.append("<rect class=\"run").append(c == Runs.OK ? "" : " fail " + FAIL_CLASS[c])
        .append("\" x=\"").append(f(x)).append("\" y=\"").append(y).append("\" width=\"")
        .append(f(w)).append("\" height=\"").append(h).append("\"><title>")
        .append(Fmt.ms(r.runs.dur[k])).append(c == Runs.OK ? "" : ", " + Report.CAUSE[c])
        .append("</title></rect>");
  }

  /** Row row of the cells: equal neighbours are one rectangle; failures a tick on top. */
  private void cells(Timeline t, int row, int y, int h) {
    int base = row * t.cols;
    double cap = t.colMs * t.slotsPerRow;
    double w = (double) PLOT / t.cols;
    int c = 0;
    while (c < t.cols) {
      int level = level(t.cellBusyMs[base + c] / cap);
      int e = c + 1;
      while (e < t.cols && level(t.cellBusyMs[base + e] / cap) == level) {
        e++;
      }
      if (level > 0) {
        out.append("<rect class=\"b").append(level).append("\" x=\"").append(f(LABEL + c * w))
            .append("\" y=\"").append(y).append("\" width=\"").append(f((e - c) * w))
            .append("\" height=\"").append(h).append("\"/>");
      }
      c = e;
    }
    for (c = 0; c < t.cols; c++) {
      byte fail = t.cellFail[base + c];
      if (fail != 0) {
        out.append("<rect class=\"tick ").append(FAIL_CLASS[fail]).append("\" x=\"")
            .append(f(LABEL + c * w)).append("\" y=\"").append(y).append("\" width=\"")
            .append(f(Math.max(1.5, w))).append("\" height=\"").append(h).append("\"/>");
      }
    }
  }

  /** A busy fraction as a shade: 0 (idle, not drawn), 1..4. */
  private static int level(double busy) {
    return busy < 0.02 ? 0 : busy < 0.35 ? 1 : busy < 0.65 ? 2 : busy < 0.95 ? 3 : 4;
  }

  private void axis(int y, double span, double scale) {
    out.append("<g class=\"axis\"><line x1=\"").append(LABEL).append("\" x2=\"")
        .append(LABEL + PLOT).append("\" y1=\"").append(y + 1).append("\" y2=\"").append(y + 1)
        .append("\"/>");
    for (int k = 0; k <= 5; k++) {
      double ms = span * k / 5;
      double x = LABEL + ms * scale;
      out.append("<text x=\"").append(f(x)).append("\" y=\"").append(y + 16)
          .append("\" text-anchor=\"").append(k == 0 ? "start" : k == 5 ? "end" : "middle")
          .append("\">").append(k == 0 ? "0" : Fmt.ms(ms)).append("</text>");
    }
    out.append("</g>\n");
  }

  /** Tasks running over time (all shards), against the slots held. */
  private void utilisation() {
    int bins = 600;
    long t0 = r.firstStart();
    double span = Math.max(1, r.lastEnd() - t0);
    double binMs = span / bins;
    double[] busy = new double[bins];
    int[] full = new int[bins + 1];
    long[] start = r.runs.start;
    int[] dur = r.runs.dur;
    for (int k = 0; k < r.runs.n; k++) {
      double s = start[k] - t0;
      double e = s + dur[k];
      int bs = Math.min(bins - 1, (int) (s / binMs));
      int be = Math.min(bins - 1, (int) (e / binMs));
      if (bs == be) {
        busy[bs] += e - s;
      } else {
        busy[bs] += (bs + 1) * binMs - s;
        busy[be] += e - be * binMs;
        full[bs + 1]++;
        full[be]--;
      }
    }
    int running = 0;
    double peak = r.slots();
    for (int b = 0; b < bins; b++) {
      running += full[b];
      busy[b] = (busy[b] + running * binMs) / binMs; // tasks running on average
      peak = Math.max(peak, busy[b]);
    }
    int h = 160;
    out.append("<section class=\"util\" id=\"utilisation\"><h2>Tasks running over time</h2>")
        .append("<p class=\"note\">Average running tasks in each of ").append(bins)
        .append(" steps of ").append(Fmt.ms(binMs)).append("; the line: the ")
        .append(Fmt.count(r.slots())).append(" slots. Utilisation ")
        .append(Fmt.pct(r.heldSlotMs() == 0 ? 1 : r.busyMs() / r.heldSlotMs()))
        .append(".</p>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 -10 ")
        .append(LABEL + PLOT + 10).append(' ').append(h + 32).append("\"><path class=\"area\" d=\"M")
        .append(LABEL).append(' ').append(h);
    for (int b = 0; b < bins; b++) {
      double y = h - busy[b] / peak * h;
      out.append(" L").append(f(LABEL + (double) b * PLOT / bins)).append(' ').append(f(y))
          .append(" L").append(f(LABEL + (double) (b + 1) * PLOT / bins)).append(' ').append(f(y));
    }
    double ys = h - r.slots() / peak * h;
    out.append(" L").append(LABEL + PLOT).append(' ').append(h).append(" Z\"/><line class=\"cap\""
        + " x1=\"").append(LABEL).append("\" x2=\"").append(LABEL + PLOT).append("\" y1=\"")
        .append(f(ys)).append("\" y2=\"").append(f(ys)).append("\"/><text x=\"").append(LABEL - 4)
        .append("\" y=\"").append(f(ys + 4)).append("\" class=\"lab\">").append(r.slots())
        .append("</text>");
    axis(h, span, PLOT / span);
    out.append("</svg></section>\n");
  }

  private void histogram(String title, String id, LogHistogram hist,
      java.util.function.DoubleFunction<String> label) {
    int k = 40;
    double lo = hist.min();
    double hi = Math.max(lo + 1, Math.min(hist.max(), 3 * hist.quantile(0.95)));
    boolean clipped = hi < hist.max();
    long[] counts = hist.rebin(k, lo, hi);
    long top = 1;
    for (long c : counts) {
      top = Math.max(top, c);
    }
    int w = 680;
    int h = 150;
    double bw = (double) (w - 20) / k;
    out.append("<section class=\"hist\" id=\"").append(id).append("\"><h2>").append(title)
        .append("</h2><p class=\"note\">").append(Fmt.count(hist.count())).append(" runs; ")
        .append(k).append(" bins from ").append(label.apply(lo)).append(" to ")
        .append(label.apply(hi)).append(clipped ? " (the last: everything above, up to "
            + label.apply(hist.max()) + ")" : "").append("; median ")
        .append(label.apply(hist.quantile(0.5))).append(", p95 ")
        .append(label.apply(hist.quantile(0.95))).append("</p>\n<svg xmlns=\"http://www.w3.org/2000/svg\""
            + " viewBox=\"0 0 ").append(w).append(' ').append(h + 20).append("\">");
    for (int b = 0; b < k; b++) {
      if (counts[b] == 0) {
        continue;
      }
      double bh = Math.max(1, (double) counts[b] / top * h);
      out.append("<rect class=\"bar\" x=\"").append(f(10 + b * bw)).append("\" y=\"")
          .append(f(h - bh)).append("\" width=\"").append(f(bw - 1)).append("\" height=\"")
          .append(f(bh)).append("\"><title>").append(Fmt.count(counts[b])).append("</title></rect>");
    }
    out.append("<text x=\"10\" y=\"").append(h + 16).append("\">").append(label.apply(lo))
        .append("</text><text x=\"").append(w - 10).append("\" y=\"").append(h + 16)
        .append("\" text-anchor=\"end\">").append(label.apply(hi)).append("</text></svg></section>\n");
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String esc(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        default -> sb.append(c < 0x20 && c != '\n' ? '?' : c);
      }
    }
    return sb.toString();
  }

  private static final String CSS = """
      body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; background: #fff; }
      h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.4em; } h3 { font-size: 1em; }
      pre.summary { background: #f4f5f7; padding: .8em; border-radius: 4px; overflow-x: auto;
        font-size: 12.5px; }
      .note { color: #555; font-size: 12.5px; max-width: 70em; }
      svg { width: 100%; height: auto; display: block; }
      svg text { font-size: 11px; fill: #444; } .lab { text-anchor: end; }
      .lane { fill: #eef0f3; }
      .run { stroke: #fff; stroke-width: .5; }
      .run, .b4 { fill: #3b7dd8; } .b3 { fill: #6a9de3; } .b2 { fill: #9dbfee; } .b1 { fill: #cfdff7; }
      .exit, .tick.exit { fill: #d62728; } .signal { fill: #8e44ad; } .timeout { fill: #ff8c00; }
      .oom { fill: #7b0000; }
      .axis line { stroke: #888; } .cap { stroke: #d62728; stroke-dasharray: 4 3; }
      .area { fill: #9dbfee; stroke: #3b7dd8; stroke-width: 1; }
      .bar { fill: #3b7dd8; }
      .hists { display: flex; flex-wrap: wrap; gap: 2em; } .hist { flex: 1 1 30em; }
      .legend .k { display: inline-block; width: 1em; height: .8em; margin: 0 .3em 0 1em; }
      .k.ok { background: #3b7dd8; } .k.exit { background: #d62728; }
      .k.signal { background: #8e44ad; } .k.timeout { background: #ff8c00; }
      .k.oom { background: #7b0000; }
      """;
}
