package io.gridmap.layers.query.cql2;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.MultiLineString;
import org.locationtech.jts.geom.MultiPoint;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;

/**
 * Writes a {@link Filter} as cql2-text that {@link Cql2TextParser} reads back to an equal tree:
 * keywords in upper case, only the parentheses precedence needs, property names double-quoted when
 * they are not plain identifiers or collide with a keyword.
 */
public final class Cql2TextWriter {
  private Cql2TextWriter() {}

  private static final Set<String> QUOTE_WORDS =
      Set.of(
          "AND",
          "OR",
          "NOT",
          "LIKE",
          "BETWEEN",
          "IN",
          "IS",
          "NULL",
          "TRUE",
          "FALSE",
          "POINT",
          "LINESTRING",
          "POLYGON",
          "MULTIPOINT",
          "MULTILINESTRING",
          "MULTIPOLYGON",
          "GEOMETRYCOLLECTION",
          "TIMESTAMP",
          "DATE",
          "INTERVAL",
          "BBOX",
          "CASEI",
          "S_DWITHIN");

  public static String write(Filter f) {
    StringBuilder sb = new StringBuilder();
    filter(f, sb);
    return sb.toString();
  }

  private static void filter(Filter f, StringBuilder sb) {
    if (f instanceof Filter.And) {
      join(((Filter.And) f).args(), " AND ", true, sb);
    } else if (f instanceof Filter.Or) {
      join(((Filter.Or) f).args(), " OR ", false, sb);
    } else if (f instanceof Filter.Not) {
      not(((Filter.Not) f).arg(), sb);
    } else if (f instanceof Filter.Compare) {
      Filter.Compare c = (Filter.Compare) f;
      operand(c.left(), sb);
      sb.append(' ').append(c.op().symbol()).append(' ');
      operand(c.right(), sb);
    } else if (f instanceof Filter.Like) {
      like((Filter.Like) f, false, sb);
    } else if (f instanceof Filter.Between) {
      between((Filter.Between) f, false, sb);
    } else if (f instanceof Filter.In) {
      in((Filter.In) f, false, sb);
    } else if (f instanceof Filter.IsNull) {
      operand(((Filter.IsNull) f).value(), sb);
      sb.append(" IS NULL");
    } else if (f instanceof Filter.Spatial) {
      Filter.Spatial s = (Filter.Spatial) f;
      call(s.op().textName(), List.of(s.left(), s.right()), sb);
    } else if (f instanceof Filter.DWithin) {
      Filter.DWithin d = (Filter.DWithin) f;
      sb.append("S_DWITHIN(");
      operand(d.left(), sb);
      sb.append(", ");
      operand(d.right(), sb);
      sb.append(", ")
          .append(coordinate(d.distance()))
          .append(", ")
          .append(d.unit().canonicalName())
          .append(')');
    } else if (f instanceof Filter.Temporal) {
      Filter.Temporal t = (Filter.Temporal) f;
      call(t.op().textName(), List.of(t.left(), t.right()), sb);
    } else {
      sb.append(((Filter.Constant) f).value() ? "TRUE" : "FALSE");
    }
  }

  private static void join(
      List<Filter> args, String sep, boolean parenthesiseOr, StringBuilder sb) {
    for (int i = 0; i < args.size(); i++) {
      if (i > 0) {
        sb.append(sep);
      }
      Filter a = args.get(i);
      boolean paren = a instanceof Filter.And || (parenthesiseOr && a instanceof Filter.Or);
      if (paren) {
        sb.append('(');
      }
      filter(a, sb);
      if (paren) {
        sb.append(')');
      }
    }
  }

  private static void not(Filter arg, StringBuilder sb) {
    if (arg instanceof Filter.Like) {
      like((Filter.Like) arg, true, sb);
    } else if (arg instanceof Filter.Between) {
      between((Filter.Between) arg, true, sb);
    } else if (arg instanceof Filter.In) {
      in((Filter.In) arg, true, sb);
    } else if (arg instanceof Filter.IsNull) {
      operand(((Filter.IsNull) arg).value(), sb);
      sb.append(" IS NOT NULL");
    } else if (arg instanceof Filter.And || arg instanceof Filter.Or) {
      sb.append("NOT (");
      filter(arg, sb);
      sb.append(')');
    } else {
      sb.append("NOT ");
      filter(arg, sb);
    }
  }

  private static void like(Filter.Like l, boolean not, StringBuilder sb) {
    operand(l.value(), sb);
    sb.append(not ? " NOT LIKE " : " LIKE ");
    operand(l.pattern(), sb);
  }

  private static void between(Filter.Between b, boolean not, StringBuilder sb) {
    operand(b.value(), sb);
    sb.append(not ? " NOT BETWEEN " : " BETWEEN ");
    operand(b.low(), sb);
    sb.append(" AND ");
    operand(b.high(), sb);
  }

  private static void in(Filter.In in, boolean not, StringBuilder sb) {
    operand(in.value(), sb);
    sb.append(not ? " NOT IN (" : " IN (");
    for (int i = 0; i < in.list().size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      operand(in.list().get(i), sb);
    }
    sb.append(')');
  }

  private static void call(String name, List<Operand> args, StringBuilder sb) {
    sb.append(name).append('(');
    for (int i = 0; i < args.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      operand(args.get(i), sb);
    }
    sb.append(')');
  }

