package io.gridmap.server.ogc;

import static io.gridmap.server.ogc.OgcTesting.enc;
import static io.gridmap.server.ogc.OgcTesting.json;
import static io.gridmap.server.ogc.OgcTesting.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.testing.PostgisOracle;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OGC API - Features Part 3 over HTTP: CQL2 text and JSON filters and datetime, each checked
 * against an independent oracle: a predicate written by hand in Java over the dataset, or
 * hand-written PostGIS SQL for the spatial functions. Never the CQL2 evaluator itself.
 */
class OgcCql2Test {
  static TestServer server;
  static Dataset city;
  static List<Feature> events;
  static PostgisOracle pg;

  // events: category 0, board 1, urgency 2, status 3, reported_at 4, closed_at 5, grid_code 6
  static final long MAR_1 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  static final long APR_1 = Instant.parse("2026-04-01T00:00:00Z").toEpochMilli();

  @BeforeAll
  static void start() throws Exception {
    city = TestCity.small();
    server = TestServer.start(city);
    events = city.layer("events").features().stream().filter(f -> !f.personal()).toList();
    pg = new PostgisOracle();
    pg.load("events", events, 7);
    pg.load("grids", city.layer("grids").features(), 1);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    pg.close();
  }

  static Set<Long> oracle(Predicate<Feature> p) {
    return events.stream().filter(p).map(Feature::id).collect(Collectors.toSet());
  }

  /** Every id the server matches, through all pages. */
  static Set<Long> served(String collection, String query) throws Exception {
    Set<Long> ids = new HashSet<>();
    String path = "/collections/" + collection + "/items?limit=10000&properties=&" + query;
    int matched = -1;
    while (path != null) {
      JsonNode page = json(server, path);
      page.get("features").forEach(f -> ids.add(f.get("id").asLong()));
      matched = page.get("numberMatched").asInt();
      path = null;
      for (JsonNode l : page.get("links")) {
        if (l.get("rel").asText().equals("next")) {
          path = OgcTesting.relative(server, l.get("href").asText());
        }
      }
    }
    assertThat(matched).isEqualTo(ids.size());
    return ids;
  }

  static Set<Long> text(String collection, String filter) throws Exception {
    return served(collection, "filter=" + enc(filter));
  }

  static long t(Feature f, int i) {
    return f.value(i) == null ? Long.MIN_VALUE : (Long) f.value(i);
  }

  @Test
  void comparisonLikeInBetweenIsNullAndLogic() throws Exception {
    assertThat(text("events", "category = 'manhole_cover'"))
        .isNotEmpty()
        .isEqualTo(oracle(f -> "manhole_cover".equals(f.value(0))));
    assertThat(text("events", "category <> 'manhole_cover' AND board = 'safety_law'"))
        .isEqualTo(
            oracle(f -> !"manhole_cover".equals(f.value(0)) && "safety_law".equals(f.value(1))));
    assertThat(text("events", "category LIKE 'water%' OR category LIKE '%_alarm'"))
        .isNotEmpty()
        .isEqualTo(
            oracle(
                f ->
                    ((String) f.value(0)).startsWith("water")
                        || ((String) f.value(0)).endsWith("alarm")));
    assertThat(
            text("events", "category IN ('fire_hazard', 'wristband_alarm') AND urgency = 'urgent'"))
        .isNotEmpty()
        .isEqualTo(
            oracle(
                f ->
                    List.of("fire_hazard", "wristband_alarm").contains(f.value(0))
                        && "urgent".equals(f.value(2))));
    assertThat(text("events", "category NOT IN ('garbage_pileup', 'road_damage')"))
        .isEqualTo(oracle(f -> !List.of("garbage_pileup", "road_damage").contains(f.value(0))));
    assertThat(text("events", "closed_at IS NULL"))
        .isNotEmpty()
        .isEqualTo(oracle(f -> f.value(5) == null));
    assertThat(text("events", "NOT (status = 'closed') AND closed_at IS NOT NULL"))
        .isEqualTo(oracle(f -> !"closed".equals(f.value(3)) && f.value(5) != null));
    assertThat(text("events", "CASEI(category) = CASEI('MANHOLE_Cover')"))
        .isEqualTo(oracle(f -> "manhole_cover".equals(f.value(0))));
    assertThat(text("grids", "population BETWEEN 400 AND 600"))
        .isEqualTo(
            city.layer("grids").features().stream()
                .filter(f -> (Long) f.value(5) >= 400 && (Long) f.value(5) <= 600)
                .map(Feature::id)
                .collect(Collectors.toSet()));
  }

