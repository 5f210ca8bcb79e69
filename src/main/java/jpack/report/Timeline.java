package jpack.report;

/**
 * The slots of a pack, reconstructed from its runs. The job log has no slot column, so each run
 * [start, start + runtime) is given a slot greedily: runs in order of start, each in the slot that
 * was freed earliest, or a new slot when none is free. That gives as many slots as the most runs
 * that were ever running at once (the fewest a pack could have done it with), though not
 * necessarily the slot each run really had. A slot counts as free for a run that starts up to
 * {@value #TOLERANCE_MS} ms before the previous run's logged end: the log's times are
 * milliseconds, the start truncated and the runtime rounded, so a task that started the moment
 * its predecessor ended may look as if it started a moment before.
 *
 * <p>For a picture of a big pack, the time axis of each row is cut into columns and each cell
 * keeps how busy it was (busy milliseconds) and the worst failure that ended in it; a row may
 * stand for several slots (its busy time is then theirs together).
 */
final class Timeline {
  static final int TOLERANCE_MS = 3;

  private final Runs runs;
  private final Runs.Group g;
  /** The slots (the most runs at once). */
  int slots;
  /** Slot-milliseconds idle after the last run started, until the last run ended. */
  long tailWasteMs;

  // the picture: rows x cols cells, or bars
  int slotsPerRow = 1;
  int rows;
  int cols;
  double colMs;
  double[] cellBusyMs;
  byte[] cellFail;
  /** With bars: the slot of each run of the group (index - g.from), in start order. */
  int[] slotOf;

  Timeline(Runs runs, Runs.Group g) {
    this.runs = runs;
    this.g = g;
    sort(runs.start, runs.dur, runs.cause, g.from, g.to - 1);
    slots = assign(false);
    tailWasteMs = tailWaste();
  }

  /** Lays the picture out: cols cells a row, slotsPerRow slots a row; bars: one rect a run. */
  void picture(int slotsPerRow, int cols, boolean bars) {
    this.slotsPerRow = slotsPerRow;
    this.rows = (slots + slotsPerRow - 1) / slotsPerRow;
    this.cols = cols;
    long span = Math.max(1, g.makespanMs());
    this.colMs = (double) span / cols;
    if (bars) {
      slotOf = new int[g.to - g.from];
    } else {
      cellBusyMs = new double[rows * cols];
      cellFail = new byte[rows * cols];
    }
    assign(true);
  }

  /** The greedy assignment; with fill, it also draws the runs into the picture. */
  private int assign(boolean fill) {
    long[] start = runs.start;
    int[] dur = runs.dur;
    int cap = Math.max(16, fill ? slots : 16);
    long[] heapEnd = new long[cap];
    int[] heapSlot = new int[cap];
    int size = 0;
    int[] full = fill && cellBusyMs != null ? new int[rows * cols + 1] : null;
    for (int i = g.from; i < g.to; i++) {
      long s = start[i];
      long e = s + dur[i];
      int slot;
      if (size > 0 && heapEnd[0] <= s + TOLERANCE_MS) {
        slot = heapSlot[0];
        heapEnd[0] = e;
        siftDown(heapEnd, heapSlot, size, 0);
      } else {
        slot = size;
        if (size == heapEnd.length) {
          heapEnd = java.util.Arrays.copyOf(heapEnd, size * 2);
          heapSlot = java.util.Arrays.copyOf(heapSlot, size * 2);
        }
        heapEnd[size] = e;
        heapSlot[size] = slot;
        siftUp(heapEnd, heapSlot, size);
        size++;
      }
      if (fill) {
        if (slotOf != null) {
          slotOf[i - g.from] = slot;
        } else {
          draw(slot / slotsPerRow, s - g.minStart, e - g.minStart, runs.cause[i], full);
        }
      }
    }
    if (full != null) {
      for (int r = 0; r < rows; r++) {
        int running = 0;
        for (int c = 0; c < cols; c++) {
          running += full[r * cols + c];
          cellBusyMs[r * cols + c] += running * colMs;
        }
      }
    }
    return size;
  }

