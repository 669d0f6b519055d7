package io.gridmap.layers.query.cql2;

import java.util.Objects;

/**
 * Checks a parsed filter against a layer's {@link Queryables}: every property must be a queryable,
 * every operator must get operands of the types it works on. The result, a {@link BoundFilter}, is
 * the only thing the evaluator and the SQL translator accept, so an unchecked name can never reach
 * either of them.
 *
 * <p>Type rules: comparisons and IN need operands of one type among string, number, boolean (only =
 * and &lt;&gt;) and timestamp (a TIMESTAMP field against a TIMESTAMP or DATE literal); LIKE needs a
 * string; BETWEEN numbers or timestamps; spatial predicates geometries; temporal predicates
 * timestamps or intervals; CASEI a string. Anything else is a {@link Cql2Exception} of kind TYPE
 * that names the operator and the offending operand.
 */
public final class Cql2Binder {
  private final Queryables queryables;

  Cql2Binder(Queryables queryables) {
    this.queryables = queryables;
  }

  public static BoundFilter bind(Filter filter, Queryables queryables) {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(queryables, "queryables");
    new Cql2Binder(queryables).check(filter);
    return new BoundFilter(filter, queryables);
  }

  private void check(Filter f) {
    if (f instanceof Filter.And) {
      ((Filter.And) f).args().forEach(this::check);
    } else if (f instanceof Filter.Or) {
      ((Filter.Or) f).args().forEach(this::check);
    } else if (f instanceof Filter.Not) {
      check(((Filter.Not) f).arg());
    } else if (f instanceof Filter.Compare) {
      Filter.Compare c = (Filter.Compare) f;
      ValueType t = sameType(c.op().symbol(), c.left(), c.right());
      requireScalar(c.op().symbol(), c.left(), t);
      if (t == ValueType.BOOLEAN && c.op().isOrdering()) {
        throw type("booleans can only be compared with = and <>, not " + c.op().symbol());
      }
    } else if (f instanceof Filter.Like) {
      Filter.Like l = (Filter.Like) f;
      if (typeOf(l.value()) != ValueType.STRING) {
        throw type(
            "LIKE needs a string on its left but "
                + describe(l.value())
                + " is "
                + typeOf(l.value()).withArticle());
      }
      LikePattern.parse(l.pattern());
    } else if (f instanceof Filter.Between) {
      Filter.Between b = (Filter.Between) f;
      ValueType t = sameType("BETWEEN", b.value(), b.low());
      sameType("BETWEEN", b.value(), b.high());
      if (t != ValueType.NUMBER && t != ValueType.INSTANT) {
        throw type(
            "BETWEEN needs numbers or timestamps but "
                + describe(b.value())
                + " is "
                + t.withArticle());
      }
    } else if (f instanceof Filter.In) {
      Filter.In in = (Filter.In) f;
      ValueType t = typeOf(in.value());
      requireScalar("IN", in.value(), t);
      for (Operand item : in.list()) {
        sameType("IN", in.value(), item);
      }
    } else if (f instanceof Filter.IsNull) {
      typeOf(((Filter.IsNull) f).value());
    } else if (f instanceof Filter.Spatial) {
      Filter.Spatial s = (Filter.Spatial) f;
      requireGeometry(s.op().textName(), s.left());
      requireGeometry(s.op().textName(), s.right());
    } else if (f instanceof Filter.DWithin) {
      Filter.DWithin d = (Filter.DWithin) f;
      requireGeometry("S_DWITHIN", d.left());
      requireGeometry("S_DWITHIN", d.right());
    } else if (f instanceof Filter.Temporal) {
      Filter.Temporal t = (Filter.Temporal) f;
      requireTemporal(t.op().textName(), t.left());
      requireTemporal(t.op().textName(), t.right());
    }
    // Filter.Constant needs no check
  }

