package io.gridmap.layers.query.cql2;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;

/**
 * Parser for cql2-json: {@code {"op": "=", "args": [{"property": "category"}, "fire"]}}. Objects
 * must have exactly the members their kind defines (an unknown member is an error, not ignored),
 * duplicate keys are refused, and errors name a JSON pointer such as {@code /args/1/args/0}.
 * Operator names are matched case-insensitively against a fixed list; anything else, including the
 * older {@code {"function": ...}} form, is refused as an unknown function.
 */
final class Cql2JsonParser {

  static final String ALLOWED_OPS =
      "and, or, not, =, <>, <, <=, >, >=, like, between, in, isNull, "
          + "s_intersects, s_equals, s_disjoint, s_touches, s_within, s_overlaps, s_crosses, s_contains, s_dwithin, "
          + "t_after, t_before, t_contains, t_disjoint, t_during, t_equals, t_finishedBy, t_finishes, t_intersects, "
          + "t_meets, t_metBy, t_overlappedBy, t_overlaps, t_startedBy, t_starts, casei";

  private final Cql2Limits limits;
  private final GeometryLiterals geometries;
  private int depth;

  private Cql2JsonParser(Cql2Limits limits) {
    this.limits = limits;
    this.geometries = new GeometryLiterals(limits.maxVertices());
  }

  static Filter parse(String json, Cql2Limits limits) {
    Objects.requireNonNull(json, "filter json");
    Objects.requireNonNull(limits, "limits");
    if (json.length() > limits.maxJsonLength()) {
      throw Cql2Exception.of(
          Cql2Exception.Kind.LIMIT,
          "the cql2-json filter is "
              + json.length()
              + " characters long; the limit is "
              + limits.maxJsonLength()
              + " (maxJsonLength)");
    }
    JsonNode root = readTree(json, limits);
    return new Cql2JsonParser(limits).filter(root, "");
  }

  /** Parses an already-read tree (e.g. a POST body's {@code filter} member). */
  static Filter parse(JsonNode root, Cql2Limits limits) {
    Objects.requireNonNull(root, "filter json");
    return new Cql2JsonParser(limits).filter(root, "");
  }

