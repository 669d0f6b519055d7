package io.gridmap.importer.crs;

import java.util.Optional;

/**
 * Whether a Gauss-Krüger coordinate's size fits the declared zone. Converting the wrong form does
 * not fail, it lands hundreds or thousands of kilometres away, so the easting is checked before
 * anything is converted and a misfit is reported with the likely fix.
 *
 * <p>Within China a zone's eastings lie within about 350 km of the central meridian (a 6° zone's
 * edge at the southern tip, 3° at 18°N, is 3 × 106 km) and its northings between about 0 and
 * 6,200,000 m (Mohe, 53.6°N, is 5,940 km from the equator). A CM-form easting is therefore 6 digits
 * around 500,000, a prefixed one 8 digits whose first two are the zone, and a northing 7 digits.
 */
final class GaussKrugerCheck {
  private GaussKrugerCheck() {}

  /** Half the widest span of eastings either side of 500,000 that we accept, metres. */
  static final double HALF_SPAN = 500_000;

  /** The largest northing in China, with margin, metres. */
  static final double MAX_NORTHING = 6_500_000;

  /**
   * Null if (x, y) fits the zone, else why not and what to do (without the coordinate, which the
   * caller names).
   */
  static String misfit(GaussKruger zone, double x, double y) {
    if (!Double.isFinite(x) || !Double.isFinite(y)) {
      return "is not a number";
    }
    long prefix = (long) Math.floor(x / 1_000_000);
    boolean looksNorthingFirst =
        x >= 1_000_000 && x < 10_000_000 && y >= 0 && y < 1_000_000 || y >= 10_000_000;
    if (looksNorthingFirst) {
      return "looks northing first (x is a northing's size, y an easting's): Shapefiles and"
          + " GeoPackages store the easting as x, whatever the EPSG axis order; swap the axes"
          + " before importing";
    }
    if (y < 0 || y > MAX_NORTHING) {
      return "has a northing outside China's (0 to " + (long) MAX_NORTHING + " m)";
    }
    if (!zone.zonePrefixed()) {
      if (x >= 0 && x < 2 * HALF_SPAN) {
        return null;
      }
      Optional<GaussKruger> named = GaussKruger.ofPrefix(prefix);
      if (x >= 10_000_000 && named.isPresent()) {
        return "has an 8-digit easting, which carries the zone prefix "
            + prefix
            + ", but "
            + zone.describe()
            + " is a central-meridian form whose eastings are 6 digits around 500000; if the data"
            + " is in zone "
            + prefix
            + ", pass --crs "
            + named.get().code()
            + " ("
            + named.get().name()
            + ")";
      }
      return "has an easting outside " + zone.describe() + "'s (0 to 1000000 m)";
    }
    if (x >= 0 && x < 2 * HALF_SPAN) {
      return "has a 6-digit easting without the zone prefix ("
          + zone.zone()
          + "xxxxxx) that "
          + zone.describe()
          + " expects; if the data is in that zone without the prefix, pass --crs "
          + zone.otherForm().code()
          + " ("
          + zone.otherForm().name()
          + ")";
    }
    if (prefix != zone.zone()) {
      Optional<GaussKruger> named = GaussKruger.ofPrefix(prefix);
      return "has an easting with the zone prefix "
          + prefix
          + ", but "
          + zone.describe()
          + " is zone "
          + zone.zone()
          + named
              .map(n -> "; if the data is in zone " + prefix + ", pass --crs " + n.code())
              .orElse(", and no CGCS2000 zone is numbered " + prefix);
    }
    return null;
  }
}
