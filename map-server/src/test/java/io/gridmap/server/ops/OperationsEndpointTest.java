package io.gridmap.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.model.Dataset;
import io.gridmap.server.MapServer;
import io.gridmap.server.config.ServerConfig;
import io.gridmap.server.content.Content;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /health, /metrics and the access log. */
class OperationsEndpointTest {
  @TempDir Path dir;

  @Test
  void anExceptionNoHandlerCaughtIsCounted() throws Exception {
    try (TestServer s = TestServer.start(io.gridmap.layers.testing.TestDatasets.tiny())) {
      assertThat(s.server().uncaughtExceptions()).isZero();
      s.server()
          .vertx()
          .runOnContext(
              v -> {
                throw new IllegalStateException("a bug in a callback");
              });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (s.server().uncaughtExceptions() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(s.server().uncaughtExceptions()).isEqualTo(1);
      assertThat(s.get("/health").statusCode()).as("the server still answers").isEqualTo(200);
    }
  }

  @Test
  void healthIs503WhileLoadingAnd200WhenReady() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Dataset city = TestCity.small();
    ServerConfig config = ServerConfig.of(TestServer.isolatedSettings());
    try (MapServer s =
        MapServer.start(
            config,
            () -> {
              release.await(10, TimeUnit.SECONDS);
              return Content.of(city, 1 << 20, "test city");
            })) {
      HttpClient http = HttpClient.newHttpClient();
      URI health = URI.create("http://127.0.0.1:" + s.port() + "/health");
      var loading =
          http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(loading.statusCode()).isEqualTo(503);
      assertThat(loading.body()).contains("\"loading\"");
      var tile =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + s.port() + "/tiles/cq/0/0/0.mvt"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(tile.statusCode()).isEqualTo(503);
      assertThat(tile.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      release.countDown();
      s.ready().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      var ready =
          http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).contains("\"ready\"").contains("\"grids\"");
    }
  }

  @Test
  void failedLoadIsReportedByHealth() throws Exception {
    ServerConfig config = ServerConfig.of(TestServer.isolatedSettings());
    try (MapServer s =
        MapServer.start(
            config,
            () -> {
              throw new IllegalStateException("store x.gpkg does not exist");
            })) {
      try {
        s.ready().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception expected) {
        // the failure is what this test looks at
      }
      var res =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/health"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(res.statusCode()).isEqualTo(503);
      assertThat(res.body()).contains("failed").contains("x.gpkg does not exist");
    }
  }

  @Test
  void metricsCountRequestsByRouteStatusAndZoomAndReportTheTileCache() throws Exception {
    try (TestServer s = TestServer.start(TestCity.small())) {
      s.get("/tiles/cq/12/3260/1695.mvt", "Accept-Encoding", "gzip");
      s.get("/tiles/cq/12/3260/1695.mvt", "Accept-Encoding", "gzip");
      s.get("/tiles/cq/3/99/0.mvt");
      assertThat(s.getText("/metrics").statusCode()).as("metrics are for admins").isEqualTo(401);
      var res =
          s.getText(
              "/metrics", "Authorization", s.bearer(io.gridmap.server.security.Role.ADMIN, ""));
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.headers().firstValue("Content-Type"))
          .get()
          .asString()
          .startsWith("text/plain");
      String m = res.body();
      assertThat(m)
          .containsPattern(
              "http_server_requests_seconds_count\\{[^}]*route=\"/tiles/cq/\\{z\\}/\\{x\\}/\\{y\\}.mvt\"[^}]*status=\"200\"[^}]*zoom=\"12\"[^}]*\\} 2")
          .containsPattern(
              "http_server_requests_seconds_count\\{[^}]*status=\"400\"[^}]*zoom=\"\"[^}]*\\} 1")
          .containsPattern("http_server_requests_seconds_bucket\\{")
          .containsPattern("tile_cache_hits_total \\d")
          .containsPattern("tile_cache_hit_ratio 0\\.5")
          .contains("tile_cache_bytes");
    }
  }

  @Test
  void accessLogWritesOneLinePerRequest() throws Exception {
    Path log = dir.resolve("logs/access.log");
    try (TestServer s = TestServer.start(TestCity.small(), Map.of("access_log", log.toString()))) {
      s.get("/health");
      s.get("/tiles/cq/0/0/0.mvt", "Accept-Encoding", "gzip");
      s.get("/nowhere");
    }
    var lines = Files.readAllLines(log);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).contains("GET /health 200");
    assertThat(lines.get(1)).contains("GET /tiles/cq/0/0/0.mvt 200");
    assertThat(lines.get(2)).contains("GET /nowhere 404").matches(".* \\d+\\.\\d\\dms$");
  }
}
