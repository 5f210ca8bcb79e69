package jpack.app;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Which tasks hold which slot. A slot's first task runs; with jpack-spawn, up to {@code depth}
 * more may wait behind it (in the helper) to start the moment it ends, with no round trip through
 * the event loop. A slot's tasks write its spool files in turn ({@code depth + 1} of them), so a
 * task may start while the output of the one before is still to be read.
 *
 * @param <T> the task type
 */
final class SlotQueues<T> {
  private final int depth;
  private final BitSet busy = new BitSet();
  private final ArrayList<ArrayDeque<T>> onSlot = new ArrayList<>();
  private int waiting;
  private int[] spoolTurn = new int[8];

  SlotQueues(int depth) {
    this.depth = depth;
  }

  /** The slots that hold a task (for choosing a free one). */
  BitSet busy() {
    return busy;
  }

  /** How many tasks wait behind another on their slot. */
  int waiting() {
    return waiting;
  }

  /** Adds the task to the slot; returns whether it waits behind another there. */
  boolean add(int slot, T task) {
    while (onSlot.size() <= slot) {
      onSlot.add(new ArrayDeque<>(depth + 1));
    }
    boolean behind = busy.get(slot);
    busy.set(slot);
    onSlot.get(slot).addLast(task);
    if (behind) {
      waiting++;
    }
    return behind;
  }

  /**
   * The task leaves its slot (it ended, could not start, or was taken back); the next one, if
   * any, holds the slot now. Returns false if it held none.
   */
  boolean remove(int slot, T task) {
    if (slot >= onSlot.size()) {
      return false;
    }
    ArrayDeque<T> q = onSlot.get(slot);
    boolean head = q.peekFirst() == task;
    if (!q.remove(task)) {
      return false;
    }
    if (!head || !q.isEmpty()) {
      waiting--; // it waited, or the next one holds the slot now
    }
    if (q.isEmpty()) {
      busy.clear(slot);
    }
    return true;
  }

  /**
   * A slot where one more task may wait: among those whose running task may have followers
   * (canLead), the one with the fewest waiting, then the one whose task started first; -1 when
   * every such slot is full.
   */
  int slotToWaitOn(Predicate<T> canLead, ToLongFunction<T> startNanos) {
    int best = -1;
    int fewest = depth + 1;
    long oldest = Long.MAX_VALUE;
    for (int slot = 0; slot < onSlot.size(); slot++) {
      ArrayDeque<T> q = onSlot.get(slot);
      T head = q.peekFirst();
      if (head == null || q.size() > depth || q.size() > fewest || !canLead.test(head)) {
        continue;
      }
      long started = startNanos.applyAsLong(head);
      if (q.size() == fewest && started >= oldest) {
        continue;
      }
      best = slot;
      fewest = q.size();
      oldest = started;
    }
    return best;
  }

  /** The tasks that wait behind another. */
  List<T> waitingTasks() {
    List<T> all = new ArrayList<>(waiting);
    for (ArrayDeque<T> q : onSlot) {
      boolean first = true;
      for (T t : q) {
        if (!first) {
          all.add(t);
        }
        first = false;
      }
    }
    return all;
  }

  /**
   * The spool index (files) for the slot's next task: the slot's first files when the slot is
   * free (the output before has been read), else the next of its files in turn, which no task
   * on the slot holds.
   */
  int nextSpool(int slot) {
    if (slot >= spoolTurn.length) {
      spoolTurn = Arrays.copyOf(spoolTurn, Math.max(slot + 1, spoolTurn.length * 2));
    }
    if (!busy.get(slot)) {
      spoolTurn[slot] = 0;
    }
    int index = (depth + 1) * slot + spoolTurn[slot];
    spoolTurn[slot] = (spoolTurn[slot] + 1) % (depth + 1);
    return index;
  }
}
