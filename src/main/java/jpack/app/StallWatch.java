package jpack.app;

import java.time.Duration;
import java.util.Locale;

/**
 * The stall warning: when no task has ended for much longer than the runtimes so far suggest
 * (10 × their 95th percentile, at least 10 minutes; or --stall-after), one plain line in the
 * batch log, repeated rarely (each time the silence has doubled).
 */
final class StallWatch {
  private static final Duration AT_LEAST = Duration.ofMinutes(10);
  private static final Duration CHECK_EVERY = Duration.ofMinutes(1);

  /** --stall-after: null for the automatic threshold, zero for never. */
  private final Duration fixed;
  private long lastEndNanos = System.nanoTime();
  /** The silence at which the next warning is due (0: at the threshold). */
  private long nextWarnNanos;
  private boolean stalled;

  StallWatch(Duration fixed) {
    this.fixed = fixed;
  }

  boolean off() {
    return fixed != null && fixed.isZero();
  }

  /** How often to look. */
  Duration period() {
    if (fixed == null) {
      return CHECK_EVERY;
    }
    Duration quarter = fixed.dividedBy(4);
    return quarter.compareTo(CHECK_EVERY) < 0 ? quarter.isZero() ? Duration.ofMillis(1) : quarter
        : CHECK_EVERY;
  }

  /** A task ended. */
  void ended() {
    lastEndNanos = System.nanoTime();
    nextWarnNanos = 0;
    stalled = false;
  }

  /** Whether the run is stalled now (for --status). */
  boolean stalled() {
    return stalled;
  }

  /** Seconds since the last task ended (or the run started). */
  long silenceSeconds() {
    return (System.nanoTime() - lastEndNanos) / 1_000_000_000L;
  }

  long threshold(Runtimes runtimes) {
    if (fixed != null) {
      return fixed.toNanos();
    }
    long byRuntimes = runtimes.count() == 0 ? 0 : 10 * runtimes.quantile(0.95);
    return Math.max(AT_LEAST.toNanos(), byRuntimes);
  }

  /** The warning line when one is due, else null. */
  String check(RunState state) {
    if (off() || state.running.isEmpty()) {
      stalled = false;
      return null; // nothing runs: waiting for input is not a stall
    }
    long now = System.nanoTime();
    long silence = now - lastEndNanos;
    if (silence < threshold(state.runtimes)) {
      stalled = false;
      return null;
    }
    stalled = true;
    if (silence < nextWarnNanos) {
      return null;
    }
    nextWarnNanos = 2 * silence;
    Task oldest = null;
    int running = 0;
    for (Task t : state.running) {
      if (t.job != null && t.job.waiting()) {
        continue; // queued in jpack-spawn behind a running one
      }
      running++;
      if (oldest == null || t.startNanos < oldest.startNanos) {
        oldest = t;
      }
    }
    return "jpack: no task has ended for " + human(silence) + "; running: " + running
        + (oldest == null ? "" : " (oldest: seq " + oldest.seq() + ", "
            + human(now - oldest.startNanos) + ")");
  }

  static String human(long nanos) {
    long s = nanos / 1_000_000_000L;
    return s < 120 ? s + " s" : String.format(Locale.ROOT, "%d min", s / 60);
  }
}
