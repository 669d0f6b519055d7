package io.gridmap.importer.generate.shape;

import io.gridmap.importer.geo.FixedGrid;
import io.gridmap.layers.geo.GroundMeasure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.locationtech.jts.algorithm.locate.IndexedPointInAreaLocator;
import org.locationtech.jts.coverage.CoverageUnion;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.TopologyException;

/**
 * Cuts a polygon into exactly {@code n} children that tile it: Voronoi cells of random seeds,
 * relaxed with Lloyd's algorithm so they look like blocks rather than shards, cut to the parent by
 * {@link CellClipper}.
 *
 * <p>Afterwards, stray parts of multipart cells go to the neighbour with the longest shared border,
 * and a child under {@code minAreaM2} is merged into its longest-border neighbour while the largest
 * sibling is split in two, so the count stays exactly {@code n}.
 */
public final class Partitioner {
  private static final GeometryFactory F = FixedGrid.FACTORY;

  private final double minAreaM2;
  private final double densifyMetres;
  private final int lloydIterations;

  /** Fresh seeds are drawn this many times before a cut is declared impossible. */
  static final int MAX_ATTEMPTS = 8;

  /**
   * @param minAreaM2 smallest acceptable child, square metres
   * @param densifyMetres longest segment on the new inner edges (0: leave them straight)
   * @param lloydIterations relaxation steps; 2 turns random shards into block-like cells
   */
  public Partitioner(double minAreaM2, double densifyMetres, int lloydIterations) {
    this.minAreaM2 = minAreaM2;
    this.densifyMetres = densifyMetres;
    this.lloydIterations = lloydIterations;
  }

