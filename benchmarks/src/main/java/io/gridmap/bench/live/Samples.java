package io.gridmap.bench.live;

import java.util.Arrays;
import java.util.Locale;

/**
 * Delivery latencies, every one kept (a minute at 5,000 changes a second is 300,000 longs), so that
 * the percentiles are exact: the nearest-rank percentile of the sorted sample. {@link Sorted} is
 * also the cluster benchmark's ({@code io.gridmap.bench.cluster}).
 */
public final class Samples {
  private long[] latency = new long[1024];
  private long[] sentAt = new long[1024];
  private byte[] source = new byte[1024];
  private int size;

  synchronized void add(long sent, long millis, Ledger.Source from) {
    if (size == latency.length) {
      latency = Arrays.copyOf(latency, size * 2);
      sentAt = Arrays.copyOf(sentAt, size * 2);
      source = Arrays.copyOf(source, size * 2);
    }
    latency[size] = millis;
    sentAt[size] = sent;
    source[size] = (byte) from.ordinal();
    size++;
  }

  /** Which samples to take: sent in [from, to), of one source (null: any). */
  record Filter(long from, long to, Ledger.Source source) {}

  /** Appends the latencies that pass {@code filter} to {@code into}; returns it. */
  synchronized Sorted.Builder collect(Filter filter, Sorted.Builder into) {
    for (int i = 0; i < size; i++) {
      if (sentAt[i] >= filter.from()
          && sentAt[i] < filter.to()
          && (filter.source() == null || source[i] == filter.source().ordinal())) {
        into.add(latency[i]);
      }
    }
    return into;
  }

  /** A sorted sample of latencies (any unit: the caller's). */
  public static final class Sorted {
    private final long[] v;

    private Sorted(long[] v) {
      this.v = v;
    }

    public static final class Builder {
      private long[] v = new long[1024];
      private int n;

      public void add(long x) {
        if (n == v.length) {
          v = Arrays.copyOf(v, n * 2);
        }
        v[n++] = x;
      }

      public Sorted build() {
        long[] out = Arrays.copyOf(v, n);
        Arrays.sort(out);
        return new Sorted(out);
      }
    }

    public int count() {
      return v.length;
    }

    /** The nearest-rank percentile, {@code p} in (0, 100]; -1 when empty. */
    public long percentile(double p) {
      if (v.length == 0) {
        return -1;
      }
      int rank = (int) Math.ceil(p / 100 * v.length);
      return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }

    public long max() {
      return v.length == 0 ? -1 : v[v.length - 1];
    }

    /** "n=..., p50 ..., p90 ..., p99 ..., p99.9 ..., max ... ms". */
    String summary() {
      if (v.length == 0) {
        return "n=0";
      }
      return String.format(
          Locale.ROOT,
          "n=%,d  p50 %,d ms  p90 %,d ms  p99 %,d ms  p99.9 %,d ms  max %,d ms",
          v.length,
          percentile(50),
          percentile(90),
          percentile(99),
          percentile(99.9),
          max());
    }
  }
}
