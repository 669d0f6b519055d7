package io.gridmap.importer.generate.shape;

import io.gridmap.importer.geo.FixedGrid;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineSegment;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.geom.util.LinearComponentExtracter;
import org.locationtech.jts.index.strtree.STRtree;

/**
 * The boundary of a polygon being cut into children, and the one rule that keeps the cut a coverage
 * across parents: a child may meet its parent's boundary only at a vertex the parent already has.
 *
 * <p>Where a cell edge crosses the boundary, the crossing point moves to the nearer end of the
 * boundary segment it lies on. The parent's neighbour (the other side of that boundary) therefore
 * never sees a vertex it does not have, and its own children line up with ours exactly. Parents are
 * densified (every 40 m on district borders, a fifth of a grid elsewhere) so the move is small.
 */
final class ParentBoundary {
  /** A point this close to the boundary is on it: 1e-6° is 10 cm, ten grid steps. */
  static final double ON_BOUNDARY = 1e-6;

  private final Geometry parent;
  private final PreparedGeometry prepared;
  private final Set<Coordinate> vertices = new HashSet<>();
  private final Set<Edge> segments = new HashSet<>();
  private final STRtree index = new STRtree();

  ParentBoundary(Geometry parent) {
    this.parent = parent;
    this.prepared = PreparedGeometryFactory.prepare(parent);
    @SuppressWarnings("unchecked")
    List<LineString> rings = LinearComponentExtracter.getLines(parent);
    for (LineString ring : rings) {
      Coordinate[] cs = ring.getCoordinates();
      for (int i = 0; i + 1 < cs.length; i++) {
        vertices.add(cs[i]);
        segments.add(Edge.of(cs[i], cs[i + 1]));
        LineSegment s = new LineSegment(cs[i], cs[i + 1]);
        index.insert(new Envelope(cs[i], cs[i + 1]), s);
      }
    }
    index.build();
  }

  Geometry geometry() {
    return parent;
  }

  PreparedGeometry prepared() {
    return prepared;
  }

  /** True when a-b is a whole segment of the parent's boundary. */
  boolean isBoundarySegment(Coordinate a, Coordinate b) {
    return segments.contains(Edge.of(a, b));
  }

  /** True when c is within {@link #ON_BOUNDARY} of the boundary. */
  boolean onBoundary(Coordinate c) {
    Envelope near = new Envelope(c);
    near.expandBy(ON_BOUNDARY);
    for (Object o : index.query(near)) {
      if (((LineSegment) o).distance(c) < ON_BOUNDARY) {
        return true;
      }
    }
    return false;
  }

  /**
   * Where a vertex of a clipped cell goes: a parent vertex stays; a point on the boundary moves to
   * the nearer end of its segment; anything inside is rounded to the grid.
   */
  Coordinate place(Coordinate c) {
    if (vertices.contains(c)) {
      return c;
    }
    Envelope near = new Envelope(c);
    near.expandBy(ON_BOUNDARY);
    LineSegment best = null;
    double bestDistance = ON_BOUNDARY;
    for (Object o : index.query(near)) {
      LineSegment s = (LineSegment) o;
      double d = s.distance(c);
      if (d < bestDistance || (d == bestDistance && best != null && s.compareTo(best) < 0)) {
        best = s;
        bestDistance = d;
      }
    }
    if (best == null) {
      return FixedGrid.round(c);
    }
    return c.distance(best.p0) <= c.distance(best.p1) ? best.p0.copy() : best.p1.copy();
  }

  /** An undirected segment as a hash key. */
  record Edge(double x1, double y1, double x2, double y2) {
    static Edge of(Coordinate a, Coordinate b) {
      return a.compareTo(b) <= 0 ? new Edge(a.x, a.y, b.x, b.y) : new Edge(b.x, b.y, a.x, a.y);
    }
  }
}
