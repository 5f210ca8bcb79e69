package jpack.app;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import jpack.command.Command;
import jpack.command.CommandBuilder;
import jpack.command.CommandLineException;
import jpack.command.ShellQuote;
import jpack.config.ExitStatus;
import jpack.config.OutputMode;
import jpack.config.RunConfig;
import jpack.config.SystemLimits;
import jpack.exec.ExitInfo;
import jpack.exec.LaunchException;
import jpack.exec.Launcher;
import jpack.exec.LimitsProbe;
import jpack.input.InputException;
import jpack.input.ItemReader;
import jpack.output.LinePump;
import jpack.output.OutputClosedException;
import jpack.output.Printer;
import jpack.output.Spool;

/**
 * Runs one jpack invocation: a reader thread turns input into command lines, and this thread, the
 * only one that starts tasks, prints their output and keeps the books, reacts to one queue of events
 * (a command is ready, a task ended, the input ended). At most -P tasks run at once.
 */
public final class Runner {
  private sealed interface Event permits Ready, Ended, InputEnd {}

  private record Ready(long seq, Command command) implements Event {
    List<String> argv() {
      return command.argv();
    }
  }

  private record Ended(Task task) implements Event {}

  /** The input is exhausted; error is the message that stopped it early, or null. */
  private record InputEnd(String error) implements Event {}

  /** A task that was started and has not been accounted for yet. */
  private static final class Task {
    final long seq;
    final Command command;
    final List<String> argv;
    final int slot;
    Process process;
    Thread[] pumpThreads;
    LinePump[] pumps;

    Task(long seq, Command command, int slot) {
      this.seq = seq;
      this.command = command;
      this.argv = command.argv();
      this.slot = slot;
    }
  }

  private final RunConfig cfg;
  private final InputStream stdin;
  private final Printer printer;
  private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Semaphore readAhead;
  private final ArrayDeque<Ready> pending = new ArrayDeque<>();
  private final BitSet slots = new BitSet();
  private final TreeMap<Long, Spool.Block> held = new TreeMap<>();
  private final Outcome outcome = new Outcome();

  private Spool spool;
  private Launcher launcher;
  private Thread readerThread;
  private volatile boolean stopInput;
  private int running;
  private long nextToPrint = 1;
  private boolean stopping;
  private boolean outputClosed;
  private BufferedReader tty;

  public Runner(
      RunConfig cfg, InputStream stdin, WritableByteChannel out, WritableByteChannel err) {
    this.cfg = cfg;
    this.stdin = stdin;
    this.printer = new Printer(out, err);
    this.readAhead = new Semaphore((int) Math.min(1024L, Math.max(16L, cfg.maxProcs() * 2L)));
  }

  /** The exec size limits of this process, for -s. */
  public static SystemLimits limits() {
    return LimitsProbe.probe();
  }

  /** Runs everything and returns the exit status. */
  public ExitStatus run() throws IOException {
    CommandBuilder builder;
    try {
      builder = new CommandBuilder(cfg.command(), cfg.grouping());
    } catch (CommandLineException e) {
      printer.message("jpack: " + e.getMessage());
      return ExitStatus.FAILURE;
    }
    InputStream in;
    try {
      in = cfg.input().argFile() == null ? stdin : Files.newInputStream(cfg.input().argFile());
    } catch (NoSuchFileException e) {
      printer.message("jpack: cannot open input file '" + cfg.input().argFile()
          + "': No such file or directory");
      return ExitStatus.FAILURE;
    } catch (IOException e) {
      printer.message("jpack: cannot open input file '" + cfg.input().argFile() + "': "
          + e.getMessage());
      return ExitStatus.FAILURE;
    }
    Redirect childStdin = cfg.openTty() ? Redirect.from(new File("/dev/tty"))
        : cfg.input().argFile() != null ? Redirect.INHERIT : Redirect.from(new File("/dev/null"));
    launcher = new Launcher(childStdin, cfg.processSlotVar(), null);
    if (cfg.output() == OutputMode.GROUP) {
      spool = new Spool(Spool.defaultParent());
    }
    long startPosition = positionOf(in);
    ItemReader reader = new ItemReader(in, cfg.input(), cfg.grouping().replace() != null,
        builder.maxItemLength(), w -> printer.message("jpack: " + w));
    readerThread = new Thread(() -> read(reader, builder), "jpack-input");
    readerThread.setDaemon(true);
    readerThread.start();
    try {
      loop();
    } finally {
      flushHeld();
      if (spool != null) {
        spool.close();
      }
      if (in != stdin) {
        in.close();
      } else if (startPosition >= 0 && stopInput) {
        rewind(in, startPosition + reader.consumed());
      }
    }
    return outputClosed ? ExitStatus.OUTPUT_CLOSED : outcome.status();
  }

