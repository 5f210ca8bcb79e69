package jpack.report;

import java.util.Locale;

/** How the report and the plan write times, sizes and counts. */
final class Fmt {
  private Fmt() {}

  /** Milliseconds as "0.051 s", "12.3 s", "12 m 05 s", "6 h 05 m", "3 d 4 h". */
  static String ms(double ms) {
    double s = ms / 1000;
    if (s < 1) {
      return String.format(Locale.ROOT, "%.3f s", s);
    }
    if (s < 59.95) {
      return String.format(Locale.ROOT, "%.1f s", s);
    }
    long secs = Math.round(s);
    if (secs < 3600) {
      return String.format(Locale.ROOT, "%d m %02d s", secs / 60, secs % 60);
    }
    long mins = Math.round(s / 60);
    if (mins < 72 * 60) {
      return String.format(Locale.ROOT, "%d h %02d m", mins / 60, mins % 60);
    }
    long hours = Math.round(s / 3600);
    return String.format(Locale.ROOT, "%d d %d h", hours / 24, hours % 24);
  }

  /** Seconds, as {@link #ms}. */
  static String secs(double s) {
    return ms(s * 1000);
  }

  /** KiB as "201 MB" or "9.8 GB" (powers of 1024, as the run's summary and sacct show them). */
  static String kb(double kb) {
    if (kb < 1024) {
      return Math.round(kb) + " kB";
    }
    if (kb < 9.95 * 1024) {
      return String.format(Locale.ROOT, "%.1f MB", kb / 1024);
    }
    if (kb < 1024 * 1024) {
      return Math.round(kb / 1024) + " MB";
    }
    return String.format(Locale.ROOT, "%.1f GB", kb / (1024.0 * 1024));
  }

  /** Bytes as {@link #kb}. */
  static String bytes(double b) {
    return kb(b / 1024);
  }

  /** Hours with a thousands separator: "126", "55,556", "4.1" (below 100: one decimal). */
  static String hours(double h) {
    if (h > 0 && h < 0.01) {
      return "< 0.01";
    }
    if (h > 0 && h < 0.95) {
      return String.format(Locale.ROOT, "%.2f", h);
    }
    return h < 99.95 ? String.format(Locale.ROOT, "%.1f", h)
        : String.format(Locale.ROOT, "%,d", Math.round(h));
  }

  /** Slot-time: "12.3 slot-hours", or below an hour "4 m 10 s of slot time". */
  static String slotTime(double ms) {
    return ms >= 3.6e6 ? hours(ms / 3.6e6) + " slot-hours" : ms(ms) + " of slot time";
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String pct(double fraction) {
    return String.format(Locale.ROOT, "%.1f %%", 100 * fraction);
  }

  static String plural(long n, String one, String many) {
    return count(n) + " " + (n == 1 ? one : many);
  }
}
