package jpack.app;

import java.io.Closeable;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import jpack.app.Event.WorkerEnded;
import jpack.command.ShellQuote;
import jpack.config.ExitStatus;
import jpack.config.Halt;
import jpack.config.OutputMode;
import jpack.config.Policy;
import jpack.config.RunConfig;
import jpack.exec.ExitInfo;
import jpack.exec.LaunchException;
import jpack.exec.Worker;
import jpack.joblog.JobLog;
import jpack.output.OutputClosedException;
import jpack.output.Printer;
import jpack.output.Results;
import jpack.output.Spool;

/**
 * What happens when a task ends: a retry, or its output handed to the printer with its job-log
 * line (written once the output is delivered), the counts, xargs' rules for the exit status and
 * --halt. Also what happens when jpack's own output fails.
 */
final class Accounting {
  /** Failed launches (ssh exit 255) a task may have before its 255 stands. */
  static final int LOST_LIMIT = 3;

  private final RunConfig cfg;
  private final Policy policy;
  private final RunState state;
  private final Printer printer;
  private final Spool spool;
  private final JobLog joblog;
  private final HostSlots hosts;
  private final Stopper stopper;
  private final TaskUsage usage;
  final Tally tally = new Tally();
  /** --results: where output is saved instead of printed, or null. */
  private final Results results;
  private final OutputOrder<Finished> order;
  private final TaskRecords records;
  private final HashMap<Long, String> tags = new HashMap<>();
  private boolean outputClosed;
  private boolean outputError;
  private boolean spoolFullReported;
  private boolean joblogFailed;
  private boolean resultsFailed;

  /** What is written once a task's output is delivered: its job-log line, its results row. */
  private record Finished(JobLog.Line log, Results.Row row) {}

  Accounting(RunConfig cfg, RunState state, Printer printer, Spool spool, JobLog joblog,
      HostSlots hosts, Stopper stopper, TaskUsage usage, Results results) {
    this.cfg = cfg;
    this.policy = cfg.policy();
    this.state = state;
    this.printer = printer;
    this.spool = spool;
    this.joblog = joblog;
    this.hosts = hosts;
    this.stopper = stopper;
    this.usage = usage;
    this.results = results;
    this.records = new TaskRecords(spool, hosts);
    this.order = new OutputOrder<>(cfg.keepOrder(), this::print);
  }

  boolean outputClosed() {
    return outputClosed;
  }

  boolean outputError() {
    return outputError;
  }

  /** A command that will not run (refused at the prompt, or its start failed): no output. */
  void skipped(long seq) throws IOException {
    order.complete(seq, null);
  }

  /** Prints what -k still holds. */
  void flush() throws IOException {
    order.flush();
  }

  /** A --worker task's end line (or its worker's death). */
  void workerEnded(WorkerEnded w, Runnable workerDied) throws IOException {
    Task t = w.task();
    t.workerStatus = w.status();
    if (w.status() == Worker.BAD_END && !w.died()) {
      printer.message("jpack: --worker: the end line of task " + t.seq() + " is not a NUL"
          + " byte, an exit status from 0 to 255 and a newline: the task fails (status 1)");
      t.workerStatus = 1;
    }
    t.workerDied = w.died();
    if (w.died()) {
      workerDied.run();
    }
    finish(t, -1);
  }

  /** A task could not be started: the run stops (as xargs, 126 or 127). */
  void launchFailed(Task t, LaunchException e) throws IOException {
    try {
      state.release(t);
      printer.message("jpack: " + e.getMessage());
      state.outcome.fatal(e.kind() == LaunchException.Kind.NOT_FOUND
          ? ExitStatus.NOT_FOUND : ExitStatus.CANNOT_RUN);
      order.complete(t.seq(), null);
      stopper.softStop();
    } finally {
      if (t.job != null) {
        t.job.accounted(); // the stop it caused is sent first: no next start slips through
      }
    }
  }

