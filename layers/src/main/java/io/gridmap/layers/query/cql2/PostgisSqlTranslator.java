package io.gridmap.layers.query.cql2;

import io.gridmap.layers.geo.GroundMeasure;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.geom.Envelope;

/**
 * Translates a bound filter to a PostGIS WHERE fragment ({@link SqlFragment}). Identifiers are only
 * the quoted columns of bound queryables; operators and function names are constants of this
 * package; every literal becomes a {@code ?} parameter. The semantics follow the in-memory
 * evaluator: SQL three-valued logic, DATEs as whole days in temporal operators, string ordering by
 * code point ({@code COLLATE "C"}), LIKE with {@code ESCAPE '!'} and CASEI as {@code LOWER}.
 */
final class PostgisSqlTranslator {
  private final Queryables queryables;
  private final SqlOptions options;
  private final Cql2Binder types;
  private final List<Object> params = new ArrayList<>();

  private PostgisSqlTranslator(Queryables queryables, SqlOptions options) {
    this.queryables = queryables;
    this.options = options;
    this.types = new Cql2Binder(queryables);
  }

  static SqlFragment translate(Filter filter, Queryables queryables, SqlOptions options) {
    PostgisSqlTranslator t = new PostgisSqlTranslator(queryables, options);
    String sql = t.filter(filter);
    return new SqlFragment(sql, t.params);
  }

  private String filter(Filter f) {
    if (f instanceof Filter.And) {
      return join(((Filter.And) f).args(), " AND ");
    }
    if (f instanceof Filter.Or) {
      return join(((Filter.Or) f).args(), " OR ");
    }
    if (f instanceof Filter.Not) {
      return "NOT (" + filter(((Filter.Not) f).arg()) + ")";
    }
    if (f instanceof Filter.Constant) {
      return ((Filter.Constant) f).value() ? "TRUE" : "FALSE";
    }
    if (f instanceof Filter.Compare) {
      Filter.Compare c = (Filter.Compare) f;
      boolean collate = c.op().isOrdering() && types.typeOf(c.left()) == ValueType.STRING;
      return "("
          + operand(c.left())
          + (collate ? " COLLATE \"C\" " : " ")
          + c.op().symbol()
          + " "
          + operand(c.right())
          + ")";
    }
    if (f instanceof Filter.Like) {
      Filter.Like l = (Filter.Like) f;
      LikePattern p = LikePattern.parse(l.pattern());
      String value = operand(l.value());
      if (p.caseInsensitive() && !(l.value() instanceof Operand.CaseI)) {
        value = "LOWER(" + value + ")";
      }
      return "("
          + value
          + " LIKE "
          + param(p.toSqlPattern())
          + " ESCAPE '"
          + LikePattern.SQL_ESCAPE
          + "')";
    }
    if (f instanceof Filter.Between) {
      Filter.Between b = (Filter.Between) f;
      return "("
          + operand(b.value())
          + " BETWEEN "
          + operand(b.low())
          + " AND "
          + operand(b.high())
          + ")";
    }
    if (f instanceof Filter.In) {
      Filter.In in = (Filter.In) f;
      StringBuilder sb = new StringBuilder("(").append(operand(in.value())).append(" IN (");
      for (int i = 0; i < in.list().size(); i++) {
        sb.append(i > 0 ? ", " : "").append(operand(in.list().get(i)));
      }
      return sb.append("))").toString();
    }
    if (f instanceof Filter.IsNull) {
      Operand v = ((Filter.IsNull) f).value();
      return FeaturePredicateCompiler.isLiteral(v) ? "FALSE" : "(" + operand(v) + " IS NULL)";
    }
    if (f instanceof Filter.Spatial) {
      Filter.Spatial s = (Filter.Spatial) f;
      return s.op().postgisFunction() + "(" + operand(s.left()) + ", " + operand(s.right()) + ")";
    }
    if (f instanceof Filter.DWithin) {
      return dwithin((Filter.DWithin) f);
    }
    return temporal((Filter.Temporal) f);
  }

