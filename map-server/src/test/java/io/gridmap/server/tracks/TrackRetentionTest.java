package io.gridmap.server.tracks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.live.PositionRoutes;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Point;

/** {@code track_retention_days}: the sweep deletes old tracks through the writer; 0 keeps none. */
class TrackRetentionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int GRID_CODE = Catalogue.FORCES.fieldIndex("grid_code");

  private static Feature force(int nth) {
    return TestCity.small().layer("forces").features().stream()
        .filter(f -> f.value(GRID_CODE) instanceof String g && g.startsWith("500103"))
        .skip(nth)
        .findFirst()
        .orElseThrow();
  }

  private static void post(TestServer server, Feature f, int n) throws Exception {
    Point at = (Point) f.geometry();
    Instant t0 = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.SECONDS);
    for (int i = 0; i < n; i++) {
      String body =
          "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"id\":"
              + f.id()
              + ",\"geometry\":{\"type\":\"Point\",\"coordinates\":["
              + (at.getX() + i * 1e-4)
              + ","
              + at.getY()
              + "]},\"properties\":{\"time\":\""
              + t0.plusSeconds(5L * i)
              + "\"}}]}";
      HttpResponse<String> r =
          server.send(
              "POST",
              PositionRoutes.PATH,
              body,
              "Content-Type",
              "application/geo+json",
              "Authorization",
              server.bearer("root", Role.ADMIN, ""));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
  }

  private static int vertices(TestServer server, Feature f) throws Exception {
    HttpResponse<String> r =
        server.getText(
            "/collections/forces/items/" + f.id() + "/track",
            "Authorization",
            server.bearer("root", Role.ADMIN, ""));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).get("properties").get("times").size();
  }

  @Test
  void theSweepDeletesTracksOlderThanTheRetentionThroughTheWriter() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestServer server =
        TestServer.startWithStore(TestCity.small(), TrackEndpointContract.SETTINGS)) {
      Feature f = force(0);
      post(server, f, 3);
      assertThat(vertices(server, f)).isEqualTo(3);

      // 31 days on, a 30-day retention finds the track old
      long later = System.currentTimeMillis() + Duration.ofDays(31).toMillis();
      TrackRetention sweep =
          new TrackRetention(
              vertx,
              server.server().writer(),
              Duration.ofDays(30),
              Duration.ofMillis(100),
              () -> later,
              () -> true);
      try {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (vertices(server, f) > 0 && System.nanoTime() < until) {
          Thread.sleep(100);
        }
        assertThat(vertices(server, f)).isZero();
      } finally {
        sweep.close();
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  @Test
  void withZeroDaysNoTrackIsRecorded() throws Exception {
    Map<String, String> settings = new HashMap<>(TrackEndpointContract.SETTINGS);
    settings.put("track_retention_days", "0");
    try (TestServer server = TestServer.startWithStore(TestCity.small(), settings)) {
      Feature f = force(1);
      post(server, f, 3);

      assertThat(vertices(server, f)).isZero();
    }
  }
}
