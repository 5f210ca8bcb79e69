package jpack.app;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jpack.app.Event.Tick;
import jpack.command.CommandBuilder;
import jpack.command.CommandLineException;
import jpack.command.RemoteCommand;
import jpack.command.ShellQuote;
import jpack.config.ExitStatus;
import jpack.config.Hosts;
import jpack.config.OutputMode;
import jpack.config.Policy;
import jpack.config.Resources;
import jpack.config.RunConfig;
import jpack.config.SystemLimits;
import jpack.exec.JdkSpawner;
import jpack.exec.Spawner;
import jpack.exec.SshMasters;
import jpack.exec.Watchdog;
import jpack.input.ChannelInput;
import jpack.input.ItemReader;
import jpack.joblog.JobLog;
import jpack.joblog.LoggedTasks;
import jpack.output.Printer;
import jpack.output.Results;
import jpack.output.Spool;
import jpack.site.BatchJob;
import jpack.site.Diag;
import jpack.site.LimitsProbe;
import jpack.site.MemoryCgroup;

/**
 * Runs one jpack invocation: wiring only. It refuses what cannot run before anything is made,
 * opens what the run needs in order (the input, the job log, ssh's connections, the spawners,
 * the spool, the timer, the watchdog), wires the parts (a reader thread turns input into
 * commands; the {@link EventLoop}'s thread starts them through the {@link Dispatcher}, accounts
 * for their ends in {@link Accounting} and stops through the {@link Stopper}), closes every
 * resource even when closing another throws, and returns the exit status.
 */
public final class Runner {
  private final RunConfig cfg;
  private final Policy policy;
  private final InputStream stdin;
  private final Printer printer;
  private final RunPlan plan;
  /** What starts tasks here instead of ProcessBuilder and jpack-spawn (a test's), or null. */
  private final Spawner spawnerOverride;
  private final RunState state = new RunState();
  private final StallWatch stall;
  private TaskUsage usage;
  private final InputCount count = new InputCount();

  // what the run opened (closed by close(), whatever was reached)
  private InputStream in;
  private long startPosition = -1;
  private ItemReader reader;
  private JobLog joblog;
  private Results results;
  private SshMasters sshMasters;
  private Spawner local;
  private Spool spool;
  private Stopper stopper;
  private Thread watchdogStart;
  private volatile Watchdog watchdog;
  private final HelperLink helpers = new HelperLink();
  private Dispatcher dispatcher;
  private Accounting accounting;
  private InputFeed input;
  private Thread readerThread;
  private ProgressReport progress;
  private EventLoop loop;

  public Runner(
      RunConfig cfg, InputStream stdin, WritableByteChannel out, WritableByteChannel err) {
    this(cfg, stdin, out, err, null);
  }

  /**
   * With spawner: every task starts through it, jpack-spawn is not used and the JVM's signals
   * are left alone (tests of the run's decisions, in milliseconds, without processes).
   */
  Runner(RunConfig cfg, InputStream stdin, WritableByteChannel out, WritableByteChannel err,
      Spawner spawner) {
    this.cfg = cfg;
    this.policy = cfg.policy();
    this.stdin = stdin;
    this.printer = new Printer(out, err);
    this.spawnerOverride = spawner;
    if (cfg.debug()) {
      Diag.enable();
    }
    this.plan = new RunPlan(cfg, printer);
    this.stall = new StallWatch(policy.stallAfter());
  }

  /**
   * What the allocation grants and how many tasks run at once, the deadline, the shard and the
   * job log (--show-allocation): one "jpack: " line each.
   */
  public String describeAllocation() {
    return plan.describe();
  }

  /** The exec size limits of this process, for -s. */
  public static SystemLimits limits() {
    return LimitsProbe.probe();
  }

  /** Runs everything and returns the exit status. */
  public int run() throws IOException {
    int refused;
    try {
      refused = open();
      if (refused < 0) {
        try {
          loop.run();
        } finally {
          input.stop();
          readerThread.interrupt();
        }
      }
    } finally {
      close();
    }
    if (refused >= 0) {
      return refused;
    }
    progress.tick(true);
    if (input.alreadyFailed() > 0) {
      state.outcome.taskFailed(); // a resume that skipped failed tasks did not make them succeed
    }
    int code = exitCode();
    summary(code);
    return code;
  }

