package io.gridmap.server.incidents;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.layers.geo.GroundMeasure;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Point;

/**
 * Statistics on live data: counts by board, category, status and overdue per unit move with every
 * report and transition; the hotspot query over today's open incidents finds a cluster of reports
 * planted along one road and ranks it first.
 */
class IncidentStatisticsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestServer server;
  private static final String FROM = Instant.now().minusSeconds(3600).toString();

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.startWithStore(
            TestCity.small(), Map.of("rate_limit_per_s", "100000", "rate_limit_burst", "100000"));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static String admin() {
    return server.bearer(Role.ADMIN, "");
  }

  private static JsonNode report(double lon, double lat, String category) throws Exception {
    HttpResponse<String> r =
        server.send(
            "POST",
            "/collections/events/items",
            IncidentsTest.report(lon, lat, category, "normal"),
            "Content-Type",
            "application/geo+json",
            "Authorization",
            admin());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body());
  }

  private static JsonNode counts(String query) throws Exception {
    HttpResponse<String> r =
        server.getText("/query/counts?collection=events&" + query, "Authorization", admin());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static Map<String, Long> groups(JsonNode counts) {
    Map<String, Long> out = new java.util.TreeMap<>();
    counts.get("groups").forEach(g -> out.put(g.get("key").asText(), g.get("count").asLong()));
    return out;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void countsByUnitAndStatusFollowEveryReportAndTransitionAtOnce() throws Exception {
    Feature grid =
        TestCity.small().layer("grids").features().stream()
            .filter(g -> g.id() / 1_000_000_000L == 500105L)
            .findFirst()
            .orElseThrow();
    String code = grid.string(Catalogue.GRIDS.fieldIndex("code"));
    Point p = grid.geometry().getInteriorPoint();
    String window = "datetime=" + enc(FROM + "/..") + "&filter=" + enc("grid_code='" + code + "'");
    long a = report(p.getX(), p.getY(), "garbage_pileup").get("id").asLong();
    report(p.getX() + 0.001, p.getY(), "road_damage");
    Map<String, Long> before = groups(counts("by=board,status&" + window));
    assertThat(before).containsEntry("livelihood|reported", 2L);
    assertThat(
            counts("by=grid,status&" + window)
                .get("groups")
                .get(0)
                .get("keys")
                .get("grid")
                .asText())
        .isEqualTo(code);

    HttpResponse<String> moved =
        server.send(
            "POST",
            "/collections/events/items/" + a + "/transitions",
            "{\"action\":\"dispatch\"}",
            "Content-Type",
            "application/json",
            "Authorization",
            admin());
    assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
    Map<String, Long> after = groups(counts("by=board,status&" + window));
    assertThat(after)
        .containsEntry("livelihood|reported", 1L)
        .containsEntry("livelihood|dispatched", 1L);
    Map<String, Long> overdue = groups(counts("by=category,overdue&" + window));
    assertThat(overdue)
        .containsEntry("garbage_pileup|false", 1L)
        .containsEntry("road_damage|false", 1L);

    HttpResponse<String> bad =
        server.getText(
            "/query/counts?collection=events&by=street,street", "Authorization", admin());
    assertThat(bad.statusCode()).isEqualTo(400);
    HttpResponse<String> tooMany =
        server.getText(
            "/query/counts?collection=events&by=street,status,board,category",
            "Authorization",
            admin());
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(tooMany.body()).contains("up to 3");
  }

  @Test
  void theHotspotQueryOverTodaysOpenIncidentsRanksAClusterPlantedAlongOneRoadFirst()
      throws Exception {
    // the road: 300 m east-west through a grid of 渝中 (500103)
    Feature grid =
        TestCity.small().layer("grids").features().stream()
            .filter(g -> g.id() / 1_000_000_000L == 500103L)
            .filter(g -> g.geometry().getArea() > 2e-6)
            .skip(7)
            .findFirst()
            .orElseThrow();
    Point c = grid.geometry().getInteriorPoint();
    double metre = 1 / GroundMeasure.SPHERE_METRES_PER_DEGREE;
    Random rnd = new Random(7);
    Set<Long> planted = new HashSet<>();
    for (int i = 0; i < 14; i++) {
      double along = (i * 22 - 150) * metre / Math.cos(Math.toRadians(c.getY()));
      double across = (rnd.nextDouble() * 16 - 8) * metre;
      planted.add(report(c.getX() + along, c.getY() + across, "manhole_cover").get("id").asLong());
    }
    // background: the same category scattered over the three districts
    List<Feature> grids = TestCity.small().layer("grids").features();
    for (int i = 0; i < 40; i++) {
      Point q = grids.get(rnd.nextInt(grids.size())).geometry().getInteriorPoint();
      report(q.getX(), q.getY(), "manhole_cover");
    }
    HttpResponse<String> r =
        server.getText(
            "/query/hotspots?collection=events&category=manhole_cover&datetime="
                + enc(FROM + "/..")
                + "&filter="
                + enc("status NOT IN ('closed','rejected')")
                + "&eps=60&min_points=5",
            "Authorization",
            server.analyst());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode first = JSON.readTree(r.body()).get("features").get(0);
    assertThat(first.at("/properties/rank").asInt()).isEqualTo(1);
    List<Long> members = new ArrayList<>();
    first.at("/properties/members").forEach(m -> members.add(m.asLong()));
    assertThat(planted).containsAll(members);
    assertThat(members.size()).isGreaterThanOrEqualTo(12);
  }
}
