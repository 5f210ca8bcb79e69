package jpack.app;

import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jpack.app.Event.Ready;
import jpack.app.Event.TimeUp;
import jpack.command.ShellQuote;
import jpack.config.OutputMode;
import jpack.config.Policy;
import jpack.config.RunConfig;
import jpack.exec.LaunchException;
import jpack.exec.ProcessJob;
import jpack.exec.SpawnHelper;
import jpack.exec.Spawner;
import jpack.output.LinePump;
import jpack.output.Printer;
import jpack.output.Spool;

/**
 * What starts now, and where: as many ready commands as the limit allows (one during the
 * ramp-up, the live hosts' slots with --hosts), each on a free slot or, for short tasks with
 * every slot busy, queued in jpack-spawn behind a running one; its JobSpec made, then handed to
 * its spawner (jpack-spawn for local tasks once it is up, else ProcessBuilder; a --worker).
 */
final class Dispatcher {
  private static final long RAMP_UP_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long RAMP_UP_OVER = Long.MIN_VALUE;
  /** How long a start waits for jpack-spawn still starting (its start takes milliseconds). */
  private static final Duration HELPER_WAIT = Duration.ofSeconds(2);
  /** Tasks whose median run is shorter than this may wait in jpack-spawn for a busy slot. */
  private static final long QUEUE_BELOW_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  /**
   * Only commands shorter than this wait in jpack-spawn: longer ones (-n 10000) would keep more
   * memory in flight for no gain (such a task takes longer than a round trip anyway).
   */
  private static final long QUEUE_BELOW_BYTES = 4096;

  private final RunConfig cfg;
  private final Policy policy;
  private final RunState state;
  private final Printer printer;
  /** Tasks at once: the plan's, then one more or fewer at each SIGUSR1 or SIGUSR2. */
  private int procs;
  /** The most tasks at once this run can hold (the GPUs to share, the workers made). */
  private final int mostProcs;
  private final boolean rampUp;
  private final HostSlots hosts;
  private final JobSpecs specs;
  private final Spool spool;
  /** ProcessBuilder (or a test's spawner): the portable path, and for what jpack-spawn cannot. */
  private final Spawner local;
  /** jpack-spawn, once started (in the background); until then `local` starts tasks. */
  private final HelperLink helpers;
  /** --worker: each slot's worker and its task; null otherwise. */
  private final WorkerSlots<Task> workers;
  private final Stopper stopper;
  private final Accounting accounting;
  private final Prompt prompt;
  /** Started before the first task (no task runs before the watchdog does), or null. */
  private final Thread watchdogStart;
  private final TaskUsage usage;
  private InputFeed input;
  /** --delay in nanoseconds (0: none), and the earliest time the next task may start. */
  private final long delayNanos;
  private long nextStartNanos;
  private boolean firstStarted;
  private long firstTaskStart;

  Dispatcher(RunConfig cfg, RunState state, Printer printer, RunPlan plan, JobSpecs specs,
      Spool spool, Spawner local, HelperLink helpers, WorkerSlots<Task> workers,
      Stopper stopper, Accounting accounting, Thread watchdogStart, TaskUsage usage) {
    this.cfg = cfg;
    this.policy = cfg.policy();
    this.state = state;
    this.printer = printer;
    this.procs = plan.procs;
    int gpus = cfg.resources().gpusPerTask();
    this.mostProcs = workers != null ? plan.procs
        : gpus > 0 ? Math.max(1, plan.allocation.gpus().size() / gpus) : Integer.MAX_VALUE;
    this.rampUp = plan.rampUp;
    this.hosts = plan.hosts;
    this.specs = specs;
    this.spool = spool;
    this.local = local;
    this.helpers = helpers;
    this.workers = workers;
    this.stopper = stopper;
    this.accounting = accounting;
    this.prompt = new Prompt(printer);
    this.watchdogStart = watchdogStart;
    this.usage = usage;
    this.delayNanos = cfg.delay() == null ? 0 : cfg.delay().toNanos();
    this.nextStartNanos = System.nanoTime();
  }

  void input(InputFeed input) {
    this.input = input;
  }

  boolean rampingUp() {
    return rampUp && firstStarted && firstTaskStart != RAMP_UP_OVER;
  }

