package jpack.app;

import java.io.IOException;
import java.util.TreeMap;
import jpack.output.Spool;

/**
 * When each finished task's output is printed: at once, or with -k in input order, each block
 * as soon as every earlier task has printed (later ones wait here, by sequence number).
 */
final class OutputOrder {
  /** Prints one task's block (null: nothing to print, but the task is done). */
  interface Sink {
    void print(long seq, Spool.Block block) throws IOException;
  }

  private final boolean keepOrder;
  private final Sink sink;
  private final TreeMap<Long, Spool.Block> held = new TreeMap<>();
  private long next = 1;

  OutputOrder(boolean keepOrder, Sink sink) {
    this.keepOrder = keepOrder;
    this.sink = sink;
  }

  /** Whether task seq's block would wait for earlier tasks (so the spool should hold it). */
  boolean mustWait(long seq) {
    return keepOrder && seq != next;
  }

  /** Task seq is over: its block prints now, or waits until every earlier task has printed. */
  void complete(long seq, Spool.Block block) throws IOException {
    if (!keepOrder) {
      sink.print(seq, block);
      return;
    }
    if (seq != next) {
      held.put(seq, block == null ? Spool.Block.EMPTY : block);
      return;
    }
    sink.print(seq, block);
    next++;
    for (var e = held.firstEntry(); e != null && e.getKey() == next; e = held.firstEntry()) {
      held.pollFirstEntry();
      sink.print(e.getKey(), orNull(e.getValue()));
      next++;
    }
  }

  /** After a stop, whatever waits prints in order. */
  void flush() throws IOException {
    while (!held.isEmpty()) {
      var e = held.pollFirstEntry();
      sink.print(e.getKey(), orNull(e.getValue()));
    }
  }

  private static Spool.Block orNull(Spool.Block b) {
    return b == Spool.Block.EMPTY ? null : b;
  }
}
