package io.gridmap.layers.query.cql2;

import io.gridmap.layers.query.cql2.Cql2Lexer.Token;
import io.gridmap.layers.query.cql2.Cql2Lexer.Type;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;

/**
 * Recursive-descent parser for cql2-text, following the OGC CQL2 BNF:
 *
 * <pre>
 * filter      = orExpr EOF
 * orExpr      = andExpr { "OR" andExpr }
 * andExpr     = notExpr { "AND" notExpr }
 * notExpr     = "NOT" notExpr | primary
 * primary     = "(" orExpr ")"
 *             | spatialOp "(" operand "," operand ")"
 *             | "S_DWITHIN" "(" operand "," operand "," number [ "," unit ] ")"
 *             | temporalOp "(" operand "," operand ")"
 *             | operand predicateTail
 *             | "TRUE" | "FALSE"
 * predicateTail = compOp operand
 *             | [ "NOT" ] "LIKE" pattern
 *             | [ "NOT" ] "BETWEEN" operand "AND" operand
 *             | [ "NOT" ] "IN" "(" operand { "," operand } ")"
 *             | "IS" [ "NOT" ] "NULL"
 * operand     = string | number | "TRUE" | "FALSE" | property | "CASEI" "(" operand ")"
 *             | "TIMESTAMP" "(" string ")" | "DATE" "(" string ")" | "INTERVAL" "(" bound "," bound ")"
 *             | wkt | "BBOX" "(" number "," number "," number "," number [ "," number "," number ] ")"
 * property    = identifier | '"' any characters but '"' '"'
 * </pre>
 *
 * <p>Keywords are case-insensitive; property names are case-sensitive. A word followed by {@code (}
 * is a function call and must be on the allow-list; any other word is a property name, which stays
 * a plain string until {@link Cql2Binder} looks it up.
 */
final class Cql2TextParser {
  /** Words that can never be a bare property name. */
  static final Set<String> RESERVED =
      Set.of("AND", "OR", "NOT", "LIKE", "BETWEEN", "IN", "IS", "NULL", "TRUE", "FALSE");

  private static final Set<String> GEOMETRY_TAGS =
      Set.of("POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON");

  /** Every function the text encoding accepts, for "unknown function" messages. */
  static final String ALLOWED_FUNCTIONS =
      "S_INTERSECTS, S_EQUALS, S_DISJOINT, S_TOUCHES, S_WITHIN, S_OVERLAPS, S_CROSSES, S_CONTAINS, S_DWITHIN, "
          + "T_AFTER, T_BEFORE, T_CONTAINS, T_DISJOINT, T_DURING, T_EQUALS, T_FINISHEDBY, T_FINISHES, T_INTERSECTS, "
          + "T_MEETS, T_METBY, T_OVERLAPPEDBY, T_OVERLAPS, T_STARTEDBY, T_STARTS, "
          + "CASEI, TIMESTAMP, DATE, INTERVAL, BBOX, POINT, LINESTRING, POLYGON, MULTIPOINT, MULTILINESTRING, MULTIPOLYGON";

  private final String src;
  private final Cql2Lexer lexer;

  /** Tokens lexed so far; the parser looks at most two ahead. */
  private final List<Token> tokens = new ArrayList<>();

  private final Cql2Limits limits;
  private final GeometryLiterals geometries;
  private int next;
  private int depth;

  private Cql2TextParser(String src, Cql2Limits limits) {
    this.src = src;
    this.lexer = new Cql2Lexer(src);
    this.limits = limits;
    this.geometries = new GeometryLiterals(limits.maxVertices());
  }

  static Filter parse(String src, Cql2Limits limits) {
    Objects.requireNonNull(src, "filter text");
    Objects.requireNonNull(limits, "limits");
    if (src.length() > limits.maxTextLength()) {
      throw Cql2Exception.of(
          Cql2Exception.Kind.LIMIT,
          "the cql2-text filter is "
              + src.length()
              + " characters long; the limit is "
              + limits.maxTextLength()
              + " (maxTextLength)");
    }
    Cql2TextParser p = new Cql2TextParser(src, limits);
    if (p.peek().type() == Type.EOF) {
      throw p.error(p.peek(), "empty filter; expected a predicate such as category = 'fire'");
    }
    Filter f = p.orExpr();
    Token end = p.peek();
    if (end.type() != Type.EOF) {
      throw p.error(end, "expected AND, OR or the end of the filter but found " + end.describe());
    }
    return f;
  }