  /**
   * Refuses what cannot run (exit status, one message each), before anything is made that must
   * be undone; then opens what the run needs and wires it. Returns -1 when the run goes ahead.
   */
  private int open() throws IOException {
    if (plan.refusal != null) {
      return refuse(plan.refusal);
    }
    CommandBuilder builder;
    try {
      builder = new CommandBuilder(cfg.command(), cfg.grouping(), cfg.placeholders());
    } catch (CommandLineException e) {
      return refuse(e.getMessage());
    }
    Path argFile = cfg.input().argFile();
    try {
      in = argFile == null ? stdin : Files.newInputStream(argFile);
    } catch (IOException e) {
      return refuse("cannot open input file '" + argFile + "': " + IoErrors.reason(e, argFile));
    }
    LoggedTasks logged = null;
    if (policy.joblog() != null) {
      int r = openJobLog();
      if (r >= 0) {
        return r;
      }
      logged = joblog.done();
    }
    if (cfg.results() != null) {
      try {
        results = Results.open(cfg.results(), policy.resume() != Policy.Resume.NONE);
      } catch (IOException e) {
        return refuse("cannot open --results '" + cfg.results().path() + "': "
            + IoErrors.reason(e, cfg.results().path()));
      }
    }
    Resources res = cfg.resources();
    if (res.gpusPerTask() > 0 && plan.allocation.gpus().size() < res.gpusPerTask()) {
      return refuse("--gpus-per-task " + res.gpusPerTask() + ": "
          + plan.allocation.gpus().size() + " GPU devices found (CUDA_VISIBLE_DEVICES, or the"
          + " NVIDIA driver's list)");
    }
    stopper = new Stopper(state, policy, printer);
    Instant deadline = plan.deadline().at();
    if (deadline != null && stopper.stopFor(deadline) == null) {
      return ExitStatus.FAILURE.code();
    }
    progress = new ProgressReport(cfg.progress(), printer, () -> loop.snapshot());
    String statusProblem = progress.statusProblem();
    if (statusProblem != null) {
      return refuse("cannot write the status file '" + cfg.progress().statusFile() + "': "
          + statusProblem);
    }
    // What can refuse the run came first: nothing is created (a spool, ssh's sockets) until
    // it is known that the run goes ahead.
    Redirect childStdin = cfg.openTty() ? Redirect.from(new File("/dev/tty"))
        : argFile != null ? Redirect.INHERIT : Redirect.from(new File("/dev/null"));
    List<String> ssh = cfg.hosts() == null ? null : RemoteCommand.sshPrefix(cfg.hosts());
    if (ssh != null) {
      sshMasters = SshMasters.create(ssh, Spool.defaultParent());
    }
    // ssh and its kind get a pipe jpack never writes: its end tells the remote side to stop
    local = spawnerOverride != null ? spawnerOverride : new JdkSpawner(childStdin,
        cfg.hosts() == null ? null : cfg.hosts().launch() == Hosts.Launch.SRUN
            ? Redirect.from(new File("/dev/null")) : Redirect.PIPE, Math.min(plan.procs, 2));
    if (cfg.output() == OutputMode.GROUP) {
      try {
        spool = new Spool(Spool.defaultParent());
      } catch (IOException e) {
        return refuse("cannot make the spool directory in $TMPDIR ('" + Spool.defaultParent()
            + "'): " + IoErrors.reason(e, Spool.defaultParent().resolve("x")));
      }
    }
    if (spawnerOverride == null) { // a test's JVM keeps its own signals
      stopper.trapSignals();
    }
    if (!stall.off()) {
      stopper.every(new Event.StallCheck(), stall.period());
    }
    if (progress.period() != null) {
      stopper.every(new Tick(), progress.period());
    }
    startWatchdog();
    wire(builder, logged, childStdin);
    return -1;
  }

  private int refuse(String why) {
    printer.message("jpack: " + why);
    return ExitStatus.FAILURE.code();
  }

