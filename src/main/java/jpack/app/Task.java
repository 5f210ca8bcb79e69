package jpack.app;

import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import jpack.app.Event.Ready;
import jpack.exec.ExitInfo;
import jpack.exec.Spawner;
import jpack.output.LinePump;

/** A task that was started and has not been accounted for yet. */
final class Task {
  final Ready ready;
  final int slot;
  /** The index of the host it runs on, or -1 here. */
  int host = -1;
  List<String> argv;
  /** --tag's or --tagstring's text for its lines, or null without either. */
  String tag;
  /** With --worker: the task's output file (closed at its end) and the status reported. */
  OutputStream workerSink;
  int workerStatus;
  /** With --worker: the worker died in the task (its status is the JDK's exit value). */
  boolean workerDied;
  volatile long startMillis = System.currentTimeMillis();
  volatile long startNanos = System.nanoTime();
  /** The spool files it writes (a slot has several, see SlotQueues.nextSpool). */
  int spoolSlot;
  /** Started by jpack-spawn (it may wait there for its slot). */
  boolean viaHelper;
  boolean recalled;
  /** The task as its starter holds it; null until it is started. */
  volatile Spawner.Job job;
  /** How it ended and whether processes outlived it, set by its starter before its Ended. */
  volatile ExitInfo exit;
  volatile boolean leftProcesses;
  Thread[] pumpThreads;
  LinePump[] pumps;
  ScheduledFuture<?> timeout;
  boolean timedOut;
  /** When --timeout stopped it (System.nanoTime). */
  long timedOutNanos;
  /** It died of a stop signal jpack did not send, and waits to be accounted (see Settle). */
  boolean settling;
  long settleNanos;
  boolean interrupted;
  /** The kernel's OOM killer ended it (its SIGKILL, the cgroup's counter rose). */
  boolean oomKilled;
  /** When jpack stopped it (System.nanoTime). */
  long interruptedNanos;

  Task(Ready ready, int slot) {
    this.ready = ready;
    this.slot = slot;
  }

  long seq() {
    return ready.seq();
  }

  void term() {
    Spawner.Job j = job;
    if (j != null) {
      j.term(); // one still being started is stopped as soon as it is (see Dispatcher.launched)
    }
  }

  void kill() {
    Spawner.Job j = job;
    if (j != null) {
      j.kill();
    }
  }

  List<String> argv() {
    return argv;
  }

  /** How the task's process ended, exactly where its starter knows. */
  ExitInfo exitInfo() {
    if (workerSink != null) {
      return workerDied ? ExitInfo.fromJdk(workerStatus) : ExitInfo.exited(workerStatus);
    }
    return exit;
  }

  /** Waits for a thread to end, keeping an interrupt for later. */
  static void joinQuietly(Thread t) {
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
}