  // ---------------------------------------------------------------- boolean structure

  private Filter orExpr() {
    enter(peek());
    List<Filter> args = new ArrayList<>();
    args.add(andExpr());
    while (peek().isWord("OR")) {
      advance();
      args.add(andExpr());
    }
    depth--;
    return args.size() == 1 ? args.get(0) : new Filter.Or(args);
  }

  private Filter andExpr() {
    List<Filter> args = new ArrayList<>();
    args.add(notExpr());
    while (peek().isWord("AND")) {
      advance();
      args.add(notExpr());
    }
    return args.size() == 1 ? args.get(0) : new Filter.And(args);
  }

  private Filter notExpr() {
    if (peek().isWord("NOT")) {
      Token not = advance();
      enter(not);
      Filter f = new Filter.Not(notExpr());
      depth--;
      return f;
    }
    return primary();
  }

  private Filter primary() {
    Token t = peek();
    if (t.type() == Type.LPAREN) {
      advance();
      Filter f = orExpr();
      expect(
          Type.RPAREN,
          "')' to close the '(' at " + Cql2Exception.describePosition(src, t.offset()));
      return f;
    }
    if (t.type() == Type.WORD && peekAt(1).type() == Type.LPAREN) {
      SpatialOperator sop = SpatialOperator.ofName(t.value());
      if (sop != null) {
        advance();
        advance();
        Operand a = operand();
        expect(Type.COMMA, "',' between the two geometries of " + sop.textName());
        Operand b = operand();
        expect(Type.RPAREN, "')' to close " + sop.textName());
        return new Filter.Spatial(sop, a, b);
      }
      if (t.isWord("S_DWITHIN")) {
        return dwithin();
      }
      TemporalOperator top = TemporalOperator.ofName(t.value());
      if (top != null) {
        advance();
        advance();
        Operand a = operand();
        expect(Type.COMMA, "',' between the two operands of " + top.textName());
        Operand b = operand();
        expect(Type.RPAREN, "')' to close " + top.textName());
        return new Filter.Temporal(top, a, b);
      }
    }
    Operand left = operand();
    return predicateTail(left);
  }

  private Filter dwithin() {
    advance(); // S_DWITHIN
    advance(); // (
    Operand a = operand();
    expect(Type.COMMA, "',' after the first geometry of S_DWITHIN");
    Operand b = operand();
    expect(Type.COMMA, "',' before the distance of S_DWITHIN");
    Token d = advance();
    if (d.type() != Type.NUMBER) {
      throw error(d, "expected a distance (a number) but found " + d.describe());
    }
    double distance = d.number().doubleValue();
    if (distance < 0) {
      throw error(d, "expected a distance >= 0 but found " + d.describe());
    }
    DistanceUnit unit = DistanceUnit.METERS;
    if (peek().type() == Type.COMMA) {
      advance();
      Token u = advance();
      unit =
          (u.type() == Type.WORD || u.type() == Type.STRING)
              ? DistanceUnit.ofName(u.value())
              : null;
      if (unit == null) {
        throw error(
            u,
            "expected a distance unit ("
                + DistanceUnit.acceptedNames()
                + ") but found "
                + u.describe());
      }
    }
    expect(Type.RPAREN, "')' to close S_DWITHIN");
    return new Filter.DWithin(a, b, distance, unit);
  }

  private Filter predicateTail(Operand left) {
    Token t = peek();
    if (t.type() == Type.OPERATOR) {
      advance();
      ComparisonOperator op = ComparisonOperator.ofSymbol(t.text());
      return new Filter.Compare(op, left, operand());
    }
    boolean negated = false;
    if (t.isWord("NOT")) {
      advance();
      negated = true;
      t = peek();
      if (!t.isWord("LIKE") && !t.isWord("BETWEEN") && !t.isWord("IN")) {
        throw error(t, "expected LIKE, BETWEEN or IN after NOT but found " + t.describe());
      }
    }
    Filter f;
    if (t.isWord("LIKE")) {
      advance();
      f = new Filter.Like(left, pattern());
    } else if (t.isWord("BETWEEN")) {
      advance();
      Operand low = operand();
      Token and = advance();
      if (!and.isWord("AND")) {
        throw error(and, "expected AND between the bounds of BETWEEN but found " + and.describe());
      }
      f = new Filter.Between(left, low, operand());
    } else if (t.isWord("IN")) {
      advance();
      f = new Filter.In(left, inList());
    } else if (t.isWord("IS")) {
      advance();
      boolean not = false;
      if (peek().isWord("NOT")) {
        advance();
        not = true;
      }
      Token nul = advance();
      if (!nul.isWord("NULL")) {
        throw error(
            nul, "expected NULL after IS" + (not ? " NOT" : "") + " but found " + nul.describe());
      }
      f = new Filter.IsNull(left);
      negated = not;
    } else if (left instanceof Operand.BooleanLiteral) {
      return new Filter.Constant(((Operand.BooleanLiteral) left).value());
    } else {
      throw error(
          t,
          "expected a comparison operator (=, <>, <, <=, >, >=, LIKE, BETWEEN, IN or IS NULL) but found "
              + t.describe());
    }
    return negated ? new Filter.Not(f) : f;
  }

