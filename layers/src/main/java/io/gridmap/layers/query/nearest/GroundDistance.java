package io.gridmap.layers.query.nearest;

import io.gridmap.layers.geo.GroundMeasure;

/**
 * Kept only while map-server's {@code HotspotTest} still calls it; everything else measures with
 * {@link GroundMeasure}.
 *
 * @deprecated use {@link GroundMeasure#metres(double, double, double, double)}
 */
@Deprecated(forRemoval = true)
public final class GroundDistance {
  private GroundDistance() {}

  /** As {@link GroundMeasure#metres(double, double, double, double)}. */
  public static double metres(double lon1, double lat1, double lon2, double lat2) {
    return GroundMeasure.metres(lon1, lat1, lon2, lat2);
  }
}
