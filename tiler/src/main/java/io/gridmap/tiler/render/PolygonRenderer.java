package io.gridmap.tiler.render;

import io.gridmap.tiler.encode.Commands;
import io.gridmap.tiler.encode.IntList;
import io.gridmap.tiler.geo.TileTransform;
import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.geom.util.GeometryFixer;
import org.locationtech.jts.geom.util.PolygonExtracter;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.precision.GeometryPrecisionReducer;

/**
 * Turns an EPSG:3857 polygon or multipolygon into MVT polygon commands for one tile.
 *
 * <p>The steps, cheapest first:
 *
 * <ol>
 *   <li>parts whose envelope misses the buffered tile are skipped; parts whose envelope lies inside
 *       it are not clipped;
 *   <li>the others are clipped ring by ring to the buffered square ({@link RectangleClipper}); a
 *       shell without holes that the square cuts into pieces becomes one part per piece ({@link
 *       RectangleClipper#splitBridges}), instead of a ring joined by zero-width bridges along the
 *       square's edge that only a repair could take out;
 *   <li>coordinates are scaled to the tile's integer grid (y down), rounded, and repeated points
 *       dropped; rings left with fewer than three points or no area are dropped (a dropped shell
 *       drops its part);
 *   <li>validity: parts that are each a lone shell (by far the common case, a clipped shell's
 *       pieces included) are checked exactly in integer arithmetic ({@link #isSimple}, {@link
 *       #shellsValid}); anything with holes goes through JTS's {@link IsValidOp}. A polygon drawn
 *       wholly inside the buffered tile is checked (and repaired) once per zoom: the {@link
 *       RingMemo} of its index recalls the verdict and the repaired rings;
 *   <li>an invalid result is repaired on the integer grid ({@link GeometryFixer}, then {@link
 *       GeometryPrecisionReducer} to snap-round the fix back to integers), counted, and dropped
 *       (also counted) if it is still invalid;
 *   <li>rings are oriented for MVT 2.1: shells with positive area by the surveyor's formula in tile
 *       coordinates (clockwise on screen, y down), holes negative.
 * </ol>
 *
 * <p>Not thread-safe: one renderer per rendering thread (or per tile). Its scratch arrays are the
 * thread's, reused by every renderer on it.
 */
public final class PolygonRenderer {
  private static final GeometryFactory GRID = new GeometryFactory(new PrecisionModel(1.0));

  /**
   * The growable arrays one thread renders with, kept from tile to tile: a renderer is made per
   * tile, and growing fresh arrays to a z7 tile's street outlines (tens of thousands of points)
   * each time was a third of a tile's allocation, and so of the young collections behind the p99. A
   * render uses them only until it returns, so renderers on one thread may share them.
   */
  private static final class Scratch {
    final IntList coords = new IntList(1024);
    final IntList ringStart = new IntList(16);
    final IntList ringPart = new IntList(16);
    final RectangleClipper clipper = new RectangleClipper();
    long[] order = new long[256];
    int[] next = new int[256];
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private final int extent;
  private final int buffer;
  private final RenderStats stats;
  private RectangleClipper clipper;

  /** Rounded rings of the geometry being rendered: x,y interleaved, with ring and part starts. */
  private IntList coords;

  private IntList ringStart;
  private IntList ringPart;
  private Scratch scratch;
  private int parts;
  private boolean clipped;

  /**
   * True while every part drawn so far lies wholly inside the buffered tile (none clipped or cut).
   */
  private boolean whole;

  public PolygonRenderer(int extent, int buffer, RenderStats stats) {
    this.extent = extent;
    this.buffer = buffer;
    this.stats = stats;
  }

  /**
   * Appends the commands of {@code mercator} drawn in the tile of {@code t} to {@code out}.
   *
   * @return false when nothing of it remains in the buffered tile (out is then unchanged)
   */
  public boolean render(Geometry mercator, TileTransform t, IntList out) {
    return render(mercator, t, out, null, -1);
  }

