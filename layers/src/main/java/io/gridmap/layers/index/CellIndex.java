package io.gridmap.layers.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.locationtech.jts.algorithm.RayCrossingCounter;
import org.locationtech.jts.algorithm.RectangleLineIntersector;
import org.locationtech.jts.algorithm.locate.SimplePointInAreaLocator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryCollection;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.geom.Polygon;

/**
 * Which polygon of a layer holds a point, from a tree of cells: the classic point-in-coverage
 * lookup. Most points of a city fall in a cell that lies wholly inside one polygon, and get their
 * answer from a few array reads with no polygon test at all; only points in a cell that a boundary
 * crosses test the few polygons listed there.
 *
 * <h2>Why</h2>
 *
 * Locating through the packed R-tree ({@link LayerIndex#queryOrdinals}) and JTS's ray crossing
 * spent its time waiting on memory, not computing: at event positions on the full city (65,000
 * grids, 1.1 million vertices) a point had 1.8 candidates and walked 25 vertices, yet took 4 µs,
 * about half of it in the R-tree's boxed items and the feature, geometry and {@code Coordinate}
 * objects behind each candidate (JFR: {@code GeometryCollection.isEmpty} and {@code
 * LineString.isEmpty} alone 30%). A cell answers from two small {@code int} arrays, and a polygon
 * test reads one {@code double[]}.
 *
 * <h2>Structure</h2>
 *
 * The layer's bounds are cut into a uniform grid of top cells, about one per polygon. Each top cell
 * holds a quadtree, built the first time a point falls in it (so start-up pays nothing and memory
 * goes only where points land), as one {@code int[]} of nodes. A node is an inner node (its four
 * children follow at the index it holds), or a leaf:
 *
 * <ul>
 *   <li>empty: no polygon meets the cell;
 *   <li>inside: the cell lies in the interior of one polygon and meets no other;
 *   <li>list: the polygons meeting the cell, by ascending id, each tested by ray crossing over its
 *       rings packed in one {@code double[]} (made when a cell first lists the polygon, one per
 *       polygon however many cells list it).
 * </ul>
 *
 * A cell is split while a boundary crosses it, down to 1/{@value #FINE} of the largest side of the
 * smallest polygon crossing it, or {@value #MAX_DEPTH} levels below its top cell. Finer cells
 * answer more points without a test but cost memory: on the full city, with the rings packed, 1/4
 * held 29 MB for the 15,669 top cells that event positions reach, 1/8 39 MB and 1/16 58 MB, and
 * once the rings were packed the three ran within the noise of each other (2-3 million locates/s).
 * A leaf's cell is the closed rectangle the descent computes, with the same floating-point
 * midpoints at build and at query, so the cell a point descends to always contains it.
 *
 * <h2>Exactness</h2>
 *
 * The answer is the one {@link SimplePointInAreaLocator} (JTS ray crossing, exact on the boundary)
 * gives polygon by polygon, with the border rule: a polygon whose interior holds the point, else
 * the smallest id whose boundary does. A cell is classified "inside" or "outside" a polygon only
 * when no segment of the polygon's rings meets the closed cell (JTS's exact {@link
 * RectangleLineIntersector}): ray-crossing parity cannot change inside such a cell, so one corner
 * located by {@link SimplePointInAreaLocator} tells it for every point, even of an invalid polygon.
 * What is hand-written here is only the cell tree and its descent; every geometric predicate is
 * JTS's.
 *
 * <p>Where polygons overlap (not a coverage), a point inside several gets the smallest id among
 * them; the R-tree path gave whichever the tree visited first.
 *
 * <h2>Versions</h2>
 *
 * An index belongs to one {@link LayerIndex} version. {@link #withChanged} gives the next version's
 * index, sharing every built top cell the change does not touch: cells hold ordinals, which a
 * replacement or an addition keeps. Readers may build cells concurrently; a cell is immutable and
 * building one twice gives equal cells.
 */
public final class CellIndex {
  /** A point in no polygon. */
  public static final int NONE = -1;

  /** Cells split down to this fraction of the smallest polygon crossing them. */
  static final int FINE = 4;

  /** Levels of cells below a top cell, at most. */
  static final int MAX_DEPTH = 10;

  /** Top cells on an axis, at most. */
  private static final int MAX_TOP = 1024;

  /** Leaf node: no polygon. */
  private static final int EMPTY = -1;

