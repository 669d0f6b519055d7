package io.gridmap.server.tiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.gridmap.tiler.geo.TileCoord;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tile lane answers a cached public tile before the router exactly as the router would: the
 * same status, bytes and headers (a trailing {@code ?} sends the same request through the router),
 * counted in {@code tile_lane_responses} and written to the access log; every request it must not
 * take (credentials, HEAD, no gzip, an uncached tile, a bad path, a client over its rate) is the
 * router's.
 */
class TileLaneTest {
  private static TestServer server;
  private static Path accessLog;

  /** A z14 tile in 渝中's centre, and one far outside the city (empty). */
  private static String core;

  private static final String EMPTY = "/tiles/cq/14/0/0.mvt";

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> settings = TestServer.isolatedSettings();
    accessLog = Files.createTempDirectory("lane").resolve("access.log");
    settings.put("access_log", accessLog.toString());
    server = TestServer.start(TestCity.small(), settings);
    TileCoord t = TileCoord.containing(WebMercator.x(106.57), WebMercator.y(29.555), 14);
    core = "/tiles/cq/" + t.z() + "/" + t.x() + "/" + t.y() + ".mvt";
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static long laneResponses() throws Exception {
    String metrics =
        server.getText("/metrics", "Authorization", server.bearer(Role.ADMIN, "")).body();
    Matcher m = Pattern.compile("(?m)^tile_lane_responses_total (\\S+)").matcher(metrics);
    assertThat(m.find()).as("tile_lane_responses in /metrics").isTrue();
    return (long) Double.parseDouble(m.group(1));
  }

  /** Headers but the request id (each request its own) and those the transport sets. */
  private static Map<String, List<String>> headers(HttpResponse<?> res, boolean withId) {
    Map<String, List<String>> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    res.headers()
        .map()
        .forEach(
            (k, v) -> {
              if (withId || !k.equalsIgnoreCase("X-Request-Id")) {
                out.put(k, v);
              }
            });
    return out;
  }

  private static void sameAsTheRouter(String path, boolean withId, String... headers)
      throws Exception {
    HttpResponse<byte[]> routed = server.get(path + "?", headers);
    long before = laneResponses();
    HttpResponse<byte[]> lane = server.get(path, headers);
    assertThat(laneResponses()).as("the lane answered %s", path).isEqualTo(before + 1);
    assertThat(lane.statusCode()).isEqualTo(routed.statusCode());
    assertThat(lane.body()).isEqualTo(routed.body());
    assertThat(headers(lane, withId)).isEqualTo(headers(routed, withId));
    assertThat(lane.headers().firstValue("X-Request-Id")).isPresent();
  }

  @Test
  void aCachedTileIsAnsweredByTheLaneAsTheRouterAnswersIt() throws Exception {
    server.get(core, "Accept-Encoding", "gzip"); // cached
    server.get(EMPTY, "Accept-Encoding", "gzip");
    sameAsTheRouter(core, false, "Accept-Encoding", "gzip");
    sameAsTheRouter(EMPTY, false, "Accept-Encoding", "gzip");
    // an empty tile needs no encoding: the lane's for any client (wrk sends no Accept-Encoding)
    sameAsTheRouter(EMPTY, false);
    sameAsTheRouter(core, false, "Accept-Encoding", "gzip, deflate, br", "Origin", "http://a.org");
    sameAsTheRouter(EMPTY, false, "Accept-Encoding", "gzip", "Origin", "http://a.org");
    String etag = server.get(core, "Accept-Encoding", "gzip").headers().firstValue("ETag").get();
    sameAsTheRouter(core, false, "Accept-Encoding", "gzip", "If-None-Match", etag);
    String empty = server.get(EMPTY, "Accept-Encoding", "gzip").headers().firstValue("ETag").get();
    sameAsTheRouter(EMPTY, false, "Accept-Encoding", "gzip", "If-None-Match", "W/" + empty);
    // a proxy's sane request id comes back from both
    sameAsTheRouter(core, true, "Accept-Encoding", "gzip", "X-Request-Id", "edge-42");
    assertThat(server.get(core, "Accept-Encoding", "gzip").statusCode()).isEqualTo(200);
  }