  /** A task's end, then its starter is told it was accounted (jpack-spawn may go on). */
  void finish(Task t, long endNanos) throws IOException {
    try {
      finishTask(t, endNanos);
    } finally {
      if (t.job != null) {
        t.job.accounted();
      }
    }
  }

  private void finishTask(Task t, long endNanos) throws IOException {
    long runtime = (endNanos >= 0 ? endNanos : System.nanoTime()) - t.startNanos;
    if (t.interrupted && endNanos >= 0 && endNanos < t.interruptedNanos
        && !stopper.stoppedWithJpack(t, endNanos)) {
      t.interrupted = false; // it had ended (jpack-spawn tells when) before jpack stopped it
    }
    state.release(t);
    if (t.timeout != null) {
      t.timeout.cancel(false);
    }
    if (t.pumpThreads != null) {
      for (int i = 0; i < 2; i++) {
        Task.joinQuietly(t.pumpThreads[i]);
        IOException failure = t.pumps[i].failure();
        if (failure instanceof OutputClosedException) {
          closed();
        } else if (failure != null && !outputClosed) {
          outputFailed(failure, t.seq());
        }
      }
    }
    if (t.workerSink != null) {
      closeQuietly(t.workerSink);
    }
    ExitInfo exit = t.exitInfo();
    if (t.timedOut && (endNanos >= 0 ? endNanos < t.timedOutNanos : exit.signal() == 0)) {
      t.timedOut = false; // it ended before the limit's TERM, or exited by itself after it
    }
    if (cfg.output() == OutputMode.UNGROUP && exit.signal() == 13 && !t.interrupted) {
      // -u: the task wrote to jpack's own stdout, and its reader is gone (| head): as when
      // jpack's own write fails, stop quietly; the task did not deliver its output, so it is
      // not logged
      t.interrupted = true;
      closed();
    }
    if (!t.interrupted) {
      usage.ended(exit.usage(), runtime);
    }
    if (t.oomKilled) {
      usage.oomKill(state.running.size() + 1);
      printer.message("jpack: task " + t.seq() + " (" + ShellQuote.join(t.argv()) + ") was"
          + " killed for lack of memory" + (exit.usage().maxRssKb() >= 0 ? " (peak "
          + TaskUsage.size(exit.usage().maxRssKb()) + ")" : "") + (usage.auto()
          ? "; --mem-per-task auto: " + usage.fit() + " at once from now" : ""));
    }
    if (t.host >= 0) {
      closeQuietly(t.job.stdin());
      if (launchFailedOnHost(t, exit)) {
        return;
      }
    }
    boolean ok = exit.success() && !t.timedOut;
    if (!ok && !t.interrupted && !stopper.stopping() && t.ready.attempt() <= policy.retries()) {
      // Try again at once; this attempt's output is dropped, as GNU parallel does.
      if (spool != null) {
        spool.take(t.spoolSlot);
        retireIfLeftBehind(t);
      }
      // with several hosts, on another one if any is alive (as GNU parallel's --retries)
      state.pending.addFirst(t.ready.again(t.ready.attempt() + 1, t.ready.lost(), t.host));
      return;
    }
    Finished done = null;
    if (t.interrupted) {
      tally.stopped(t, runtime, stopper.deadlineHit()); // not logged: --resume runs it again
    } else {
      if (ok) {
        tally.succeeded();
        state.runtimes.add(runtime);
      } else {
        tally.failed(t.seq());
      }
      if (joblog != null || results != null) {
        done = new Finished(joblog == null ? null : records.logLine(t, exit, runtime),
            results == null ? null : records.row(t, exit, runtime));
      }
    }
    output(t, done);
    retireIfLeftBehind(t);
    if (!t.interrupted) {
      account(t, exit);
    }
  }

