package io.gridmap.layers.geo;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryCollection;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Polygon;

/**
 * Ground measures of WGS84 lon/lat data, for every module: distances in metres, areas in square
 * metres, and the box that holds everything within a distance.
 *
 * <h2>Distance: the ellipsoid at the mean latitude</h2>
 *
 * {@link #metres} scales the lon/lat differences by the WGS84 ellipsoid's radii of curvature at the
 * two points' mean latitude. Against PostGIS's spheroid distance (which the CQL2 SQL translator's
 * {@code ST_DWithin} on geography uses): 0.004 m at 18.9 km, 0.001% at 124 km, 0.003% at 290 km,
 * 0.03% at 655 km (measured near Chongqing); cheap enough to run on every candidate of a nearest
 * query. Not for the poles or across the antimeridian.
 *
 * <h2>Area: the mean sphere, equal-area</h2>
 *
 * {@link #areaM2} measures in Lambert's cylindrical equal-area projection of the IUGG mean sphere
 * (x = R λ, y = R sin φ): exact for a lon/lat box, R² Δλ (sin φmax − sin φmin). A straight lon/lat
 * edge bends a little in the projection, too little to see at a city's sizes. Areas on this sphere
 * are 0.12% larger than on the ellipsoid at Chongqing's latitude.
 *
 * <h2>The generator's measures</h2>
 *
 * {@link #sinusoidalAreaM2}, {@link #sphereMetres} and {@link #SPHERE_METRES_PER_DEGREE} are what
 * the city generator was built on, on the same sphere: areas in a sinusoidal projection, lengths by
 * a local equirectangular scale. Every generated city depends on their last bits (a core's radius
 * is bisected on an area, cuts are checked against a smallest area, borders are densified by a
 * length). The sinusoidal area agrees with {@link #areaM2} to about 1e-13 of a district's area,
 * floating-point noise, yet measuring the generator with {@link #areaM2} re-draws most of 渝北 and
 * 沙坪坝 (seed 42, scale 0.4); the spherical lengths differ from {@link #metres} by up to 0.3%. So the
 * generator keeps them, and a city generated from a seed stays the city it was; nothing outside the
 * generator and its tests should use them.
 */
public final class GroundMeasure {
  private GroundMeasure() {}

  /** Mean Earth radius (IUGG), metres: the sphere areas are measured on. */
  public static final double EARTH_RADIUS = 6_371_008.8;

  /** WGS84 semi-major axis, metres. */
  private static final double A = 6_378_137.0;

  /** WGS84 flattening. */
  private static final double F = 1 / 298.257223563;

  /** WGS84 first eccentricity squared. */
  private static final double E2 = F * (2 - F);

  /**
   * Smallest length of a degree of latitude (at the equator), metres: makes {@link #expand}
   * conservative.
   */
  private static final double MIN_METRES_PER_DEGREE_LAT = 110_574.0;

  /**
   * Length of a degree of longitude at the equator (a lower bound for N, times cos lat), metres.
   */
  private static final double METRES_PER_DEGREE_LON_EQUATOR = 111_319.0;

  // ---------------------------------------------------------------- distance

  /** Metres between two lon/lat points (the ellipsoid at their mean latitude). */
  public static double metres(double lon1, double lat1, double lon2, double lat2) {
    double phi = Math.toRadians((lat1 + lat2) / 2);
    double s = Math.sin(phi);
    double w = Math.sqrt(1 - E2 * s * s);
    double m = A * (1 - E2) / (w * w * w);
    double n = A / w;
    double dx = Math.toRadians(lon2 - lon1) * n * Math.cos(phi);
    double dy = Math.toRadians(lat2 - lat1) * m;
    return Math.hypot(dx, dy);
  }

  /**
   * Metres between two lon/lat coordinates; see {@link #metres(double, double, double, double)}.
   */
  public static double metres(Coordinate a, Coordinate b) {
    return metres(a.x, a.y, b.x, b.y);
  }

  /**
   * Metres per degree of longitude and of latitude at a latitude, on the ellipsoid: a local
   * equirectangular frame.
   *
   * @return {metres per degree of longitude, metres per degree of latitude}
   */
  public static double[] metresPerDegree(double lat) {
    double phi = Math.toRadians(lat);
    double s = Math.sin(phi);
    double w = Math.sqrt(1 - E2 * s * s);
    double m = A * (1 - E2) / (w * w * w);
    double n = A / w;
    return new double[] {Math.toRadians(1) * n * Math.cos(phi), Math.toRadians(1) * m};
  }

  /**
   * The lon/lat envelope that holds every point within {@code metres} of {@code env}, by {@link
   * #metres} and by the spheroid's geodesic (with 0.5% to spare): an index prefilter. Near a pole
   * it spans every longitude.
   */
  public static Envelope expand(Envelope env, double metres) {
    double dLat = metres / MIN_METRES_PER_DEGREE_LAT * 1.005;
    double minY = Math.max(-90, env.getMinY() - dLat);
    double maxY = Math.min(90, env.getMaxY() + dLat);
    double maxAbsLat = Math.max(Math.abs(minY), Math.abs(maxY));
    if (maxAbsLat >= 89.0) {
      return new Envelope(-180, 180, minY, maxY);
    }
    double dLon =
        metres / (METRES_PER_DEGREE_LON_EQUATOR * Math.cos(Math.toRadians(maxAbsLat))) * 1.005;
    return new Envelope(
        Math.max(-180, env.getMinX() - dLon), Math.min(180, env.getMaxX() + dLon), minY, maxY);
  }