  /** Opens the job log (reading it first for --resume); an exit status when it cannot be. */
  private int openJobLog() {
    Resources res = cfg.resources();
    try {
      joblog = JobLog.open(policy.joblog(), policy.fsync(), policy.resume()
          != Policy.Resume.NONE, res.shard(), res.shards(),
          w -> printer.message("jpack: warning: " + w));
    } catch (JobLog.InUseException e) {
      return refuse(e.getMessage());
    } catch (IOException e) {
      return refuse("cannot open the job log '" + policy.joblog() + "': "
          + IoErrors.reason(e, policy.joblog()));
    } catch (OutOfMemoryError e) {
      return refuse("the job log '" + policy.joblog() + "' is too large to resume in the Java"
          + " heap (" + (Runtime.getRuntime().maxMemory() >> 20) + " MB): give jpack more with"
          + " JPACK_JAVA_OPTS=-Xmx..., or split the run into shards");
    }
    LoggedTasks logged = joblog.done();
    if (logged != null && logged.foreignSeq() != 0) {
      return refuse("the job log '" + policy.joblog() + "' has task " + logged.foreignSeq()
          + ", which is not of this run's shard " + res.shard() + "/" + res.shards()
          + ": another shard (or a run without --shard) wrote it; give each shard its own log"
          + " (--joblog log.{shard}.tsv)");
    }
    return -1;
  }

  /** The watchdog starts while the input is read; the first task waits for it (Dispatcher). */
  private void startWatchdog() {
    List<Path> ownDirs = new ArrayList<>(2);
    if (spool != null) {
      ownDirs.add(spool.directory());
    }
    if (sshMasters != null) {
      ownDirs.add(sshMasters.directory());
    }
    watchdogStart = new Thread(() -> watchdog = Watchdog.start(System.getenv("JPACK_RUN"),
        policy.termGrace(), ownDirs), "jpack-watchdog-start");
    watchdogStart.setDaemon(true);
    watchdogStart.start();
  }

  /** The parts of the loop, and the reader thread that feeds it. */
  private void wire(CommandBuilder builder, LoggedTasks logged, Redirect childStdin) {
    Resources res = cfg.resources();
    usage = new TaskUsage(spawnerOverride != null ? null : MemoryCgroup.own(),
        res.cpusPerTask(), res.memAuto(), plan.allocation == null ? -1
            : plan.allocation.taskBytes(), plan.allocation == null ? plan.procs
            : Math.max(1, plan.allocation.cpus() / res.cpusPerTask()));
    JobSpecs specs = new JobSpecs(cfg, plan.hosts, plan.allocation, spool, sshMasters);
    WorkerSlots<Task> workers = !cfg.worker() ? null : new WorkerSlots<>(cfg.command(),
        plan.procs, (task, status, died) -> state.events.add(
            new Event.WorkerEnded(task, status, died)));
    accounting = new Accounting(cfg, state, printer, spool, joblog, plan.hosts, stopper, usage,
        results);
    dispatcher = new Dispatcher(cfg, state, printer, plan, specs, spool, local, helpers,
        workers, stopper, accounting, watchdogStart, usage);
    stopper.onStop(() -> {
      input.stop();
      dispatcher.recallWaiting(); // not started yet: they stay to do, as the queued ones
      readerThread.interrupt();
    });
    startPosition = Seekable.position(in);
    // A pipe or terminal on stdin is read through its channel: the interrupt at a stop ends a
    // read blocked there (a JVM waits up to 300 ms at exit for a thread blocked in a plain read).
    InputStream source = startPosition < 0 && in instanceof FileInputStream f
        ? new ChannelInput(f.getChannel()) : in;
    try {
      source = count.arrange(cfg, logged, source, in, stdin, startPosition);
    } catch (IOException e) {
      printer.message("jpack: warning: cannot count the input ahead (" + e.getMessage()
          + "): no total in the progress reports");
    }
    reader = new ItemReader(source, cfg.input(), cfg.grouping().linePerCommand(),
        builder.maxItemLength(), w -> printer.message("jpack: " + w));
    Runnable startHelper = spawnerOverride != null ? () -> { }
        : () -> dispatcher.startHelper(childStdin); // a run of a few tasks does without
    input = new InputFeed(cfg.resources(), policy, logged, plan.readAhead(), state.events::add,
        Dispatcher.helperAfter(cfg), startHelper);
    dispatcher.input(input);
    loop = new EventLoop(state, dispatcher, accounting, stopper, helpers, plan.hosts, printer,
        input, progress, stall, usage, count);
    readerThread = new Thread(() -> input.run(reader, builder), "jpack-input");
    readerThread.setDaemon(true);
    readerThread.start();
  }

