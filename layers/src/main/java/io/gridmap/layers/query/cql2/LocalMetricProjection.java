package io.gridmap.layers.query.cql2;

import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.CoordinateSequenceFilter;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;

/**
 * Metres on WGS84 data for {@code S_DWITHIN}, without a projection library: an equirectangular
 * projection centred on the query geometry, scaled by the WGS84 ellipsoid's radii of curvature at
 * the centre latitude (meridional M for north-south, prime vertical N cos(lat) for east-west).
 *
 * <p>Accuracy: the scale is exact at the centre latitude and drifts by about tan(lat) x
 * delta-lat (radians) away from it; at Chongqing's ~30 N that is 0.1% at 10 km north or south of
 * the query geometry and 0.5% at 50 km, well under GPS error at the radii a grid query uses
 * (tens to thousands of metres). PostGIS's {@code ST_DWithin} on geography, which the SQL
 * translator emits, measures on the spheroid; results can differ only for features within that
 * margin of the threshold. Not for distances of hundreds of kilometres, the poles or the
 * antimeridian.
 */
final class LocalMetricProjection {
  private static final double A = 6_378_137.0;
  private static final double F = 1 / 298.257223563;
  private static final double E2 = F * (2 - F);
  /** Smallest length of a degree of latitude (at the equator), in metres: makes envelopes conservative. */
  private static final double MIN_METRES_PER_DEGREE_LAT = 110_574.0;
  /** Length of a degree of longitude at the equator (a lower bound for N, times cos lat), in metres. */
  private static final double METRES_PER_DEGREE_LON_EQUATOR = 111_319.0;

  private final double lon0;
  private final double lat0;
  private final double metresPerDegreeLon;
  private final double metresPerDegreeLat;

  LocalMetricProjection(double lon0, double lat0) {
    this.lon0 = lon0;
    this.lat0 = lat0;
    double phi = Math.toRadians(lat0);
    double s = Math.sin(phi);
    double w = Math.sqrt(1 - E2 * s * s);
    double m = A * (1 - E2) / (w * w * w);
    double n = A / w;
    this.metresPerDegreeLat = m * Math.PI / 180;
    this.metresPerDegreeLon = n * Math.cos(phi) * Math.PI / 180;
  }

  /** Centred on the middle of a geometry's envelope. */
  static LocalMetricProjection around(Geometry g) {
    Envelope e = g.getEnvelopeInternal();
    return new LocalMetricProjection(e.centre().x, e.centre().y);
  }

  /** A copy of the geometry in local metres. */
  Geometry project(Geometry g) {
    Geometry copy = g.copy();
    copy.apply(
        new CoordinateSequenceFilter() {
          @Override
          public void filter(CoordinateSequence seq, int i) {
            seq.setOrdinate(i, 0, (seq.getX(i) - lon0) * metresPerDegreeLon);
            seq.setOrdinate(i, 1, (seq.getY(i) - lat0) * metresPerDegreeLat);
          }

          @Override
          public boolean isDone() {
            return false;
          }

          @Override
          public boolean isGeometryChanged() {
            return true;
          }
        });
    return copy;
  }

  /**
   * The lon/lat envelope that contains every point within {@code metres} of {@code env}, by this
   * class's measure and by the spheroid's (with 0.5% to spare): an index prefilter.
   */
  static Envelope expand(Envelope env, double metres) {
    double dLat = metres / MIN_METRES_PER_DEGREE_LAT * 1.005;
    double minY = Math.max(-90, env.getMinY() - dLat);
    double maxY = Math.min(90, env.getMaxY() + dLat);
    double maxAbsLat = Math.max(Math.abs(minY), Math.abs(maxY));
    if (maxAbsLat >= 89.0) {
      return new Envelope(-180, 180, minY, maxY);
    }
    double dLon = metres / (METRES_PER_DEGREE_LON_EQUATOR * Math.cos(Math.toRadians(maxAbsLat))) * 1.005;
    return new Envelope(Math.max(-180, env.getMinX() - dLon), Math.min(180, env.getMaxX() + dLon), minY, maxY);
  }
}
