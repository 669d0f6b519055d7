package io.gridmap.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

/** The one reader of request bodies: JSON text, then GeoJSON members, each refusal by its path. */
class GeoJsonReaderTest {
  private static final GeometryFactory FACTORY = new GeometryFactory();

  /** The refusal of a body or member: its status and a detail holding every fragment. */
  private static String refused(Runnable read, int status, String... fragments) {
    ApiException[] e = new ApiException[1];
    assertThatThrownBy(read::run).isInstanceOfSatisfying(ApiException.class, x -> e[0] = x);
    assertThat(e[0].status()).as(e[0].getMessage()).isEqualTo(status);
    assertThat(e[0].getMessage()).contains(fragments);
    // our words only: nothing of the JSON library, JTS or a Java exception
    assertThat(e[0].getMessage())
        .doesNotContain("com.fasterxml", "[Source", "Exception", "jts", "Jackson", "`");
    return e[0].getMessage();
  }

  private static void text(String body, String... fragments) {
    refused(() -> GeoJsonReader.object(body, "FORM"), 400, fragments);
  }

  private static JsonNode json(String s) {
    return GeoJsonReader.object("{\"v\":" + s + "}", "FORM").get("v");
  }

  @Test
  void jsonSyntaxErrorsNameLineColumnTheTextThereAndTheEnclosingMember() {
    text("", "the request body is empty", "expected FORM");
    text(" \n ", "empty");
    text("not json", "not JSON", "'not json'", "line 1, column 1", "double quotes");
    text(
        "{\"features\": [\n  {\"geometry\": {\"coordinates\": [NaN, 30]}}]}",
        "'NaN, 30]}}]}'",
        "line 2, column 33",
        "inside features[0].geometry.coordinates",
        "finite");
    text(
        "{\"properties\": {\"name\": ",
        "not valid JSON",
        "end of the text",
        "line 1, column 25",
        "inside properties",
        "still open");
    text("{\"a\": 1} trailing", "'trailing'", "after the end of the value", "one JSON value");
    text("{\"a\": 1} {}", "'{}'", "after the end of the value");
    text("{\"a\": [1, 2,]}", "']}'", "inside a", "comma is followed");
    text("{\"a\": 1 \"b\": 2}", "'\"b\": 2}'", "line 1, column 9", "a comma separates");
    text("{'a': 1}", "double quotes");
    text("{\"a\": 01}", "leading zeros");
    text("{\"a\": \"x\ny\"}", "'x\\u000ay\"}'", "escape");
    text("{\"a\": \"\\q\"}", "backslash");
    text("[1,2]", "the request body '[1,2]' is not a JSON object", "expected FORM");
    text("\"x\"", "not a JSON object");
  }

  @Test
  void aRepeatedMemberIsRefusedByNameAndPlace() {
    text("{\"a\": 1, \"a\": 2}", "repeats the member \"a\"", "line 1, column 10", "once");
    text("{\"properties\": {\"name\": \"x\", \"name\": \"y\"}}", "\"name\"", "inside properties");
  }

  @Test
  void limitsOfDepthNumbersAndEncodingAreOurs() {
    text("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}", "more than 64 deep");
    text("{\"a\": 1" + "0".repeat(200) + "}", "a number longer than 100 characters");
    byte[] latin1 = "{\"name\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
    refused(() -> GeoJsonReader.object(latin1, "FORM"), 400, "not UTF-8", "byte 13 (0xE9)");
    byte[] bom = "\uFEFF{\"a\": 1}".getBytes(StandardCharsets.UTF_8);
    assertThat(GeoJsonReader.object(bom, "FORM").get("a").asInt()).isEqualTo(1);
  }

  @Test
  void featureCollectionsAndFeatures() {
    refused(
        () -> GeoJsonReader.features(json("{\"type\": \"Feature\"}"), "FORM"),
        400,
        "type='\"Feature\"' is invalid",
        "\"FeatureCollection\"");
    refused(
        () -> GeoJsonReader.features(json("{\"type\": \"FeatureCollection\"}"), "FORM"),
        400,
        "features=(missing) is not an array");
    refused(
        () ->
            GeoJsonReader.features(
                json("{\"type\": \"FeatureCollection\", \"features\": []}"), "FORM"),
        400,
        "features is empty");
    refused(
        () -> GeoJsonReader.feature(json("3"), "features[1]", "FORM"),
        400,
        "features[1]='3' is not a GeoJSON Feature; expected FORM");
    GeoJsonReader.feature(json("{\"geometry\": null}"), "features[0]", "FORM");
  }