  @Test
  void temporalComparisonOnEventTimeAndDatetime() throws Exception {
    Set<Long> march = oracle(f -> t(f, 4) >= MAR_1 && t(f, 4) < APR_1);
    assertThat(march).isNotEmpty();
    assertThat(
            text(
                "events",
                "reported_at >= TIMESTAMP('2026-03-01T00:00:00Z') AND reported_at < TIMESTAMP('2026-04-01T00:00:00Z')"))
        .isEqualTo(march);
    assertThat(
            text(
                "events",
                "T_DURING(reported_at, INTERVAL('2026-03-01T00:00:00Z', '2026-03-31T23:59:59.999Z'))"))
        .isEqualTo(march);
    assertThat(text("events", "T_AFTER(reported_at, TIMESTAMP('2026-10-01T00:00:00Z'))"))
        .isEqualTo(oracle(f -> t(f, 4) > Instant.parse("2026-10-01T00:00:00Z").toEpochMilli()));
    assertThat(served("events", "datetime=2026-03-01T00:00:00Z/2026-03-31T23:59:59.999Z"))
        .isEqualTo(march);
    assertThat(served("events", "datetime=2026-03-01/2026-03-31")).isEqualTo(march);
    assertThat(served("events", "datetime=../2026-02-28T23:59:59.999Z"))
        .isEqualTo(oracle(f -> t(f, 4) < MAR_1));
    assertThat(served("events", "datetime=2026-03-01T00:00:00Z/.."))
        .isEqualTo(oracle(f -> t(f, 4) >= MAR_1));
    assertThat(served("events", "datetime=2026-03-01/2026-03-31&category=manhole_cover"))
        .isEqualTo(
            oracle(f -> t(f, 4) >= MAR_1 && t(f, 4) < APR_1 && "manhole_cover".equals(f.value(0))));
  }

  @Test
  void spatialFunctionsAgreeWithHandWrittenPostgis() throws Exception {
    String poly =
        "POLYGON((106.55 29.55, 106.58 29.55, 106.58 29.57, 106.56 29.575, 106.55 29.55))";
    assertThat(text("events", "S_INTERSECTS(geometry, " + poly + ")"))
        .isNotEmpty()
        .isEqualTo(
            pg.ids(
                "SELECT id FROM events WHERE ST_Intersects(geom, ST_GeomFromText(?, 4326))", poly));
    assertThat(text("events", "S_WITHIN(geometry, " + poly + ") AND category = 'garbage_pileup'"))
        .isEqualTo(
            pg.ids(
                "SELECT id FROM events WHERE ST_Within(geom, ST_GeomFromText(?, 4326)) AND v0 = 'garbage_pileup'",
                poly));
    assertThat(text("events", "S_DWITHIN(geometry, POINT(106.57 29.56), 500, meters)"))
        .isNotEmpty()
        .isEqualTo(
            pg.ids(
                "SELECT id FROM events WHERE ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint(106.57, 29.56), 4326)::geography, 500)"));
    assertThat(text("grids", "S_CONTAINS(geometry, POINT(106.5712 29.5603))"))
        .hasSize(1)
        .isEqualTo(
            pg.ids(
                "SELECT id FROM grids WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint(106.5712, 29.5603), 4326))"));
    assertThat(text("grids", "S_WITHIN(geometry, BBOX(106.55, 29.55, 106.58, 29.57))"))
        .isNotEmpty()
        .isEqualTo(
            pg.ids(
                "SELECT id FROM grids WHERE ST_Within(geom, ST_MakeEnvelope(106.55, 29.55, 106.58, 29.57, 4326))"));
  }

