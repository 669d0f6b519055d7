package io.gridmap.server.ogc;

import static io.gridmap.server.ogc.OgcTesting.JSON;
import static io.gridmap.server.ogc.OgcTesting.enc;
import static io.gridmap.server.ogc.OgcTesting.json;
import static io.gridmap.server.ogc.OgcTesting.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.FieldType;
import io.gridmap.layers.model.GeometryKind;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.MvtFeatures;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.gridmap.tiler.geo.TileCoord;
import java.net.http.HttpResponse;
import java.time.Instant;
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
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * Layers of any schema beside the catalogue's, as {@code mapserver import} adds them, served like
 * the built-in ones over HTTP: a staff-only roster of people (points, not clustered, a personal
 * name) and public school zones (overlapping polygons, not a coverage).
 */
class ImportedLayersServedTest {
  private static final GeometryFactory GF = new GeometryFactory();

  /** In 渝中, inside the small test city. */
  private static final double LON = 106.57;

  private static final double LAT = 29.555;

  static final LayerDef ROSTERS =
      new LayerDef(
          "rosters",
          "Duty rosters",
          GeometryKind.POINT,
          List.of(
              Field.tiled("role", FieldType.STRING, "nurse, warden or driver"),
              Field.personal("name", FieldType.STRING, "the person's name"),
              Field.plain("age", FieldType.INTEGER, "age in years"),
              Field.tiled("on_call", FieldType.BOOLEAN, "on call tonight")),
          10,
          14,
          false,
          false,
          true,
          false);

  static final LayerDef SCHOOL_ZONES =
      new LayerDef(
          "school_zones",
          "School catchment zones",
          GeometryKind.POLYGON,
          List.of(
              Field.tiled("school", FieldType.STRING, "the school's name"),
              Field.plain("pupils", FieldType.INTEGER, "pupils enrolled"),
              Field.plain("opened", FieldType.TIMESTAMP, "when the zone was drawn")),
          8,
          14,
          false,
          false,
          false,
          false);

  static final String[] ROLES = {"nurse", "warden", "driver"};
  static final int PEOPLE = 30;
  static final int ZONES = 4;

  static TestServer server;
  static String staff;
  static List<Feature> zones;
  static List<Feature> people;

