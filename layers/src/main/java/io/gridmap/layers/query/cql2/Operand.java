package io.gridmap.layers.query.cql2;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;

/**
 * A value in a CQL2 filter: a property reference or a literal. Both encodings parse to these
 * records, so {@code name = 'x'} and {@code {"op":"=","args":[{"property":"name"},"x"]}} give equal
 * trees. A property here is only a name; whether it exists is decided when the filter is bound to
 * {@link Queryables}, and a name is never evaluated as anything but a key.
 */
public sealed interface Operand {

  /** A reference to a queryable by name, e.g. {@code category} or {@code "category"}. */
  record Property(String name) implements Operand {
    public Property {
      Objects.requireNonNull(name, "name");
    }
  }

  /** A character literal. */
  record StringLiteral(String value) implements Operand {
    public StringLiteral {
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * A numeric literal: a {@link Long} when written without a fraction or exponent and within range,
   * otherwise a finite {@link Double}.
   */
  record NumberLiteral(Number value) implements Operand {
    public NumberLiteral {
      Objects.requireNonNull(value, "value");
      if (value instanceof Long) {
        // keep
      } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
        value = value.longValue();
      } else if (value instanceof Double) {
        if (!Double.isFinite((Double) value)) {
          throw new IllegalArgumentException("number literal must be finite, got " + value);
        }
      } else {
        throw new IllegalArgumentException(
            "number literal must be a Long or a Double, got " + value.getClass());
      }
    }

    public static NumberLiteral of(long value) {
      return new NumberLiteral(value);
    }

    public static NumberLiteral of(double value) {
      return new NumberLiteral(value);
    }
  }

  /** {@code TRUE} or {@code FALSE} used as a value, e.g. {@code on_duty = TRUE}. */
  record BooleanLiteral(boolean value) implements Operand {}

  /** {@code TIMESTAMP('2024-05-01T08:00:00Z')}. */
  record TimestampLiteral(Instant value) implements Operand {
    public TimestampLiteral {
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * {@code DATE('2024-05-01')}: as an instant its start (UTC); in temporal operators the whole day.
   */
  record DateLiteral(LocalDate value) implements Operand {
    public DateLiteral {
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * {@code INTERVAL(start, end)}, both ends inclusive. Each end is a {@link TimestampLiteral}, a
   * {@link DateLiteral}, a {@link Property} or {@link OpenBound} ({@code '..'}).
   */
  record IntervalLiteral(Operand start, Operand end) implements Operand {
    public IntervalLiteral {
      requireBound(start, "start");
      requireBound(end, "end");
    }

    private static void requireBound(Operand o, String which) {
      if (!(o instanceof TimestampLiteral
          || o instanceof DateLiteral
          || o instanceof Property
          || o instanceof OpenBound)) {
        throw new IllegalArgumentException(
            "interval " + which + " must be a timestamp, date, property or '..', got " + o);
      }
    }
  }

  /** The open end {@code '..'} of an interval; valid only inside {@link IntervalLiteral}. */
  record OpenBound() implements Operand {}

  /**
   * A WKT or GeoJSON geometry literal in WGS84 longitude/latitude (CRS84). The geometry is copied
   * in and out, so the record stays immutable.
   */
  record GeometryLiteral(Geometry geometry) implements Operand {
    public GeometryLiteral {
      Objects.requireNonNull(geometry, "geometry");
      geometry = geometry.copy();
    }

    /** A copy of the geometry. */
    @Override
    public Geometry geometry() {
      return geometry.copy();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof GeometryLiteral
          && ((GeometryLiteral) o).geometry.getGeometryType().equals(geometry.getGeometryType())
          && ((GeometryLiteral) o).geometry.equalsExact(geometry);
    }

    @Override
    public int hashCode() {
      return geometry.getEnvelopeInternal().hashCode();
    }

    @Override
    public String toString() {
      return "GeometryLiteral[" + Cql2TextWriter.wkt(geometry) + "]";
    }
  }

  /** {@code BBOX(minx, miny, maxx, maxy)}; a six-number box keeps only its horizontal extent. */
  record BboxLiteral(double minX, double minY, double maxX, double maxY) implements Operand {
    public BboxLiteral {
      if (!(minX <= maxX) || !(minY <= maxY)) {
        throw new IllegalArgumentException(
            "bbox needs minx <= maxx and miny <= maxy, got "
                + minX
                + ","
                + minY
                + ","
                + maxX
                + ","
                + maxY);
      }
    }

    public Envelope envelope() {
      return new Envelope(minX, maxX, minY, maxY);
    }
  }

  /** {@code CASEI(x)}: compare a character expression ignoring case. */
  record CaseI(Operand value) implements Operand {
    public CaseI {
      Objects.requireNonNull(value, "value");
    }
  }
}