  /**
   * Adds [s, e) (ms from the group's start) to row r: partial cells at its ends, and +1/-1 in
   * full (per row, summed along it afterwards) for the cells it covers whole.
   */
  private void draw(int r, long s, long e, byte cause, int[] full) {
    int base = r * cols;
    int cs = Math.min(cols - 1, (int) (s / colMs));
    int ce = Math.min(cols - 1, (int) (e / colMs));
    if (cs == ce) {
      cellBusyMs[base + cs] += e - s;
    } else {
      cellBusyMs[base + cs] += (cs + 1) * colMs - s;
      cellBusyMs[base + ce] += e - ce * colMs;
      full[base + cs + 1]++;
      full[base + ce]--;
    }
    if (cause != Runs.OK && cause > cellFail[base + ce]) {
      cellFail[base + ce] = cause;
    }
  }

  /** Idle slot-ms after the last start: slots x (end - last start) less the runs' time there. */
  private long tailWaste() {
    if (g.runs() == 0) {
      return 0;
    }
    long last = g.lastStart;
    long busy = 0;
    for (int i = g.from; i < g.to; i++) {
      long e = runs.start[i] + runs.dur[i];
      if (e > last) {
        busy += e - Math.max(last, runs.start[i]);
      }
    }
    return Math.max(0, slots * (g.maxEnd - last) - busy);
  }

  private static void siftUp(long[] k, int[] v, int i) {
    while (i > 0) {
      int p = (i - 1) >>> 1;
      if (k[p] < k[i] || k[p] == k[i] && v[p] <= v[i]) {
        return;
      }
      swap(k, v, p, i);
      i = p;
    }
  }

  private static void siftDown(long[] k, int[] v, int size, int i) {
    while (true) {
      int l = 2 * i + 1;
      if (l >= size) {
        return;
      }
      int m = l + 1 < size && less(k, v, l + 1, l) ? l + 1 : l;
      if (!less(k, v, m, i)) {
        return;
      }
      swap(k, v, m, i);
      i = m;
    }
  }

  /** Earlier end first; between equal ends, the lower slot (so the assignment is repeatable). */
  private static boolean less(long[] k, int[] v, int a, int b) {
    return k[a] < k[b] || k[a] == k[b] && v[a] < v[b];
  }

  private static void swap(long[] k, int[] v, int a, int b) {
    long t = k[a];
    k[a] = k[b];
    k[b] = t;
    int u = v[a];
    v[a] = v[b];
    v[b] = u;
  }

  /** Sorts [lo, hi] of the three arrays together by start (quicksort, no extra array). */
  static void sort(long[] key, int[] a, byte[] b, int lo, int hi) {
    while (hi - lo > 24) {
      int mid = (lo + hi) >>> 1;
      // median of three as the pivot
      if (key[mid] < key[lo]) {
        swap3(key, a, b, mid, lo);
      }
      if (key[hi] < key[lo]) {
        swap3(key, a, b, hi, lo);
      }
      if (key[hi] < key[mid]) {
        swap3(key, a, b, hi, mid);
      }
      long pivot = key[mid];
      int i = lo - 1;
      int j = hi + 1;
      while (true) {
        do {
          i++;
        } while (key[i] < pivot);
        do {
          j--;
        } while (key[j] > pivot);
        if (i >= j) {
          break;
        }
        swap3(key, a, b, i, j);
      }
      if (j - lo < hi - j) {
        sort(key, a, b, lo, j);
        lo = j + 1;
      } else {
        sort(key, a, b, j + 1, hi);
        hi = j;
      }
    }
    for (int i = lo + 1; i <= hi; i++) {
      long k = key[i];
      int av = a[i];
      byte bv = b[i];
      int j = i - 1;
      while (j >= lo && key[j] > k) {
        key[j + 1] = key[j];
        a[j + 1] = a[j];
        b[j + 1] = b[j];
        j--;
      }
      key[j + 1] = k;
      a[j + 1] = av;
      b[j + 1] = bv;
    }
  }

  private static void swap3(long[] key, int[] a, byte[] b, int i, int j) {
    long k = key[i];
    key[i] = key[j];
    key[j] = k;
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
    byte u = b[i];
    b[i] = b[j];
    b[j] = u;
  }
}
