package jpack.app;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
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
import jpack.command.CommandBuilder;
import jpack.command.CommandLineException;
import jpack.command.RemoteCommand;
import jpack.command.ShellQuote;
import jpack.config.Allocation;
import jpack.config.Deadline;
import jpack.config.ExitStatus;
import jpack.config.Halt;
import jpack.config.Host;
import jpack.config.Hosts;
import jpack.config.OutputMode;
import jpack.config.Policy;
import jpack.config.Resources;
import jpack.config.RunConfig;
import jpack.config.SystemLimits;
import jpack.site.AllocationProbe;
import jpack.site.BatchJob;
import jpack.site.Diag;
import jpack.exec.ExitInfo;
import jpack.site.HostProbe;
import jpack.exec.LaunchException;
import jpack.exec.JdkSpawner;
import jpack.exec.ProcessJob;
import jpack.exec.Spawner;
import jpack.site.LimitsProbe;
import jpack.exec.SignalTrap;
import jpack.exec.SshMasters;
import jpack.exec.SpawnHelper;
import jpack.exec.Watchdog;
import jpack.input.ChannelInput;
import jpack.input.ItemReader;
import jpack.joblog.JobLog;
import jpack.joblog.LoggedTasks;
import jpack.output.LinePump;
import jpack.output.OutputClosedException;
import jpack.output.Printer;
import jpack.output.Spool;

/**
 * Runs one jpack invocation: a reader thread turns input into command lines, and this thread, the
 * only one that starts tasks, prints their output and keeps the books, reacts to one queue of events
 * (a command is ready, a task ended, the input ended, a signal came, a time limit passed). At most -P
 * tasks run at once.
 */
public final class Runner {
  /** The exit status that means "stopped at the deadline with work left: run again with --resume"
   *  (EX_TEMPFAIL in sysexits.h). */
  public static final int INCOMPLETE = ExitStatus.INCOMPLETE.code();

  private static final long RAMP_UP_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long RAMP_UP_OVER = Long.MIN_VALUE;
  /** Stop running tasks this long before the deadline, on top of the TERM grace. */
  private static final Duration DEADLINE_MARGIN = Duration.ofSeconds(2);
  /** Failed launches (ssh exit 255) a task may have before its 255 stands. */
  static final int LOST_LIMIT = 3;

  private final RunConfig cfg;
  private final Policy policy;
  private final Allocation allocation;
  private final int procs;
  /** With --hosts: the slots on each host; null when tasks run here only. */
  private final HostSlots hosts;
  private final String hostError;
  private final boolean rampUp;
  private final InputStream stdin;
  private final Printer printer;
  private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final int readAheadSize;
  private final ArrayDeque<Ready> pending = new ArrayDeque<>();
  /** The tasks on each slot: one runs, and with jpack-spawn a few may wait behind it. */
  private final SlotQueues<Task> slots = new SlotQueues<>(QUEUE_DEPTH);
  private final Set<Task> running = new LinkedHashSet<>();
  private final OutputOrder order;
  /** Each task's environment and remote command line. */
  private final JobSpecs specs;
  private final HashMap<Long, String> tags = new HashMap<>();
  private final Outcome outcome = new Outcome();
  private final Runtimes runtimes = new Runtimes();
  private final long startNanos = System.nanoTime();

  private Spool spool;
  /** ProcessBuilder: the portable path, and the one for what jpack-spawn does not start. */
  private JdkSpawner jdk;
  /** jpack-spawn, once started (in the background); until then ProcessBuilder starts tasks. */
  private final HelperLink helpers = new HelperLink();
  private SshMasters sshMasters;
  private JobLog joblog;
  /** --worker: each slot's worker and its task; null otherwise. */
  private final WorkerSlots<Task> workers;
  private volatile Watchdog watchdog;
  private Thread watchdogStart;
  private volatile Redirect childStdin;
  private ProgressReport progress;
  private ScheduledExecutorService timer;
  private Thread readerThread;
  /** The input side (the reader thread's), made when the run starts. */
  private InputFeed input;
  private boolean inputDone;
  private boolean stopping;
  private boolean outputClosed;
  private boolean outputError;
  private boolean spoolFullReported;
  private boolean joblogFailed;
  private int signalled;
  private boolean deadlineHit;
  private Instant stopAt;
  /** The run's deadline, found once (for --show-allocation or by run()). */
  private Deadline runDeadline;
  private long succeeded;
  private long failed;
  private long killed;
  private long firstTaskStart;
  /** Tasks that died of a stop signal and wait to be accounted (see Settle). */
  private int settling;
  /** The first failed tasks, for the summary. */
  private final List<Long> failedSeqs = new ArrayList<>();
  private static final int SHOW_FAILED = 5;
  /** At the deadline: the stopped task that had run longest. */
  private Task longestStopped;
  private long longestStoppedNanos;
  private boolean firstStarted;
  private BufferedReader tty;

