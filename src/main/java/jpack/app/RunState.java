package jpack.app;

import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import jpack.app.Event.Ready;

/**
 * The books the parts of a run share: the one queue of events, the commands waiting to start,
 * the tasks started and not yet accounted, and what they ran so far. Only the event-loop thread
 * touches them (other threads only add events).
 */
final class RunState {
  /** How many tasks may wait for one slot in jpack-spawn. */
  static final int QUEUE_DEPTH = 6;

  final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
  /** Commands ready to start, in order (a retry or a task taken back goes first). */
  final ArrayDeque<Ready> pending = new ArrayDeque<>();
  /** Started and not accounted yet, in start order. */
  final Set<Task> running = new LinkedHashSet<>();
  /** The tasks on each slot: one runs, and with jpack-spawn a few may wait behind it. */
  final SlotQueues<Task> slots = new SlotQueues<>(QUEUE_DEPTH);
  /** The runtimes of the tasks that succeeded (ramp-up, queueing, --timeout N%, the deadline). */
  final Runtimes runtimes = new Runtimes();
  final Outcome outcome = new Outcome();
  final long startNanos = System.nanoTime();
  /** The input has ended (all commands were read, or reading failed). */
  boolean inputDone;

  /** A task leaves its slot (ended, taken back, or never started). */
  void release(Task t) {
    running.remove(t);
    slots.remove(t.slot, t);
  }

  /** Whether nothing is left to do: no task runs and no command waits or will come. */
  boolean idle() {
    return running.isEmpty() && pending.isEmpty() && inputDone;
  }
}
