package io.gridmap.layers.query.nearest;

import org.locationtech.jts.geom.Envelope;

/**
 * Metres between WGS84 points by the ellipsoidal mid-latitude formula (the radii of curvature of
 * the WGS84 ellipsoid at the mean latitude): within 0.01% of the geodesic for the tens of
 * kilometres a city spans, and cheap enough to run on every candidate.
 */
public final class GroundDistance {
  private static final double A = 6_378_137.0;
  private static final double F = 1 / 298.257223563;
  private static final double E2 = F * (2 - F);

  private GroundDistance() {}

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

  /** A lon/lat box holding every point within {@code metres} of (lon, lat), with a margin. */
  public static Envelope around(double lon, double lat, double metres) {
    double dLat = metres / 110_574.0 * 1.01;
    double maxAbsLat = Math.min(89, Math.abs(lat) + dLat);
    double dLon = metres / (111_319.0 * Math.cos(Math.toRadians(maxAbsLat))) * 1.01;
    return new Envelope(lon - dLon, lon + dLon, lat - dLat, lat + dLat);
  }

  /**
   * Metres per degree of longitude and of latitude at a latitude: a local equirectangular frame.
   */
  public static double[] metresPerDegree(double lat) {
    double phi = Math.toRadians(lat);
    double s = Math.sin(phi);
    double w = Math.sqrt(1 - E2 * s * s);
    double m = A * (1 - E2) / (w * w * w);
    double n = A / w;
    return new double[] {Math.toRadians(1) * n * Math.cos(phi), Math.toRadians(1) * m};
  }
}