  private final LayerIndex layer;
  private final Envelope bounds;
  private final int nx;
  private final int ny;
  private final double[] xs;
  private final double[] ys;
  private final double cellsPerX;
  private final double cellsPerY;
  private final AtomicReferenceArray<Cell> cells;

  /**
   * By ordinal, the rings of each polygon a built cell lists, in one {@code double[]} (null for the
   * others): per ring its number of vertices (negative for a hole of the shell before it), then x,
   * y of each vertex. One array, so that a test waits on one load, not the five of a JTS polygon's
   * objects.
   */
  private final AtomicReferenceArray<double[]> packed;

  /** One top cell's quadtree: nodes (see {@link CellIndex}) and the list leaves' ordinals. */
  private record Cell(int[] nodes, int[] lists) {}

  private CellIndex(
      LayerIndex layer, Envelope bounds, int nx, int ny, Cell[] built, double[][] packed) {
    this.layer = layer;
    this.bounds = bounds;
    this.nx = nx;
    this.ny = ny;
    this.xs = new double[nx + 1];
    this.ys = new double[ny + 1];
    for (int i = 0; i <= nx; i++) {
      xs[i] = i == nx ? bounds.getMaxX() : bounds.getMinX() + bounds.getWidth() * i / nx;
    }
    for (int j = 0; j <= ny; j++) {
      ys[j] = j == ny ? bounds.getMaxY() : bounds.getMinY() + bounds.getHeight() * j / ny;
    }
    this.cellsPerX = bounds.getWidth() > 0 ? nx / bounds.getWidth() : 0;
    this.cellsPerY = bounds.getHeight() > 0 ? ny / bounds.getHeight() : 0;
    this.cells =
        built == null ? new AtomicReferenceArray<>(nx * ny) : new AtomicReferenceArray<>(built);
    this.packed =
        packed == null
            ? new AtomicReferenceArray<>(layer.size())
            : new AtomicReferenceArray<>(packed);
  }

  /**
   * An index over a polygon layer's current features, with no cell built yet: about one top cell
   * per polygon over the layer's bounds, square in degrees.
   */
  static CellIndex of(LayerIndex layer) {
    Envelope b = layer.bounds();
    if (b.isNull()) {
      return new CellIndex(layer, b, 0, 0, new Cell[0], null);
    }
    double area = Math.max(b.getWidth(), 1e-12) * Math.max(b.getHeight(), 1e-12);
    double side = Math.sqrt(area / Math.max(1, layer.size()));
    int nx = (int) Math.max(1, Math.min(MAX_TOP, Math.round(b.getWidth() / side)));
    int ny = (int) Math.max(1, Math.min(MAX_TOP, Math.round(b.getHeight() / side)));
    return new CellIndex(layer, b, nx, ny, null, null);
  }

  /**
   * The index for {@code next}, a version of this index's layer made by replacing or adding
   * features (ordinals kept): top cells that meet any of {@code touched} (the old and new envelopes
   * of every feature whose geometry changed) are dropped, to be built again from {@code next}, and
   * the others shared, and so are the packed rings of polygons but those of {@code
   * changedOrdinals}. When {@code next} reaches beyond this index's bounds, a fresh index.
   */
  CellIndex withChanged(LayerIndex next, List<Envelope> touched, List<Integer> changedOrdinals) {
    if (bounds.isNull() || !bounds.covers(next.bounds())) {
      return of(next);
    }
    // cells before rings: a cell is published after the rings it lists (both volatile writes), so
    // a copied cell always finds its rings copied too
    Cell[] built = new Cell[nx * ny];
    for (int k = 0; k < built.length; k++) {
      built[k] = cells.get(k);
    }
    for (Envelope e : touched) {
      if (e.isNull() || !e.intersects(bounds)) {
        continue;
      }
      int i0 = column(e.getMinX());
      int i1 = column(e.getMaxX());
      int j0 = row(e.getMinY());
      int j1 = row(e.getMaxY());
      // a neighbour whose closed cell only touches the envelope's edge holds a leaf that lists or
      // excludes this polygon there too
      i0 = Math.max(0, i0 - 1);
      j0 = Math.max(0, j0 - 1);
      i1 = Math.min(nx - 1, i1 + 1);
      j1 = Math.min(ny - 1, j1 + 1);
      for (int j = j0; j <= j1; j++) {
        Arrays.fill(built, j * nx + i0, j * nx + i1 + 1, null);
      }
    }
    double[][] rings = new double[next.size()][];
    for (int o = 0; o < Math.min(rings.length, packed.length()); o++) {
      rings[o] = packed.get(o);
    }
    for (int o : changedOrdinals) {
      if (o < rings.length) {
        rings[o] = null;
      }
    }
    return new CellIndex(next, bounds, nx, ny, built, rings);
  }

