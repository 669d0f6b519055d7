package io.gridmap.server.web;

import io.gridmap.layers.query.crs.SupportedCrs;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.locationtech.jts.geom.Envelope;

/**
 * Query parameter parsing shared by the OGC and domain endpoints. Every refusal is a 400 whose
 * detail names the parameter, quotes the bad value and gives the accepted form.
 */
public final class Params {
  private Params() {}

  /** Longest echo of a user value in a message. */
  private static final int MAX_ECHO = 60;

  /** The value quoted and cut for a message. */
  public static String quote(String value) {
    String v = value.length() > MAX_ECHO ? value.substring(0, MAX_ECHO) + "..." : value;
    StringBuilder sb = new StringBuilder("'");
    for (char c : v.toCharArray()) {
      sb.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return sb.append('\'').toString();
  }

  public static ApiException bad(String param, String value, String accepted) {
    return ApiException.badRequest(
        "parameter " + param + "=" + quote(value) + " is invalid; expected " + accepted);
  }

  /** The single value of a parameter, or null; a repeated parameter is refused. */
  public static String single(MultiMap q, String name) {
    List<String> all = q.getAll(name);
    if (all.isEmpty()) {
      return null;
    }
    if (all.size() > 1) {
      throw bad(name, String.join(",", all), "the parameter at most once");
    }
    return all.get(0);
  }

  /** An integer in {@code [min, max]}, or the default when absent. */
  public static int integer(MultiMap q, String name, int dflt, int min, int max, String accepted) {
    String v = single(q, name);
    if (v == null) {
      return dflt;
    }
    long n;
    try {
      n = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw bad(name, v, accepted);
    }
    if (n < min || n > max) {
      throw bad(name, v, accepted);
    }
    return (int) n;
  }

  /** A finite number, or NaN when absent. */
  public static double number(MultiMap q, String name, String accepted) {
    String v = single(q, name);
    if (v == null) {
      return Double.NaN;
    }
    try {
      double d = Double.parseDouble(v.trim());
      if (Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw bad(name, v, accepted);
  }

  /** A CRS parameter ({@code crs}, {@code bbox-crs}), or the default when absent. */
  public static SupportedCrs crs(MultiMap q, String name, SupportedCrs dflt) {
    String v = single(q, name);
    if (v == null) {
      return dflt;
    }
    return SupportedCrs.parse(v)
        .orElseThrow(() -> bad(name, v, "one of " + String.join(", ", SupportedCrs.uris())));
  }

  static final String BBOX_FORM =
      "four comma-separated numbers minx,miny,maxx,maxy in the axis order of bbox-crs (CRS84: lon,lat; EPSG:4326/4490: lat,lon; EPSG:3857: metres), with min <= max";

  /**
   * The {@code bbox} parameter as a lon/lat envelope, or null when absent. Six numbers (with
   * heights) are accepted and the heights ignored. A box crossing the antimeridian is refused.
   */
  public static Envelope bbox(MultiMap q, SupportedCrs crs) {
    String v = single(q, "bbox");
    if (v == null) {
      return null;
    }
    String[] parts = v.split(",", -1);
    if (parts.length != 4 && parts.length != 6) {
      throw bad("bbox", v, BBOX_FORM);
    }
    double[] n = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        n[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw bad("bbox", v, BBOX_FORM);
      }
      if (!Double.isFinite(n[i])) {
        throw bad("bbox", v, BBOX_FORM);
      }
    }
    int d = parts.length / 2;
    double minA = n[0];
    double minB = n[1];
    double maxA = n[d];
    double maxB = n[d + 1];
    if (minA > maxA || minB > maxB) {
      throw bad("bbox", v, BBOX_FORM);
    }
    if (crs.geographic()) {
      double latLo = crs.latFirst() ? minA : minB;
      double latHi = crs.latFirst() ? maxA : maxB;
      double lonLo = crs.latFirst() ? minB : minA;
      double lonHi = crs.latFirst() ? maxB : maxA;
      if (latLo < -90 || latHi > 90 || lonLo < -180 || lonHi > 180) {
        throw bad(
            "bbox",
            v,
            BBOX_FORM
                + "; latitudes within -90..90 and longitudes within -180..180 ("
                + crs.axisOrder()
                + " order for "
                + crs.uri()
                + ")");
      }
    }
    return crs.lonLatEnvelope(minA, minB, maxA, maxB);
  }

  /**
   * An inclusive time range in epoch milliseconds; {@code Long.MIN_VALUE}/{@code MAX_VALUE} for
   * open ends.
   */
  public record TimeRange(long from, long to) {
    public boolean contains(long t) {
      return t >= from && t <= to;
    }
  }

  static final String DATETIME_FORM =
      "an RFC 3339 date-time or date ('2024-03-01T08:00:00Z', '2024-03-01'), or an interval of two of them separated by '/', with '..' or nothing for an open end ('2024-03-01/..')";

  /** The {@code datetime} parameter (or another of the same form), or null when absent. */
  public static TimeRange datetime(MultiMap q, String name) {
    String v = single(q, name);
    if (v == null) {
      return null;
    }
    return parseDatetime(name, v);
  }

  static TimeRange parseDatetime(String name, String v) {
    String s = v.trim();
    int slash = s.indexOf('/');
    try {
      if (slash < 0) {
        if (s.isEmpty() || s.equals("..")) {
          throw bad(name, v, DATETIME_FORM);
        }
        return new TimeRange(start(s), end(s));
      }
      String a = s.substring(0, slash).trim();
      String b = s.substring(slash + 1).trim();
      boolean openA = a.isEmpty() || a.equals("..");
      boolean openB = b.isEmpty() || b.equals("..");
      if (openA && openB) {
        throw bad(name, v, DATETIME_FORM + "; at most one end may be open");
      }
      long from = openA ? Long.MIN_VALUE : start(a);
      long to = openB ? Long.MAX_VALUE : end(b);
      if (from > to) {
        throw bad(name, v, DATETIME_FORM + "; the start not after the end");
      }
      return new TimeRange(from, to);
    } catch (DateTimeParseException e) {
      throw bad(name, v, DATETIME_FORM);
    }
  }

  /** First millisecond of an instant or a date (UTC). */
  private static long start(String s) {
    if (s.length() == 10) {
      return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }
    return instant(s);
  }

  /** Last millisecond of a date, or the instant itself. */
  private static long end(String s) {
    if (s.length() == 10) {
      return LocalDate.parse(s).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()
          - 1;
    }
    return instant(s);
  }

  private static long instant(String s) {
    String t = s.toUpperCase(Locale.ROOT).replace(' ', 'T');
    return OffsetDateTime.parse(t).toInstant().toEpochMilli();
  }

  /** Epoch milliseconds as RFC 3339 UTC. */
  public static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }

  /** Refuses every parameter but {@code f=json}: for resources that only have a JSON form. */
  public static void jsonOnly(RoutingContext ctx) {
    for (String name : ctx.queryParams().names()) {
      if (!name.equals("f")) {
        throw bad(name, ctx.queryParams().get(name), "only f=json on this resource");
      }
    }
    String f = single(ctx.queryParams(), "f");
    if (f != null && !f.equals("json")) {
      throw bad("f", f, "json");
    }
  }
}