  private List<Operand> inList() {
    Token open = expect(Type.LPAREN, "'(' to open the IN list");
    List<Operand> items = new ArrayList<>();
    do {
      if (items.size() == limits.maxListSize()) {
        throw Cql2Exception.atOffset(
            Cql2Exception.Kind.LIMIT,
            src,
            open.offset(),
            "the IN list has more than " + limits.maxListSize() + " items (limit maxListSize)");
      }
      items.add(operand());
    } while (acceptComma());
    expect(Type.RPAREN, "',' or ')' in the IN list");
    return items;
  }

  private Operand pattern() {
    Token t = advance();
    if (t.type() == Type.STRING) {
      return new Operand.StringLiteral(t.value());
    }
    if (t.isWord("CASEI") && peek().type() == Type.LPAREN) {
      enter(t);
      advance();
      Operand inner = pattern();
      expect(Type.RPAREN, "')' to close CASEI");
      depth--;
      if (inner instanceof Operand.CaseI) {
        return inner;
      }
      return new Operand.CaseI(inner);
    }
    throw error(t, "expected a quoted LIKE pattern such as 'fire%' but found " + t.describe());
  }

  // ---------------------------------------------------------------- operands

  private Operand operand() {
    Token t = advance();
    switch (t.type()) {
      case STRING:
        return new Operand.StringLiteral(t.value());
      case NUMBER:
        return new Operand.NumberLiteral(t.number());
      case QUOTED_NAME:
        return new Operand.Property(t.value());
      case WORD:
        return wordOperand(t);
      default:
        throw error(
            t, "expected a property name, a literal or a function but found " + t.describe());
    }
  }

  private Operand wordOperand(Token t) {
    String upper = t.value().toUpperCase(Locale.ROOT);
    if (upper.equals("TRUE") || upper.equals("FALSE")) {
      return new Operand.BooleanLiteral(upper.equals("TRUE"));
    }
    if (peek().type() == Type.LPAREN) {
      switch (upper) {
        case "TIMESTAMP":
          return new Operand.TimestampLiteral(timestamp(instantArgument("TIMESTAMP")));
        case "DATE":
          return new Operand.DateLiteral(date(instantArgument("DATE")));
        case "INTERVAL":
          return interval();
        case "BBOX":
          return bbox(t);
        case "CASEI":
          {
            enter(t);
            advance();
            Operand inner = operand();
            expect(Type.RPAREN, "')' to close CASEI");
            depth--;
            return new Operand.CaseI(inner);
          }
        default:
          break;
      }
      if (GEOMETRY_TAGS.contains(upper)) {
        return new Operand.GeometryLiteral(geometry(t, upper));
      }
      if (SpatialOperator.ofName(upper) != null
          || TemporalOperator.ofName(upper) != null
          || upper.equals("S_DWITHIN")) {
        throw error(
            t,
            upper
                + " is a predicate and cannot be used as a value; expected a property name, a literal or a function");
      }
      throw Cql2Exception.atOffset(
          Cql2Exception.Kind.UNKNOWN_FUNCTION,
          src,
          t.offset(),
          "unknown function "
              + Cql2Exception.quote(t.value())
              + "; the allowed functions are "
              + ALLOWED_FUNCTIONS);
    }
    if (GEOMETRY_TAGS.contains(upper) && peek().type() == Type.WORD) {
      return new Operand.GeometryLiteral(geometry(t, upper));
    }
    if (RESERVED.contains(upper)) {
      throw error(t, "expected a property name, a literal or a function but found " + t.describe());
    }
    return new Operand.Property(t.value());
  }

