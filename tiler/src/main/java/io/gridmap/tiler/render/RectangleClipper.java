package io.gridmap.tiler.render;

import java.util.Arrays;

/**
 * Clips one polygon ring to an axis-aligned square (Sutherland-Hodgman, one pass per edge), in
 * place on coordinate arrays: no objects per coordinate.
 *
 * <p>A concave ring that leaves and re-enters across the same edge comes out with zero-width
 * bridges along that edge. They lie in the tile's buffer, where nothing is drawn; where they make
 * the ring invalid the renderer's repair step removes them.
 */
final class RectangleClipper {
  private double lo;
  private double hi;
  private double[] xs = new double[64];
  private double[] ys = new double[64];
  private double[] bx = new double[64];
  private double[] by = new double[64];
  private int n;

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
  }

  void add(double x, double y) {
    if (n == xs.length) {
      xs = Arrays.copyOf(xs, n * 2);
      ys = Arrays.copyOf(ys, n * 2);
    }
    xs[n] = x;
    ys[n] = y;
    n++;
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

  /** Clips the ring held to the square; afterwards {@link #size()} may be 0. */
  void clip() {
    clipEdge(0, lo, false);
    clipEdge(0, hi, true);
    clipEdge(1, lo, false);
    clipEdge(1, hi, true);
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
    double[] tx = xs;
    double[] ty = ys;
    xs = bx;
    ys = by;
    bx = tx;
    by = ty;
    n = m;
  }

  private static boolean inside(double c, double v, boolean upper) {
    return upper ? c <= v : c >= v;
  }
}
