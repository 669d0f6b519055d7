package io.gridmap.importer.crs;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Matches the WKT1 of a {@code .prj} to a {@link SourceCrs} on its datum and projection parameters.
 * Names cannot be trusted: ESRI names a zone "CGCS2000_3_Degree_GK_CM_117E" or
 * "CGCS2000_3_Degree_GK_Zone_39" with no code, OGC WKT says "CGCS2000 / 3-degree Gauss-Kruger CM
 * 117E", and tools write their own. Only the datum is known by name, since a datum is an identity
 * (two datums may share an ellipsoid), and its ellipsoid is checked too.
 *
 * <p>The fixtures in {@code src/test/resources/io/gridmap/importer/crs/prj} are GDAL's own output
 * for both flavours and hand-made files for the cases GDAL does not write.
 */
final class PrjMatcher {
  private PrjMatcher() {}

  private static final Set<String> WGS84_DATUMS =
      Set.of("wgs1984", "wgs84", "dwgs1984", "worldgeodeticsystem1984");

  private static final Set<String> CGCS2000_DATUMS =
      Set.of(
          "china2000",
          "dchina2000",
          "cgcs2000",
          "dcgcs2000",
          "chinageodeticcoordinatesystem2000",
          "dchinageodeticcoordinatesystem2000");

  private static final Set<String> TRANSVERSE_MERCATOR =
      Set.of("transversemercator", "gausskruger", "gausskrueger", "gaussboaga");

  private static final Set<String> MERCATOR =
      Set.of(
          "mercatorauxiliarysphere",
          "popularvisualisationpseudomercator",
          "pseudomercator",
          "mercator1sp",
          "mercator2sp",
          "mercator");

  /** Semi-major axis of WGS 84 and CGCS2000 (and the Web Mercator sphere), metres. */
  private static final double A = 6_378_137;

  /** Inverse flattening of CGCS2000 (and GRS80), and of WGS 84: they differ by 0.1 mm in b. */
  private static final double RF_CGCS2000 = 298.257222101;

  private static final double RF_WGS84 = 298.257223563;

  /** One degree in radians as WKT writes it. */
  private static final double DEGREE = Math.PI / 180;

