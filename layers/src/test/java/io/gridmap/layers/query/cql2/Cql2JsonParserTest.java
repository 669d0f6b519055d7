package io.gridmap.layers.query.cql2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Cql2JsonParserTest {

  @Test
  void geoJsonGeometriesBecomeGeometryLiterals() {
    Filter f =
        Cql2.parseJson(
            "{\"op\":\"s_intersects\",\"args\":[{\"property\":\"geometry\"},"
                + "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,1],[0,0]]],[[[2,2],[3,2],[3,3],[2,2]]]]}]}");
    Operand.GeometryLiteral g = (Operand.GeometryLiteral) ((Filter.Spatial) f).right();
    assertThat(g.geometry().getGeometryType()).isEqualTo("MultiPolygon");
    assertThat(g.geometry().getNumGeometries()).isEqualTo(2);
    assertThat(g.geometry().getSRID()).isEqualTo(4326);
  }

  @Test
  void largeIntegersStayExact() {
    Filter f = Cql2.parseJson("{\"op\":\"=\",\"args\":[{\"property\":\"id\"},500153001001001]}");
    assertThat(((Filter.Compare) f).right()).isEqualTo(Operand.NumberLiteral.of(500153001001001L));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"op":"=","args":[{"property":"a"}]}                          | at /args:     | '=' takes 2 arguments but found 1
          {"op":"and","args":[{"op":"=","args":[{"property":"a"},1]}]} | at /args:     | at least 2
          {"op":"=","args":[{"property":"a"},null]}                     | at /args/1:   | null is not a value
          {"op":"=","args":[{"property":""},1]}                         | at /args/0/property: | non-empty string
          {"op":"=","args":[{"property":"a"},{"timestamp":"yesterday"}]} | at /args/1/timestamp: | RFC 3339 timestamp
          {"op":"=","args":[{"property":"a"},{"date":"2024-02-30"}]}    | at /args/1/date: | the string '2024-02-30'
          {"op":"s_intersects","args":[{"property":"g"},{"type":"Circle","coordinates":[1,2]}]} | at /args/1/type: | 'Circle'
          {"op":"s_intersects","args":[{"property":"g"},{"type":"Point","coordinates":[1]}]} | at /args/1/coordinates: | expected a position
          {"op":"s_intersects","args":[{"property":"g"},{"type":"GeometryCollection","geometries":[]}]} | at /args/1/type: | not supported
          {"op":"s_intersects","args":[{"property":"g"},{"bbox":[1,2,3]}]} | at /args/1/bbox: | expected 4 numbers
          {"op":"s_dwithin","args":[{"property":"g"},{"type":"Point","coordinates":[1,2]},"far"]} | at /args/2: | expected a distance
          {"op":"in","args":[{"property":"a"},[]]}                      | at /args/1:   | non-empty array
          {"op":"like","args":[{"property":"a"},{"property":"b"}]}      | at /args/1:   | expected a LIKE pattern
          {"op":"not","args":[1]}                                       | at /args/0:   | expected a boolean expression
          {"op":7,"args":[]}                                            | at /op:       | expected an operator name
          {"args":[]}                                                   | at /:         | with an "op" member
          {"op":"=","args":[{"property":"a"},[1,2]]}                    | at /args/1:   | arrays are only allowed as the list of "in"
          {"op":"=","args":[{"property":"a"},{"op":"=","args":[1,1]}]}  | at /args/1:   | found the predicate
          {"op":"=","args":[{"property":"a","extra":1},1]}              | at /args/0:   | unexpected member 'extra'
          "category = 'fire'"                                           | at /:         | expected a boolean expression
          """)
  void jsonErrorsNameThePointerAndWhatWasExpected(String json, String where, String expected) {
    assertThatThrownBy(() -> Cql2.parseJson(json))
        .isInstanceOf(Cql2Exception.class)
        .hasMessageContaining(where)
        .hasMessageContaining(expected);
  }

  @Test
  void malformedJsonReportsLineAndColumn() {
    assertThatThrownBy(() -> Cql2.parseJson("{\"op\":\"=\",\n \"args\":[1,]}"))
        .isInstanceOf(Cql2Exception.class)
        .hasMessageContaining("line 2, column")
        .hasMessageContaining("malformed JSON");
  }

  @Test
  void malformedJsonIsExplainedWithoutTheLibrarysInternals() {
    for (String bad : new String[] {"{\"op\":\"=\", \"args\":[1,2]", "{\"op\" \"=\"}", "[1,"}) {
      assertThatThrownBy(() -> Cql2.parseJson(bad))
          .hasMessageContaining("malformed JSON")
          .hasMessageContaining("line 1, column")
          .satisfies(
              e ->
                  org.assertj.core.api.Assertions.assertThat(e.getMessage())
                      .doesNotContain("[Source")
                      .doesNotContain("start marker")
                      .doesNotContain("(code ")
                      .doesNotContain("`"));
    }
  }

  @Test
  void duplicateKeysAndTrailingContentAreRefused() {
    assertThatThrownBy(() -> Cql2.parseJson("{\"op\":\"=\",\"op\":\"<>\",\"args\":[1,1]}"))
        .hasMessageContaining("Duplicate field 'op'");
    assertThatThrownBy(() -> Cql2.parseJson("true false")).hasMessageContaining("malformed JSON");
  }

  @Test
  void unknownOperatorsAndTheOldFunctionFormAreUnknownFunctions() {
    assertThatThrownBy(() -> Cql2.parseJson("{\"op\":\"exec\",\"args\":[\"rm -rf /\"]}"))
        .isInstanceOfSatisfying(
            Cql2Exception.class,
            e -> assertThat(e.kind()).isEqualTo(Cql2Exception.Kind.UNKNOWN_FUNCTION))
        .hasMessageContaining("at /op: unknown operator or function 'exec'")
        .hasMessageContaining("s_intersects");
    assertThatThrownBy(
            () ->
                Cql2.parseJson(
                    "{\"op\":\"=\",\"args\":[{\"function\":{\"name\":\"exec\",\"args\":[]}},1]}"))
        .isInstanceOfSatisfying(
            Cql2Exception.class,
            e -> assertThat(e.kind()).isEqualTo(Cql2Exception.Kind.UNKNOWN_FUNCTION))
        .hasMessageContaining("at /args/0/function: unknown function 'exec'");
  }
}
