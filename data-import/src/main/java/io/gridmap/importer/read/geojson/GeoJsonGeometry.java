package io.gridmap.importer.read.geojson;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;

/**
 * Reads one RFC 7946 geometry object from the token stream into JTS. Jackson tokenises; the
 * assembly is ours because JTS's own {@code GeoJsonReader} wants the whole text in memory, and a
 * feature collection larger than the heap must stream.
 *
 * <p>The members of a geometry come in any order ({@code "coordinates"} may precede {@code
 * "type"}), so the coordinates are first read into a small tree of nested lists ending in
 * positions, held for this one geometry only, and shaped by the type once the object ends. A
 * position keeps x, y and a z when given (heights stay as they are); an m is dropped.
 */
final class GeoJsonGeometry {
  private static final String SHAPES =
      "a Point's coordinates are [x, y]; a LineString's and a MultiPoint's [[x, y], ...]; a"
          + " Polygon's and a MultiLineString's [[[x, y], ...], ...]; a MultiPolygon's one level"
          + " deeper";
  private static final String FIX = "correct the geometry (" + SHAPES + ") and export again";

  private final GeometryFactory factory;

  GeoJsonGeometry(GeometryFactory factory) {
    this.factory = factory;
  }

  /** The geometry whose START_OBJECT is the parser's current token; leaves it on END_OBJECT. */
  Geometry read(JsonParser p) throws IOException {
    JsonLocation start = p.currentTokenLocation();
    String type = null;
    Object coordinates = null;
    JsonLocation coordinatesAt = null;
    List<Geometry> members = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "type" -> {
          if (value != JsonToken.VALUE_STRING) {
            throw new BadGeoJson(
                "expected the geometry's type to be a string but found " + describe(p),
                FIX,
                p.currentTokenLocation());
          }
          type = p.getText();
        }
        case "coordinates" -> {
          coordinatesAt = p.currentTokenLocation();
          coordinates = value == JsonToken.VALUE_NULL ? null : readNested(p);
        }
        case "geometries" -> members = readMembers(p);
        default -> p.skipChildren(); // bbox, a foreign member
      }
    }
    if (type == null) {
      throw new BadGeoJson("the geometry has no type member", FIX, start);
    }
    if (type.equals("GeometryCollection")) {
      if (members == null) {
        throw new BadGeoJson("the GeometryCollection has no geometries member", FIX, start);
      }
      return factory.createGeometryCollection(members.toArray(Geometry[]::new));
    }
    if (coordinates == null) {
      throw new BadGeoJson("the " + type + " has no coordinates", FIX, start);
    }
    try {
      return shape(type, coordinates, coordinatesAt);
    } catch (IllegalArgumentException e) {
      // JTS refuses a ring that is not closed or has fewer than 4 positions, a line of 1 position
      throw new BadGeoJson("the " + type + " is not valid: " + e.getMessage(), FIX, coordinatesAt);
    }
  }

  private List<Geometry> readMembers(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new BadGeoJson(
          "expected a GeometryCollection's geometries to be an array but found " + describe(p),
          FIX,
          p.currentTokenLocation());
    }
    List<Geometry> members = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw new BadGeoJson(
            "expected a geometry object in geometries but found " + describe(p),
            FIX,
            p.currentTokenLocation());
      }
      members.add(read(p));
    }
    return members;
  }

  /**
   * An array of numbers is a position (a {@link Coordinate}); an array of arrays is a {@code List}
   * of what those hold. The current token is START_ARRAY; leaves the parser on its END_ARRAY.
   */
  private static Object readNested(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new BadGeoJson(
          "expected coordinates to be an array but found " + describe(p),
          FIX,
          p.currentTokenLocation());
    }
    JsonLocation at = p.currentTokenLocation();
    JsonToken first = p.nextToken();
    if (first == JsonToken.START_ARRAY) {
      List<Object> children = new ArrayList<>();
      do {
        if (p.currentToken() != JsonToken.START_ARRAY) {
          throw new BadGeoJson(
              "expected an array of positions or of arrays, but found "
                  + describe(p)
                  + " among arrays",
              FIX,
              p.currentTokenLocation());
        }
        children.add(readNested(p));
      } while (p.nextToken() != JsonToken.END_ARRAY);
      return children;
    }
    if (first == JsonToken.END_ARRAY) {
      return List.of(); // an empty geometry
    }
    double[] xyz = new double[3];
    int n = 0;
    for (JsonToken t = first; t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
        throw new BadGeoJson(
            "coordinate " + (n + 1) + " of a position is " + describe(p) + ", not a number",
            FIX,
            p.currentTokenLocation());
      }
      if (n < 3) {
        xyz[n] = p.getDoubleValue();
      }
      n++;
    }
    if (n < 2) {
      throw new BadGeoJson("a position has " + n + " number, but needs at least 2 (x, y)", FIX, at);
    }
    return n == 2 ? new Coordinate(xyz[0], xyz[1]) : new Coordinate(xyz[0], xyz[1], xyz[2]);
  }

  private Geometry shape(String type, Object c, JsonLocation at) {
    return switch (type) {
      case "Point" -> point(c, at);
      case "MultiPoint" -> factory.createMultiPointFromCoords(positions(c, type, at));
      case "LineString" -> factory.createLineString(positions(c, type, at));
      case "MultiLineString" -> {
        List<?> lines = list(c, type, "lines", at);
        LineString[] out = new LineString[lines.size()];
        for (int i = 0; i < out.length; i++) {
          out[i] = factory.createLineString(positions(lines.get(i), type + " line", at));
        }
        yield factory.createMultiLineString(out);
      }
      case "Polygon" -> polygon(c, type, at);
      case "MultiPolygon" -> {
        List<?> polygons = list(c, type, "polygons", at);
        Polygon[] out = new Polygon[polygons.size()];
        for (int i = 0; i < out.length; i++) {
          out[i] = polygon(polygons.get(i), "MultiPolygon's polygon " + (i + 1), at);
        }
        yield factory.createMultiPolygon(out);
      }
      default ->
          throw new BadGeoJson(
              "expected a geometry type (Point, MultiPoint, LineString, MultiLineString, Polygon,"
                  + " MultiPolygon, GeometryCollection) but found '"
                  + type
                  + "'",
              FIX,
              at);
    };
  }

  private Point point(Object c, JsonLocation at) {
    if (c instanceof Coordinate xy) {
      return factory.createPoint(xy);
    }
    if (c instanceof List<?> l && l.isEmpty()) {
      return factory.createPoint();
    }
    throw new BadGeoJson(
        "expected a Point's coordinates to be one position [x, y] but found an array of arrays",
        FIX,
        at);
  }

  private Polygon polygon(Object c, String what, JsonLocation at) {
    List<?> rings = list(c, what, "rings", at);
    if (rings.isEmpty()) {
      return factory.createPolygon();
    }
    LinearRing shell = factory.createLinearRing(positions(rings.get(0), what + " ring 1", at));
    LinearRing[] holes = new LinearRing[rings.size() - 1];
    for (int i = 0; i < holes.length; i++) {
      holes[i] =
          factory.createLinearRing(positions(rings.get(i + 1), what + " ring " + (i + 2), at));
    }
    return factory.createPolygon(shell, holes);
  }

  /** A list of lists (rings, lines, polygons), not of positions. */
  private static List<?> list(Object c, String what, String of, JsonLocation at) {
    if (c instanceof List<?> l && l.stream().allMatch(e -> e instanceof List<?>)) {
      return l;
    }
    throw new BadGeoJson(
        "expected the coordinates of the "
            + what
            + " to be an array of "
            + of
            + " but found "
            + (c instanceof Coordinate ? "a single position" : "positions"),
        FIX,
        at);
  }

  private static Coordinate[] positions(Object c, String what, JsonLocation at) {
    if (c instanceof List<?> l && l.stream().allMatch(e -> e instanceof Coordinate)) {
      return l.toArray(Coordinate[]::new);
    }
    throw new BadGeoJson(
        "expected the coordinates of the "
            + what
            + " to be an array of positions [x, y] but found "
            + (c instanceof Coordinate ? "a single position" : "arrays nested deeper"),
        FIX,
        at);
  }

  static String describe(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) {
      return "the end of the file";
    }
    return switch (t) {
      case VALUE_STRING -> "the string '" + abbreviate(p.getText()) + "'";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + p.getText();
      case VALUE_TRUE, VALUE_FALSE -> p.getText();
      case VALUE_NULL -> "null";
      case START_ARRAY -> "an array";
      case START_OBJECT -> "an object";
      default -> "'" + p.getText() + "'";
    };
  }

  static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