  /**
   * ssh (or a template) exiting 255 means it could not run the task there: the task goes back to
   * the queue for another host, unless it already failed so on {@value #LOST_LIMIT} launches and
   * the host has run other tasks (then its 255 stands, as xargs takes it: only a host that works
   * can tell); a host failing {@value HostSlots#DROP_AFTER} times in a row is dropped. Returns
   * whether the task was queued again.
   */
  private boolean launchFailedOnHost(Task t, ExitInfo exit) throws IOException {
    if (!cfg.hosts().exit255IsLaunchFailure() || exit.signal() != 0 || exit.exitCode() != 255
        || t.interrupted || t.timedOut) {
      hosts.launched(t.host);
      return false;
    }
    String name = hosts.host(t.host).name();
    if (hosts.launchFailed(t.host)) {
      printer.message("jpack: dropping host " + name + ": " + HostSlots.DROP_AFTER + " launches"
          + " in a row failed there (exit 255)" + (hosts.alive() == 0 ? "; no host is left" : ""));
    }
    if (hosts.alive() > 0 && hosts.proven(t.host)
        && (stopper.stopping() || t.ready.lost() + 1 >= LOST_LIMIT)) {
      return false; // the task's own 255, as far as anyone can tell: its host runs others
    }
    if (spool != null) { // ssh's complaint, not the task's output
      printer.block(spool.take(t.spoolSlot).stderrOnly(), null);
    }
    // Not run: back to the queue, for another host or (no host left) for a later --resume.
    state.pending.addFirst(t.ready.again(t.ready.attempt(), t.ready.lost() + 1, t.host));
    if (hosts.alive() == 0) {
      state.outcome.fatal(ExitStatus.FAILURE);
      stopper.softStop();
    } else {
      printer.message("jpack: task " + t.seq() + " could not be started on " + name
          + " (exit 255); trying again" + (hosts.othersAlive(t.host) ? " on another host" : ""));
    }
    return true;
  }

