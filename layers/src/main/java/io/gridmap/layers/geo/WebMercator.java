package io.gridmap.layers.geo;

import java.util.function.DoubleUnaryOperator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.CoordinateSequenceFilter;
import org.locationtech.jts.geom.Geometry;

/**
 * Spherical Web Mercator (EPSG:3857) forward and inverse projection.
 *
 * <p>Hand-written rather than through proj4j: it is two lines of maths on the tile hot path, and
 * proj4j's per-call object allocation would dominate there.
 */
public final class WebMercator {
  private WebMercator() {}

  /** Earth radius of EPSG:3857, metres. */
  public static final double RADIUS = 6378137.0;

  /** Half the width of the projected world, metres. */
  public static final double HALF_WORLD = Math.PI * RADIUS;

  /** Latitude at which the projected world is square. */
  public static final double MAX_LAT = 85.05112877980659;

  public static double x(double lon) {
    return Math.toRadians(lon) * RADIUS;
  }

  public static double y(double lat) {
    double clamped = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat));
    return Math.log(Math.tan(Math.PI / 4 + Math.toRadians(clamped) / 2)) * RADIUS;
  }

  public static double lon(double x) {
    return Math.toDegrees(x / RADIUS);
  }

  public static double lat(double y) {
    return Math.toDegrees(Math.atan(Math.sinh(y / RADIUS)));
  }

  /**
   * A lon/lat envelope in EPSG:3857 (exact: the projection is monotone in each axis); null stays
   * null.
   */
  public static org.locationtech.jts.geom.Envelope project(
      org.locationtech.jts.geom.Envelope lonLat) {
    if (lonLat.isNull()) {
      return new org.locationtech.jts.geom.Envelope();
    }
    return new org.locationtech.jts.geom.Envelope(
        x(lonLat.getMinX()), x(lonLat.getMaxX()), y(lonLat.getMinY()), y(lonLat.getMaxY()));
  }

  /** A copy of a lon/lat geometry projected to EPSG:3857 metres. */
  public static Geometry project(Geometry lonLat) {
    return transformed(lonLat, WebMercator::x, WebMercator::y);
  }

  private static Geometry transformed(
      Geometry source, DoubleUnaryOperator fx, DoubleUnaryOperator fy) {
    Geometry g = source.copy();
    g.apply(
        new CoordinateSequenceFilter() {
          @Override
          public void filter(CoordinateSequence seq, int i) {
            double x = seq.getX(i);
            double y = seq.getY(i);
            seq.setOrdinate(i, 0, fx.applyAsDouble(x));
            seq.setOrdinate(i, 1, fy.applyAsDouble(y));
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
    return g;
  }

  /** A lon/lat coordinate projected to EPSG:3857 metres, as a new coordinate. */
  public static Coordinate project(Coordinate lonLat) {
    return new Coordinate(x(lonLat.x), y(lonLat.y));
  }
}
