package io.gridmap.importer.generate.plan;

/**
 * Splits a whole number into parts proportional to weights, so the parts add up exactly: the
 * largest-remainder (Hamilton) method, with per-part lower and upper bounds.
 */
public final class Apportion {
  private Apportion() {}

  /** Parts of {@code total} proportional to {@code weights}, each at least {@code min}. */
  public static long[] byWeight(long total, double[] weights, long min) {
    long[] lo = new long[weights.length];
    long[] hi = new long[weights.length];
    java.util.Arrays.fill(lo, min);
    java.util.Arrays.fill(hi, Long.MAX_VALUE / 4); // no upper bound
    return bounded(total, weights, lo, hi);
  }

  /**
   * Parts of {@code total} proportional to {@code weights} within [lo, hi] each. When the total is
   * outside [Σlo, Σhi] it is clamped to that range, so check the sum when that matters.
   */
  public static long[] bounded(long total, double[] weights, long[] lo, long[] hi) {
    int n = weights.length;
    long sumLo = 0;
    long sumHi = 0;
    for (int i = 0; i < n; i++) {
      sumLo += lo[i];
      sumHi = Math.min(Long.MAX_VALUE / 2, sumHi + Math.min(hi[i], Long.MAX_VALUE / 4));
    }
    long target = Math.max(sumLo, Math.min(sumHi, total));
    // water-filling: find the multiplier at which the clamped shares add up to the target
    double[] share = new double[n];
    double low = 0;
    double high = 1;
    while (clampedSum(weights, lo, hi, high) < target && high < 1e18) {
      high *= 2;
    }
    for (int it = 0; it < 200; it++) {
      double mid = (low + high) / 2;
      if (clampedSum(weights, lo, hi, mid) < target) {
        low = mid;
      } else {
        high = mid;
      }
    }
    long[] out = new long[n];
    long assigned = 0;
    for (int i = 0; i < n; i++) {
      share[i] = Math.max(lo[i], Math.min(hi[i], weights[i] * high));
      out[i] = Math.max(lo[i], Math.min(hi[i], (long) Math.floor(share[i])));
      assigned += out[i];
    }
    // hand out what is left by largest remainder, then take back any excess by smallest
    while (assigned < target) {
      int best = -1;
      for (int i = 0; i < n; i++) {
        if (out[i] < hi[i] && (best < 0 || share[i] - out[i] > share[best] - out[best])) {
          best = i;
        }
      }
      out[best]++;
      assigned++;
    }
    while (assigned > target) {
      int best = -1;
      for (int i = 0; i < n; i++) {
        if (out[i] > lo[i] && (best < 0 || share[i] - out[i] < share[best] - out[best])) {
          best = i;
        }
      }
      out[best]--;
      assigned--;
    }
    return out;
  }

  private static double clampedSum(double[] w, long[] lo, long[] hi, double k) {
    double s = 0;
    for (int i = 0; i < w.length; i++) {
      s += Math.max(lo[i], Math.min(hi[i], w[i] * k));
    }
    return s;
  }
}