  public Runner(
      RunConfig cfg, InputStream stdin, WritableByteChannel out, WritableByteChannel err) {
    this.cfg = cfg;
    this.policy = cfg.policy();
    this.stdin = stdin;
    this.printer = new Printer(out, err);
    Resources res = cfg.resources();
    if (cfg.debug()) {
      Diag.enable();
    }
    boolean needAllocation = cfg.maxProcs() == 0 || res.memPerTask() > 0 || res.gpusPerTask() > 0;
    this.allocation = needAllocation ? AllocationProbe.probe(System.getenv()) : null;
    int procs = cfg.maxProcs();
    String misfit = null; // a request no task can ever fit: reported by run(), exit 1
    if (allocation != null && cfg.hosts() == null) {
      int byCpus = procs == 0 ? res.cpusPerTask() : 0;
      int fit = allocation.slots(byCpus, res.memPerTask(), res.gpusPerTask());
      misfit = allocation.misfit(byCpus, res.memPerTask());
      String tight = misfit == null ? allocation.tight(res.memPerTask()) : null;
      if (tight != null) {
        printer.message("jpack: warning: " + tight);
      }
      if (Diag.on()) {
        Diag.log(Runner.class, "tasks at once from the allocation: " + allocation.explain(
            byCpus, res.memPerTask(), res.gpusPerTask()) + (procs == 0 ? "" : "; -P "
            + (procs == Integer.MAX_VALUE ? "0" : String.valueOf(procs))));
      }
      procs = procs == 0 ? fit : Math.min(procs, fit);
    }
    List<Host> hosts = null;
    String hostError = null;
    if (cfg.hosts() != null) {
      try {
        hosts = HostProbe.resolve(cfg.hosts(), System.getenv());
      } catch (HostProbe.HostException e) {
        hostError = e.getMessage(); // reported by run(), which then starts nothing
        hosts = List.of(new Host("localhost", 1, 0));
      }
    }
    this.hosts = hosts == null ? null : new HostSlots(hosts, cfg.maxProcs(), res.cpusPerTask());
    this.hostError = hostError != null ? hostError : misfit;
    if (this.hosts != null) {
      procs = this.hosts.size();
    }
    this.procs = fitOpenFiles(procs, cfg);
    this.rampUp = res.defaultProcs() && procs > 1;
    this.order = new OutputOrder(cfg.keepOrder(), this::print);
    this.specs = new JobSpecs(cfg, this.hosts, allocation);
    this.workers = !cfg.worker() ? null : new WorkerSlots<>(cfg.command(), procs,
        (task, status, died) -> events.add(new WorkerEnded(task, status, died)));
    this.readAheadSize = (int) Math.min(1024L, Math.max(16L, procs * 2L));
  }

  /** Descriptors jpack keeps for itself on top of its tasks' (the JVM, the log, the helper). */
  private static final int OWN_FILES = 64;

  /**
   * Tasks at once within the limit on open files: --line-buffer keeps two pipes a task open in
   * jpack, --worker two a worker, a remote task over ssh its stdin pipe. Over it, fewer run at
   * once, with one warning (as GNU parallel does), instead of "Too many open files" mid-run.
   */
  private int fitOpenFiles(int procs, RunConfig cfg) {
    int perTask = cfg.output() == OutputMode.LINE ? 2 : cfg.worker() ? 2 : 0;
    if (cfg.hosts() != null && cfg.hosts().launch() != Hosts.Launch.SRUN) {
      perTask++;
    }
    if (perTask == 0 || procs <= 1) {
      return procs;
    }
    long[] files = LimitsProbe.openFiles();
    if (files == null) {
      return procs;
    }
    long room = files[0] - files[1] - OWN_FILES;
    long fit = Math.max(1, room / perTask);
    if (procs <= fit) {
      return procs;
    }
    printer.message("jpack: warning: " + (procs == Integer.MAX_VALUE ? "as many tasks as"
        + " possible" : procs + " tasks") + " at once would need " + perTask + " open files"
        + " each, over the limit of " + files[0] + " (ulimit -n): running " + fit + " at once");
    return (int) fit;
  }

  /**
   * What the allocation grants and how many tasks run at once, the deadline, the shard and the
   * job log (--show-allocation): one "jpack: " line each.
   */
  public String describeAllocation() {
    Allocation a = allocation != null ? allocation : AllocationProbe.probe(System.getenv());
    String mem = a.memoryBytes() < 0 ? "unknown" : Allocation.gib(a.memoryBytes()) + " ("
        + a.memorySource() + "; " + Allocation.gib(a.taskBytes()) + " for tasks, "
        + Allocation.gib(a.ownBytes()) + " kept for jpack)";
    Deadline d = runDeadline();
    String when = "none";
    if (d.at() != null) {
      long left = Duration.between(Instant.now(), d.at()).toSeconds();
      when = d.at().atZone(ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS)
          .toOffsetDateTime() + (left >= 0 ? " (in " + ProgressReport.human(left) + ")"
          : " (passed)");
    }
    Resources res = cfg.resources();
    return "jpack: allocation: " + a.cpus() + " CPUs (" + a.cpuSource() + "), memory " + mem
        + ", " + a.gpus().size() + " GPUs"
        + (a.gpus().isEmpty() ? "" : " " + String.join(",", a.gpus())) + "; "
        + (procs == Integer.MAX_VALUE ? "unlimited" : String.valueOf(procs)) + " tasks at once"
        + (hosts == null ? "" : " on " + hosts.describe())
        + "\njpack: deadline: " + when + ", " + d.source()
        + "\njpack: shard: " + (res.shards() == 0 ? "none (the whole input)"
            : res.shard() + "/" + res.shards())
        + "\njpack: job log: " + (policy.joblog() == null ? "none" : policy.joblog()
            + (policy.resume() == Policy.Resume.RESUME ? " (--resume)"
            : policy.resume() == Policy.Resume.RESUME_FAILED ? " (--resume-failed)" : ""));
  }

  /** The run's deadline (--deadline, or the batch job's end), found once. */
  private Deadline runDeadline() {
    if (runDeadline == null) {
      runDeadline = BatchJob.deadline(policy, System.getenv(), Instant.now(),
          w -> printer.message("jpack: warning: " + w));
    }
    return runDeadline;
  }

  /** The exec size limits of this process, for -s. */
  public static SystemLimits limits() {
    return LimitsProbe.probe();
  }

