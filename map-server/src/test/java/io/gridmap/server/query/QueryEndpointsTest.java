package io.gridmap.server.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.testing.PostgisOracle;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nearest, within and counts over HTTP, against hand-written PostGIS SQL and hand-written Java
 * counts.
 */
class QueryEndpointsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static TestServer server;
  static Dataset city;
  static PostgisOracle pg;

  @BeforeAll
  static void start() throws Exception {
    city = TestCity.small();
    server = TestServer.start(city);
    pg = new PostgisOracle();
    pg.load(
        "forces", city.layer("forces").features().stream().filter(f -> !f.personal()).toList(), 3);
    pg.load(
        "events", city.layer("events").features().stream().filter(f -> !f.personal()).toList(), 7);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    pg.close();
  }

  static JsonNode get(String path) throws Exception {
    var res = server.getText(path, "Authorization", server.analyst());
    assertThat(res.statusCode()).as(path + " " + res.body()).isEqualTo(200);
    return JSON.readTree(res.body());
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void nearestForcesWithRoleAndOnDutyAgreeWithPostgisGeographyDistances() throws Exception {
    // forces: role v0, on_duty v1
    for (String[] c :
        new String[][] {
          {"", "true"},
          {"&role=police", "v0 = 'police'"},
          {"&role=grid_worker&on_duty=true", "v0 = 'grid_worker' AND v1 = 'true'"}
        }) {
      JsonNode doc = get("/query/nearest?lon=106.57&lat=29.56&k=7" + c[0]);
      List<Long> ids = new ArrayList<>();
      List<Double> metres = new ArrayList<>();
      String sql =
          "SELECT id, ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint(106.57, 29.56), 4326)::geography) d FROM forces WHERE "
              + c[1]
              + " ORDER BY d, id LIMIT 7";
      try (PreparedStatement ps = pg.db.prepareStatement(sql);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
          metres.add(rs.getDouble(2));
        }
      }
      assertThat(doc.get("features")).hasSize(7);
      for (int i = 0; i < 7; i++) {
        JsonNode f = doc.get("features").get(i);
        assertThat(f.get("id").asLong()).as(c[0] + " #" + i).isEqualTo(ids.get(i));
        assertThat(f.get("distance_m").asDouble())
            .isCloseTo(metres.get(i), within(0.05 + metres.get(i) * 1e-4));
        assertThat(f.get("properties").has("name")).isFalse();
      }
    }
    assertProblem("/query/nearest?lon=106.57&lat=29.56&k=0", 400, "k", "'0'", "1..100");
    assertProblem(
        "/query/nearest?lon=106.57&lat=29.56&on_duty=perhaps",
        400,
        "on_duty",
        "'perhaps'",
        "true or false");
  }

  @Test
  void withinRadiusAndPolygonAgreeWithPostgis() throws Exception {
    Set<Long> radius =
        ids(get("/query/within?collection=events&lon=106.57&lat=29.56&radius=400&limit=10000"));
    assertThat(radius)
        .isNotEmpty()
        .isEqualTo(
            pg.ids(
                "SELECT id FROM events WHERE ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint(106.57, 29.56), 4326)::geography, 400)"));
    String poly = "POLYGON((106.55 29.55, 106.58 29.55, 106.57 29.57, 106.55 29.55))";
    Set<Long> inPoly =
        ids(
            get(
                "/query/within?collection=events&polygon="
                    + enc(poly)
                    + "&category=garbage_pileup&limit=10000"));
    assertThat(inPoly)
        .isNotEmpty()
        .isEqualTo(
            pg.ids(
                "SELECT id FROM events WHERE ST_Intersects(geom, ST_GeomFromText(?, 4326)) AND v0 = 'garbage_pileup'",
                poly));
    assertProblem(
        "/query/within?polygon=" + enc("POLYGON((1 1, 2 2))"),
        400,
        "polygon",
        "POLYGON((1 1, 2 2))",
        "WKT POLYGON");
    assertProblem("/query/within?lon=106&lat=29&radius=-5", 400, "radius", "'-5'", "metres");
  }

  static Set<Long> ids(JsonNode fc) {
    Set<Long> out = new HashSet<>();
    fc.get("features").forEach(f -> out.add(f.get("id").asLong()));
    return out;
  }

  @Test
  void countsByAdminLevelCategoryBoardAndTimeWindowMatchHandCounts() throws Exception {
    List<Feature> events =
        city.layer("events").features().stream().filter(f -> !f.personal()).toList();
    long from = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
    long to = Instant.parse("2026-03-31T23:59:59.999Z").toEpochMilli();
    List<Feature> march =
        events.stream().filter(f -> (Long) f.value(4) >= from && (Long) f.value(4) <= to).toList();
    Map<String, Long> byStreet =
        march.stream()
            .collect(
                Collectors.groupingBy(
                    f -> ((String) f.value(6)).substring(0, 9), Collectors.counting()));
    JsonNode doc = get("/query/counts?collection=events&by=street&datetime=2026-03-01/2026-03-31");
    assertThat(doc.get("numberMatched").asLong()).isEqualTo(march.size());
    assertThat(groups(doc)).isEqualTo(byStreet);
    assertThat(doc.at("/groups/0/name").asText()).matches(".*(街道|镇|乡)");
    Map<String, Long> byBoard =
        events.stream()
            .collect(Collectors.groupingBy(f -> (String) f.value(1), Collectors.counting()));
    assertThat(groups(get("/query/counts?by=board"))).isEqualTo(byBoard);
    Map<String, Long> byDistrictManhole =
        events.stream()
            .filter(f -> "manhole_cover".equals(f.value(0)))
            .collect(
                Collectors.groupingBy(
                    f -> ((String) f.value(6)).substring(0, 6), Collectors.counting()));
    assertThat(groups(get("/query/counts?by=district&category=manhole_cover")))
        .isEqualTo(byDistrictManhole);
    Map<String, Long> byMonth =
        events.stream()
            .collect(
                Collectors.groupingBy(
                    f -> {
                      var t =
                          Instant.ofEpochMilli((Long) f.value(4))
                              .atZone(ZoneId.of("Asia/Shanghai"));
                      return String.format("%d-%02d", t.getYear(), t.getMonthValue());
                    },
                    Collectors.counting()));
    assertThat(groups(get("/query/counts?by=month"))).isEqualTo(byMonth);
    Map<String, Long> sitesByCategory =
        city.layer("key_sites").features().stream()
            .filter(f -> !f.personal())
            .collect(Collectors.groupingBy(f -> (String) f.value(0), Collectors.counting()));
    assertThat(groups(get("/query/counts?collection=key_sites&by=category")))
        .isEqualTo(sitesByCategory);
    assertProblem("/query/counts?by=colour", 400, "by", "'colour'", "district, street");
  }

  static Map<String, Long> groups(JsonNode doc) {
    Map<String, Long> out = new HashMap<>();
    doc.get("groups").forEach(g -> out.put(g.get("key").asText(), g.get("count").asLong()));
    return out;
  }

  @Test
  void domainQueriesAreDocumentedInTheOpenApi() throws Exception {
    JsonNode paths = get("/api").get("paths");
    for (String p :
        List.of(
            "/query/locate",
            "/query/nearest",
            "/query/within",
            "/query/counts",
            "/query/hotspots")) {
      assertThat(paths.has(p)).as(p).isTrue();
    }
    assertThat(paths.at("/~1query~1locate/get/description").asText())
        .contains("smallest grid code");
    assertThat(
            paths
                .at(
                    "/~1query~1locate/post/requestBody/content/application~1json/schema/properties/points/maxItems")
                .asInt())
        .isEqualTo(10_000);
  }

  static void assertProblem(String path, int status, String... fragments) throws Exception {
    var res = server.getText(path, "Authorization", server.analyst());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
    assertThat(res.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    String detail = JSON.readTree(res.body()).get("detail").asText();
    for (String f : fragments) {
      assertThat(detail).contains(f);
    }
  }
}
