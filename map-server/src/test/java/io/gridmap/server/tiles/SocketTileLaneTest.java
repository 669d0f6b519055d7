package io.gridmap.server.tiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.gridmap.server.web.RawHttp;
import io.gridmap.tiler.geo.TileCoord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tile lane at the socket, driven byte for byte as wrk, a browser or a hostile client drives
 * it: it answers a cached public tile with the router's status, bytes and headers; it hands every
 * other request to Vert.x and answers again only once Vert.x's responses are out, so responses keep
 * their requests' order; a read that is not one whole plain request leaves the connection to
 * Vert.x; and it counts, rate-limits and logs as the router does.
 */
class SocketTileLaneTest {
  private static TestServer server;
  private static Path accessLog;

  /** A z14 tile in 渝中's centre, and one far outside the city (empty). */
  private static String core;

  private static final String EMPTY = "/tiles/cq/14/0/0.mvt";

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> settings = TestServer.isolatedSettings();
    accessLog = Files.createTempDirectory("socket-lane").resolve("access.log");
    settings.put("access_log", accessLog.toString());
    server = TestServer.start(TestCity.small(), settings);
    TileCoord t = TileCoord.containing(WebMercator.x(106.57), WebMercator.y(29.555), 14);
    core = "/tiles/cq/" + t.z() + "/" + t.x() + "/" + t.y() + ".mvt";
    // both cached
    server.get(core, "Accept-Encoding", "gzip");
    server.get(EMPTY, "Accept-Encoding", "gzip");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static int port() {
    return server.server().port();
  }

  /** A GET as wrk and browsers send it: request line, Host, the given header pairs. */
  private static String get(String path, String... headers) {
    StringBuilder sb =
        new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port() + "\r\n");
    for (int i = 0; i < headers.length; i += 2) {
      sb.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    return sb.append("\r\n").toString();
  }

  private static long counter(String name) throws Exception {
    String metrics =
        server.getText("/metrics", "Authorization", server.bearer(Role.ADMIN, "")).body();
    Matcher m = Pattern.compile("(?m)^" + name + "_total (\\S+)").matcher(metrics);
    assertThat(m.find()).as(name + " in /metrics").isTrue();
    return (long) Double.parseDouble(m.group(1));
  }

  private static long atSocket() throws Exception {
    return counter("tile_lane_socket_responses");
  }

  /** Header names as sent, in order, without the request id. */
  private static List<String> names(RawHttp.Response r) {
    List<String> out = new ArrayList<>();
    String[] lines = r.head().split("\r\n");
    for (int i = 1; i < lines.length; i++) {
      String name = lines[i].substring(0, lines[i].indexOf(':'));
      if (!name.equals("X-Request-Id")) {
        out.add(name);
      }
    }
    out.sort(null);
    return out;
  }

  private static Map<String, String> withoutId(RawHttp.Response r) {
    Map<String, String> out = new TreeMap<>(r.headers());
    out.remove("x-request-id");
    return out;
  }

  /**
   * On one connection: the request through the router (a trailing ? takes it there), then the same
   * request, which the socket's lane answers; the two the same but for the request id.
   */
  private static RawHttp.Response sameAsTheRouter(String path, String... headers) throws Exception {
    try (RawHttp.Conn c = new RawHttp.Conn(port())) {
      RawHttp.Response routed = c.write(get(path + "?", headers)).response();
      long before = atSocket();
      RawHttp.Response lane = c.write(get(path, headers)).response();
      assertThat(atSocket()).as("the socket's lane answered %s", path).isEqualTo(before + 1);
      assertThat(lane.status()).isEqualTo(routed.status());
      assertThat(lane.body()).isEqualTo(routed.body());
      assertThat(withoutId(lane)).isEqualTo(withoutId(routed));
      assertThat(names(lane)).as("header names, case and all").isEqualTo(names(routed));
      assertThat(lane.header("X-Request-Id")).isNotBlank();
      return lane;
    }
  }

