package io.gridmap.layers.query.cql2;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Text and JSON encodings of one filter give one tree, and each writer reads back to it. */
class Cql2RoundTripTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          category = 'fire'                                 | {"op":"=","args":[{"property":"category"},"fire"]}
          population <> 5                                   | {"op":"<>","args":[{"property":"population"},5]}
          area >= 2.5                                       | {"op":">=","args":[{"property":"area"},2.5]}
          urban = TRUE                                      | {"op":"=","args":[{"property":"urban"},true]}
          TRUE                                              | true
          a = 1 AND b = 2 AND c = 3                         | {"op":"and","args":[{"op":"=","args":[{"property":"a"},1]},{"op":"=","args":[{"property":"b"},2]},{"op":"=","args":[{"property":"c"},3]}]}
          a = 1 OR NOT b = 2                                | {"op":"or","args":[{"op":"=","args":[{"property":"a"},1]},{"op":"not","args":[{"op":"=","args":[{"property":"b"},2]}]}]}
          name LIKE 'Jie%'                                  | {"op":"like","args":[{"property":"name"},"Jie%"]}
          name NOT LIKE 'Jie%'                              | {"op":"not","args":[{"op":"like","args":[{"property":"name"},"Jie%"]}]}
          name LIKE CASEI('jie%')                           | {"op":"like","args":[{"property":"name"},{"casei":"jie%"}]}
          CASEI(name) = CASEI('Ciqikou')                    | {"op":"=","args":[{"casei":{"property":"name"}},{"casei":"Ciqikou"}]}
          population BETWEEN 10 AND 20                      | {"op":"between","args":[{"property":"population"},10,20]}
          category IN ('fire', 'flood')                     | {"op":"in","args":[{"property":"category"},["fire","flood"]]}
          closed_at IS NULL                                 | {"op":"isNull","args":[{"property":"closed_at"}]}
          closed_at IS NULL                                 | {"op":"isNull","args":{"property":"closed_at"}}
          closed_at IS NOT NULL                             | {"op":"not","args":[{"op":"isNull","args":[{"property":"closed_at"}]}]}
          S_INTERSECTS(geometry, POINT(106.5 29.5))         | {"op":"s_intersects","args":[{"property":"geometry"},{"type":"Point","coordinates":[106.5,29.5]}]}
          S_WITHIN(geometry, POLYGON((0 0, 1 0, 1 1, 0 0))) | {"op":"s_within","args":[{"property":"geometry"},{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}]}
          S_CONTAINS(geometry, LINESTRING(0 0, 1 1))        | {"op":"S_CONTAINS","args":[{"property":"geometry"},{"type":"LineString","coordinates":[[0,0],[1,1]]}]}
          S_DISJOINT(geometry, MULTIPOINT((0 0), (1 1)))    | {"op":"s_disjoint","args":[{"property":"geometry"},{"type":"MultiPoint","coordinates":[[0,0],[1,1]]}]}
          S_INTERSECTS(geometry, BBOX(106, 29, 107, 30))    | {"op":"s_intersects","args":[{"property":"geometry"},{"bbox":[106,29,107,30]}]}
          S_DWITHIN(geometry, POINT(1 2), 500, meters)      | {"op":"s_dwithin","args":[{"property":"geometry"},{"type":"Point","coordinates":[1,2]},500,"meters"]}
          S_DWITHIN(geometry, POINT(1 2), 500)              | {"op":"s_dwithin","args":[{"property":"geometry"},{"type":"Point","coordinates":[1,2]},500]}
          t > TIMESTAMP('2024-05-01T08:00:00Z')             | {"op":">","args":[{"property":"t"},{"timestamp":"2024-05-01T08:00:00Z"}]}
          t >= DATE('2024-05-01')                           | {"op":">=","args":[{"property":"t"},{"date":"2024-05-01"}]}
          T_DURING(t, INTERVAL('2024-05-01', '..'))         | {"op":"t_during","args":[{"property":"t"},{"interval":["2024-05-01",".."]}]}
          T_FINISHEDBY(INTERVAL(a, b), DATE('2024-05-01'))  | {"op":"t_finishedBy","args":[{"interval":[{"property":"a"},{"property":"b"}]},{"date":"2024-05-01"}]}
          T_BEFORE(t, TIMESTAMP('2024-05-01T00:00:00Z'))    | {"op":"t_before","args":[{"property":"t"},{"timestamp":"2024-05-01T00:00:00Z"}]}
          """)
  void textAndJsonEncodingsParseToTheSameTree(String text, String json) {
    assertThat(Cql2.parseJson(json)).isEqualTo(Cql2.parseText(text));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "category = 'fire'",
        "name = 'O''Brien''s'",
        "name = ''",
        "name = '多行\ntext\twith tabs'",
        "a = -0.0",
        "a = 1.0E-7",
        "a = -9223372036854775808",
        "a = 1e300",
        "\"and\" = 1",
        "\"POINT\" IS NULL",
        "\"two words\" = 1",
        "\"1st\" = 1",
        "名称 = '网格'",
        "ns:a.b = 1",
        "a = 1 OR b = 2 AND c = 3",
        "(a = 1 OR b = 2) AND c = 3",
        "NOT (a = 1 OR b = 2)",
        "NOT NOT a = 1",
        "NOT a NOT LIKE 'x'",
        "NOT TRUE",
        "FALSE OR TRUE",
        "a = 1 AND (b = 2 OR (c = 3 AND NOT (d = 4 OR e = 5)))",
        "name LIKE '100\\%%' AND name NOT LIKE '_x'",
        "a NOT BETWEEN 1 AND 2.5",
        "a IN ('x', 'y', 'z') AND b NOT IN (1, 2)",
        "a IS NULL OR a IS NOT NULL",
        "CASEI(name) IN (CASEI('A'), 'b')",
        "S_INTERSECTS(geometry, POINT(106.55 29.56))",
        "S_INTERSECTS(geometry, POINT Z (106.55 29.56 300))",
        "S_EQUALS(geom, LINESTRING(0 0, 1 1, 2 0))",
        "S_TOUCHES(geom, POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (1 1, 2 1, 2 2, 1 1)))",
        "S_OVERLAPS(geom, MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5))))",
        "S_CROSSES(geom, MULTILINESTRING((0 0, 1 1), (2 2, 3 3)))",
        "S_WITHIN(POINT(1 1), geometry)",
        "S_INTERSECTS(geometry, BBOX(-180, -90, 180, 90))",
        "S_DWITHIN(geometry, POINT(106.5 29.5), 1.5, kilometers)",
        "S_DWITHIN(geometry, POINT(106.5 29.5), 100, feet)",
        "T_INTERSECTS(reported_at, INTERVAL('..', '2024-05-01T08:00:00.123Z'))",
        "T_EQUALS(INTERVAL(reported_at, closed_at), INTERVAL('2024-01-01', '2024-12-31'))",
        "T_METBY(reported_at, TIMESTAMP('2024-05-01T23:59:59.999999999Z'))",
        "reported_at BETWEEN DATE('2024-01-01') AND TIMESTAMP('2024-02-01T00:00:00Z')",
      })
  void writtenTextAndJsonReadBackToTheSameTree(String text) {
    Filter parsed = Cql2.parseText(text);
    String written = Cql2.toText(parsed);
    assertThat(Cql2.parseText(written)).as(written).isEqualTo(parsed);
    assertThat(Cql2.toText(Cql2.parseText(written))).as("writing is stable").isEqualTo(written);
    String json = Cql2.toJson(parsed);
    assertThat(Cql2.parseJson(json)).as(json).isEqualTo(parsed);
  }
}
