package io.gridmap.tiler.render;

import java.util.Arrays;

/**
 * One tile's cluster cells at one zoom: the non-empty ones of its 16 × 16 cells, in row-major order
 * of their place in the tile ({@code local = row * 16 + column}). Immutable; {@link Edit} makes the
 * next one from points leaving and entering cells.
 *
 * <p>A cell keeps sums rather than results, so that a point leaving it is a subtraction: the number
 * of points, the sums of their positions in fixed point (integers, so the mean does not depend on
 * the order points came and went: a cell built from scratch has the same sums to the bit), the sums
 * of their ids and attribute value ids (wrapping; in a cell of one point they are that point's id
 * and values, which is how a cell that drops to one point draws it without looking it up), and how
 * many points have each category, for the most common one.
 */
final class CellBlock {
  /** Fixed-point scale of the position sums: 2^14 per metre (61 µm; a z13 tile unit is 1.2 m). */
  static final double FIXED = 16384.0;

  final short[] local;
  final int[] count;
  final long[] sumX;
  final long[] sumY;
  final long[] sumId;

  /** {@code width} sums of value ids per cell. */
  final int[] attrSum;

  /** The most common category's value id for a cell of two or more points, else -1. */
  final int[] mode;

  /** Cell c's categories are pairs (value id, points) at {@code hist[2 * histStart[c]..]}. */
  final int[] histStart;

  final int[] hist;

  private CellBlock(
      short[] local,
      int[] count,
      long[] sumX,
      long[] sumY,
      long[] sumId,
      int[] attrSum,
      int[] mode,
      int[] histStart,
      int[] hist) {
    this.local = local;
    this.count = count;
    this.sumX = sumX;
    this.sumY = sumY;
    this.sumId = sumId;
    this.attrSum = attrSum;
    this.mode = mode;
    this.histStart = histStart;
    this.hist = hist;
  }

  int size() {
    return local.length;
  }

