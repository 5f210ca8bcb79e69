package jpack.app;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jpack.app.Event.DeadlineStop;
import jpack.app.Event.Dropped;
import jpack.app.Event.Ended;
import jpack.app.Event.InputEnd;
import jpack.app.Event.Kill;
import jpack.app.Event.LaunchFailed;
import jpack.app.Event.Launched;
import jpack.app.Event.Lost;
import jpack.app.Event.Ready;
import jpack.app.Event.Settle;
import jpack.app.Event.Signalled;
import jpack.app.Event.Tick;
import jpack.app.Event.TimeUp;
import jpack.app.Event.WorkerEnded;
import jpack.config.ExitStatus;
import jpack.exec.Spawner;
import jpack.output.Printer;

/**
 * The run's one thread that starts tasks, prints their output and keeps the books: it takes one
 * event at a time from the queue (a command is ready, a task started or ended, the input ended,
 * a signal came, a time limit passed), hands it to the part whose business it is, then starts
 * whatever fits.
 */
final class EventLoop {
  private final RunState state;
  private final Dispatcher dispatcher;
  private final Accounting accounting;
  private final Stopper stopper;
  private final HelperLink helpers;
  private final HostSlots hosts;
  private final Printer printer;
  private final InputFeed input;
  private final ProgressReport progress;
  private final StallWatch stall;
  private final TaskUsage usage;
  private final InputCount count;

  EventLoop(RunState state, Dispatcher dispatcher, Accounting accounting, Stopper stopper,
      HelperLink helpers, HostSlots hosts, Printer printer, InputFeed input,
      ProgressReport progress, StallWatch stall, TaskUsage usage, InputCount count) {
    this.state = state;
    this.dispatcher = dispatcher;
    this.accounting = accounting;
    this.stopper = stopper;
    this.helpers = helpers;
    this.hosts = hosts;
    this.printer = printer;
    this.input = input;
    this.progress = progress;
    this.stall = stall;
    this.usage = usage;
    this.count = count;
  }

  /** Until no task runs and nothing is left to start (or the run stops). */
  void run() throws IOException {
    while (!state.running.isEmpty()
        || !(stopper.stopping() || (state.inputDone && state.pending.isEmpty()))) {
      Event ev;
      if (state.events.isEmpty()) {
        helpers.flush(); // the tasks started since the last wait, to jpack-spawn at once
      }
      try {
        long wait = dispatcher.waitNanos();
        ev = wait >= 0 ? state.events.poll(wait, TimeUnit.NANOSECONDS) : state.events.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopper.hardStop();
        break;
      }
      handle(ev);
    }
  }

  /**
   * One event, then whatever may start now. A method of its own: the loop above runs once, so
   * HotSpot would compile its body only after tens of thousands of iterations (on-stack
   * replacement); this is compiled after a few hundred calls (the loop's body ran interpreted:
   * ~15 % of the event thread's CPU in a run of 8000 tasks).
   */
  private void handle(Event ev) throws IOException {
    if (ev == null) {
      dispatcher.waited(); // the first task may have run a second, a --delay start be due
    } else if (ev instanceof Ready r) {
      state.pending.add(r);
    } else if (ev instanceof Launched l) {
      dispatcher.launched(l.task());
    } else if (ev instanceof LaunchFailed f) {
      accounting.launchFailed(f.task(), f.error());
    } else if (ev instanceof WorkerEnded w) {
      stall.ended();
      accounting.workerEnded(w, () -> dispatcher.workerDied(w.task()));
    } else if (ev instanceof Ended e) {
      stall.ended();
      Task t = e.task();
      if (t.exit.signal() == 9 && !t.interrupted && !t.timedOut && usage.oomKilled()) {
        t.oomKilled = true; // not the batch system stopping the job: not held
      }
      if (!stopper.hold(e.task(), e.nanos())) { // held: was it the batch system stopping all?
        accounting.finish(e.task(), e.nanos());
      }
    } else if (ev instanceof Settle st) {
      Task t = stopper.settled(st.task());
      if (t != null) {
        accounting.finish(t, t.settleNanos);
      }
    } else if (ev instanceof Dropped d) {
      dispatcher.dropped(d.task());
    } else if (ev instanceof Lost l) {
      dispatcher.lost(l.task());
    } else if (ev instanceof InputEnd end) {
      state.inputDone = true;
      if (end.error() != null) {
        printer.message("jpack: " + end.error());
        state.outcome.fatal(ExitStatus.FAILURE);
      }
    } else if (ev instanceof Signalled s) {
      for (Task t : stopper.signal(s.signal())) {
        accounting.finish(t, -1); // stopped with jpack: not logged
      }
    } else if (ev instanceof Event.Drain) {
      for (Task t : stopper.drain()) {
        accounting.finish(t, -1); // hung up with jpack: not logged
      }
    } else if (ev instanceof Event.Parallelism p) {
      dispatcher.parallelism(p.delta());
    } else if (ev instanceof Event.StallCheck) {
      String warning = stall.check(state);
      if (warning != null) {
        printer.message(warning);
      }
    } else if (ev instanceof TimeUp t) {
      stopper.timeUp(t.task());
    } else if (ev instanceof Kill k) {
      stopper.kill(k.task());
    } else if (ev instanceof Tick) {
      progress.tick(false);
    } else if (ev instanceof DeadlineStop) {
      stopper.deadline();
    }
    dispatcher.startWhatFits();
  }

  /** The counts for a progress report, taken on the event-loop thread. */
  ProgressReport.Snapshot snapshot() {
    List<ProgressReport.Running> now = new ArrayList<>(state.running.size());
    HashMap<Integer, Integer> onSlot = new HashMap<>(); // slot -> its task's place in now
    for (Task t : state.running) {
      Spawner.Job job = t.job;
      if (job == null || job.waiting() || !job.alive()) {
        continue; // queued in jpack-spawn behind a running task, or ended and not yet seen
      }
      ProgressReport.Running r = new ProgressReport.Running(t.seq(), job.pid(),
          t.startMillis, t.host < 0 ? null : hosts.host(t.host).name());
      Integer at = onSlot.putIfAbsent(t.slot, now.size());
      if (at == null) {
        now.add(r);
      } else { // one task runs on a slot at a time: jpack-spawn told the next one's start first
        now.set(at, r);
      }
    }
    Tally tally = accounting.tally;
    long total = state.inputDone ? input.emitted() : count.total();
    return new ProgressReport.Snapshot(tally.succeeded, tally.failed, tally.killed, total, now,
        System.nanoTime() - state.startNanos, state.idle(), dispatcher.procs(),
        stopper.drained(), stall.stalled() ? stall.silenceSeconds() : -1, usage.maxPeakKb(),
        usage.p95PeakKb(), usage.cpuEfficiency(), usage.oomKills(),
        usage.auto() ? usage.perTaskKb() : -1);
  }
}
