package io.gridmap.layers.query.cql2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.layers.query.cql2.Filter.And;
import io.gridmap.layers.query.cql2.Filter.Compare;
import io.gridmap.layers.query.cql2.Filter.Not;
import io.gridmap.layers.query.cql2.Filter.Or;
import io.gridmap.layers.query.cql2.Operand.BooleanLiteral;
import io.gridmap.layers.query.cql2.Operand.NumberLiteral;
import io.gridmap.layers.query.cql2.Operand.Property;
import io.gridmap.layers.query.cql2.Operand.StringLiteral;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Cql2TextParserTest {

  static Filter parse(String s) {
    return Cql2.parseText(s);
  }

  static Compare eq(String property, Object value) {
    return new Compare(ComparisonOperator.EQ, new Property(property), literal(value));
  }

  static Operand literal(Object v) {
    if (v instanceof String) {
      return new StringLiteral((String) v);
    }
    if (v instanceof Boolean) {
      return new BooleanLiteral((Boolean) v);
    }
    return new NumberLiteral((Number) v);
  }

  @Test
  void comparisonOperatorsParseToTheirEnum() {
    assertThat(parse("a = 1"))
        .isEqualTo(new Compare(ComparisonOperator.EQ, new Property("a"), NumberLiteral.of(1)));
    assertThat(parse("a<>1"))
        .isEqualTo(new Compare(ComparisonOperator.NE, new Property("a"), NumberLiteral.of(1)));
    assertThat(parse("a<1"))
        .isEqualTo(new Compare(ComparisonOperator.LT, new Property("a"), NumberLiteral.of(1)));
    assertThat(parse("a<=1"))
        .isEqualTo(new Compare(ComparisonOperator.LE, new Property("a"), NumberLiteral.of(1)));
    assertThat(parse("a>1"))
        .isEqualTo(new Compare(ComparisonOperator.GT, new Property("a"), NumberLiteral.of(1)));
    assertThat(parse("a>=1"))
        .isEqualTo(new Compare(ComparisonOperator.GE, new Property("a"), NumberLiteral.of(1)));
  }

  @Test
  void literalsKeepTheirTypes() {
    assertThat(parse("a = 'it''s'")).isEqualTo(eq("a", "it's"));
    assertThat(parse("a = -12")).isEqualTo(eq("a", -12L));
    assertThat(parse("a = +12")).isEqualTo(eq("a", 12L));
    assertThat(parse("a = 1.5")).isEqualTo(eq("a", 1.5));
    assertThat(parse("a = .5")).isEqualTo(eq("a", 0.5));
    assertThat(parse("a = 2E3")).isEqualTo(eq("a", 2000.0));
    assertThat(parse("a = 99999999999999999999")).isEqualTo(eq("a", 1e20));
    assertThat(parse("a = true")).isEqualTo(eq("a", true));
    assertThat(parse("a = FALSE")).isEqualTo(eq("a", false));
    assertThat(parse("a = '网格'")).isEqualTo(eq("a", "网格"));
    assertThat(parse("t = TIMESTAMP('2024-05-01T08:30:00.250Z')"))
        .isEqualTo(
            new Compare(
                ComparisonOperator.EQ,
                new Property("t"),
                new Operand.TimestampLiteral(Instant.parse("2024-05-01T08:30:00.250Z"))));
    assertThat(parse("t = DATE('2024-05-01')"))
        .isEqualTo(
            new Compare(
                ComparisonOperator.EQ,
                new Property("t"),
                new Operand.DateLiteral(LocalDate.of(2024, 5, 1))));
  }

  @Test
  void propertyNamesMayBeBareOrDoubleQuotedAndKeepTheirCase() {
    assertThat(parse("\"Category\" = 'x'")).isEqualTo(eq("Category", "x"));
    assertThat(parse("ns:name.en = 'x'")).isEqualTo(eq("ns:name.en", "x"));
    assertThat(parse("\"and\" = 'x'")).isEqualTo(eq("and", "x"));
    assertThat(parse("名称 = 'x'")).isEqualTo(eq("名称", "x"));
    assertThat(parse("\"a b\" = 'x'")).isEqualTo(eq("a b", "x"));
  }

  @Test
  void keywordsAreCaseInsensitive() {
    assertThat(parse("a = 1 and not b = 2 Or c Is Null"))
        .isEqualTo(parse("a = 1 AND NOT b = 2 OR c IS NULL"));
    assertThat(parse("s_intersects(geometry, bbox(0,0,1,1))"))
        .isEqualTo(parse("S_INTERSECTS(geometry, BBOX(0, 0, 1, 1))"));
  }

  @Test
  void andBindsTighterThanOrAndNotTighterThanAnd() {
    Filter a = eq("a", 1L);
    Filter b = eq("b", 2L);
    Filter c = eq("c", 3L);
    assertThat(parse("a = 1 OR b = 2 AND c = 3")).isEqualTo(Or.of(a, And.of(b, c)));
    assertThat(parse("a = 1 AND b = 2 OR c = 3")).isEqualTo(Or.of(And.of(a, b), c));
    assertThat(parse("(a = 1 OR b = 2) AND c = 3")).isEqualTo(And.of(Or.of(a, b), c));
    assertThat(parse("NOT a = 1 AND b = 2")).isEqualTo(And.of(new Not(a), b));
    assertThat(parse("NOT (a = 1 AND b = 2)")).isEqualTo(new Not(And.of(a, b)));
    assertThat(parse("a = 1 AND b = 2 AND c = 3")).isEqualTo(new And(List.of(a, b, c)));
  }

  @Test
  void nestedConjunctionsAreFlattened() {
    assertThat(parse("(a = 1 AND b = 2) AND c = 3"))
        .isEqualTo(parse("a = 1 AND (b = 2 AND c = 3)"));
    assertThat(((And) parse("(a = 1 AND b = 2) AND c = 3")).args()).hasSize(3);
  }

  @Test
  void negatedPredicatesAreNotAroundThePositiveOne() {
    assertThat(parse("a NOT LIKE 'x%'"))
        .isEqualTo(new Not(new Filter.Like(new Property("a"), new StringLiteral("x%"))));
    assertThat(parse("a NOT BETWEEN 1 AND 2")).isEqualTo(parse("NOT a BETWEEN 1 AND 2"));
    assertThat(parse("a NOT IN (1, 2)")).isEqualTo(parse("NOT a IN (1, 2)"));
    assertThat(parse("a IS NOT NULL")).isEqualTo(new Not(new Filter.IsNull(new Property("a"))));
  }

  @Test
  void booleanConstantsAreFilters() {
    assertThat(parse("TRUE")).isEqualTo(new Filter.Constant(true));
    assertThat(parse("NOT false")).isEqualTo(new Not(new Filter.Constant(false)));
    assertThat(parse("TRUE = on_duty"))
        .isEqualTo(
            new Compare(ComparisonOperator.EQ, new BooleanLiteral(true), new Property("on_duty")));
  }

  @Test
  void spatialAndTemporalPredicatesParse() {
    Filter.Spatial s =
        (Filter.Spatial) parse("S_WITHIN(geometry, POLYGON((0 0, 1 0, 1 1, 0 1, 0 0)))");
    assertThat(s.op()).isEqualTo(SpatialOperator.S_WITHIN);
    assertThat(((Operand.GeometryLiteral) s.right()).geometry().getArea()).isEqualTo(1.0);

    assertThat(parse("S_INTERSECTS(geom, BBOX(1, 2, 10, 3, 4, 20))"))
        .isEqualTo(
            new Filter.Spatial(
                SpatialOperator.S_INTERSECTS,
                new Property("geom"),
                new Operand.BboxLiteral(1, 2, 3, 4)));

    assertThat(parse("S_DWITHIN(geometry, POINT(106.5 29.5), 250, metres)"))
        .isEqualTo(parse("S_DWITHIN(geometry, POINT Z (106.5 29.5 100), 250, 'meters')"));
    assertThat(
            ((Filter.DWithin) parse("S_DWITHIN(geometry, POINT(1 1), 2.5, km)")).distanceMetres())
        .isEqualTo(2500.0);

    Filter.Temporal t =
        (Filter.Temporal) parse("T_DURING(reported_at, INTERVAL('2024-05-01', '..'))");
    assertThat(t.right())
        .isEqualTo(
            new Operand.IntervalLiteral(
                new Operand.DateLiteral(LocalDate.of(2024, 5, 1)), new Operand.OpenBound()));
    assertThat(
            parse("T_AFTER(INTERVAL(reported_at, closed_at), TIMESTAMP('2024-05-01T00:00:00Z'))"))
        .isInstanceOf(Filter.Temporal.class);
  }

  @Test
  void wktVariantsParse() {
    assertThat(parse("S_INTERSECTS(g, MULTIPOINT(1 2, 3 4))"))
        .isEqualTo(parse("S_INTERSECTS(g, MULTIPOINT((1 2), (3 4)))"));
    assertThat(parse("S_INTERSECTS(g, MULTILINESTRING((1 2, 3 4), (5 6, 7 8)))")).isNotNull();
    assertThat(
            parse("S_INTERSECTS(g, MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((2 2, 3 2, 3 3, 2 2))))"))
        .isNotNull();
  }

  @Test
  void whitespaceAndNewlinesAreInsignificant() {
    assertThat(parse("\n\ta\r\n=\t1  ")).isEqualTo(eq("a", 1L));
  }

  // ------------------------------------------------------------------ errors

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          category fire                                  | column 10 | 'fire'         | expected a comparison operator
          category =                                     | column 11 | end of input   | expected a property name, a literal or a function
          (category = 'fire'                             | column 19 | end of input   | expected ')' to close the '(' at column 1
          category = 'fire                               | column 12 | unterminated   | expected a closing '
          population > 5 AND                             | column 19 | end of input   | expected a property name
          category = 'fire' name = 'x'                   | column 19 | 'name'         | expected AND, OR or the end of the filter
          a = 1 AND AND b = 2                            | column 11 | 'AND'          | expected a property name
          a NOT = 1                                      | column 7  | '='            | expected LIKE, BETWEEN or IN after NOT
          a IS NOT 5                                     | column 10 | '5'            | expected NULL after IS NOT
          a BETWEEN 1 OR 2                               | column 13 | 'OR'           | expected AND between the bounds
          a LIKE name                                    | column 8  | 'name'         | expected a quoted LIKE pattern
          a IN 1, 2                                      | column 6  | '1'            | expected '(' to open the IN list
          a = 1 # comment                                | column 7  | '#'            | unexpected character
          t > TIMESTAMP('2024-13-01T00:00:00Z')          | column 15 | '2024-13-01T00:00:00Z' | expected an RFC 3339 timestamp
          t > TIMESTAMP('2024-05-01 08:00:00')           | column 15 | '2024-05-01 08:00:00' | expected an RFC 3339 timestamp
          t > DATE('2024-02-30')                         | column 10 | '2024-02-30'   | expected a date like '2024-05-01'
          t > DATE(2024)                                 | column 10 | '2024'         | expected a date like '2024-05-01', quoted, in DATE(...)
          S_INTERSECTS(geometry POINT(1 2))              | column 23 | 'POINT'        | expected ',' between the two geometries
          S_INTERSECTS(geometry, POINT(1))               | column 31 | ')'            | expected a latitude
          S_INTERSECTS(geometry, POINT(200 10))          | column 30 | (200.0 10.0)   | outside WGS84
          S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1)))  | column 24 | 3           | at least 4 points
          S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1, 0 1)))  | column 24 | (0.0 1.0) | must be closed
          S_INTERSECTS(geometry, POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))) | column 24 | Self-intersection | invalid Polygon
          S_INTERSECTS(geometry, POINT EMPTY)            | column 30 | EMPTY          | empty geometries are not supported
          S_INTERSECTS(geometry, BBOX(2, 0, 1, 1))       | column 24 | 2.0, 0.0, 1.0, 1.0 | BBOX needs west <= east
          S_INTERSECTS(geometry, BBOX(0, 0, 1))          | column 24 | found 3        | BBOX needs 4 numbers
          S_DWITHIN(geometry, POINT(1 1), 10, parsecs)   | column 37 | 'parsecs'      | expected a distance unit
          S_DWITHIN(geometry, POINT(1 1), -1)            | column 33 | '-1'           | expected a distance >= 0
          a = 12abc                                      | column 5  | '12a'          | malformed number
          a = 1e999                                      | column 5  | '1e999'        | out of range
          S_INTERSECTS = 1 AND S_INTERSECTS(a)           | column 36 | ')'            | expected ',' between
          a = CASEI(                                     | column 11 | end of input   | expected a property name, a literal or a function
          exec('rm -rf /') = 1                           | column 1  | 'exec'         | unknown function
          """)
  void syntaxErrorsNameTheColumnTheTokenAndWhatWasExpected(
      String filter, String column, String token, String expected) {
    assertThatThrownBy(() -> parse(filter))
        .isInstanceOf(Cql2Exception.class)
        .hasMessageContaining("at " + column + ":")
        .hasMessageContaining(token)
        .hasMessageContaining(expected);
  }

  @Test
  void anErrorCarriesItsKindAndOffset() {
    Cql2Exception e = (Cql2Exception) catchThrowable(() -> parse("category fire"));
    assertThat(e.kind()).isEqualTo(Cql2Exception.Kind.SYNTAX);
    assertThat(e.offset()).isEqualTo(9);
    assertThat(e)
        .hasMessage(
            "at column 10: expected a comparison operator (=, <>, <, <=, >, >=, LIKE, BETWEEN, IN or IS NULL) but found 'fire'");
  }

  @Test
  void multiLineFiltersReportTheLineAndColumn() {
    assertThatThrownBy(() -> parse("category = 'fire'\nAND name fire"))
        .hasMessageStartingWith("at line 2, column 10: ");
  }

  @Test
  void anEmptyFilterIsAnError() {
    assertThatThrownBy(() -> parse("   "))
        .isInstanceOf(Cql2Exception.class)
        .hasMessageContaining("empty filter");
  }

  @Test
  void longOffendingTokensAreCutInMessages() {
    String longWord = "x".repeat(500);
    assertThatThrownBy(() -> parse("a " + longWord))
        .hasMessageContaining("'" + "x".repeat(40) + "...'")
        .hasMessageNotContaining("x".repeat(41));
  }

  private static Throwable catchThrowable(Runnable r) {
    try {
      r.run();
      return null;
    } catch (Throwable t) {
      return t;
    }
  }
}