  private String join(List<Filter> args, String sep) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < args.size(); i++) {
      sb.append(i > 0 ? sep : "").append(filter(args.get(i)));
    }
    return sb.append(')').toString();
  }

  private String dwithin(Filter.DWithin d) {
    Operand a = d.left();
    Operand b = d.right();
    if (isLiteral(a) && !isLiteral(b)) {
      Operand t = a;
      a = b;
      b = t;
    }
    double metres = d.distanceMetres();
    if (a instanceof Operand.Property && isLiteral(b)) {
      // An envelope test first, so that a GiST index on the geometry column is used.
      Envelope search = GroundMeasure.expand(literalEnvelope(b), metres);
      String column = operand(a);
      String envelope =
          "ST_MakeEnvelope("
              + param(search.getMinX())
              + ", "
              + param(search.getMinY())
              + ", "
              + param(search.getMaxX())
              + ", "
              + param(search.getMaxY())
              + ", "
              + options.srid()
              + ")";
      String lit = operand(b);
      return "("
          + column
          + " && "
          + envelope
          + " AND ST_DWithin(CAST("
          + column
          + " AS geography), CAST("
          + lit
          + " AS geography), "
          + param(metres)
          + "))";
    }
    return "ST_DWithin(CAST("
        + operand(a)
        + " AS geography), CAST("
        + operand(b)
        + " AS geography), "
        + param(metres)
        + ")";
  }

  private static boolean isLiteral(Operand o) {
    return o instanceof Operand.GeometryLiteral || o instanceof Operand.BboxLiteral;
  }

  static Envelope literalEnvelope(Operand o) {
    return o instanceof Operand.BboxLiteral
        ? ((Operand.BboxLiteral) o).envelope()
        : ((Operand.GeometryLiteral) o).geometry().getEnvelopeInternal();
  }

  // ---------------------------------------------------------------- temporal

  /** One end of an interval in SQL: a column, or a constant in epoch ms (MIN/MAX for '..'). */
  private record Bound(String column, long value) {
    boolean isColumn() {
      return column != null;
    }

    boolean isInfinite() {
      return column == null && (value == Long.MIN_VALUE || value == Long.MAX_VALUE);
    }
  }

  private String temporal(Filter.Temporal t) {
    Bound[] a = span(t.left());
    Bound[] b = span(t.right());
    // Decide constant terms first, so that no parameter is bound for SQL that is then dropped.
    List<Bound[]> open = new ArrayList<>();
    List<TemporalOperator.Cmp> cmps = new ArrayList<>();
    boolean alwaysFalse = false;
    for (TemporalOperator.Term term : t.op().terms()) {
      Bound l = term.aEnd() == TemporalOperator.End.START ? a[0] : a[1];
      Bound r = term.bEnd() == TemporalOperator.End.START ? b[0] : b[1];
      if (!l.isColumn() && !r.isColumn()) {
        if (!term.cmp().test(l.value(), r.value())) {
          alwaysFalse = true;
          break;
        }
        continue; // constant TRUE: drop the term
      }
      open.add(new Bound[] {l, r});
      cmps.add(term.cmp());
    }
    String conj;
    if (alwaysFalse) {
      conj = "FALSE";
    } else if (open.isEmpty()) {
      conj = "TRUE";
    } else {
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < open.size(); i++) {
        parts.add(term(open.get(i)[0], cmps.get(i), open.get(i)[1]));
      }
      conj = parts.size() == 1 ? parts.get(0) : "(" + String.join(" AND ", parts) + ")";
    }
    if (!t.op().negated()) {
      return conj;
    }
    return conj.equals("TRUE") ? "FALSE" : conj.equals("FALSE") ? "TRUE" : "NOT " + conj;
  }

  /** SQL for a term with at least one column. */
  private String term(Bound l, TemporalOperator.Cmp cmp, Bound r) {
    if (l.isColumn() && r.isInfinite() || r.isColumn() && l.isInfinite()) {
      // Against infinity the answer is fixed, except that a NULL column stays UNKNOWN:
      // "c = c" is TRUE-or-NULL and "c <> c" FALSE-or-NULL, exactly the evaluator's logic.
      String c = l.isColumn() ? l.column() : r.column();
      long lv = l.isColumn() ? 0 : l.value();
      long rv = r.isColumn() ? 0 : r.value();
      boolean holds = cmp.test(lv, rv);
      return "(" + c + (holds ? " = " : " <> ") + c + ")";
    }
    return "(" + boundSql(l) + " " + cmp.symbol() + " " + boundSql(r) + ")";
  }

  private String boundSql(Bound b) {
    return b.isColumn() ? b.column() : timestampParam(b.value());
  }

  private Bound[] span(Operand o) {
    if (o instanceof Operand.IntervalLiteral) {
      Operand.IntervalLiteral i = (Operand.IntervalLiteral) o;
      return new Bound[] {bound(i.start(), true), bound(i.end(), false)};
    }
    if (o instanceof Operand.DateLiteral) {
      return new Bound[] {bound(o, true), bound(o, false)};
    }
    Bound b = bound(o, true);
    return new Bound[] {b, b};
  }

  private Bound bound(Operand o, boolean start) {
    if (o instanceof Operand.OpenBound) {
      return new Bound(null, start ? Long.MIN_VALUE : Long.MAX_VALUE);
    }
    if (o instanceof Operand.DateLiteral) {
      Operand.DateLiteral d = (Operand.DateLiteral) o;
      return new Bound(
          null,
          start
              ? TemporalLiterals.startOfDayMillis(d.value())
              : TemporalLiterals.endOfDayMillis(d.value()));
    }
    if (o instanceof Operand.TimestampLiteral) {
      return new Bound(null, ((Operand.TimestampLiteral) o).value().toEpochMilli());
    }
    return new Bound(column(((Operand.Property) o).name()), 0);
  }

  // ---------------------------------------------------------------- operands

  private String operand(Operand o) {
    if (o instanceof Operand.Property) {
      return column(((Operand.Property) o).name());
    }
    if (o instanceof Operand.StringLiteral) {
      return param(((Operand.StringLiteral) o).value());
    }
    if (o instanceof Operand.NumberLiteral) {
      return param(((Operand.NumberLiteral) o).value());
    }
    if (o instanceof Operand.BooleanLiteral) {
      return param(((Operand.BooleanLiteral) o).value());
    }
    if (o instanceof Operand.TimestampLiteral) {
      return timestampParam(((Operand.TimestampLiteral) o).value().toEpochMilli());
    }
    if (o instanceof Operand.DateLiteral) {
      return timestampParam(TemporalLiterals.startOfDayMillis(((Operand.DateLiteral) o).value()));
    }
    if (o instanceof Operand.GeometryLiteral) {
      return "ST_GeomFromText("
          + param(Cql2TextWriter.wkt(((Operand.GeometryLiteral) o).geometry()))
          + ", "
          + options.srid()
          + ")";
    }
    if (o instanceof Operand.BboxLiteral) {
      Operand.BboxLiteral b = (Operand.BboxLiteral) o;
      return "ST_MakeEnvelope("
          + param(b.minX())
          + ", "
          + param(b.minY())
          + ", "
          + param(b.maxX())
          + ", "
          + param(b.maxY())
          + ", "
          + options.srid()
          + ")";
    }
    if (o instanceof Operand.CaseI) {
      Operand inner = ((Operand.CaseI) o).value();
      if (inner instanceof Operand.StringLiteral) {
        return param(LikePattern.fold(((Operand.StringLiteral) inner).value()));
      }
      return "LOWER(" + operand(inner) + ")";
    }
    throw new IllegalStateException("no SQL value for " + o);
  }

  private String column(String property) {
    Queryables.Queryable q = queryables.require(property);
    switch (q.source()) {
      case GEOMETRY:
        return quote(options.geometryColumn());
      case ID:
        return quote(options.idColumn());
      default:
        return quote(queryables.layer().fields().get(q.fieldIndex()).name());
    }
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  private String timestampParam(long millis) {
    if (options.timestamps() == SqlOptions.TimestampEncoding.EPOCH_MILLIS) {
      return param(millis);
    }
    return param(OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
  }

  private String param(Object value) {
    params.add(value);
    return "?";
  }
}
