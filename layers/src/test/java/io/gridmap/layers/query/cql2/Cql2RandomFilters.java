package io.gridmap.layers.query.cql2;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;

/**
 * Seeded generators of random filter trees for property-style tests: {@link #anyFilter} makes
 * syntactically valid trees with awkward names and strings (for round trips), {@link #typedFilter}
 * well-typed trees over {@link Cql2Fixtures#PUBLIC} (for binding, evaluation and SQL).
 */
final class Cql2RandomFilters {
  private final Random random;
  private int depth;

  Cql2RandomFilters(long seed) {
    this.random = new Random(seed);
  }

  private static final String[] NAMES = {
    "a",
    "name",
    "名称",
    "and",
    "Or",
    "POINT",
    "two words",
    "ns:x.y",
    "S_INTERSECTS",
    "casei",
    "1st",
    "x'y",
    "Z",
    "EMPTY",
    "date",
    "TIMESTAMP",
    "e5",
    "_u",
    "null",
    "in",
    "é",
    "a.b.c",
    "-x",
    "S_DWITHIN",
    "bbox"
  };

  private static final String[] STRINGS = {
    "",
    "fire",
    "it's",
    "''",
    "\\",
    "a\\'b",
    "%_\\%",
    "网格",
    "line\nbreak",
    "\t",
    "\u0001",
    "--",
    ";",
    "\"q\"",
    "👍"
  };

  // ---------------------------------------------------------------- any (syntactic) filters

  Filter anyFilter() {
    depth++;
    try {
      int k = depth > 4 ? 3 + random.nextInt(9) : random.nextInt(12);
      switch (k) {
        case 0:
          return new Filter.And(
              List.of(anyFilter(), anyFilter(), anyFilter()).subList(0, 2 + random.nextInt(2)));
        case 1:
          return new Filter.Or(
              List.of(anyFilter(), anyFilter(), anyFilter()).subList(0, 2 + random.nextInt(2)));
        case 2:
          return new Filter.Not(anyFilter());
        case 3:
          return new Filter.Compare(pick(ComparisonOperator.values()), anyValue(), anyValue());
        case 4:
          return new Filter.Like(
              anyValue(), random.nextBoolean() ? string() : new Operand.CaseI(string()));
        case 5:
          return new Filter.Between(anyValue(), anyValue(), anyValue());
        case 6:
          return new Filter.In(
              anyValue(),
              random.nextBoolean()
                  ? List.of(anyValue())
                  : List.of(anyValue(), anyValue(), anyValue()));
        case 7:
          return new Filter.IsNull(anyValue());
        case 8:
          return new Filter.Spatial(
              pick(SpatialOperator.values()), geometryOperand(), geometryOperand());
        case 9:
          return new Filter.DWithin(
              geometryOperand(), geometryOperand(), distance(), pick(DistanceUnit.values()));
        case 10:
          return new Filter.Temporal(
              pick(TemporalOperator.values()), temporalOperand(), temporalOperand());
        default:
          return new Filter.Constant(random.nextBoolean());
      }
    } finally {
      depth--;
    }
  }

  private Operand anyValue() {
    switch (random.nextInt(9)) {
      case 0:
        return new Operand.Property(pick(NAMES));
      case 1:
        return string();
      case 2:
        return number();
      case 3:
        return new Operand.BooleanLiteral(random.nextBoolean());
      case 4:
        return temporalOperand();
      case 5:
        return geometryOperand();
      case 6:
        return new Operand.CaseI(
            random.nextBoolean() ? string() : new Operand.Property(pick(NAMES)));
      default:
        return new Operand.Property(pick(NAMES));
    }
  }

  private Operand string() {
    StringBuilder sb = new StringBuilder();
    for (int i = random.nextInt(3); i > 0; i--) {
      sb.append(pick(STRINGS));
    }
    return new Operand.StringLiteral(sb.toString());
  }

  private Operand number() {
    switch (random.nextInt(5)) {
      case 0:
        return Operand.NumberLiteral.of(random.nextLong());
      case 1:
        return Operand.NumberLiteral.of((long) random.nextInt(2000) - 1000);
      case 2:
        return Operand.NumberLiteral.of(random.nextDouble() * 1000 - 500);
      case 3:
        return Operand.NumberLiteral.of(Math.scalb(random.nextDouble(), random.nextInt(400) - 200));
      default:
        return Operand.NumberLiteral.of((double) random.nextInt(100));
    }
  }

  private double distance() {
    return random.nextBoolean() ? random.nextInt(5000) : random.nextDouble() * 100;
  }

  Operand temporalOperand() {
    switch (random.nextInt(4)) {
      case 0:
        return timestamp();
      case 1:
        return date();
      case 2:
        return new Operand.IntervalLiteral(bound(), bound());
      default:
        return new Operand.Property(pick(NAMES));
    }
  }

  private Operand bound() {
    switch (random.nextInt(4)) {
      case 0:
        return timestamp();
      case 1:
        return date();
      case 2:
        return new Operand.OpenBound();
      default:
        return new Operand.Property(pick(NAMES));
    }
  }

  private Operand.TimestampLiteral timestamp() {
    long seconds = 1_600_000_000L + random.nextInt(200_000_000);
    long nanos = random.nextBoolean() ? 0 : random.nextInt(1_000_000_000);
    return new Operand.TimestampLiteral(Instant.ofEpochSecond(seconds, nanos));
  }

  private Operand.DateLiteral date() {
    return new Operand.DateLiteral(
        LocalDate.of(1990 + random.nextInt(60), 1 + random.nextInt(12), 1 + random.nextInt(28)));
  }

