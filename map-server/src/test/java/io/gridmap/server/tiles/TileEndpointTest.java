package io.gridmap.server.tiles;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.layers.geo.WebMercator;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.gridmap.tiler.geo.TileCoord;
import java.io.ByteArrayInputStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tile and TileJSON endpoints over HTTP, on a small generated city. */
class TileEndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestServer server;

  /** A z14 tile in 渝中's centre. */
  private static TileCoord core;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(TestCity.small());
    core = TileCoord.containing(WebMercator.x(106.57), WebMercator.y(29.555), 14);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static String path(TileCoord t) {
    return "/tiles/cq/" + t.z() + "/" + t.x() + "/" + t.y() + ".mvt";
  }

  @Test
  void tileIsGzippedMvtWithEtagCacheControlAndCors() throws Exception {
    var res = server.get(path(core), "Accept-Encoding", "gzip", "Origin", "http://example.org");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type"))
        .hasValue("application/vnd.mapbox-vector-tile");
    assertThat(res.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(res.headers().firstValue("ETag")).get().asString().startsWith("\"");
    assertThat(res.headers().firstValue("Cache-Control")).get().asString().contains("max-age");
    assertThat(res.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    byte[] raw = new GZIPInputStream(new ByteArrayInputStream(res.body())).readAllBytes();
    assertThat(raw.length).isGreaterThan(1000);
  }

  @Test
  void clientWithoutGzipGetsThePlainTile() throws Exception {
    var gz = server.get(path(core), "Accept-Encoding", "gzip");
    var plain = server.get(path(core), "Accept-Encoding", "identity");
    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(plain.body())
        .isEqualTo(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes());
  }

  @Test
  void matchingIfNoneMatchAnswers304WithoutBody() throws Exception {
    var first = server.get(path(core), "Accept-Encoding", "gzip");
    String etag = first.headers().firstValue("ETag").orElseThrow();
    var again = server.get(path(core), "Accept-Encoding", "gzip", "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    var other =
        server.get(path(core), "Accept-Encoding", "gzip", "If-None-Match", "\"something-else\"");
    assertThat(other.statusCode()).isEqualTo(200);
  }

  @Test
  void tileOutsideTheCityIsEmpty204() throws Exception {
    var res = server.get("/tiles/cq/14/0/0.mvt");
    assertThat(res.statusCode()).isEqualTo(204);
    assertThat(res.body()).isEmpty();
  }

  @Test
  void badCoordinatesAreProblemJsonNever500() throws Exception {
    String[][] cases = {
      {"/tiles/cq/15/0/0.mvt", "404", "z=15"},
      {"/tiles/cq/3/8/0.mvt", "400", "x=8"},
      {"/tiles/cq/3/0/-1.mvt", "400", "y=-1"},
      {"/tiles/cq/a/0/0.mvt", "400", "'a'"},
      {"/tiles/cq/3/0/0.png", "404", "'0.png'"},
      {"/tiles/cq/99999999999/0/0.mvt", "400", "99999999999"},
      {"/tiles/nope/1/0/0.mvt", "404", "'nope'"},
    };
    for (String[] c : cases) {
      var res = server.getText(c[0]);
      assertThat(res.statusCode()).as(c[0]).isEqualTo(Integer.parseInt(c[1]));
      assertThat(res.headers().firstValue("Content-Type"))
          .as(c[0])
          .hasValue("application/problem+json");
      JsonNode p = JSON.readTree(res.body());
      assertThat(p.get("status").asInt()).isEqualTo(Integer.parseInt(c[1]));
      assertThat(p.get("detail").asText()).as(c[0]).contains(c[2]);
    }
  }

  @Test
  void tileJsonNamesTheTilesUrlOfThisServerAndEveryLayer() throws Exception {
    var res = server.getText("/tiles/cq.json", "Origin", "http://example.org");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    JsonNode tj = JSON.readTree(res.body());
    assertThat(tj.get("tilejson").asText()).isEqualTo("3.0.0");
    assertThat(tj.get("tiles").get(0).asText())
        .isEqualTo(server.baseUrl() + "/tiles/cq/{z}/{x}/{y}.mvt");
    assertThat(tj.get("maxzoom").asInt()).isEqualTo(14);
    assertThat(tj.get("vector_layers").findValuesAsText("id"))
        .contains(
            "districts", "streets", "villages", "grids", "labels", "key_sites", "forces", "events");
  }

  @Test
  void responsesWithoutOriginStillAllowEveryOriginSoCachedCopiesServeEmbeddingPages()
      throws Exception {
    for (String path : new String[] {path(core), "/tiles/cq.json", "/styles/default.json"}) {
      var res = server.get(path, "Accept-Encoding", "gzip");
      assertThat(res.statusCode()).as(path).isEqualTo(200);
      assertThat(res.headers().firstValue("Access-Control-Allow-Origin")).as(path).hasValue("*");
    }
  }

  @Test
  void corsPreflightIsAnswered() throws Exception {
    var req =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + path(core)))
            .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
            .header("Origin", "http://example.org")
            .header("Access-Control-Request-Method", "GET")
            .build();
    var res = server.client().send(req, java.net.http.HttpResponse.BodyHandlers.discarding());
    assertThat(res.statusCode()).isBetween(200, 204);
    assertThat(res.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
  }
}