  // ---- the input side (reader thread) -------------------------------------------------------

  private void read(ItemReader reader, CommandBuilder builder) {
    String error = null;
    long seq = 0;
    try {
      loop:
      while (!stopInput) {
        switch (reader.next()) {
          case ITEM:
            builder.item(reader.item());
            break;
          case LINE_END:
            builder.lineEnd();
            break;
          case EOF:
            builder.finish();
            stopInput = true;
            break loop;
          default:
            throw new AssertionError();
        }
        seq = offer(builder, seq);
      }
    } catch (InputException e) {
      builder.flushIfPossible();
      error = e.getMessage();
    } catch (CommandLineException e) {
      error = e.getMessage();
    } catch (IOException e) {
      error = "reading the input: " + e.getMessage();
    } catch (InterruptedException e) {
      return; // the run is stopping: nobody waits for more
    }
    try {
      offer(builder, seq);
    } catch (InterruptedException e) {
      return;
    }
    events.add(new InputEnd(error));
  }

  private long offer(CommandBuilder builder, long seq) throws InterruptedException {
    for (Command argv = builder.poll(); argv != null; argv = builder.poll()) {
      readAhead.acquire();
      events.add(new Ready(++seq, argv));
    }
    return seq;
  }

  // ---- the event loop (main thread) ---------------------------------------------------------

  private void loop() throws IOException {
    boolean inputDone = false;
    while (running > 0 || !(stopping || (inputDone && pending.isEmpty()))) {
      Event ev;
      try {
        ev = rampingUp() ? events.poll(rampUpLeftNanos(), TimeUnit.NANOSECONDS) : events.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop();
        break;
      }
      if (ev == null) {
        firstTaskStart = RAMP_UP_OVER; // the first task has run a second: start the others
      } else if (ev instanceof Ready r) {
        pending.add(r);
      } else if (ev instanceof Ended e) {
        finish(e.task());
      } else if (ev instanceof InputEnd end) {
        inputDone = true;
        if (end.error() != null) {
          printer.message("jpack: " + end.error());
          outcome.fatal(ExitStatus.FAILURE);
        }
      }
      startWhatFits();
    }
    stopInput = true;
    readerThread.interrupt();
  }

  private static final long RAMP_UP_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long RAMP_UP_OVER = Long.MIN_VALUE;
  private long firstTaskStart;
  private boolean firstStarted;

  private boolean rampingUp() {
    return cfg.rampUp() && firstStarted && firstTaskStart != RAMP_UP_OVER;
  }

  private long rampUpLeftNanos() {
    return Math.max(1, RAMP_UP_NANOS - (System.nanoTime() - firstTaskStart));
  }

  private void startWhatFits() throws IOException {
    int limit = rampingUp() ? 1 : cfg.maxProcs();
    while (!stopping && running < limit && !pending.isEmpty()) {
      Ready r = pending.poll();
      readAhead.release();
      if (!start(r)) {
        return;
      }
    }
  }

  /** Starts one task; false when it must wait for a running task to end (out of processes). */
  private boolean start(Ready r) throws IOException {
    if (cfg.interactive()) {
      if (!confirm(r.argv())) {
        complete(r.seq(), null);
        return true;
      }
    } else if (cfg.verbose()) {
      printer.message(ShellQuote.join(r.argv()));
    }
    int slot = slots.nextClearBit(0);
    Task t = new Task(r.seq(), r.command(), slot);
    Redirect out;
    Redirect err;
    switch (cfg.output()) {
      case GROUP:
        out = Redirect.to(spool.stdoutOf(slot));
        err = Redirect.to(spool.stderrOf(slot));
        break;
      case LINE:
        out = Redirect.PIPE;
        err = Redirect.PIPE;
        break;
      default:
        out = Redirect.INHERIT;
        err = Redirect.INHERIT;
    }
    try {
      t.process = launcher.start(r.argv(), slot, out, err);
    } catch (LaunchException e) {
      if (e.kind() == LaunchException.Kind.RESOURCES && running > 0) {
        pending.addFirst(r); // wait for a running task to end, then try again
        return false;
      }
      printer.message("jpack: " + e.getMessage());
      outcome.fatal(e.kind() == LaunchException.Kind.NOT_FOUND
          ? ExitStatus.NOT_FOUND : ExitStatus.CANNOT_RUN);
      complete(r.seq(), null);
      stop();
      return false;
    }
    slots.set(slot);
    running++;
    if (!firstStarted) {
      firstStarted = true;
      firstTaskStart = System.nanoTime();
    }
    if (cfg.output() == OutputMode.LINE) {
      startPumps(t);
    }
    t.process.onExit().thenRun(() -> events.add(new Ended(t)));
    return true;
  }

