package io.gridmap.tiler.render;

import java.util.Arrays;

/**
 * Clips one polygon ring to an axis-aligned square (Sutherland-Hodgman, one pass per edge), in
 * place on coordinate arrays: no objects per coordinate.
 *
 * <p>A concave ring that leaves and re-enters across the same edge comes out with zero-width
 * bridges along that edge: runs along the square that go out and come back over the same line,
 * which makes the ring invalid. {@link #splitBridges()} takes them out by joining the ring's pieces
 * along the square's edges the way the area runs, which leaves one ring per piece of the area (a
 * Weiler-Atherton walk, specialised to a square). Hand-written: JTS clips by rectangle only inside
 * its overlay (with noding, on objects), and its fixer was half of a z7 tile's time when it took
 * the bridges out instead.
 */
final class RectangleClipper {
  private double lo;
  private double hi;
  private double[] xs = new double[64];
  private double[] ys = new double[64];
  private double[] bx = new double[64];
  private double[] by = new double[64];
  private int n;

  /** The bounds of the points added: a pass for an edge no point lies beyond is skipped. */
  private double minX;

  private double maxX;
  private double minY;
  private double maxY;

  /** Which edges the last two points added by {@link #addFar} lie beyond (see {@link #beyond}). */
  private int lastBeyond;

  private int beforeLastBeyond;

  /** Where each ring starts after {@link #splitBridges()}: ring r is [starts[r], starts[r + 1]). */
  private int[] starts = new int[8];

  private int rings;

  /** The pieces found by {@link #splitBridges()}: first and last point, and where each ends. */
  private int[] chainFirst = new int[8];

  private int[] chainLast = new int[8];
  private double[] chainIn = new double[8];
  private double[] chainOut = new double[8];
  private int[] chainNext = new int[8];

  /** Per piece: how many pieces lead to it, then whether it is still to be walked. */
  private int[] chainMark = new int[8];

  RectangleClipper(double lo, double hi) {
    bounds(lo, hi);
  }

  /** A clipper whose square is set by {@link #bounds} before use. */
  RectangleClipper() {}

  /** The square kept: {@code lo <= x, y <= hi}. */
  void bounds(double lo, double hi) {
    this.lo = lo;
    this.hi = hi;
  }

  /** Starts a ring (without its closing point). */
  void reset() {
    n = 0;
    rings = -1;
    minX = Double.POSITIVE_INFINITY;
    minY = Double.POSITIVE_INFINITY;
    maxX = Double.NEGATIVE_INFINITY;
    maxY = Double.NEGATIVE_INFINITY;
  }

  void add(double x, double y) {
    if (n == xs.length) {
      xs = Arrays.copyOf(xs, n * 2);
      ys = Arrays.copyOf(ys, n * 2);
    }
    xs[n] = x;
    ys[n] = y;
    n++;
    widen(x, y);
  }