  /**
   * Exactly {@code n} polygonal children of {@code parent}, in reading order (north to south, west
   * to east), forming a coverage whose union is the parent.
   */
  public List<Geometry> partition(Geometry parent, int n, SplittableRandom rng) {
    if (n < 1) {
      throw new IllegalArgumentException("need at least one child, got " + n);
    }
    if (n == 1) {
      return List.of(parent);
    }
    RuntimeException last = null;
    List<Geometry> best = null;
    long bestSmall = Long.MAX_VALUE;
    ParentBoundary boundary = new ParentBoundary(parent);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        List<Geometry> children = cut(parent, n, rng);
        absorbStrayParts(children);
        fixSmallChildren(children, rng);
        String problem = problem(parent, children, n, boundary);
        if (problem == null) {
          long small =
              children.stream().filter(c -> GroundMeasure.sinusoidalAreaM2(c) < minAreaM2).count();
          if (small == 0) {
            return readingOrder(children, parent);
          }
          if (small < bestSmall) { // a clean cut, but too tight to keep every child large enough
            best = children;
            bestSmall = small;
          }
        } else {
          last = new IllegalStateException(problem);
        }
      } catch (TopologyException | IllegalStateException e) {
        last = e; // a rare degenerate cut (two crossings folded onto one vertex): draw new seeds
      }
    }
    if (best != null) {
      return readingOrder(best, parent);
    }
    throw new IllegalStateException(
        "cannot cut a parent with envelope "
            + parent.getEnvelopeInternal()
            + " into "
            + n
            + " children: "
            + last.getMessage(),
        last);
  }

  /** What is wrong with a cut, or null when the children tile the parent. */
  private static String problem(
      Geometry parent, List<Geometry> children, int n, ParentBoundary boundary) {
    if (children.size() != n) {
      return "expected " + n + " children but made " + children.size();
    }
    double sum = 0;
    for (Geometry c : children) {
      if (c.isEmpty() || !c.isValid()) {
        return "a child is empty or invalid";
      }
      sum += c.getArea();
      // A cut whose two crossings moved onto the ends of one boundary run leaves an inner edge
      // lying
      // along the boundary without its vertices: the parent's neighbour would not match it.
      for (Coordinate[] ring : rings(c)) {
        for (int j = 0; j + 1 < ring.length; j++) {
          if (!boundary.isBoundarySegment(ring[j], ring[j + 1])
              && boundary.onBoundary(midpoint(ring[j], ring[j + 1]))) {
            return "an inner edge runs along the parent's boundary at " + ring[j];
          }
        }
      }
    }
    if (Math.abs(sum - parent.getArea()) > 1e-7 * parent.getArea()) {
      return "children cover " + sum + " of the parent's " + parent.getArea() + " square degrees";
    }
    if (CoverageValidator.hasInvalidResult(
        CoverageValidator.validate(children.toArray(Geometry[]::new)))) {
      return "children overlap or leave gaps";
    }
    return null;
  }

  /**
   * Splits the parent along the boundary of a region: the part inside the region, then the part
   * outside. Either may be empty.
   */
  public List<Geometry> carve(Geometry parent, Polygon region) {
    ParentBoundary boundary = new ParentBoundary(parent);
    CellClipper clipper = new CellClipper(boundary, densifyMetres);
    Envelope box = new Envelope(parent.getEnvelopeInternal());
    box.expandToInclude(region.getEnvelopeInternal());
    box.expandBy(box.getWidth() * 0.1 + 1e-3, box.getHeight() * 0.1 + 1e-3);
    Polygon outside =
        F.createPolygon(
            F.createLinearRing(((Polygon) F.toGeometry(box)).getExteriorRing().getCoordinates()),
            new org.locationtech.jts.geom.LinearRing[] {region.getExteriorRing()});
    return List.of(union(clipper.clip(region)), union(clipper.clip(outside)));
  }

  // ---- the cut ----

  private List<Geometry> cut(Geometry parent, int n, SplittableRandom rng) {
    ParentBoundary boundary = new ParentBoundary(parent);
    CellClipper clipper = new CellClipper(boundary, densifyMetres);
    LocalVoronoi voronoi = new LocalVoronoi(parent.getEnvelopeInternal());
    List<Coordinate> seeds = randomPoints(parent, n, rng);
    for (int it = 0; it < lloydIterations; it++) {
      List<Geometry> cells = voronoi.cells(seeds);
      List<Coordinate> moved = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Coordinate c = clipper.centreInside(cells.get(i));
        moved.add(c == null ? seeds.get(i) : c);
      }
      if (distinct(moved)) {
        seeds = moved;
      }
    }
    List<Geometry> cells = voronoi.cells(seeds);
    List<Geometry> children = new ArrayList<>(n);
    for (Geometry cell : cells) {
      children.add(union(clipper.clip(cell)));
    }
    return children;
  }

  private static boolean distinct(List<Coordinate> pts) {
    return pts.stream().distinct().count() == pts.size();
  }

  private static List<Coordinate> randomPoints(Geometry parent, int n, SplittableRandom rng) {
    IndexedPointInAreaLocator locator = new IndexedPointInAreaLocator(parent);
    Envelope env = parent.getEnvelopeInternal();
    List<Coordinate> pts = new ArrayList<>(n);
    int tries = 0;
    while (pts.size() < n) {
      Coordinate c =
          new Coordinate(
              env.getMinX() + rng.nextDouble() * env.getWidth(),
              env.getMinY() + rng.nextDouble() * env.getHeight());
      if (locator.locate(c) == Location.INTERIOR && !pts.contains(c)) {
        pts.add(c);
      }
      if (++tries > 1000 * n + 10_000) {
        throw new IllegalStateException(
            "cannot place " + n + " seeds inside a parent of envelope " + env);
      }
    }
    return pts;
  }

  // ---- repairs that keep the count ----

  /** Gives every part but the largest of a multipart child to its longest-border neighbour. */
  private static void absorbStrayParts(List<Geometry> children) {
    for (int i = 0; i < children.size(); i++) {
      Geometry child = children.get(i);
      if (child.getNumGeometries() < 2) {
        continue;
      }
      List<Polygon> parts = parts(child);
      parts.sort(Comparator.comparingDouble(Geometry::getArea).reversed());
      List<Polygon> kept = new ArrayList<>(List.of(parts.get(0)));
      for (Polygon stray : parts.subList(1, parts.size())) {
        int to = longestBorderNeighbour(stray, children, i);
        if (to < 0) {
          kept.add(stray); // an island: nobody else touches it, it stays with its cell
        } else {
          children.set(to, coverageUnion(children.get(to), stray));
        }
      }
      children.set(i, union(kept));
    }
  }

  /** Merges children under the minimum area into a neighbour and splits the largest sibling. */
  private void fixSmallChildren(List<Geometry> children, SplittableRandom rng) {
    for (int round = 0; round < 2 * children.size(); round++) {
      int small = -1;
      for (int i = 0; i < children.size(); i++) {
        if (children.get(i).isEmpty()
            || GroundMeasure.sinusoidalAreaM2(children.get(i)) < minAreaM2) {
          small = i;
          break;
        }
      }
      if (small < 0) {
        return;
      }
      Geometry tiny = children.remove(small);
      if (!tiny.isEmpty()) {
        int to = longestBorderNeighbour(tiny, children, -1);
        if (to < 0) {
          children.add(small, tiny); // isolated: cannot merge, leave it
          return;
        }
        children.set(to, coverageUnion(children.get(to), tiny));
      }
      int largest = 0;
      for (int i = 1; i < children.size(); i++) {
        if (children.get(i).getArea() > children.get(largest).getArea()) {
          largest = i;
        }
      }
      Geometry big = children.remove(largest);
      List<Geometry> halves = cut(big, 2, rng);
      absorbStrayParts(halves);
      children.addAll(halves);
    }
  }

  private static int longestBorderNeighbour(Geometry part, List<Geometry> children, int self) {
    Map<ParentBoundary.Edge, Double> edges = new HashMap<>();
    for (Coordinate[] ring : rings(part)) {
      for (int j = 0; j + 1 < ring.length; j++) {
        edges.put(ParentBoundary.Edge.of(ring[j], ring[j + 1]), ring[j].distance(ring[j + 1]));
      }
    }
    int best = -1;
    double bestLength = 0;
    Envelope env = part.getEnvelopeInternal();
    for (int i = 0; i < children.size(); i++) {
      if (i == self || !children.get(i).getEnvelopeInternal().intersects(env)) {
        continue;
      }
      double shared = 0;
      for (Coordinate[] ring : rings(children.get(i))) {
        for (int j = 0; j + 1 < ring.length; j++) {
          Double len = edges.get(ParentBoundary.Edge.of(ring[j], ring[j + 1]));
          if (len != null) {
            shared += len;
          }
        }
      }
      if (shared > bestLength) {
        best = i;
        bestLength = shared;
      }
    }
    return best;
  }

  private static Coordinate midpoint(Coordinate a, Coordinate b) {
    return new Coordinate((a.x + b.x) / 2, (a.y + b.y) / 2);
  }

  private static List<Coordinate[]> rings(Geometry g) {
    List<Coordinate[]> out = new ArrayList<>();
    for (Polygon p : parts(g)) {
      out.add(p.getExteriorRing().getCoordinates());
      for (int h = 0; h < p.getNumInteriorRing(); h++) {
        out.add(p.getInteriorRingN(h).getCoordinates());
      }
    }
    return out;
  }

  private static List<Polygon> parts(Geometry g) {
    List<Polygon> out = new ArrayList<>();
    for (int i = 0; i < g.getNumGeometries(); i++) {
      if (g.getGeometryN(i) instanceof Polygon p && !p.isEmpty()) {
        out.add(p);
      }
    }
    return out;
  }

  private static Geometry coverageUnion(Geometry a, Geometry b) {
    return F.createGeometry(CoverageUnion.union(new Geometry[] {a, b}));
  }

  private static Geometry union(List<Polygon> polygons) {
    if (polygons.isEmpty()) {
      return F.createPolygon();
    }
    if (polygons.size() == 1) {
      return polygons.get(0);
    }
    return F.createGeometry(CoverageUnion.union(polygons.toArray(Geometry[]::new)));
  }

  /** North to south in bands about one child tall, west to east within a band. */
  private static List<Geometry> readingOrder(List<Geometry> children, Geometry parent) {
    Envelope env = parent.getEnvelopeInternal();
    double band = env.getHeight() / Math.max(1, Math.sqrt(children.size()));
    List<Geometry> sorted = new ArrayList<>(children);
    Map<Geometry, Coordinate> at = new IdentityHashMap<>();
    for (Geometry g : sorted) {
      at.put(g, g.getInteriorPoint().getCoordinate());
    }
    sorted.sort(
        Comparator.<Geometry>comparingLong(
                g -> (long) Math.floor((env.getMaxY() - at.get(g).y) / band))
            .thenComparingDouble(g -> at.get(g).x));
    return sorted;
  }
}