  /** The first cell whose local index is {@code >= l}. */
  int lowerBound(int l) {
    int lo = 0;
    int hi = local.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (local[mid] < l) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  static long fixed(double metres) {
    return Math.round(metres * FIXED);
  }

  /**
   * The most common category among {@code n} (value id, points) pairs; on a tie the value that
   * sorts first as text, so the answer depends on the points only, not on the order values were
   * first seen. -1 for a cell of fewer than two points or without categories.
   */
  static int mode(int count, int[] cats, int[] counts, int n, ValueDictionary dict) {
    if (count < 2) {
      return -1;
    }
    int best = -1;
    int bestCount = 0;
    for (int i = 0; i < n; i++) {
      if (counts[i] > bestCount
          || (counts[i] == bestCount
              && best >= 0
              && String.valueOf(dict.value(cats[i])).compareTo(String.valueOf(dict.value(best)))
                  < 0)) {
        best = cats[i];
        bestCount = counts[i];
      }
    }
    return best;
  }

  /** Collects cells in local order into a block. */
  static final class Builder {
    private final int width;
    private final ValueDictionary dict;
    private short[] local;
    private int[] count;
    private long[] sumX;
    private long[] sumY;
    private long[] sumId;
    private int[] attrSum;
    private int[] mode;
    private int[] histStart;
    private int[] hist;
    private int n;
    private int pairs;

    Builder(int width, ValueDictionary dict) {
      this(width, dict, 8, 8);
    }

    /** A builder with room for {@code cells} cells and {@code pairs} category pairs. */
    Builder(int width, ValueDictionary dict, int cells, int pairs) {
      this.width = width;
      this.dict = dict;
      cells = Math.max(cells, 1);
      this.local = new short[cells];
      this.count = new int[cells];
      this.sumX = new long[cells];
      this.sumY = new long[cells];
      this.sumId = new long[cells];
      this.attrSum = new int[cells * width];
      this.mode = new int[cells];
      this.histStart = new int[cells + 1];
      this.hist = new int[2 * Math.max(pairs, 1)];
    }

    /** Room for {@code cells} more cells and {@code more} more category pairs. */
    private void ensure(int cells, int more) {
      if (n + cells > local.length) {
        int cap = Math.max(n + cells, n * 2);
        local = Arrays.copyOf(local, cap);
        count = Arrays.copyOf(count, cap);
        sumX = Arrays.copyOf(sumX, cap);
        sumY = Arrays.copyOf(sumY, cap);
        sumId = Arrays.copyOf(sumId, cap);
        attrSum = Arrays.copyOf(attrSum, cap * width);
        mode = Arrays.copyOf(mode, cap);
        histStart = Arrays.copyOf(histStart, cap + 1);
      }
      if (2 * (pairs + more) > hist.length) {
        hist = Arrays.copyOf(hist, Math.max(hist.length * 2, 2 * (pairs + more)));
      }
    }

    boolean isEmpty() {
      return n == 0;
    }

    /** Appends a cell; its categories are {@code cats[0..k)} ascending with their counts. */
    void cell(
        int l,
        int c,
        long sx,
        long sy,
        long sid,
        int[] sums,
        int sumsAt,
        int[] cats,
        int[] counts,
        int k) {
      ensure(1, k);
      local[n] = (short) l;
      count[n] = c;
      sumX[n] = sx;
      sumY[n] = sy;
      sumId[n] = sid;
      System.arraycopy(sums, sumsAt, attrSum, n * width, width);
      mode[n] = mode(c, cats, counts, k, dict);
      histStart[n] = pairs;
      for (int i = 0; i < k; i++) {
        hist[2 * (pairs + i)] = cats[i];
        hist[2 * (pairs + i) + 1] = counts[i];
      }
      pairs += k;
      histStart[n + 1] = pairs;
      n++;
    }

    /**
     * Appends cells {@code from} (included) to {@code to} (excluded) of {@code b} unchanged, each
     * array in one copy: an edit moves a few points of a block of up to 256 cells, and copying the
     * rest cell by cell was most of a position group's work in the tiles (async-profiler under
     * 1,000 changes/s, issue 14).
     */
    void copy(CellBlock b, int from, int to) {
      int cells = to - from;
      if (cells <= 0) {
        return;
      }
      int p0 = b.histStart[from];
      int p1 = b.histStart[to];
      ensure(cells, p1 - p0);
      System.arraycopy(b.local, from, local, n, cells);
      System.arraycopy(b.count, from, count, n, cells);
      System.arraycopy(b.sumX, from, sumX, n, cells);
      System.arraycopy(b.sumY, from, sumY, n, cells);
      System.arraycopy(b.sumId, from, sumId, n, cells);
      System.arraycopy(b.attrSum, from * width, attrSum, n * width, cells * width);
      System.arraycopy(b.mode, from, mode, n, cells);
      System.arraycopy(b.hist, 2 * p0, hist, 2 * pairs, 2 * (p1 - p0));
      int shift = pairs - p0;
      for (int c = 0; c < cells; c++) {
        histStart[n + c] = b.histStart[from + c] + shift;
      }
      n += cells;
      pairs += p1 - p0;
      histStart[n] = pairs;
    }

    /** The block, or null when it has no cell. */
    CellBlock build() {
      if (n == 0) {
        return null;
      }
      return new CellBlock(
          Arrays.copyOf(local, n),
          Arrays.copyOf(count, n),
          Arrays.copyOf(sumX, n),
          Arrays.copyOf(sumY, n),
          Arrays.copyOf(sumId, n),
          Arrays.copyOf(attrSum, n * width),
          Arrays.copyOf(mode, n),
          Arrays.copyOf(histStart, n + 1),
          Arrays.copyOf(hist, 2 * pairs));
    }
  }

  /** Points leaving (-1) and entering (+1) cells of one block in one batch. */
  static final class Edit {
    private final int width;
    private int[] local = new int[4];
    private int[] sign = new int[4];
    private long[] fx = new long[4];
    private long[] fy = new long[4];
    private long[] id = new long[4];
    private int[] cat = new int[4];
    private int[] attrs;
    private int n;

    Edit(int width) {
      this.width = width;
      this.attrs = new int[4 * width];
    }

    void add(int l, int s, long x, long y, long pid, int[] values, int category) {
      if (n == local.length) {
        int cap = n * 2;
        local = Arrays.copyOf(local, cap);
        sign = Arrays.copyOf(sign, cap);
        fx = Arrays.copyOf(fx, cap);
        fy = Arrays.copyOf(fy, cap);
        id = Arrays.copyOf(id, cap);
        cat = Arrays.copyOf(cat, cap);
        attrs = Arrays.copyOf(attrs, cap * width);
      }
      local[n] = l;
      sign[n] = s;
      fx[n] = x;
      fy[n] = y;
      id[n] = pid;
      cat[n] = category;
      System.arraycopy(values, 0, attrs, n * width, width);
      n++;
    }

    /** The block after this edit; null when no cell is left. */
    CellBlock applyTo(CellBlock old, ValueDictionary dict) {
      long[] order = new long[n];
      for (int i = 0; i < n; i++) {
        order[i] = ((long) local[i] << 32) | i;
      }
      Arrays.sort(order);
      int oldN = old == null ? 0 : old.size();
      // room for every old cell and one new cell per entering point: no growth, one copy at build
      Builder b = new Builder(width, dict, oldN + n, (old == null ? 0 : old.hist.length / 2) + n);
      int[] sums = new int[width];
      int[] cats = new int[8];
      int[] counts = new int[8];
      int i = 0;
      int k = 0;
      while (i < oldN || k < n) {
        int ol = i < oldN ? old.local[i] : Integer.MAX_VALUE;
        int el = k < n ? (int) (order[k] >>> 32) : Integer.MAX_VALUE;
        if (ol < el) {
          // the run of old cells before the next edited one, whole
          int to = el == Integer.MAX_VALUE ? oldN : old.lowerBound(el);
          b.copy(old, i, to);
          i = to;
          continue;
        }
        int c = 0;
        long sx = 0;
        long sy = 0;
        long sid = 0;
        int h = 0;
        Arrays.fill(sums, 0);
        if (ol == el) {
          c = old.count[i];
          sx = old.sumX[i];
          sy = old.sumY[i];
          sid = old.sumId[i];
          System.arraycopy(old.attrSum, i * width, sums, 0, width);
          int from = old.histStart[i];
          h = old.histStart[i + 1] - from;
          if (h > cats.length) {
            cats = new int[h * 2];
            counts = new int[h * 2];
          }
          for (int j = 0; j < h; j++) {
            cats[j] = old.hist[2 * (from + j)];
            counts[j] = old.hist[2 * (from + j) + 1];
          }
          i++;
        }
        for (; k < n && (int) (order[k] >>> 32) == el; k++) {
          int j = (int) order[k];
          int s = sign[j];
          c += s;
          sx += s * fx[j];
          sy += s * fy[j];
          sid += s * id[j];
          for (int q = 0; q < width; q++) {
            sums[q] += s * attrs[j * width + q];
          }
          if (cat[j] >= 0) {
            int at = Arrays.binarySearch(cats, 0, h, cat[j]);
            if (at < 0) {
              at = -at - 1;
              if (h == cats.length) {
                cats = Arrays.copyOf(cats, h * 2);
                counts = Arrays.copyOf(counts, h * 2);
              }
              System.arraycopy(cats, at, cats, at + 1, h - at);
              System.arraycopy(counts, at, counts, at + 1, h - at);
              cats[at] = cat[j];
              counts[at] = 0;
              h++;
            }
            counts[at] += s;
          }
        }
        if (c < 0) {
          throw new IllegalStateException("cell " + el + " left with " + c + " points");
        }
        if (c > 0) {
          int kept = 0;
          for (int j = 0; j < h; j++) {
            if (counts[j] != 0) {
              cats[kept] = cats[j];
              counts[kept++] = counts[j];
            }
          }
          b.cell(el, c, sx, sy, sid, sums, 0, cats, counts, kept);
        }
      }
      return b.build();
    }
  }
}