  @Test
  void pointsArePositionsInsideTheirBounds() {
    GeoJsonReader.Bounds city =
        new GeoJsonReader.Bounds(new Envelope(105, 108, 29, 31), "the city");
    Coordinate c =
        GeoJsonReader.point(
            json("{\"type\": \"Point\", \"coordinates\": [106.5, 29.5, 300]}"), "g", city);
    assertThat(c.x).isEqualTo(106.5);
    assertThat(c.y).isEqualTo(29.5);
    refused(
        () -> GeoJsonReader.point(json("[106, 30]"), "features[2].geometry", city),
        400,
        "features[2].geometry='[106,30]' is not a GeoJSON Point");
    refused(
        () ->
            GeoJsonReader.point(
                json("{\"type\": \"LineString\", \"coordinates\": []}"),
                "features[2].geometry",
                city),
        400,
        "features[2].geometry.type='\"LineString\"' is invalid",
        "\"Point\"");
    refused(
        () ->
            GeoJsonReader.point(
                json("{\"type\": \"Point\", \"coordinates\": [106, \"30\"]}"), "g", city),
        400,
        "g.coordinates='[106,\"30\"]' is invalid",
        "[lon, lat]");
    refused(
        () ->
            GeoJsonReader.point(
                json("{\"type\": \"Point\", \"coordinates\": [30, 106]}"), "g", city),
        400,
        "g.coordinates='[30,106]' is outside the city",
        "within lon 105..108, lat 29..31");
    refused(
        () ->
            GeoJsonReader.position(json("[181, 0]"), "points[4]", GeoJsonReader.Bounds.WGS84, null),
        400,
        "points[4]='[181,0]' is outside the WGS84 range",
        "lon -180..180, lat -90..90");
  }

  private static final String SQUARE = "[[106,29],[106.1,29],[106.1,29.1],[106,29.1],[106,29]]";

  private static Geometry polygonal(String geometry, int budget) {
    return GeoJsonReader.polygonal(
        json(geometry),
        "features[3].geometry",
        FACTORY,
        new GeoJsonReader.Budget(budget, "one redraw"));
  }

  @Test
  void polygonsAndMultiPolygonsNameTheBadPositionByItsPath() {
    assertThat(polygonal("{\"type\": \"Polygon\", \"coordinates\": [" + SQUARE + "]}", 5).getArea())
        .isCloseTo(0.01, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(
            polygonal("{\"type\": \"MultiPolygon\", \"coordinates\": [[" + SQUARE + "]]}", 5)
                .getGeometryType())
        .isEqualTo("MultiPolygon");
    String bent = SQUARE.replace("[106.1,29.1]", "[106.1,\"29.1\"]");
    refused(
        () ->
            polygonal(
                "{\"type\": \"Polygon\", \"coordinates\": [" + SQUARE + "," + bent + "]}", 99),
        400,
        "features[3].geometry.coordinates[1][2]='[106.1,\"29.1\"]' is invalid",
        "[lon, lat]");
    refused(
        () ->
            polygonal(
                "{\"type\": \"MultiPolygon\", \"coordinates\": [["
                    + SQUARE
                    + "], ["
                    + SQUARE.replace("[106,29.1]", "[106,95]")
                    + "]]}",
                99),
        400,
        "features[3].geometry.coordinates[1][0][3]='[106,95]' is outside the WGS84 range");
    refused(
        () ->
            polygonal(
                "{\"type\": \"Polygon\", \"coordinates\": [[[106,29],[106.1,29],[106.1,29.1],[106,29.1]]]}",
                99),
        400,
        "features[3].geometry.coordinates[0] is not closed",
        "starts at [106.0, 29.0] and ends at [106.0, 29.1]");
    refused(
        () -> polygonal("{\"type\": \"Polygon\", \"coordinates\": [[[106,29],[106,29]]]}", 99),
        400,
        "features[3].geometry.coordinates[0] has 2 positions",
        "at least 4");
    refused(
        () -> polygonal("{\"type\": \"Point\", \"coordinates\": [106, 29]}", 99),
        400,
        "features[3].geometry.type='\"Point\"' is invalid",
        "\"Polygon\" or \"MultiPolygon\"");
    refused(
        () -> polygonal("{\"type\": \"Polygon\"}", 99),
        400,
        "features[3].geometry.coordinates=(missing) is invalid");
    refused(
        () -> polygonal("{\"type\": \"MultiPolygon\", \"coordinates\": []}", 99),
        400,
        "features[3].geometry.coordinates='[]' is empty");
    refused(
        () ->
            polygonal(
                "{\"type\": \"MultiPolygon\", \"coordinates\": [["
                    + SQUARE
                    + "], ["
                    + SQUARE
                    + "]]}",
                9),
        413,
        "features[3].geometry.coordinates[1][0] goes past 9 positions",
        "one redraw");
  }

  @Test
  void idsArePositiveIntegersAsNumbersOrStringsOfDigits() {
    assertThat(GeoJsonReader.positiveId(json("50010300100100100"), "id", "a force id"))
        .isEqualTo(50010300100100100L);
    assertThat(GeoJsonReader.positiveId(json("\"50010300100100100\""), "id", "a force id"))
        .isEqualTo(50010300100100100L);
    for (String bad :
        new String[] {
          "0", "-3", "1.5", "\"-3\"", "\"x1\"", "true", "null", "123456789012345678901234567890"
        }) {
      refused(
          () -> GeoJsonReader.positiveId(json(bad), "properties.worker_id", "a force id"),
          400,
          "properties.worker_id=",
          "a force id: a positive integer");
    }
  }
}
