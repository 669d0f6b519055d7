package io.gridmap.layers.query.cql2;

import io.gridmap.layers.geo.GroundMeasure;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.FieldType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.TopologyException;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.operation.distance.DistanceOp;
import org.locationtech.jts.operation.distance.IndexedFacetDistance;

/**
 * Compiles a bound filter to a {@code Predicate<Feature>} once, so that evaluating it per feature
 * does no lookups: field indexes are resolved, literals converted to the model's in-memory types
 * (timestamps to epoch milliseconds), LIKE patterns parsed, spatial literals prepared ({@link
 * PreparedGeometry}, envelope tests first) and S_DWITHIN literals projected and indexed once
 * ({@link LocalMetricProjection} explains how metres are measured).
 *
 * <p>Evaluation uses SQL's three-valued logic, so that the in-memory result and the SQL translation
 * agree feature for feature: a comparison with a null value is UNKNOWN, NOT UNKNOWN is UNKNOWN,
 * FALSE AND UNKNOWN is FALSE, TRUE OR UNKNOWN is TRUE; a feature matches only when the whole filter
 * is TRUE.
 */
final class FeaturePredicateCompiler {
  static final int FALSE = 0;
  static final int TRUE = 1;
  static final int UNKNOWN = 2;

  /** A compiled boolean node: TRUE, FALSE or UNKNOWN. */
  interface Node {
    int eval(Feature f);
  }

  /** A compiled value; null is SQL NULL. */
  interface Getter {
    Object get(Feature f);
  }

  /** An interval as two nullable ends (an instant is [t, t]). */
  private record Span(Long start, Long end) {}

  private interface SpanGetter {
    Span get(Feature f);
  }

  /** A getter whose value does not depend on the feature. */
  private record Constant(Object value) implements Getter {
    @Override
    public Object get(Feature f) {
      return value;
    }
  }

  private final Queryables queryables;
  private final Cql2Binder types;

  private FeaturePredicateCompiler(Queryables queryables) {
    this.queryables = queryables;
    this.types = new Cql2Binder(queryables);
  }

  static Predicate<Feature> compile(Filter filter, Queryables queryables) {
    Node root = new FeaturePredicateCompiler(queryables).node(filter);
    String text = Cql2TextWriter.write(filter);
    return new Predicate<>() {
      @Override
      public boolean test(Feature f) {
        return root.eval(f) == TRUE;
      }

      @Override
      public String toString() {
        return "cql2[" + text + "]";
      }
    };
  }

  // ---------------------------------------------------------------- boolean nodes

  private Node node(Filter f) {
    if (f instanceof Filter.And) {
      Node[] kids = nodes(((Filter.And) f).args());
      return feature -> {
        int r = TRUE;
        for (Node k : kids) {
          int v = k.eval(feature);
          if (v == FALSE) {
            return FALSE;
          }
          if (v == UNKNOWN) {
            r = UNKNOWN;
          }
        }
        return r;
      };
    }
    if (f instanceof Filter.Or) {
      Node[] kids = nodes(((Filter.Or) f).args());
      return feature -> {
        int r = FALSE;
        for (Node k : kids) {
          int v = k.eval(feature);
          if (v == TRUE) {
            return TRUE;
          }
          if (v == UNKNOWN) {
            r = UNKNOWN;
          }
        }
        return r;
      };
    }
    if (f instanceof Filter.Not) {
      Node k = node(((Filter.Not) f).arg());
      return feature -> not(k.eval(feature));
    }
    if (f instanceof Filter.Constant) {
      int v = ((Filter.Constant) f).value() ? TRUE : FALSE;
      return feature -> v;
    }
    if (f instanceof Filter.Compare) {
      return compare((Filter.Compare) f);
    }
    if (f instanceof Filter.Like) {
      Filter.Like l = (Filter.Like) f;
      Getter v = getter(l.value());
      LikePattern p = LikePattern.parse(l.pattern());
      return feature -> {
        Object s = v.get(feature);
        return s == null ? UNKNOWN : tri(p.matches((String) s));
      };
    }
    if (f instanceof Filter.Between) {
      Filter.Between b = (Filter.Between) f;
      ValueOrder order = ValueOrder.of(types.typeOf(b.value()));
      Getter v = getter(b.value());
      Getter lo = getter(b.low());
      Getter hi = getter(b.high());
      return feature -> {
        Object x = v.get(feature);
        if (x == null) {
          return UNKNOWN;
        }
        Object l = lo.get(feature);
        Object h = hi.get(feature);
        int low = l == null ? UNKNOWN : tri(order.compare(l, x) <= 0);
        int high = h == null ? UNKNOWN : tri(order.compare(x, h) <= 0);
        return and(low, high);
      };
    }
    if (f instanceof Filter.In) {
      return in((Filter.In) f);
    }
    if (f instanceof Filter.IsNull) {
      if (isLiteral(((Filter.IsNull) f).value())) {
        return feature -> FALSE; // a literal is never null
      }
      Getter v = getter(((Filter.IsNull) f).value());
      return feature -> v.get(feature) == null ? TRUE : FALSE;
    }
    if (f instanceof Filter.Spatial) {
      return spatial((Filter.Spatial) f);
    }
    if (f instanceof Filter.DWithin) {
      return dwithin((Filter.DWithin) f);
    }
    return temporal((Filter.Temporal) f);
  }

