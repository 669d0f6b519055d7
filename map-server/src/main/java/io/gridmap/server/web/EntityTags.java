package io.gridmap.server.web;

import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.tiler.encode.ContentHash;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryCollection;
import org.locationtech.jts.geom.Polygon;

/**
 * The strong ETag of a feature's stored version, and how writes check {@code If-Match} against it
 * (RFC 9110 13.1.1, OGC API - Features Part 4 "optimistic locking using ETags").
 *
 * <p>The tag names the version, not the bytes of one response: every representation of a feature
 * (each visibility class, each CRS) carries the same tag, so a planner's If-Match and an admin's
 * name the same version. It is derived from what is stored (geometry, every attribute, the personal
 * flag), never from a counter in memory, so every node and every restart gives the same tag for the
 * same version. Incidents keep the {@code "<id>-<revision>"} their clients already hold: their
 * revision grows with every change the server makes to them.
 */
public final class EntityTags {
  private EntityTags() {}

  /** The value of {@code If-Match} that names any current version. */
  public static final String ANY = "*";

  /** The quoted strong ETag of the feature's current version in its layer. */
  public static String of(LayerDef def, Feature f) {
    if (def.name().equals(Catalogue.EVENTS.name())) {
      int revision = def.fieldIndex("revision");
      if (revision >= 0) {
        return "\"" + f.id() + "-" + f.longValue(revision) + "\"";
      }
    }
    String hex = Long.toHexString(ContentHash.hash64(canonical(f)));
    return "\"" + "0".repeat(16 - hex.length()) + hex + "\"";
  }

  /**
   * The version's content in one fixed byte form. The geometry is normalised (JTS {@code norm()}:
   * ring orientation and start, part order) and a one-part Multi* reads as its part, so a store
   * that gives back an equal geometry in another shape (PostGIS, a GeoPackage written by another
   * tool) still gives the same tag.
   */
  static byte[] canonical(Feature f) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeBoolean(f.personal());
      geometry(out, f.geometry().norm());
      Object[] values = f.values();
      out.writeInt(values.length);
      for (Object v : values) {
        value(out, v);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void geometry(DataOutputStream out, Geometry g) throws IOException {
    if (g instanceof GeometryCollection c) {
      for (int i = 0; i < c.getNumGeometries(); i++) {
        geometry(out, c.getGeometryN(i));
      }
    } else if (g instanceof Polygon p) {
      out.writeByte('P');
      out.writeInt(p.getNumInteriorRing() + 1);
      coordinates(out, p.getExteriorRing().getCoordinates());
      for (int i = 0; i < p.getNumInteriorRing(); i++) {
        coordinates(out, p.getInteriorRingN(i).getCoordinates());
      }
    } else {
      out.writeByte('L');
      coordinates(out, g.getCoordinates());
    }
  }

  private static void coordinates(DataOutputStream out, Coordinate[] cs) throws IOException {
    out.writeInt(cs.length);
    for (Coordinate c : cs) {
      out.writeDouble(c.x);
      out.writeDouble(c.y);
    }
  }

  private static void value(DataOutputStream out, Object v) throws IOException {
    if (v == null) {
      out.writeByte(0);
    } else if (v instanceof String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.writeByte(1);
      out.writeInt(b.length);
      out.write(b);
    } else if (v instanceof Double || v instanceof Float) {
      out.writeByte(3);
      out.writeDouble(((Number) v).doubleValue());
    } else if (v instanceof Number n) {
      // a store may give an INTEGER back as Integer or Long: the same version either way
      out.writeByte(2);
      out.writeLong(n.longValue());
    } else if (v instanceof Boolean b) {
      out.writeByte(4);
      out.writeBoolean(b);
    } else {
      byte[] b = v.toString().getBytes(StandardCharsets.UTF_8);
      out.writeByte(5);
      out.writeInt(b.length);
      out.write(b);
    }
  }

  /**
   * The If-Match of a request: its values joined (a client may send several headers), or null when
   * there is none.
   */
  public static String ifMatch(HttpServerRequest request) {
    var all = request.headers().getAll("If-Match");
    return all.isEmpty() ? null : String.join(",", all);
  }

  /**
   * True when an If-Match value names the ETag: {@code *}, or one of its list equal to it by the
   * strong comparison (RFC 9110 8.8.3.2), so a weak tag ({@code W/"..."}) never matches.
   */
  public static boolean matches(String ifMatch, String etag) {
    for (String part : ifMatch.split(",")) {
      String p = part.strip();
      if (p.equals(ANY) || p.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Refuses a write whose If-Match does not name the item's current version with 412.
   *
   * @param ifMatch what the request gave, or null (no condition: nothing to check)
   * @param item the item as the detail names it, e.g. "grid 500103001001004"
   */
  public static void check(String ifMatch, String item, String current) {
    if (ifMatch != null && !matches(ifMatch, current)) {
      throw stale(item, ifMatch, current);
    }
  }

  /** 412: the caller's tag is not the item's current one. */
  public static ApiException stale(String item, String given, String current) {
    return new ApiException(
        412,
        "Precondition Failed",
        "If-Match "
            + given
            + " does not name the current version of "
            + item
            + ", whose ETag is now "
            + current
            + ": someone changed it since you read it (weak tags W/\"...\" never match). Read it"
            + " again, decide, and send its new ETag; nothing was written");
  }

  /** 428: this server takes writes only with a precondition, and this one has none. */
  public static ApiException required(String what) {
    return new ApiException(
        428,
        "Precondition Required",
        what
            + ": this server is set to refuse writes that do not say which version they change"
            + " (edits_require_if_match = true). Read the item, send its ETag back (or * for any"
            + " version); nothing was written");
  }
}
