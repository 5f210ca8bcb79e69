package jpack.app;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import jpack.app.Event.Kill;
import jpack.app.Event.Settle;
import jpack.config.Policy;
import jpack.exec.SignalTrap;
import jpack.output.Printer;

/**
 * How a run stops: start nothing more (soft), or also stop the running tasks, TERM now and KILL
 * after the grace (hard); jpack's own signals, the deadline, --timeout, and tasks that died of a
 * stop signal jpack did not send (held a moment: was it the batch system stopping the whole
 * job?). Owns the timer that turns time limits into events.
 */
final class Stopper {
  /**
   * How long a task that died of TERM, INT, HUP or KILL is held before it counts as failed: the
   * batch system stops a job by signalling all its processes at once (scancel, a time limit,
   * preemption, qdel), and the tasks may die a moment before jpack sees its own signal.
   */
  private static final Duration SETTLE = Duration.ofSeconds(1);
  /** Stop running tasks this long before the deadline, on top of the TERM grace. */
  static final Duration DEADLINE_MARGIN = Duration.ofSeconds(2);

  private final RunState state;
  private final Policy policy;
  private final Printer printer;
  /** What a stop does to the input and the tasks not started yet (set when the run is wired). */
  private Runnable stopStarting = () -> { };
  private ScheduledExecutorService timer;
  private boolean stopping;
  private int signalled;
  private boolean deadlineHit;
  /** SIGHUP came: nothing more starts, the running tasks finish. */
  private boolean drained;
  /** Tasks that died of a stop signal and wait to be accounted (see Settle). */
  private int settling;
  /** When the running tasks are stopped for the deadline, or null. */
  private Instant stopAt;

  Stopper(RunState state, Policy policy, Printer printer) {
    this.state = state;
    this.policy = policy;
    this.printer = printer;
  }

  void onStop(Runnable stopStarting) {
    this.stopStarting = stopStarting;
  }

  /**
   * The time to stop the running tasks before the deadline; null (and a message) when the
   * deadline leaves no time at all.
   */
  Instant stopFor(Instant deadline) {
    Instant at = deadline.minus(policy.termGrace()).minus(DEADLINE_MARGIN);
    if (!at.isAfter(Instant.now())) {
      // exit 75 at once would make a resubmit-on-75 loop go on for ever
      printer.message("jpack: the deadline (" + deadline + ", in "
          + Math.max(0, Duration.between(Instant.now(), deadline).toSeconds()) + " s) leaves no"
          + " time for tasks: jpack stops them --term-grace (" + policy.termGrace().toSeconds()
          + " s) + " + DEADLINE_MARGIN.toSeconds() + " s before it");
      return null;
    }
    stopAt = at;
    schedule(new Event.DeadlineStop(), Duration.between(Instant.now(), at));
    return at;
  }

  boolean stopping() {
    return stopping;
  }

  /** jpack's own signal, or 0. */
  int signalled() {
    return signalled;
  }

  boolean deadlineHit() {
    return deadlineHit;
  }

  boolean drained() {
    return drained;
  }

  /** Whether a task that died of a stop signal waits to be accounted (nothing starts then). */
  boolean settling() {
    return settling > 0;
  }

  /** Whether a task started now would likely be stopped unfinished (by the runtimes so far). */
  boolean tooLate(Runtimes runtimes) {
    return stopAt != null && Instant.now().plusNanos(runtimes.quantile(0.95)).isAfter(stopAt);
  }

  /** Start nothing more; running tasks finish. */
  void softStop() {
    stopping = true;
    stopStarting.run();
  }

  /** Start nothing more and stop the running tasks: TERM now, KILL after the grace. */
  void hardStop() {
    softStop();
    long now = System.nanoTime();
    for (Task t : state.running) {
      t.interrupted = true;
      t.interruptedNanos = now;
      t.term(); // a task still being started is stopped as soon as it is (see launched)
    }
    if (!state.running.isEmpty()) {
      schedule(new Kill(null), policy.termGrace());
    }
  }

  /** The deadline is near and tasks would not end in time: start none. */
  void deadlineNear() {
    deadlineHit = true;
    printer.message("jpack: the deadline is near: starting no more tasks; run again with"
        + " --resume to finish");
    softStop();
  }

  /** The time to stop the running tasks for the deadline has come. */
  void deadline() {
    if (!state.idle()) {
      deadlineHit = true;
      printer.message("jpack: the deadline is near: stopping the running tasks; run again"
          + " with --resume to finish");
      hardStop();
    }
  }

  /**
   * jpack's own signal (a second one: no more grace). Returns the tasks that died of a stop
   * signal just before: they were stopped with jpack (a scancel, a time limit, a preemption
   * signals every process of the job), to be accounted now, as stopped: not logged.
   */
  List<Task> signal(int signal) {
    if (signalled != 0) {
      state.running.forEach(Task::kill);
      return List.of();
    }
    signalled = signal;
    hardStop();
    return takeSettling();
  }