  /**
   * As {@link #render(Geometry, TileTransform, IntList)} for the entry {@code ordinal} of the index
   * {@code memo} belongs to: when the polygon lies wholly inside the buffered tile, the validity
   * test and any repair are done once for the zoom and recalled after ({@link RingMemo}).
   */
  public boolean render(
      Geometry mercator, TileTransform t, IntList out, RingMemo memo, int ordinal) {
    scratch = SCRATCH.get();
    coords = scratch.coords;
    ringStart = scratch.ringStart;
    ringPart = scratch.ringPart;
    clipper = scratch.clipper;
    clipper.bounds(-buffer, extent + buffer);
    coords.clear();
    ringStart.clear();
    ringPart.clear();
    parts = 0;
    clipped = false;
    whole = true;
    for (int p = 0; p < mercator.getNumGeometries(); p++) {
      if (mercator.getGeometryN(p) instanceof Polygon poly && !poly.isEmpty()) {
        addPart(poly, t);
      }
    }
    if (parts == 0) {
      return false;
    }
    if (clipped) {
      stats.polygonsClipped.increment();
    }
    // a polygon drawn whole rounds to the same rings (moved) in every tile of the zoom
    boolean recall = memo != null && whole && fitsWorldGrid(t);
    byte verdict = recall ? memo.verdict(ordinal) : RingMemo.UNKNOWN;
    if (verdict == RingMemo.DROPPED) {
      stats.polygonsDropped.increment();
      return false;
    }
    int[] kept = verdict == RingMemo.REPAIRED ? memo.repairedRings(ordinal) : null;
    if (kept != null) {
      loadKept(kept, t);
      stats.polygonsRepaired.increment();
    } else if (verdict != RingMemo.VALID) {
      boolean valid = ringStart.size() == parts ? shellsValid() : IsValidOp.isValid(toJts());
      if (!valid) {
        if (!repair()) {
          stats.polygonsDropped.increment();
          if (recall) {
            memo.dropped(ordinal);
          }
          return false;
        }
        stats.polygonsRepaired.increment();
        if (recall) {
          memo.repaired(ordinal, keep(t));
        }
      } else if (recall) {
        memo.valid(ordinal);
      }
    }
    orient();
    writeCommands(out);
    return true;
  }

  private void addPart(Polygon poly, TileTransform t) {
    Envelope env = poly.getEnvelopeInternal();
    double x0 = t.x(env.getMinX());
    double x1 = t.x(env.getMaxX());
    double y0 = t.y(env.getMaxY());
    double y1 = t.y(env.getMinY());
    double lo = -buffer;
    double hi = extent + buffer;
    if (x1 < lo || x0 > hi || y1 < lo || y0 > hi) {
      whole = false;
      return;
    }
    boolean inside = x0 >= lo && x1 <= hi && y0 >= lo && y1 <= hi;
    whole &= inside;
    int partRingsStart = ringStart.size();
    int partCoordsStart = coords.size();
    if (!inside && poly.getNumInteriorRing() == 0) {
      // a lone shell cut by the tile's edges: each piece of its area is a part of its own
      clipRing(poly.getExteriorRing(), t, false, true);
      for (int r = 0; r < clipper.rings(); r++) {
        if (addRounded(clipper.ringStart(r), clipper.ringEnd(r))) {
          parts++;
        }
      }
      return;
    }
    if (!addRing(poly.getExteriorRing(), t, inside)) {
      return;
    }
    for (int h = 0; h < poly.getNumInteriorRing(); h++) {
      LinearRing hole = poly.getInteriorRingN(h);
      Envelope he = hole.getEnvelopeInternal();
      if (!inside
          && (t.x(he.getMaxX()) < lo
              || t.x(he.getMinX()) > hi
              || t.y(he.getMinY()) < lo
              || t.y(he.getMaxY()) > hi)) {
        continue;
      }
      addRing(hole, t, inside);
    }
    if (ringStart.size() > partRingsStart) {
      parts++;
    } else {
      coords.truncate(partCoordsStart);
    }
  }

  /**
   * Scales, clips, rounds and de-duplicates one ring; false (and nothing added) if it collapsed.
   */
  private boolean addRing(LinearRing ring, TileTransform t, boolean inside) {
    return clipRing(ring, t, inside, false) && addRounded(0, clipper.size());
  }

