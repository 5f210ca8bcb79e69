package jpack.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jpack.config.ExitStatus;

/** The counts of a run, and the summary line made of them. */
final class Tally {
  /** How many failed tasks the summary names. */
  static final int SHOW_FAILED = 5;

  long succeeded;
  long failed;
  /** Stopped by jpack (a signal, the deadline, an output that closed): not logged. */
  long killed;
  /** The first failed tasks, for the summary. */
  final List<Long> failedSeqs = new ArrayList<>();
  /** At the deadline: the stopped task that had run longest, and how long. */
  Task longestStopped;
  long longestStoppedNanos;

  void succeeded() {
    succeeded++;
  }

  void failed(long seq) {
    failed++;
    if (failedSeqs.size() < SHOW_FAILED) {
      failedSeqs.add(seq);
    }
  }

  void stopped(Task t, long runtime, boolean atDeadline) {
    killed++;
    if (atDeadline && runtime > longestStoppedNanos) {
      longestStopped = t;
      longestStoppedNanos = runtime;
    }
  }

  /**
   * The summary: the counts, what the job log had done already, the first failed tasks (of this
   * run and of the log's), and what the exit status means.
   *
   * @param notStarted commands read and not started
   * @param inputDone whether all the input was read (else "N+ skipped")
   */
  String summary(long notStarted, boolean inputDone, long resumed, long resumedFailed,
      List<Long> resumedFailedSeqs, double elapsedSeconds, Path joblog, int code, long oomKills,
      String usage) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "jpack: %d done, %d failed, %d killed, %d%s skipped", succeeded, failed, killed,
        notStarted, inputDone ? "" : "+"));
    if (resumed > 0) {
      line.append(" (").append(resumed).append(" already done in the job log");
      if (resumedFailed > 0) {
        line.append(", ").append(resumedFailed).append(" of them failed");
      }
      line.append(')');
    }
    if (oomKills > 0) {
      line.append(", ").append(oomKills).append(" of them killed for lack of memory");
    }
    line.append(String.format(Locale.ROOT, ", %.1f s elapsed", elapsedSeconds));
    line.append(usage);
    List<Long> shown = new ArrayList<>(failedSeqs);
    for (long seq : resumedFailedSeqs) {
      if (shown.size() < SHOW_FAILED && !shown.contains(seq)) {
        shown.add(seq);
      }
    }
    if (!shown.isEmpty()) {
      shown.sort(null);
      line.append("; failed: task").append(shown.size() == 1 ? " " : "s ");
      for (int i = 0; i < shown.size(); i++) {
        line.append(i == 0 ? "" : ", ").append(shown.get(i));
      }
      if (failed + resumedFailed > shown.size()) {
        line.append(", ...");
      }
      if (joblog != null) {
        line.append(" (see ").append(joblog).append(')');
      }
    }
    line.append("; exit ").append(code).append(": ").append(ExitStatus.meaningOf(code));
    return line.toString();
  }
}