  private Token instantArgument(String function) {
    advance(); // (
    Token s = advance();
    if (s.type() != Type.STRING) {
      throw error(
          s,
          "expected "
              + (function.equals("DATE")
                  ? TemporalLiterals.DATE_FORM
                  : TemporalLiterals.TIMESTAMP_FORM)
              + ", quoted, in "
              + function
              + "(...) but found "
              + s.describe());
    }
    expect(Type.RPAREN, "')' to close " + function);
    return s;
  }

  private Instant timestamp(Token s) {
    Instant i = TemporalLiterals.parseTimestamp(s.value());
    if (i == null) {
      throw error(s, "expected " + TemporalLiterals.TIMESTAMP_FORM + " but found " + s.describe());
    }
    return i;
  }

  private LocalDate date(Token s) {
    LocalDate d = TemporalLiterals.parseDate(s.value());
    if (d == null) {
      throw error(s, "expected " + TemporalLiterals.DATE_FORM + " but found " + s.describe());
    }
    return d;
  }

  private Operand interval() {
    advance(); // (
    Operand start = intervalBound();
    expect(Type.COMMA, "',' between the start and end of INTERVAL");
    Operand end = intervalBound();
    expect(Type.RPAREN, "')' to close INTERVAL");
    return new Operand.IntervalLiteral(start, end);
  }

  private Operand intervalBound() {
    Token t = peek();
    if (t.type() == Type.STRING) {
      advance();
      if (t.value().equals("..")) {
        return new Operand.OpenBound();
      }
      if (TemporalLiterals.looksLikeDate(t.value())) {
        return new Operand.DateLiteral(date(t));
      }
      return new Operand.TimestampLiteral(timestamp(t));
    }
    if (t.type() == Type.QUOTED_NAME || t.type() == Type.WORD) {
      Operand o = operand();
      if (o instanceof Operand.TimestampLiteral
          || o instanceof Operand.DateLiteral
          || o instanceof Operand.Property) {
        return o;
      }
    }
    throw error(
        t,
        "expected an interval end: "
            + TemporalLiterals.TIMESTAMP_FORM
            + ", "
            + TemporalLiterals.DATE_FORM
            + ", '..' or a property, but found "
            + t.describe());
  }

  private Operand bbox(Token tag) {
    advance(); // (
    List<Double> n = new ArrayList<>(6);
    do {
      Token t = advance();
      if (t.type() != Type.NUMBER) {
        throw error(t, "expected a number in BBOX but found " + t.describe());
      }
      n.add(t.number().doubleValue());
    } while (acceptComma() && n.size() < 6);
    expect(Type.RPAREN, "')' to close BBOX");
    if (n.size() != 4 && n.size() != 6) {
      throw error(
          tag,
          "BBOX needs 4 numbers (west, south, east, north) or 6 (with min and max heights), found "
              + n.size());
    }
    int k = n.size() / 2;
    double minX = n.get(0);
    double minY = n.get(1);
    double maxX = n.get(k);
    double maxY = n.get(k + 1);
    GeometryLiterals.Errors errors = errorsAt(tag);
    GeometryLiterals.checkLonLat(minX, minY, errors);
    GeometryLiterals.checkLonLat(maxX, maxY, errors);
    if (minX > maxX || minY > maxY) {
      throw error(
          tag,
          "BBOX needs west <= east and south <= north, found "
              + minX
              + ", "
              + minY
              + ", "
              + maxX
              + ", "
              + maxY);
    }
    return new Operand.BboxLiteral(minX, minY, maxX, maxY);
  }

  // ---------------------------------------------------------------- WKT