  /** Runs everything and returns the exit status. */
  public int run() throws IOException {
    if (hostError != null) {
      printer.message("jpack: " + hostError);
      return ExitStatus.FAILURE.code();
    }
    CommandBuilder builder;
    try {
      builder = new CommandBuilder(cfg.command(), cfg.grouping(), cfg.placeholders());
    } catch (CommandLineException e) {
      printer.message("jpack: " + e.getMessage());
      return ExitStatus.FAILURE.code();
    }
    InputStream in;
    try {
      in = cfg.input().argFile() == null ? stdin : Files.newInputStream(cfg.input().argFile());
    } catch (IOException e) {
      printer.message("jpack: cannot open input file '" + cfg.input().argFile() + "': "
          + IoErrors.reason(e, cfg.input().argFile()));
      return ExitStatus.FAILURE.code();
    }
    LoggedTasks logged = null;
    if (policy.joblog() != null) {
      Resources res = cfg.resources();
      try {
        joblog = JobLog.open(policy.joblog(), policy.fsync(), policy.resume()
            != Policy.Resume.NONE, res.shard(), res.shards(),
            w -> printer.message("jpack: warning: " + w));
        logged = joblog.done();
      } catch (JobLog.InUseException e) {
        printer.message("jpack: " + e.getMessage());
        return ExitStatus.FAILURE.code();
      } catch (IOException e) {
        printer.message("jpack: cannot open the job log '"
            + policy.joblog() + "': " + IoErrors.reason(e, policy.joblog()));
        return ExitStatus.FAILURE.code();
      } catch (OutOfMemoryError e) {
        printer.message("jpack: the job log '" + policy.joblog() + "' is too large to resume in"
            + " the Java heap (" + (Runtime.getRuntime().maxMemory() >> 20) + " MB): give jpack"
            + " more with JPACK_JAVA_OPTS=-Xmx..., or split the run into shards");
        return ExitStatus.FAILURE.code();
      }
      if (logged != null && logged.foreignSeq() != 0) {
        printer.message("jpack: the job log '" + policy.joblog() + "' has task "
            + logged.foreignSeq() + ", which is not of this run's shard " + res.shard() + "/"
            + res.shards() + ": another shard (or a run without --shard) wrote it; give each"
            + " shard its own log (--joblog log.{shard}.tsv)");
        return ExitStatus.FAILURE.code();
      }
    }
    // What can refuse the run comes first: nothing is created (a spool, ssh's sockets) until
    // it is known that the run goes ahead.
    if (cfg.resources().gpusPerTask() > 0 && allocation.gpus().size()
        < cfg.resources().gpusPerTask()) {
      printer.message("jpack: --gpus-per-task " + cfg.resources().gpusPerTask() + ": "
          + allocation.gpus().size() + " GPU devices found (CUDA_VISIBLE_DEVICES, or the NVIDIA"
          + " driver's list)");
      return ExitStatus.FAILURE.code();
    }
    Instant deadline = runDeadline().at();
    if (deadline != null) {
      stopAt = deadline.minus(policy.termGrace()).minus(DEADLINE_MARGIN);
      if (!stopAt.isAfter(Instant.now())) {
        // exit 75 at once would make a resubmit-on-75 loop go on for ever
        printer.message("jpack: the deadline (" + deadline + ", in "
            + Math.max(0, Duration.between(Instant.now(), deadline).toSeconds()) + " s) leaves no"
            + " time for tasks: jpack stops them --term-grace (" + policy.termGrace().toSeconds()
            + " s) + " + DEADLINE_MARGIN.toSeconds() + " s before it");
        return ExitStatus.FAILURE.code();
      }
    }
    progress = new ProgressReport(cfg.progress(), printer, this::snapshot);
    String statusProblem = progress.statusProblem();
    if (statusProblem != null) {
      printer.message("jpack: cannot write the status file '" + cfg.progress().statusFile()
          + "': " + statusProblem);
      return ExitStatus.FAILURE.code();
    }
    Redirect childStdin = cfg.openTty() ? Redirect.from(new File("/dev/tty"))
        : cfg.input().argFile() != null ? Redirect.INHERIT : Redirect.from(new File("/dev/null"));
    List<String> ssh = cfg.hosts() == null ? null : RemoteCommand.sshPrefix(cfg.hosts());
    if (ssh != null) {
      sshMasters = SshMasters.create(ssh, Spool.defaultParent());
    }
    // ssh and its kind get a pipe jpack never writes: its end tells the remote side to stop
    jdk = new JdkSpawner(childStdin, cfg.hosts() == null ? null
        : cfg.hosts().launch() == Hosts.Launch.SRUN ? Redirect.from(new File("/dev/null"))
        : Redirect.PIPE, Math.min(procs, 2));
    if (cfg.output() == OutputMode.GROUP) {
      try {
        spool = new Spool(Spool.defaultParent());
      } catch (IOException e) {
        printer.message("jpack: cannot make the spool directory in $TMPDIR ('"
            + Spool.defaultParent() + "'): " + IoErrors.reason(e, Spool.defaultParent()
                .resolve("x")));
        if (sshMasters != null) {
          sshMasters.close();
        }
        return ExitStatus.FAILURE.code();
      }
    }
    if (stopAt != null) {
      schedule(new DeadlineStop(), Duration.between(Instant.now(), stopAt));
    }
    SignalTrap.install(sig -> events.add(new Signalled(sig)));
    if (progress.period() != null) {
      timer();
      timer.scheduleAtFixedRate(() -> events.add(new Tick()), progress.period().toNanos(),
          progress.period().toNanos(), TimeUnit.NANOSECONDS);
    }
    List<Path> ownDirs = new ArrayList<>(2);
    if (spool != null) {
      ownDirs.add(spool.directory());
    }
    if (sshMasters != null) {
      ownDirs.add(sshMasters.directory());
    }
    // The watchdog starts while the input is read; the first task waits for it (see start).
    watchdogStart = new Thread(() -> watchdog = Watchdog.start(System.getenv("JPACK_RUN"),
        policy.termGrace(), ownDirs), "jpack-watchdog-start");
    watchdogStart.setDaemon(true);
    watchdogStart.start();
    this.childStdin = childStdin;
    long startPosition = positionOf(in);
    // A pipe or terminal on stdin is read through its channel: the interrupt at a stop ends a
    // read blocked there (a JVM waits up to 300 ms at exit for a thread blocked in a plain read).
    InputStream source = startPosition < 0 && in instanceof FileInputStream f
        ? new ChannelInput(f.getChannel()) : in;
    ItemReader reader = new ItemReader(source, cfg.input(), cfg.grouping().replace() != null,
        builder.maxItemLength(), w -> printer.message("jpack: " + w));
    input = new InputFeed(cfg.resources(), policy, logged, readAheadSize, events::add,
        HELPER_AFTER, () -> startHelper(this.childStdin)); // a run of a few tasks does without
    readerThread = new Thread(() -> input.run(reader, builder), "jpack-input");
    readerThread.setDaemon(true);
    readerThread.start();
    try {
      loop();
    } finally {
      // In this order (the output before its files go, the helper and the workers before the
      // watchdog's last sweep), every step even when one before it throws.
      new Closing()
          .then(order::flush)
          .then(() -> {
            if (spool != null) {
              spool.close();
            }
          })
          .then(() -> {
            if (joblog != null) {
              joblog.close();
            }
          })
          .then(() -> {
            if (timer != null) {
              timer.shutdownNow();
            }
          })
          .then(() -> {
            if (jdk != null) {
              jdk.close();
            }
          })
          .then(helpers::close)
          .then(this::endWorkers)
          .then(() -> {
            if (sshMasters != null) {
              sshMasters.close();
            }
          })
          .then(() -> {
            if (watchdogStart != null) {
              joinQuietly(watchdogStart);
            }
            if (watchdog != null) {
              watchdog.close();
            }
          })
          .then(() -> {
            if (in != stdin) {
              in.close();
            } else if (startPosition >= 0 && input.stopped()) {
              rewind(in, startPosition + reader.consumed());
            }
          })
          .run();
    }
    if (progress != null) {
      progress.tick(true);
    }
    if (input.alreadyFailed() > 0) {
      outcome.taskFailed(); // a resume that skipped failed tasks did not make them succeed
    }
    int code = exitCode();
    summary(code);
    return code;
  }

