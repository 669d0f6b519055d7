package io.gridmap.layers.query.cql2;

import static io.gridmap.layers.query.cql2.Cql2Fixtures.matching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.gridmap.layers.model.Feature;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operator evaluated over the five hand-made features of {@link Cql2Fixtures}; each expected
 * id set was worked out by hand from the fixture values (see the comments for the subtle ones).
 */
class Cql2EvaluatorTest {

  static Stream<Arguments> comparisons() {
    return Stream.of(
        arguments("category = 'fire'", Set.of(1L, 3L)),
        arguments("category <> 'fire'", Set.of(2L, 4L, 5L)),
        // population of 3 is null: UNKNOWN, never a match
        arguments("population > 800", Set.of(1L, 5L)),
        arguments("population >= 800", Set.of(1L, 2L, 5L)),
        arguments("population < 800", Set.of(4L)),
        arguments("population <= 50", Set.of(4L)),
        arguments("800 < population", Set.of(1L, 5L)),
        // a REAL field against an integer literal compares numerically
        arguments("area = 1", Set.of(2L)),
        arguments("area > 2.4", Set.of(1L, 3L)),
        arguments("area >= 1e1", Set.of(3L)),
        arguments("urban = TRUE", Set.of(1L, 2L)),
        arguments("urban <> TRUE", Set.of(3L, 5L)),
        arguments("category < 'fire'", Set.of(5L)), // 'FIRE' < 'fire' by code point
        arguments("id = 3", Set.of(3L)),
        arguments("id >= 4", Set.of(4L, 5L)),
        arguments("name = category", Set.of()),
        arguments("population = population", Set.of(1L, 2L, 4L, 5L)));
  }

  static Stream<Arguments> likeBetweenInNull() {
    return Stream.of(
        arguments("name LIKE 'O''Brien%'", Set.of(4L)),
        arguments("name LIKE '%100\\%%'", Set.of(4L)),
        arguments("name LIKE '%100\\% s_te'", Set.of(4L)),
        arguments("name LIKE '_iefang%'", Set.of(1L)),
        arguments("name LIKE 'north\\_gate'", Set.of(5L)),
        arguments("name LIKE 'north_gate'", Set.of(5L)),
        arguments("name LIKE 'north_gat'", Set.of()),
        arguments("name LIKE '%'", Set.of(1L, 2L, 3L, 4L, 5L)),
        arguments("name LIKE '%n%g%'", Set.of(1L, 3L, 5L)), // Jiefangbei, Rongchang, north_gate
        arguments("name NOT LIKE '%a%'", Set.of(2L, 4L)),
        arguments("category LIKE CASEI('FI%')", Set.of(1L, 3L, 5L)),
        arguments("CASEI(category) = CASEI('Fire')", Set.of(1L, 3L, 5L)),
        arguments("CASEI(category) IN ('fire', 'flood')", Set.of(1L, 2L, 3L, 5L)),
        arguments("population BETWEEN 50 AND 800", Set.of(2L, 4L)),
        arguments("population NOT BETWEEN 50 AND 800", Set.of(1L, 5L)),
        arguments("area BETWEEN 0.5 AND 2.5", Set.of(1L, 2L, 5L)),
        arguments("category IN ('fire', 'flood')", Set.of(1L, 2L, 3L)),
        arguments("category NOT IN ('fire', 'flood')", Set.of(4L, 5L)),
        arguments("population IN (50, 1200)", Set.of(1L, 4L, 5L)),
        arguments("area IN (1, 0.5)", Set.of(2L, 5L)),
        arguments("id IN (1, 2)", Set.of(1L, 2L)),
        arguments("urban IN (FALSE)", Set.of(3L, 5L)),
        arguments("population IS NULL", Set.of(3L)),
        arguments("population IS NOT NULL", Set.of(1L, 2L, 4L, 5L)),
        arguments("closed_at IS NULL", Set.of(2L, 3L, 4L)),
        arguments("geometry IS NULL", Set.of()),
        arguments(
            "INTERVAL('2024-01-01', '..') IS NULL OR POINT(1 1) IS NULL OR CASEI('x') IS NULL",
            Set.of()),
        arguments("NOT 'x' IS NULL", Set.of(1L, 2L, 3L, 4L, 5L)));
  }

