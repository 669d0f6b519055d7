package io.gridmap.layers.query.cql2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.layers.model.Catalogue;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.locationtech.jts.geom.Envelope;

class Cql2BinderTest {

  static BoundFilter bind(String text) {
    return Cql2.bind(Cql2.parseText(text), Cql2Fixtures.PUBLIC);
  }

  @Test
  void queryablesAreTheAllowedFieldsThenGeometryAndId() {
    assertThat(Cql2Fixtures.PUBLIC.names())
        .containsExactly(
            "name",
            "category",
            "population",
            "area",
            "urban",
            "reported_at",
            "closed_at",
            "geometry",
            "geom",
            "id");
    assertThat(Queryables.of(Cql2Fixtures.SITES, Set.of("name")).names())
        .containsExactly("name", "geometry", "geom", "id");
    assertThat(Queryables.of(Cql2Fixtures.SITES, f -> true).names()).contains("worker_name");
    assertThatThrownBy(() -> Queryables.of(Cql2Fixtures.SITES, Set.of("nmae")))
        .hasMessageContaining("has no fields [nmae]");
  }

  @Test
  void anUnknownPropertyIsRefusedWithTheListOfQueryables() {
    assertThatThrownBy(() -> bind("nme = 'x'"))
        .isInstanceOfSatisfying(
            Cql2Exception.class,
            e -> assertThat(e.kind()).isEqualTo(Cql2Exception.Kind.UNKNOWN_PROPERTY))
        .hasMessage(
            "property 'nme' is not queryable in layer sites; the queryables are: name, category, population, area, urban,"
                + " reported_at, closed_at, geometry, geom, id");
  }

  @Test
  void propertyNamesAreCaseSensitiveWithAHint() {
    assertThatThrownBy(() -> bind("Name = 'x'")).hasMessageContaining("did you mean 'name'?");
  }

  @Test
  void aPersonalFieldIsNotQueryableForThePublic() {
    assertThatThrownBy(() -> bind("worker_name = 'Li Wei'"))
        .hasMessageContaining("property 'worker_name' is not queryable")
        .hasMessageNotContaining("worker_name,");
    assertThatThrownBy(() -> bind("worker_name LIKE 'L%'")).isInstanceOf(Cql2Exception.class);
    assertThatThrownBy(
            () -> bind("T_INTERSECTS(INTERVAL(reported_at, worker_name), DATE('2024-01-01'))"))
        .hasMessageContaining("'worker_name' is not queryable");
    // the real catalogue: forces' names and grid workers' names are personal
    assertThat(Queryables.withoutPersonal(Catalogue.FORCES).names()).doesNotContain("name");
    assertThat(Queryables.withoutPersonal(Catalogue.GRIDS).names()).doesNotContain("worker_name");
  }

