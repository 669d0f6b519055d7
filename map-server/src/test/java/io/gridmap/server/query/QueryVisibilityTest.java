package io.gridmap.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Point;

/**
 * Issue 5 for the domain queries: the same URL answers a commander (staff class) with personal
 * features or fields and the public class (anonymous, or an analyst) with none of them, and the
 * answers are marked so that no shared cache mixes the two.
 */
class QueryVisibilityTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static TestServer server;
  static Feature home;
  static Set<Long> homes = new HashSet<>();

  /** A point inside a grid that has a full-time worker. */
  static Point staffed;

  @BeforeAll
  static void start() throws Exception {
    var city = TestCity.small();
    server = TestServer.start(city);
    city.layer("key_sites").features().stream()
        .filter(Feature::personal)
        .forEach(f -> homes.add(f.id()));
    home =
        city.layer("key_sites").features().stream()
            .filter(Feature::personal)
            .findFirst()
            .orElseThrow();
    int worker = io.gridmap.layers.model.Catalogue.GRIDS.fieldIndex("worker_id");
    staffed =
        city.layer("grids").features().stream()
            .filter(g -> g.value(worker) != null)
            .findFirst()
            .orElseThrow()
            .geometry()
            .getInteriorPoint();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  String commander() {
    return server.bearer(Role.COMMANDER, "500103");
  }

  /** GET as the given Authorization (null: anonymous); 200 expected. */
  static HttpResponse<String> get(String path, String authorization) throws Exception {
    var res =
        authorization == null
            ? server.getText(path)
            : server.getText(path, "Authorization", authorization);
    assertThat(res.statusCode()).as(path + " " + res.body()).isEqualTo(200);
    return res;
  }

  /** Both classes' answers vary by Authorization; the staff one is private, the public one not. */
  static void assertCacheHeaders(HttpResponse<String> staff, HttpResponse<String> pub) {
    for (var res : new HttpResponse<?>[] {staff, pub}) {
      assertThat(res.headers().allValues("Vary"))
          .as("Vary")
          .anySatisfy(v -> assertThat(v).contains("Authorization", "X-API-Key"));
    }
    assertThat(staff.headers().firstValue("Cache-Control")).get().asString().startsWith("private");
    assertThat(pub.headers().firstValue("Cache-Control"))
        .get()
        .asString()
        .doesNotContain("private");
  }

  static Set<Long> ids(JsonNode fc) {
    Set<Long> out = new HashSet<>();
    fc.get("features").forEach(f -> out.add(f.get("id").asLong()));
    return out;
  }

  @Test
  void locateNamesTheWorkerToStaffOnly() throws Exception {
    String path = "/query/locate?lon=" + staffed.getX() + "&lat=" + staffed.getY();
    var staff = get(path, commander());
    var pub = get(path, null);
    assertThat(JSON.readTree(staff.body()).at("/worker/name").asText()).isNotBlank();
    assertThat(JSON.readTree(pub.body()).get("worker").has("name"))
        .as("the public never sees a worker's name")
        .isFalse();
    assertThat(JSON.readTree(pub.body()).get("worker").get("id").asLong()).isPositive();
    assertCacheHeaders(staff, pub);
  }

  @Test
  void batchLocateNamesTheWorkerToStaffOnly() throws Exception {
    String body = "{\"points\":[[" + staffed.getX() + "," + staffed.getY() + "],[0,0]]}";
    var staff = post("/query/locate", body, commander());
    var pub = post("/query/locate", body, server.analyst());
    assertThat(JSON.readTree(staff.body()).at("/results/0/worker/name").asText()).isNotBlank();
    assertThat(JSON.readTree(pub.body()).at("/results/0/worker").has("name")).isFalse();
    assertThat(JSON.readTree(pub.body()).at("/results/0/worker/id").asLong()).isPositive();
    assertCacheHeaders(staff, pub);
  }

  static HttpResponse<String> post(String path, String body, String authorization)
      throws Exception {
    var res =
        server
            .client()
            .send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                    .header("Content-Type", "application/json")
                    .header("Authorization", authorization)
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return res;
  }

  @Test
  void nearestNamesForcesToStaffOnly() throws Exception {
    String path = "/query/nearest?lon=" + staffed.getX() + "&lat=" + staffed.getY() + "&k=10";
    var staff = get(path, commander());
    var pub = get(path, server.analyst());
    JsonNode s = JSON.readTree(staff.body());
    JsonNode p = JSON.readTree(pub.body());
    assertThat(ids(s)).isEqualTo(ids(p)).hasSize(10);
    assertThat(s.get("features"))
        .allSatisfy(f -> assertThat(f.at("/properties/name").asText()).isNotBlank());
    assertThat(p.get("features"))
        .allSatisfy(f -> assertThat(f.get("properties").has("name")).isFalse());
    // a chosen property list is honoured for staff too
    JsonNode chosen = JSON.readTree(get(path + "&properties=role", commander()).body());
    assertThat(chosen.at("/features/0/properties").size()).isEqualTo(1);
    assertCacheHeaders(staff, pub);
  }

  @Test
  void nearestKeySitesIncludeTheHomeNextToStaffOnly() throws Exception {
    var c = home.geometry().getCoordinate();
    String path = "/query/nearest?collection=key_sites&lon=" + c.x + "&lat=" + c.y + "&k=3";
    JsonNode s = JSON.readTree(get(path, commander()).body());
    JsonNode p = JSON.readTree(get(path, server.analyst()).body());
    assertThat(s.at("/features/0/id").asLong())
        .as("the home itself is the nearest for staff")
        .isEqualTo(home.id());
    assertThat(s.at("/features/0/distance_m").asDouble()).isZero();
    assertThat(ids(p)).doesNotContainAnyElementsOf(homes).hasSize(3);
  }

  @Test
  void withinSelectsHomesAndNamesForStaffOnly() throws Exception {
    var c = home.geometry().getCoordinate();
    String path =
        "/query/within?collection=key_sites&lon=" + c.x + "&lat=" + c.y + "&radius=300&limit=10000";
    var staff = get(path, commander());
    var pub = get(path, server.analyst());
    JsonNode s = JSON.readTree(staff.body());
    JsonNode p = JSON.readTree(pub.body());
    assertThat(ids(s)).contains(home.id());
    assertThat(ids(p)).doesNotContainAnyElementsOf(homes);
    assertThat(p.get("numberMatched").asInt())
        .as("homes are not counted for the public")
        .isEqualTo(ids(p).size());
    assertThat(s.get("numberMatched").asInt()).isGreaterThan(p.get("numberMatched").asInt());
    assertCacheHeaders(staff, pub);

    String grids =
        "/query/within?collection=grids&lon="
            + staffed.getX()
            + "&lat="
            + staffed.getY()
            + "&radius=10";
    assertThat(JSON.readTree(get(grids, commander()).body()).get("features"))
        .isNotEmpty()
        .anySatisfy(f -> assertThat(f.at("/properties/worker_name").asText()).isNotBlank());
    assertThat(JSON.readTree(get(grids, server.analyst()).body()).get("features"))
        .isNotEmpty()
        .allSatisfy(f -> assertThat(f.get("properties").has("worker_name")).isFalse());
  }

  @Test
  void countsCountHomesForStaffOnly() throws Exception {
    String path = "/query/counts?collection=key_sites&by=category";
    var staff = get(path, commander());
    var pub = get(path, null);
    assertThat(count(JSON.readTree(staff.body()), "elderly_alone_home"))
        .isEqualTo(homes.size())
        .isPositive();
    assertThat(count(JSON.readTree(pub.body()), "elderly_alone_home")).isZero();
    assertCacheHeaders(staff, pub);

    // narrowed to a few metres around one home: the public count must not reveal it
    var c = home.geometry().getCoordinate();
    String box =
        "/query/counts?collection=key_sites&by=grid&bbox="
            + (c.x - 1e-5)
            + ","
            + (c.y - 1e-5)
            + ","
            + (c.x + 1e-5)
            + ","
            + (c.y + 1e-5);
    assertThat(JSON.readTree(get(box, commander()).body()).get("numberMatched").asInt())
        .isPositive();
    assertThat(JSON.readTree(get(box, null).body()).get("numberMatched").asInt())
        .isEqualTo(
            (int)
                TestCity.small().layer("key_sites").features().stream()
                    .filter(
                        f ->
                            !f.personal()
                                && Math.abs(f.geometry().getCoordinate().x - c.x) <= 1e-5
                                && Math.abs(f.geometry().getCoordinate().y - c.y) <= 1e-5)
                    .count());
  }

  static long count(JsonNode doc, String key) {
    for (JsonNode g : doc.get("groups")) {
      if (g.get("key").asText().equals(key)) {
        return g.get("count").asLong();
      }
    }
    return 0;
  }

  @Test
  void hotspotsClusterHomesForStaffOnly() throws Exception {
    String path =
        "/query/hotspots?collection=key_sites&category=elderly_alone_home&eps=1000&min_points=2&background=5000&limit=1000";
    var staff = get(path, commander());
    var pub = get(path, server.analyst());
    JsonNode s = JSON.readTree(staff.body());
    JsonNode p = JSON.readTree(pub.body());
    assertThat(s.get("numberOfPoints").asInt()).isEqualTo(homes.size());
    assertThat(s.get("features")).isNotEmpty();
    s.get("features")
        .forEach(
            f -> f.at("/properties/members").forEach(m -> assertThat(homes).contains(m.asLong())));
    assertThat(p.get("numberOfPoints").asInt()).isZero();
    assertThat(p.get("features")).isEmpty();
    assertCacheHeaders(staff, pub);
  }
}