  static Stream<Arguments> logic() {
    return Stream.of(
        // AND binds tighter than OR
        arguments("category = 'fire' OR category = 'flood' AND urban = FALSE", Set.of(1L, 3L)),
        arguments("(category = 'fire' OR category = 'flood') AND urban = FALSE", Set.of(3L)),
        // NOT binds tighter than AND
        arguments("NOT category = 'fire' AND population > 100", Set.of(2L, 5L)),
        // three-valued: for 3, fire AND (null > 100) is UNKNOWN, and NOT UNKNOWN is UNKNOWN
        arguments("NOT (category = 'fire' AND population > 100)", Set.of(2L, 4L, 5L)),
        arguments("NOT population > 100", Set.of(4L)),
        arguments("population > 100 OR TRUE", Set.of(1L, 2L, 3L, 4L, 5L)),
        arguments("population > 100 AND FALSE", Set.of()),
        arguments("TRUE", Set.of(1L, 2L, 3L, 4L, 5L)),
        arguments("FALSE", Set.of()),
        arguments("NOT FALSE", Set.of(1L, 2L, 3L, 4L, 5L)),
        arguments("NOT NOT category = 'fire'", Set.of(1L, 3L)),
        arguments("((((category = 'flood'))))", Set.of(2L)),
        // literals on both sides are legal and constant
        arguments("1 < 2.5 AND 'a' <> 'b'", Set.of(1L, 2L, 3L, 4L, 5L)),
        arguments("'a' = 'b' OR 2 IN (1, 3)", Set.of()),
        arguments("S_INTERSECTS(POINT(1 1), BBOX(0, 0, 2, 2))", Set.of(1L, 2L, 3L, 4L, 5L)),
        arguments("T_BEFORE(DATE('2024-01-01'), DATE('2024-01-02'))", Set.of(1L, 2L, 3L, 4L, 5L)),
        arguments(
            "TIMESTAMP('2024-01-01T00:00:00Z') = DATE('2024-01-01')", Set.of(1L, 2L, 3L, 4L, 5L)));
  }

  static Stream<Arguments> temporal() {
    return Stream.of(
        arguments("reported_at > TIMESTAMP('2024-05-01T08:00:00Z')", Set.of(2L, 5L)),
        arguments("reported_at = TIMESTAMP('2024-05-01T08:00:00Z')", Set.of(1L)),
        arguments("reported_at = TIMESTAMP('2024-05-01T16:00:00+08:00')", Set.of(1L)),
        // as a plain instant a DATE is its first millisecond (UTC)
        arguments("reported_at >= DATE('2024-05-01')", Set.of(1L, 2L, 5L)),
        arguments(
            "reported_at BETWEEN TIMESTAMP('2024-05-01T00:00:00Z') AND TIMESTAMP('2024-05-02T23:00:00Z')",
            Set.of(1L, 2L)),
        arguments("T_BEFORE(reported_at, TIMESTAMP('2024-05-01T00:00:00Z'))", Set.of(3L)),
        // in temporal operators a DATE is the whole day: after May 2 means from May 3
        arguments("T_AFTER(reported_at, DATE('2024-05-02'))", Set.of(5L)),
        arguments("T_INTERSECTS(reported_at, DATE('2024-05-01'))", Set.of(1L)),
        arguments("T_DURING(reported_at, INTERVAL('2024-05-01', '2024-05-02'))", Set.of(1L, 2L)),
        // T_DURING is strict (Allen's during), T_INTERSECTS inclusive
        arguments("T_DURING(reported_at, INTERVAL('2024-05-01T08:00:00Z', '..'))", Set.of(2L, 5L)),
        arguments(
            "T_INTERSECTS(reported_at, INTERVAL('2024-05-01T08:00:00Z', '..'))",
            Set.of(1L, 2L, 5L)),
        arguments(
            "T_INTERSECTS(reported_at, INTERVAL('..', '2024-05-01T08:00:00Z'))", Set.of(1L, 3L)),
        // 2 is still open (closed_at null) but starts after 09:00, so FALSE, not UNKNOWN
        arguments(
            "T_INTERSECTS(INTERVAL(reported_at, closed_at), TIMESTAMP('2024-05-01T09:00:00Z'))",
            Set.of(1L)),
        arguments(
            "NOT T_INTERSECTS(INTERVAL(reported_at, closed_at), TIMESTAMP('2024-05-01T09:00:00Z'))",
            Set.of(2L, 5L)),
        arguments("T_DISJOINT(reported_at, DATE('2024-05-01'))", Set.of(2L, 3L, 5L)),
        arguments("T_EQUALS(reported_at, TIMESTAMP('2024-05-03T00:00:00Z'))", Set.of(5L)),
        arguments(
            "T_CONTAINS(INTERVAL(reported_at, closed_at), TIMESTAMP('2024-05-01T09:00:00Z'))",
            Set.of(1L)),
        arguments(
            "T_STARTS(INTERVAL(reported_at, closed_at), INTERVAL('2024-05-03T00:00:00Z', '2024-05-05T00:00:00Z'))",
            Set.of(5L)),
        arguments(
            "T_MEETS(INTERVAL(reported_at, closed_at), TIMESTAMP('2024-05-04T00:00:00Z'))",
            Set.of(5L)),
        arguments(
            "T_METBY(INTERVAL(reported_at, closed_at), TIMESTAMP('2024-05-01T08:00:00Z'))",
            Set.of(1L)),
        arguments(
            "T_OVERLAPS(INTERVAL(reported_at, closed_at), INTERVAL('2024-05-01T09:00:00Z', '2024-05-02T00:00:00Z'))",
            Set.of(1L)),
        arguments(
            "T_OVERLAPPEDBY(INTERVAL(reported_at, closed_at), INTERVAL('2024-04-01', '2024-05-03T12:00:00Z'))",
            Set.of(5L)),
        arguments(
            "T_FINISHES(INTERVAL(reported_at, closed_at), INTERVAL('2024-05-01', '2024-05-01T10:00:00Z'))",
            Set.of(1L)),
        arguments(
            "T_FINISHEDBY(INTERVAL('2024-05-01', '2024-05-04T00:00:00Z'), INTERVAL(reported_at, closed_at))",
            Set.of(5L)),
        arguments(
            "T_STARTEDBY(INTERVAL(reported_at, closed_at), INTERVAL('2024-05-03T00:00:00Z', '2024-05-03T01:00:00Z'))",
            Set.of(5L)));
  }

