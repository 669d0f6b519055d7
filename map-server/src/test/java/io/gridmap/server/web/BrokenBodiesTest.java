package io.gridmap.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Broken bodies posted to every handler that reads one, end to end: each is a problem whose detail
 * names the member by its path (or the line and column where the text stops being JSON) and the
 * accepted form, in our words, with nothing of Jackson, Vert.x or JTS in it.
 */
class BrokenBodiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestServer server;
  private static long grid;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.startWithStore(TestCity.small(), Map.of());
    grid =
        server.server().content().index().layer("grids").features().stream()
            .filter(f -> f.string(0).startsWith("500103"))
            .mapToLong(Feature::id)
            .min()
            .orElseThrow();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  /**
   * The detail of a refusal, checked for its status, the fragments and the absence of internals.
   */
  private static String refused(HttpResponse<String> res, int status, String... fragments)
      throws Exception {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
    assertThat(res.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    String detail = JSON.readTree(res.body()).get("detail").asText();
    assertThat(detail).contains(fragments);
    assertThat(detail)
        .doesNotContain(
            "com.fasterxml",
            "[Source",
            "Exception",
            "jts",
            "locationtech",
            "Jackson",
            "JsonReadFeature",
            "code 1", // Jackson's "(code 120)" for a character
            "`");
    return detail;
  }

  private static HttpResponse<String> positions(String body) throws Exception {
    return server.send(
        "POST",
        "/live/positions",
        body,
        "Content-Type",
        "application/geo+json",
        "Authorization",
        server.bearer(Role.ADMIN, ""));
  }

  private static HttpResponse<String> redraw(String body) throws Exception {
    return server.send(
        "POST",
        "/edits/grids",
        body,
        "Content-Type",
        "application/geo+json",
        "Authorization",
        server.bearer(Role.PLANNER, "500103"));
  }

  private static HttpResponse<String> patch(String body) throws Exception {
    return server.send(
        "PATCH",
        "/collections/grids/items/" + grid,
        body,
        "Content-Type",
        "application/merge-patch+json",
        "Authorization",
        server.bearer(Role.PLANNER, "500103"));
  }

  private static HttpResponse<String> locate(String body) throws Exception {
    return server.send(
        "POST",
        "/query/locate",
        body,
        "Content-Type",
        "application/json",
        "Authorization",
        server.analyst());
  }

  private static String point(String id, String coordinates) {
    return "{\"type\":\"Feature\",\"id\":"
        + id
        + ",\"geometry\":{\"type\":\"Point\",\"coordinates\":"
        + coordinates
        + "}}";
  }

  private static String batch(String... features) {
    return "{\"type\":\"FeatureCollection\",\"features\":[" + String.join(",", features) + "]}";
  }

  @Test
  void positionBatches() throws Exception {
    String ok = point("7", "[106.5, 29.5]");
    refused(
        positions(batch(ok, point("8", "[106.5, NaN]"))),
        400,
        "not valid JSON",
        "'NaN]}}]}'",
        "line 1, column",
        "inside features[1].geometry.coordinates",
        "finite");
    refused(
        positions(
            "{\"type\":\"FeatureCollection\",\"features\":[" + ok + ",\n" + ok.substring(0, 72)),
        400,
        "the end of the text at line 2",
        "inside features[1].geometry.coordinates",
        "still open");
    refused(
        positions(batch(ok, point("8", "[106.5]"))),
        400,
        "features[1].geometry.coordinates='[106.5]' is invalid",
        "[lon, lat]");
    refused(
        positions(batch(ok, point("8", "[1e400, 29.5]"))),
        400,
        "features[1].geometry.coordinates='[Infinity,29.5]' is outside the city");
    refused(
        positions(batch(ok, ok.replace("\"id\":7", "\"id\":7,\"id\":8"))),
        400,
        "repeats the member \"id\"",
        "inside features[1]");
    refused(
        positions(batch(ok, point("\"8x\"", "[106.5, 29.5]"))),
        400,
        "features[1].id='\"8x\"' is invalid",
        "positive integer");
  }

  @Test
  void gridRedraws() throws Exception {
    String square = "[[106.5,29.5],[106.6,29.5],[106.6,\"29.6\"],[106.5,29.6],[106.5,29.5]]";
    refused(
        redraw(
            batch(
                "{\"type\":\"Feature\",\"id\":"
                    + grid
                    + ",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["
                    + square
                    + "]}}")),
        400,
        "features[0].geometry.coordinates[0][2]='[106.6,\"29.6\"]' is invalid",
        "[lon, lat]");
    refused(
        redraw(
            batch(
                "{\"type\":\"Feature\",\"id\":"
                    + grid
                    + ",\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[[["
                    + "[106.5,29.5],[200,29.5],[106.6,29.6],[106.5,29.5]]]]}}")),
        400,
        "features[0].geometry.coordinates[0][0][1]='[200,29.5]' is outside the WGS84 range");
    refused(
        redraw("{\"type\":\"FeatureCollection\",\"features\":[{type:\"Feature\"}]}"),
        400,
        "'type:\"Feature\"}]}'",
        "line 1, column 42",
        "inside features[0]",
        "double quotes");
  }

  @Test
  void gridUpdates() throws Exception {
    refused(
        patch("{\"properties\": {\"name\": 'x'}}"),
        400,
        "''x'}}'",
        "line 1, column 25",
        "inside properties",
        "double quotes");
    refused(
        patch("{\"properties\": {\"population\": 12,}}"),
        400,
        "inside properties",
        "a comma is followed by another member");
    refused(
        patch("{\"properties\": {\"population\": \"five\"}}"),
        400,
        "properties.population='\"five\"' is invalid",
        "an integer");
  }

  @Test
  void batchLocate() throws Exception {
    refused(
        locate("{\"points\": [[106.5, 29.5], [106.5, \"29.5\"]]}"),
        400,
        "points[1]='[106.5,\"29.5\"]' is invalid",
        "[lon, lat]",
        "{\"points\"");
    refused(
        locate("{\"points\": [[106.5, 29.5], [106.5, 29.5]"),
        400,
        "the end of the text",
        "inside points",
        "{\"points\"");
    refused(locate("{\"points\": [[106.5, 95]]}"), 400, "points[0]='[106.5,95]' is outside");
  }

  @Test
  void aWktPolygonParameterIsDescribedInOurWords() throws Exception {
    String within = "/query/within?collection=events&polygon=";
    refused(
        server.getText(
            within + enc("POLYGON((106.5 29.5, 106.6 x, 106.6 29.6, 106.5 29.5))"),
            "Authorization",
            server.analyst()),
        400,
        "parameter polygon=",
        "at character 28: expected a number but found 'x'");
    refused(
        server.getText(
            within + enc("POLYGON((106.5 29.5, 106.6 29.5, 106.6 29.6, 106.5 29.5)) junk"),
            "Authorization",
            server.analyst()),
        400,
        "expected the end of the text but found 'junk'");
    refused(
        server.getText(
            within + enc("POLYGON((106.5 29.5, 106.6 29.5, 106.6 29.6, 106.5 29.7))"),
            "Authorization",
            server.analyst()),
        400,
        "the outer ring is not closed");
  }

  @Test
  void aTokenThatIsNoJwtIsNamedSo() throws Exception {
    String header =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{x".getBytes(StandardCharsets.UTF_8));
    refused(
        server.getText("/collections/grids/items?limit=1", "Authorization", "Bearer abc"),
        401,
        "token rejected: it is not a JWT");
    refused(
        server.getText(
            "/collections/grids/items?limit=1", "Authorization", "Bearer " + header + ".e30.AAAA"),
        401,
        "its header part is not base64url-encoded JSON");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
