package jpack.app;

import java.util.Arrays;
import java.util.Random;

/**
 * Runtimes of successful tasks, for --timeout N% (the median) and the deadline (a high quantile):
 * a sorted uniform sample of at most 4096 of them, so memory and cost stay bounded.
 */
final class Runtimes {
  private static final int CAPACITY = 4096;
  private final long[] sorted = new long[CAPACITY];
  private final Random random = new Random(1);
  private int size;
  private long seen;

  void add(long nanos) {
    seen++;
    if (size == CAPACITY) {
      if (random.nextLong(seen) >= CAPACITY) {
        return; // reservoir sampling: keep each runtime with probability CAPACITY/seen
      }
      int victim = random.nextInt(size);
      System.arraycopy(sorted, victim + 1, sorted, victim, size - victim - 1);
      size--;
    }
    int at = Arrays.binarySearch(sorted, 0, size, nanos);
    if (at < 0) {
      at = -at - 1;
    }
    System.arraycopy(sorted, at, sorted, at + 1, size - at);
    sorted[at] = nanos;
    size++;
  }

  long count() {
    return seen;
  }

  /** The q-quantile (0..1) in nanoseconds; 0 with no sample. */
  long quantile(double q) {
    if (size == 0) {
      return 0;
    }
    return sorted[(int) Math.min(size - 1, Math.floor(q * size))];
  }
}