  Operand geometryOperand() {
    switch (random.nextInt(6)) {
      case 0:
        return new Operand.GeometryLiteral(Cql2Fixtures.point(lon(), lat()));
      case 1:
        {
          double x = lon();
          double y = lat();
          return new Operand.GeometryLiteral(Cql2Fixtures.box(x, y, x + 0.5, y + 0.25));
        }
      case 2:
        {
          Coordinate[] cs = new Coordinate[2 + random.nextInt(4)];
          for (int i = 0; i < cs.length; i++) {
            cs[i] = new Coordinate(lon(), lat());
          }
          return new Operand.GeometryLiteral(GeometryLiterals.FACTORY.createLineString(cs));
        }
      case 3:
        {
          double x = lon();
          double y = lat();
          return new Operand.BboxLiteral(x, y, x + random.nextInt(3), y + random.nextDouble());
        }
      case 4:
        {
          double x = lon();
          double y = lat();
          Geometry a = Cql2Fixtures.box(x, y, x + 0.1, y + 0.1);
          Geometry b = Cql2Fixtures.box(x + 0.2, y, x + 0.3, y + 0.1);
          return new Operand.GeometryLiteral(a.union(b));
        }
      default:
        return new Operand.Property(random.nextBoolean() ? "geometry" : pick(NAMES));
    }
  }

  private double lon() {
    return random.nextBoolean() ? random.nextInt(300) - 150 : 105 + random.nextDouble() * 2;
  }

  private double lat() {
    return random.nextBoolean() ? random.nextInt(120) - 60 : 29 + random.nextDouble();
  }

  // ---------------------------------------------------------------- typed filters over the fixture
  // layer

  private static final String[] STRING_FIELDS = {"name", "category"};
  private static final String[] NUMBER_FIELDS = {"population", "area", "id"};
  private static final String[] TIME_FIELDS = {"reported_at", "closed_at"};

  Filter typedFilter() {
    depth++;
    try {
      int k = depth > 3 ? 3 + random.nextInt(10) : random.nextInt(13);
      switch (k) {
        case 0:
          return new Filter.And(List.of(typedFilter(), typedFilter()));
        case 1:
          return new Filter.Or(List.of(typedFilter(), typedFilter()));
        case 2:
          return new Filter.Not(typedFilter());
        case 3:
          return new Filter.Compare(
              pick(ComparisonOperator.values()), prop(STRING_FIELDS), fixtureString());
        case 4:
          return new Filter.Compare(
              pick(ComparisonOperator.values()), prop(NUMBER_FIELDS), fixtureNumber());
        case 5:
          return new Filter.Like(
              prop(STRING_FIELDS),
              new Operand.StringLiteral(
                  pick(new String[] {"%", "fi%", "%a%", "_i%", "%\\%%", "north\\_gate"})));
        case 6:
          return new Filter.Between(prop(NUMBER_FIELDS), fixtureNumber(), fixtureNumber());
        case 7:
          {
            List<Operand> items = new ArrayList<>();
            for (int i = 1 + random.nextInt(3); i > 0; i--) {
              items.add(fixtureString());
            }
            return new Filter.In(prop(STRING_FIELDS), items);
          }
        case 8:
          return new Filter.IsNull(prop(random.nextBoolean() ? NUMBER_FIELDS : TIME_FIELDS));
        case 9:
          return new Filter.Spatial(
              pick(SpatialOperator.values()), new Operand.Property("geometry"), fixtureGeometry());
        case 10:
          return new Filter.DWithin(
              new Operand.Property("geom"),
              fixtureGeometry(),
              random.nextInt(20_000),
              DistanceUnit.METERS);
        case 11:
          return new Filter.Temporal(
              pick(TemporalOperator.values()), fixtureTemporal(), fixtureTemporal());
        default:
          return new Filter.Compare(
              ComparisonOperator.EQ,
              new Operand.Property("urban"),
              new Operand.BooleanLiteral(random.nextBoolean()));
      }
    } finally {
      depth--;
    }
  }

  private Operand prop(String[] names) {
    return new Operand.Property(pick(names));
  }

  private Operand fixtureString() {
    Operand s =
        new Operand.StringLiteral(
            pick(
                new String[] {
                  "fire", "flood", "FIRE", "Ciqikou", "'; DROP TABLE grids; --", "manhole_cover"
                }));
    return random.nextInt(4) == 0 ? new Operand.CaseI(s) : s;
  }

  private Operand fixtureNumber() {
    return random.nextBoolean()
        ? Operand.NumberLiteral.of((long) pick(new Integer[] {0, 1, 2, 3, 50, 800, 1200}))
        : Operand.NumberLiteral.of(pick(new Double[] {0.5, 1.0, 2.5, 10.25, 799.5}));
  }

  private Operand fixtureGeometry() {
    double x = 106.4 + random.nextDouble() * 0.3;
    double y = 29.45 + random.nextDouble() * 0.2;
    return random.nextBoolean()
        ? new Operand.BboxLiteral(
            x, y, x + random.nextDouble() * 0.2, y + random.nextDouble() * 0.2)
        : new Operand.GeometryLiteral(Cql2Fixtures.point(x, y));
  }

  private Operand fixtureTemporal() {
    Operand[] bounds = {
      new Operand.Property("reported_at"),
      new Operand.Property("closed_at"),
      new Operand.TimestampLiteral(Instant.parse("2024-05-01T08:00:00Z")),
      new Operand.TimestampLiteral(Instant.parse("2024-05-03T00:00:00Z")),
      new Operand.DateLiteral(LocalDate.of(2024, 5, 1)),
      new Operand.OpenBound()
    };
    if (random.nextBoolean()) {
      return bounds[random.nextInt(5)];
    }
    return new Operand.IntervalLiteral(pick(bounds), pick(bounds));
  }

  private <T> T pick(T[] values) {
    return values[random.nextInt(values.length)];
  }
}