  /**
   * Closes what the run opened, in this order (the output before its files go, the helper and
   * the workers before the watchdog's last sweep), every step even when one before it throws.
   */
  private void close() throws IOException {
    new Closing()
        .then(() -> {
          if (accounting != null) {
            accounting.flush();
          }
        })
        .then(count::close)
        .thenClose(spool)
        .then(() -> {
          if (joblog != null) {
            joblog.close();
          }
        })
        .thenClose(results)
        .then(() -> {
          if (stopper != null) {
            stopper.close();
          }
        })
        .thenClose(local)
        .then(helpers::close)
        .then(() -> {
          if (dispatcher != null) {
            dispatcher.endWorkers();
          }
        })
        .then(() -> {
          if (sshMasters != null) {
            sshMasters.close();
          }
        })
        .then(() -> {
          if (watchdogStart != null) {
            Task.joinQuietly(watchdogStart);
          }
          if (watchdog != null) {
            watchdog.close();
          }
        })
        .then(() -> {
          if (in != null && in != stdin) {
            in.close();
          } else if (in != null && startPosition >= 0 && input != null && input.stopped()) {
            Seekable.rewind(in, startPosition + reader.consumed());
          }
        })
        .run();
  }

  private int exitCode() {
    if (stopper.signalled() != 0) {
      return ExitStatus.signalled(stopper.signalled());
    }
    if (accounting.outputError()) {
      return ExitStatus.FAILURE.code();
    }
    if (accounting.outputClosed()) {
      return ExitStatus.OUTPUT_CLOSED.code();
    }
    Tally tally = accounting.tally;
    if (stopper.deadlineHit() && (tally.killed > 0 || !state.pending.isEmpty()
        || !state.inputDone)) {
      if (tally.succeeded + tally.failed == 0 && tally.longestStopped != null) {
        // Nothing finished in a whole job: running it again would do the same, forever.
        printer.message("jpack: nothing finished before the deadline: task "
            + tally.longestStopped.seq() + " (" + ShellQuote.join(tally.longestStopped.argv())
            + ") ran " + String.format(Locale.ROOT, "%.0f", tally.longestStoppedNanos / 1e9)
            + " s and was stopped; it cannot finish within this job's time: give the job more"
            + " time or split the task (not asking to be run again: exit 1)");
        return ExitStatus.FAILURE.code();
      }
      return ExitStatus.INCOMPLETE.code();
    }
    if (stopper.drained() && (tally.killed > 0 || !state.pending.isEmpty() || !state.inputDone)) {
      return ExitStatus.INCOMPLETE.code(); // drained with work left: run again
    }
    return state.outcome.status().code();
  }

  /**
   * One line on stderr when anything failed or was left undone, always with --summary, and
   * always in a batch job whose stderr is a log (what happened, in the job's output file).
   */
  private void summary(int code) {
    Tally tally = accounting.tally;
    long notStarted = state.pending.size();
    boolean batchLog = BatchJob.inBatchJob(System.getenv()) && !LimitsProbe.stderrIsTerminal();
    boolean outputClosed = accounting.outputClosed();
    if (!policy.summary() && !batchLog && tally.failed == 0 && tally.killed == 0
        && notStarted == 0 && !stopper.deadlineHit() && !stopper.drained()
        && input.alreadyFailed() == 0
        && (state.inputDone || outputClosed)) {
      return;
    }
    if (outputClosed && !policy.summary()) {
      return;
    }
    printer.message(tally.summary(notStarted, state.inputDone, input.alreadyDone(),
        input.alreadyFailed(), input.failedSeqs(), (System.nanoTime() - state.startNanos) / 1e9,
        policy.joblog(), code, usage.oomKills(), usage.summary()));
  }
}
