package io.gridmap.importer.crs;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A CGCS2000 Gauss-Krüger zone: transverse Mercator on the CGCS2000 (GRS80-sized) ellipsoid, scale
 * 1 on the central meridian, latitude of origin 0, false northing 0, metres.
 *
 * <p>EPSG has each zone twice. The zone-prefixed form puts the zone number in front of the easting
 * (false easting zone × 1,000,000 + 500,000: zone 36 writes 36,512,345.6, 8 digits); the
 * central-meridian ("CM") form does not (false easting 500,000: 512,345.6, 6 digits). The same
 * point differs by tens of millions of metres between them, so the form matters, and an easting's
 * size tells which one the data is in ({@link GaussKrugerCheck}). The codes, as EPSG and GDAL give
 * them ({@code gdalsrsinfo -o proj4 EPSG:4491 … EPSG:4554}):
 *
 * <ul>
 *   <li>4491–4501: 6° zones 13–23, prefixed (central meridians 75°E–135°E, 6 zone − 3)
 *   <li>4502–4512: 6° zones, CM form, "CGCS2000 / Gauss-Kruger CM 75E" … "CM 135E"
 *   <li>4513–4533: 3° zones 25–45, prefixed (central meridians 75°E–135°E, 3 zone)
 *   <li>4534–4554: 3° zones, CM form, "CGCS2000 / 3-degree Gauss-Kruger CM 75E" … "CM 135E"
 * </ul>
 *
 * <p>A 6° CM form and the 3° CM form on the same meridian (105°E: EPSG:4507 and EPSG:4544) have
 * identical parameters and so convert identically; only their names differ.
 *
 * @param zoneWidth 3 or 6 degrees
 * @param centralMeridian degrees east, 75 to 135
 * @param zonePrefixed whether eastings carry the zone number in front
 */
public record GaussKruger(int zoneWidth, int centralMeridian, boolean zonePrefixed)
    implements SourceCrs {

  /** The central meridians of China's zones, degrees east. */
  static final int FIRST_MERIDIAN = 75;

  static final int LAST_MERIDIAN = 135;

  /** The false easting of every zone, before any zone prefix. */
  static final double FALSE_EASTING = 500_000;

  public GaussKruger {
    if (zoneWidth != 3 && zoneWidth != 6) {
      throw new IllegalArgumentException(
          "expected a zone width of 3 or 6 degrees but found " + zoneWidth);
    }
    if (centralMeridian < FIRST_MERIDIAN
        || centralMeridian > LAST_MERIDIAN
        || (zoneWidth == 3 ? centralMeridian % 3 != 0 : (centralMeridian + 3) % 6 != 0)) {
      throw new IllegalArgumentException(
          "expected the central meridian of a CGCS2000 "
              + zoneWidth
              + "-degree zone ("
              + (zoneWidth == 3 ? "75, 78, … 135" : "75, 81, … 135")
              + ") but found "
              + centralMeridian);
    }
  }

  /** The zone of a width whose number is {@code zone} (3°: 25–45, 6°: 13–23), if China has it. */
  static Optional<GaussKruger> ofZone(int zoneWidth, int zone, boolean zonePrefixed) {
    int cm = zoneWidth == 3 ? zone * 3 : zone * 6 - 3;
    if (cm < FIRST_MERIDIAN || cm > LAST_MERIDIAN) {
      return Optional.empty();
    }
    return Optional.of(new GaussKruger(zoneWidth, cm, zonePrefixed));
  }

  /**
   * The zone a zone prefix names: 13–23 are 6° zones and 25–45 3° zones, so the prefix alone tells
   * the width.
   */
  static Optional<GaussKruger> ofPrefix(long prefix) {
    if (prefix >= 13 && prefix <= 23) {
      return ofZone(6, (int) prefix, true);
    }
    if (prefix >= 25 && prefix <= 45) {
      return ofZone(3, (int) prefix, true);
    }
    return Optional.empty();
  }

  /** The zone an EPSG code 4491–4554 names. */
  static Optional<GaussKruger> ofEpsg(int code) {
    if (code >= 4491 && code <= 4501) {
      return ofZone(6, code - 4491 + 13, true);
    }
    if (code >= 4502 && code <= 4512) {
      return ofZone(6, code - 4502 + 13, false);
    }
    if (code >= 4513 && code <= 4533) {
      return ofZone(3, code - 4513 + 25, true);
    }
    if (code >= 4534 && code <= 4554) {
      return ofZone(3, code - 4534 + 25, false);
    }
    return Optional.empty();
  }

  /** The zone number: 3° zones 25–45, 6° zones 13–23. */
  public int zone() {
    return zoneWidth == 3 ? centralMeridian / 3 : (centralMeridian + 3) / 6;
  }

  /** 500,000 m, plus zone × 1,000,000 in the prefixed form. */
  public double falseEasting() {
    return zonePrefixed ? zone() * 1_000_000.0 + FALSE_EASTING : FALSE_EASTING;
  }

  /** The same zone in the other form: prefixed for a CM form and the other way round. */
  public GaussKruger otherForm() {
    return new GaussKruger(zoneWidth, centralMeridian, !zonePrefixed);
  }

  @Override
  public OptionalInt epsg() {
    int first = zoneWidth == 6 ? (zonePrefixed ? 4491 : 4502) : (zonePrefixed ? 4513 : 4534);
    int firstZone = zoneWidth == 6 ? 13 : 25;
    return OptionalInt.of(first + zone() - firstZone);
  }

  @Override
  public String name() {
    return "CGCS2000 / "
        + (zoneWidth == 3 ? "3-degree " : "")
        + "Gauss-Kruger "
        + (zonePrefixed ? "zone " + zone() : "CM " + centralMeridian + "E");
  }
}
