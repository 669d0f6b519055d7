package io.gridmap.layers.track;

/**
 * One fix of a force's track: when, and where in units of 1e-7 degrees (about 1 cm), the precision
 * positions are stored to. Integers, not doubles: the packing keeps them exactly.
 *
 * @param time epoch milliseconds
 * @param lonE7 WGS84 longitude times 10^7
 * @param latE7 WGS84 latitude times 10^7
 */
public record TrackPoint(long time, int lonE7, int latE7) {
  private static final double E7 = 1e7;

  public TrackPoint {
    if (lonE7 < -1_800_000_000 || lonE7 > 1_800_000_000) {
      throw new IllegalArgumentException(
          "longitude " + lonE7 / E7 + " is outside -180..180 degrees");
    }
    if (latE7 < -900_000_000 || latE7 > 900_000_000) {
      throw new IllegalArgumentException("latitude " + latE7 / E7 + " is outside -90..90 degrees");
    }
  }

  /** A fix at {@code lon}, {@code lat} degrees, rounded to 1e-7 degrees. */
  public static TrackPoint of(long time, double lon, double lat) {
    return new TrackPoint(time, (int) Math.round(lon * E7), (int) Math.round(lat * E7));
  }

  public double lon() {
    return lonE7 / E7;
  }

  public double lat() {
    return latE7 / E7;
  }
}
