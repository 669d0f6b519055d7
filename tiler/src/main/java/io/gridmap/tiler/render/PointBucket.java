package io.gridmap.tiler.render;

import java.util.Arrays;

/**
 * The points of one bucket (a z16 tile: 4 × 4 of them make a z14 tile) that a point layer draws
 * individually: ordinals ascending, with what a tile writes of each, side by side in arrays so that
 * rendering a tile reads memory in order. Immutable; {@link Edit} makes the next one.
 */
final class PointBucket {
  final int[] ord;
  final double[] x;
  final double[] y;
  final long[] id;

  /** {@code width} attribute value ids per point ({@link ValueDictionary}; -1 for null). */
  final int[] attrs;

  PointBucket(int[] ord, double[] x, double[] y, long[] id, int[] attrs) {
    this.ord = ord;
    this.x = x;
    this.y = y;
    this.id = id;
    this.attrs = attrs;
  }

  int size() {
    return ord.length;
  }

  /** What one batch does to one bucket: ordinals leaving it, points entering it. */
  static final class Edit {
    private final int width;
    private int[] removed = new int[2];
    private int nRemoved;
    private int[] inOrd = new int[2];
    private double[] inX = new double[2];
    private double[] inY = new double[2];
    private long[] inId = new long[2];
    private int[] inAttrs;
    private int nIn;

    Edit(int width) {
      this.width = width;
      this.inAttrs = new int[2 * width];
    }

    void remove(int ordinal) {
      if (nRemoved == removed.length) {
        removed = Arrays.copyOf(removed, nRemoved * 2);
      }
      removed[nRemoved++] = ordinal;
    }

    void insert(int ordinal, double x, double y, long id, int[] attrs) {
      if (nIn == inOrd.length) {
        int n = nIn * 2;
        inOrd = Arrays.copyOf(inOrd, n);
        inX = Arrays.copyOf(inX, n);
        inY = Arrays.copyOf(inY, n);
        inId = Arrays.copyOf(inId, n);
        inAttrs = Arrays.copyOf(inAttrs, n * width);
      }
      inOrd[nIn] = ordinal;
      inX[nIn] = x;
      inY[nIn] = y;
      inId[nIn] = id;
      System.arraycopy(attrs, 0, inAttrs, nIn * width, width);
      nIn++;
    }

    /** The bucket after this edit; null when it is left empty. */
    PointBucket applyTo(PointBucket old) {
      int[] rem = Arrays.copyOf(removed, nRemoved);
      Arrays.sort(rem);
      long[] order = new long[nIn];
      for (int i = 0; i < nIn; i++) {
        order[i] = ((long) inOrd[i] << 32) | i;
      }
      Arrays.sort(order);
      int oldSize = old == null ? 0 : old.ord.length;
      int cap = oldSize + nIn;
      Builder b = new Builder(width, cap);
      int k = 0;
      for (int i = 0; i <= oldSize; i++) {
        int bound = i < oldSize ? old.ord[i] : Integer.MAX_VALUE;
        while (k < nIn && (int) (order[k] >>> 32) < bound) {
          int j = (int) order[k++];
          b.add(inOrd[j], inX[j], inY[j], inId[j], inAttrs, j * width);
        }
        if (i < oldSize && Arrays.binarySearch(rem, old.ord[i]) < 0) {
          b.add(old.ord[i], old.x[i], old.y[i], old.id[i], old.attrs, i * width);
        }
      }
      return b.build();
    }
  }

  /** Collects points in ordinal order into a bucket. */
  static final class Builder {
    private final int width;
    private int[] ord;
    private double[] x;
    private double[] y;
    private long[] id;
    private int[] attrs;
    private int n;

    Builder(int width, int capacity) {
      this.width = width;
      ord = new int[capacity];
      x = new double[capacity];
      y = new double[capacity];
      id = new long[capacity];
      attrs = new int[capacity * width];
    }

    void add(int o, double px, double py, long pid, int[] from, int at) {
      ord[n] = o;
      x[n] = px;
      y[n] = py;
      id[n] = pid;
      System.arraycopy(from, at, attrs, n * width, width);
      n++;
    }

    /** The bucket, or null when nothing was added. */
    PointBucket build() {
      if (n == 0) {
        return null;
      }
      if (n == ord.length) {
        return new PointBucket(ord, x, y, id, attrs);
      }
      return new PointBucket(
          Arrays.copyOf(ord, n),
          Arrays.copyOf(x, n),
          Arrays.copyOf(y, n),
          Arrays.copyOf(id, n),
          Arrays.copyOf(attrs, n * width));
    }
  }
}
