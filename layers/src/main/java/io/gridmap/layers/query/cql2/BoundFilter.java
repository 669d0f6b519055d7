package io.gridmap.layers.query.cql2;

import io.gridmap.layers.geo.GroundMeasure;
import io.gridmap.layers.model.Feature;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.locationtech.jts.geom.Envelope;

/**
 * A filter checked against a layer's queryables by {@link Cql2Binder}: the only form the evaluator
 * and the SQL translator accept. Immutable and thread-safe; the compiled predicate is built once on
 * first use and shared.
 */
public final class BoundFilter {
  private final Filter filter;
  private final Queryables queryables;
  private volatile Predicate<Feature> predicate;

  BoundFilter(Filter filter, Queryables queryables) {
    this.filter = Objects.requireNonNull(filter, "filter");
    this.queryables = Objects.requireNonNull(queryables, "queryables");
  }

  public Filter filter() {
    return filter;
  }

  /**
   * The filter as a predicate over features of the queryables' layer. A feature matches when the
   * filter is TRUE under SQL's three-valued logic (null values make comparisons UNKNOWN).
   */
  public Predicate<Feature> toPredicate() {
    Predicate<Feature> p = predicate;
    if (p == null) {
      synchronized (this) {
        p = predicate;
        if (p == null) {
          p = FeaturePredicateCompiler.compile(filter, queryables);
          predicate = p;
        }
      }
    }
    return p;
  }

  /** A parameterised PostGIS WHERE fragment. */
  public SqlFragment toSql(SqlOptions options) {
    return PostgisSqlTranslator.translate(
        filter, queryables, Objects.requireNonNull(options, "options"));
  }

  /** {@link #toSql(SqlOptions)} with {@link SqlOptions#POSTGIS_DEFAULTS}. */
  public SqlFragment toSql() {
    return toSql(SqlOptions.POSTGIS_DEFAULTS);
  }

  /**
   * A lon/lat envelope that every matching feature's envelope intersects, when the filter says so:
   * a spatial predicate (other than S_DISJOINT) or S_DWITHIN between the geometry and a literal,
   * alone or within a conjunction (conjuncts' envelopes intersect), or a disjunction whose every
   * branch has one (their union). Use it for an index query, then apply {@link #toPredicate()} to
   * the candidates. Empty when the filter does not bound space; an envelope that {@link
   * Envelope#isNull() is null} means no feature can match.
   */
  public Optional<Envelope> indexEnvelope() {
    Envelope e = envelope(filter);
    return e == null ? Optional.empty() : Optional.of(new Envelope(e));
  }

  private Envelope envelope(Filter f) {
    if (f instanceof Filter.Spatial) {
      Filter.Spatial s = (Filter.Spatial) f;
      return s.op().impliesEnvelopeIntersection()
          ? literalAgainstGeometry(s.left(), s.right())
          : null;
    }
    if (f instanceof Filter.DWithin) {
      Filter.DWithin d = (Filter.DWithin) f;
      Envelope e = literalAgainstGeometry(d.left(), d.right());
      return e == null ? null : GroundMeasure.expand(e, d.distanceMetres());
    }
    if (f instanceof Filter.And) {
      Envelope acc = null;
      for (Filter a : ((Filter.And) f).args()) {
        Envelope e = envelope(a);
        if (e != null) {
          acc = acc == null ? new Envelope(e) : acc.intersection(e);
        }
      }
      return acc;
    }
    if (f instanceof Filter.Or) {
      Envelope acc = new Envelope();
      for (Filter a : ((Filter.Or) f).args()) {
        Envelope e = envelope(a);
        if (e == null) {
          return null;
        }
        acc.expandToInclude(e);
      }
      return acc;
    }
    if (f instanceof Filter.Constant && !((Filter.Constant) f).value()) {
      return new Envelope();
    }
    return null;
  }

  /** The literal's envelope when one operand is the geometry property and the other a literal. */
  private Envelope literalAgainstGeometry(Operand a, Operand b) {
    if (isGeometryProperty(a) && isLiteral(b)) {
      return PostgisSqlTranslator.literalEnvelope(b);
    }
    if (isGeometryProperty(b) && isLiteral(a)) {
      return PostgisSqlTranslator.literalEnvelope(a);
    }
    return null;
  }

  private boolean isGeometryProperty(Operand o) {
    return o instanceof Operand.Property
        && queryables.require(((Operand.Property) o).name()).source() == Queryables.Source.GEOMETRY;
  }

  private static boolean isLiteral(Operand o) {
    return o instanceof Operand.GeometryLiteral || o instanceof Operand.BboxLiteral;
  }

  /** The filter as cql2-text. */
  public String toText() {
    return Cql2TextWriter.write(filter);
  }

  @Override
  public String toString() {
    return "BoundFilter[" + queryables.layer().name() + ": " + toText() + "]";
  }
}
