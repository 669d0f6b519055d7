package io.gridmap.server.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;

/**
 * Reads request bodies, for every handler that takes one: strict JSON (UTF-8, one value, no
 * duplicate members) and GeoJSON FeatureCollections, Features, Points, Polygons and MultiPolygons.
 * Every refusal is a 400 (413 past a position budget) whose detail names the member by its path in
 * the body ({@code features[3].geometry.coordinates[0][5]}), quotes the bad value and says what is
 * accepted, in our words: a client never sees the JSON library's messages.
 *
 * <p>Hand-written rather than JTS's GeoJsonReader, which neither names the place nor caps
 * positions. The detail's form is {@code path='value' problem; expected form}; a member that is
 * absent shows as {@code path=(missing)}.
 */
public final class GeoJsonReader {
  /**
   * How deep arrays and objects may nest: a MultiPolygon in a FeatureCollection needs 8 levels;
   * properties may nest a little.
   */
  public static final int MAX_DEPTH = 64;

  /** The longest number, in characters: a double needs 24. */
  public static final int MAX_NUMBER_CHARS = 100;

  private static final ObjectMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_DEPTH)
                          .maxNumberLength(MAX_NUMBER_CHARS)
                          .build())
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .build();

  private static final Pattern NOT_A_NUMBER = Pattern.compile("[+-]?(NaN|Inf|INF|Infinity)");
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

  /** The form of a position in messages. */
  public static final String POSITION = "[lon, lat] in WGS84 degrees";

  private GeoJsonReader() {}

  /**
   * Where positions may lie, named for messages.
   *
   * @param envelope WGS84 lon/lat
   * @param name what the envelope is, e.g. "the city"
   */
  public record Bounds(Envelope envelope, String name) {
    /** Every position on Earth, longitude first. */
    public static final Bounds WGS84 =
        new Bounds(new Envelope(-180, 180, -90, 90), "the WGS84 range");
  }

  /** Counts positions against a budget while a body is read: past it, a 413. */
  public static final class Budget {
    private final int max;
    private final String what;
    private int used;

    /**
     * @param max the most positions
     * @param what what holds them, for messages ("one redraw")
     */
    public Budget(int max, String what) {
      this.max = max;
      this.what = what;
    }

    /** Takes {@code n} positions for the member at {@code path}. */
    public void take(int n, String path) {
      used += n;
      if (used > max) {
        throw new ApiException(
            413,
            "Content Too Large",
            path + " goes past " + max + " positions, the most " + what + " may hold");
      }
    }
  }

  // ------------------------------------------------------------------ JSON text

  /**
   * The body as a JSON object.
   *
   * @param body the request body, UTF-8
   * @param expected the accepted form of the whole body, for messages
   * @throws ApiException 400 when it is empty, not UTF-8, not JSON (naming line, column, the text
   *     there and the array or object it sits in) or not an object
   */
  public static JsonNode object(byte[] body, String expected) {
    return object(utf8(body, expected), expected);
  }

  /** The body as a JSON object; see {@link #object(byte[], String)}. */
  public static JsonNode object(String body, String expected) {
    JsonNode n = json(body, expected);
    if (!n.isObject()) {
      throw ApiException.badRequest(
          "the request body "
              + Params.quote(n.toString())
              + " is not a JSON object; expected "
              + expected);
    }
    return n;
  }

  /** The body as one JSON value, or a 400 saying where and why it is not JSON. */
  static JsonNode json(String body, String expected) {
    // a byte order mark before the text may be ignored (RFC 8259 section 8.1)
    String text = body != null && body.startsWith("\uFEFF") ? body.substring(1) : body;
    if (text == null || text.isBlank()) {
      throw ApiException.badRequest("the request body is empty; expected " + expected);
    }
    JsonParser p = null;
    boolean after = false;
    try {
      p = JSON.createParser(text);
      JsonNode n = JSON.readTree(p);
      after = true;
      if (p.nextToken() != null) {
        throw syntax(text, p, p.currentTokenLocation(), true, expected);
      }
      return n;
    } catch (StreamConstraintsException e) {
      throw limit(e, p, expected);
    } catch (JsonProcessingException e) {
      throw syntax(text, p, e.getLocation(), after, expected, e);
    } catch (IOException e) {
      // reading a String fails only through the parser, whose failures are caught above
      throw ApiException.badRequest("the request body cannot be read; expected " + expected);
    } finally {
      close(p);
    }
  }

  /** The bytes as UTF-8 text, or a 400 naming the first byte that is not UTF-8. */
  private static String utf8(byte[] body, String expected) {
    if (body == null) {
      return null;
    }
    CharsetDecoder d =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(body);
    CharBuffer out = CharBuffer.allocate(body.length);
    CoderResult r = d.decode(in, out, true);
    if (!r.isError()) {
      r = d.flush(out);
    }
    if (r.isError()) {
      throw ApiException.badRequest(
          "the request body is not UTF-8: byte "
              + in.position()
              + String.format(" (0x%02X)", body[in.position()] & 0xff)
              + " starts no UTF-8 character; expected "
              + expected
              + ", in UTF-8");
    }
    return out.flip().toString();
  }

  private static ApiException limit(StreamConstraintsException e, JsonParser p, String expected) {
    // the library's message picks which of our sentences applies; it is never shown
    String reason = String.valueOf(e.getOriginalMessage());
    String what =
        reason.contains("nesting")
            ? "nests arrays and objects more than " + MAX_DEPTH + " deep"
            : reason.contains("Number")
                ? "holds a number longer than " + MAX_NUMBER_CHARS + " characters"
                : "holds a string or name too long to read";
    return ApiException.badRequest(
        "the request body "
            + what
            + at(p == null ? null : p.currentLocation())
            + "; expected "
            + expected);
  }

  private static ApiException syntax(
      String text, JsonParser p, JsonLocation loc, boolean after, String expected) {
    return syntax(text, p, loc, after, expected, null);
  }

  /**
   * Describes the text where the parser stopped: the few characters there, line and column, the
   * array or object they sit in and, where a usual mistake explains it, a hint.
   */
  private static ApiException syntax(
      String text,
      JsonParser p,
      JsonLocation loc,
      boolean after,
      String expected,
      JsonProcessingException e) {
    if (loc == null && p != null) {
      loc = p.currentLocation();
    }
    if (e != null
        && !(e instanceof JsonEOFException)
        && String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field")) {
      // valid JSON, but which of the two would count is anyone's guess (RFC 8259 section 4)
      String name = p == null ? null : p.getParsingContext().getCurrentName();
      int offset = loc == null ? -1 : (int) Math.min(Integer.MAX_VALUE, loc.getCharOffset());
      return ApiException.badRequest(
          "the request body repeats the member "
              + (name == null ? "" : "\"" + name + "\"")
              + at(loc, offset - nameStart(text, offset))
              + inside(p)
              + "; a member may appear once in an object; expected "
              + expected);
    }
    int offset = loc == null ? -1 : (int) Math.min(Integer.MAX_VALUE, loc.getCharOffset());
    boolean end = e instanceof JsonEOFException || offset >= text.length() || offset < 0;
    String subject;
    String hint = null;
    int back = 0; // from where the parser stopped to the start of the text shown
    if (end) {
      subject = "the end of the text";
      hint = "an object, array or string is still open";
    } else {
      int start = offset;
      while (start > 0 && word(text.charAt(start - 1))) {
        start--; // a bad word is reported at its end or its middle: show all of it
      }
      if (start == offset && start > 0 && text.charAt(start - 1) == '\\') {
        start--;
        hint =
            "a backslash in a string starts one of the escapes \\\", \\\\, \\/, \\b, \\f, \\n, \\r,"
                + " \\t or \\uXXXX";
      }
      back = offset - start;
      int stop = Math.min(text.length(), start + 20);
      subject = Params.quote(text.substring(start, stop) + (stop < text.length() ? "..." : ""));
      int wordEnd = start;
      while (wordEnd < text.length() && word(text.charAt(wordEnd))) {
        wordEnd++;
      }
      String token = text.substring(start, wordEnd);
      char c = text.charAt(offset);
      if (after) {
        hint = "a body holds one JSON value";
      } else if (NOT_A_NUMBER.matcher(token).matches()) {
        hint = "a number is finite and written in decimal digits, e.g. 106.5";
      } else if (token.matches("-?0[0-9].*")) {
        hint = "a number has no leading zeros";
      } else if (c < 0x20) {
        hint = "a control character in a string is written as an escape, e.g. \\n";
      } else if (c == '\'') {
        hint = "strings and member names are in double quotes";
      } else if (!token.isEmpty()
          && Character.isLetter(token.charAt(0))
          && !token.equals("true")
          && !token.equals("false")
          && !token.equals("null")) {
        hint =
            "strings and member names are in double quotes; the literals are true, false and null";
      } else if ((c == '}' || c == ']') && before(text, offset) == ',') {
        hint = "a comma is followed by another member or element";
      } else if (valueEnd(before(text, start)) && "\"-[{0123456789".indexOf(c) >= 0) {
        hint = "a comma separates members and elements; a colon separates a name from its value";
      }
    }
    return ApiException.badRequest(
        "the request body is not JSON: "
            + subject
            + at(loc, back)
            + (after && !end ? ", after the end of the value," : inside(p))
            + " is not valid JSON"
            + (hint == null ? "" : " (" + hint + ")")
            + "; expected "
            + expected);
  }

  /** The last character before {@code offset} that is not white space, or 0. */
  private static char before(String text, int offset) {
    for (int i = offset - 1; i >= 0; i--) {
      if (!Character.isWhitespace(text.charAt(i))) {
        return text.charAt(i);
      }
    }
    return 0;
  }

  private static boolean valueEnd(char c) {
    return c == '"' || c == ']' || c == '}' || Character.isLetterOrDigit(c);
  }

  private static boolean word(char c) {
    return Character.isLetterOrDigit(c) || c == '.' || c == '+' || c == '-' || c == '_';
  }

  private static String at(JsonLocation loc) {
    return at(loc, 0);
  }

  /**
   * " at line 2, column 33": where the parser stopped, {@code back} characters earlier on the same
   * line (the start of the word or name it stopped in).
   */
  private static String at(JsonLocation loc, int back) {
    if (loc == null || loc.getLineNr() < 1) {
      return "";
    }
    int column = loc.getColumnNr() - back;
    return " at line " + loc.getLineNr() + ", column " + (column >= 1 ? column : loc.getColumnNr());
  }

  /**
   * Where the member name that ends just before {@code offset} starts (its opening quote), or
   * {@code offset} when there is none on the same line.
   */
  private static int nameStart(String text, int offset) {
    int i = Math.min(offset, text.length()) - 1;
    while (i >= 0 && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i--;
    }
    if (i < 0 || text.charAt(i) != '"') {
      return offset;
    }
    for (int j = i - 1; j >= 0 && text.charAt(j) != '\n'; j--) {
      if (text.charAt(j) == '"' && (j == 0 || text.charAt(j - 1) != '\\')) {
        return j;
      }
    }
    return offset;
  }

  /** " (inside features[1].geometry)": the array or object being read, or "" at the top. */
  private static String inside(JsonParser p) {
    if (p == null) {
      return "";
    }
    Deque<String> segments = new ArrayDeque<>();
    for (JsonStreamContext c = p.getParsingContext().getParent();
        c != null && !c.inRoot();
        c = c.getParent()) {
      segments.addFirst(
          c.inArray()
              ? "[" + c.getCurrentIndex() + "]"
              : "." + (c.getCurrentName() == null ? "?" : c.getCurrentName()));
    }
    if (segments.isEmpty()) {
      return "";
    }
    String path = String.join("", segments);
    return " (inside " + (path.startsWith(".") ? path.substring(1) : path) + ")";
  }

  private static void close(JsonParser p) {
    if (p != null) {
      try {
        p.close();
      } catch (IOException ignored) {
        // a parser over a String holds nothing to release
      }
    }
  }

  // ------------------------------------------------------------------ members

  /** A value as messages show it: quoted and cut, or {@code (missing)}. */
  public static String shown(JsonNode v) {
    return v == null || v.isMissingNode() ? "(missing)" : Params.quote(v.toString());
  }

  /** A 400: {@code path='value' problem; expected accepted}. */
  public static ApiException bad(String path, JsonNode value, String problem, String accepted) {
    return ApiException.badRequest(
        path + "=" + shown(value) + " " + problem + "; expected " + accepted);
  }

  /** A 400: {@code path='value' is invalid; expected accepted}. */
  public static ApiException invalid(String path, JsonNode value, String accepted) {
    return bad(path, value, "is invalid", accepted);
  }

  /**
   * A positive integer id given as a JSON number or a string of digits (clients that keep ids as
   * strings, as some JavaScript code does for ids in general, may send them so).
   *
   * @param what what the id names, for messages ("a force id")
   */
  public static long positiveId(JsonNode v, String path, String what) {
    if (v != null && v.isIntegralNumber() && v.canConvertToLong() && v.longValue() > 0) {
      return v.longValue();
    }
    if (v != null && v.isTextual() && DIGITS.matcher(v.asText()).matches()) {
      long n = Long.parseLong(v.asText());
      if (n > 0) {
        return n;
      }
    }
    throw invalid(path, v, what + ": a positive integer, as a JSON number or a string of digits");
  }

  /**
   * The features of a GeoJSON FeatureCollection body: checks the type and that features is a
   * non-empty array; the caller checks its own cap on their number.
   *
   * @param form the accepted form of the body, for messages
   */
  public static ArrayNode features(JsonNode collection, String form) {
    JsonNode type = collection.get("type");
    if (type == null || !"FeatureCollection".equals(type.asText(null))) {
      throw invalid("type", type, "\"FeatureCollection\": " + form);
    }
    JsonNode features = collection.get("features");
    if (!(features instanceof ArrayNode a)) {
      throw bad("features", features, "is not an array", form);
    }
    if (a.isEmpty()) {
      throw ApiException.badRequest("features is empty; expected " + form);
    }
    return a;
  }

  /**
   * Checks that a member of features is a GeoJSON Feature: an object whose type, when given, is
   * "Feature".
   */
  public static void feature(JsonNode f, String path, String form) {
    JsonNode type = f == null ? null : f.get("type");
    if (f == null || !f.isObject() || (type != null && !"Feature".equals(type.asText(null)))) {
      throw bad(path, f, "is not a GeoJSON Feature", form);
    }
  }

  // ------------------------------------------------------------------ geometry

  /**
   * A GeoJSON Point.
   *
   * @param path where the geometry sits in the body, for messages
   * @param bounds where the point may lie
   */
  public static Coordinate point(JsonNode geometry, String path, Bounds bounds) {
    String form = path + "={\"type\": \"Point\", \"coordinates\": [lon, lat]}";
    if (geometry == null || !geometry.isObject()) {
      throw bad(path, geometry, "is not a GeoJSON Point", form);
    }
    JsonNode type = geometry.get("type");
    if (type == null || !"Point".equals(type.asText(null))) {
      throw invalid(path + ".type", type, "\"Point\": " + form);
    }
    return position(geometry.get("coordinates"), path + ".coordinates", bounds, null);
  }

  /**
   * A GeoJSON position: two numbers, longitude first, or three (the altitude is ignored), inside
   * the bounds.
   *
   * @param form the form to name when it is not a position, or null for {@value #POSITION}
   */
  public static Coordinate position(JsonNode p, String path, Bounds bounds, String form) {
    if (p == null
        || !p.isArray()
        || p.size() < 2
        || p.size() > 3
        || !p.get(0).isNumber()
        || !p.get(1).isNumber()
        || (p.size() == 3 && !p.get(2).isNumber())) {
      throw invalid(
          path, p, form != null ? form : POSITION + " (a third number, the altitude, is ignored)");
    }
    double lon = p.get(0).doubleValue();
    double lat = p.get(1).doubleValue();
    Envelope e = bounds.envelope();
    if (!Double.isFinite(lon) || !Double.isFinite(lat) || !e.contains(lon, lat)) {
      // the numbers as read (1e400 reads as Infinity), not re-encoded JSON, which would quote a
      // non-finite number
      String read = "[" + p.get(0).asText() + "," + p.get(1).asText() + "]";
      throw ApiException.badRequest(
          path
              + "="
              + Params.quote(read)
              + " is outside "
              + bounds.name()
              + "; expected "
              + POSITION
              + " within lon "
              + degrees(e.getMinX())
              + ".."
              + degrees(e.getMaxX())
              + ", lat "
              + degrees(e.getMinY())
              + ".."
              + degrees(e.getMaxY()));
    }
    return new Coordinate(lon, lat);
  }

  /**
   * A bound for a message: six decimals (about 10 cm), without the float noise of margin
   * arithmetic.
   */
  private static String degrees(double d) {
    return BigDecimal.valueOf(d)
        .setScale(6, RoundingMode.HALF_UP)
        .stripTrailingZeros()
        .toPlainString();
  }

  /**
   * A GeoJSON Polygon or MultiPolygon in WGS84 lon/lat, rings closed and of at least 4 positions
   * (validity, such as self-intersection, is for the caller to judge).
   *
   * @param path where the geometry sits in the body, for messages
   * @param budget positions left for the request
   */
  public static Geometry polygonal(
      JsonNode geometry, String path, GeometryFactory factory, Budget budget) {
    String form =
        path + "={\"type\": \"Polygon\", \"coordinates\": [[[lon, lat], ...]]}, or a MultiPolygon";
    if (geometry == null || !geometry.isObject()) {
      throw bad(path, geometry, "is not a GeoJSON Polygon or MultiPolygon", form);
    }
    JsonNode type = geometry.get("type");
    String t = type == null ? null : type.asText(null);
    if (!"Polygon".equals(t) && !"MultiPolygon".equals(t)) {
      throw invalid(path + ".type", type, "\"Polygon\" or \"MultiPolygon\": " + form);
    }
    JsonNode coordinates = geometry.get("coordinates");
    String at = path + ".coordinates";
    if (coordinates == null || !coordinates.isArray()) {
      throw invalid(
          at,
          coordinates,
          "Polygon".equals(t)
              ? "an array of linear rings, the shell first"
              : "an array of polygons, each an array of linear rings");
    }
    if ("Polygon".equals(t)) {
      return polygon(coordinates, at, factory, budget);
    }
    if (coordinates.isEmpty()) {
      throw bad(at, coordinates, "is empty", "at least one polygon");
    }
    Polygon[] parts = new Polygon[coordinates.size()];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = polygon(coordinates.get(i), at + "[" + i + "]", factory, budget);
    }
    return factory.createMultiPolygon(parts);
  }

  /**
   * A GeoJSON LineString in WGS84 lon/lat of at least 2 positions (a split line).
   *
   * @param path where the geometry sits in the body, for messages
   * @param budget positions left for the request
   */
  public static org.locationtech.jts.geom.LineString lineString(
      JsonNode geometry, String path, GeometryFactory factory, Budget budget) {
    String form = path + "={\"type\": \"LineString\", \"coordinates\": [[lon, lat], ...]}";
    if (geometry == null || !geometry.isObject()) {
      throw bad(path, geometry, "is not a GeoJSON LineString", form);
    }
    JsonNode type = geometry.get("type");
    if (type == null || !"LineString".equals(type.asText(null))) {
      throw invalid(path + ".type", type, "\"LineString\": " + form);
    }
    JsonNode positions = geometry.get("coordinates");
    String at = path + ".coordinates";
    if (positions == null || !positions.isArray()) {
      throw invalid(at, positions, "an array of " + POSITION);
    }
    budget.take(positions.size(), at);
    Coordinate[] cs = new Coordinate[positions.size()];
    for (int i = 0; i < cs.length; i++) {
      cs[i] = position(positions.get(i), at + "[" + i + "]", Bounds.WGS84, null);
    }
    if (java.util.Arrays.stream(cs).distinct().count() < 2) {
      throw ApiException.badRequest(
          at + " has fewer than 2 distinct positions; a line runs from one position to another");
    }
    return factory.createLineString(cs);
  }

  private static Polygon polygon(
      JsonNode rings, String path, GeometryFactory factory, Budget budget) {
    if (!rings.isArray() || rings.isEmpty()) {
      throw invalid(path, rings, "an array of linear rings, the shell first");
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
      throw invalid(path, positions, "a linear ring: an array of " + POSITION);
    }
    budget.take(positions.size(), path);
    if (positions.size() < 4) {
      throw ApiException.badRequest(
          path
              + " has "
              + positions.size()
              + " positions; a linear ring needs at least 4, the last equal to the first");
    }
    Coordinate[] cs = new Coordinate[positions.size()];
    for (int i = 0; i < cs.length; i++) {
      cs[i] = position(positions.get(i), path + "[" + i + "]", Bounds.WGS84, null);
    }
    if (!cs[0].equals2D(cs[cs.length - 1])) {
      throw ApiException.badRequest(
          path
              + " is not closed: it starts at "
              + lonLat(cs[0])
              + " and ends at "
              + lonLat(cs[cs.length - 1])
              + "; the last position of a linear ring repeats the first");
    }
    return factory.createLinearRing(cs);
  }

  private static String lonLat(Coordinate c) {
    return "[" + c.x + ", " + c.y + "]";
  }

  /**
   * The datum of a {@code Content-Crs} header: absent is WGS84; {@code <uri>} or a bare name that
   * {@link io.gridmap.layers.geo.ChinaCoordinates.Datum#parse} knows (gcj02, bd09, CRS84,
   * EPSG:4326...).
   */
  public static io.gridmap.layers.geo.ChinaCoordinates.Datum datum(String header) {
    if (header == null || header.isBlank()) {
      return io.gridmap.layers.geo.ChinaCoordinates.Datum.WGS84;
    }
    String h = header.strip();
    if (h.startsWith("<") && h.endsWith(">")) {
      h = h.substring(1, h.length() - 1);
    }
    try {
      return io.gridmap.layers.geo.ChinaCoordinates.Datum.parse(h);
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          400,
          "Bad Request",
          "header Content-Crs="
              + Params.quote(header)
              + " is not a datum we convert from; expected <http://www.opengis.net/def/crs/OGC/1.3/CRS84>"
              + " (WGS84, the default), gcj02 (WeChat wx.getLocation, Chinese phone map SDKs) or bd09"
              + " (Baidu)");
    }
  }
}