  @Test
  void unknownPropertiesAreFoundAnywhereInTheTree() {
    assertThatThrownBy(() -> bind("category = 'x' AND (NOT nope IS NULL)"))
        .hasMessageContaining("'nope'");
    assertThatThrownBy(() -> bind("S_INTERSECTS(shape, POINT(1 1))"))
        .hasMessageContaining("'shape'");
    assertThatThrownBy(() -> bind("category IN ('x', other)")).hasMessageContaining("'other'");
    assertThatThrownBy(() -> bind("CASEI(nope) = 'x'")).hasMessageContaining("'nope'");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          population LIKE '1%'                           | LIKE needs a string on its left but property 'population' is a number
          category = 5                                   | cannot compare property 'category' (a string) with the number 5 (a number) in =
          population = '5'                               | cannot compare property 'population' (a number) with the string '5' (a string)
          reported_at > '2024-05-01T00:00:00Z'           | write a timestamp as TIMESTAMP(
          urban > FALSE                                  | booleans can only be compared with = and <>, not >
          geometry = POINT(1 1)                          | = cannot compare geometries; use S_EQUALS
          S_INTERSECTS(category, POINT(1 1))             | S_INTERSECTS needs geometries but property 'category' is a string
          S_DWITHIN(geometry, 'here', 5, meters)         | S_DWITHIN needs geometries but the string 'here' is a string
          T_BEFORE(category, DATE('2024-01-01'))         | T_BEFORE needs timestamps, dates or intervals but property 'category' is a string
          T_BEFORE(INTERVAL(population, '..'), DATE('2024-01-01')) | an INTERVAL end must be a timestamp but property 'population' is a number
          category BETWEEN 'a' AND 'z'                   | BETWEEN needs numbers or timestamps
          population BETWEEN 1 AND 'z'                   | cannot compare property 'population' (a number) with the string 'z'
          category IN ('fire', 5)                        | cannot compare property 'category' (a string) with the number 5
          CASEI(population) = 'x'                        | CASEI needs a string but property 'population' is a number
          name LIKE 'abc\\'                              | ends with an escape character
          """)
  void typeErrorsNameTheOperatorAndTheOperand(String filter, String message) {
    assertThatThrownBy(() -> bind(filter))
        .isInstanceOf(Cql2Exception.class)
        .hasMessageContaining(message);
  }

  @Test
  void anOpenIntervalEndOutsideAnIntervalIsRefused() {
    Filter f =
        new Filter.Compare(
            ComparisonOperator.EQ, new Operand.Property("reported_at"), new Operand.OpenBound());
    assertThatThrownBy(() -> Cql2.bind(f, Cql2Fixtures.PUBLIC))
        .hasMessageContaining("'..' can only be used as an end of an INTERVAL");
  }

  @Test
  void theIndexEnvelopeComesFromSpatialPredicatesInAConjunction() {
    assertThat(bind("S_INTERSECTS(geometry, BBOX(1, 2, 3, 4))").indexEnvelope())
        .contains(new Envelope(1, 3, 2, 4));
    assertThat(bind("S_WITHIN(POINT(1 2), geom) AND category = 'x'").indexEnvelope())
        .contains(new Envelope(1, 1, 2, 2));
    assertThat(
            bind("category = 'x' AND S_INTERSECTS(geometry, BBOX(0, 0, 10, 10)) AND S_INTERSECTS(geometry, BBOX(5, 5, 20, 20))")
                .indexEnvelope())
        .contains(new Envelope(5, 10, 5, 10));
    assertThat(
            bind("S_INTERSECTS(geometry, BBOX(0, 0, 1, 1)) OR S_INTERSECTS(geometry, BBOX(5, 5, 6, 6))")
                .indexEnvelope())
        .contains(new Envelope(0, 6, 0, 6));
  }

  @Test
  void noIndexEnvelopeWhenTheFilterDoesNotBoundSpace() {
    assertThat(bind("category = 'x'").indexEnvelope()).isEmpty();
    assertThat(bind("S_DISJOINT(geometry, BBOX(0, 0, 1, 1))").indexEnvelope()).isEmpty();
    assertThat(bind("NOT S_INTERSECTS(geometry, BBOX(0, 0, 1, 1))").indexEnvelope()).isEmpty();
    assertThat(bind("S_INTERSECTS(geometry, BBOX(0, 0, 1, 1)) OR category = 'x'").indexEnvelope())
        .isEmpty();
    assertThat(bind("S_INTERSECTS(geometry, geom)").indexEnvelope()).isEmpty();
  }

  @Test
  void disjointConjunctsGiveANullEnvelopeMeaningNothingMatches() {
    Envelope e =
        bind("S_INTERSECTS(geometry, BBOX(0, 0, 1, 1)) AND S_INTERSECTS(geometry, BBOX(5, 5, 6, 6))")
            .indexEnvelope()
            .orElseThrow();
    assertThat(e.isNull()).isTrue();
  }

  @Test
  void aDwithinEnvelopeCoversTheDistanceInDegrees() {
    Envelope e =
        bind("S_DWITHIN(geometry, POINT(106.5 29.5), 1000, meters)").indexEnvelope().orElseThrow();
    // 1 km is ~0.00904 deg of latitude and ~0.01033 deg of longitude at 29.5 N
    assertThat(e.getMaxY() - 29.5).isBetween(0.00904, 0.0092);
    assertThat(e.getMaxX() - 106.5).isBetween(0.01033, 0.0105);
  }
}
