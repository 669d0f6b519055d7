package io.gridmap.layers.query.cql2;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A CQL2 boolean expression: the immutable tree that both cql2-text and cql2-json parse to, that
 * {@link Cql2TextWriter} and {@link Cql2JsonWriter} write back, and that {@link Cql2Binder} checks
 * against the queryables of a layer.
 *
 * <p>Trees are canonical: {@code AND} and {@code OR} are n-ary and flattened ({@code (a AND b) AND
 * c} is {@code And[a, b, c]}), and the negated forms {@code NOT LIKE}, {@code NOT BETWEEN}, {@code
 * NOT IN} and {@code IS NOT NULL} are {@link Not} around the positive predicate, which is how
 * cql2-json writes them.
 */
public sealed interface Filter {

  /** Conjunction of two or more filters. */
  record And(List<Filter> args) implements Filter {
    public And {
      args = flatten(args, And.class);
    }

    public static And of(Filter... args) {
      return new And(List.of(args));
    }
  }

  /** Disjunction of two or more filters. */
  record Or(List<Filter> args) implements Filter {
    public Or {
      args = flatten(args, Or.class);
    }

    public static Or of(Filter... args) {
      return new Or(List.of(args));
    }
  }

  record Not(Filter arg) implements Filter {
    public Not {
      Objects.requireNonNull(arg, "arg");
    }
  }

  /** {@code left op right}. */
  record Compare(ComparisonOperator op, Operand left, Operand right) implements Filter {
    public Compare {
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(left, "left");
      Objects.requireNonNull(right, "right");
    }
  }

  /**
   * {@code value LIKE pattern}: {@code %} matches any run of characters, {@code _} one character,
   * and a backslash makes the next character literal. The pattern is a {@link
   * Operand.StringLiteral}, or {@link Operand.CaseI} of one.
   */
  record Like(Operand value, Operand pattern) implements Filter {
    public Like {
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(pattern, "pattern");
      Operand p = pattern instanceof Operand.CaseI ? ((Operand.CaseI) pattern).value() : pattern;
      if (!(p instanceof Operand.StringLiteral)) {
        throw new IllegalArgumentException(
            "LIKE pattern must be a string literal or CASEI of one, got " + pattern);
      }
    }
  }

  /** {@code value BETWEEN low AND high}, both ends inclusive. */
  record Between(Operand value, Operand low, Operand high) implements Filter {
    public Between {
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(low, "low");
      Objects.requireNonNull(high, "high");
    }
  }

  /** {@code value IN (a, b, ...)} with at least one item. */
  record In(Operand value, List<Operand> list) implements Filter {
    public In {
      Objects.requireNonNull(value, "value");
      list = List.copyOf(list);
      if (list.isEmpty()) {
        throw new IllegalArgumentException("IN needs at least one item");
      }
    }
  }

  record IsNull(Operand value) implements Filter {
    public IsNull {
      Objects.requireNonNull(value, "value");
    }
  }

  /** A spatial predicate such as {@code S_INTERSECTS(geometry, POLYGON(...))}. */
  record Spatial(SpatialOperator op, Operand left, Operand right) implements Filter {
    public Spatial {
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(left, "left");
      Objects.requireNonNull(right, "right");
    }
  }

  /**
   * {@code S_DWITHIN(left, right, distance, unit)}: true when the geodesic distance between the two
   * geometries is at most {@code distance} (inclusive).
   */
  record DWithin(Operand left, Operand right, double distance, DistanceUnit unit)
      implements Filter {
    public DWithin {
      Objects.requireNonNull(left, "left");
      Objects.requireNonNull(right, "right");
      Objects.requireNonNull(unit, "unit");
      if (!(distance >= 0) || Double.isInfinite(distance)) {
        throw new IllegalArgumentException(
            "S_DWITHIN distance must be finite and >= 0, got " + distance);
      }
    }

    public double distanceMetres() {
      return unit.toMetres(distance);
    }
  }

  /** A temporal predicate such as {@code T_DURING(reported_at, INTERVAL('2024-05-01', '..'))}. */
  record Temporal(TemporalOperator op, Operand left, Operand right) implements Filter {
    public Temporal {
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(left, "left");
      Objects.requireNonNull(right, "right");
    }
  }

  /** {@code TRUE} or {@code FALSE} as a whole filter. */
  record Constant(boolean value) implements Filter {}

  private static List<Filter> flatten(List<Filter> args, Class<? extends Filter> kind) {
    List<Filter> out = new ArrayList<>(args.size());
    for (Filter f : args) {
      Objects.requireNonNull(f, "argument");
      if (kind.isInstance(f)) {
        out.addAll(f instanceof And ? ((And) f).args() : ((Or) f).args());
      } else {
        out.add(f);
      }
    }
    if (out.size() < 2) {
      throw new IllegalArgumentException(
          kind.getSimpleName().toUpperCase() + " needs at least two arguments, got " + out.size());
    }
    return List.copyOf(out);
  }
}
