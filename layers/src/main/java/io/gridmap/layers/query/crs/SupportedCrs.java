package io.gridmap.layers.query.crs;

import io.gridmap.layers.geo.WebMercator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.locationtech.jts.geom.Envelope;

/**
 * The coordinate reference systems the server reads and writes (OGC API - Features Part 2), each
 * with the axis order its definition gives:
 *
 * <ul>
 *   <li>CRS84: WGS84 longitude, latitude (the storage CRS; GeoJSON's default).
 *   <li>EPSG:4326: WGS84 latitude, longitude (the EPSG definition lists latitude first).
 *   <li>EPSG:4490: CGCS2000 latitude, longitude. CGCS2000 and WGS84 (G1762) agree to a few
 *       centimetres, below the data's 1e-7° (1 cm) precision, so no datum shift is applied: the
 *       same treatment as the EPSG dataset's null transformation between the two (EPSG:1794's
 *       successor null transforms) and as PostGIS, whose 4490 carries no +towgs84.
 *   <li>EPSG:3857: Web Mercator easting, northing in metres (spherical formulas).
 * </ul>
 *
 * Every CRS is named by its OGC URI; {@link #parse} also accepts the {@code EPSG:nnnn} and {@code
 * [EPSG:nnnn]} shorthands.
 */
public enum SupportedCrs {
  CRS84("http://www.opengis.net/def/crs/OGC/1.3/CRS84", false, true),
  EPSG_4326("http://www.opengis.net/def/crs/EPSG/0/4326", true, true),
  EPSG_4490("http://www.opengis.net/def/crs/EPSG/0/4490", true, true),
  EPSG_3857("http://www.opengis.net/def/crs/EPSG/0/3857", false, false);

  private final String uri;
  private final boolean latFirst;
  private final boolean geographic;

  SupportedCrs(String uri, boolean latFirst, boolean geographic) {
    this.uri = uri;
    this.latFirst = latFirst;
    this.geographic = geographic;
  }

  public String uri() {
    return uri;
  }

  /** True when the first axis is latitude (EPSG:4326 and EPSG:4490). */
  public boolean latFirst() {
    return latFirst;
  }

  /** True for degrees, false for projected metres. */
  public boolean geographic() {
    return geographic;
  }

  /** URIs of every supported CRS, CRS84 first. */
  public static List<String> uris() {
    return java.util.Arrays.stream(values()).map(SupportedCrs::uri).toList();
  }

  /**
   * The CRS named by a URI or an {@code EPSG:nnnn} / {@code [EPSG:nnnn]} / {@code OGC:CRS84}
   * shorthand.
   */
  public static Optional<SupportedCrs> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String v = value.trim();
    if (v.startsWith("[") && v.endsWith("]")) {
      v = v.substring(1, v.length() - 1);
    }
    if (v.startsWith("https://")) {
      v = "http://" + v.substring(8);
    }
    for (SupportedCrs c : values()) {
      if (c.uri.equals(v)) {
        return Optional.of(c);
      }
    }
    String upper = v.toUpperCase(Locale.ROOT);
    switch (upper) {
      case "OGC:CRS84":
      case "CRS84":
        return Optional.of(CRS84);
      case "EPSG:4326":
        return Optional.of(EPSG_4326);
      case "EPSG:4490":
        return Optional.of(EPSG_4490);
      case "EPSG:3857":
        return Optional.of(EPSG_3857);
      default:
        return Optional.empty();
    }
  }

  /**
   * Writes the CRS coordinates of a lon/lat position into {@code out[0], out[1]} (in this CRS's
   * axis order).
   */
  public void fromLonLat(double lon, double lat, double[] out) {
    if (this == EPSG_3857) {
      out[0] = WebMercator.x(lon);
      out[1] = WebMercator.y(lat);
    } else if (latFirst) {
      out[0] = lat;
      out[1] = lon;
    } else {
      out[0] = lon;
      out[1] = lat;
    }
  }

  /**
   * Writes the lon/lat of a position given in this CRS's axis order into {@code out[0]=lon,
   * out[1]=lat}.
   */
  public void toLonLat(double a, double b, double[] out) {
    if (this == EPSG_3857) {
      out[0] = WebMercator.lon(a);
      out[1] = WebMercator.lat(b);
    } else if (latFirst) {
      out[0] = b;
      out[1] = a;
    } else {
      out[0] = a;
      out[1] = b;
    }
  }

  /**
   * The lon/lat envelope of a box given as {@code (minA, minB, maxA, maxB)} in this CRS's axis
   * order. Exact for every supported CRS: each maps axis-aligned boxes to axis-aligned boxes (Web
   * Mercator is monotone in each axis separately).
   */
  public Envelope lonLatEnvelope(double minA, double minB, double maxA, double maxB) {
    double[] lo = new double[2];
    double[] hi = new double[2];
    toLonLat(minA, minB, lo);
    toLonLat(maxA, maxB, hi);
    return new Envelope(lo[0], hi[0], lo[1], hi[1]);
  }

  /** The axis names, for documents: "lat, lon", "lon, lat" or "x (easting), y (northing)". */
  public String axisOrder() {
    return this == EPSG_3857
        ? "easting, northing (metres)"
        : latFirst ? "latitude, longitude" : "longitude, latitude";
  }
}
