package io.gridmap.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.MapServer;
import io.gridmap.server.config.ServerConfig;
import io.gridmap.server.content.Content;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Readiness, liveness, and what /health tells each class of caller. */
class HealthTest {

  @Test
  void livenessAnswersWhileTheMapIsStillLoading() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Dataset city = TestCity.small();
    try (MapServer s =
        MapServer.start(
            ServerConfig.of(TestServer.isolatedSettings()),
            () -> {
              release.await(10, TimeUnit.SECONDS);
              return Content.of(city, 1 << 20, "test city");
            })) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + s.port();
      var live =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/health/live")).build(),
              HttpResponse.BodyHandlers.ofString());
      var ready =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/health")).build(),
              HttpResponse.BodyHandlers.ofString());
      release.countDown();
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(live.body()).contains("\"alive\"");
      assertThat(ready.statusCode()).isEqualTo(503);
    }
  }

  @Test
  void anonymousHealthCountsWhatThePublicSeesAndStaffCountEverything() throws Exception {
    Dataset city = TestCity.small();
    long all = city.layer("key_sites").features().size();
    long personal = city.layer("key_sites").features().stream().filter(Feature::personal).count();
    assertThat(personal).as("the test city has homes of elderly people").isPositive();
    try (TestServer s = TestServer.start(city)) {
      JsonObject anonymous = new JsonObject(s.getText("/health").body());
      JsonObject staff =
          new JsonObject(
              s.getText("/health", "Authorization", s.bearer(Role.COMMANDER, "")).body());
      assertThat(counts(anonymous).getLong("key_sites")).isEqualTo(all - personal);
      assertThat(counts(staff).getLong("key_sites")).isEqualTo(all);
      // the public count of the queries says the same
      JsonObject publicCount =
          new JsonObject(s.getText("/query/counts?collection=key_sites&by=district").body());
      long sum = 0;
      for (Object g : publicCount.getJsonArray("groups")) {
        sum += ((JsonObject) g).getLong("count");
      }
      assertThat(sum).isEqualTo(all - personal);
    }
  }

  @Test
  void theShippedFontsDrawChineseLabelsAndHealthHasNoWarning() throws Exception {
    try (TestServer s = TestServer.start(TestCity.small())) {
      JsonObject health = new JsonObject(s.getText("/health").body());
      assertThat(health.containsKey("warnings")).as(health.encode()).isFalse();
      String style = s.getText("/styles/default.json").body();
      String font =
          new JsonObject(style)
              .getJsonArray("layers").stream()
                  .map(l -> ((JsonObject) l).getJsonObject("layout"))
                  .filter(l -> l != null && l.containsKey("text-font"))
                  .map(l -> l.getJsonArray("text-font").getString(0))
                  .findFirst()
                  .orElseThrow();
      // 渝 (U+6E1D) is in 28160-28415
      var range =
          s.get(
              "/fonts/"
                  + URLEncoder.encode(font, StandardCharsets.UTF_8).replace("+", "%20")
                  + "/28160-28415.pbf");
      assertThat(range.statusCode()).isEqualTo(200);
      assertThat(range.body().length).as("glyphs of " + font).isGreaterThan(50_000);
    }
  }

  private static JsonObject counts(JsonObject health) {
    return health.getJsonObject("dataset").getJsonObject("counts");
  }
}