  /** How long the first task still runs alone (the loop waits that long for an event). */
  long rampUpLeftNanos() {
    return Math.max(1, RAMP_UP_NANOS - (System.nanoTime() - firstTaskStart));
  }

  /** The first task has run a second: start the others. */
  void rampUpOver() {
    firstTaskStart = RAMP_UP_OVER;
  }

  /**
   * How long the loop may wait for an event before it must look again (the ramp-up's end, the
   * --delay's next start), or -1: as long as it takes.
   */
  long waitNanos() {
    long wait = rampingUp() ? rampUpLeftNanos() : -1;
    if (delayNanos > 0 && !state.pending.isEmpty() && !stopper.stopping()) {
      long left = Math.max(1, nextStartNanos - System.nanoTime());
      wait = wait < 0 ? left : Math.min(wait, left);
    }
    return wait;
  }

  /** No event came in waitNanos: the ramp-up may be over (a --delay start is due otherwise). */
  void waited() {
    if (rampingUp() && System.nanoTime() - firstTaskStart >= RAMP_UP_NANOS) {
      rampUpOver();
    }
  }

  /**
   * Whether every local task, the first ones included, starts through jpack-spawn, so that each
   * has its figures (peak memory, CPU) and its exact end: when the run records them (a job log's
   * LOG.usage, --results) or packs by them (--mem-per-task auto). The first task then waits for
   * jpack-spawn to start (some 20 ms, once); other runs start their first few tasks through the
   * JVM meanwhile, which a run of one short task notices.
   */
  static boolean measureAll(RunConfig cfg) {
    return cfg.policy().joblog() != null || cfg.results() != null || cfg.resources().memAuto();
  }

  /** The command whose reading starts jpack-spawn (in the background). */
  static int helperAfter(RunConfig cfg) {
    return measureAll(cfg) ? 1 : 4;
  }

  /** The limit on tasks at once now (what --progress and --status show). */
  int procs() {
    return hosts != null ? hosts.alive() : Math.min(procs, usage.fit());
  }

  /**
   * SIGUSR1 (+1) or SIGUSR2 (-1): one more or one fewer task at once, as in GNU xargs; never
   * below 1, nor above what the run can hold; running tasks are not stopped when it shrinks.
   */
  void parallelism(int delta) {
    String signal = delta > 0 ? "SIGUSR1" : "SIGUSR2";
    if (hosts != null) {
      printer.message("jpack: " + signal + ": ignored with --hosts (the hosts' slots are the"
          + " limit)");
      return;
    }
    int was = procs;
    if (was == Integer.MAX_VALUE && delta < 0) { // -P 0: one fewer than run now
      procs = Math.max(1, state.running.size() - state.slots.waiting() - 1);
    } else if (was != Integer.MAX_VALUE) {
      procs = (int) Math.max(1, Math.min((long) mostProcs, (long) was + delta));
    }
    printer.message("jpack: " + signal + ": " + describe(procs) + " at once (was "
        + describe(was) + ")" + (procs == was && delta > 0 && was != Integer.MAX_VALUE
            ? ": the most this run can hold" : procs == was && delta < 0 ? ": the fewest" : ""));
  }

  private static String describe(int procs) {
    return procs == Integer.MAX_VALUE ? "no limit on tasks" : procs + (procs == 1 ? " task"
        : " tasks");
  }

  /** Tasks at once now. */
  private int limit() {
    return rampingUp() ? 1 : hosts != null ? hosts.alive() : Math.min(procs, usage.fit());
  }

  void startWhatFits() throws IOException {
    int limit = limit();
    // a task that died of a signal is not accounted yet: it may stop the run (xargs' rules)
    while (!stopper.stopping() && !state.pending.isEmpty() && !stopper.settling()) {
      boolean free = state.running.size() - state.slots.waiting() < limit;
      int slot = free ? -1 : queueSlot();
      if (!free && slot < 0) {
        break;
      }
      if (stopper.tooLate(state.runtimes)) {
        stopper.deadlineNear();
        return;
      }
      if (delayNanos > 0 && System.nanoTime() - nextStartNanos < 0) {
        break; // --delay: the loop waits for the next start (waitNanos)
      }
      if (free) {
        slot = freeSlot(state.pending.peek().lostOn());
        if (slot < 0) {
          return; // it waits for a slot on another host than the one that failed it
        }
      }
      Ready r = state.pending.poll();
      if (r.attempt() == 1 && r.lost() == 0) {
        input.started(); // the reader may read one more command ahead
      }
      start(r, slot);
      if (delayNanos > 0) {
        nextStartNanos = System.nanoTime() + delayNanos;
      }
    }
    input.giveBack(state.pending.isEmpty());
    if (state.pending.isEmpty() && state.slots.waiting() > 0
        && state.running.size() - state.slots.waiting() < limit) {
      recallWaiting(); // a slot is free: a task waiting behind a busy one starts there instead
    }
  }

