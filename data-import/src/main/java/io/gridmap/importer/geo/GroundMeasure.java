package io.gridmap.importer.geo;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryCollection;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Polygon;

/**
 * Areas and lengths on the ground for WGS84 lon/lat geometries.
 *
 * <p>Areas use a sinusoidal projection centred on the geometry: it is equal-area, so the shoelace
 * sum of projected vertices is the ground area up to the curvature of edges (under 0.01% for a 100
 * km district). Lengths use a local equirectangular scale per segment.
 */
public final class GroundMeasure {
  private GroundMeasure() {}

  /** Mean Earth radius (IUGG), metres. */
  public static final double EARTH_RADIUS = 6_371_008.8;

  /** Metres per degree of latitude (and of longitude at the equator) on that sphere. */
  public static final double METRES_PER_DEGREE = Math.PI * EARTH_RADIUS / 180.0;

  /** Ground area in square metres of a polygonal lon/lat geometry (0 for other kinds). */
  public static double areaM2(Geometry g) {
    if (g.isEmpty()) {
      return 0;
    }
    double lon0 = g.getEnvelopeInternal().centre().x;
    double sum = 0;
    for (int i = 0; i < g.getNumGeometries(); i++) {
      Geometry part = g.getGeometryN(i);
      if (part instanceof Polygon p) {
        sum += Math.abs(ringArea(p.getExteriorRing(), lon0));
        for (int h = 0; h < p.getNumInteriorRing(); h++) {
          sum -= Math.abs(ringArea(p.getInteriorRingN(h), lon0));
        }
      } else if (part instanceof GeometryCollection) {
        sum += areaM2(part);
      }
    }
    return sum;
  }

  /** Ground area in square kilometres. */
  public static double areaKm2(Geometry g) {
    return areaM2(g) / 1e6;
  }

  private static double ringArea(LineString ring, double lon0) {
    Coordinate[] cs = ring.getCoordinates();
    double twice = 0;
    for (int i = 0; i + 1 < cs.length; i++) {
      double x1 = sinusoidalX(cs[i], lon0);
      double y1 = cs[i].y * METRES_PER_DEGREE;
      double x2 = sinusoidalX(cs[i + 1], lon0);
      double y2 = cs[i + 1].y * METRES_PER_DEGREE;
      twice += x1 * y2 - x2 * y1;
    }
    return twice / 2;
  }

  private static double sinusoidalX(Coordinate c, double lon0) {
    return (c.x - lon0) * METRES_PER_DEGREE * Math.cos(Math.toRadians(c.y));
  }

  /** Ground length in metres of a lon/lat segment. */
  public static double distanceM(Coordinate a, Coordinate b) {
    double k = Math.cos(Math.toRadians((a.y + b.y) / 2));
    double dx = (b.x - a.x) * k * METRES_PER_DEGREE;
    double dy = (b.y - a.y) * METRES_PER_DEGREE;
    return Math.sqrt(dx * dx + dy * dy);
  }

  /** Ground length in metres of all lines of a geometry, or of the boundary of a polygonal one. */
  public static double lengthM(Geometry g) {
    Geometry lines = g.getDimension() == 2 ? g.getBoundary() : g;
    double sum = 0;
    for (int i = 0; i < lines.getNumGeometries(); i++) {
      Coordinate[] cs = lines.getGeometryN(i).getCoordinates();
      for (int j = 0; j + 1 < cs.length; j++) {
        sum += distanceM(cs[j], cs[j + 1]);
      }
    }
    return sum;
  }

  /**
   * Polsby-Popper compactness 4πA/P²: 1 for a disc, about 0.9 for a regular hexagon, 0.785 for a
   * square, near 0 for a sliver.
   */
  public static double compactness(Geometry g) {
    double p = lengthM(g);
    return p == 0 ? 0 : 4 * Math.PI * areaM2(g) / (p * p);
  }
}