  static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // a pipe nobody reads any more: nothing to tell
    }
  }

  private void writeLog(JobLog.Line line) {
    if (joblogFailed) {
      return;
    }
    try {
      joblog.append(line);
    } catch (IOException e) {
      joblogFailed = true; // said once; the run stops, and nothing later is logged
      printer.message("jpack: cannot write the job log '" + policy.joblog() + "': "
          + e.getMessage() + ": stopping");
      state.outcome.fatal(ExitStatus.FAILURE);
      stopper.softStop();
    }
  }

  /**
   * Hands the task's output to the printer, with its job-log line: grouped output is logged once
   * printed (with -k, after the earlier tasks'); output that went out as the task ran (-u,
   * --line-buffer) is delivered already, so its line is written now.
   */
  private void output(Task t, Finished done) throws IOException {
    if (cfg.tag()) {
      tags.put(t.seq(), t.tag);
    }
    if (spool != null) {
      if (!spoolFullReported && spool.full()) {
        spoolFullReported = true;
        printer.message("jpack: the spool directory " + spool.directory() + " ($TMPDIR) is full:"
            + " the output of task " + t.seq() + " (" + ShellQuote.join(t.argv()) + ") and of"
            + " later tasks may be incomplete");
        state.outcome.fatal(ExitStatus.FAILURE);
      }
      Spool.Block block = order.mustWait(t.seq()) ? spool.hold(t.spoolSlot, t.seq())
          : spool.take(t.spoolSlot);
      order.complete(t.seq(), block, done);
    } else {
      if (done != null && done.log() != null) {
        writeLog(done.log());
      }
      order.complete(t.seq(), null);
    }
  }

  /**
   * A task whose processes may outlive it (jpack-spawn saw them; the JVM cannot tell, so always
   * for its tasks): its slot's next task gets new spool files, or their late output would be
   * printed, counted and logged as that task's.
   */
  private void retireIfLeftBehind(Task t) throws IOException {
    if (spool != null && t.workerSink == null && t.leftProcesses) {
      spool.retire(t.spoolSlot);
    }
  }

  /** xargs' rules for the exit status, then --halt. */
  private void account(Task t, ExitInfo exit) {
    String program = t.argv().get(0);
    boolean xargsRules = policy.halt().when() == Halt.When.XARGS;
    if (t.timedOut) {
      printer.message("jpack: " + program + ": task " + t.seq() + " timed out; stopped it");
      state.outcome.taskFailed();
    } else if (exit.signal() != 0) {
      if (!t.oomKilled) { // named already, with its peak
        printer.message("jpack: " + program + ": terminated by signal " + exit.signal());
      }
      state.outcome.fatal(ExitStatus.TASK_SIGNALLED);
      if (xargsRules) {
        stopper.softStop();
      }
    } else if (exit.exitCode() == 255) {
      printer.message("jpack: " + program + ": exited with status 255"
          + (t.host >= 0 && cfg.hosts().exit255IsLaunchFailure()
              ? " on " + hosts.host(t.host).name() + " (or ssh failed there, as on its earlier"
                  + " tries)" : "") + "; aborting");
      state.outcome.fatal(ExitStatus.TASK_EXIT_255);
      if (xargsRules) {
        stopper.softStop();
      }
    } else if (exit.exitCode() != 0) {
      state.outcome.taskFailed();
    }
    Halt halt = policy.halt();
    if (!stopper.stopping() && halt.reached(tally.failed, tally.succeeded)) {
      printer.message("jpack: --halt " + halt.when().name().toLowerCase(Locale.ROOT) + ": "
          + tally.failed + " failed, " + tally.succeeded + " succeeded: stopping");
      if (halt.when() == Halt.When.NOW) {
        stopper.hardStop();
      } else {
        stopper.softStop();
      }
    }
  }

  /**
   * Prints one task's block, then writes its job-log line if the block reached jpack's stdout and
   * stderr: a task whose output was lost (a closed or failing stdout) stays out of the log, so a
   * resume runs it again.
   */
  private void print(long seq, Spool.Block block, Finished done) throws IOException {
    String tag = cfg.tag() ? tags.remove(seq) : null;
    JobLog.Line logLine = done == null ? null : done.log();
    if (results != null) { // saved instead of printed; logged once saved
      if (done != null && save(done.row(), block) && logLine != null && !outputError) {
        writeLog(logLine);
      }
      if (block != null) {
        block.discard();
      }
      return;
    }
    boolean delivered = block == null || block.isEmpty();
    if (block != null) {
      try {
        if (!outputClosed) {
          printer.block(block, tag == null && cfg.tag() ? "" : tag);
          delivered = true;
        }
      } catch (OutputClosedException e) {
        closed();
      } catch (IOException e) {
        outputFailed(e, seq);
      } finally {
        block.discard();
      }
    }
    if (logLine != null && delivered && !outputError) {
      writeLog(logLine);
    }
  }

  /** Writes a task's --results row; false when it could not be (the run then stops). */
  private boolean save(Results.Row row, Spool.Block block) {
    if (resultsFailed) {
      return false;
    }
    try {
      results.write(row, block);
      return true;
    } catch (IOException e) {
      resultsFailed = true; // said once; the run stops, and nothing later is saved or logged
      printer.message("jpack: cannot write --results '" + cfg.results().path() + "' (task "
          + row.seq() + "): " + e.getMessage() + ": stopping");
      state.outcome.fatal(ExitStatus.FAILURE);
      stopper.softStop();
      return false;
    }
  }

  /** A full disk or an I/O error on jpack's own output: output would be lost, so stop, loudly. */
  private void outputFailed(IOException e, long seq) {
    printer.message("jpack: " + e.getMessage() + " (output of task " + seq
        + " and later ones is incomplete); stopping");
    state.outcome.fatal(ExitStatus.FAILURE);
    outputClosed = true;
    outputError = true;
    stopper.hardStop();
  }

  /** jpack's stdout is gone: start nothing more, end the running tasks, exit quietly. */
  void closed() {
    outputClosed = true;
    stopper.hardStop();
  }
}