  /**
   * With every slot busy: a slot where a task may wait in jpack-spawn, to start the moment the
   * slot's task ends (no round trip through jpack); -1 when none, or not now. Only for short
   * tasks (a long one would make its follower wait), behind the task that has run longest.
   */
  private int queueSlot() {
    if (helpers.get() == null || rampingUp() || cfg.interactive() || hosts != null
        || delayNanos > 0
        || state.runtimes.count() < procs || state.runtimes.quantile(0.5) > QUEUE_BELOW_NANOS
        || bytes(state.pending.peek().argv()) > QUEUE_BELOW_BYTES) {
      return -1;
    }
    return state.slots.slotToWaitOn(t -> t.viaHelper, t -> t.startNanos);
  }

  private static long bytes(List<String> argv) {
    long n = 0;
    for (String a : argv) {
      n += a.length() + 1;
      if (n > QUEUE_BELOW_BYTES) {
        break;
      }
    }
    return n;
  }

  /** A free slot; with hosts, -1 while only the avoided host (or none) has one. */
  private int freeSlot(int avoid) {
    return hosts == null ? state.slots.busy().nextClearBit(0)
        : hosts.free(state.slots.busy(), avoid);
  }

  /**
   * Takes back the tasks jpack-spawn has not started (they wait for a slot, or for jpack to have
   * seen a failure): they come back as Dropped.
   */
  void recallWaiting() {
    if (helpers.get() == null) {
      return;
    }
    for (Task t : state.running) {
      if (t.job != null && t.job.waiting() && !t.recalled) {
        t.recalled = true;
        t.job.recall();
      }
    }
  }

  /** A task taken back from jpack-spawn before it started: it goes back to the queue. */
  void dropped(Task t) {
    state.release(t);
    state.pending.addFirst(t.ready);
  }

  /**
   * A task that ran in jpack-spawn when it died: it did not finish, so it goes back to the queue
   * (to start through the JVM) without its partial output; stopping, it stays to do for --resume.
   */
  void lost(Task t) throws IOException {
    if (t.timeout != null) {
      t.timeout.cancel(false);
    }
    if (spool != null) {
      spool.take(t.spoolSlot);
    }
    dropped(t);
  }

  /** Starts one task: prepares it here and hands the process start to its spawner. */
  private void start(Ready r, int slot) throws IOException {
    List<String> argv = r.command().argvFor(r.seq(), slot);
    if (cfg.interactive()) {
      if (!prompt.confirm(argv)) {
        accounting.skipped(r.seq());
        return;
      }
    } else if (cfg.verbose()) {
      printer.message(ShellQuote.join(argv));
    }
    Task t = new Task(r, slot);
    t.argv = argv;
    if (cfg.tag()) {
      t.tag = cfg.tagString() != null ? r.command().expand(cfg.tagString(), r.seq(), slot)
          : r.command().tag();
    }
    t.host = hosts == null ? -1 : hosts.hostOf(slot);
    t.spoolSlot = state.slots.nextSpool(slot);
    Map<String, String> env = specs.env(r.seq(), r.line(), slot);
    boolean behind = state.slots.add(slot, t); // the slot is busy: it waits in jpack-spawn
    state.running.add(t);
    if (!firstStarted) {
      firstStarted = true;
      firstTaskStart = System.nanoTime();
      if (watchdogStart != null) {
        Task.joinQuietly(watchdogStart); // no task runs before the watchdog does
      }
    }
    if (workers != null) {
      toWorker(t, r.command().tag(), env);
      return;
    }
    Path dir;
    try {
      dir = specs.workDir(t);
    } catch (LaunchException e) {
      accounting.launchFailed(t, e);
      return;
    }
    Spawner.JobSpec spec = specs.spec(t, env, dir);
    boolean timed = policy.timeout() != null || policy.timeoutPercent() > 0;
    Spawner.Listener listener = new TaskEvents(t, state.events, timed);
    // jpack-spawn starts every local task once it is up, so that how a task ended is exact (a
    // task that exits 137 did not die of KILL) and its subreaper catches what a task's children
    // leave behind; only short tasks wait in it for a busy slot (see queueSlot)
    SpawnHelper h = t.host >= 0 ? null
        : measureAll(cfg) ? helpers.await(HELPER_WAIT) : helpers.get();
    Spawner.Job job = null;
    if (h != null) {
      t.viaHelper = true;
      job = h.start(spec, listener);
      t.viaHelper = job != null;
    }
    if (job == null) {
      if (behind) { // jpack-spawn died since queueSlot chose to queue it there: later, then
        dropped(t);
        return;
      }
      job = local.start(spec, listener);
    }
    t.job = job;
  }