  /**
   * Scales a ring into the clipper and clips it unless {@code inside}; with {@code split}, a
   * clipped ring is split into the pieces of its area ({@link RectangleClipper#splitBridges}).
   *
   * @return false when the ring has fewer than three points
   */
  private boolean clipRing(LinearRing ring, TileTransform t, boolean inside, boolean split) {
    var seq = ring.getCoordinateSequence();
    int n = seq.size() - 1; // without the closing point
    clipper.reset();
    if (n < 3) {
      return false;
    }
    if (inside) {
      for (int i = 0; i < n; i++) {
        clipper.add(t.x(seq.getX(i)), t.y(seq.getY(i)));
      }
    } else {
      for (int i = 0; i < n; i++) {
        clipper.addFar(t.x(seq.getX(i)), t.y(seq.getY(i)));
      }
    }
    if (!inside) {
      clipper.clip();
      clipped = true;
      if (split) {
        clipper.splitBridges();
      }
    }
    return true;
  }

  /**
   * Rounds the clipper's points {@code from} to {@code to} (one ring) into {@link #coords}, without
   * repeated points; false (and nothing added) when fewer than three are left or no area.
   */
  private boolean addRounded(int from, int to) {
    int start = coords.size();
    int count = 0;
    int px = Integer.MIN_VALUE;
    int py = Integer.MIN_VALUE;
    for (int i = from; i < to; i++) {
      int x = (int) Math.floor(clipper.x(i) + 0.5);
      int y = (int) Math.floor(clipper.y(i) + 0.5);
      if (x != px || y != py) {
        coords.add(x);
        coords.add(y);
        count++;
        px = x;
        py = y;
      }
    }
    // the last point may repeat the first
    while (count > 1
        && coords.get(start) == coords.get(start + 2 * count - 2)
        && coords.get(start + 1) == coords.get(start + 2 * count - 1)) {
      count--;
      coords.truncate(start + 2 * count);
    }
    if (count < 3 || doubledArea(start, count) == 0) {
      coords.truncate(start);
      return false;
    }
    ringStart.add(start);
    ringPart.add(parts);
    return true;
  }

  private int ringCount(int r) {
    int end = r + 1 < ringStart.size() ? ringStart.get(r + 1) : coords.size();
    return (end - ringStart.get(r)) / 2;
  }

  /** Twice the surveyor's-formula area in tile coordinates (positive = clockwise on screen). */
  private long doubledArea(int start, int count) {
    long sum = 0;
    for (int i = 0; i < count; i++) {
      int j = i + 1 == count ? 0 : i + 1;
      long xi = coords.get(start + 2 * i);
      long yi = coords.get(start + 2 * i + 1);
      long xj = coords.get(start + 2 * j);
      long yj = coords.get(start + 2 * j + 1);
      sum += xi * yj - xj * yi;
    }
    return sum;
  }

  /**
   * Exact simplicity test of the ring of {@code n} points (x, y interleaved, no closing point) at
   * {@code start} in {@code coords}, on the integer grid: no two segments meet except neighbours at
   * their shared vertex, and no neighbours fold back onto each other. A simple ring with area is a
   * valid polygon shell. Segments are swept by x so that long rings stay near O(n log n).
   */
  static boolean isSimple(IntList coords, int start, int n) {
    return sweep(coords, start, n, null, new long[n]);
  }

  /**
   * Validity of rings that are each a part's lone shell, exactly on the integer grid: each ring
   * simple, no two meeting (not even at a point, which JTS allows: the repair then decides), none
   * inside another. A polygon cut by the tile's edges into pieces comes here, as does a
   * multipolygon of islands, instead of JTS's test.
   */
  private boolean shellsValid() {
    int n = coords.size() / 2;
    if (scratch.next.length < n) {
      scratch.next = new int[Math.max(n, scratch.next.length * 2)];
    }
    return shellsValid(coords, ringStart, order(n), scratch.next);
  }

