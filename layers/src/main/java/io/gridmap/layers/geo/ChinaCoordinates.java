package io.gridmap.layers.geo;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Conversions between WGS84 and the two offset datums of Chinese maps: GCJ-02 (the "Mars"
 * coordinates of WeChat's {@code wx.getLocation} with {@code type: 'gcj02'} and of the Chinese
 * phone map SDKs) and BD-09 (Baidu's, which is GCJ-02 shifted once more). All coordinates are
 * longitude, latitude in degrees.
 *
 * <h2>Why hand-written</h2>
 *
 * No library served through Maven does this: proj4j (like PROJ and the EPSG registry) has no GCJ-02
 * or BD-09, because GCJ-02 is an unpublished, deliberately obfuscated state standard. The formulas
 * are the reverse-engineered ones that have circulated since about 2013; this is our own code
 * written from the forms in googollee/eviltransform ("eviltransform": the Krasovsky-ellipsoid
 * offset and the outside-China box) and wandergis/coordtransform ("coordtransform": the same offset
 * and the BD-09 pair), and checked against both projects' published test points (see {@code
 * ChinaCoordinatesTest}).
 *
 * <h2>GCJ-02</h2>
 *
 * GCJ-02 is WGS84 plus an offset, a fixed polynomial-and-sine function of the position scaled to
 * degrees on the Krasovsky ellipsoid (a = 6,378,245 m, e² = 0.00669342162296594323): 20 to 705 m
 * across mainland China, about 480 m in central Chongqing and 400 to 600 m across the
 * municipality's box. Outside the box lon 72.004–137.8347, lat 0.8293–55.8271 ({@link
 * #outsideChina}) GCJ-02 equals WGS84 and nothing is shifted. The box is the formulas' rough
 * convention, not the border: it also takes in neighbouring countries and sea.
 *
 * <p>GCJ-02 has no official inverse. The one-step approximation found in many copies (subtract the
 * offset computed at the GCJ-02 point) is off by up to 5 m. {@link #toWgs84} instead iterates to a
 * fixed point: from w₀ = p − (forward(p) − p) it repeats w ← w − (forward(w) − p) until forward(w)
 * is within {@value #TOLERANCE_DEGREES}° (about a centimetre) of p in both coordinates, at most
 * {@value #MAX_ITERATIONS} times. The offset changes slowly with position (by at most about a
 * hundredth of any move), so each step gains about two digits: over 200,000 random points in China,
 * w₀ was already close enough for 0.1% of them, one step for 97.4% and two for the rest. Only at
 * the box's edge, where the forward map jumps, can the limit be reached; the last estimate is
 * returned then.
 *
 * <h2>BD-09</h2>
 *
 * BD-09 from GCJ-02 is Baidu's formula as published: with x_pi = π·3000/180, z = √(x² + y²) +
 * 0.00002 sin(y·x_pi), θ = atan2(y, x) + 0.000003 cos(x·x_pi), BD-09 = (z cos θ + 0.0065, z sin θ +
 * 0.006). It shifts everywhere, inside the box or not. The published inverse (remove the
 * 0.0065/0.006 shift, then subtract the two terms) is itself approximate, off by up to 2e-6° (20
 * cm); here it is only the first estimate of the same fixed-point iteration, so that BD-09 to
 * GCJ-02 undoes GCJ-02 to BD-09 to {@value #TOLERANCE_DEGREES}°. BD-09 to WGS84 goes through
 * GCJ-02. This is Baidu's lon/lat "bd09ll", not its Mercator metres "bd09mc".
 */
public final class ChinaCoordinates {
  private ChinaCoordinates() {}

  /** A geodetic datum a lon/lat pair may be given in. */
  public enum Datum {
    WGS84,
    GCJ02,
    BD09;

    /** Accepted names, lower-cased, to their datum. */
    private static final Map<String, Datum> NAMES = new HashMap<>();

    /** Accepted names as written, for the refusal's message. */
    private static final String ACCEPTED;

    static {
      String[][] names = {
        {
          "wgs84",
          "wgs-84",
          "EPSG:4326",
          "CRS84",
          "OGC:CRS84",
          "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
          "urn:ogc:def:crs:OGC:1.3:CRS84",
          "http://www.opengis.net/def/crs/EPSG/0/4326",
          "urn:ogc:def:crs:EPSG::4326",
          // Baidu's web services name their lon/lat inputs "wgs84ll", "gcj02ll" and "bd09ll"
          "wgs84ll"
        },
        {"gcj02", "gcj-02", "gcj02ll"},
        {"bd09", "bd-09", "bd09ll"}
      };
      StringJoiner accepted = new StringJoiner(", ");
      for (Datum d : values()) {
        for (String n : names[d.ordinal()]) {
          NAMES.put(n.toLowerCase(Locale.ROOT), d);
          accepted.add(n);
        }
      }
      ACCEPTED = accepted.toString();
    }

    /**
     * The datum a name declares (a {@code Content-Crs} header, a payload's field), ignoring case
     * and surrounding blanks. EPSG:4326 is taken for its datum only: coordinates here are always
     * longitude first.
     *
     * @throws IllegalArgumentException for any other name, listing the accepted ones
     */
    public static Datum parse(String name) {
      Datum d = name == null ? null : NAMES.get(name.strip().toLowerCase(Locale.ROOT));
      if (d == null) {
        throw new IllegalArgumentException(
            "expected a coordinate reference system, one of "
                + ACCEPTED
                + ", but found "
                + (name == null ? "none" : "'" + name + "'"));
      }
      return d;
    }
  }

  /** A longitude, latitude pair in degrees. */
  public record LonLat(double lon, double lat) {}

  /** How close forward(inverse(p)) comes to p, degrees in each coordinate (about 1 cm). */
  public static final double TOLERANCE_DEGREES = 1e-7;

  /** The most fixed-point steps an inverse (GCJ-02's, BD-09's) takes. */
  public static final int MAX_ITERATIONS = 30;

  /** Krasovsky 1940 semi-major axis, metres. */
  private static final double KRASOVSKY_A = 6378245.0;

  /** Krasovsky 1940 first eccentricity squared, as the published formulas give it. */
  private static final double KRASOVSKY_EE = 0.00669342162296594323;

  /** Baidu's angular factor. */
  private static final double X_PI = Math.PI * 3000.0 / 180.0;

  // ---------------------------------------------------------------- public conversions

  /** A point given in {@code from}, in WGS84. */
  public static LonLat toWgs84(Datum from, double lon, double lat) {
    double[] out = new double[2];
    toWgs84(from, lon, lat, out);
    return new LonLat(out[0], out[1]);
  }

  /** A WGS84 point, in {@code to}. */
  public static LonLat fromWgs84(Datum to, double lon, double lat) {
    double[] out = new double[2];
    fromWgs84(to, lon, lat, out);
    return new LonLat(out[0], out[1]);
  }

  /**
   * A point given in {@code from}, in WGS84, written to {@code out} as {lon, lat}: for loops over
   * many coordinates, with one array reused.
   */
  public static void toWgs84(Datum from, double lon, double lat, double[] out) {
    switch (from) {
      case WGS84 -> {
        out[0] = lon;
        out[1] = lat;
      }
      case GCJ02 -> gcj02ToWgs84(lon, lat, out);
      case BD09 -> {
        bd09ToGcj02(lon, lat, out);
        gcj02ToWgs84(out[0], out[1], out);
      }
    }
  }

  /** A WGS84 point, in {@code to}, written to {@code out} as {lon, lat}. */
  public static void fromWgs84(Datum to, double lon, double lat, double[] out) {
    switch (to) {
      case WGS84 -> {
        out[0] = lon;
        out[1] = lat;
      }
      case GCJ02 -> wgs84ToGcj02(lon, lat, out);
      case BD09 -> {
        wgs84ToGcj02(lon, lat, out);
        gcj02ToBd09(out[0], out[1], out);
      }
    }
  }

  /** Whether GCJ-02 leaves a point unshifted: outside the formulas' rough box around China. */
  public static boolean outsideChina(double lon, double lat) {
    return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
  }

  // ---------------------------------------------------------------- GCJ-02

  /** WGS84 to GCJ-02: the point plus the offset. */
  static void wgs84ToGcj02(double lon, double lat, double[] out) {
    if (outsideChina(lon, lat)) {
      out[0] = lon;
      out[1] = lat;
      return;
    }
    offset(lon, lat, out);
    out[0] += lon;
    out[1] += lat;
  }

  /** GCJ-02 to WGS84 by fixed-point iteration; see the class comment. */
  static void gcj02ToWgs84(double lon, double lat, double[] out) {
    if (outsideChina(lon, lat)) {
      out[0] = lon;
      out[1] = lat;
      return;
    }
    // w0 = p - (forward(p) - p) = p - offset(p)
    offset(lon, lat, out);
    invert(Datum.GCJ02, lon, lat, lon - out[0], lat - out[1], out);
  }

  /**
   * Solves forward(w) = p for w, where forward is WGS84 to GCJ-02 or GCJ-02 to BD-09, from a first
   * estimate: w ← w − (forward(w) − p) until forward(w) is within {@link #TOLERANCE_DEGREES} of p,
   * at most {@link #MAX_ITERATIONS} times. Writes w to {@code out}.
   */
  private static void invert(
      Datum forwardTo, double lon, double lat, double wLon, double wLat, double[] out) {
    for (int i = 0; i < MAX_ITERATIONS; i++) {
      if (forwardTo == Datum.GCJ02) {
        wgs84ToGcj02(wLon, wLat, out);
      } else {
        gcj02ToBd09(wLon, wLat, out);
      }
      double dLon = out[0] - lon;
      double dLat = out[1] - lat;
      if (Math.abs(dLon) <= TOLERANCE_DEGREES && Math.abs(dLat) <= TOLERANCE_DEGREES) {
        break;
      }
      wLon -= dLon;
      wLat -= dLat;
    }
    out[0] = wLon;
    out[1] = wLat;
  }

  /** The GCJ-02 offset at a WGS84 point, degrees, into {@code out} as {dLon, dLat}. */
  private static void offset(double lon, double lat, double[] out) {
    double x = lon - 105.0;
    double y = lat - 35.0;
    double dLatMetres = offsetLat(x, y);
    double dLonMetres = offsetLon(x, y);
    double phi = Math.toRadians(lat);
    double s = Math.sin(phi);
    double w2 = 1 - KRASOVSKY_EE * s * s;
    double w = Math.sqrt(w2);
    // the polynomials are metres on the Krasovsky ellipsoid: divide by the radii of curvature in
    // the meridian, a(1 - e²)/w³, and in the prime vertical times cos φ, a/w cos φ
    double meridian = KRASOVSKY_A * (1 - KRASOVSKY_EE) / (w2 * w);
    double parallel = KRASOVSKY_A / w * Math.cos(phi);
    out[0] = Math.toDegrees(dLonMetres / parallel);
    out[1] = Math.toDegrees(dLatMetres / meridian);
  }

  /** The published latitude polynomial, in x = lon − 105, y = lat − 35. */
  private static double offsetLat(double x, double y) {
    double r =
        -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
    r += (20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin(y / 3.0 * Math.PI)) * 2.0 / 3.0;
    r += (160.0 * Math.sin(y / 12.0 * Math.PI) + 320.0 * Math.sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
    return r;
  }

  /** The published longitude polynomial, in x = lon − 105, y = lat − 35. */
  private static double offsetLon(double x, double y) {
    double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += (20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
    r += (20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin(x / 3.0 * Math.PI)) * 2.0 / 3.0;
    r += (150.0 * Math.sin(x / 12.0 * Math.PI) + 300.0 * Math.sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
    return r;
  }

  // ---------------------------------------------------------------- BD-09

  /** GCJ-02 to BD-09, Baidu's published formula. */
  static void gcj02ToBd09(double lon, double lat, double[] out) {
    double z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * X_PI);
    double theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * X_PI);
    out[0] = z * Math.cos(theta) + 0.0065;
    out[1] = z * Math.sin(theta) + 0.006;
  }

  /**
   * BD-09 to GCJ-02: the published inverse formula as the first estimate, then the same fixed-point
   * iteration as GCJ-02's, to {@link #TOLERANCE_DEGREES}.
   */
  static void bd09ToGcj02(double lon, double lat, double[] out) {
    double x = lon - 0.0065;
    double y = lat - 0.006;
    double z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * X_PI);
    double theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * X_PI);
    invert(Datum.BD09, lon, lat, z * Math.cos(theta), z * Math.sin(theta), out);
  }
}
