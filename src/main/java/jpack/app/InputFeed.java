package jpack.app;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import jpack.app.Event.InputEnd;
import jpack.app.Event.Ready;
import jpack.command.Command;
import jpack.command.CommandBuilder;
import jpack.command.CommandLineException;
import jpack.command.ShellQuote;
import jpack.config.Policy;
import jpack.config.Resources;
import jpack.input.InputException;
import jpack.input.ItemReader;
import jpack.joblog.LoggedTasks;

/**
 * The input side of a run, on the reader thread: items (or a sweep's rows, GNU parallel's input
 * sources, one command each) become command lines, numbered and sent to the event loop as Ready
 * events, then an InputEnd. When resuming, the commands the job log
 * has as done are left out, and those within the log's range are held back until the whole
 * range has been checked against it, so a changed input or command is refused before anything
 * runs. The reader stays at most readAhead commands ahead of the tasks started: it takes its
 * permits a batch at a time, and the event loop gives them back so (each release one by one
 * woke the reader for nothing: two context switches a task, on a core a task could use).
 */
final class InputFeed {
  private final Resources resources;
  private final Policy policy;
  private final LoggedTasks logged;
  private final Consumer<Event> events;
  private final long manyAfter;
  private final Runnable onMany;
  private final Semaphore readAhead;
  private final int batch;
  private final List<Ready> hold = new ArrayList<>();
  private final AtomicLong alreadyDone = new AtomicLong();
  private final AtomicLong alreadyFailed = new AtomicLong();
  /** The first few failed tasks the job log has (read by the event loop after the input ends). */
  private final List<Long> failedSeqs = java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong emitted = new AtomicLong();
  private volatile boolean stopped;
  private long seq;
  /** Permits the reader holds and has not used yet. */
  private int permits;
  /** Permits of tasks started since the event loop last gave some back (event loop only). */
  private int used;

  /**
   * @param logged the job log's tasks when resuming, else null
   * @param manyAfter onMany runs (on the reader thread) when this many commands were sent
   */
  InputFeed(Resources resources, Policy policy, LoggedTasks logged, int readAhead,
      Consumer<Event> events, long manyAfter, Runnable onMany) {
    this.resources = resources;
    this.policy = policy;
    this.logged = logged;
    this.events = events;
    this.manyAfter = manyAfter;
    this.onMany = onMany;
    this.readAhead = new Semaphore(readAhead);
    this.batch = Math.max(1, readAhead / 4);
  }

  /** The reader thread's work: reads until the input ends, an error, or {@link #stop}. */
  void run(ItemReader reader, CommandBuilder builder) {
    String error = null;
    try {
      loop:
      while (!stopped) {
        switch (reader.next()) {
          case ITEM:
            builder.item(reader.item());
            break;
          case LINE_END:
            builder.lineEnd();
            break;
          case ROW:
            if (!resources.mine(seq + 1)) {
              seq++; // another shard's task: its command need not be built
              continue;
            }
            builder.row(reader.row(), reader.names());
            break;
          case EOF:
            builder.finish();
            stopped = true;
            break loop;
          default:
            throw new AssertionError();
        }
        offer(builder, reader.itemLine());
      }
    } catch (InputException e) {
      builder.flushIfPossible();
      error = e.getMessage();
    } catch (CommandLineException e) {
      error = e.getMessage();
    } catch (java.nio.channels.ClosedByInterruptException e) {
      return; // the run is stopping (a read from a pipe or terminal ended by the interrupt)
    } catch (IOException e) {
      error = "reading the input: " + e.getMessage();
    } catch (ChangedInputException e) {
      events.accept(new InputEnd(e.getMessage()));
      return;
    } catch (InterruptedException e) {
      return; // the run is stopping: nobody waits for more
    }
    try {
      offer(builder, reader.itemLine());
      release();
      readAhead.release(permits); // a batch's permits the reader did not use
      permits = 0;
    } catch (InterruptedException e) {
      return;
    } catch (ChangedInputException e) {
      events.accept(new InputEnd(e.getMessage()));
      return;
    }
    events.accept(new InputEnd(error));
  }

  /** Reads no more (the run is stopping; also set at the end of the input). */
  void stop() {
    stopped = true;
  }

  /** Whether reading stopped: the input ended, or the run stopped it. */
  boolean stopped() {
    return stopped;
  }

  /** How many commands were sent to the event loop. */
  long emitted() {
    return emitted.get();
  }

  /** How many commands the job log has as done (left out when resuming). */
  long alreadyDone() {
    return alreadyDone.get();
  }

  /** How many of those failed (--resume skips them, the exit status still says so). */
  long alreadyFailed() {
    return alreadyFailed.get();
  }

  /** The first few of them. */
  List<Long> failedSeqs() {
    synchronized (failedSeqs) {
      return new ArrayList<>(failedSeqs);
    }
  }

  /** The event loop started a command read from the input (not a retry). */
  void started() {
    used++;
  }

  /** The event loop gives back the permits of the commands started, a batch at a time. */
  void giveBack(boolean nothingPending) {
    if (used >= batch || used > 0 && nothingPending) {
      readAhead.release(used);
      used = 0;
    }
  }

  private void offer(CommandBuilder builder, long line)
      throws InterruptedException, ChangedInputException {
    for (Command c = builder.poll(); c != null; c = builder.poll()) {
      long n = ++seq;
      if (!resources.mine(n)) {
        continue;
      }
      if (logged == null) {
        emit(new Ready(n, c, 1, 0, -1, line));
        continue;
      }
      LoggedTasks.Status st = logged.status(n);
      if (st != LoggedTasks.Status.ABSENT && !policy.forceResume()) {
        List<String> argv = c.argvFor(n, -1);
        if (checkable(argv) && !logged.sameCommand(n, ShellQuote.join(argv))) {
          throw changed(n, argv);
        }
      }
      if (st == LoggedTasks.Status.SUCCEEDED
          || (st == LoggedTasks.Status.FAILED && policy.resume() == Policy.Resume.RESUME)) {
        alreadyDone.incrementAndGet();
        if (st == LoggedTasks.Status.FAILED && alreadyFailed.incrementAndGet() <= 5) {
          failedSeqs.add(n);
        }
        continue;
      }
      Ready r = new Ready(n, c, 1, 0, -1, line);
      if (r.seq() <= logged.maxSeq()) {
        hold.add(r);
      } else {
        release();
        emit(r);
      }
    }
  }

  /** Whether a command can be checked against the log ({%}, the slot, is not known yet). */
  private static boolean checkable(List<String> argv) {
    for (int i = 0; i < argv.size(); i++) {
      if (argv.get(i).contains("{%}")) {
        return false;
      }
    }
    return true;
  }

  private ChangedInputException changed(long seq, List<String> argv) {
    return new ChangedInputException("task " + seq + " in the job log '" + policy.joblog()
        + "' ran another command than this run's (" + ShellQuote.join(argv) + "): the input or"
        + " the command changed since the log was written; use --force-resume to resume by"
        + " sequence number anyway, or a new --joblog");
  }

  private void release() throws InterruptedException {
    for (Ready r : hold) {
      emit(r);
    }
    hold.clear();
  }

  private void emit(Ready r) throws InterruptedException {
    if (permits == 0) {
      readAhead.acquire(batch);
      permits = batch;
    }
    permits--;
    if (emitted.incrementAndGet() == manyAfter) {
      onMany.run();
    }
    events.accept(r);
  }

  /** The log's command for a Seq is not this run's: the input or the command changed. */
  private static final class ChangedInputException extends Exception {
    ChangedInputException(String message) {
      super(message);
    }
  }
}
