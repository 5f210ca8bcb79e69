package jpack.report;

/**
 * Counts of non-negative values in bins of 0.5 % (exact below 200): quantiles to within 0.5 %
 * from a few thousand longs, whatever the number of values (10 million runtimes or peaks take no
 * more room than ten).
 */
final class LogHistogram {
  private static final int EXACT = 200;
  private static final double STEP = Math.log1p(0.005);
  private long[] counts = new long[EXACT + 64];
  private long n;
  private long min = Long.MAX_VALUE;
  private long max = Long.MIN_VALUE;
  private double sum;

  void add(long v) {
    if (v < 0) {
      v = 0;
    }
    int bin = bin(v);
    if (bin >= counts.length) {
      counts = java.util.Arrays.copyOf(counts, Math.max(bin + 1, counts.length * 2));
    }
    counts[bin]++;
    n++;
    sum += v;
    if (v < min) {
      min = v;
    }
    if (v > max) {
      max = v;
    }
  }

  void addAll(LogHistogram h) {
    if (h.counts.length > counts.length) {
      counts = java.util.Arrays.copyOf(counts, h.counts.length);
    }
    for (int i = 0; i < h.counts.length; i++) {
      counts[i] += h.counts[i];
    }
    n += h.n;
    sum += h.sum;
    min = Math.min(min, h.min);
    max = Math.max(max, h.max);
  }

  private static int bin(long v) {
    return v < EXACT ? (int) v : EXACT + (int) (Math.log((double) v / EXACT) / STEP);
  }

  /** The smallest value a bin holds. */
  private static double low(int bin) {
    return bin < EXACT ? bin : EXACT * Math.exp((bin - EXACT) * STEP);
  }

  long count() {
    return n;
  }

  long min() {
    return n == 0 ? 0 : min;
  }

  long max() {
    return n == 0 ? 0 : max;
  }

  double mean() {
    return n == 0 ? 0 : sum / n;
  }

  double sum() {
    return sum;
  }

  /** The q-quantile (0..1), nearest rank, within 0.5 %; the exact min and max at the ends. */
  double quantile(double q) {
    if (n == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(q * n));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        double v = i < EXACT ? i : (low(i) + low(i + 1)) / 2;
        return Math.max(min, Math.min(max, v));
      }
    }
    return max;
  }

  /**
   * The counts in k equal bins over [lo, hi] (the fine bins' middles decide where a count goes):
   * for a picture, not for figures.
   */
  long[] rebin(int k, double lo, double hi) {
    long[] out = new long[k];
    double width = (hi - lo) / k;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] == 0) {
        continue;
      }
      double v = i < EXACT ? i : (low(i) + low(i + 1)) / 2;
      int b = width <= 0 ? 0 : (int) ((v - lo) / width);
      out[Math.max(0, Math.min(k - 1, b))] += counts[i];
    }
    return out;
  }
}