  /** The type of an operand; looks properties up (and so rejects unknown ones). */
  ValueType typeOf(Operand o) {
    if (o instanceof Operand.Property) {
      return queryables.require(((Operand.Property) o).name()).type();
    }
    if (o instanceof Operand.StringLiteral) {
      return ValueType.STRING;
    }
    if (o instanceof Operand.NumberLiteral) {
      return ValueType.NUMBER;
    }
    if (o instanceof Operand.BooleanLiteral) {
      return ValueType.BOOLEAN;
    }
    if (o instanceof Operand.TimestampLiteral || o instanceof Operand.DateLiteral) {
      return ValueType.INSTANT;
    }
    if (o instanceof Operand.IntervalLiteral) {
      Operand.IntervalLiteral i = (Operand.IntervalLiteral) o;
      for (Operand bound : new Operand[] {i.start(), i.end()}) {
        if (bound instanceof Operand.Property && typeOf(bound) != ValueType.INSTANT) {
          throw type(
              "an INTERVAL end must be a timestamp but "
                  + describe(bound)
                  + " is "
                  + typeOf(bound).withArticle());
        }
      }
      return ValueType.INTERVAL;
    }
    if (o instanceof Operand.OpenBound) {
      throw type("'..' can only be used as an end of an INTERVAL");
    }
    if (o instanceof Operand.GeometryLiteral || o instanceof Operand.BboxLiteral) {
      return ValueType.GEOMETRY;
    }
    Operand inner = ((Operand.CaseI) o).value();
    if (typeOf(inner) != ValueType.STRING) {
      throw type(
          "CASEI needs a string but " + describe(inner) + " is " + typeOf(inner).withArticle());
    }
    return ValueType.STRING;
  }

  private ValueType sameType(String op, Operand a, Operand b) {
    ValueType ta = typeOf(a);
    ValueType tb = typeOf(b);
    if (ta != tb) {
      throw type(
          "cannot compare "
              + describe(a)
              + " ("
              + ta.withArticle()
              + ") with "
              + describe(b)
              + " ("
              + tb.withArticle()
              + ") in "
              + op
              + (ta == ValueType.INSTANT && tb == ValueType.STRING
                  ? "; write a timestamp as TIMESTAMP('2024-05-01T08:00:00Z')"
                  : ""));
    }
    return ta;
  }

  private void requireScalar(String op, Operand o, ValueType t) {
    if (t == ValueType.GEOMETRY) {
      throw type(
          op
              + " cannot compare geometries; use S_EQUALS or another spatial predicate ("
              + describe(o)
              + ")");
    }
    if (t == ValueType.INTERVAL) {
      throw type(
          op
              + " cannot compare intervals; use T_EQUALS or another temporal predicate ("
              + describe(o)
              + ")");
    }
  }

  private void requireGeometry(String op, Operand o) {
    ValueType t = typeOf(o);
    if (t != ValueType.GEOMETRY) {
      throw type(op + " needs geometries but " + describe(o) + " is " + t.withArticle());
    }
  }

  private void requireTemporal(String op, Operand o) {
    ValueType t = typeOf(o);
    if (t != ValueType.INSTANT && t != ValueType.INTERVAL) {
      throw type(
          op
              + " needs timestamps, dates or intervals but "
              + describe(o)
              + " is "
              + t.withArticle());
    }
  }

  /** "property 'population'", "the string 'fire'", "the number 5", ... */
  static String describe(Operand o) {
    if (o instanceof Operand.Property) {
      return "property " + Cql2Exception.quote(((Operand.Property) o).name());
    }
    if (o instanceof Operand.StringLiteral) {
      return "the string " + Cql2Exception.quote(((Operand.StringLiteral) o).value());
    }
    if (o instanceof Operand.NumberLiteral) {
      return "the number " + ((Operand.NumberLiteral) o).value();
    }
    if (o instanceof Operand.BooleanLiteral) {
      return ((Operand.BooleanLiteral) o).value() ? "TRUE" : "FALSE";
    }
    if (o instanceof Operand.CaseI) {
      return "CASEI(" + describe(((Operand.CaseI) o).value()) + ")";
    }
    if (o instanceof Operand.GeometryLiteral || o instanceof Operand.BboxLiteral) {
      return "a geometry literal";
    }
    if (o instanceof Operand.IntervalLiteral) {
      return "an INTERVAL literal";
    }
    return "a " + (o instanceof Operand.DateLiteral ? "DATE" : "TIMESTAMP") + " literal";
  }

  private static Cql2Exception type(String message) {
    return Cql2Exception.of(Cql2Exception.Kind.TYPE, message);
  }
}
