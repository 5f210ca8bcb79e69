package jpack.app;

import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import jpack.exec.LaunchException;
import jpack.exec.ProcessTree;
import jpack.exec.Worker;

/**
 * --worker: each slot's worker (started at the slot's first task, again after it died) and the
 * task it works on. The workers' reader threads report through {@link Events}; a task is
 * reported once, by whoever takes it back from its slot.
 *
 * @param <T> the task
 */
final class WorkerSlots<T> {
  /** A task ended: the status and output its worker reported, or (died) the worker's end. */
  interface Events<T> {
    void ended(T task, int status, boolean died);
  }

  private final List<String> command;
  private final Worker[] workers;
  private final AtomicReferenceArray<T> current;
  private final Events<T> events;

  WorkerSlots(List<String> command, int slots, Events<T> events) {
    this.command = List.copyOf(command);
    this.workers = new Worker[slots];
    this.current = new AtomicReferenceArray<>(slots);
    this.events = events;
  }

  /**
   * Hands task's line to the slot's worker, started first with env when the slot has none or
   * its worker died; the task's output goes to sink. Returns the worker's process (the task's,
   * for stopping it).
   */
  Process send(int slot, T task, String line, Map<String, String> env, OutputStream sink)
      throws LaunchException {
    for (int tries = 0; ; tries++) {
      Worker w = workers[slot];
      if (w == null || w.dead()) {
        w = Worker.start(command, env, listener(slot));
        workers[slot] = w;
      }
      current.set(slot, task);
      w.send(line, sink); // a worker that died reading it is reported by its reader
      // Died before its reader saw this task: whoever takes the task back owns it.
      if (!w.dead() || !current.compareAndSet(slot, task, null)) {
        return w.process();
      }
      workers[slot] = null;
      if (tries > 0) { // a worker that ends at once, twice: the task fails with its status
        events.ended(task, w.process().exitValue(), true);
        return w.process();
      }
    }
  }

  /** The slot's worker died (reported with its task): the slot's next task starts a new one. */
  void died(int slot) {
    workers[slot] = null;
  }

  /** At the end: every worker reads end-of-file and gets grace to exit, then KILL. */
  void finishAll(Duration grace) throws InterruptedException {
    for (Worker w : workers) {
      if (w != null) {
        w.finish();
      }
    }
    long until = System.nanoTime() + grace.toNanos();
    for (Worker w : workers) {
      if (w != null && !w.process().waitFor(Math.max(0, until - System.nanoTime()),
          TimeUnit.NANOSECONDS)) {
        new ProcessTree(w.process().toHandle()).kill();
      }
    }
  }

  private Worker.Listener listener(int slot) {
    return new Worker.Listener() {
      @Override
      public void done(int status) {
        T task = current.getAndSet(slot, null);
        if (task != null) { // else an end line for no task: not one to count
          events.ended(task, status, false);
        }
      }

      @Override
      public void died(int exitValue) {
        T task = current.getAndSet(slot, null);
        if (task != null) { // else it died idle: the slot's next task starts a new one
          events.ended(task, exitValue, true);
        }
      }
    };
  }
}
