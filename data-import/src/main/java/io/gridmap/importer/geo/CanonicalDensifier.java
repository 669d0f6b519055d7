package io.gridmap.importer.geo;

import io.gridmap.layers.geo.GroundMeasure;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateArrays;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;

/**
 * Adds vertices along long edges so that the next level down can cut this polygon at an existing
 * vertex instead of inventing a new one.
 *
 * <p>The inserted points depend only on the segment, never on its direction or on the polygon that
 * owns it: the two neighbours that share an edge insert the identical points (rounded to {@link
 * FixedGrid}), so a densified coverage is still a coverage.
 */
public final class CanonicalDensifier {
  private final double maxSegmentMetres;
  private final BiPredicate<Coordinate, Coordinate> keep;

  /**
   * @param maxSegmentMetres longest segment left after densifying
   * @param keep segments for which this returns true are left as they are (e.g. a parent's boundary
   *     that is dense already)
   */
  public CanonicalDensifier(double maxSegmentMetres, BiPredicate<Coordinate, Coordinate> keep) {
    if (!(maxSegmentMetres > 0)) {
      throw new IllegalArgumentException("maxSegmentMetres must be > 0, got " + maxSegmentMetres);
    }
    this.maxSegmentMetres = maxSegmentMetres;
    this.keep = keep;
  }

  public CanonicalDensifier(double maxSegmentMetres) {
    this(maxSegmentMetres, (a, b) -> false);
  }

  /** A densified copy of a polygonal geometry. */
  public Geometry densify(Geometry polygonal) {
    GeometryFactory f = polygonal.getFactory();
    List<Polygon> out = new ArrayList<>();
    for (int i = 0; i < polygonal.getNumGeometries(); i++) {
      Polygon p = (Polygon) polygonal.getGeometryN(i);
      LinearRing shell = ring(p.getExteriorRing().getCoordinates(), f);
      LinearRing[] holes = new LinearRing[p.getNumInteriorRing()];
      for (int h = 0; h < holes.length; h++) {
        holes[h] = ring(p.getInteriorRingN(h).getCoordinates(), f);
      }
      out.add(f.createPolygon(shell, holes));
    }
    return out.size() == 1 && polygonal instanceof Polygon
        ? out.get(0)
        : f.createMultiPolygon(out.toArray(Polygon[]::new));
  }

  private LinearRing ring(Coordinate[] cs, GeometryFactory f) {
    List<Coordinate> out = new ArrayList<>(cs.length * 2);
    for (int i = 0; i + 1 < cs.length; i++) {
      out.add(cs[i]);
      if (!keep.test(cs[i], cs[i + 1])) {
        out.addAll(between(cs[i], cs[i + 1]));
      }
    }
    out.add(cs[cs.length - 1]);
    return f.createLinearRing(
        CoordinateArrays.removeRepeatedPoints(out.toArray(Coordinate[]::new)));
  }

  /** The points strictly between a and b, in the direction a to b. */
  List<Coordinate> between(Coordinate a, Coordinate b) {
    int n = (int) Math.ceil(GroundMeasure.sphereMetres(a, b) / maxSegmentMetres);
    if (n < 2) {
      return List.of();
    }
    boolean forward = a.compareTo(b) < 0;
    Coordinate lo = forward ? a : b;
    Coordinate hi = forward ? b : a;
    List<Coordinate> pts = new ArrayList<>(n - 1);
    for (int k = 1; k < n; k++) {
      double t = (double) k / n;
      pts.add(FixedGrid.round(new Coordinate(lo.x + (hi.x - lo.x) * t, lo.y + (hi.y - lo.y) * t)));
    }
    if (!forward) {
      java.util.Collections.reverse(pts);
    }
    return pts;
  }
}