  private int exitCode() {
    if (signalled != 0) {
      return ExitStatus.signalled(signalled);
    }
    if (outputError) {
      return ExitStatus.FAILURE.code();
    }
    if (outputClosed) {
      return ExitStatus.OUTPUT_CLOSED.code();
    }
    if (deadlineHit && (killed > 0 || !pending.isEmpty() || !inputDone)) {
      if (succeeded + failed == 0 && longestStopped != null) {
        // Nothing finished in a whole job: running it again would do the same, forever.
        printer.message("jpack: nothing finished before the deadline: task "
            + longestStopped.seq() + " (" + ShellQuote.join(longestStopped.argv()) + ") ran "
            + String.format(Locale.ROOT, "%.0f", longestStoppedNanos / 1e9) + " s and was"
            + " stopped; it cannot finish within this job's time: give the job more time or"
            + " split the task (not asking to be run again: exit 1)");
        return ExitStatus.FAILURE.code();
      }
      return INCOMPLETE;
    }
    return outcome.status().code();
  }

  // ---- the event loop (main thread) ---------------------------------------------------------

  private void loop() throws IOException {
    while (!running.isEmpty() || !(stopping || (inputDone && pending.isEmpty()))) {
      Event ev;
      if (events.isEmpty()) {
        helpers.flush(); // the tasks started since the last wait, to jpack-spawn at once
      }
      try {
        ev = rampingUp() ? events.poll(rampUpLeftNanos(), TimeUnit.NANOSECONDS) : events.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        hardStop();
        break;
      }
      handle(ev);
    }
    input.stop();
    readerThread.interrupt();
  }

  /**
   * One event, then whatever may start now. A method of its own: the loop above runs once, so
   * HotSpot would compile its body only after tens of thousands of iterations (on-stack
   * replacement); this is compiled after a few hundred calls (the loop's body ran interpreted:
   * ~15 % of the event thread's CPU in a run of 8000 tasks).
   */
  private void handle(Event ev) throws IOException {
    if (ev == null) {
      firstTaskStart = RAMP_UP_OVER; // the first task has run a second: start the others
    } else if (ev instanceof Ready r) {
      pending.add(r);
    } else if (ev instanceof Launched l) {
      launched(l.task());
    } else if (ev instanceof LaunchFailed f) {
      launchFailed(f.task(), f.error());
    } else if (ev instanceof WorkerEnded w) {
      Task t = w.task();
      t.workerStatus = w.status();
      if (w.status() == jpack.exec.Worker.BAD_END && !w.died()) {
        printer.message("jpack: --worker: the end line of task " + t.seq() + " is not a NUL"
            + " byte, an exit status from 0 to 255 and a newline: the task fails (status 1)");
        t.workerStatus = 1;
      }
      t.workerDied = w.died();
      if (w.died()) {
        workers.died(t.slot);
      }
      finish(t, -1);
    } else if (ev instanceof Ended e) {
      Task t = e.task();
      if (killedFromOutside(t)) {
        t.settling = true; // was it the batch system stopping the whole job? wait and see
        settling++;
        t.settleNanos = e.nanos();
        schedule(new Settle(t), SETTLE);
      } else {
        finish(t, e.nanos());
      }
    } else if (ev instanceof Settle st) {
      Task t = st.task();
      if (t.settling) {
        t.settling = false;
        settling--;
        finish(t, t.settleNanos);
      }
    } else if (ev instanceof Dropped d) {
      dropped(d.task());
    } else if (ev instanceof Lost l) {
      lost(l.task());
    } else if (ev instanceof InputEnd end) {
      inputDone = true;
      if (end.error() != null) {
        printer.message("jpack: " + end.error());
        outcome.fatal(ExitStatus.FAILURE);
      }
    } else if (ev instanceof Signalled s) {
      onSignal(s.signal());
    } else if (ev instanceof TimeUp t) {
      onTimeUp(t.task());
    } else if (ev instanceof Kill k) {
      if (k.task() == null) {
        running.forEach(Task::kill);
      } else if (running.contains(k.task())) {
        k.task().kill();
      }
    } else if (ev instanceof Tick) {
      progress.tick(false);
    } else if (ev instanceof DeadlineStop) {
      if (!running.isEmpty() || !pending.isEmpty() || !inputDone) {
        deadlineHit = true;
        printer.message("jpack: the deadline is near: stopping the running tasks; run again"
            + " with --resume to finish");
        hardStop();
      }
    }
    startWhatFits();
  }

  private boolean rampingUp() {
    return rampUp && firstStarted && firstTaskStart != RAMP_UP_OVER;
  }

