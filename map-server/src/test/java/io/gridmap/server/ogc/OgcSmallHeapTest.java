package io.gridmap.server.ogc;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.server.testing.TestCity;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server process at {@code -Xmx256m} given the largest requests a client can make (a limit
 * of a billion over a whole-world bbox, in every collection, in EPSG:3857, through the domain
 * queries): every answer is 200 or 400, never 5xx, and the process neither dies nor runs out of
 * memory. Pages are capped at 10,000 features and 8 MiB of JSON.
 */
class OgcSmallHeapTest {
  @TempDir Path dir;

  @Test
  void hugeRequestsOnA256MegabyteHeapAre200Or400AndTheServerLives() throws Exception {
    Path gpkg = dir.resolve("city.gpkg");
    try (FeatureStore s = Stores.open(gpkg.toString())) {
      s.write(TestCity.small());
    }
    int port;
    try (ServerSocket ss = new ServerSocket(0)) {
      port = ss.getLocalPort();
    }
    Path log = dir.resolve("server.log");
    Path secret = dir.resolve("token.secret");
    Path conf = dir.resolve("server.conf");
    Files.writeString(
        conf,
        "token_secret_file = "
            + secret
            + "\napi_keys_file = "
            + dir.resolve("api_keys")
            + "\naudit_log = "
            + dir.resolve("audit.jsonl")
            + "\n");
    String bearer;
    io.vertx.core.Vertx vx = io.vertx.core.Vertx.vertx();
    try {
      bearer =
          "Bearer "
              + new io.gridmap.server.security.Tokens(
                      vx, io.gridmap.server.security.TokenKeys.loadOrCreate(secret))
                  .issue(
                      new io.gridmap.server.security.Principal(
                          "heap-test", io.gridmap.server.security.Role.ANALYST, "", "test"),
                      Duration.ofHours(1));
    } finally {
      vx.close();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                System.getProperty("java.class.path"),
                "io.gridmap.server.cli.Main",
                "serve",
                "--store",
                gpkg.toString(),
                "--port",
                Integer.toString(port),
                "--host",
                "127.0.0.1",
                "--config",
                conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String base = "http://127.0.0.1:" + port;
    try {
      waitReady(http, base, p, log);
      String world = "bbox=-180,-90,180,90&limit=1000000000";
      List<String> paths = new java.util.ArrayList<>();
      for (String c :
          List.of("districts", "streets", "villages", "grids", "key_sites", "forces", "events")) {
        paths.add("/collections/" + c + "/items?" + world);
        paths.add(
            "/collections/"
                + c
                + "/items?"
                + world
                + "&crs="
                + URLEncoder.encode(
                    "http://www.opengis.net/def/crs/EPSG/0/3857", StandardCharsets.UTF_8));
      }
      paths.add("/collections/grids/items?limit=99999999999999999999999&offset=0");
      paths.add("/collections/events/items?limit=1000000000&offset=999999999999");
      paths.add(
          "/query/within?collection=grids&limit=1000000000&polygon="
              + URLEncoder.encode(
                  "POLYGON((-180 -90, 180 -90, 180 90, -180 90, -180 -90))",
                  StandardCharsets.UTF_8));
      paths.add("/query/counts?collection=events&by=grid&" + "bbox=-180,-90,180,90");
      paths.add("/query/hotspots?collection=events&eps=1000&min_points=2");
      paths.add("/query/nearest?lon=0&lat=0&k=100&max_distance=100000");
      for (int round = 0; round < 2; round++) {
        for (String path : paths) {
          HttpResponse<byte[]> res =
              http.send(
                  HttpRequest.newBuilder(URI.create(base + path))
                      .header("Authorization", bearer)
                      .timeout(Duration.ofSeconds(120))
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
          assertThat(res.statusCode())
              .as(
                  path
                      + ": "
                      + new String(
                          res.body(), 0, Math.min(300, res.body().length), StandardCharsets.UTF_8))
              .isIn(200, 400);
          assertThat(res.body().length).as(path).isLessThan(OgcApi.MAX_PAGE_BYTES + (1 << 20));
        }
      }
      assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
      var health =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/health")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(Files.readString(log))
          .doesNotContain("OutOfMemoryError")
          .doesNotContain("unexpected failure");
    } finally {
      p.destroy();
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  static void waitReady(HttpClient http, String base, Process p, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      assertThat(p.isAlive()).as("server exited: " + Files.readString(log)).isTrue();
      try {
        var res =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError("server not ready in 90 s: " + Files.readString(log));
  }
}