  /**
   * Where a point is: the ordinal of the polygon whose interior holds it ({@code >= 0}), {@code -2
   * - ordinal} for the smallest-id polygon whose boundary holds it, or {@link #NONE}.
   */
  public int locate(double x, double y) {
    if (!(x >= bounds.getMinX()
        && x <= bounds.getMaxX()
        && y >= bounds.getMinY()
        && y <= bounds.getMaxY())) {
      return NONE; // NaN too
    }
    int i = column(x);
    int j = row(y);
    Cell c = cells.get(j * nx + i);
    if (c == null) {
      c = build(i, j);
      cells.set(j * nx + i, c);
    }
    double x0 = xs[i];
    double x1 = xs[i + 1];
    double y0 = ys[j];
    double y1 = ys[j + 1];
    int[] nodes = c.nodes;
    int v = nodes[0];
    while (v >= 0) {
      double mx = mid(x0, x1);
      double my = mid(y0, y1);
      int q = 0;
      if (x >= mx) {
        q = 1;
        x0 = mx;
      } else {
        x1 = mx;
      }
      if (y >= my) {
        q |= 2;
        y0 = my;
      } else {
        y1 = my;
      }
      v = nodes[v + q];
    }
    if (v == EMPTY) {
      return NONE;
    }
    int code = -2 - v;
    if ((code & 1) == 0) {
      return code >>> 1;
    }
    return testList(c, code >>> 1, x, y);
  }

  /** True when a {@link #locate} answer is a point on a boundary. */
  public static boolean onBoundary(int located) {
    return located < NONE;
  }

  /** The polygon ordinal of a {@link #locate} answer, or -1. */
  public static int ordinal(int located) {
    return located >= 0 ? located : located == NONE ? -1 : -2 - located;
  }

  /**
   * The listed polygons in id order: the first whose interior holds the point, else the first on
   * whose boundary it lies.
   */
  private int testList(Cell c, int at, double x, double y) {
    int[] lists = c.lists;
    int n = lists[at];
    Coordinate p = new Coordinate(x, y);
    int boundary = -1;
    for (int k = 1; k <= n; k++) {
      int o = lists[at + k];
      int loc = locate(packed.get(o), p);
      if (loc == Location.INTERIOR) {
        return o;
      }
      if (loc == Location.BOUNDARY && boundary < 0) {
        boundary = o;
      }
    }
    return boundary < 0 ? NONE : -2 - boundary;
  }

  /**
   * {@link SimplePointInAreaLocator#locate} over a polygon's packed rings: the first part (a shell
   * and its holes) not EXTERIOR; within a part, the shell's location unless INTERIOR, then a hole's
   * boundary is BOUNDARY and a hole's interior EXTERIOR.
   */
  private static int locate(double[] polygon, Coordinate p) {
    int at = 0;
    int end = polygon.length;
    while (at < end) {
      int n = (int) polygon[at];
      int loc = locateInRing(polygon, at + 1, n, p);
      at += 1 + 2 * n;
      if (loc == Location.INTERIOR) {
        while (at < end && polygon[at] < 0) {
          int h = (int) -polygon[at];
          int hole = locateInRing(polygon, at + 1, h, p);
          at += 1 + 2 * h;
          if (hole == Location.BOUNDARY) {
            return Location.BOUNDARY;
          }
          if (hole == Location.INTERIOR) {
            loc = Location.EXTERIOR;
            break;
          }
        }
      }
      if (loc != Location.EXTERIOR) {
        return loc;
      }
      while (at < end && polygon[at] < 0) {
        at += 1 + 2 * (int) -polygon[at]; // the holes of a part the point is not in
      }
    }
    return Location.EXTERIOR;
  }

  /**
   * {@link RayCrossingCounter#locatePointInRing} over a ring of {@code n} packed vertices from
   * {@code from}: the same segments in the same order, each counted by JTS's exact {@link
   * RayCrossingCounter#countSegment}. Only this loop over the array is ours.
   */
  private static int locateInRing(double[] xy, int from, int n, Coordinate p) {
    RayCrossingCounter counter = new RayCrossingCounter(p);
    Coordinate p1 = new Coordinate();
    Coordinate p2 = new Coordinate();
    for (int i = 1; i < n; i++) {
      int k = from + 2 * i;
      p1.x = xy[k];
      p1.y = xy[k + 1];
      p2.x = xy[k - 2];
      p2.y = xy[k - 1];
      counter.countSegment(p1, p2);
      if (counter.isOnSegment()) {
        return counter.getLocation();
      }
    }
    return counter.getLocation();
  }