  private void widen(double x, double y) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }

  int size() {
    return n;
  }

  double x(int i) {
    return xs[i];
  }

  double y(int i) {
    return ys[i];
  }

  /** Rings held: one (possibly empty) until {@link #splitBridges()} splits it. */
  int rings() {
    return rings < 0 ? 1 : rings;
  }

  /** First point of ring {@code r}. */
  int ringStart(int r) {
    return rings < 0 ? 0 : starts[r];
  }

  /** One past the last point of ring {@code r}. */
  int ringEnd(int r) {
    return rings < 0 ? n : starts[r + 1];
  }

  /**
   * As {@link #add}, for a ring that will be clipped: a point is dropped when it, the point before
   * it and the one after all lie beyond one same edge of the square, so a long ring that only
   * grazes the tile is clipped from a fraction of its points. The clip is the same: every piece of
   * the ring so cut out runs beyond an edge shared with the point the cut starts from, so the path
   * and the cut lie beyond at most two neighbouring edges of the square, a region with no loop
   * around the square, and enclose none of it.
   */
  void addFar(double x, double y) {
    int b = beyond(x, y);
    if (n >= 2 && (beforeLastBeyond & lastBeyond & b) != 0) {
      xs[n - 1] = x;
      ys[n - 1] = y;
      lastBeyond = b;
      widen(x, y);
      return;
    }
    add(x, y);
    beforeLastBeyond = lastBeyond;
    lastBeyond = b;
  }

  /** The edges a point lies beyond, as bits: x below lo, x above hi, y below lo, y above hi. */
  private int beyond(double x, double y) {
    return (x < lo ? 1 : 0) | (x > hi ? 2 : 0) | (y < lo ? 4 : 0) | (y > hi ? 8 : 0);
  }

  /**
   * Clips the ring held to the square; afterwards {@link #size()} may be 0. Only the edges the ring
   * reaches beyond take a pass (a pass never widens the ring's bounds): a polygon across one edge
   * of the tile, the common case, costs one pass instead of four.
   */
  void clip() {
    if (minX < lo) {
      clipEdge(0, lo, false);
    }
    if (maxX > hi) {
      clipEdge(0, hi, true);
    }
    if (minY < lo) {
      clipEdge(1, lo, false);
    }
    if (maxY > hi) {
      clipEdge(1, hi, true);
    }
  }

  /** One Sutherland-Hodgman pass: keeps the side {@code coord >= v} (or {@code <= v} if upper). */
  private void clipEdge(int axis, double v, boolean upper) {
    if (n == 0) {
      return;
    }
    if (bx.length < n * 2 + 2) {
      bx = new double[n * 2 + 2];
      by = new double[n * 2 + 2];
    }
    int m = 0;
    double px = xs[n - 1];
    double py = ys[n - 1];
    boolean pin = inside(axis == 0 ? px : py, v, upper);
    for (int i = 0; i < n; i++) {
      double cx = xs[i];
      double cy = ys[i];
      boolean cin = inside(axis == 0 ? cx : cy, v, upper);
      if (cin != pin) {
        // the segment crosses the edge: add the crossing point
        double t = axis == 0 ? (v - px) / (cx - px) : (v - py) / (cy - py);
        bx[m] = axis == 0 ? v : px + t * (cx - px);
        by[m] = axis == 0 ? py + t * (cy - py) : v;
        m++;
      }
      if (cin) {
        bx[m] = cx;
        by[m] = cy;
        m++;
      }
      px = cx;
      py = cy;
      pin = cin;
    }
    useBuffer(m);
  }

  /**
   * Splits the clipped ring where it runs out and back along the square, into the rings of the area
   * it encloses (one piece too may have gone round a corner and back). For a shell without holes: a
   * hole's pieces would have to join its shell's. A ring that does not enclose an area the way a
   * valid ring does (pieces whose ends do not pair up along the square) is left as it is, for the
   * renderer's validity test to judge.
   *
   * <p>A piece is a run of the ring's edges that do not lie along the square; its ends lie on the
   * square. Each piece's last point is joined to the first point of the piece met next going round
   * the square the way the ring runs (its interior on the same side), through the corners passed.
   */
  void splitBridges() {
    rings = -1;
    if (n < 3) {
      return;
    }
    // the first edge that does not lie along the square and follows one that does: a piece starts
    int first = -1;
    for (int i = 0; i < n; i++) {
      if (alongSquare(i == 0 ? n - 1 : i - 1) && !alongSquare(i)) {
        first = i;
        break;
      }
    }
    if (first < 0) {
      return; // wholly inside, or wholly along the square
    }
    int chains = 0;
    for (int k = 0; k < n; k++) {
      int i = (first + k) % n;
      boolean before = alongSquare(i == 0 ? n - 1 : i - 1);
      boolean here = alongSquare(i);
      if (before && !here) {
        if (chains == chainFirst.length) {
          growChains();
        }
        chainFirst[chains] = i;
        chainIn[chains] = perimeter(xs[i], ys[i]);
      } else if (!before && here) {
        chainLast[chains] = i;
        chainOut[chains] = perimeter(xs[i], ys[i]);
        chains++;
      }
    }
    double area = 0;
    for (int i = 0; i < n; i++) {
      int j = i + 1 == n ? 0 : i + 1;
      area += xs[i] * ys[j] - xs[j] * ys[i];
    }
    if (area == 0) {
      return;
    }
    boolean forward = area > 0; // as the square's perimeter runs (clockwise on screen)
    double round = 4 * (hi - lo);
    // each piece's successor: the piece whose start comes next going round from its end
    for (int c = 0; c < chains; c++) {
      int best = -1;
      double bestGap = Double.MAX_VALUE;
      for (int d = 0; d < chains; d++) {
        double gap = forward ? chainIn[d] - chainOut[c] : chainOut[c] - chainIn[d];
        if (gap < 0) {
          gap += round;
        }
        if (gap < bestGap) {
          bestGap = gap;
          best = d;
        }
      }
      chainNext[c] = best;
    }
    // a valid ring's pieces pair up one to one; anything else is left for the validity test
    Arrays.fill(chainMark, 0, chains, 0);
    for (int c = 0; c < chains; c++) {
      if (chainMark[chainNext[c]]++ > 0) {
        return;
      }
    }
    int capacity = n + 4 * chains + 4;
    if (bx.length < capacity) {
      bx = new double[capacity];
      by = new double[capacity];
    }
    int m = 0;
    int made = 0;
    for (int c0 = 0; c0 < chains; c0++) {
      if (chainMark[c0] == 0) {
        continue; // walked already (each was marked once by its predecessor above)
      }
      if (made + 2 > starts.length) {
        starts = Arrays.copyOf(starts, starts.length * 2);
      }
      starts[made++] = m;
      int c = c0;
      do {
        chainMark[c] = 0;
        for (int i = chainFirst[c]; ; i = i + 1 == n ? 0 : i + 1) {
          bx[m] = xs[i];
          by[m] = ys[i];
          m++;
          if (i == chainLast[c]) {
            break;
          }
        }
        int d = chainNext[c];
        m = corners(chainOut[c], chainIn[d], forward, m);
        c = d;
      } while (c != c0);
    }
    starts[made] = m;
    rings = made;
    useBuffer(m);
  }

  /** The {@code m} points written to the second buffer become the ring; the first is free again. */
  private void useBuffer(int m) {
    double[] tx = xs;
    double[] ty = ys;
    xs = bx;
    ys = by;
    bx = tx;
    by = ty;
    n = m;
  }

  /** True when edge i (point i to the next) lies along one side of the square. */
  private boolean alongSquare(int i) {
    int j = i + 1 == n ? 0 : i + 1;
    return (sides(xs[i], ys[i]) & sides(xs[j], ys[j])) != 0;
  }

  /** The sides of the square a point lies on, as bits: x = lo, x = hi, y = lo, y = hi. */
  private int sides(double x, double y) {
    return (x == lo ? 1 : 0) | (x == hi ? 2 : 0) | (y == lo ? 4 : 0) | (y == hi ? 8 : 0);
  }

  /**
   * Where a point on the square lies along its perimeter, from corner (lo, lo) through (hi, lo),
   * (hi, hi) and (lo, hi): clockwise on screen (y down), positive by the surveyor's formula.
   */
  private double perimeter(double x, double y) {
    double side = hi - lo;
    if (y == lo) {
      return x - lo;
    }
    if (x == hi) {
      return side + (y - lo);
    }
    if (y == hi) {
      return 2 * side + (hi - x);
    }
    return 3 * side + (hi - y);
  }

  /** Adds the square's corners passed going round from {@code from} to {@code to}, exclusive. */
  private int corners(double from, double to, boolean forward, int m) {
    double side = hi - lo;
    double round = 4 * side;
    if (forward) {
      double end = to >= from ? to : to + round;
      for (int k = (int) Math.floor(from / side) + 1; k * side < end; k++) {
        m = corner(k & 3, m);
      }
    } else {
      double end = to <= from ? to : to - round;
      for (int k = (int) Math.ceil(from / side) - 1; k * side > end; k--) {
        m = corner(k & 3, m);
      }
    }
    return m;
  }

  private int corner(int k, int m) {
    bx[m] = k == 0 || k == 3 ? lo : hi;
    by[m] = k <= 1 ? lo : hi;
    return m + 1;
  }

  private void growChains() {
    int size = chainFirst.length * 2;
    chainFirst = Arrays.copyOf(chainFirst, size);
    chainLast = Arrays.copyOf(chainLast, size);
    chainIn = Arrays.copyOf(chainIn, size);
    chainOut = Arrays.copyOf(chainOut, size);
    chainNext = Arrays.copyOf(chainNext, size);
    chainMark = new int[size];
  }

  private static boolean inside(double c, double v, boolean upper) {
    return upper ? c <= v : c >= v;
  }
}