  /**
   * As {@link #shellsValid()} for the rings starting at {@code ringStart} (offsets into {@code
   * coords}, the first 0, each ring running to the next's start), with scratch arrays at least as
   * long as the points.
   */
  static boolean shellsValid(IntList coords, IntList ringStart, long[] order, int[] next) {
    int n = coords.size() / 2;
    int rings = ringStart.size();
    if (rings == 1) {
      return sweep(coords, ringStart.get(0), n, null, order);
    }
    for (int r = 0; r < rings; r++) {
      int first = ringStart.get(r) / 2;
      int end = r + 1 < rings ? ringStart.get(r + 1) / 2 : n;
      for (int g = first; g < end; g++) {
        next[g] = g + 1 == end ? first : g + 1;
      }
    }
    if (!sweep(coords, 0, n, next, order)) {
      return false;
    }
    // the rings do not meet, so one point of a ring says whether it lies inside another
    for (int a = 0; a < rings; a++) {
      long px = coords.get(ringStart.get(a));
      long py = coords.get(ringStart.get(a) + 1);
      for (int b = 0; b < rings; b++) {
        int start = ringStart.get(b);
        int end = b + 1 < rings ? ringStart.get(b + 1) : coords.size();
        if (b != a && contains(coords, start, (end - start) / 2, px, py)) {
          return false;
        }
      }
    }
    return true;
  }

  /** The ring of {@code n} points at {@code start} contains the point not on it (exact). */
  private static boolean contains(IntList coords, int start, int n, long px, long py) {
    boolean in = false;
    for (int i = 0, j = n - 1; i < n; j = i++) {
      long xi = coords.get(start + 2 * i);
      long yi = coords.get(start + 2 * i + 1);
      long xj = coords.get(start + 2 * j);
      long yj = coords.get(start + 2 * j + 1);
      if ((yi > py) != (yj > py)) {
        // the edge crosses the line through the point: on its right?
        long lhs = (px - xi) * (yj - yi);
        long rhs = (py - yi) * (xj - xi);
        if (yj > yi ? lhs < rhs : lhs > rhs) {
          in = !in;
        }
      }
    }
    return in;
  }

  private long[] order(int n) {
    if (scratch.order.length < n) {
      scratch.order = new long[Math.max(n, scratch.order.length * 2)];
    }
    return scratch.order;
  }

  /**
   * The sweep behind {@link #isSimple} and {@link #shellsValid}: the {@code n} points at {@code
   * start} form one ring ({@code next} null) or several, point g's segment ending at point {@code
   * next[g]} of its ring; sorts in {@code order}, at least {@code n} long. True when no two
   * segments meet except neighbours at their shared vertex, and no neighbours fold back.
   */
  private static boolean sweep(IntList coords, int start, int n, int[] next, long[] order) {
    for (int i = 0; i < n; i++) {
      int j = next != null ? next[i] : i + 1 == n ? 0 : i + 1;
      int minX = Math.min(coords.get(start + 2 * i), coords.get(start + 2 * j));
      order[i] = ((long) (minX + (1 << 30)) << 32) | i;
    }
    java.util.Arrays.sort(order, 0, n);
    for (int a = 0; a < n; a++) {
      int i = (int) order[a];
      int i1 = next != null ? next[i] : i + 1 == n ? 0 : i + 1;
      long ax = coords.get(start + 2 * i);
      long ay = coords.get(start + 2 * i + 1);
      long bx = coords.get(start + 2 * i1);
      long by = coords.get(start + 2 * i1 + 1);
      long maxX = Math.max(ax, bx);
      for (int b = a + 1; b < n; b++) {
        if ((order[b] >>> 32) - (1 << 30) > maxX) {
          break;
        }
        int k = (int) order[b];
        int k1 = next != null ? next[k] : k + 1 == n ? 0 : k + 1;
        long cx = coords.get(start + 2 * k);
        long cy = coords.get(start + 2 * k + 1);
        long dx = coords.get(start + 2 * k1);
        long dy = coords.get(start + 2 * k1 + 1);
        if (Math.max(cy, dy) < Math.min(ay, by) || Math.min(cy, dy) > Math.max(ay, by)) {
          continue;
        }
        if (k == i1 || i == k1) {
          // neighbours: shared vertex s, other ends p and q; they fold if p, s, q are collinear
          // and q lies back along s->p (a ring of three points with area cannot)
          long sx = k == i1 ? bx : ax;
          long sy = k == i1 ? by : ay;
          long px = k == i1 ? ax : bx;
          long py = k == i1 ? ay : by;
          long qx = k == i1 ? dx : cx;
          long qy = k == i1 ? dy : cy;
          if (cross(sx, sy, px, py, qx, qy) == 0
              && (px - sx) * (qx - sx) + (py - sy) * (qy - sy) > 0) {
            return false;
          }
          continue;
        }
        if (segmentsMeet(ax, ay, bx, by, cx, cy, dx, dy)) {
          return false;
        }
      }
    }
    return true;
  }