  /** The midpoint the descent and the build both split a cell at (the same double, always). */
  private static double mid(double a, double b) {
    return (a + b) * 0.5;
  }

  /** The top cell column holding x (within the bounds): the last i with xs[i] <= x. */
  private int column(double x) {
    int i = (int) ((x - bounds.getMinX()) * cellsPerX);
    i = Math.max(0, Math.min(nx - 1, i));
    while (i > 0 && x < xs[i]) {
      i--;
    }
    while (i < nx - 1 && x >= xs[i + 1]) {
      i++;
    }
    return i;
  }

  private int row(double y) {
    int j = (int) ((y - bounds.getMinY()) * cellsPerY);
    j = Math.max(0, Math.min(ny - 1, j));
    while (j > 0 && y < ys[j]) {
      j--;
    }
    while (j < ny - 1 && y >= ys[j + 1]) {
      j++;
    }
    return j;
  }

  // ---- building a top cell ----

  /** A polygon whose rings cross a cell: its ordinal, extent, and the segments meeting the cell. */
  private record Crossing(int ordinal, double extent, double[] segments, int count) {}

  private Cell build(int i, int j) {
    Builder b = new Builder();
    Envelope top = new Envelope(xs[i], xs[i + 1], ys[j], ys[j + 1]);
    List<Integer> covering = new ArrayList<>();
    List<Crossing> crossing = new ArrayList<>();
    List<Integer> candidates = new ArrayList<>();
    layer.queryOrdinals(top, candidates::add);
    RectangleLineIntersector rli = new RectangleLineIntersector(top);
    for (int o : candidates) {
      Geometry g = layer.feature(o).geometry();
      double[] segs = segments(g, top, rli);
      classify(o, g, segs, segs.length / 4, top, covering, crossing);
    }
    int root = b.node(xs[i], xs[i + 1], ys[j], ys[j + 1], covering, crossing, 0);
    b.nodes[0] = root; // after node(), which may have grown the array
    Cell cell = new Cell(Arrays.copyOf(b.nodes, b.size), Arrays.copyOf(b.lists, b.listSize));
    for (int at = 0; at < cell.lists.length; at += cell.lists[at] + 1) {
      for (int k = 1; k <= cell.lists[at]; k++) {
        int o = cell.lists[at + k];
        if (packed.get(o) == null) {
          packed.set(o, pack(layer.feature(o).geometry()));
        }
      }
    }
    return cell;
  }

  /** A polygon's rings, packed as {@link #packed} holds them. */
  private static double[] pack(Geometry g) {
    int[] size = {0};
    forEachRing(g, (seq, shell) -> size[0] += 1 + 2 * seq.size());
    double[] out = new double[size[0]];
    int[] at = {0};
    forEachRing(
        g,
        (seq, shell) -> {
          int k = at[0];
          out[k++] = shell ? seq.size() : -seq.size();
          for (int v = 0; v < seq.size(); v++) {
            out[k++] = seq.getX(v);
            out[k++] = seq.getY(v);
          }
          at[0] = k;
        });
    return out;
  }

  /**
   * Puts a polygon where it belongs for a cell: crossing when some of its segments meet the cell,
   * else covering when the cell's corner (so the whole cell) is in its interior, else nowhere.
   */
  private void classify(
      int o,
      Geometry g,
      double[] segs,
      int count,
      Envelope cell,
      List<Integer> covering,
      List<Crossing> crossing) {
    if (count > 0) {
      Envelope e = g.getEnvelopeInternal();
      crossing.add(new Crossing(o, Math.max(e.getWidth(), e.getHeight()), segs, count));
      return;
    }
    int loc = SimplePointInAreaLocator.locate(new Coordinate(cell.getMinX(), cell.getMinY()), g);
    if (loc == Location.INTERIOR) {
      covering.add(o);
    } else if (loc == Location.BOUNDARY) {
      // cannot happen (no segment meets the cell, so neither does the boundary); if it did, list
      // the polygon and let ray crossing decide each point
      crossing.add(new Crossing(o, Double.POSITIVE_INFINITY, new double[0], 0));
    }
  }