  @Test
  void aCachedTileIsAnsweredAtTheSocketAsTheRouterAnswersIt() throws Exception {
    assertThat(sameAsTheRouter(core, "Accept-Encoding", "gzip").status()).isEqualTo(200);
    assertThat(sameAsTheRouter(EMPTY, "Accept-Encoding", "gzip").status()).isEqualTo(204);
    // an empty tile needs no encoding (wrk's empty-tile run sends none)
    assertThat(sameAsTheRouter(EMPTY).status()).isEqualTo(204);
    sameAsTheRouter(
        core,
        "Connection",
        "keep-alive",
        "Accept-Encoding",
        "gzip, deflate, br",
        "Origin",
        "http://a.org");
    String etag = sameAsTheRouter(core, "Accept-Encoding", "gzip").header("ETag");
    assertThat(sameAsTheRouter(core, "Accept-Encoding", "gzip", "If-None-Match", etag).status())
        .isEqualTo(304);
    String emptyTag = sameAsTheRouter(EMPTY).header("ETag");
    assertThat(sameAsTheRouter(EMPTY, "If-None-Match", "W/" + emptyTag).status()).isEqualTo(304);
    // a proxy's sane request id comes back
    assertThat(
            sameAsTheRouter(core, "Accept-Encoding", "gzip", "X-Request-Id", "edge-42")
                .header("X-Request-Id"))
        .isEqualTo("edge-42");
  }

  @Test
  void otherRequestsOnTheConnectionGoToVertxAndTheLaneAnswersAgainAfterThem() throws Exception {
    TileCoord next = TileCoord.containing(WebMercator.x(106.58), WebMercator.y(29.56), 13);
    String uncached = "/tiles/cq/13/" + next.x() + "/" + next.y() + ".mvt";
    try (RawHttp.Conn c = new RawHttp.Conn(port())) {
      long before = atSocket();
      assertThat(c.write(get(core, "Accept-Encoding", "gzip")).response().status()).isEqualTo(200);
      assertThat(c.write(get("/health")).response().status()).isEqualTo(200);
      assertThat(c.write(get(EMPTY)).response().status()).isEqualTo(204);
      // credentials: the staff class's tile, the router's
      assertThat(
              c.write(
                      get(
                          core,
                          "Accept-Encoding",
                          "gzip",
                          "Authorization",
                          server.bearer(Role.ANALYST, "")))
                  .response()
                  .status())
          .isEqualTo(200);
      // not cached yet: rendered on a worker, answered later; the lane waits for it
      assertThat(c.write(get(uncached, "Accept-Encoding", "gzip")).response().status())
          .isEqualTo(200);
      // no gzip: decompressed by the router
      RawHttp.Response plain = c.write(get(core)).response();
      assertThat(plain.status()).isEqualTo(200);
      assertThat(plain.header("Content-Encoding")).isNull();
      // a Host the guard refuses: the router's 400
      assertThat(c.write("GET " + core + " HTTP/1.1\r\nHost: a b\r\n\r\n").response().status())
          .isEqualTo(400);
      assertThat(c.write(get(core, "Accept-Encoding", "gzip")).response().status()).isEqualTo(200);
      assertThat(atSocket()).as("the lane's three").isEqualTo(before + 3);
    }
  }