  private static long cross(long ox, long oy, long ax, long ay, long bx, long by) {
    return (ax - ox) * (by - oy) - (ay - oy) * (bx - ox);
  }

  /** True when closed segments ab and cd share any point (exact for integer input). */
  static boolean segmentsMeet(
      long ax, long ay, long bx, long by, long cx, long cy, long dx, long dy) {
    long d1 = Long.signum(cross(ax, ay, bx, by, cx, cy));
    long d2 = Long.signum(cross(ax, ay, bx, by, dx, dy));
    long d3 = Long.signum(cross(cx, cy, dx, dy, ax, ay));
    long d4 = Long.signum(cross(cx, cy, dx, dy, bx, by));
    if (d1 * d2 < 0 && d3 * d4 < 0) {
      return true;
    }
    return (d1 == 0 && onSegment(ax, ay, bx, by, cx, cy))
        || (d2 == 0 && onSegment(ax, ay, bx, by, dx, dy))
        || (d3 == 0 && onSegment(cx, cy, dx, dy, ax, ay))
        || (d4 == 0 && onSegment(cx, cy, dx, dy, bx, by));
  }

  private static boolean onSegment(long ax, long ay, long bx, long by, long px, long py) {
    return Math.min(ax, bx) <= px
        && px <= Math.max(ax, bx)
        && Math.min(ay, by) <= py
        && py <= Math.max(ay, by);
  }

  /** The rounded rings as a JTS geometry on the integer grid. */
  private Geometry toJts() {
    List<Polygon> polys = new ArrayList<>();
    int r = 0;
    while (r < ringStart.size()) {
      int part = ringPart.get(r);
      LinearRing shell = ring(r++);
      List<LinearRing> holes = new ArrayList<>();
      while (r < ringStart.size() && ringPart.get(r) == part) {
        holes.add(ring(r++));
      }
      polys.add(GRID.createPolygon(shell, holes.toArray(LinearRing[]::new)));
    }
    return polys.size() == 1
        ? polys.get(0)
        : GRID.createMultiPolygon(polys.toArray(Polygon[]::new));
  }

  private LinearRing ring(int r) {
    int start = ringStart.get(r);
    int n = ringCount(r);
    Coordinate[] cs = new Coordinate[n + 1];
    for (int i = 0; i < n; i++) {
      cs[i] = new Coordinate(coords.get(start + 2 * i), coords.get(start + 2 * i + 1));
    }
    cs[n] = cs[0].copy();
    return GRID.createLinearRing(cs);
  }

  /** Repairs on the integer grid and reloads the rings; false when nothing valid remains. */
  private boolean repair() {
    Geometry fixed;
    try {
      fixed = GeometryFixer.fix(toJts());
      fixed = GeometryPrecisionReducer.reduce(fixed, GRID.getPrecisionModel());
    } catch (RuntimeException e) {
      return false;
    }
    if (fixed.isEmpty() || !IsValidOp.isValid(fixed)) {
      return false;
    }
    coords.clear();
    ringStart.clear();
    ringPart.clear();
    parts = 0;
    @SuppressWarnings("unchecked")
    List<Polygon> polys = PolygonExtracter.getPolygons(fixed);
    for (Polygon p : polys) {
      if (loadRing(p.getExteriorRing())) {
        for (int h = 0; h < p.getNumInteriorRing(); h++) {
          loadRing(p.getInteriorRingN(h));
        }
        parts++;
      }
    }
    return parts > 0;
  }