  static SourceCrs match(String wkt) {
    WktNode root;
    try {
      root = WktReader.read(wkt).get(0);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "expected the .prj to hold WKT (a PROJCS or GEOGCS) but it does not: "
              + e.getMessage()
              + ". "
              + howToPassCrs());
    }
    // a compound CRS (OGC's COMPD_CS, or ESRI's PROJCS[…],VERTCS[…] of which the reader keeps
    // the first): heights are kept as they are, only the horizontal CRS matters
    if (root.is("COMPD_CS")) {
      WktNode compound = root;
      root =
          root.child("PROJCS")
              .or(() -> compound.child("GEOGCS"))
              .orElseThrow(() -> unknown("COMPD_CS \"" + compound.name() + "\"", NO_HORIZONTAL));
    }
    if (root.is("GEOGCS")) {
      GeographicDatum datum = datum(root);
      checkDegrees(root);
      return new Geographic(datum);
    }
    if (root.is("PROJCS")) {
      return projected(root);
    }
    throw unknown(
        "a " + root.keyword() + " \"" + root.name() + "\"", "expected a PROJCS or GEOGCS");
  }

  private static SourceCrs projected(WktNode projcs) {
    WktNode geogcs =
        projcs
            .child("GEOGCS")
            .orElseThrow(() -> unknown("PROJCS \"" + projcs.name() + "\" without a GEOGCS", ""));
    String projection = projcs.child("PROJECTION").map(WktNode::name).orElse("");
    String method = WktNode.squash(projection);
    Map<String, Double> p = parameters(projcs);
    double unit = projcs.child("UNIT").flatMap(u -> boxed(u.number(0))).orElse(1.0);
    if (Math.abs(unit - 1) > 1e-9) {
      throw unknown(
          "PROJCS \"" + projcs.name() + "\" in units of " + unit + " m", "we read metres only");
    }
    checkDegrees(geogcs);
    if (MERCATOR.contains(method)) {
      return webMercator(projcs, geogcs, method, p);
    }
    if (!TRANSVERSE_MERCATOR.contains(method)) {
      throw unknown(
          "PROJCS \"" + projcs.name() + "\" with the projection \"" + projection + "\"",
          "we convert transverse Mercator (Gauss-Kruger) zones on CGCS2000 and Web Mercator");
    }
    GeographicDatum datum = datum(geogcs);
    double cm = p.getOrDefault("centralmeridian", Double.NaN);
    double fe = p.getOrDefault("falseeasting", 0.0);
    double fn = p.getOrDefault("falsenorthing", 0.0);
    double k = p.getOrDefault("scalefactor", 1.0);
    double lat0 = p.getOrDefault("latitudeoforigin", 0.0);
    String found =
        String.format(
            "PROJCS \"%s\": transverse Mercator on %s with central meridian %s, false easting %s,"
                + " false northing %s, scale %s, latitude of origin %s",
            projcs.name(), datum, num(cm), num(fe), num(fn), num(k), num(lat0));
    if (datum != GeographicDatum.CGCS2000) {
      throw unknown(found, "we convert transverse Mercator on CGCS2000 only");
    }
    if (fn != 0 || k != 1 || lat0 != 0 || cm != Math.rint(cm)) {
      throw unknown(found, NOT_A_ZONE);
    }
    int meridian = (int) cm;
    Optional<GaussKruger> zone;
    if (fe == GaussKruger.FALSE_EASTING) {
      zone = centralMeridianForm(meridian, projcs.name());
    } else {
      double prefix = (fe - GaussKruger.FALSE_EASTING) / 1_000_000;
      zone =
          prefix == Math.rint(prefix)
              ? GaussKruger.ofPrefix((long) prefix).filter(z -> z.centralMeridian() == meridian)
              : Optional.empty();
    }
    return zone.orElseThrow(() -> unknown(found, NOT_A_ZONE));
  }

  /**
   * The CM form on a meridian. A 6° zone's meridian (75, 81, … 135) is also a 3° zone's and the two
   * CRSs are the same maths, so only here does a name count: "3_Degree"/"3-degree" picks the 3°
   * code, as ESRI and EPSG write it; either way the coordinates convert the same.
   */
  private static Optional<GaussKruger> centralMeridianForm(int meridian, String name) {
    if (meridian < GaussKruger.FIRST_MERIDIAN
        || meridian > GaussKruger.LAST_MERIDIAN
        || meridian % 3 != 0) {
      return Optional.empty();
    }
    boolean sixDegreeMeridian = (meridian + 3) % 6 == 0;
    boolean saysThreeDegree = WktNode.squash(name).contains("3degree");
    int width = sixDegreeMeridian && !saysThreeDegree ? 6 : 3;
    return Optional.of(new GaussKruger(width, meridian, false));
  }

  /**
   * Web Mercator is spherical Mercator on WGS 84 lon/lat. Mercator on the WGS 84 ellipsoid is World
   * Mercator (EPSG:3395), up to 40 km away in northing, so a WKT counts as Web Mercator only if
   * something in it says sphere: ESRI's Mercator_Auxiliary_Sphere with type 0 (the semi-major
   * axis), EPSG's method name, a sphere as the ellipsoid, or GDAL's PROJ4 extension with +a = +b,
   * which is how GDAL's OGC WKT1 of EPSG:3857 says it.
   */
  private static SourceCrs webMercator(
      WktNode projcs, WktNode geogcs, String method, Map<String, Double> p) {
    WktNode spheroid = geogcs.child("DATUM").flatMap(d -> d.child("SPHEROID")).orElse(null);
    double a = spheroid == null ? Double.NaN : spheroid.number(0).orElse(Double.NaN);
    double rf = spheroid == null ? Double.NaN : spheroid.number(1).orElse(Double.NaN);
    boolean sphere = a == A && rf == 0;
    boolean wgs84 = sphere || datumOf(geogcs).filter(d -> d == GeographicDatum.WGS84).isPresent();
    String proj4 =
        projcs
            .child("EXTENSION")
            .filter(e -> e.name().equals("PROJ4"))
            .map(e -> text(e))
            .orElse("");
    boolean proj4Sphere = proj4.contains("+a=6378137 ") && proj4.contains("+b=6378137 ");
    boolean says =
        switch (method) {
          case "mercatorauxiliarysphere" -> p.getOrDefault("auxiliaryspheretype", 0.0) == 0;
          case "popularvisualisationpseudomercator", "pseudomercator" -> true;
          default -> sphere || proj4Sphere;
        };
    boolean origin =
        p.getOrDefault("centralmeridian", 0.0) == 0
            && p.getOrDefault("falseeasting", 0.0) == 0
            && p.getOrDefault("falsenorthing", 0.0) == 0
            && p.getOrDefault("scalefactor", 1.0) == 1
            && p.getOrDefault("standardparallel1", 0.0) == 0;
    if (wgs84 && says && origin) {
      return SourceCrs.WEB_MERCATOR;
    }
    throw unknown(
        "PROJCS \""
            + projcs.name()
            + "\": Mercator with parameters "
            + p
            + (wgs84 ? "" : " on the datum \"" + datumName(geogcs) + "\""),
        says
            ? "Web Mercator is Mercator with no offsets on WGS 84"
            : "Mercator on the WGS 84 ellipsoid is World Mercator (EPSG:3395), not Web Mercator");
  }

  private static String text(WktNode extension) {
    return extension.values().size() > 1 && extension.values().get(1) instanceof String s
        ? s + " "
        : "";
  }

  /** The datum of a GEOGCS, checked against its ellipsoid, or an error naming what it found. */
  private static GeographicDatum datum(WktNode geogcs) {
    return datumOf(geogcs)
        .orElseThrow(
            () ->
                unknown(
                    "the datum \""
                        + datumName(geogcs)
                        + "\" ("
                        + spheroidText(geogcs)
                        + ") in GEOGCS \""
                        + geogcs.name()
                        + "\"",
                    "we convert WGS 84 and CGCS2000 (China_2000); other datums (Xian 1980,"
                        + " Beijing 1954, local systems) need transformation parameters a .prj"
                        + " does not carry, so convert the data to CGCS2000 or WGS 84 first with"
                        + " the parameters from your surveying bureau"));
  }

  private static Optional<GeographicDatum> datumOf(WktNode geogcs) {
    String name = WktNode.squash(datumName(geogcs));
    GeographicDatum datum =
        WGS84_DATUMS.contains(name)
            ? GeographicDatum.WGS84
            : CGCS2000_DATUMS.contains(name) ? GeographicDatum.CGCS2000 : null;
    if (datum == null) {
      return Optional.empty();
    }
    WktNode spheroid = geogcs.child("DATUM").flatMap(d -> d.child("SPHEROID")).orElse(null);
    if (spheroid != null) {
      double a = spheroid.number(0).orElse(Double.NaN);
      double rf = spheroid.number(1).orElse(Double.NaN);
      boolean fits =
          Math.abs(a - A) < 1e-3
              && (Math.abs(rf - RF_CGCS2000) < 1e-6 || Math.abs(rf - RF_WGS84) < 1e-6);
      if (!fits) {
        throw unknown(
            "the datum \""
                + datumName(geogcs)
                + "\" with an ellipsoid that is not its own ("
                + spheroidText(geogcs)
                + "; expected a = 6378137 and 1/f = "
                + (datum == GeographicDatum.WGS84 ? RF_WGS84 : RF_CGCS2000)
                + ")",
            "");
      }
    }
    return Optional.of(datum);
  }

  private static String datumName(WktNode geogcs) {
    return geogcs.child("DATUM").map(WktNode::name).orElse("");
  }

  private static String spheroidText(WktNode geogcs) {
    return geogcs
        .child("DATUM")
        .flatMap(d -> d.child("SPHEROID"))
        .map(
            s ->
                "spheroid \""
                    + s.name()
                    + "\", a = "
                    + num(s.number(0).orElse(Double.NaN))
                    + ", 1/f = "
                    + num(s.number(1).orElse(Double.NaN)))
        .orElse("no spheroid");
  }

  /** Greenwich and degrees: what every lon/lat we read is measured from and in. */
  private static void checkDegrees(WktNode geogcs) {
    double primem = geogcs.child("PRIMEM").flatMap(n -> boxed(n.number(0))).orElse(0.0);
    double unit = geogcs.child("UNIT").flatMap(n -> boxed(n.number(0))).orElse(DEGREE);
    if (primem != 0 || Math.abs(unit / DEGREE - 1) > 1e-9) {
      throw unknown(
          "GEOGCS \""
              + geogcs.name()
              + "\" with prime meridian "
              + primem
              + " and angular unit "
              + unit
              + " rad",
          "we read degrees from Greenwich");
    }
  }

  /** PARAMETER[name, value] of a PROJCS by squashed name. */
  private static Map<String, Double> parameters(WktNode projcs) {
    Map<String, Double> p = new HashMap<>();
    for (WktNode n : projcs.children("PARAMETER")) {
      n.number(0).ifPresent(v -> p.put(WktNode.squash(n.name()), v));
    }
    // ESRI and OGC spell a few differently
    p.computeIfAbsent("centralmeridian", k -> p.get("longitudeofcenter"));
    p.computeIfAbsent("latitudeoforigin", k -> p.get("latitudeofcenter"));
    p.values().removeIf(v -> v == null);
    return p;
  }

  /** A number as a .prj writes it, without an exponent or a trailing ".0": 36500000, 0.9996. */
  private static String num(double v) {
    return Double.isFinite(v)
        ? java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString()
        : String.valueOf(v);
  }

  private static Optional<Double> boxed(java.util.OptionalDouble d) {
    return d.isPresent() ? Optional.of(d.getAsDouble()) : Optional.empty();
  }

  private static final String NO_HORIZONTAL = "expected a PROJCS or GEOGCS in it";

  private static final String NOT_A_ZONE =
      "a CGCS2000 Gauss-Kruger zone has scale 1, latitude of origin 0, false northing 0, a zone's"
          + " central meridian, and false easting 500000 or, with the zone prefix, zone × 1000000"
          + " + 500000";

  /** A refusal: what the .prj declares, why that is not ours (may be empty), how to go on. */
  private static IllegalArgumentException unknown(String found, String why) {
    return new IllegalArgumentException(
        "the .prj declares "
            + found
            + ", which matches no CRS we convert"
            + (why.isEmpty() ? "" : ": " + why)
            + ". "
            + howToPassCrs());
  }

  private static String howToPassCrs() {
    return "If you know the CRS the coordinates are in, pass --crs with one of "
        + CrsNames.ACCEPTED
        + " (the .prj is then not read)";
  }
}