  @Test
  void aTileAskedWhileVertxRendersAnotherWaitsForItsTurn() throws Exception {
    try (RawHttp.Conn c = new RawHttp.Conn(port())) {
      for (int z = 5; z <= 8; z++) {
        // the centre's tiles at z5-z8, not cached: each rendered on a worker, for milliseconds
        TileCoord t = TileCoord.containing(WebMercator.x(106.57), WebMercator.y(29.555), z);
        String uncached = "/tiles/cq/" + z + "/" + t.x() + "/" + t.y() + ".mvt";
        c.write(get(uncached, "Accept-Encoding", "gzip"));
        Thread.sleep(2); // read on its own, after the render began
        c.write(get(EMPTY));
        RawHttp.Response first = c.response();
        assertThat(first.status()).as("the rendered tile's answer first").isEqualTo(200);
        assertThat(first.header("Content-Type")).isEqualTo(TileResponse.MVT);
        assertThat(c.response().status()).isEqualTo(204);
      }
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderAndLeaveTheConnectionToVertx() throws Exception {
    try (RawHttp.Conn c = new RawHttp.Conn(port())) {
      long before = atSocket();
      long lane = counter("tile_lane_responses");
      c.write(get(core, "Accept-Encoding", "gzip") + get("/health") + get(EMPTY));
      assertThat(c.response().status()).isEqualTo(200);
      assertThat(c.response().status()).isEqualTo(200);
      assertThat(c.response().status()).isEqualTo(204);
      // Vert.x's from here on: its own lane (before the router) answers the tile
      assertThat(c.write(get(EMPTY)).response().status()).isEqualTo(204);
      assertThat(atSocket()).isEqualTo(before);
      assertThat(counter("tile_lane_responses")).isEqualTo(lane + 3);
    }
  }

  @Test
  void aHeadCutAcrossReadsIsVertxs() throws Exception {
    try (RawHttp.Conn c = new RawHttp.Conn(port())) {
      long before = atSocket();
      String request = get(core, "Accept-Encoding", "gzip");
      c.write(request.substring(0, 20));
      Thread.sleep(200);
      RawHttp.Response r = c.write(request.substring(20)).response();
      assertThat(r.status()).isEqualTo(200);
      assertThat(c.write(request).response().status()).isEqualTo(200);
      assertThat(atSocket()).isEqualTo(before);
    }
  }

  @Test
  void malformedHeadsGetVertxsAnswersNotTheLanes() throws Exception {
    String line = "GET " + EMPTY + " HTTP/1.1\r\n";
    String host = "Host: 127.0.0.1:" + port() + "\r\n";
    long before = atSocket();
    // the guard's 400s
    for (String bad :
        List.of(line + "\r\n", line + host + "Host: b\r\n\r\n", line + "Host: a b\r\n\r\n")) {
      try (RawHttp.Conn c = new RawHttp.Conn(port())) {
        assertThat(c.write(bad).response().status()).as(shown(bad)).isEqualTo(400);
      }
    }
    // Vert.x's decoder decides (it tolerates some, refuses others): never a server error
    for (String odd :
        List.of(
            line + host + " folded\r\n\r\n",
            line + host + "X: a\u0001b\r\n\r\n",
            line + host + "Bad Name: a\r\n\r\n",
            "GET " + EMPTY + " HTTP/1.1\n" + host.replace("\r", "") + "\n")) {
      try (RawHttp.Conn c = new RawHttp.Conn(port())) {
        assertThat(c.write(odd).response().status()).as(shown(odd)).isLessThan(500);
      }
    }
    assertThat(atSocket()).isEqualTo(before);
  }

  private static String shown(String request) {
    return request.replace("\r", "\\r").replace("\n", "\\n");
  }

  @Test
  void theLanesRequestsAreLoggedAndRateLimited() throws Exception {
    try (RawHttp.Conn c = new RawHttp.Conn(port())) {
      String id = "socket-log-9";
      c.write(get(core, "Accept-Encoding", "gzip"));
      c.response();
      long before = atSocket();
      assertThat(
              c.write(get(core, "Accept-Encoding", "gzip", "X-Request-Id", id)).response().status())
          .isEqualTo(200);
      assertThat(atSocket()).isEqualTo(before + 1);
      String logged = "";
      for (int i = 0; i < 100 && logged.isEmpty(); i++) {
        logged =
            Files.readAllLines(accessLog).stream()
                .filter(l -> l.contains(" " + id + " "))
                .findFirst()
                .orElse("");
        Thread.sleep(50);
      }
      assertThat(logged).contains("127.0.0.1 " + id + " GET " + core + " 200 ");
    }

    Map<String, String> settings = TestServer.isolatedSettings();
    settings.put("rate_limit_per_s", "1");
    settings.put("rate_limit_burst", "4");
    try (TestServer limited = TestServer.start(TestCity.small(), settings);
        RawHttp.Conn c = new RawHttp.Conn(limited.server().port())) {
      String request =
          "GET " + EMPTY + " HTTP/1.1\r\nHost: 127.0.0.1:" + limited.server().port() + "\r\n\r\n";
      int[] codes = new int[6];
      for (int i = 0; i < codes.length; i++) {
        codes[i] = c.write(request).response().status();
      }
      // the first is rendered by the router; then the lane's, until the bucket is empty; then 429s
      assertThat(codes).containsExactly(204, 204, 204, 204, 429, 429);
    }
  }
}