  @BeforeAll
  static void start() throws Exception {
    people = new ArrayList<>();
    for (int i = 0; i < PEOPLE; i++) {
      // a 6 x 5 block about 60 m across: one cluster cell at z10, were the layer clustered
      Coordinate c = new Coordinate(LON + 0.0001 * (i % 6), LAT + 0.0001 * (i / 6));
      people.add(
          new Feature(
              5000 + i,
              GF.createPoint(c),
              new Object[] {ROLES[i % 3], "Person " + i, 20L + i, i % 2 == 0},
              false));
    }
    zones = new ArrayList<>();
    for (int i = 0; i < ZONES; i++) {
      // squares of about 800 m, each overlapping the next by half
      double x = LON - 0.004 + i * 0.004;
      zones.add(
          new Feature(
              700 + i,
              GF.toGeometry(new Envelope(x, x + 0.008, LAT - 0.004, LAT + 0.004)),
              new Object[] {
                "School " + i,
                300L * (i + 1),
                Instant.parse("2020-09-01T00:00:00Z").toEpochMilli() + i * 86_400_000L
              },
              false));
    }
    Dataset city = TestCity.small();
    List<Layer> layers = new ArrayList<>(city.layers().values());
    layers.add(new Layer(ROSTERS, people));
    layers.add(new Layer(SCHOOL_ZONES, zones));
    server = TestServer.start(Dataset.of(layers, city.metadata(), city.generalised()));
    staff = server.bearer(Role.ADMIN, "");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static JsonNode staffJson(String path) throws Exception {
    return json(server, path, "Authorization", staff);
  }

  private static List<String> collectionIds(JsonNode doc) {
    List<String> ids = new ArrayList<>();
    doc.get("collections").forEach(c -> ids.add(c.get("id").asText()));
    return ids;
  }

  @Test
  void collectionsListTheStaffOnlyLayerForStaffAloneAndImportedLayersAfterTheCatalogue()
      throws Exception {
    assertThat(collectionIds(json(server, "/collections")))
        .contains("school_zones")
        .doesNotContain("rosters")
        .containsSubsequence("events", "school_zones");
    assertThat(collectionIds(staffJson("/collections")))
        .containsSubsequence("events", "rosters", "school_zones");
    assertThat(staffJson("/collections/rosters").get("id").asText()).isEqualTo("rosters");
    // the lists differ by class: a shared cache must never hand the staff's to the public
    HttpResponse<String> st = server.getText("/collections", "Authorization", staff);
    assertThat(st.headers().firstValue("Cache-Control").orElse("")).startsWith("private");
    assertThat(server.getText("/collections").headers().firstValue("Vary").orElse(""))
        .contains("Authorization");
  }

  @Test
  void toThePublicAStaffOnlyLayerIsExactlyACollectionThatDoesNotExist() throws Exception {
    for (String tail : new String[] {"", "/items", "/queryables", "/items/5000", "/tiles"}) {
      JsonNode hidden = problem(server, "/collections/rosters" + tail, 404, "rosters");
      JsonNode missing = problem(server, "/collections/rostery" + tail, 404, "rostery");
      // the same words, the name aside: the collections listed never include the hidden one
      assertThat(hidden.get("detail").asText().replace("rosters", "rostery"))
          .as(tail)
          .isEqualTo(missing.get("detail").asText());
      assertThat(hidden.get("detail").asText()).as(tail).contains("school_zones");
    }
    HttpResponse<String> res = server.getText("/collections/rosters/items", "Authorization", staff);
    assertThat(res.statusCode()).isEqualTo(200);
    // an analyst queries, but sees as the public does
    assertThat(
            server
                .getText("/collections/rosters/items", "Authorization", server.analyst())
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void itemsOfAnImportedLayerFilterWithCql2OnItsOwnFields() throws Exception {
    JsonNode page =
        json(
            server,
            "/collections/school_zones/items?filter="
                + enc("pupils >= 600 AND opened < TIMESTAMP('2020-09-03T12:00:00Z')"));
    Set<Long> ids = new HashSet<>();
    page.get("features").forEach(f -> ids.add(f.get("id").asLong()));
    assertThat(ids).containsExactlyInAnyOrder(701L, 702L);
    JsonNode first = page.get("features").get(0);
    assertThat(first.get("properties").get("school").asText()).startsWith("School ");

    JsonNode nurses =
        staffJson(
            "/collections/rosters/items?limit=100&filter="
                + enc("role = 'nurse' AND age < 35 AND on_call = true"));
    Set<Long> expected =
        people.stream()
            .filter(
                f -> f.value(0).equals("nurse") && (long) f.value(2) < 35 && (boolean) f.value(3))
            .map(Feature::id)
            .collect(Collectors.toSet());
    Set<Long> served = new HashSet<>();
    nurses.get("features").forEach(f -> served.add(f.get("id").asLong()));
    assertThat(served).isNotEmpty().isEqualTo(expected);
    // staff see the personal field in items, as for the catalogue's layers
    assertThat(nurses.get("features").get(0).get("properties").has("name")).isTrue();
  }

  @Test
  void queryablesOfAnImportedLayerAreItsFieldsWithTheirTypesAndNoPersonalOne() throws Exception {
    JsonNode zonesQ = json(server, "/collections/school_zones/queryables").get("properties");
    assertThat(zonesQ.get("school").get("type").asText()).isEqualTo("string");
    assertThat(zonesQ.get("pupils").get("type").asText()).isEqualTo("integer");
    assertThat(zonesQ.get("opened").get("format").asText()).isEqualTo("date-time");
    assertThat(zonesQ.get("geometry").get("format").asText()).isEqualTo("geometry-multipolygon");
    JsonNode rostersQ = staffJson("/collections/rosters/queryables").get("properties");
    assertThat(rostersQ.get("on_call").get("type").asText()).isEqualTo("boolean");
    assertThat(rostersQ.has("name")).isFalse();
  }

  private static MvtFeatures tile(int z, String... headers) throws Exception {
    TileCoord c = TileCoord.containing(WebMercator.x(LON), WebMercator.y(LAT), z);
    HttpResponse<byte[]> res =
        server.get("/tiles/cq/" + z + "/" + c.x() + "/" + c.y() + ".mvt", headers);
    assertThat(res.statusCode()).isEqualTo(200);
    return MvtFeatures.of(res.body());
  }

  @Test
  void aTileHoldsBothImportedLayersForStaffAndOnlyThePublicOneForThePublic() throws Exception {
    MvtFeatures pub = tile(12);
    assertThat(pub.layers()).contains("school_zones", "grids").doesNotContain("rosters");
    // overlapping zones: every one drawn whole
    assertThat(pub.ids("school_zones")).containsExactlyInAnyOrder(700L, 701L, 702L, 703L);
    assertThat(pub.props("school_zones", 701)).containsEntry("school", "School 1");

    MvtFeatures st = tile(12, "Authorization", staff);
    assertThat(st.layers()).contains("school_zones", "rosters");
    assertThat(st.count("rosters")).isEqualTo(PEOPLE);
    // personal fields never go into tiles, not even the staff class's
    Map<String, Object> person = st.props("rosters", 5000);
    assertThat(person).containsEntry("role", "nurse").doesNotContainKey("name");
  }

  @Test
  void pointsOfAnUnclusteredLayerAreDrawnOneByOneAtItsFirstZoom() throws Exception {
    MvtFeatures z10 = tile(10, "Authorization", staff);
    assertThat(z10.ids("rosters"))
        .isEqualTo(people.stream().map(Feature::id).collect(Collectors.toSet()));
    for (long id : z10.ids("rosters")) {
      assertThat(z10.props("rosters", id)).doesNotContainKey("count");
    }
    assertThat(tile(9, "Authorization", staff).layers()).doesNotContain("rosters");
  }

  private static Map<String, JsonNode> vectorLayers(JsonNode tileJson) {
    Map<String, JsonNode> out = new HashMap<>();
    tileJson.get("vector_layers").forEach(l -> out.put(l.get("id").asText(), l));
    return out;
  }

  @Test
  void tileJsonListsImportedLayersWithTheirZoomsAndWhetherTheyAreClustered() throws Exception {
    Map<String, JsonNode> pub = vectorLayers(json(server, "/tiles/cq.json"));
    assertThat(pub).containsKey("school_zones").doesNotContainKey("rosters");
    assertThat(pub.get("school_zones").get("minzoom").asInt()).isEqualTo(8);
    assertThat(pub.get("school_zones").get("maxzoom").asInt()).isEqualTo(14);
    assertThat(pub.get("school_zones").get("fields").has("school")).isTrue();
    assertThat(pub.get("school_zones").has("clustered")).isFalse();
    assertThat(pub.get("events").get("clustered").asBoolean()).isTrue();

    HttpResponse<String> res = server.getText("/tiles/cq.json", "Authorization", staff);
    assertThat(res.headers().firstValue("Cache-Control").orElse("")).startsWith("private");
    Map<String, JsonNode> st = vectorLayers(JSON.readTree(res.body()));
    JsonNode rosters = st.get("rosters");
    assertThat(rosters.get("minzoom").asInt()).isEqualTo(10);
    assertThat(rosters.get("maxzoom").asInt()).isEqualTo(14);
    assertThat(rosters.get("clustered").asBoolean()).isFalse();
    assertThat(rosters.get("fields").has("role")).isTrue();
    assertThat(rosters.get("fields").has("name")).isFalse();
    assertThat(rosters.get("fields").has("count")).isFalse();
  }

  private static Set<String> styleSourceLayers(JsonNode style) {
    Set<String> out = new HashSet<>();
    style.get("layers").forEach(l -> out.add(l.path("source-layer").asText()));
    return out;
  }

  @Test
  void theStyleDrawsImportedLayersAndThePublicOneNoStaffOnlyLayer() throws Exception {
    JsonNode pub = json(server, "/styles/default.json");
    assertThat(styleSourceLayers(pub)).contains("school_zones").doesNotContain("rosters");
    JsonNode fill = null;
    for (JsonNode l : pub.get("layers")) {
      if (l.get("id").asText().equals("imported-school_zones-fill")) {
        fill = l;
      }
    }
    assertThat(fill).isNotNull();
    assertThat(fill.get("minzoom").asInt()).isEqualTo(8);
    assertThat(pub.toString()).contains("imported-school_zones-line");

    JsonNode st = staffJson("/styles/dark.json");
    assertThat(styleSourceLayers(st)).contains("school_zones", "rosters");
    for (JsonNode l : st.get("layers")) {
      if (l.path("source-layer").asText().equals("rosters")) {
        assertThat(l.get("type").asText()).isEqualTo("circle");
        assertThat(l.get("minzoom").asInt()).isEqualTo(10);
        assertThat(l.has("filter")).as("no cluster filter: every feature is a point").isFalse();
      }
    }
  }

  @Test
  void healthCountsTheStaffOnlyLayerForStaffAlone() throws Exception {
    JsonNode pub = json(server, "/health");
    assertThat(pub.toString()).doesNotContain("rosters").contains("school_zones");
  }
}