  private long rampUpLeftNanos() {
    return Math.max(1, RAMP_UP_NANOS - (System.nanoTime() - firstTaskStart));
  }

  private void startWhatFits() throws IOException {
    int limit = rampingUp() ? 1 : hosts != null ? hosts.alive() : procs;
    // a task that died of a signal is not accounted yet: it may stop the run (xargs' rules)
    while (!stopping && !pending.isEmpty() && settling == 0) {
      boolean free = running.size() - slots.waiting() < limit;
      int slot = free ? -1 : queueSlot();
      if (!free && slot < 0) {
        break;
      }
      if (stopAt != null && tooLateFor(pending.peek())) {
        deadlineHit = true;
        printer.message("jpack: the deadline is near: starting no more tasks; run again with"
            + " --resume to finish");
        softStop();
        return;
      }
      if (free) {
        slot = freeSlot(pending.peek().lostOn());
        if (slot < 0) {
          return; // it waits for a slot on another host than the one that failed it
        }
      }
      Ready r = pending.poll();
      if (r.attempt() == 1 && r.lost() == 0) {
        input.started(); // the reader may read one more command ahead
      }
      start(r, slot);
    }
    input.giveBack(pending.isEmpty());
    if (pending.isEmpty() && slots.waiting() > 0 && running.size() - slots.waiting() < limit) {
      recallWaiting(); // a slot is free: a task waiting behind a busy one starts there instead
    }
  }

  /** The task whose reading also starts jpack-spawn (in the background). */
  private static final int HELPER_AFTER = 4;

  /** Tasks whose median run is shorter than this may wait in jpack-spawn for a busy slot. */
  private static final long QUEUE_BELOW_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  /** How many tasks may wait for one slot in jpack-spawn. */
  private static final int QUEUE_DEPTH = 6;

  /**
   * With every slot busy: a slot where a task may wait in jpack-spawn, to start the moment the
   * slot's task ends (no round trip through jpack); -1 when none, or not now. Only for short
   * tasks (a long one would make its follower wait), behind the task that has run longest.
   */
  private int queueSlot() {
    SpawnHelper h = helpers.get();
    if (h == null || rampingUp() || cfg.interactive() || hosts != null
        || runtimes.count() < procs || runtimes.quantile(0.5) > QUEUE_BELOW_NANOS
        || bytes(pending.peek().argv()) > QUEUE_BELOW_BYTES) {
      return -1;
    }
    return slots.slotToWaitOn(t -> t.viaHelper, t -> t.startNanos);
  }

  /**
   * Only commands shorter than this wait in jpack-spawn: longer ones (-n 10000) would keep more
   * memory in flight for no gain (such a task takes longer than a round trip anyway).
   */
  private static final long QUEUE_BELOW_BYTES = 4096;

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

  /**
   * Whether jpack-spawn starts the next task: every local task once it is up (only the first
   * few of a run start through ProcessBuilder while it starts), so that how a task ended is
   * exact (a task that exits 137 did not die of KILL), and its subreaper catches what a task's
   * children leave behind. Only short tasks wait in it for a busy slot (see queueSlot).
   */
  private SpawnHelper helperFor(Task t) {
    return t.host >= 0 ? null : helpers.get();
  }

  /**
   * Takes back the tasks jpack-spawn has not started (they wait for a slot, or for jpack to have
   * seen a failure): they come back as Dropped.
   */
  private void recallWaiting() {
    SpawnHelper h = helpers.get();
    if (h == null) {
      return;
    }
    for (Task t : running) {
      if (t.job != null && t.job.waiting() && !t.recalled) {
        t.recalled = true;
        t.job.recall();
      }
    }
  }

  /** A task taken back from jpack-spawn before it started: it goes back to the queue. */
  private void dropped(Task t) {
    running.remove(t);
    slots.remove(t.slot, t);
    pending.addFirst(t.ready);
  }

  /**
   * A task that ran in jpack-spawn when it died: it did not finish, so it goes back to the queue
   * (to start through the JVM) without its partial output; stopping, it stays to do for --resume.
   */
  private void lost(Task t) throws IOException {
    if (t.timeout != null) {
      t.timeout.cancel(false);
    }
    if (spool != null) {
      spool.take(t.spoolSlot);
    }
    dropped(t);
  }

  /**
   * A task started at nanos (System.nanoTime's clock); on its starter's thread, before the
   * task's later events.
   */
  private void startedAt(Task t, long nanos) {
    t.startNanos = nanos;
    t.startMillis = System.currentTimeMillis() - (System.nanoTime() - nanos) / 1_000_000;
  }

  /** Whether a task started now would likely not end before the running tasks must stop. */
  private boolean tooLateFor(Ready r) {
    long estimate = runtimes.quantile(0.95);
    return Instant.now().plusNanos(estimate).isAfter(stopAt);
  }

