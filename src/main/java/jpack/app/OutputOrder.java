package jpack.app;

import java.io.IOException;
import java.util.TreeMap;
import jpack.output.Spool;

/**
 * When each finished task's output is printed: at once, or with -k in input order, each block
 * as soon as every earlier task has printed (later ones wait here, by sequence number). A task's
 * job-log line travels with its block: it is written only once the block is out (a log line means
 * the task is done and its output delivered).
 */
final class OutputOrder<L> {
  /**
   * Prints one task's block (null: nothing to print, but the task is done), then writes its
   * job-log line (null: none).
   */
  interface Sink<L> {
    void print(long seq, Spool.Block block, L logLine) throws IOException;
  }

  private record Held<L>(Spool.Block block, L logLine) {}

  private final boolean keepOrder;
  private final Sink<L> sink;
  private final TreeMap<Long, Held<L>> held = new TreeMap<>();
  private long next = 1;

  OutputOrder(boolean keepOrder, Sink<L> sink) {
    this.keepOrder = keepOrder;
    this.sink = sink;
  }

  /** Whether task seq's block would wait for earlier tasks (so the spool should hold it). */
  boolean mustWait(long seq) {
    return keepOrder && seq != next;
  }

  /** Task seq is over: its block prints now, or waits until every earlier task has printed. */
  void complete(long seq, Spool.Block block) throws IOException {
    complete(seq, block, null);
  }

  /** The same, with the job-log line to write once the block is out. */
  void complete(long seq, Spool.Block block, L logLine) throws IOException {
    if (!keepOrder) {
      sink.print(seq, block, logLine);
      return;
    }
    if (seq != next) {
      held.put(seq, new Held<>(block, logLine));
      return;
    }
    sink.print(seq, block, logLine);
    next++;
    for (var e = held.firstEntry(); e != null && e.getKey() == next; e = held.firstEntry()) {
      held.pollFirstEntry();
      sink.print(e.getKey(), e.getValue().block(), e.getValue().logLine());
      next++;
    }
  }

  /** After a stop, whatever waits prints in order. */
  void flush() throws IOException {
    while (!held.isEmpty()) {
      var e = held.pollFirstEntry();
      sink.print(e.getKey(), e.getValue().block(), e.getValue().logLine());
    }
  }
}
