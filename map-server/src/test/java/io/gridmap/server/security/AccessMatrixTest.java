package io.gridmap.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who gets 200, 401 or 403 where: every endpoint the server has, called by every role. The
 * expectations are written out here by hand, not read from the policy, so a change to the policy
 * must change this table too.
 */
class AccessMatrixTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestServer server;

  private static final Set<Role> ALL = EnumSet.allOf(Role.class);
  private static final Set<Role> STAFF = EnumSet.complementOf(EnumSet.of(Role.PUBLIC));
  private static final Set<Role> ADMIN = EnumSet.of(Role.ADMIN);
  private static final Set<Role> POSITIONS =
      EnumSet.of(Role.GRID_WORKER, Role.COMMANDER, Role.ADMIN);
  private static final Set<Role> EDITORS = EnumSet.of(Role.PLANNER, Role.ADMIN);

  /** The staff visibility class: who sees personal data, and so a force's track. */
  private static final Set<Role> PERSONAL_DATA =
      EnumSet.of(
          Role.GRID_WORKER,
          Role.COMMANDER,
          Role.ADMIN,
          Role.POLICE,
          Role.URBAN_MANAGEMENT,
          Role.UTILITIES,
          Role.REPORTER);

  private static final Set<Role> REPORTERS =
      EnumSet.of(Role.GRID_WORKER, Role.COMMANDER, Role.ADMIN, Role.REPORTER);
  private static final Set<Role> OPEN311_REPORTERS =
      EnumSet.of(Role.PUBLIC, Role.GRID_WORKER, Role.COMMANDER, Role.ADMIN, Role.REPORTER);
  private static final Set<Role> HANDLERS =
      EnumSet.of(
          Role.GRID_WORKER,
          Role.COMMANDER,
          Role.ADMIN,
          Role.POLICE,
          Role.URBAN_MANAGEMENT,
          Role.UTILITIES);

  /**
   * One row of the table: who may call it and what they get past the gate. Writes are sent with a
   * body the handler refuses (an empty batch, an empty patch), so a role let through gets that 400
   * and nothing is written; a role kept out gets 401 or 403 before the body is read.
   */
  private record Endpoint(String method, String path, Set<Role> who, int passed, String body) {
    Endpoint(String method, String path, Set<Role> who) {
      this(method, path, who, 200, method.equals("POST") ? "{\"points\":[[106.57,29.555]]}" : null);
    }
  }

  private static final String EMPTY_BATCH = "{\"type\":\"FeatureCollection\",\"features\":[]}";

  private static final List<Endpoint> ENDPOINTS =
      List.of(
          new Endpoint("GET", "/", ALL),
          new Endpoint("GET", "/health", ALL),
          new Endpoint("GET", "/conformance", ALL),
          new Endpoint("GET", "/api", ALL),
          new Endpoint("GET", "/collections", ALL),
          new Endpoint("GET", "/collections/grids", ALL),
          new Endpoint("GET", "/collections/grids/queryables", ALL),
          new Endpoint("GET", "/collections/grids/items?limit=2", ALL),
          new Endpoint("GET", "/collections/events/tiles", ALL),
          new Endpoint("GET", "/tiles/cq.json", ALL),
          new Endpoint("GET", "/tiles/cq/0/0/0.mvt", ALL),
          new Endpoint("GET", "/tiles", ALL),
          new Endpoint("GET", "/tiles/WebMercatorQuad/0/0/0", ALL),
          new Endpoint("GET", "/tileMatrixSets", ALL),
          new Endpoint("GET", "/styles/default.json", ALL),
          new Endpoint("GET", "/fonts/Noto%20Sans%20SC%20Regular/0-255.pbf", ALL),
          new Endpoint("GET", "/viewer/", ALL),
          new Endpoint("GET", "/viewer/search?q=%E6%B8%9D%E4%B8%AD", ALL),
          new Endpoint("GET", "/query/locate?lon=106.57&lat=29.555", ALL),
          new Endpoint("GET", "/query/counts?collection=events&by=district", ALL),
          new Endpoint("POST", "/query/locate", STAFF),
          new Endpoint("GET", "/query/nearest?lon=106.57&lat=29.555&k=3", STAFF),
          new Endpoint(
              "GET", "/query/within?collection=key_sites&lon=106.57&lat=29.555&radius=300", STAFF),
          new Endpoint("GET", "/query/hotspots?collection=events", STAFF),
          // a WebSocket: past the gate a plain GET is told to upgrade
          new Endpoint("GET", "/live/ws", ALL, 426, null),
          new Endpoint("POST", "/live/positions", POSITIONS, 400, EMPTY_BATCH),
          new Endpoint("POST", "/live/tickets", STAFF, 200, ""),
          // a track: past the gate, force 1 does not exist (the item itself is everyone's)
          new Endpoint("GET", "/collections/forces/items/1/track", PERSONAL_DATA, 404, null),
          new Endpoint(
              "PATCH",
              "/collections/grids/items/500103001001001",
              EDITORS,
              400,
              "{\"properties\":{}}"),
          new Endpoint(
              "PUT",
              "/collections/grids/items/500103001001001",
              EDITORS,
              400,
              "{\"type\":\"Feature\",\"properties\":{}}"),
          new Endpoint("POST", "/edits/grids", EDITORS, 400, EMPTY_BATCH),
          // an incident report without properties, a transition without an action: 400
          new Endpoint("POST", "/collections/events/items", REPORTERS, 400, "{}"),
          new Endpoint(
              "POST", "/collections/events/items/5001030000001/transitions", HANDLERS, 400, "{}"),
          new Endpoint("GET", "/collections/events/items/5001030000001/transitions", ALL),
          new Endpoint("GET", "/incidents/panel?unit=500103", STAFF),
          // Open311: reading is everyone's; a report is the public's or a reporting role's (a
          // credential of another role is refused by the handler, in Open311's error form); an
          // empty form is refused 400 past the gate
          new Endpoint("GET", "/open311/discovery.json", ALL),
          new Endpoint("GET", "/open311/v2/services.xml", ALL),
          new Endpoint("GET", "/open311/v2/services/road_damage.json", ALL),
          new Endpoint("GET", "/open311/v2/requests.json", ALL),
          new Endpoint("GET", "/open311/v2/requests/1.xml", ALL, 404, null),
          new Endpoint("GET", "/open311/v2/tokens/AAAAAAAAAAAAAAAAAAAAAA.json", ALL, 404, null),
          new Endpoint("POST", "/open311/v2/requests.json", OPEN311_REPORTERS, 400, ""),
          new Endpoint("POST", "/open311/v2/requests.xml", OPEN311_REPORTERS, 400, ""),
          new Endpoint("GET", "/metrics", ADMIN),
          new Endpoint("GET", "/admin/audit", ADMIN));

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(TestCity.small());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static HttpResponse<String> call(Endpoint e, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + e.path()));
    if (e.body() != null) {
      b.header(
              "Content-Type",
              e.path().startsWith("/open311/")
                  ? "application/x-www-form-urlencoded"
                  : "application/json")
          .method(e.method(), HttpRequest.BodyPublishers.ofString(e.body()));
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return server.client().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everyRoleGetsWhatThePolicyTableSaysAtEveryEndpoint() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Role role : Role.values()) {
      String auth = role == Role.PUBLIC ? null : server.bearer(role, "500103");
      for (Endpoint e : ENDPOINTS) {
        boolean allowed = e.who().contains(role);
        int expected = allowed ? e.passed() : role == Role.PUBLIC ? 401 : 403;
        var res = call(e, auth);
        if (res.statusCode() != expected) {
          wrong.add(
              role.code()
                  + " "
                  + e.method()
                  + " "
                  + e.path()
                  + ": expected "
                  + expected
                  + ", got "
                  + res.statusCode()
                  + " "
                  + res.body().substring(0, Math.min(200, res.body().length())));
        }
        if (!allowed) {
          // Open311 refuses in its own form, [{code, description}], in the path's format
          assertThat(res.headers().firstValue("Content-Type"))
              .hasValue(
                  !e.path().startsWith("/open311/")
                      ? "application/problem+json"
                      : e.path().endsWith(".json")
                          ? "application/json; charset=utf-8"
                          : "text/xml; charset=utf-8");
        }
        if (expected == 401) {
          assertThat(res.headers().firstValue("WWW-Authenticate"))
              .get()
              .asString()
              .startsWith("Bearer");
        }
      }
    }
    assertThat(wrong).as("role x endpoint mismatches").isEmpty();
  }

  @Test
  void pathsWithoutAPolicyRuleAreRefusedEvenWhenARouteMightExist() throws Exception {
    for (String path : List.of("/nowhere", "/admin2", "/collectionsX", "/query/other")) {
      var res = server.getText(path, "Authorization", server.bearer(Role.ADMIN, ""));
      assertThat(res.statusCode()).as(path).isEqualTo(404);
    }
    var delete =
        server
            .client()
            .send(
                HttpRequest.newBuilder(
                        URI.create(server.baseUrl() + "/collections/grids/items/500103001001001"))
                    .header("Authorization", server.bearer(Role.ADMIN, ""))
                    .DELETE()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    // issue 9: a method the resource does not answer is a 405 naming what it does answer (it was
    // a 404 from the policy's default); nobody may DELETE a grid, not even an admin
    assertThat(delete.statusCode())
        .as("no route for DELETE on items: nobody may, not even an admin")
        .isEqualTo(405);
    assertThat(delete.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS, PATCH, PUT");
  }

  @Test
  void aPageOnAnotherOriginMayPreflightTheWrites() throws Exception {
    for (String[] write :
        new String[][] {
          {"PATCH", "/collections/grids/items/500103001001001"},
          {"PUT", "/collections/grids/items/500103001001001"},
          {"POST", "/live/positions"},
          {"POST", "/edits/grids"}
        }) {
      var res =
          server
              .client()
              .send(
                  HttpRequest.newBuilder(URI.create(server.baseUrl() + write[1]))
                      .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                      .header("Origin", "http://command-centre.example")
                      .header("Access-Control-Request-Method", write[0])
                      .header(
                          "Access-Control-Request-Headers", "authorization,content-type,if-match")
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      assertThat(res.statusCode()).as(write[0] + " " + write[1]).isBetween(200, 204);
      assertThat(res.headers().firstValue("Access-Control-Allow-Methods"))
          .get()
          .asString()
          .contains(write[0]);
      assertThat(res.headers().firstValue("Access-Control-Allow-Headers"))
          .get()
          .asString()
          .containsIgnoringCase("Authorization")
          .containsIgnoringCase("Content-Type")
          .containsIgnoringCase("If-Match");
    }
  }

  @Test
  void badCredentialsAre401NotSilentlyPublic() throws Exception {
    for (String auth :
        List.of("Bearer not.a.token", "Bearer ", "Basic dXNlcjpwYXNz", "ApiKey gm_nope")) {
      var res = server.getText("/tiles/cq.json", "Authorization", auth);
      assertThat(res.statusCode()).as(auth).isEqualTo(401);
      assertThat(JSON.readTree(res.body()).get("detail").asText()).as(auth).isNotBlank();
    }
    var key = server.getText("/tiles/cq.json", "X-API-Key", "gm_nope");
    assertThat(key.statusCode()).isEqualTo(401);
  }

  @Test
  void apiKeysAuthenticateMachineClients(@TempDir Path dir) throws Exception {
    Path keys = dir.resolve("api_keys");
    String key = ApiKeys.create(keys, new Principal("hotline-system", Role.ANALYST, "", "cli"));
    var settings = TestServer.isolatedSettings();
    settings.put("api_keys_file", keys.toString());
    try (TestServer s = TestServer.start(TestCity.small(), settings)) {
      assertThat(s.getText("/query/hotspots?collection=events").statusCode()).isEqualTo(401);
      assertThat(s.getText("/query/hotspots?collection=events", "X-API-Key", key).statusCode())
          .isEqualTo(200);
      assertThat(
              s.getText("/query/hotspots?collection=events", "Authorization", "ApiKey " + key)
                  .statusCode())
          .isEqualTo(200);
      assertThat(s.getText("/metrics", "X-API-Key", key).statusCode()).isEqualTo(403);
    }
  }

  @Test
  void aClientAboveItsRateGets429WithRetryAfter() throws Exception {
    try (TestServer s =
        TestServer.start(
            TestCity.small(), Map.of("rate_limit_per_s", "1", "rate_limit_burst", "5"))) {
      int ok = 0;
      HttpResponse<String> limited = null;
      for (int i = 0; i < 10 && limited == null; i++) {
        var res = s.getText("/health");
        if (res.statusCode() == 429) {
          limited = res;
        } else {
          ok++;
        }
      }
      assertThat(ok).isEqualTo(5);
      assertThat(limited).isNotNull();
      assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(limited.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      String other = s.bearer(Role.ANALYST, "");
      assertThat(s.getText("/health", "Authorization", other).statusCode())
          .as("another client has its own budget")
          .isEqualTo(200);
    }
  }

  @Test
  void tokenIssueAndAuditAreReadableByAdmins() throws Exception {
    server
        .server()
        .audit()
        .record(
            new Principal("p1", Role.PLANNER, "500103", "jwt"),
            "grid.update",
            "grids/500103001001001",
            Map.of("population", 510));
    var res =
        server.getText(
            "/admin/audit?actor=p1&limit=5", "Authorization", server.bearer(Role.ADMIN, ""));
    assertThat(res.statusCode()).isEqualTo(200);
    var entries = JSON.readTree(res.body()).get("entries");
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).get("action").asText()).isEqualTo("grid.update");
    assertThat(entries.get(0).get("role").asText()).isEqualTo("planner");
    var bad =
        server.getText("/admin/audit?limit=0", "Authorization", server.bearer(Role.ADMIN, ""));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).get("detail").asText())
        .contains("limit", "'0'", "1..10000");
    assertThat(Files.exists(server.server().audit().file())).isTrue();
  }
}
