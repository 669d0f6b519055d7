package io.gridmap.layers.query.cql2;

import io.gridmap.layers.geo.GroundMeasure;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.CoordinateSequenceFilter;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;

/**
 * A local metric frame for {@code S_DWITHIN}: an equirectangular frame centred on a geometry and
 * scaled by the WGS84 ellipsoid's radii of curvature there ({@link GroundMeasure#metresPerDegree}).
 * The frame is an affine image of lon/lat, so "do they intersect" is answered exactly; the nearest
 * points of two geometries are located in it to first order, which moves the distance only to
 * second order, and the distance between them is then measured with {@link GroundMeasure#metres}.
 *
 * <p>Not for the poles or across the antimeridian; PostGIS also draws polygon edges as great-circle
 * arcs, which differs from straight lon/lat edges by centimetres for edges of a few kilometres.
 */
final class LocalMetricProjection {
  private final double lon0;
  private final double lat0;
  private final double metresPerDegreeLon;
  private final double metresPerDegreeLat;

  LocalMetricProjection(double lon0, double lat0) {
    this.lon0 = lon0;
    this.lat0 = lat0;
    double[] k = GroundMeasure.metresPerDegree(lat0);
    this.metresPerDegreeLon = k[0];
    this.metresPerDegreeLat = k[1];
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

  /** A point of this frame back in lon/lat. */
  Coordinate unproject(Coordinate c) {
    return new Coordinate(lon0 + c.x / metresPerDegreeLon, lat0 + c.y / metresPerDegreeLat);
  }
}