  private void startPumps(Task t) {
    byte[] prefix = cfg.tag()
        ? (t.command.tag() + "\t").getBytes(StandardCharsets.ISO_8859_1) : null;
    t.pumps = new LinePump[] {
      new LinePump(t.process.getInputStream(), printer, true, prefix),
      new LinePump(t.process.getErrorStream(), printer, false, prefix)
    };
    t.pumpThreads = new Thread[2];
    for (int i = 0; i < 2; i++) {
      t.pumpThreads[i] = new Thread(t.pumps[i], "jpack-pump-" + t.seq + "-" + i);
      t.pumpThreads[i].setDaemon(true);
      t.pumpThreads[i].start();
    }
  }

  private void finish(Task t) throws IOException {
    running--;
    firstTaskStart = RAMP_UP_OVER;
    slots.clear(t.slot);
    if (t.pumpThreads != null) {
      for (int i = 0; i < 2; i++) {
        joinQuietly(t.pumpThreads[i]);
        if (t.pumps[i].failure() instanceof OutputClosedException) {
          closed();
        }
      }
    }
    ExitInfo exit = ExitInfo.fromJdk(t.process.exitValue());
    if (cfg.tag()) {
      tags.put(t.seq, t.command.tag());
    }
    if (spool != null) {
      Spool.Block block = cfg.keepOrder() && t.seq != nextToPrint
          ? spool.hold(t.slot, t.seq) : spool.inPlace(t.slot);
      complete(t.seq, block);
    } else {
      complete(t.seq, null);
    }
    String program = t.argv.get(0);
    if (exit.signal() != 0) {
      printer.message("jpack: " + program + ": terminated by signal " + exit.signal());
      outcome.fatal(ExitStatus.TASK_SIGNALLED);
      stop();
    } else if (exit.exitCode() == 255) {
      printer.message("jpack: " + program + ": exited with status 255; aborting");
      outcome.fatal(ExitStatus.TASK_EXIT_255);
      stop();
    } else if (exit.exitCode() != 0) {
      outcome.taskFailed();
    }
  }

  /** Task seq is over: print its block now, or hold it until every earlier task has printed. */
  private void complete(long seq, Spool.Block block) throws IOException {
    if (!cfg.keepOrder()) {
      print(seq, block);
      return;
    }
    if (seq != nextToPrint) {
      held.put(seq, block == null ? EMPTY : block);
      return;
    }
    print(seq, block);
    nextToPrint++;
    for (var e = held.firstEntry(); e != null && e.getKey() == nextToPrint; e = held.firstEntry()) {
      held.pollFirstEntry();
      print(e.getKey(), e.getValue() == EMPTY ? null : e.getValue());
      nextToPrint++;
    }
  }

  private static final Spool.Block EMPTY = new Spool.Block(null, null, false);

  private void print(long seq, Spool.Block block) throws IOException {
    if (block == null) {
      return;
    }
    try {
      if (!outputClosed) {
        printer.block(block, cfg.tag() ? tagOf(seq) : null);
      }
    } catch (OutputClosedException e) {
      closed();
    } finally {
      block.discard();
    }
  }

  private final java.util.HashMap<Long, String> tags = new java.util.HashMap<>();

  private String tagOf(long seq) {
    String tag = tags.remove(seq);
    return tag == null ? "" : tag;
  }

  /** After a stop, whatever was held prints in order. */
  private void flushHeld() throws IOException {
    while (!held.isEmpty()) {
      var e = held.pollFirstEntry();
      print(e.getKey(), e.getValue() == EMPTY ? null : e.getValue());
    }
  }

  /** jpack's stdout is gone: start nothing more, end the running tasks, exit quietly. */
  private void closed() {
    outputClosed = true;
    stop();
    ProcessHandle.current().children().forEach(ProcessHandle::destroy);
  }

  private void stop() {
    stopping = true;
    stopInput = true;
    if (readerThread != null) {
      readerThread.interrupt();
    }
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
    return answer != null && !answer.isEmpty() && (answer.charAt(0) == 'y' || answer.charAt(0) == 'Y');
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