  private Node[] nodes(List<Filter> fs) {
    Node[] out = new Node[fs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = node(fs.get(i));
    }
    return out;
  }

  private Node compare(Filter.Compare c) {
    ValueOrder order = ValueOrder.of(types.typeOf(c.left()));
    Getter a = getter(c.left());
    Getter b = getter(c.right());
    ComparisonOperator op = c.op();
    return feature -> {
      Object x = a.get(feature);
      if (x == null) {
        return UNKNOWN;
      }
      Object y = b.get(feature);
      if (y == null) {
        return UNKNOWN;
      }
      return tri(op.test(order.compare(x, y)));
    };
  }

  private Node in(Filter.In in) {
    ValueType t = types.typeOf(in.value());
    ValueOrder order = ValueOrder.of(t);
    Getter v = getter(in.value());
    Getter[] items = in.list().stream().map(this::getter).toArray(Getter[]::new);
    boolean allConstant = true;
    boolean allLong = true;
    for (Getter g : items) {
      allConstant &= g instanceof Constant;
      allLong &= g instanceof Constant && ((Constant) g).value() instanceof Long;
    }
    // Hash lookup when equality of the Java values is equality in CQL2: not for numbers that mix
    // Long and Double (1 = 1.0), unless the value is an integer field and every item is integral.
    boolean integralValue = isIntegral(in.value());
    if (allConstant && (t != ValueType.NUMBER || (allLong && integralValue))) {
      Set<Object> set = new HashSet<>();
      for (Getter g : items) {
        set.add(((Constant) g).value());
      }
      return feature -> {
        Object x = v.get(feature);
        return x == null ? UNKNOWN : tri(set.contains(x));
      };
    }
    return feature -> {
      Object x = v.get(feature);
      if (x == null) {
        return UNKNOWN;
      }
      boolean sawNull = false;
      for (Getter g : items) {
        Object y = g.get(feature);
        if (y == null) {
          sawNull = true;
        } else if (order.compare(x, y) == 0) {
          return TRUE;
        }
      }
      return sawNull ? UNKNOWN : FALSE;
    };
  }

  private boolean isIntegral(Operand o) {
    if (!(o instanceof Operand.Property)) {
      return false;
    }
    Queryables.Queryable q = queryables.require(((Operand.Property) o).name());
    return q.fieldType() == FieldType.INTEGER;
  }

  // ---------------------------------------------------------------- spatial

  private Node spatial(Filter.Spatial s) {
    Getter left = getter(s.left());
    Getter right = getter(s.right());
    SpatialOperator op = s.op();
    if (left instanceof Constant && !(right instanceof Constant)) {
      Getter tmp = left;
      left = right;
      right = tmp;
      op = op.converse();
    }
    if (right instanceof Constant && !(left instanceof Constant)) {
      return spatialAgainstLiteral(op, left, (Geometry) ((Constant) right).value());
    }
    Getter a = left;
    Getter b = right;
    SpatialOperator o = op;
    return feature -> {
      Geometry x = (Geometry) a.get(feature);
      Geometry y = (Geometry) b.get(feature);
      if (x == null || y == null) {
        return UNKNOWN;
      }
      try {
        return tri(relate(o, x, y));
      } catch (TopologyException e) {
        return UNKNOWN;
      }
    };
  }

  private static Node spatialAgainstLiteral(SpatialOperator op, Getter g, Geometry literal) {
    PreparedGeometry p = PreparedGeometryFactory.prepare(literal);
    Envelope le = literal.getEnvelopeInternal();
    return feature -> {
      Geometry x = (Geometry) g.get(feature);
      if (x == null) {
        return UNKNOWN;
      }
      Envelope xe = x.getEnvelopeInternal();
      try {
        switch (op) {
          case S_INTERSECTS:
            return tri(le.intersects(xe) && p.intersects(x));
          case S_DISJOINT:
            return tri(!le.intersects(xe) || p.disjoint(x));
          case S_WITHIN: // x within literal = literal contains x
            return tri(le.covers(xe) && p.contains(x));
          case S_CONTAINS: // x contains literal = literal within x
            return tri(xe.covers(le) && p.within(x));
          case S_EQUALS:
            return tri(xe.equals(le) && x.equalsTopo(literal));
          case S_TOUCHES:
            return tri(le.intersects(xe) && p.touches(x));
          case S_OVERLAPS:
            return tri(le.intersects(xe) && p.overlaps(x));
          default: // S_CROSSES
            return tri(le.intersects(xe) && p.crosses(x));
        }
      } catch (TopologyException e) {
        return UNKNOWN;
      }
    };
  }

