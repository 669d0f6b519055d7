package io.gridmap.importer.crs;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The values {@code --crs} accepts, and the refusal that lists them. */
final class CrsNames {
  private CrsNames() {}

  /** What the refusal lists. */
  static final String ACCEPTED =
      "wgs84 (EPSG:4326), cgcs2000 (EPSG:4490), gcj02, bd09, EPSG:3857 (Web Mercator; also 900913,"
          + " ESRI:102100), and the CGCS2000 Gauss-Kruger zones EPSG:4491-4554 (4491-4501 6-degree"
          + " zones 13-23 with the zone prefix, 4502-4512 6-degree CM 75E-135E, 4513-4533"
          + " 3-degree zones 25-45 with the zone prefix, 4534-4554 3-degree CM 75E-135E); a code"
          + " may be written 4547, EPSG:4547, urn:ogc:def:crs:EPSG::4547 or"
          + " http://www.opengis.net/def/crs/EPSG/0/4547";

  private static final Map<String, SourceCrs> WORDS =
      Map.ofEntries(
          Map.entry("wgs84", SourceCrs.WGS84),
          Map.entry("wgs-84", SourceCrs.WGS84),
          Map.entry("wgs 84", SourceCrs.WGS84),
          Map.entry("crs84", SourceCrs.WGS84),
          Map.entry("ogc:crs84", SourceCrs.WGS84),
          Map.entry("urn:ogc:def:crs:ogc:1.3:crs84", SourceCrs.WGS84),
          Map.entry("http://www.opengis.net/def/crs/ogc/1.3/crs84", SourceCrs.WGS84),
          Map.entry("cgcs2000", SourceCrs.CGCS2000),
          Map.entry("gcj02", SourceCrs.GCJ02),
          Map.entry("gcj-02", SourceCrs.GCJ02),
          Map.entry("bd09", SourceCrs.BD09),
          Map.entry("bd-09", SourceCrs.BD09),
          Map.entry("bd09ll", SourceCrs.BD09),
          Map.entry("esri:102100", SourceCrs.WEB_MERCATOR),
          Map.entry("esri:102113", SourceCrs.WEB_MERCATOR),
          Map.entry("webmercator", SourceCrs.WEB_MERCATOR),
          Map.entry("web-mercator", SourceCrs.WEB_MERCATOR));

  /** A bare code, or one behind EPSG's prefixes. */
  private static final Pattern CODE =
      Pattern.compile(
          "(?:epsg:|urn:ogc:def:crs:epsg:[0-9.]*:|http://www\\.opengis\\.net/def/crs/epsg/0/)?"
              + "([0-9]{1,7})");

  static SourceCrs parse(String value) {
    if (value == null || value.isBlank()) {
      throw refusal(value);
    }
    String v = value.strip().toLowerCase(Locale.ROOT);
    SourceCrs word = WORDS.get(v);
    if (word != null) {
      return word;
    }
    Matcher m = CODE.matcher(v);
    if (m.matches()) {
      return ofEpsg(Integer.parseInt(m.group(1))).orElseThrow(() -> refusal(value));
    }
    throw refusal(value);
  }

  /** The CRS an EPSG code (or one of the codes Web Mercator went by) names, if we support it. */
  static Optional<SourceCrs> ofEpsg(int code) {
    return switch (code) {
      case 4326 -> Optional.of(SourceCrs.WGS84);
      case 4490 -> Optional.of(SourceCrs.CGCS2000);
      // 900913 is "google" on a phone keypad, the code before EPSG registered 3857; 3785 was
      // EPSG's first, withdrawn, code for it; ArcGIS says 102100 (and 102113 before 10.0)
      case 3857, 3785, 900913, 102100, 102113 -> Optional.of(SourceCrs.WEB_MERCATOR);
      default -> GaussKruger.ofEpsg(code).map(SourceCrs.class::cast);
    };
  }

  static IllegalArgumentException refusal(String value) {
    return new IllegalArgumentException(
        "expected --crs to be one of "
            + ACCEPTED
            + ", but found "
            + (value == null ? "none" : "'" + value + "'"));
  }
}