  /** The task's spawner has started it: stop it if jpack stopped meanwhile; time it. */
  void launched(Task t) {
    if (t.interrupted) {
      t.term();
      stopper.schedule(new Event.Kill(t), policy.termGrace());
    }
    if (cfg.output() == OutputMode.LINE) {
      startPumps(t);
    }
    Duration limit = timeLimit();
    if (limit != null) {
      t.timeout = stopper.schedule(new TimeUp(t), limit);
    }
  }

  /** --worker: the task's line goes to its slot's worker; its environment is the slot's. */
  private void toWorker(Task t, String line, Map<String, String> env) throws IOException {
    env.remove("JPACK_SEQ");
    env.put("JPACK_WORKER", "1");
    spool.stdoutOf(t.spoolSlot); // empties a big file, as for a process
    t.workerSink = new FileOutputStream(spool.stdoutPath(t.spoolSlot).toFile(), true);
    try {
      t.job = new ProcessJob(workers.send(t.slot, t, line, env, t.workerSink));
    } catch (LaunchException e) {
      Accounting.closeQuietly(t.workerSink);
      accounting.launchFailed(t, e);
      return;
    }
    launched(t);
  }

  /** A --worker died in a task: its slot gets a new one. */
  void workerDied(Task t) {
    workers.died(t.slot);
  }

  /** At the end: every worker sees the end of its input, and gets the grace time to exit. */
  void endWorkers() {
    if (workers != null) {
      try {
        workers.finishAll(policy.termGrace());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Starts jpack-spawn on a thread of its own (tasks start with ProcessBuilder meanwhile), for
   * tasks that run here with their output in files or inherited; not for --line-buffer (its
   * pipes must be the JVM's), --worker or other hosts.
   */
  void startHelper(Redirect childStdin) {
    if (cfg.hosts() != null || workers != null || cfg.output() == OutputMode.LINE) {
      return;
    }
    Path binary = SpawnHelper.binary(System.getenv(), System.getProperty("java.class.path"));
    if (binary == null) {
      return;
    }
    helpers.start(binary, Spool.defaultParent(), childStdin, policy.termGrace(), printer::message);
  }

  /** The --timeout for a task starting now: fixed, or a percentage of the median runtime. */
  private Duration timeLimit() {
    if (policy.timeout() != null) {
      return policy.timeout();
    }
    if (policy.timeoutPercent() > 0 && state.runtimes.count() >= 3) {
      return Duration.ofNanos((long) (state.runtimes.quantile(0.5) * policy.timeoutPercent()
          / 100));
    }
    return null;
  }

  private void startPumps(Task t) {
    byte[] prefix = cfg.tag()
        ? (t.tag + "\t").getBytes(StandardCharsets.ISO_8859_1) : null;
    t.pumps = new LinePump[] {
      new LinePump(t.job.stdout(), printer, true, prefix),
      new LinePump(t.job.stderr(), printer, false, prefix)
    };
    t.pumpThreads = new Thread[2];
    for (int i = 0; i < 2; i++) {
      t.pumpThreads[i] = new Thread(t.pumps[i], "jpack-pump-" + t.seq() + "-" + i);
      t.pumpThreads[i].setDaemon(true);
      t.pumpThreads[i].start();
    }
  }
}