  // ---------------------------------------------------------------- area

  /**
   * Ground area in square metres of a polygonal lon/lat geometry (0 for other kinds), in the
   * cylindrical equal-area projection of the mean sphere.
   */
  public static double areaM2(Geometry g) {
    if (g.isEmpty()) {
      return 0;
    }
    // coordinates relative to the envelope's centre, so that a sliver's area is not lost to
    // cancellation between products of ten million metres
    Coordinate centre = g.getEnvelopeInternal().centre();
    double lon0 = centre.x;
    double sin0 = Math.sin(Math.toRadians(centre.y));
    double sum = 0;
    for (int i = 0; i < g.getNumGeometries(); i++) {
      Geometry part = g.getGeometryN(i);
      if (part instanceof Polygon p) {
        sum += Math.abs(equalAreaRing(p.getExteriorRing(), lon0, sin0));
        for (int h = 0; h < p.getNumInteriorRing(); h++) {
          sum -= Math.abs(equalAreaRing(p.getInteriorRingN(h), lon0, sin0));
        }
      } else if (part instanceof GeometryCollection) {
        sum += areaM2(part);
      }
    }
    return sum;
  }

  /** Ground area in square metres of a lon/lat box (exact on the sphere); 0 for a null envelope. */
  public static double areaM2(Envelope lonLat) {
    if (lonLat.isNull()) {
      return 0;
    }
    return EARTH_RADIUS
        * EARTH_RADIUS
        * Math.toRadians(lonLat.getWidth())
        * (Math.sin(Math.toRadians(lonLat.getMaxY())) - Math.sin(Math.toRadians(lonLat.getMinY())));
  }

  /** Twice-signed shoelace sum of a ring in the equal-area projection, halved. */
  private static double equalAreaRing(LineString ring, double lon0, double sin0) {
    Coordinate[] cs = ring.getCoordinates();
    double twice = 0;
    for (int i = 0; i + 1 < cs.length; i++) {
      double x1 = EARTH_RADIUS * Math.toRadians(cs[i].x - lon0);
      double y1 = EARTH_RADIUS * (Math.sin(Math.toRadians(cs[i].y)) - sin0);
      double x2 = EARTH_RADIUS * Math.toRadians(cs[i + 1].x - lon0);
      double y2 = EARTH_RADIUS * (Math.sin(Math.toRadians(cs[i + 1].y)) - sin0);
      twice += x1 * y2 - x2 * y1;
    }
    return twice / 2;
  }

  // ---------------------------------------------------------------- the generator's measures

  /** Metres per degree of latitude (and of longitude at the equator) on the mean sphere. */
  public static final double SPHERE_METRES_PER_DEGREE = Math.PI * EARTH_RADIUS / 180.0;

  /**
   * The generator's area: square metres of a polygonal lon/lat geometry (0 for other kinds) in a
   * sinusoidal projection of the mean sphere centred on the geometry's longitude. Use {@link
   * #areaM2} instead; see the class comment.
   */
  public static double sinusoidalAreaM2(Geometry g) {
    if (g.isEmpty()) {
      return 0;
    }
    double lon0 = g.getEnvelopeInternal().centre().x;
    double sum = 0;
    for (int i = 0; i < g.getNumGeometries(); i++) {
      Geometry part = g.getGeometryN(i);
      if (part instanceof Polygon p) {
        sum += Math.abs(sinusoidalRing(p.getExteriorRing(), lon0));
        for (int h = 0; h < p.getNumInteriorRing(); h++) {
          sum -= Math.abs(sinusoidalRing(p.getInteriorRingN(h), lon0));
        }
      } else if (part instanceof GeometryCollection) {
        sum += sinusoidalAreaM2(part);
      }
    }
    return sum;
  }

  private static double sinusoidalRing(LineString ring, double lon0) {
    Coordinate[] cs = ring.getCoordinates();
    double twice = 0;
    for (int i = 0; i + 1 < cs.length; i++) {
      double x1 = sinusoidalX(cs[i], lon0);
      double y1 = cs[i].y * SPHERE_METRES_PER_DEGREE;
      double x2 = sinusoidalX(cs[i + 1], lon0);
      double y2 = cs[i + 1].y * SPHERE_METRES_PER_DEGREE;
      twice += x1 * y2 - x2 * y1;
    }
    return twice / 2;
  }

  private static double sinusoidalX(Coordinate c, double lon0) {
    return (c.x - lon0) * SPHERE_METRES_PER_DEGREE * Math.cos(Math.toRadians(c.y));
  }

  /**
   * The generator's length: metres of a lon/lat segment on the mean sphere, scaled by the cosine of
   * its mean latitude. Use {@link #metres} instead; see the class comment.
   */
  public static double sphereMetres(Coordinate a, Coordinate b) {
    double k = Math.cos(Math.toRadians((a.y + b.y) / 2));
    double dx = (b.x - a.x) * k * SPHERE_METRES_PER_DEGREE;
    double dy = (b.y - a.y) * SPHERE_METRES_PER_DEGREE;
    return Math.sqrt(dx * dx + dy * dy);
  }
}