  /** Starts one task: prepares it here and hands the process start to a spawner thread. */
  private void start(Ready r, int slot) throws IOException {
    List<String> argv = r.command().argvFor(r.seq(), slot);
    if (cfg.interactive()) {
      if (!confirm(argv)) {
        order.complete(r.seq(), null);
        return;
      }
    } else if (cfg.verbose()) {
      printer.message(ShellQuote.join(argv));
    }
    Task t = new Task(r, slot);
    t.argv = argv;
    t.host = hosts == null ? -1 : hosts.hostOf(slot);
    t.spoolSlot = slots.nextSpool(slot);
    Redirect out;
    Redirect err;
    switch (cfg.output()) {
      case GROUP:
        out = spool.stdoutOf(t.spoolSlot);
        err = spool.stderrOf(t.spoolSlot);
        break;
      case LINE:
        out = Redirect.PIPE;
        err = Redirect.PIPE;
        break;
      default:
        out = Redirect.INHERIT;
        err = Redirect.INHERIT;
    }
    Map<String, String> env = specs.env(r.seq(), r.line(), slot);
    List<String> command = hosts == null ? argv : specs.remote(argv, env, t.host, sshMasters);
    boolean behind = slots.add(slot, t); // the slot is busy: it waits in jpack-spawn
    running.add(t);
    if (!firstStarted) {
      firstStarted = true;
      firstTaskStart = System.nanoTime();
      joinQuietly(watchdogStart); // no task runs before the watchdog does
    }
    if (workers != null) {
      toWorker(t, r.command().tag(), env);
      return;
    }
    SpawnHelper h = helperFor(t);
    boolean timed = policy.timeout() != null || policy.timeoutPercent() > 0;
    Spawner.JobSpec spec = new Spawner.JobSpec(slot, command, env, out, err, t.host >= 0);
    Spawner.Listener listener = new Spawner.Listener() {
      @Override
      public void started(long nanos) {
        startedAt(t, nanos); // on the starter's thread: read after its Ended
        if (!t.viaHelper || timed) {
          events.add(new Launched(t)); // its time limit runs from now, its pumps start
        }
      }

      @Override
      public void ended(ExitInfo exit, long nanos, boolean leftProcesses) {
        t.exit = exit;
        t.leftProcesses = leftProcesses;
        events.add(new Ended(t, nanos));
      }

      @Override
      public void failed(LaunchException e) {
        events.add(new LaunchFailed(t, e));
      }

      @Override
      public void dropped() {
        events.add(new Dropped(t));
      }

      @Override
      public void lost() {
        events.add(new Lost(t));
      }
    };
    Spawner.Job job = h == null ? null : h.start(spec, listener);
    if (job != null) {
      t.viaHelper = true;
    } else if (behind) { // jpack-spawn died since queueSlot chose to queue it there: later, then
      dropped(t);
      return;
    } else {
      job = jdk.start(spec, listener);
    }
    t.job = job;
  }

  /**
   * Starts jpack-spawn on a thread of its own (tasks start with ProcessBuilder meanwhile), for
   * tasks that run here with their output in files or inherited; not for --line-buffer (its
   * pipes must be the JVM's), --worker or other hosts.
   */
  private void startHelper(Redirect childStdin) {
    if (cfg.hosts() != null || workers != null || cfg.output() == OutputMode.LINE) {
      return;
    }
    Path binary = SpawnHelper.binary(System.getenv(), System.getProperty("java.class.path"));
    if (binary == null) {
      return;
    }
    helpers.start(binary, Spool.defaultParent(), childStdin, policy.termGrace(), printer::message);
  }


  private void launched(Task t) {
    if (t.interrupted) {
      t.term();
      schedule(new Kill(t), policy.termGrace());
    }
    if (cfg.output() == OutputMode.LINE) {
      startPumps(t);
    }
    Duration limit = timeLimit();
    if (limit != null) {
      t.timeout = schedule(new TimeUp(t), limit);
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
      closeQuietly(t.workerSink);
      launchFailed(t, e);
      return;
    }
    launched(t);
  }