  /** The ring segments of a polygonal geometry that meet the closed rectangle, as x0 y0 x1 y1. */
  private static double[] segments(Geometry g, Envelope rect, RectangleLineIntersector rli) {
    double[][] out = {new double[64]};
    int[] n = {0};
    forEachRing(
        g,
        (seq, shell) -> {
          Coordinate p0 = new Coordinate();
          Coordinate p1 = new Coordinate();
          for (int k = 0; k + 1 < seq.size(); k++) {
            seq.getCoordinate(k, p0);
            seq.getCoordinate(k + 1, p1);
            if (meets(p0.x, p0.y, p1.x, p1.y, rect, rli, p0, p1)) {
              n[0] = add(out, n[0], p0.x, p0.y, p1.x, p1.y);
            }
          }
        });
    return Arrays.copyOf(out[0], n[0]);
  }

  private static int add(double[][] out, int n, double x0, double y0, double x1, double y1) {
    if (n + 4 > out[0].length) {
      out[0] = Arrays.copyOf(out[0], out[0].length * 2);
    }
    out[0][n] = x0;
    out[0][n + 1] = y0;
    out[0][n + 2] = x1;
    out[0][n + 3] = y1;
    return n + 4;
  }

  /** Exact: an envelope test first, then JTS's segment-rectangle test (the closed rectangle). */
  private static boolean meets(
      double x0,
      double y0,
      double x1,
      double y1,
      Envelope rect,
      RectangleLineIntersector rli,
      Coordinate p0,
      Coordinate p1) {
    if (Math.max(x0, x1) < rect.getMinX()
        || Math.min(x0, x1) > rect.getMaxX()
        || Math.max(y0, y1) < rect.getMinY()
        || Math.min(y0, y1) > rect.getMaxY()) {
      return false;
    }
    p0.x = x0;
    p0.y = y0;
    p1.x = x1;
    p1.y = y1;
    return rli.intersects(p0, p1);
  }

  /** Receives a ring and whether it is a shell (else a hole of the shell before it). */
  private interface RingVisitor {
    void visit(CoordinateSequence ring, boolean shell);
  }

  /**
   * The rings of every polygon in a geometry (through collections), as {@link
   * SimplePointInAreaLocator} sees it: empty polygons and other components (points, lines) hold no
   * point.
   */
  private static void forEachRing(Geometry g, RingVisitor ring) {
    if (g instanceof Polygon p) {
      if (p.isEmpty()) {
        return;
      }
      ring.visit(p.getExteriorRing().getCoordinateSequence(), true);
      for (int h = 0; h < p.getNumInteriorRing(); h++) {
        ring.visit(p.getInteriorRingN(h).getCoordinateSequence(), false);
      }
    } else if (g instanceof GeometryCollection gc) {
      for (int k = 0; k < gc.getNumGeometries(); k++) {
        forEachRing(gc.getGeometryN(k), ring);
      }
    }
  }

  /** Grows one top cell's arrays while its tree is built depth first. */
  private final class Builder {
    int[] nodes = new int[64];
    int size = 1;
    int[] lists = new int[16];
    int listSize;
    final Map<List<Integer>, Integer> listAt = new HashMap<>();

