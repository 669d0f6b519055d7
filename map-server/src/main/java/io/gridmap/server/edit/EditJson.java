package io.gridmap.server.edit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.Params;
import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;

/**
 * Reads edit bodies: strict JSON (no duplicate keys, nothing after the value) and GeoJSON Polygons
 * and MultiPolygons, refusing what is malformed with a 400 that names the member by its path
 * ({@code features[2].geometry.coordinates[0][5]}), the bad value and the accepted form.
 * Hand-written rather than JTS's GeoJsonReader, which neither names the place nor caps vertices.
 */
final class EditJson {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private EditJson() {}

  /** The body as a JSON object, or a 400 saying where it stops being JSON. */
  static JsonNode object(String body, String expected) {
    if (body == null || body.isBlank()) {
      throw ApiException.badRequest("the request body is empty; expected " + expected);
    }
    JsonNode n;
    try {
      n = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw ApiException.badRequest(
          "the request body is not valid JSON"
              + where
              + " ("
              + e.getOriginalMessage()
              + "); expected "
              + expected);
    }
    if (n == null || !n.isObject()) {
      throw ApiException.badRequest("the request body is " + kind(n) + "; expected " + expected);
    }
    return n;
  }

  /** What a JSON value is, for messages. */
  static String kind(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "missing";
    }
    if (n.isObject()) {
      return "an object";
    }
    if (n.isArray()) {
      return "an array";
    }
    if (n.isTextual()) {
      return "the string " + Params.quote(n.asText());
    }
    return n.isNull() ? "null" : "the value " + Params.quote(n.toString());
  }

  static ApiException bad(String path, JsonNode value, String accepted) {
    return ApiException.badRequest(path + " is " + kind(value) + "; expected " + accepted);
  }

  /** Counts positions against a budget while a body is read. */
  static final class Budget {
    private final int max;
    private final String what;
    private int used;

    Budget(int max, String what) {
      this.max = max;
      this.what = what;
    }

    void take(int n, String path) {
      used += n;
      if (used > max) {
        throw new ApiException(
            413,
            "Content Too Large",
            path + " goes past " + max + " positions, the most " + what + " may hold");
      }
    }
  }

  /**
   * A GeoJSON Polygon or MultiPolygon in WGS84 lon/lat.
   *
   * @param path where the geometry sits in the body, for messages
   * @param budget positions left for the request
   */
  static Geometry polygonal(
      JsonNode geometry, String path, GeometryFactory factory, Budget budget) {
    if (geometry == null || !geometry.isObject()) {
      throw bad(path, geometry, "a GeoJSON Polygon or MultiPolygon object");
    }
    JsonNode type = geometry.get("type");
    JsonNode coordinates = geometry.get("coordinates");
    String t = type == null ? null : type.asText(null);
    if (!"Polygon".equals(t) && !"MultiPolygon".equals(t)) {
      throw bad(path + ".type", type, "\"Polygon\" or \"MultiPolygon\" (a grid is an area)");
    }
    if (coordinates == null || !coordinates.isArray()) {
      throw bad(
          path + ".coordinates",
          coordinates,
          "an array of " + ("Polygon".equals(t) ? "rings" : "polygons"));
    }
    if ("Polygon".equals(t)) {
      return polygon(coordinates, path + ".coordinates", factory, budget);
    }
    if (coordinates.isEmpty()) {
      throw bad(path + ".coordinates", coordinates, "at least one polygon");
    }
    Polygon[] parts = new Polygon[coordinates.size()];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = polygon(coordinates.get(i), path + ".coordinates[" + i + "]", factory, budget);
    }
    return factory.createMultiPolygon(parts);
  }

  private static Polygon polygon(
      JsonNode rings, String path, GeometryFactory factory, Budget budget) {
    if (!rings.isArray() || rings.isEmpty()) {
      throw bad(path, rings, "an array of linear rings, the shell first");
    }
    LinearRing shell = ring(rings.get(0), path + "[0]", factory, budget);
    LinearRing[] holes = new LinearRing[rings.size() - 1];
    for (int i = 1; i < rings.size(); i++) {
      holes[i - 1] = ring(rings.get(i), path + "[" + i + "]", factory, budget);
    }
    return factory.createPolygon(shell, holes);
  }

  private static LinearRing ring(
      JsonNode positions, String path, GeometryFactory factory, Budget budget) {
    if (!positions.isArray()) {
      throw bad(path, positions, "an array of [lon, lat] positions");
    }
    budget.take(positions.size(), path);
    if (positions.size() < 4) {
      throw ApiException.badRequest(
          path
              + " has "
              + positions.size()
              + " positions; a linear ring needs at least 4, the last equal to the first");
    }
    List<Coordinate> cs = new ArrayList<>(positions.size());
    for (int i = 0; i < positions.size(); i++) {
      JsonNode p = positions.get(i);
      String at = path + "[" + i + "]";
      if (!p.isArray()
          || p.size() < 2
          || p.size() > 3
          || !p.get(0).isNumber()
          || !p.get(1).isNumber()) {
        throw bad(at, p, "a position [lon, lat] of two numbers (WGS84 degrees)");
      }
      double lon = p.get(0).asDouble();
      double lat = p.get(1).asDouble();
      if (!Double.isFinite(lon)
          || lon < -180
          || lon > 180
          || !Double.isFinite(lat)
          || lat < -90
          || lat > 90) {
        throw bad(
            at, p, "a longitude in -180..180 and a latitude in -90..90 (WGS84, longitude first)");
      }
      cs.add(new Coordinate(lon, lat));
    }
    if (!cs.get(0).equals2D(cs.get(cs.size() - 1))) {
      throw ApiException.badRequest(
          path
              + " is not closed: it starts at "
              + position(cs.get(0))
              + " and ends at "
              + position(cs.get(cs.size() - 1))
              + "; the last position of a linear ring repeats the first");
    }
    return factory.createLinearRing(cs.toArray(Coordinate[]::new));
  }

  private static String position(Coordinate c) {
    return "[" + c.x + ", " + c.y + "]";
  }
}