  private static boolean relate(SpatialOperator op, Geometry x, Geometry y) {
    switch (op) {
      case S_INTERSECTS:
        return x.intersects(y);
      case S_DISJOINT:
        return x.disjoint(y);
      case S_WITHIN:
        return x.within(y);
      case S_CONTAINS:
        return x.contains(y);
      case S_EQUALS:
        return x.equalsTopo(y);
      case S_TOUCHES:
        return x.touches(y);
      case S_OVERLAPS:
        return x.overlaps(y);
      default:
        return x.crosses(y);
    }
  }

  private Node dwithin(Filter.DWithin d) {
    Getter left = getter(d.left());
    Getter right = getter(d.right());
    double metres = d.distanceMetres();
    if (left instanceof Constant && !(right instanceof Constant)) {
      Getter tmp = left;
      left = right;
      right = tmp;
    }
    if (right instanceof Constant && !(left instanceof Constant)) {
      Geometry literal = (Geometry) ((Constant) right).value();
      LocalMetricProjection proj = LocalMetricProjection.around(literal);
      Geometry projected = proj.project(literal);
      PreparedGeometry prepared = PreparedGeometryFactory.prepare(projected);
      IndexedFacetDistance facets = new IndexedFacetDistance(projected);
      Envelope search = GroundMeasure.expand(literal.getEnvelopeInternal(), metres);
      Getter g = left;
      return feature -> {
        Geometry x = (Geometry) g.get(feature);
        if (x == null) {
          return UNKNOWN;
        }
        if (!search.intersects(x.getEnvelopeInternal())) {
          return FALSE;
        }
        Geometry px = proj.project(x);
        if (prepared.intersects(px)) {
          return TRUE;
        }
        Coordinate[] nearest = facets.nearestPoints(px);
        return tri(
            GroundMeasure.metres(proj.unproject(nearest[0]), proj.unproject(nearest[1])) <= metres);
      };
    }
    Getter a = left;
    Getter b = right;
    return feature -> {
      Geometry x = (Geometry) a.get(feature);
      Geometry y = (Geometry) b.get(feature);
      if (x == null || y == null) {
        return UNKNOWN;
      }
      LocalMetricProjection proj = LocalMetricProjection.around(x);
      Geometry px = proj.project(x);
      Geometry py = proj.project(y);
      if (px.intersects(py)) {
        return TRUE;
      }
      Coordinate[] nearest = DistanceOp.nearestPoints(px, py);
      return tri(
          GroundMeasure.metres(proj.unproject(nearest[0]), proj.unproject(nearest[1])) <= metres);
    };
  }

  // ---------------------------------------------------------------- temporal

  private Node temporal(Filter.Temporal t) {
    SpanGetter a = span(t.left());
    SpanGetter b = span(t.right());
    TemporalOperator op = t.op();
    List<TemporalOperator.Term> terms = op.terms();
    return feature -> {
      Span x = a.get(feature);
      Span y = b.get(feature);
      int r = TRUE;
      for (TemporalOperator.Term term : terms) {
        Long l = term.aEnd() == TemporalOperator.End.START ? x.start() : x.end();
        Long m = term.bEnd() == TemporalOperator.End.START ? y.start() : y.end();
        if (l == null || m == null) {
          r = UNKNOWN;
        } else if (!term.cmp().test(l, m)) {
          r = FALSE;
          break;
        }
      }
      return op.negated() ? not(r) : r;
    };
  }

  private SpanGetter span(Operand o) {
    if (o instanceof Operand.IntervalLiteral) {
      Operand.IntervalLiteral i = (Operand.IntervalLiteral) o;
      Getter s = bound(i.start(), true);
      Getter e = bound(i.end(), false);
      if (s instanceof Constant && e instanceof Constant) {
        Span c = new Span((Long) ((Constant) s).value(), (Long) ((Constant) e).value());
        return feature -> c;
      }
      return feature -> new Span((Long) s.get(feature), (Long) e.get(feature));
    }
    if (o instanceof Operand.DateLiteral) {
      Span c = dateSpan(((Operand.DateLiteral) o));
      return feature -> c;
    }
    Getter g = getter(o);
    if (g instanceof Constant) {
      Span c = new Span((Long) ((Constant) g).value(), (Long) ((Constant) g).value());
      return feature -> c;
    }
    return feature -> {
      Long v = (Long) g.get(feature);
      return new Span(v, v);
    };
  }