  private static JsonNode readTree(String json, Cql2Limits limits) {
    // Raw nesting: two JSON levels per logical level (object + args), plus geometry coordinates.
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(2 * limits.maxDepth() + 16)
                    .maxStringLength(limits.maxJsonLength())
                    .maxNumberLength(100)
                    .build())
            .build();
    factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    ObjectMapper mapper =
        new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    try {
      JsonNode n = mapper.readTree(json);
      if (n == null || n.isMissingNode()) {
        throw Cql2Exception.atPointer(
            Cql2Exception.Kind.SYNTAX,
            "",
            "empty filter; expected a JSON object such as {\"op\":\"=\",\"args\":[{\"property\":\"category\"},\"fire\"]}");
      }
      return n;
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      String where =
          loc == null ? "" : "at line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
      String reason = plain(e.getOriginalMessage());
      if (reason.length() > 200) {
        reason = reason.substring(0, 200) + "...";
      }
      boolean tooDeep = reason.contains("nesting depth");
      throw Cql2Exception.of(
          tooDeep ? Cql2Exception.Kind.LIMIT : Cql2Exception.Kind.SYNTAX,
          where + "malformed JSON: " + reason + (tooDeep ? " (limit maxDepth)" : ""));
    }
  }

  /**
   * The parser's reason without what only the library means: where its input came from ("[Source:
   * ...]", "start marker at ..."), character codes, backticks. The line and column are said once,
   * in our words, before it.
   */
  static String plain(String reason) {
    if (reason == null || reason.isBlank()) {
      return "the text is not JSON";
    }
    return reason
        .replaceAll("(?s)\\s*\\(start marker at .*$", "")
        .replaceAll("(?s)\\s*\\[Source:.*$", "")
        .replaceAll("(?s)\\s*at \\[Source.*$", "")
        .replaceAll(" \\(code \\d+\\)", "")
        .replace('`', '\'')
        .strip();
  }

  // ---------------------------------------------------------------- boolean expressions

  private Filter filter(JsonNode n, String path) {
    if (n.isBoolean()) {
      return new Filter.Constant(n.booleanValue());
    }
    if (!n.isObject()) {
      throw error(
          path,
          "expected a boolean expression (an object with \"op\" and \"args\", or true/false) but found "
              + describe(n));
    }
    if (!n.has("op")) {
      throw error(
          path, "expected a boolean expression with an \"op\" member but found " + describe(n));
    }
    String op = opName(n, path);
    enter(path);
    try {
      return predicate(n, op, path);
    } finally {
      depth--;
    }
  }

  private Filter predicate(JsonNode n, String opRaw, String path) {
    String op = opRaw.toLowerCase(Locale.ROOT);
    onlyMembers(n, path, "op", "args");
    JsonNode args = n.get("args");
    String argsPath = path + "/args";
    switch (op) {
      case "and":
      case "or":
        {
          requireArray(args, argsPath, op, 2, Integer.MAX_VALUE);
          List<Filter> fs = new ArrayList<>();
          for (int i = 0; i < args.size(); i++) {
            fs.add(filter(args.get(i), argsPath + "/" + i));
          }
          return op.equals("and") ? new Filter.And(fs) : new Filter.Or(fs);
        }
      case "not":
        requireArray(args, argsPath, op, 1, 1);
        return new Filter.Not(filter(args.get(0), argsPath + "/0"));
      case "like":
        requireArray(args, argsPath, op, 2, 2);
        return new Filter.Like(
            operand(args.get(0), argsPath + "/0"), pattern(args.get(1), argsPath + "/1"));
      case "between":
        requireArray(args, argsPath, op, 3, 3);
        return new Filter.Between(
            operand(args.get(0), argsPath + "/0"),
            operand(args.get(1), argsPath + "/1"),
            operand(args.get(2), argsPath + "/2"));
      case "in":
        {
          requireArray(args, argsPath, op, 2, 2);
          JsonNode list = args.get(1);
          if (!list.isArray() || list.size() == 0) {
            throw error(
                argsPath + "/1",
                "expected a non-empty array of values for \"in\" but found " + describe(list));
          }
          if (list.size() > limits.maxListSize()) {
            throw Cql2Exception.atPointer(
                Cql2Exception.Kind.LIMIT,
                argsPath + "/1",
                "the \"in\" list has "
                    + list.size()
                    + " items; the limit is "
                    + limits.maxListSize()
                    + " (maxListSize)");
          }
          List<Operand> items = new ArrayList<>();
          for (int i = 0; i < list.size(); i++) {
            items.add(operand(list.get(i), argsPath + "/1/" + i));
          }
          return new Filter.In(operand(args.get(0), argsPath + "/0"), items);
        }
      case "isnull":
        {
          // CQL2 1.0 writes args as a one-element array; early drafts used the bare operand.
          if (args != null && args.isArray()) {
            requireArray(args, argsPath, "isNull", 1, 1);
            return new Filter.IsNull(operand(args.get(0), argsPath + "/0"));
          }
          if (args == null) {
            throw error(path, "expected \"args\" for \"isNull\"");
          }
          return new Filter.IsNull(operand(args, argsPath));
        }
      case "s_dwithin":
        return dwithin(args, argsPath);
      default:
        break;
    }
    ComparisonOperator cmp = ComparisonOperator.ofSymbol(op);
    if (cmp != null) {
      requireArray(args, argsPath, op, 2, 2);
      return new Filter.Compare(
          cmp, operand(args.get(0), argsPath + "/0"), operand(args.get(1), argsPath + "/1"));
    }
    SpatialOperator sop = SpatialOperator.ofName(op);
    if (sop != null) {
      requireArray(args, argsPath, op, 2, 2);
      return new Filter.Spatial(
          sop, operand(args.get(0), argsPath + "/0"), operand(args.get(1), argsPath + "/1"));
    }
    TemporalOperator top = TemporalOperator.ofName(op);
    if (top != null) {
      requireArray(args, argsPath, op, 2, 2);
      return new Filter.Temporal(
          top, operand(args.get(0), argsPath + "/0"), operand(args.get(1), argsPath + "/1"));
    }
    if (op.equals("casei")) {
      throw error(
          path,
          "\"casei\" gives a value, not a boolean; use it inside a comparison such as {\"op\":\"=\",\"args\":[{\"casei\":{\"property\":\"name\"}},{\"casei\":\"x\"}]}");
    }
    throw Cql2Exception.atPointer(
        Cql2Exception.Kind.UNKNOWN_FUNCTION,
        path + "/op",
        "unknown operator or function "
            + Cql2Exception.quote(opRaw)
            + "; the allowed operators are "
            + ALLOWED_OPS);
  }

  private Filter dwithin(JsonNode args, String argsPath) {
    requireArray(args, argsPath, "s_dwithin", 3, 4);
    Operand a = operand(args.get(0), argsPath + "/0");
    Operand b = operand(args.get(1), argsPath + "/1");
    JsonNode d = args.get(2);
    if (!d.isNumber() || !(d.doubleValue() >= 0) || Double.isInfinite(d.doubleValue())) {
      throw error(argsPath + "/2", "expected a distance (a number >= 0) but found " + describe(d));
    }
    DistanceUnit unit = DistanceUnit.METERS;
    if (args.size() == 4) {
      JsonNode u = args.get(3);
      unit = u.isTextual() ? DistanceUnit.ofName(u.textValue()) : null;
      if (unit == null) {
        throw error(
            argsPath + "/3",
            "expected a distance unit ("
                + DistanceUnit.acceptedNames()
                + ") but found "
                + describe(u));
      }
    }
    return new Filter.DWithin(a, b, d.doubleValue(), unit);
  }

  private Operand pattern(JsonNode n, String path) {
    if (n.isTextual()) {
      return new Operand.StringLiteral(n.textValue());
    }
    if (n.isObject() && n.has("casei")) {
      onlyMembers(n, path, "casei");
      enter(path);
      Operand inner = pattern(n.get("casei"), path + "/casei");
      depth--;
      return inner instanceof Operand.CaseI ? inner : new Operand.CaseI(inner);
    }
    throw error(
        path,
        "expected a LIKE pattern (a string, or {\"casei\": a string}) but found " + describe(n));
  }

  // ---------------------------------------------------------------- operands

  private Operand operand(JsonNode n, String path) {
    if (n.isTextual()) {
      return new Operand.StringLiteral(n.textValue());
    }
    if (n.isIntegralNumber()) {
      return n.canConvertToLong()
          ? Operand.NumberLiteral.of(n.longValue())
          : Operand.NumberLiteral.of(n.doubleValue());
    }
    if (n.isNumber()) {
      double d = n.doubleValue();
      if (!Double.isFinite(d)) {
        throw error(path, "number " + Cql2Exception.quote(n.asText()) + " is out of range");
      }
      return Operand.NumberLiteral.of(d);
    }
    if (n.isBoolean()) {
      return new Operand.BooleanLiteral(n.booleanValue());
    }
    if (n.isNull()) {
      throw error(
          path, "null is not a value; test for null with {\"op\":\"isNull\",\"args\":[...]}");
    }
    if (n.isArray()) {
      throw error(
          path,
          "expected a value but found an array; arrays are only allowed as the list of \"in\"");
    }
    if (n.has("property")) {
      onlyMembers(n, path, "property");
      JsonNode name = n.get("property");
      if (!name.isTextual() || name.textValue().isEmpty()) {
        throw error(
            path + "/property",
            "expected a property name (a non-empty string) but found " + describe(name));
      }
      return new Operand.Property(name.textValue());
    }
    if (n.has("timestamp")) {
      onlyMembers(n, path, "timestamp");
      return new Operand.TimestampLiteral(timestamp(n.get("timestamp"), path + "/timestamp"));
    }
    if (n.has("date")) {
      onlyMembers(n, path, "date");
      return new Operand.DateLiteral(date(n.get("date"), path + "/date"));
    }
    if (n.has("interval")) {
      onlyMembers(n, path, "interval");
      JsonNode a = n.get("interval");
      if (!a.isArray() || a.size() != 2) {
        throw error(
            path + "/interval",
            "expected an array of two instants (or \"..\") but found " + describe(a));
      }
      return new Operand.IntervalLiteral(
          intervalBound(a.get(0), path + "/interval/0"),
          intervalBound(a.get(1), path + "/interval/1"));
    }
    if (n.has("bbox")) {
      onlyMembers(n, path, "bbox");
      return bbox(n.get("bbox"), path + "/bbox");
    }
    if (n.has("casei")) {
      onlyMembers(n, path, "casei");
      enter(path);
      Operand inner = operand(n.get("casei"), path + "/casei");
      depth--;
      return new Operand.CaseI(inner);
    }
    if (n.has("type")) {
      return new Operand.GeometryLiteral(geometry(n, path));
    }
    if (n.has("op")) {
      String op = opName(n, path);
      String lower = op.toLowerCase(Locale.ROOT);
      boolean isPredicate =
          Set.of("and", "or", "not", "like", "between", "in", "isnull", "s_dwithin").contains(lower)
              || ComparisonOperator.ofSymbol(lower) != null
              || SpatialOperator.ofName(lower) != null
              || TemporalOperator.ofName(lower) != null;
      if (isPredicate) {
        throw error(path, "expected a value but found the predicate \"" + op + "\"");
      }
      throw Cql2Exception.atPointer(
          Cql2Exception.Kind.UNKNOWN_FUNCTION,
          path + "/op",
          "unknown operator or function "
              + Cql2Exception.quote(op)
              + "; the allowed operators are "
              + ALLOWED_OPS);
    }
    if (n.has("function")) {
      JsonNode fn = n.get("function");
      String name = fn.isObject() && fn.has("name") ? fn.get("name").asText() : fn.toString();
      throw Cql2Exception.atPointer(
          Cql2Exception.Kind.UNKNOWN_FUNCTION,
          path + "/function",
          "unknown function "
              + Cql2Exception.quote(name)
              + "; no functions beyond the operators are allowed: "
              + ALLOWED_OPS);
    }
    throw error(
        path,
        "expected a property, a literal, a geometry or a temporal value but found " + describe(n));
  }

  private Instant timestamp(JsonNode n, String path) {
    Instant i = n.isTextual() ? TemporalLiterals.parseTimestamp(n.textValue()) : null;
    if (i == null) {
      throw error(
          path, "expected " + TemporalLiterals.TIMESTAMP_FORM + " but found " + describe(n));
    }
    return i;
  }

  private LocalDate date(JsonNode n, String path) {
    LocalDate d = n.isTextual() ? TemporalLiterals.parseDate(n.textValue()) : null;
    if (d == null) {
      throw error(path, "expected " + TemporalLiterals.DATE_FORM + " but found " + describe(n));
    }
    return d;
  }

  private Operand intervalBound(JsonNode n, String path) {
    if (n.isTextual()) {
      String s = n.textValue();
      if (s.equals("..")) {
        return new Operand.OpenBound();
      }
      if (TemporalLiterals.looksLikeDate(s)) {
        return new Operand.DateLiteral(date(n, path));
      }
      return new Operand.TimestampLiteral(timestamp(n, path));
    }
    if (n.isObject() && (n.has("property") || n.has("timestamp") || n.has("date"))) {
      return operand(n, path);
    }
    throw error(
        path,
        "expected an interval end: "
            + TemporalLiterals.TIMESTAMP_FORM
            + ", "
            + TemporalLiterals.DATE_FORM
            + ", \"..\" or a property, but found "
            + describe(n));
  }

  private Operand bbox(JsonNode a, String path) {
    if (!a.isArray() || (a.size() != 4 && a.size() != 6)) {
      throw error(
          path,
          "expected 4 numbers (west, south, east, north) or 6 (with heights) but found "
              + describe(a));
    }
    double[] v = new double[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = number(a.get(i), path + "/" + i);
    }
    int k = v.length / 2;
    GeometryLiterals.Errors errors = errorsAt(path);
    GeometryLiterals.checkLonLat(v[0], v[1], errors);
    GeometryLiterals.checkLonLat(v[k], v[k + 1], errors);
    if (v[0] > v[k] || v[1] > v[k + 1]) {
      throw error(
          path,
          "a bbox needs west <= east and south <= north, found "
              + v[0]
              + ", "
              + v[1]
              + ", "
              + v[k]
              + ", "
              + v[k + 1]);
    }
    return new Operand.BboxLiteral(v[0], v[1], v[k], v[k + 1]);
  }

  // ---------------------------------------------------------------- GeoJSON

  private Geometry geometry(JsonNode n, String path) {
    JsonNode type = n.get("type");
    if (!type.isTextual()) {
      throw error(path + "/type", "expected a GeoJSON geometry type but found " + describe(type));
    }
    String t = type.textValue();
    if (t.equals("GeometryCollection")) {
      throw error(
          path + "/type", "GeometryCollection literals are not supported; use a Multi* geometry");
    }
    onlyMembers(n, path, "type", "coordinates", "bbox");
    JsonNode c = n.get("coordinates");
    String cp = path + "/coordinates";
    if (c == null) {
      throw error(path, "expected \"coordinates\" in the GeoJSON " + t);
    }
    GeometryLiterals.Errors errors = errorsAt(cp);
    Geometry g;
    switch (t) {
      case "Point":
        g = GeometryLiterals.FACTORY.createPoint(position(c, cp));
        break;
      case "LineString":
        g = GeometryLiterals.lineString(positions(c, cp), errors);
        break;
      case "Polygon":
        g = polygon(c, cp);
        break;
      case "MultiPoint":
        {
          requireArray(c, cp, "MultiPoint coordinates", 1, Integer.MAX_VALUE);
          Point[] pts = new Point[c.size()];
          for (int i = 0; i < pts.length; i++) {
            pts[i] = GeometryLiterals.FACTORY.createPoint(position(c.get(i), cp + "/" + i));
          }
          g = GeometryLiterals.FACTORY.createMultiPoint(pts);
          break;
        }
      case "MultiLineString":
        {
          requireArray(c, cp, "MultiLineString coordinates", 1, Integer.MAX_VALUE);
          LineString[] lines = new LineString[c.size()];
          for (int i = 0; i < lines.length; i++) {
            lines[i] =
                GeometryLiterals.lineString(
                    positions(c.get(i), cp + "/" + i), errorsAt(cp + "/" + i));
          }
          g = GeometryLiterals.FACTORY.createMultiLineString(lines);
          break;
        }
      case "MultiPolygon":
        {
          requireArray(c, cp, "MultiPolygon coordinates", 1, Integer.MAX_VALUE);
          Polygon[] polys = new Polygon[c.size()];
          for (int i = 0; i < polys.length; i++) {
            polys[i] = polygon(c.get(i), cp + "/" + i);
          }
          g = GeometryLiterals.FACTORY.createMultiPolygon(polys);
          break;
        }
      default:
        throw error(
            path + "/type",
            "expected a GeoJSON geometry type (Point, LineString, Polygon, MultiPoint, MultiLineString, MultiPolygon) but found "
                + Cql2Exception.quote(t));
    }
    return GeometryLiterals.validated(g, errorsAt(path));
  }

  private Polygon polygon(JsonNode c, String path) {
    requireArray(c, path, "Polygon coordinates", 1, Integer.MAX_VALUE);
    List<LinearRing> rings = new ArrayList<>();
    for (int i = 0; i < c.size(); i++) {
      rings.add(
          GeometryLiterals.ring(positions(c.get(i), path + "/" + i), errorsAt(path + "/" + i)));
    }
    return GeometryLiterals.polygon(rings);
  }

  private List<Coordinate> positions(JsonNode c, String path) {
    requireArray(c, path, "positions", 1, Integer.MAX_VALUE);
    List<Coordinate> out = new ArrayList<>(c.size());
    for (int i = 0; i < c.size(); i++) {
      out.add(position(c.get(i), path + "/" + i));
    }
    return out;
  }

  private Coordinate position(JsonNode p, String path) {
    if (!p.isArray() || p.size() < 2 || p.size() > 3) {
      throw error(
          path,
          "expected a position [longitude, latitude] or [longitude, latitude, height] but found "
              + describe(p));
    }
    double x = number(p.get(0), path + "/0");
    double y = number(p.get(1), path + "/1");
    double z = p.size() == 3 ? number(p.get(2), path + "/2") : Double.NaN;
    return geometries.coordinate(x, y, z, errorsAt(path));
  }

  private double number(JsonNode n, String path) {
    if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
      throw error(path, "expected a number but found " + describe(n));
    }
    return n.doubleValue();
  }

  // ---------------------------------------------------------------- plumbing

  private String opName(JsonNode n, String path) {
    JsonNode op = n.get("op");
    if (!op.isTextual()) {
      throw error(path + "/op", "expected an operator name (a string) but found " + describe(op));
    }
    return op.textValue();
  }

  private void requireArray(JsonNode args, String path, String what, int min, int max) {
    if (args == null || !args.isArray()) {
      throw error(
          path,
          "expected an array of arguments for "
              + Cql2Exception.quote(what)
              + " but found "
              + (args == null ? "nothing" : describe(args)));
    }
    if (args.size() < min || args.size() > max) {
      String count =
          min == max
              ? String.valueOf(min)
              : max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max;
      throw error(
          path,
          Cql2Exception.quote(what)
              + " takes "
              + count
              + " argument"
              + (count.equals("1") ? "" : "s")
              + " but found "
              + args.size());
    }
  }

  private void onlyMembers(JsonNode n, String path, String... allowed) {
    Set<String> extra = new TreeSet<>();
    Iterator<String> names = n.fieldNames();
    while (names.hasNext()) {
      extra.add(names.next());
    }
    for (String a : allowed) {
      extra.remove(a);
    }
    if (!extra.isEmpty()) {
      String first = extra.iterator().next();
      throw error(
          path,
          "unexpected member "
              + Cql2Exception.quote(first)
              + "; expected only "
              + String.join(", ", allowed));
    }
  }

  private void enter(String path) {
    if (++depth > limits.maxDepth()) {
      throw Cql2Exception.atPointer(
          Cql2Exception.Kind.LIMIT,
          path,
          "the filter nests deeper than " + limits.maxDepth() + " levels (limit maxDepth)");
    }
  }

  private static String describe(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "nothing";
    }
    if (n.isObject()) {
      List<String> names = new ArrayList<>();
      n.fieldNames().forEachRemaining(names::add);
      return names.isEmpty()
          ? "an empty object"
          : "an object with " + Cql2Exception.quote(String.join(", ", names));
    }
    if (n.isArray()) {
      return "an array of " + n.size();
    }
    if (n.isTextual()) {
      return "the string " + Cql2Exception.quote(n.textValue());
    }
    return Cql2Exception.quote(n.toString());
  }

  private static Cql2Exception error(String path, String message) {
    return Cql2Exception.atPointer(Cql2Exception.Kind.SYNTAX, path, message);
  }

  private static GeometryLiterals.Errors errorsAt(String path) {
    return (kind, message) -> Cql2Exception.atPointer(kind, path, message);
  }
}