  @Test
  void theLanesRequestsAreInTheAccessLog() throws Exception {
    server.get(core, "Accept-Encoding", "gzip");
    long before = laneResponses();
    String id = "lane-log-7";
    server.get(core, "Accept-Encoding", "gzip", "X-Request-Id", id);
    assertThat(laneResponses()).isEqualTo(before + 1);
    String line = "";
    for (int i = 0; i < 100 && line.isEmpty(); i++) {
      line =
          Files.readAllLines(accessLog).stream()
              .filter(l -> l.contains(" " + id + " "))
              .findFirst()
              .orElse("");
      Thread.sleep(50);
    }
    assertThat(line).contains("127.0.0.1 " + id + " GET " + core + " 200 ");
  }

  @Test
  void requestsTheLaneMustNotTakeGoToTheRouter() throws Exception {
    server.get(core, "Accept-Encoding", "gzip");
    long before = laneResponses();
    // a staff caller: the staff class's tiles, the router's
    assertThat(
            server
                .get(
                    core,
                    "Accept-Encoding",
                    "gzip",
                    "Authorization",
                    server.bearer(Role.ANALYST, ""))
                .statusCode())
        .isEqualTo(200);
    // an unknown API key is refused by the gate, not served by the lane
    assertThat(server.get(core, "Accept-Encoding", "gzip", "X-API-Key", "nope").statusCode())
        .isEqualTo(401);
    // no gzip: decompressed by the router
    assertThat(server.get(core, "Accept-Encoding", "identity").statusCode()).isEqualTo(200);
    // HEAD
    assertThat(server.send("HEAD", core, "").statusCode()).isEqualTo(200);
    // a zoom out of range, a sign, an escape: the router names the problem
    assertThat(server.get("/tiles/cq/15/0/0.mvt", "Accept-Encoding", "gzip").statusCode())
        .isEqualTo(404);
    assertThat(server.get("/tiles/cq/14/-1/0.mvt", "Accept-Encoding", "gzip").statusCode())
        .isEqualTo(400);
    assertThat(server.get("/tiles/cq/14/%31/0.mvt", "Accept-Encoding", "gzip").statusCode())
        .isNotEqualTo(200);
    // a tile in the city not drawn yet is rendered by the router (on a worker)
    TileCoord next = TileCoord.containing(WebMercator.x(106.58), WebMercator.y(29.56), 13);
    assertThat(
            server
                .get(
                    "/tiles/cq/13/" + next.x() + "/" + next.y() + ".mvt", "Accept-Encoding", "gzip")
                .statusCode())
        .isEqualTo(200);
    assertThat(laneResponses()).as("none of these took the lane").isEqualTo(before);
  }

  @Test
  void aClientOverItsRateGetsTheRoutersProblem() throws Exception {
    Map<String, String> settings = TestServer.isolatedSettings();
    settings.put("rate_limit_per_s", "1");
    settings.put("rate_limit_burst", "3");
    try (TestServer limited = TestServer.start(TestCity.small(), settings)) {
      int[] codes = new int[5];
      for (int i = 0; i < codes.length; i++) {
        codes[i] = limited.get(EMPTY, "Accept-Encoding", "gzip").statusCode();
      }
      assertThat(codes).containsExactly(204, 204, 204, 429, 429);
      HttpResponse<String> refused = limited.getText(EMPTY, "Accept-Encoding", "gzip");
      assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    }
  }

  @Test
  void parseTakesOnlyPlainTilesInRange() {
    assertThat(TileLane.parse("/tiles/cq/14/13398/6858.mvt"))
        .isEqualTo(TileCoord.ofXYZ(13398, 6858, 14));
    assertThat(TileLane.parse("/tiles/cq/0/0/0.mvt")).isEqualTo(TileCoord.ofXYZ(0, 0, 0));
    for (String bad :
        List.of(
            "/tiles/cq/15/0/0.mvt",
            "/tiles/cq/2/4/0.mvt",
            "/tiles/cq/2/0/4.mvt",
            "/tiles/cq/2/0/0.pbf",
            "/tiles/cq/2/0/0.mvtx",
            "/tiles/cq/2/0/0",
            "/tiles/cq/2/0.mvt",
            "/tiles/cq//0/0.mvt",
            "/tiles/cq/2/+1/0.mvt",
            "/tiles/cq/2/0/0.mvt/",
            "/tiles/cq/9999999/0/0.mvt",
            "/tiles/cq/")) {
      assertThat(TileLane.parse(bad)).as(bad).isNull();
    }
  }
}