  /**
   * SIGHUP: start nothing more, let the running tasks finish (GNU parallel's meaning). Returns
   * the tasks that died of a stop signal just before: hung up with jpack, they are accounted now
   * as stopped (not logged: --resume runs them again).
   */
  List<Task> drain() {
    if (drained || signalled != 0) {
      return List.of();
    }
    drained = true;
    softStop();
    List<Task> settled = takeSettling();
    settled.forEach(t -> t.interrupted = true);
    int left = state.running.size() - settled.size();
    printer.message("jpack: SIGHUP: draining: starting no more tasks" + (left == 0 ? ""
        : ", waiting for the " + left + " running") + "; run again with --resume for the rest");
    return settled;
  }

  /** The tasks held after a stop signal, no longer held: to be accounted now. */
  private List<Task> takeSettling() {
    List<Task> settled = new ArrayList<>();
    for (Task t : state.running) {
      if (t.settling) {
        t.settling = false;
        settling--;
        settled.add(t);
      }
    }
    return settled;
  }

  /**
   * Whether a task that ended is held before it is accounted: it ended as a job's stop makes
   * tasks end (see jobStopLike) and jpack did not stop it.
   */
  boolean hold(Task t, long nanos) {
    if (t.interrupted || t.timedOut || t.oomKilled || signalled != 0 || t.workerSink != null) {
      return false;
    }
    if (!jobStopLike(t.exitInfo())) {
      return false;
    }
    t.settling = true;
    t.settleNanos = nanos;
    settling++;
    schedule(new Settle(t), SETTLE);
    return true;
  }

  /**
   * Whether a task that ended (at endNanos, before jpack took its own stop signal) was stopped
   * with jpack: it died of a signal that stops a whole job (TERM, INT, HUP, KILL) that jpack did
   * not send, a moment before jpack's own came (the batch system signals every process of the
   * job; jpack may take its signal before it sees the task's end). Not logged then, as a held
   * task is not.
   */
  boolean stoppedWithJpack(Task t, long endNanos) {
    if ((signalled == 0 && !drained) || t.timedOut || t.oomKilled || t.exit == null) {
      return false;
    }
    return jobStopLike(t.exit) && t.interruptedNanos - endNanos <= SETTLE.toNanos();
  }

  /**
   * Whether a task ended as a job's stop makes tasks end: it died of TERM, INT, HUP or KILL, or
   * exited 128 + one of them (a shell whose child died so, as `sh -c 'cmd; sleep 60'` does when
   * the batch system signals every process: the shell's own status is then an exit).
   */
  static boolean jobStopLike(jpack.exec.ExitInfo exit) {
    int sig = exit.signal() != 0 ? exit.signal()
        : exit.exitCode() > 128 && exit.exitCode() < 160 ? exit.exitCode() - 128 : 0;
    return sig == 15 || sig == 2 || sig == 1 || sig == 9;
  }

  /** The held task, now to be accounted as it ended; null when a signal accounted it already. */
  Task settled(Task t) {
    if (!t.settling) {
      return null;
    }
    t.settling = false;
    settling--;
    return t;
  }

  /** A task's --timeout passed: TERM, then KILL after the grace. */
  void timeUp(Task t) {
    if (!state.running.contains(t) || t.interrupted || t.settling
        || t.job != null && !t.job.alive()) {
      return; // it ended by itself (its end is on its way): the limit stopped nothing
    }
    t.timedOut = true;
    t.timedOutNanos = System.nanoTime();
    t.term();
    schedule(new Kill(t), policy.termGrace());
  }

  /** The grace after a TERM is over: KILL the task (or, for null, every running task). */
  void kill(Task task) {
    if (task == null) {
      state.running.forEach(Task::kill);
    } else if (state.running.contains(task)) {
      task.kill();
    }
  }

  /** jpack's signals become events (README's signal table; see SignalTrap). */
  void trapSignals() {
    SignalTrap.install(new SignalTrap.Handler() {
      @Override
      public void stop(int signal) {
        state.events.add(new Event.Signalled(signal));
      }

      @Override
      public void drain() {
        state.events.add(new Event.Drain());
      }

      @Override
      public void parallelism(int delta) {
        state.events.add(new Event.Parallelism(delta));
      }
    });
  }

  /** The event, after this long, on the event queue. */
  ScheduledFuture<?> schedule(Event ev, Duration after) {
    return timer().schedule(() -> state.events.add(ev), Math.max(0, after.toNanos()),
        TimeUnit.NANOSECONDS);
  }

  /** The event every period, on the event queue. */
  void every(Event ev, Duration period) {
    timer().scheduleAtFixedRate(() -> state.events.add(ev), period.toNanos(), period.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  private ScheduledExecutorService timer() {
    if (timer == null) {
      timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread th = new Thread(r, "jpack-timer");
        th.setDaemon(true);
        return th;
      });
    }
    return timer;
  }

  void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