  static void operand(Operand o, StringBuilder sb) {
    if (o instanceof Operand.Property) {
      sb.append(propertyName(((Operand.Property) o).name()));
    } else if (o instanceof Operand.StringLiteral) {
      string(((Operand.StringLiteral) o).value(), sb);
    } else if (o instanceof Operand.NumberLiteral) {
      sb.append(((Operand.NumberLiteral) o).value().toString());
    } else if (o instanceof Operand.BooleanLiteral) {
      sb.append(((Operand.BooleanLiteral) o).value() ? "TRUE" : "FALSE");
    } else if (o instanceof Operand.TimestampLiteral) {
      sb.append("TIMESTAMP('").append(((Operand.TimestampLiteral) o).value()).append("')");
    } else if (o instanceof Operand.DateLiteral) {
      sb.append("DATE('").append(((Operand.DateLiteral) o).value()).append("')");
    } else if (o instanceof Operand.IntervalLiteral) {
      Operand.IntervalLiteral i = (Operand.IntervalLiteral) o;
      sb.append("INTERVAL(");
      intervalBound(i.start(), sb);
      sb.append(", ");
      intervalBound(i.end(), sb);
      sb.append(')');
    } else if (o instanceof Operand.OpenBound) {
      sb.append("'..'");
    } else if (o instanceof Operand.GeometryLiteral) {
      sb.append(wkt(((Operand.GeometryLiteral) o).geometry()));
    } else if (o instanceof Operand.BboxLiteral) {
      Operand.BboxLiteral b = (Operand.BboxLiteral) o;
      sb.append("BBOX(")
          .append(coordinate(b.minX()))
          .append(", ")
          .append(coordinate(b.minY()))
          .append(", ")
          .append(coordinate(b.maxX()))
          .append(", ")
          .append(coordinate(b.maxY()))
          .append(')');
    } else {
      sb.append("CASEI(");
      operand(((Operand.CaseI) o).value(), sb);
      sb.append(')');
    }
  }

  private static void intervalBound(Operand o, StringBuilder sb) {
    if (o instanceof Operand.TimestampLiteral) {
      sb.append('\'').append(((Operand.TimestampLiteral) o).value()).append('\'');
    } else if (o instanceof Operand.DateLiteral) {
      sb.append('\'').append(((Operand.DateLiteral) o).value()).append('\'');
    } else {
      operand(o, sb);
    }
  }

  private static void string(String s, StringBuilder sb) {
    sb.append('\'').append(s.replace("'", "''")).append('\'');
  }

  /** A property name, bare when it lexes back as the same identifier, else double-quoted. */
  static String propertyName(String name) {
    if (name.indexOf('"') >= 0
        || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
        || name.isEmpty()) {
      throw new IllegalArgumentException(
          "property name " + Cql2Exception.quote(name) + " cannot be written as cql2-text");
    }
    boolean bare =
        Cql2Lexer.isIdentifierStart(name.codePointAt(0))
            && !QUOTE_WORDS.contains(name.toUpperCase(Locale.ROOT));
    for (int i = 0; bare && i < name.length(); i += Character.charCount(name.codePointAt(i))) {
      bare = Cql2Lexer.isIdentifierPart(name.codePointAt(i));
    }
    return bare ? name : '"' + name + '"';
  }

  /** WKT with the CQL2 tags; coordinates written so that they read back to the same double. */
  static String wkt(Geometry g) {
    StringBuilder sb = new StringBuilder();
    if (g instanceof Point) {
      sb.append("POINT(");
      coord(g.getCoordinate(), sb);
      sb.append(')');
    } else if (g instanceof LineString) {
      sb.append("LINESTRING");
      coords(g.getCoordinates(), sb);
    } else if (g instanceof Polygon) {
      sb.append("POLYGON");
      polygon((Polygon) g, sb);
    } else if (g instanceof MultiPoint) {
      sb.append("MULTIPOINT(");
      for (int i = 0; i < g.getNumGeometries(); i++) {
        sb.append(i > 0 ? ", (" : "(");
        coord(g.getGeometryN(i).getCoordinate(), sb);
        sb.append(')');
      }
      sb.append(')');
    } else if (g instanceof MultiLineString) {
      sb.append("MULTILINESTRING(");
      for (int i = 0; i < g.getNumGeometries(); i++) {
        sb.append(i > 0 ? ", " : "");
        coords(g.getGeometryN(i).getCoordinates(), sb);
      }
      sb.append(')');
    } else if (g instanceof MultiPolygon) {
      sb.append("MULTIPOLYGON(");
      for (int i = 0; i < g.getNumGeometries(); i++) {
        sb.append(i > 0 ? ", " : "");
        polygon((Polygon) g.getGeometryN(i), sb);
      }
      sb.append(')');
    } else {
      throw new IllegalArgumentException("unsupported geometry literal " + g.getGeometryType());
    }
    return sb.toString();
  }

  private static void polygon(Polygon p, StringBuilder sb) {
    sb.append('(');
    coords(p.getExteriorRing().getCoordinates(), sb);
    for (int i = 0; i < p.getNumInteriorRing(); i++) {
      sb.append(", ");
      coords(p.getInteriorRingN(i).getCoordinates(), sb);
    }
    sb.append(')');
  }

  private static void coords(Coordinate[] cs, StringBuilder sb) {
    StringJoiner j = new StringJoiner(", ", "(", ")");
    for (Coordinate c : cs) {
      StringBuilder one = new StringBuilder();
      coord(c, one);
      j.add(one);
    }
    sb.append(j);
  }

  private static void coord(Coordinate c, StringBuilder sb) {
    sb.append(coordinate(c.x)).append(' ').append(coordinate(c.y));
    if (!Double.isNaN(c.getZ())) {
      sb.append(' ').append(coordinate(c.getZ()));
    }
  }

  /** Whole numbers without ".0", others as {@link Double#toString}: both read back exactly. */
  static String coordinate(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15 && !(d == 0 && 1 / d < 0)) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }
}