  static Stream<Arguments> spatial() {
    String around5 =
        "POLYGON((106.54 29.54, 106.61 29.54, 106.61 29.61, 106.54 29.61, 106.54 29.54))";
    return Stream.of(
        arguments("S_INTERSECTS(geometry, BBOX(106.5, 29.5, 106.6, 29.6))", Set.of(1L, 4L, 5L)),
        arguments("S_INTERSECTS(BBOX(106.5, 29.5, 106.6, 29.6), geom)", Set.of(1L, 4L, 5L)),
        arguments("S_WITHIN(geometry, " + around5 + ")", Set.of(1L, 5L)),
        arguments("S_CONTAINS(" + around5 + ", geometry)", Set.of(1L, 5L)),
        // a point contains itself; the square of 5 contains the point
        arguments("S_CONTAINS(geometry, POINT(106.577 29.557))", Set.of(1L, 5L)),
        arguments("S_WITHIN(POINT(106.51 29.51), geometry)", Set.of(4L)),
        arguments("S_DISJOINT(geom, BBOX(106.5, 29.5, 106.6, 29.6))", Set.of(2L, 3L)),
        arguments("S_TOUCHES(geometry, POINT(106.5 29.51))", Set.of(4L)),
        arguments("S_EQUALS(geometry, POINT(106.449 29.579))", Set.of(2L)),
        arguments(
            "S_EQUALS(geometry, POLYGON((106.5 29.5, 106.5 29.52, 106.52 29.52, 106.52 29.5, 106.5 29.5)))",
            Set.of(4L)),
        arguments(
            "S_OVERLAPS(geometry, POLYGON((106.51 29.51, 106.53 29.51, 106.53 29.53, 106.51 29.53, 106.51 29.51)))",
            Set.of(4L)),
        arguments("S_CROSSES(geometry, LINESTRING(106.49 29.51, 106.53 29.51))", Set.of(4L)),
        arguments(
            "S_INTERSECTS(geometry, MULTIPOINT((106.577 29.557), (105.594 29.404)))",
            Set.of(1L, 3L, 5L)),
        arguments(
            "S_INTERSECTS(geometry, MULTILINESTRING((106.44 29.579, 106.46 29.579), (0 0, 1 1)))",
            Set.of(2L)),
        arguments(
            "S_INTERSECTS(geometry, MULTIPOLYGON(((105.5 29.3, 105.7 29.3, 105.7 29.5, 105.5 29.5, 105.5 29.3)), "
                + "((106.51 29.51, 106.53 29.51, 106.53 29.53, 106.51 29.53, 106.51 29.51))))",
            Set.of(3L, 4L)),
        arguments(
            "S_INTERSECTS(geometry, POLYGON((106.4 29.4, 106.7 29.4, 106.7 29.7, 106.4 29.7, 106.4 29.4), "
                + "(106.45 29.45, 106.65 29.45, 106.65 29.65, 106.45 29.65, 106.45 29.45)))",
            Set.of(2L)), // a hole swallows 1, 4 and 5
        // 2 lies 12.6 km from 1 (0.128 deg of longitude and 0.022 of latitude at 29.57 N)
        arguments("S_DWITHIN(geometry, POINT(106.577 29.557), 12, kilometers)", Set.of(1L, 4L, 5L)),
        arguments("S_DWITHIN(geometry, POINT(106.577 29.557), 13, km)", Set.of(1L, 2L, 4L, 5L)),
        arguments("S_DWITHIN(POINT(106.577 29.557), geometry, 100, meters)", Set.of(1L, 5L)),
        arguments("S_DWITHIN(geometry, POINT(106.577 29.557), 100)", Set.of(1L, 5L)),
        arguments("S_DWITHIN(geometry, geometry, 0, meters)", Set.of(1L, 2L, 3L, 4L, 5L)),
        arguments("S_INTERSECTS(geometry, geom)", Set.of(1L, 2L, 3L, 4L, 5L)),
        arguments(
            "S_INTERSECTS(geometry, BBOX(106, 29, 107, 30)) AND category = 'fire' AND T_BEFORE(reported_at, DATE('2024-05-02'))",
            Set.of(1L)));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource({"comparisons", "likeBetweenInNull", "logic", "temporal", "spatial"})
  void filterMatchesTheHandWorkedFeatures(String filter, Set<Long> expected) {
    assertThat(matching(filter)).containsExactlyInAnyOrderElementsOf(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource({"comparisons", "likeBetweenInNull", "logic", "temporal", "spatial"})
  void theJsonEncodingOfTheSameFilterMatchesTheSameFeatures(String filter, Set<Long> expected) {
    String json = Cql2.toJson(Cql2.parseText(filter));
    var p = Cql2.bind(Cql2.parseJson(json), Cql2Fixtures.PUBLIC).toPredicate();
    assertThat(Cql2Fixtures.ALL.stream().filter(p).map(Feature::id))
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void dwithinMeasuresMetresWithinHalfAPercentOfTheSphere() {
    // 1 km due east and due north of a point at 29.5 N, measured on a sphere of the mean radius
    double lat = 29.5;
    double degLat = 1000 / (6_371_008.8 * Math.PI / 180);
    double degLon = degLat / Math.cos(Math.toRadians(lat));
    for (double[] d : new double[][] {{degLon, 0}, {0, degLat}}) {
      String point = "POINT(" + (106.5 + d[0]) + " " + (lat + d[1]) + ")";
      Feature f =
          Cql2Fixtures.feature(
              9, Cql2Fixtures.point(106.5, lat), "x", "x", null, null, null, null, null, null);
      assertThat(test("S_DWITHIN(geometry, " + point + ", 1005, meters)", f))
          .as("1005 m for %s", point)
          .isTrue();
      assertThat(test("S_DWITHIN(geometry, " + point + ", 995, meters)", f))
          .as("995 m for %s", point)
          .isFalse();
    }
  }

  @Test
  void aCompiledPredicateIsBuiltOnceAndNamesItsFilter() {
    BoundFilter f = Cql2.bind(Cql2.parseText("category = 'fire'"), Cql2Fixtures.PUBLIC);
    assertThat(f.toPredicate()).isSameAs(f.toPredicate());
    assertThat(f.toPredicate()).hasToString("cql2[category = 'fire']");
  }

  private static boolean test(String filter, Feature f) {
    return Cql2.bind(Cql2.parseText(filter), Cql2Fixtures.PUBLIC).toPredicate().test(f);
  }
}