  private static Span dateSpan(Operand.DateLiteral d) {
    return new Span(
        TemporalLiterals.startOfDayMillis(d.value()), TemporalLiterals.endOfDayMillis(d.value()));
  }

  /** An interval end: '..' is minus or plus infinity, a DATE its first or last millisecond. */
  private Getter bound(Operand o, boolean start) {
    if (o instanceof Operand.OpenBound) {
      return new Constant(start ? Long.MIN_VALUE : Long.MAX_VALUE);
    }
    if (o instanceof Operand.DateLiteral) {
      Span s = dateSpan((Operand.DateLiteral) o);
      return new Constant(start ? s.start() : s.end());
    }
    return getter(o);
  }

  // ---------------------------------------------------------------- values

  private Getter getter(Operand o) {
    if (o instanceof Operand.Property) {
      Queryables.Queryable q = queryables.require(((Operand.Property) o).name());
      switch (q.source()) {
        case GEOMETRY:
          return Feature::geometry;
        case ID:
          return Feature::id;
        default:
          int index = q.fieldIndex();
          return feature -> feature.values()[index];
      }
    }
    if (o instanceof Operand.StringLiteral) {
      return new Constant(((Operand.StringLiteral) o).value());
    }
    if (o instanceof Operand.NumberLiteral) {
      return new Constant(((Operand.NumberLiteral) o).value());
    }
    if (o instanceof Operand.BooleanLiteral) {
      return new Constant(((Operand.BooleanLiteral) o).value());
    }
    if (o instanceof Operand.TimestampLiteral) {
      return new Constant(((Operand.TimestampLiteral) o).value().toEpochMilli());
    }
    if (o instanceof Operand.DateLiteral) {
      return new Constant(TemporalLiterals.startOfDayMillis(((Operand.DateLiteral) o).value()));
    }
    if (o instanceof Operand.GeometryLiteral) {
      return new Constant(((Operand.GeometryLiteral) o).geometry());
    }
    if (o instanceof Operand.BboxLiteral) {
      return new Constant(
          GeometryLiterals.FACTORY.toGeometry(((Operand.BboxLiteral) o).envelope()));
    }
    if (o instanceof Operand.CaseI) {
      Getter inner = getter(((Operand.CaseI) o).value());
      if (inner instanceof Constant) {
        return new Constant(LikePattern.fold((String) ((Constant) inner).value()));
      }
      return feature -> {
        Object s = inner.get(feature);
        return s == null ? null : LikePattern.fold((String) s);
      };
    }
    // the binder refuses intervals and '..' outside temporal predicates
    throw new IllegalStateException("no value for " + o);
  }

  /** Orders the in-memory values of one CQL2 type. */
  private interface ValueOrder {
    int compare(Object a, Object b);

    static ValueOrder of(ValueType t) {
      switch (t) {
        case STRING:
          return (a, b) -> ((String) a).compareTo((String) b);
        case BOOLEAN:
          return (a, b) -> Boolean.compare((Boolean) a, (Boolean) b);
        case INSTANT:
          return (a, b) -> Long.compare((Long) a, (Long) b);
        case NUMBER:
          return FeaturePredicateCompiler::compareNumbers;
        default:
          throw new IllegalStateException("no order for " + t);
      }
    }
  }

  /** Long against Long exactly; otherwise as doubles, as SQL compares bigint with float8. */
  static int compareNumbers(Object a, Object b) {
    if (a instanceof Long && b instanceof Long) {
      return Long.compare((Long) a, (Long) b);
    }
    double x = ((Number) a).doubleValue();
    double y = ((Number) b).doubleValue();
    return x < y ? -1 : x > y ? 1 : 0;
  }

  /** True when an operand reads nothing from the feature (CASEI of a literal included). */
  static boolean isLiteral(Operand o) {
    if (o instanceof Operand.CaseI) {
      return isLiteral(((Operand.CaseI) o).value());
    }
    return !(o instanceof Operand.Property);
  }

  private static int tri(boolean b) {
    return b ? TRUE : FALSE;
  }

  private static int not(int v) {
    return v == UNKNOWN ? UNKNOWN : v == TRUE ? FALSE : TRUE;
  }

  private static int and(int a, int b) {
    if (a == FALSE || b == FALSE) {
      return FALSE;
    }
    return a == UNKNOWN || b == UNKNOWN ? UNKNOWN : TRUE;
  }
}
