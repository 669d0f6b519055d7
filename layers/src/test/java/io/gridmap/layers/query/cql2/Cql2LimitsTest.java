package io.gridmap.layers.query.cql2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Each limit is enforced with an error that names it, and nothing deep or large blows the stack.
 */
class Cql2LimitsTest {

  static void assertLimit(Runnable r, String limitName) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(
            Cql2Exception.class, e -> assertThat(e.kind()).isEqualTo(Cql2Exception.Kind.LIMIT))
        .hasMessageContaining(limitName);
  }

  @Test
  void textLongerThanTheLimitIsRefusedBeforeParsing() {
    String filter = "name = '" + "x".repeat(10_000) + "'";
    assertLimit(() -> Cql2.parseText(filter), "the limit is 10000 (maxTextLength)");
    assertThat(Cql2.parseText(filter, Cql2Limits.DEFAULTS.withMaxTextLength(20_000))).isNotNull();
  }

  @Test
  void jsonLongerThanTheLimitIsRefusedBeforeParsing() {
    String json =
        "{\"op\":\"=\",\"args\":[{\"property\":\"name\"},\"" + "x".repeat(50_000) + "\"]}";
    assertLimit(() -> Cql2.parseJson(json), "(maxJsonLength)");
  }

  @Test
  void nestingDeeperThanTheLimitIsRefused() {
    String notChain = "NOT ".repeat(60) + "a = 1";
    assertLimit(() -> Cql2.parseText(notChain), "deeper than 50 levels (limit maxDepth)");
    String parens = "(".repeat(60) + "a = 1" + ")".repeat(60);
    assertLimit(() -> Cql2.parseText(parens), "(limit maxDepth)");
    assertThat(Cql2.parseText("NOT ".repeat(40) + "a = 1")).isNotNull();
    assertThatThrownBy(() -> Cql2.parseText(parens)).hasMessageStartingWith("at column 51:");
  }

  @Test
  void pathologicalNestingNeverOverflowsTheStack() {
    Cql2Limits roomy =
        Cql2Limits.DEFAULTS.withMaxTextLength(2_000_000).withMaxJsonLength(2_000_000);
    assertLimit(() -> Cql2.parseText("(".repeat(500_000), roomy), "maxDepth");
    assertLimit(() -> Cql2.parseText("CASEI(".repeat(100_000) + "a) = 'x'", roomy), "maxDepth");
    String deepJson = "{\"op\":\"not\",\"args\":[".repeat(60) + "true" + "]}".repeat(60);
    assertLimit(() -> Cql2.parseJson(deepJson), "maxDepth");
    String deepArrays = "[".repeat(200_000) + "]".repeat(200_000);
    assertLimit(() -> Cql2.parseJson(deepArrays, roomy), "maxDepth");
  }

  @Test
  void longInListsAreRefused() {
    String items =
        IntStream.range(0, 1001).mapToObj(Integer::toString).collect(Collectors.joining(", "));
    assertLimit(
        () -> Cql2.parseText("id IN (" + items + ")"), "more than 1000 items (limit maxListSize)");
    assertLimit(
        () -> Cql2.parseJson("{\"op\":\"in\",\"args\":[{\"property\":\"id\"},[" + items + "]]}"),
        "(maxListSize)");
    assertThat(
            Cql2.parseText(
                "id IN (" + items + ")",
                Cql2Limits.DEFAULTS.withMaxTextLength(100_000).withMaxListSize(1001)))
        .isNotNull();
  }

  @Test
  void geometryVerticesAreCountedAcrossTheWholeFilter() {
    Cql2Limits five = Cql2Limits.DEFAULTS.withMaxVertices(5);
    assertThat(
            Cql2.parseText(
                "S_INTERSECTS(g, POLYGON((0 0, 1 0, 1 1, 0 0))) OR S_INTERSECTS(g, POINT(1 1))",
                five))
        .isNotNull();
    assertLimit(
        () ->
            Cql2.parseText(
                "S_INTERSECTS(g, POLYGON((0 0, 1 0, 1 1, 0 0))) OR S_INTERSECTS(g, LINESTRING(1 1, 2 2))",
                five),
        "more than 5 vertices in total (limit maxVertices)");
    assertLimit(
        () ->
            Cql2.parseJson(
                "{\"op\":\"s_intersects\",\"args\":[{\"property\":\"g\"},{\"type\":\"MultiPoint\",\"coordinates\":"
                    + "[[0,0],[1,1],[2,2],[3,3],[4,4],[5,5]]}]}",
                five),
        "(limit maxVertices)");
  }

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> Cql2Limits.DEFAULTS.withMaxDepth(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cql2Limits.DEFAULTS.withMaxDepth(5000))
        .hasMessageContaining("at most 1000");
  }
}