  private Geometry geometry(Token tag, String upper) {
    Token t = peek();
    if (t.type() == Type.WORD) {
      if (t.isWord("Z")) {
        advance();
      } else if (t.isWord("EMPTY")) {
        throw error(
            t,
            "expected '(' after "
                + upper
                + " but found 'EMPTY': empty geometries are not supported");
      } else {
        throw error(t, "expected '(' or Z after " + upper + " but found " + t.describe());
      }
    }
    GeometryLiterals.Errors errors = errorsAt(tag);
    Geometry g;
    switch (upper) {
      case "POINT":
        {
          expect(Type.LPAREN, "'(' after POINT");
          Coordinate c = coordinate();
          expect(Type.RPAREN, "')' to close the point");
          g = GeometryLiterals.FACTORY.createPoint(c);
          break;
        }
      case "LINESTRING":
        g = GeometryLiterals.lineString(coordinateList(), errors);
        break;
      case "POLYGON":
        g = polygonText(errors);
        break;
      case "MULTIPOINT":
        {
          expect(Type.LPAREN, "'(' after MULTIPOINT");
          List<Point> points = new ArrayList<>();
          do {
            boolean wrapped = peek().type() == Type.LPAREN;
            if (wrapped) {
              advance();
            }
            points.add(GeometryLiterals.FACTORY.createPoint(coordinate()));
            if (wrapped) {
              expect(Type.RPAREN, "')' to close the point");
            }
          } while (acceptComma());
          expect(Type.RPAREN, "',' or ')' in MULTIPOINT");
          g = GeometryLiterals.FACTORY.createMultiPoint(points.toArray(new Point[0]));
          break;
        }
      case "MULTILINESTRING":
        {
          expect(Type.LPAREN, "'(' after MULTILINESTRING");
          List<LineString> lines = new ArrayList<>();
          do {
            lines.add(GeometryLiterals.lineString(coordinateList(), errors));
          } while (acceptComma());
          expect(Type.RPAREN, "',' or ')' in MULTILINESTRING");
          g = GeometryLiterals.FACTORY.createMultiLineString(lines.toArray(new LineString[0]));
          break;
        }
      default: // MULTIPOLYGON
        {
          expect(Type.LPAREN, "'(' after MULTIPOLYGON");
          List<Polygon> polygons = new ArrayList<>();
          do {
            polygons.add(polygonText(errors));
          } while (acceptComma());
          expect(Type.RPAREN, "',' or ')' in MULTIPOLYGON");
          g = GeometryLiterals.FACTORY.createMultiPolygon(polygons.toArray(new Polygon[0]));
          break;
        }
    }
    return GeometryLiterals.validated(g, errors);
  }

  private Polygon polygonText(GeometryLiterals.Errors errors) {
    expect(Type.LPAREN, "'(' to open the polygon's rings");
    List<LinearRing> rings = new ArrayList<>();
    do {
      rings.add(GeometryLiterals.ring(coordinateList(), errors));
    } while (acceptComma());
    expect(Type.RPAREN, "',' or ')' after a polygon ring");
    return GeometryLiterals.polygon(rings);
  }

  private List<Coordinate> coordinateList() {
    expect(Type.LPAREN, "'(' to open a list of points");
    List<Coordinate> coords = new ArrayList<>();
    do {
      coords.add(coordinate());
    } while (acceptComma());
    expect(Type.RPAREN, "',' or ')' in a list of points");
    return coords;
  }

  private Coordinate coordinate() {
    Token x = advance();
    if (x.type() != Type.NUMBER) {
      throw error(x, "expected a longitude (a number) but found " + x.describe());
    }
    Token y = advance();
    if (y.type() != Type.NUMBER) {
      throw error(
          y, "expected a latitude (a number) after the longitude but found " + y.describe());
    }
    double z = Double.NaN;
    if (peek().type() == Type.NUMBER) {
      z = advance().number().doubleValue();
    }
    return geometries.coordinate(
        x.number().doubleValue(), y.number().doubleValue(), z, errorsAt(x));
  }

  // ---------------------------------------------------------------- token plumbing

  private Token peek() {
    return peekAt(0);
  }

  private Token peekAt(int ahead) {
    while (tokens.size() <= next + ahead) {
      Token last = tokens.isEmpty() ? null : tokens.get(tokens.size() - 1);
      if (last != null && last.type() == Type.EOF) {
        return last;
      }
      tokens.add(lexer.next());
    }
    return tokens.get(next + ahead);
  }

  private Token advance() {
    Token t = peek();
    if (t.type() != Type.EOF) {
      next++;
    }
    return t;
  }

  private boolean acceptComma() {
    if (peek().type() == Type.COMMA) {
      advance();
      return true;
    }
    return false;
  }

  private Token expect(Type type, String what) {
    Token t = advance();
    if (t.type() != type) {
      throw error(t, "expected " + what + " but found " + t.describe());
    }
    return t;
  }

  private void enter(Token at) {
    if (++depth > limits.maxDepth()) {
      throw Cql2Exception.atOffset(
          Cql2Exception.Kind.LIMIT,
          src,
          at.offset(),
          "the filter nests deeper than " + limits.maxDepth() + " levels (limit maxDepth)");
    }
  }

  private Cql2Exception error(Token t, String message) {
    return Cql2Exception.atOffset(Cql2Exception.Kind.SYNTAX, src, t.offset(), message);
  }

  private GeometryLiterals.Errors errorsAt(Token t) {
    return (kind, message) -> Cql2Exception.atOffset(kind, src, t.offset(), message);
  }
}
