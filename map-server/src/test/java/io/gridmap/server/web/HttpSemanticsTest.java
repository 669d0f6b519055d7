package io.gridmap.server.web;

import static io.gridmap.server.web.RawHttp.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.gridmap.tiler.geo.TileCoord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTP as a load balancer, a careless script or a hostile client speaks it, through the real stack:
 * HEAD, methods a resource does not have, malformed escapes, missing or bad Host.
 */
class HttpSemanticsTest {
  private static TestServer server;
  private static String tile;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(TestCity.small());
    TileCoord t = TileCoord.containing(WebMercator.x(106.55), WebMercator.y(29.555), 13);
    tile = "/tiles/cq/" + t.z() + "/" + t.x() + "/" + t.y() + ".mvt";
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static RawHttp.Response send(String method, String target, String... headers)
      throws Exception {
    String[] withHost = new String[headers.length + 2];
    withHost[0] = "Host";
    withHost[1] = "127.0.0.1:" + server.server().port();
    System.arraycopy(headers, 0, withHost, 2, headers.length);
    return RawHttp.send(server.server().port(), request(method, target, "HTTP/1.1", withHost));
  }

  @Test
  void headAnswersAsGetWithoutABody() throws Exception {
    for (String path :
        List.of(
            "/health",
            "/",
            "/collections",
            "/collections/grids/items?limit=2",
            "/tiles/cq.json",
            tile,
            "/styles/default.json",
            "/viewer/",
            "/api")) {
      RawHttp.Response get = send("GET", path, "Accept-Encoding", "gzip");
      RawHttp.Response head = send("HEAD", path, "Accept-Encoding", "gzip");
      assertThat(head.status()).as("HEAD " + path).isEqualTo(get.status()).isEqualTo(200);
      assertThat(head.header("Content-Type")).as(path).isEqualTo(get.header("Content-Type"));
      assertThat(head.header("ETag")).as(path).isEqualTo(get.header("ETag"));
      assertThat(head.body()).as("HEAD " + path + " has no body").isEmpty();
      assertThat(get.body()).as("GET " + path).isNotEmpty();
    }
  }

  @Test
  void aMethodAResourceDoesNotAnswerIs405WithAllow() throws Exception {
    RawHttp.Response grid = send("DELETE", "/collections/grids/items/1");
    assertThat(grid.status()).isEqualTo(405);
    assertThat(grid.header("Allow")).isEqualTo("GET, HEAD, OPTIONS, PATCH, PUT");
    assertThat(grid.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(grid.text()).contains("DELETE is not allowed on /collections/grids/items/1");

    RawHttp.Response delete = send("DELETE", "/health");
    assertThat(delete.status()).isEqualTo(405);
    assertThat(delete.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");

    RawHttp.Response post = send("POST", tile, "Content-Length", "0");
    assertThat(post.status()).isEqualTo(405);

    RawHttp.Response options = send("OPTIONS", "/live/positions");
    assertThat(options.status()).isEqualTo(200);
    assertThat(options.header("Accept-Patch")).as("no PATCH here").isNull();
    assertThat(options.header("Allow")).isEqualTo("OPTIONS, POST");

    // a path nothing answers stays a 404
    assertThat(send("PUT", "/nothing/here", "Content-Length", "0").status()).isEqualTo(404);

    // the import takes POST only: HEAD and GET are told so, before any credential is asked
    for (String method : List.of("HEAD", "GET")) {
      RawHttp.Response r = send(method, "/imports");
      assertThat(r.status()).as(method + " /imports").isEqualTo(405);
      assertThat(r.header("Allow")).isEqualTo("OPTIONS, POST");
    }
  }

  @Test
  void theImportRefusesABadEscapeAndAMissingHostBeforeReadingAByte() throws Exception {
    RawHttp.Response escape = send("POST", "/imports?layer=%zz", "Content-Length", "0");
    assertThat(escape.status()).isEqualTo(400);
    assertThat(escape.header("Content-Type")).isEqualTo("application/problem+json");
    int port = server.server().port();
    RawHttp.Response noHost =
        RawHttp.send(port, request("POST", "/imports?layer=x", "HTTP/1.1", "Content-Length", "0"));
    assertThat(noHost.status()).isEqualTo(400);
  }

  @Test
  void malformedEscapesAreBadRequestsNotServerErrors() throws Exception {
    for (String target :
        List.of("/health?a=%", "/collections/%zz", "/collections/grids/items?limit=%4", "/%")) {
      RawHttp.Response r = send("GET", target);
      assertThat(r.status()).as(target).isEqualTo(400);
      assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
      assertThat(r.text()).as(target).contains("malformed percent-escape");
    }
    assertThat(server.server().uncaughtExceptions()).isZero();
  }

  @Test
  void anHttp11RequestWithoutHostOrWithABadHostIs400() throws Exception {
    int port = server.server().port();
    RawHttp.Response noHost = RawHttp.send(port, request("GET", "/health", "HTTP/1.1"));
    assertThat(noHost.status()).isEqualTo(400);
    assertThat(noHost.text()).contains("must carry a Host header");
    for (String bad : List.of("exa mple.org", "a/b", "x:port", "[::1", "")) {
      RawHttp.Response r = RawHttp.send(port, request("GET", "/health", "HTTP/1.1", "Host", bad));
      assertThat(r.status()).as("Host: " + bad).isEqualTo(400);
    }
    RawHttp.Response twoHosts =
        RawHttp.send(port, request("GET", "/health", "HTTP/1.1", "Host", "a", "Host", "b"));
    assertThat(twoHosts.status()).isEqualTo(400);
    // the same on a cached tile, which the tile lane answers before the router
    String tile = "/tiles/cq/14/0/0.mvt";
    assertThat(RawHttp.send(port, request("GET", tile, "HTTP/1.1", "Host", "127.0.0.1")).status())
        .isEqualTo(204);
    assertThat(RawHttp.send(port, request("GET", tile, "HTTP/1.1")).status()).isEqualTo(400);
    assertThat(RawHttp.send(port, request("GET", tile, "HTTP/1.1", "Host", "a/b")).status())
        .isEqualTo(400);
    // an HTTP/1.0 health check without Host is fine
    RawHttp.Response old = RawHttp.send(port, request("GET", "/health", "HTTP/1.0"));
    assertThat(old.status()).isEqualTo(200);
    assertThat(old.text()).contains("\"status\":\"ready\"");
  }

  @Test
  void malformedRequestsAreRateLimitedLikeAnyOther() throws Exception {
    Map<String, String> settings = new HashMap<>(TestServer.isolatedSettings());
    settings.put("rate_limit_per_s", "1");
    settings.put("rate_limit_burst", "5");
    try (TestServer limited = TestServer.start(TestCity.small(), settings)) {
      int port = limited.server().port();
      Map<Integer, Integer> statuses = new HashMap<>();
      for (int i = 0; i < 40; i++) {
        RawHttp.Response r =
            RawHttp.send(port, request("GET", "/health?a=%", "HTTP/1.1", "Host", "127.0.0.1"));
        statuses.merge(r.status(), 1, Integer::sum);
      }
      assertThat(statuses.keySet()).containsOnly(400, 429);
      assertThat(statuses.get(429)).isGreaterThanOrEqualTo(30);
      assertThat(limited.server().uncaughtExceptions()).isZero();
    }
  }
}