  /** World-grid coordinates of this zoom fit an int (to z18 at 4,096 units a tile). */
  private boolean fitsWorldGrid(TileTransform t) {
    return t.offsetX() < (1L << 30) && t.offsetY() < (1L << 30);
  }

  /** The repaired rings for a {@link RingMemo}, on the zoom's world grid. */
  private int[] keep(TileTransform t) {
    int rings = ringStart.size();
    int[] k = new int[2 + 2 * rings + coords.size()];
    k[0] = parts;
    k[1] = rings;
    int at = 2 + 2 * rings;
    for (int r = 0; r < rings; r++) {
      int start = ringStart.get(r);
      int n = ringCount(r);
      k[2 + 2 * r] = ringPart.get(r);
      k[3 + 2 * r] = n;
      for (int i = 0; i < n; i++) {
        k[at++] = (int) (coords.get(start + 2 * i) + t.offsetX());
        k[at++] = (int) (coords.get(start + 2 * i + 1) + t.offsetY());
      }
    }
    return k;
  }

  /** Replaces the rounded rings with rings a {@link RingMemo} kept, moved into this tile. */
  private void loadKept(int[] k, TileTransform t) {
    coords.clear();
    ringStart.clear();
    ringPart.clear();
    parts = k[0];
    int rings = k[1];
    int at = 2 + 2 * rings;
    for (int r = 0; r < rings; r++) {
      ringStart.add(coords.size());
      ringPart.add(k[2 + 2 * r]);
      int n = k[3 + 2 * r];
      for (int i = 0; i < n; i++) {
        coords.add((int) (k[at++] - t.offsetX()));
        coords.add((int) (k[at++] - t.offsetY()));
      }
    }
  }

  private boolean loadRing(LinearRing ring) {
    var seq = ring.getCoordinateSequence();
    int n = seq.size() - 1;
    if (n < 3) {
      return false;
    }
    int start = coords.size();
    for (int i = 0; i < n; i++) {
      coords.add((int) Math.round(seq.getX(i)));
      coords.add((int) Math.round(seq.getY(i)));
    }
    if (doubledArea(start, n) == 0) {
      coords.truncate(start);
      return false;
    }
    ringStart.add(start);
    ringPart.add(parts);
    return true;
  }

  /** Shells positive (clockwise on screen), holes negative: reverses rings that are not. */
  private void orient() {
    for (int r = 0; r < ringStart.size(); r++) {
      boolean shell = r == 0 || ringPart.get(r) != ringPart.get(r - 1);
      int start = ringStart.get(r);
      int n = ringCount(r);
      long a = doubledArea(start, n);
      if ((shell && a < 0) || (!shell && a > 0)) {
        for (int i = 0, j = n - 1; i < j; i++, j--) {
          int xi = coords.get(start + 2 * i);
          int yi = coords.get(start + 2 * i + 1);
          coords.set(start + 2 * i, coords.get(start + 2 * j));
          coords.set(start + 2 * i + 1, coords.get(start + 2 * j + 1));
          coords.set(start + 2 * j, xi);
          coords.set(start + 2 * j + 1, yi);
        }
      }
    }
  }

  /** MoveTo, LineTo(n-1), ClosePath per ring, deltas zigzagged from a cursor kept across rings. */
  private void writeCommands(IntList out) {
    int cx = 0;
    int cy = 0;
    for (int r = 0; r < ringStart.size(); r++) {
      int start = ringStart.get(r);
      int n = ringCount(r);
      int x = coords.get(start);
      int y = coords.get(start + 1);
      out.add(Commands.command(Commands.MOVE_TO, 1));
      out.add(Commands.zigzag(x - cx));
      out.add(Commands.zigzag(y - cy));
      cx = x;
      cy = y;
      out.add(Commands.command(Commands.LINE_TO, n - 1));
      for (int i = 1; i < n; i++) {
        x = coords.get(start + 2 * i);
        y = coords.get(start + 2 * i + 1);
        out.add(Commands.zigzag(x - cx));
        out.add(Commands.zigzag(y - cy));
        cx = x;
        cy = y;
      }
      out.add(Commands.command(Commands.CLOSE_PATH, 1));
    }
  }
}