  @Test
  void propertyToPropertyComparison() throws Exception {
    // closed_at after reported_at by more than nothing: a comparison of two properties
    assertThat(text("events", "closed_at > reported_at"))
        .isNotEmpty()
        .isEqualTo(oracle(f -> f.value(5) != null && t(f, 5) > t(f, 4)));
    assertThat(text("events", "closed_at < reported_at"))
        .isEqualTo(oracle(f -> f.value(5) != null && t(f, 5) < t(f, 4)));
  }

  @Test
  void cql2JsonGivesTheSameAnswers() throws Exception {
    String json =
        "{\"op\":\"and\",\"args\":[{\"op\":\"=\",\"args\":[{\"property\":\"category\"},\"manhole_cover\"]},"
            + "{\"op\":\"s_intersects\",\"args\":[{\"property\":\"geometry\"},{\"bbox\":[106.5,29.5,106.6,29.6]}]}]}";
    Set<Long> got = served("events", "filter-lang=cql2-json&filter=" + enc(json));
    assertThat(got)
        .isNotEmpty()
        .isEqualTo(
            pg.ids(
                "SELECT id FROM events WHERE v0 = 'manhole_cover' AND ST_Intersects(geom, ST_MakeEnvelope(106.5, 29.5, 106.6, 29.6, 4326))"));
    assertThat(
            served(
                "events",
                "filter-lang=cql2-text&filter="
                    + enc(
                        "category = 'manhole_cover' AND S_INTERSECTS(geometry, BBOX(106.5, 29.5, 106.6, 29.6))")))
        .isEqualTo(got);
  }

  @Test
  void queryablesListPublicPropertiesAsJsonSchema() throws Exception {
    var res = server.getText("/collections/grids/queryables");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type")).hasValue("application/schema+json");
    JsonNode q = OgcTesting.JSON.readTree(res.body());
    assertThat(q.get("$schema").asText()).contains("json-schema.org");
    assertThat(q.get("properties").has("code")).isTrue();
    assertThat(q.get("properties").has("geometry")).isTrue();
    assertThat(q.get("properties").has("worker_name")).isFalse();
    assertThat(q.at("/properties/population/type").asText()).isEqualTo("integer");
    assertThat(json(server, "/collections/events").get("links").findValuesAsText("rel"))
        .contains("http://www.opengis.net/def/rel/ogc/1.0/queryables");
    JsonNode ev = OgcTesting.JSON.readTree(server.getText("/collections/events/queryables").body());
    assertThat(ev.at("/properties/reported_at/format").asText()).isEqualTo("date-time");
  }

  @Test
  void malformedFiltersAre400NamingPositionTokenAndForm() throws Exception {
    JsonNode p =
        problem(
            server,
            "/collections/events/items?filter=" + enc("category = "),
            400,
            "filter",
            "'category = '",
            "column",
            "cql2-text");
    assertThat(p.get("detail").asText()).contains("expected");
    problem(
        server,
        "/collections/events/items?filter=" + enc("category == 'x'"),
        400,
        "filter",
        "column 11",
        "'='");
    problem(
        server,
        "/collections/events/items?filter=" + enc("colour = 'red'"),
        400,
        "filter",
        "'colour'",
        "queryables");
    problem(
        server,
        "/collections/events/items?filter-lang=cql2-json&filter="
            + enc("{\"op\":\"=\",\"args\":[1]}"),
        400,
        "filter",
        "cql2-json");
    problem(
        server,
        "/collections/events/items?filter-lang=cql3&filter=x",
        400,
        "filter-lang",
        "'cql3'",
        "cql2-text or cql2-json");
    problem(
        server,
        "/collections/events/items?filter-crs="
            + enc("http://www.opengis.net/def/crs/EPSG/0/3857")
            + "&filter="
            + enc("category='x'"),
        400,
        "filter-crs",
        "3857",
        "CRS84");
  }
}
