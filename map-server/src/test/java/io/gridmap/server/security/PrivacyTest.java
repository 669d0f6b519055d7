package io.gridmap.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.testing.MvtFeatures;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.gridmap.tiler.geo.TileCoord;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;

/**
 * Issue 5, point 3 for tiles: the same tile URL carries the homes of vulnerable residents for a
 * commander and none for the public; each class is cached apart, the staff one privately.
 */
class PrivacyTest {
  private static TestServer server;
  private static Feature home;
  private static String path;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(TestCity.small());
    home =
        TestCity.small().layer("key_sites").features().stream()
            .filter(Feature::personal)
            .findFirst()
            .orElseThrow();
    Coordinate c = home.geometry().getCoordinate();
    TileCoord t = TileCoord.containing(WebMercator.x(c.x), WebMercator.y(c.y), 14);
    path = "/tiles/cq/14/" + t.x() + "/" + t.y() + ".mvt";
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void commanderSeesThePersonalHomeThePublicDoesNot() throws Exception {
    var anonymous = server.get(path, "Accept-Encoding", "gzip");
    var commander =
        server.get(
            path,
            "Accept-Encoding",
            "gzip",
            "Authorization",
            server.bearer(Role.COMMANDER, "500103"));
    var analyst =
        server.get(
            path, "Accept-Encoding", "gzip", "Authorization", server.bearer(Role.ANALYST, ""));
    assertThat(anonymous.statusCode()).isEqualTo(200);
    assertThat(commander.statusCode()).isEqualTo(200);
    Set<Long> personal = new HashSet<>();
    TestCity.small().layer("key_sites").features().stream()
        .filter(Feature::personal)
        .forEach(f -> personal.add(f.id()));

    assertThat(MvtFeatures.of(commander.body()).ids("key_sites")).contains(home.id());
    assertThat(MvtFeatures.of(anonymous.body()).ids("key_sites"))
        .doesNotContainAnyElementsOf(personal)
        .isNotEmpty();
    assertThat(MvtFeatures.of(analyst.body()).ids("key_sites"))
        .as("analysts see no personal data")
        .doesNotContainAnyElementsOf(personal);

    assertThat(commander.headers().firstValue("Cache-Control"))
        .get()
        .asString()
        .startsWith("private");
    assertThat(anonymous.headers().firstValue("Cache-Control"))
        .get()
        .asString()
        .startsWith("public");
    for (var res : java.util.List.of(anonymous, commander)) {
      assertThat(res.headers().firstValue("Vary")).get().asString().contains("Authorization");
    }
    String publicTag = anonymous.headers().firstValue("ETag").orElseThrow();
    String staffTag = commander.headers().firstValue("ETag").orElseThrow();
    assertThat(staffTag).isNotEqualTo(publicTag);
    // the public tag does not revalidate the staff copy, nor the other way round
    var cross = server.get(path, "Accept-Encoding", "gzip", "If-None-Match", staffTag);
    assertThat(cross.statusCode()).isEqualTo(200);
    assertThat(MvtFeatures.of(cross.body()).ids("key_sites")).doesNotContainAnyElementsOf(personal);
  }

  @Test
  void itemsShowPersonalFeaturesAndNamesToStaffOnly() throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    String one = "/collections/key_sites/items/" + home.id();
    assertThat(server.get(one).statusCode()).isEqualTo(404);
    assertThat(server.get(one, "Authorization", server.bearer(Role.ANALYST, "")).statusCode())
        .isEqualTo(404);
    var staff = server.getText(one, "Authorization", server.bearer(Role.COMMANDER, "500103"));
    assertThat(staff.statusCode()).isEqualTo(200);
    assertThat(json.readTree(staff.body()).get("id").asLong()).isEqualTo(home.id());
    assertThat(staff.headers().firstValue("Cache-Control")).get().asString().startsWith("private");
    assertThat(staff.headers().firstValue("Vary"))
        .get()
        .asString()
        .contains("Authorization", "X-API-Key");

    String grids = "/collections/grids/items?limit=3";
    var publicGrids = json.readTree(server.getText(grids).body());
    var staffGrids =
        json.readTree(
            server
                .getText(grids, "Authorization", server.bearer(Role.GRID_WORKER, "500103"))
                .body());
    for (var f : publicGrids.get("features")) {
      assertThat(f.get("properties").has("worker_name"))
          .as("the public never sees a worker's name")
          .isFalse();
    }
    for (var f : staffGrids.get("features")) {
      assertThat(f.get("properties").get("worker_name").asText()).isNotBlank();
    }

    String homes = "/collections/key_sites/items?limit=10000&category=elderly_alone_home";
    assertThat(json.readTree(server.getText(homes).body()).get("numberMatched").asInt()).isZero();
    long expected =
        TestCity.small().layer("key_sites").features().stream().filter(Feature::personal).count();
    assertThat(
            json.readTree(
                    server.getText(homes, "Authorization", server.bearer(Role.ADMIN, "")).body())
                .get("numberMatched")
                .asLong())
        .isEqualTo(expected)
        .isPositive();
  }
}
