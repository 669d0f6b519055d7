package io.gridmap.importer.crs;

import java.util.OptionalInt;

/**
 * The coordinate reference system imported data is stored in, one of the few a Chinese city's data
 * arrives in: WGS84 and CGCS2000 longitude/latitude, CGCS2000 Gauss-Krüger zones, Web Mercator, and
 * the offset datums GCJ-02 and BD-09 of phone map SDKs. Everything is converted to WGS84 lon/lat on
 * the way in ({@link CrsTransform}); a CRS outside this list is refused with a message saying how
 * to pass {@code --crs}, never guessed.
 *
 * <p>Coordinates are always in traditional GIS order, x = longitude or easting, whatever the EPSG
 * axis order of the CRS: see {@link CrsTransform}.
 */
public sealed interface SourceCrs permits Geographic, GaussKruger, WebMercator {

  /** WGS84 longitude/latitude, EPSG:4326. */
  Geographic WGS84 = new Geographic(GeographicDatum.WGS84);

  /** CGCS2000 longitude/latitude, EPSG:4490. */
  Geographic CGCS2000 = new Geographic(GeographicDatum.CGCS2000);

  /** GCJ-02 longitude/latitude (no EPSG code). */
  Geographic GCJ02 = new Geographic(GeographicDatum.GCJ02);

  /** BD-09 longitude/latitude, Baidu's "bd09ll" (no EPSG code). */
  Geographic BD09 = new Geographic(GeographicDatum.BD09);

  /** Web Mercator, EPSG:3857. */
  WebMercator WEB_MERCATOR = new WebMercator();

  /** The EPSG code, or empty for GCJ-02 and BD-09, which have none. */
  OptionalInt epsg();

  /** The name as EPSG writes it ("CGCS2000 / 3-degree Gauss-Kruger CM 108E"), or ours. */
  String name();

  /** What {@code --crs} accepts for this CRS: "EPSG:4545", "gcj02". */
  default String code() {
    OptionalInt epsg = epsg();
    return epsg.isPresent() ? "EPSG:" + epsg.getAsInt() : name();
  }

  /** For messages: "EPSG:4545 (CGCS2000 / 3-degree Gauss-Kruger CM 108E)". */
  default String describe() {
    return epsg().isPresent() ? code() + " (" + name() + ")" : name();
  }

  /**
   * The CRS a {@code --crs} value names: "EPSG:4547", "4547", "wgs84", "cgcs2000", "gcj02", "bd09",
   * "EPSG:3857" and the other spellings {@link CrsNames} lists.
   *
   * @throws IllegalArgumentException for anything else, listing what is accepted
   */
  static SourceCrs parse(String value) {
    return CrsNames.parse(value);
  }

  /**
   * The CRS a Shapefile's {@code .prj} (WKT1, ESRI or OGC flavour) declares, matched on its datum
   * and projection parameters, not its names.
   *
   * @throws IllegalArgumentException when it is not WKT or matches no CRS we know, saying what it
   *     found and how to pass {@code --crs}
   */
  static SourceCrs fromPrj(String wkt) {
    return PrjMatcher.match(wkt);
  }
}