    int node(
        double x0,
        double x1,
        double y0,
        double y1,
        List<Integer> covering,
        List<Crossing> crossing,
        int depth) {
      if (crossing.isEmpty()) {
        if (covering.isEmpty()) {
          return EMPTY;
        }
        if (covering.size() == 1) {
          return -2 - (covering.get(0) << 1);
        }
        return list(covering, crossing);
      }
      double smallest = Double.POSITIVE_INFINITY;
      for (Crossing c : crossing) {
        smallest = Math.min(smallest, c.extent());
      }
      if (depth >= MAX_DEPTH || Math.max(x1 - x0, y1 - y0) * FINE <= smallest) {
        return list(covering, crossing);
      }
      int block = size;
      if (size + 4 > nodes.length) {
        nodes = Arrays.copyOf(nodes, nodes.length * 2);
      }
      size += 4;
      double mx = mid(x0, x1);
      double my = mid(y0, y1);
      for (int q = 0; q < 4; q++) {
        double cx0 = (q & 1) == 0 ? x0 : mx;
        double cx1 = (q & 1) == 0 ? mx : x1;
        double cy0 = (q & 2) == 0 ? y0 : my;
        double cy1 = (q & 2) == 0 ? my : y1;
        Envelope child = new Envelope(cx0, cx1, cy0, cy1);
        RectangleLineIntersector rli = new RectangleLineIntersector(child);
        List<Integer> cov = new ArrayList<>(covering);
        List<Crossing> cross = new ArrayList<>();
        Coordinate p0 = new Coordinate();
        Coordinate p1 = new Coordinate();
        for (Crossing c : crossing) {
          double[] s = c.segments();
          double[] kept = new double[c.count() * 4];
          int n = 0;
          for (int k = 0; k < c.count() * 4; k += 4) {
            if (meets(s[k], s[k + 1], s[k + 2], s[k + 3], child, rli, p0, p1)) {
              kept[n++] = s[k];
              kept[n++] = s[k + 1];
              kept[n++] = s[k + 2];
              kept[n++] = s[k + 3];
            }
          }
          if (c.count() == 0) {
            cross.add(c); // the defensive case of classify: stays listed
          } else {
            classify(
                c.ordinal(),
                layer.feature(c.ordinal()).geometry(),
                Arrays.copyOf(kept, n),
                n / 4,
                child,
                cov,
                cross);
          }
        }
        int v = node(cx0, cx1, cy0, cy1, cov, cross, depth + 1);
        nodes[block + q] = v;
      }
      // four equal leaves (the same list, most often) are one leaf: the block was the last made
      int v = nodes[block];
      if (v < 0 && nodes[block + 1] == v && nodes[block + 2] == v && nodes[block + 3] == v) {
        size = block;
        return v;
      }
      return block;
    }

    /** A list leaf of the covering and crossing polygons by ascending id, shared when repeated. */
    private int list(List<Integer> covering, List<Crossing> crossing) {
      List<Integer> all = new ArrayList<>(covering);
      crossing.forEach(c -> all.add(c.ordinal()));
      all.sort((a, c) -> Long.compare(layer.feature(a).id(), layer.feature(c).id()));
      Integer at = listAt.get(all);
      if (at == null) {
        at = listSize;
        if (listSize + all.size() + 1 > lists.length) {
          lists = Arrays.copyOf(lists, Math.max(lists.length * 2, listSize + all.size() + 1));
        }
        lists[listSize++] = all.size();
        for (int o : all) {
          lists[listSize++] = o;
        }
        listAt.put(all, at);
      }
      return -2 - ((at << 1) | 1);
    }
  }

  // ---- what it costs ----

  /** Builds every top cell now (tests and benchmarks; the server builds cells as points arrive). */
  public CellIndex buildAll() {
    java.util.stream.IntStream.range(0, nx * ny)
        .parallel()
        .forEach(
            k -> {
              if (cells.get(k) == null) {
                cells.set(k, build(k % nx, k / nx));
              }
            });
    return this;
  }

  /**
   * What the built cells hold: top cells built, nodes, leaves of each kind, list entries, and the
   * bytes of it all with the packed rings (array headers of 16 bytes, a record of 24, a reference
   * of 4 with compressed oops).
   */
  public Stats stats() {
    long built = 0;
    long nodes = 0;
    long empty = 0;
    long inside = 0;
    long listed = 0;
    long listInts = 0;
    long vertices = 0;
    long bytes = 16L + 4L * nx * ny + 2 * (16L + 8L * (nx + 1));
    for (int k = 0; k < nx * ny; k++) {
      Cell c = cells.get(k);
      if (c == null) {
        continue;
      }
      built++;
      nodes += c.nodes.length;
      listInts += c.lists.length;
      bytes += 24 + 16 + 4L * c.nodes.length + 16 + 4L * c.lists.length;
      for (int v : c.nodes) {
        if (v == EMPTY) {
          empty++;
        } else if (v < EMPTY) {
          if (((-2 - v) & 1) == 0) {
            inside++;
          } else {
            listed++;
          }
        }
      }
    }
    bytes += 16 + 4L * packed.length();
    for (int o = 0; o < packed.length(); o++) {
      double[] r = packed.get(o);
      if (r != null) {
        bytes += 16 + 8L * r.length;
        vertices += r.length / 2;
      }
    }
    return new Stats(nx * ny, built, nodes, empty, inside, listed, listInts, vertices, bytes);
  }

  /** See {@link #stats()}. */
  public record Stats(
      long topCells,
      long builtTopCells,
      long nodes,
      long emptyLeaves,
      long insideLeaves,
      long listLeaves,
      long listInts,
      long packedVertices,
      long bytes) {}

  @Override
  public String toString() {
    return "CellIndex[" + nx + " x " + ny + " top cells over " + layer.name() + "]";
  }
}
