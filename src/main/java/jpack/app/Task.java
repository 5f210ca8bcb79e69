package jpack.app;

import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import jpack.app.Event.Ready;
import jpack.exec.ProcessTree;
import jpack.output.LinePump;

/** A task that was started and has not been accounted for yet. */
final class Task {
  final Ready ready;
  final int slot;
  /** The index of the host it runs on, or -1 here. */
  int host = -1;
  List<String> argv;
  /** With --worker: the task's output file (closed at its end) and the status reported. */
  OutputStream workerSink;
  int workerStatus;
  /** With --worker: the worker died in the task (its status is the JDK's exit value). */
  boolean workerDied;
  volatile long startMillis = System.currentTimeMillis();
  volatile long startNanos = System.nanoTime();
  /** The spool files it writes (a slot has several, see SlotQueues.nextSpool). */
  int spoolSlot;
  /** Started by jpack-spawn, and whether it has not started there yet (it waits its turn). */
  boolean viaHelper;
  volatile boolean waiting;
  boolean recalled;
  volatile Process process;
  private ProcessTree tree;
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
  /** When jpack stopped it (System.nanoTime). */
  long interruptedNanos;

  Task(Ready ready, int slot) {
    this.ready = ready;
    this.slot = slot;
  }

  long seq() {
    return ready.seq();
  }

  /** The task's process tree; null while its process is still being started. */
  ProcessTree tree() {
    if (tree == null && process != null) {
      try {
        tree = new ProcessTree(process.toHandle());
      } catch (UnsupportedOperationException gone) {
        return null; // started by the helper, and already ended (or never started)
      }
    }
    return tree;
  }

  void term() {
    if (tree() != null) {
      tree.term();
    } else if (process != null) {
      process.destroy(); // jpack-spawn's, not started yet: dropped
    }
  }

  void kill() {
    if (tree() != null) {
      tree.kill();
    } else if (process != null) {
      process.destroyForcibly();
    }
  }

  List<String> argv() {
    return argv;
  }
}