  /** At the end: every worker sees the end of its input, and gets the grace time to exit. */
  private void endWorkers() {
    if (workers != null) {
      try {
        workers.finishAll(policy.termGrace());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void launchFailed(Task t, LaunchException e) throws IOException {
    try {
      launchFailedTask(t, e);
    } finally {
      if (t.job != null) {
        t.job.accounted(); // the stop it caused is sent first: no next start slips through
      }
    }
  }

  private void launchFailedTask(Task t, LaunchException e) throws IOException {
    running.remove(t);
    slots.remove(t.slot, t);
    printer.message("jpack: " + e.getMessage());
    outcome.fatal(e.kind() == LaunchException.Kind.NOT_FOUND
        ? ExitStatus.NOT_FOUND : ExitStatus.CANNOT_RUN);
    order.complete(t.seq(), null);
    softStop();
  }

  /** A free slot; with hosts, -1 while only the avoided host (or none) has one. */
  private int freeSlot(int avoid) {
    return hosts == null ? slots.busy().nextClearBit(0) : hosts.free(slots.busy(), avoid);
  }

  /** The --timeout for a task starting now: fixed, or a percentage of the median runtime. */
  private Duration timeLimit() {
    if (policy.timeout() != null) {
      return policy.timeout();
    }
    if (policy.timeoutPercent() > 0 && runtimes.count() >= 3) {
      return Duration.ofNanos((long) (runtimes.quantile(0.5) * policy.timeoutPercent() / 100));
    }
    return null;
  }

  private void startPumps(Task t) {
    byte[] prefix = cfg.tag()
        ? (t.ready.command().tag() + "\t").getBytes(StandardCharsets.ISO_8859_1) : null;
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

  /** A task's end, then its starter is told it was accounted (jpack-spawn may go on). */
  private void finish(Task t, long endNanos) throws IOException {
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
    if (t.interrupted && endNanos >= 0 && endNanos < t.interruptedNanos) {
      t.interrupted = false; // it had ended (jpack-spawn tells when) before jpack stopped it
    }
    running.remove(t);
    slots.remove(t.slot, t);
    if (t.timeout != null) {
      t.timeout.cancel(false);
    }
    if (t.pumpThreads != null) {
      for (int i = 0; i < 2; i++) {
        joinQuietly(t.pumpThreads[i]);
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
    ExitInfo exit = exitOf(t);
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
    if (t.host >= 0) {
      closeQuietly(t.job.stdin());
      if (launchFailedOnHost(t, exit)) {
        return;
      }
    }
    boolean ok = exit.success() && !t.timedOut;
    if (!ok && !t.interrupted && !stopping && t.ready.attempt() <= policy.retries()) {
      // Try again at once; this attempt's output is dropped, as GNU parallel does.
      if (spool != null) {
        spool.take(t.spoolSlot);
        retireIfLeftBehind(t);
      }
      // with several hosts, on another one if any is alive (as GNU parallel's --retries)
      pending.addFirst(t.ready.again(t.ready.attempt() + 1, t.ready.lost(), t.host));
      return;
    }
    String logLine = null;
    if (t.interrupted) {
      killed++; // stopped by jpack: not logged, so --resume runs it again
      if (deadlineHit && runtime > longestStoppedNanos) {
        longestStopped = t;
        longestStoppedNanos = runtime;
      }
    } else {
      if (ok) {
        succeeded++;
        runtimes.add(runtime);
      } else {
        failed++;
        if (failedSeqs.size() < SHOW_FAILED) {
          failedSeqs.add(t.seq());
        }
      }
      if (joblog != null) {
        logLine = logLine(t, exit, runtime);
      }
    }
    output(t, logLine);
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
        && (stopping || t.ready.lost() + 1 >= LOST_LIMIT)) {
      return false; // the task's own 255, as far as anyone can tell: its host runs others
    }
    if (spool != null) { // ssh's complaint, not the task's output
      printer.block(spool.take(t.spoolSlot).stderrOnly(), null);
    }
    // Not run: back to the queue, for another host or (no host left) for a later --resume.
    pending.addFirst(t.ready.again(t.ready.attempt(), t.ready.lost() + 1, t.host));
    if (hosts.alive() == 0) {
      outcome.fatal(ExitStatus.FAILURE);
      softStop();
    } else {
      printer.message("jpack: task " + t.seq() + " could not be started on " + name
          + " (exit 255); trying again" + (hosts.othersAlive(t.host) ? " on another host" : ""));
    }
    return true;
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // a pipe nobody reads any more: nothing to tell
    }
  }

  /** The task's job-log line, written once its output is delivered (see print). */
  private String logLine(Task t, ExitInfo exit, long runtime) throws IOException {
    int exitval = t.timedOut || exit.signal() != 0 ? -1 : exit.exitCode();
    int signal = exit.signal() != 0 ? exit.signal() : t.timedOut ? 15 : 0;
    long received = spool != null ? spool.stdoutSize(t.spoolSlot) : 0;
    String host = t.host < 0 ? ":" : hosts.host(t.host).name();
    long sent = t.workerSink == null ? 0 // --worker: the line it was sent
        : t.ready.command().tag().length() + 1;
    return JobLog.line(t.seq(), host, t.startMillis, runtime, sent, received, exitval, signal,
        ShellQuote.join(t.argv()));
  }

  private void writeLog(String line) {
    if (joblogFailed) {
      return;
    }
    try {
      joblog.append(line);
    } catch (IOException e) {
      joblogFailed = true; // said once; the run stops, and nothing later is logged
      printer.message("jpack: cannot write the job log '" + policy.joblog() + "': "
          + e.getMessage() + ": stopping");
      outcome.fatal(ExitStatus.FAILURE);
      softStop();
    }
  }

  /**
   * Hands the task's output to the printer, with its job-log line: grouped output is logged once
   * printed (with -k, after the earlier tasks'); output that went out as the task ran (-u,
   * --line-buffer) is delivered already, so its line is written now.
   */
  private void output(Task t, String logLine) throws IOException {
    if (cfg.tag()) {
      tags.put(t.seq(), t.ready.command().tag());
    }
    if (spool != null) {
      if (!spoolFullReported && spool.full()) {
        spoolFullReported = true;
        printer.message("jpack: the spool directory " + spool.directory() + " ($TMPDIR) is full:"
            + " the output of task " + t.seq() + " (" + ShellQuote.join(t.argv()) + ") and of"
            + " later tasks may be incomplete");
        outcome.fatal(ExitStatus.FAILURE);
      }
      Spool.Block block = order.mustWait(t.seq()) ? spool.hold(t.spoolSlot, t.seq())
          : spool.take(t.spoolSlot);
      order.complete(t.seq(), block, logLine);
    } else {
      if (logLine != null) {
        writeLog(logLine);
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
    if (spool != null && t.workerSink == null
        && t.leftProcesses) {
      spool.retire(t.spoolSlot);
    }
  }

  /** xargs' rules for the exit status, then --halt. */
  private void account(Task t, ExitInfo exit) {
    String program = t.argv().get(0);
    boolean xargsRules = policy.halt().when() == Halt.When.XARGS;
    if (t.timedOut) {
      printer.message("jpack: " + program + ": task " + t.seq() + " timed out; stopped it");
      outcome.taskFailed();
    } else if (exit.signal() != 0) {
      printer.message("jpack: " + program + ": terminated by signal " + exit.signal());
      outcome.fatal(ExitStatus.TASK_SIGNALLED);
      if (xargsRules) {
        softStop();
      }
    } else if (exit.exitCode() == 255) {
      printer.message("jpack: " + program + ": exited with status 255"
          + (t.host >= 0 && cfg.hosts().exit255IsLaunchFailure()
              ? " on " + hosts.host(t.host).name() + " (or ssh failed there, as on its earlier"
                  + " tries)" : "") + "; aborting");
      outcome.fatal(ExitStatus.TASK_EXIT_255);
      if (xargsRules) {
        softStop();
      }
    } else if (exit.exitCode() != 0) {
      outcome.taskFailed();
    }
    Halt halt = policy.halt();
    if (!stopping && halt.reached(failed, succeeded)) {
      printer.message("jpack: --halt " + halt.when().name().toLowerCase(Locale.ROOT) + ": "
          + failed + " failed, " + succeeded + " succeeded: stopping");
      if (halt.when() == Halt.When.NOW) {
        hardStop();
      } else {
        softStop();
      }
    }
  }

  private void onSignal(int signal) throws IOException {
    if (signalled != 0) {
      running.forEach(Task::kill); // a second signal: no more grace
      return;
    }
    signalled = signal;
    hardStop();
    // Tasks that died of a stop signal just before jpack got its own were stopped with it (a
    // scancel, a time limit, a preemption signal every process of the job): not logged.
    List<Task> settled = new ArrayList<>();
    for (Task t : running) {
      if (t.settling) {
        settled.add(t);
      }
    }
    for (Task t : settled) {
      t.settling = false;
      settling--;
      finish(t, -1);
    }
  }

  /**
   * How long a task that died of TERM, INT, HUP or KILL is held before it counts as failed: the
   * batch system stops a job by signalling all its processes at once (scancel, a time limit,
   * preemption, qdel), and the tasks may die a moment before jpack sees its own signal.
   */
  private static final Duration SETTLE = Duration.ofSeconds(1);

  /** Whether the task died of a signal that stops a whole job, and jpack did not send it. */
  private boolean killedFromOutside(Task t) {
    if (t.interrupted || t.timedOut || signalled != 0 || t.workerSink != null) {
      return false;
    }
    ExitInfo exit = exitOf(t);
    int sig = exit.signal();
    return sig == 15 || sig == 2 || sig == 1 || sig == 9;
  }

  /** How the task's process ended, exactly where its starter knows. */
  private static ExitInfo exitOf(Task t) {
    if (t.workerSink != null) {
      return t.workerDied ? ExitInfo.fromJdk(t.workerStatus) : ExitInfo.exited(t.workerStatus);
    }
    return t.exit;
  }

  private void onTimeUp(Task t) {
    if (!running.contains(t) || t.interrupted || t.settling
        || t.job != null && !t.job.alive()) {
      return; // it ended by itself (its end is on its way): the limit stopped nothing
    }
    t.timedOut = true;
    t.timedOutNanos = System.nanoTime();
    t.term();
    schedule(new Kill(t), policy.termGrace());
  }

  /** Start nothing more; running tasks finish. */
  private void softStop() {
    stopping = true;
    input.stop();
    recallWaiting(); // not started yet: they stay to do, as the queued ones
    if (readerThread != null) {
      readerThread.interrupt();
    }
  }

  /** Start nothing more and stop the running tasks: TERM now, KILL after the grace. */
  private void hardStop() {
    softStop();
    long now = System.nanoTime();
    for (Task t : running) {
      t.interrupted = true;
      t.interruptedNanos = now;
      t.term(); // a task still being started is stopped as soon as it is (see launched)
    }
    if (!running.isEmpty()) {
      schedule(new Kill(null), policy.termGrace());
    }
  }

  private void timer() {
    if (timer == null) {
      timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread th = new Thread(r, "jpack-timer");
        th.setDaemon(true);
        return th;
      });
    }
  }

  /** The counts for a progress report, taken on the event-loop thread. */
  private ProgressReport.Snapshot snapshot() {
    List<ProgressReport.Running> now = new ArrayList<>(running.size());
    HashMap<Integer, Integer> onSlot = new HashMap<>(); // slot -> its task's place in now
    for (Task t : running) {
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
    long total = inputDone ? input.emitted() : -1;
    return new ProgressReport.Snapshot(succeeded, failed, killed, total, now,
        System.nanoTime() - startNanos, inputDone && running.isEmpty() && pending.isEmpty());
  }

  private ScheduledFuture<?> schedule(Event ev, Duration after) {
    timer();
    return timer.schedule(() -> events.add(ev), Math.max(0, after.toNanos()),
        TimeUnit.NANOSECONDS);
  }

  /**
   * Prints one task's block, then writes its job-log line if the block reached jpack's stdout and
   * stderr: a task whose output was lost (a closed or failing stdout) stays out of the log, so a
   * resume runs it again.
   */
  private void print(long seq, Spool.Block block, String logLine) throws IOException {
    String tag = cfg.tag() ? tags.remove(seq) : null;
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

  /** A full disk or an I/O error on jpack's own output: output would be lost, so stop, loudly. */
  private void outputFailed(IOException e, long seq) {
    printer.message("jpack: " + e.getMessage() + " (output of task " + seq
        + " and later ones is incomplete); stopping");
    outcome.fatal(ExitStatus.FAILURE);
    outputClosed = true;
    outputError = true;
    hardStop();
  }

  /** jpack's stdout is gone: start nothing more, end the running tasks, exit quietly. */
  private void closed() {
    outputClosed = true;
    hardStop();
  }

  /**
   * One line on stderr when anything failed or was left undone, always with --summary, and
   * always in a batch job whose stderr is a log (what happened, in the job's output file): the
   * counts, the first failed tasks, and what the exit status means.
   */
  private void summary(int code) {
    long notStarted = pending.size();
    long resumed = input.alreadyDone();
    long resumedFailed = input.alreadyFailed();
    boolean batchLog = BatchJob.inBatchJob(System.getenv()) && !LimitsProbe.stderrIsTerminal();
    if (!policy.summary() && !batchLog && failed == 0 && killed == 0 && notStarted == 0
        && !deadlineHit && resumedFailed == 0 && (inputDone || outputClosed)) {
      return;
    }
    if (outputClosed && !policy.summary()) {
      return;
    }
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
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
    line.append(String.format(Locale.ROOT, ", %.1f s elapsed", elapsed));
    List<Long> shown = new ArrayList<>(failedSeqs);
    for (long seq : input.failedSeqs()) {
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
      if (policy.joblog() != null) {
        line.append(" (see ").append(policy.joblog()).append(')');
      }
    }
    line.append("; exit ").append(code).append(": ").append(ExitStatus.meaningOf(code));
    printer.message(line.toString());
  }

  private boolean confirm(List<String> argv) throws IOException {
    if (tty == null) {
      try {
        tty = new BufferedReader(new InputStreamReader(new FileInputStream("/dev/tty"),
            StandardCharsets.ISO_8859_1));
      } catch (IOException e) {
        throw new IOException("failed to open /dev/tty for reading: " + e.getMessage(), e);
      }
    }
    printer.prompt(ShellQuote.join(argv) + " ?...");
    String answer = tty.readLine();
    return answer != null && !answer.isEmpty()
        && (answer.charAt(0) == 'y' || answer.charAt(0) == 'Y');
  }

  private static void joinQuietly(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The position of a seekable input (a regular file on stdin), else -1. */
  private static long positionOf(InputStream in) {
    if (in instanceof FileInputStream f) {
      try {
        FileChannel ch = f.getChannel();
        return ch.position();
      } catch (IOException e) {
        return -1;
      }
    }
    return -1;
  }

  /** Leaves a seekable stdin just after what jpack used, as xargs does at exit (-E). */
  private static void rewind(InputStream in, long position) {
    try {
      ((FileInputStream) in).getChannel().position(position);
    } catch (IOException | ClassCastException e) {
      // not seekable after all: nothing to give back
    }
  }
}
