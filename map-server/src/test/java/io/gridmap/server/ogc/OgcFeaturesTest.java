package io.gridmap.server.ogc;

import static io.gridmap.server.ogc.OgcTesting.JSON;
import static io.gridmap.server.ogc.OgcTesting.enc;
import static io.gridmap.server.ogc.OgcTesting.json;
import static io.gridmap.server.ogc.OgcTesting.problem;
import static io.gridmap.server.ogc.OgcTesting.relative;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;

/** OGC API - Features Part 1 (core, GeoJSON, OpenAPI 3.0) over HTTP on the small generated city. */
class OgcFeaturesTest {
  static TestServer server;
  static Dataset city;

  @BeforeAll
  static void start() throws Exception {
    city = TestCity.small();
    server = TestServer.start(city);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void landingPageIsJsonForAcceptJsonOrFJson() throws Exception {
    for (String[] how : new String[][] {{"/", "Accept", "application/json"}, {"/?f=json"}, {"/"}}) {
      String[] headers = how.length > 1 ? new String[] {how[1], how[2]} : new String[0];
      var res = server.getText(how[0], headers);
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.headers().firstValue("Content-Type")).hasValue("application/json");
      JsonNode doc = JSON.readTree(res.body());
      assertThat(doc.get("title").asText()).isNotBlank();
      Set<String> rels = new HashSet<>(doc.get("links").findValuesAsText("rel"));
      assertThat(rels).contains("self", "service-desc", "conformance", "data", "alternate");
      List<String> hrefs = doc.get("links").findValuesAsText("href");
      assertThat(hrefs)
          .contains(
              server.baseUrl() + "/api",
              server.baseUrl() + "/conformance",
              server.baseUrl() + "/collections",
              server.baseUrl() + "/viewer/",
              server.baseUrl() + "/tiles/cq.json",
              server.baseUrl() + "/tiles");
    }
  }

  @Test
  void landingPageIsHtmlForBrowsersLinkingViewerCollectionsTileJsonAndApi() throws Exception {
    var res =
        server.getText(
            "/", "Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
    assertThat(res.body())
        .contains(
            "<html",
            "href=\"" + server.baseUrl() + "/viewer/\"",
            "/collections\"",
            "/tiles/cq.json\"",
            "/api\"");
    assertThat(server.getText("/?f=html").body()).contains("<html");
  }

  @Test
  void conformanceDeclaresCoreGeoJsonOas30CrsFilterAndTiles() throws Exception {
    JsonNode doc = json(server, "/conformance");
    List<String> classes = new ArrayList<>();
    doc.get("conformsTo").forEach(n -> classes.add(n.asText()));
    assertThat(classes).containsExactlyElementsOf(Conformance.CLASSES);
    assertThat(classes)
        .contains(
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30");
  }

  @Test
  void apiIsOpenApi30ListingItemsPathsWithPropertyParametersPerCollection() throws Exception {
    var res = server.getText("/api");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type"))
        .hasValue("application/vnd.oai.openapi+json;version=3.0");
    JsonNode api = JSON.readTree(res.body());
    assertThat(api.get("openapi").asText()).startsWith("3.0");
    JsonNode paths = api.get("paths");
    for (String p : List.of("/", "/conformance", "/api", "/collections", "/tiles")) {
      assertThat(paths.has(p)).as(p).isTrue();
    }
    for (LayerDef def : Catalogue.ALL) {
      JsonNode items = paths.get("/collections/" + def.name() + "/items");
      assertThat(items).as(def.name()).isNotNull();
      Set<String> names = new TreeSet<>();
      for (JsonNode param : items.get("get").get("parameters")) {
        names.add(
            param.has("$ref")
                ? refName(api, param.get("$ref").asText())
                : param.get("name").asText());
      }
      assertThat(names)
          .contains(
              "bbox",
              "limit",
              "offset",
              "crs",
              "bbox-crs",
              "datetime",
              "filter",
              "filter-lang",
              "properties");
      for (Field f : def.fields()) {
        if (f.personal()) {
          assertThat(names).as(def.name()).doesNotContain(f.name());
        } else if (f.type() != io.gridmap.layers.model.FieldType.TIMESTAMP) {
          assertThat(names).as(def.name()).contains(f.name());
        }
      }
      assertThat(paths.has("/collections/" + def.name() + "/items/{featureId}")).isTrue();
    }
    JsonNode limit = api.at("/components/parameters/limit/schema");
    assertThat(limit.get("default").asInt()).isEqualTo(OgcApi.DEFAULT_LIMIT);
    assertThat(limit.get("maximum").asInt()).isEqualTo(OgcApi.MAX_LIMIT);
    // every $ref resolves
    List<String> refs = api.findValuesAsText("$ref");
    for (String r : refs) {
      assertThat(api.at(r.substring(1)).isMissingNode()).as(r).isFalse();
    }
  }

  private static String refName(JsonNode api, String ref) {
    return api.at(ref.substring(1)).get("name").asText();
  }

  @Test
  void collectionsListEveryLayerWithExtentCrsAndLinks() throws Exception {
    JsonNode doc = json(server, "/collections");
    List<String> ids = doc.get("collections").findValuesAsText("id");
    assertThat(ids).containsExactlyElementsOf(Catalogue.ALL.stream().map(LayerDef::name).toList());
    for (JsonNode c : doc.get("collections")) {
      assertThat(c.at("/extent/spatial/bbox/0").size()).isEqualTo(4);
      assertThat(c.get("links").findValuesAsText("rel")).contains("self", "items");
      assertThat(c.get("crs").size()).isEqualTo(4);
      assertThat(c.get("storageCrs").asText())
          .isEqualTo("http://www.opengis.net/def/crs/OGC/1.3/CRS84");
      JsonNode one = json(server, "/collections/" + c.get("id").asText());
      assertThat(one.get("id").asText()).isEqualTo(c.get("id").asText());
    }
    JsonNode events = json(server, "/collections/events");
    assertThat(events.at("/extent/temporal/interval/0/0").asText()).startsWith("20");
  }

  @Test
  void pagingThroughNextLinksReturnsEveryPublicFeatureOnce() throws Exception {
    long expected = city.layer("key_sites").features().stream().filter(f -> !f.personal()).count();
    String path = "/collections/key_sites/items?limit=700";
    Set<Long> ids = new HashSet<>();
    int pages = 0;
    while (path != null) {
      var res = server.getText(path);
      assertThat(res.statusCode()).isEqualTo(200);
      assertThat(res.headers().firstValue("Content-Type")).hasValue("application/geo+json");
      JsonNode page = JSON.readTree(res.body());
      assertThat(page.get("type").asText()).isEqualTo("FeatureCollection");
      assertThat(page.get("numberMatched").asLong()).isEqualTo(expected);
      assertThat(page.get("numberReturned").asInt()).isEqualTo(page.get("features").size());
      for (JsonNode f : page.get("features")) {
        assertThat(ids.add(f.get("id").asLong())).isTrue();
      }
      if (pages > 0) {
        assertThat(page.get("links").findValuesAsText("rel")).contains("prev");
      }
      path = null;
      for (JsonNode l : page.get("links")) {
        if (l.get("rel").asText().equals("next")) {
          path = relative(server, l.get("href").asText());
        }
      }
      pages++;
    }
    assertThat(ids).hasSize((int) expected);
    assertThat(pages).isEqualTo((int) ((expected + 699) / 700));
  }

  @Test
  void limitHasADefaultAndAnswersAboveTheMaximumWithTheMaximum() throws Exception {
    JsonNode page = json(server, "/collections/events/items");
    assertThat(page.get("numberReturned").asInt()).isEqualTo(OgcApi.DEFAULT_LIMIT);
    JsonNode big = json(server, "/collections/events/items?limit=1000000000&properties=category");
    assertThat(big.get("numberReturned").asInt())
        .isEqualTo(Math.min(OgcApi.MAX_LIMIT, big.get("numberMatched").asInt()));
    assertThat(big.get("numberMatched").asInt()).isGreaterThan(OgcApi.MAX_LIMIT);
  }

  @Test
  void bboxSelectsExactlyThePointsInsideIt() throws Exception {
    Envelope box = new Envelope(106.55, 106.58, 29.55, 29.57);
    Set<Long> expected =
        city.layer("events").features().stream()
            .filter(f -> !f.personal() && box.covers(((Point) f.geometry()).getCoordinate()))
            .map(Feature::id)
            .collect(Collectors.toSet());
    assertThat(expected).isNotEmpty();
    JsonNode page =
        json(server, "/collections/events/items?limit=10000&bbox=106.55,29.55,106.58,29.57");
    Set<Long> got =
        new HashSet<>(
            page.get("features").findValuesAsText("id").stream().map(Long::parseLong).toList());
    assertThat(got).isEqualTo(expected);
    assertThat(page.get("numberMatched").asInt()).isEqualTo(expected.size());
  }

  @Test
  void bboxOnPolygonsKeepsThoseIntersectingIt() throws Exception {
    Envelope box = new Envelope(106.56, 106.565, 29.555, 29.558);
    var poly = new GeometryFactory().toGeometry(box);
    Set<Long> expected =
        city.layer("grids").features().stream()
            .filter(f -> f.geometry().intersects(poly))
            .map(Feature::id)
            .collect(Collectors.toSet());
    JsonNode page =
        json(server, "/collections/grids/items?limit=1000&bbox=106.56,29.555,106.565,29.558");
    Set<Long> got =
        new HashSet<>(
            page.get("features").findValuesAsText("id").stream().map(Long::parseLong).toList());
    assertThat(got).isNotEmpty().isEqualTo(expected);
  }

  @Test
  void propertiesSelectsTheReturnedProperties() throws Exception {
    JsonNode page = json(server, "/collections/events/items?limit=3&properties=category,board");
    for (JsonNode f : page.get("features")) {
      List<String> names = new ArrayList<>();
      f.get("properties").fieldNames().forEachRemaining(names::add);
      assertThat(names).containsExactly("category", "board");
    }
  }

  @Test
  void partOnePropertyParametersFilterByEquality() throws Exception {
    long expected =
        city.layer("events").features().stream()
            .filter(f -> "manhole_cover".equals(f.value(0)) && "urgent".equals(f.value(2)))
            .count();
    JsonNode page =
        json(server, "/collections/events/items?limit=1&category=manhole_cover&urgency=urgent");
    assertThat(page.get("numberMatched").asLong()).isEqualTo(expected);
    long onDuty =
        city.layer("forces").features().stream()
            .filter(f -> Boolean.TRUE.equals(f.value(1)))
            .count();
    assertThat(
            json(server, "/collections/forces/items?limit=1&on_duty=true")
                .get("numberMatched")
                .asLong())
        .isEqualTo(onDuty);
  }

  @Test
  void oneFeatureByIdWithLinks() throws Exception {
    Feature g = city.layer("grids").features().get(7);
    var res = server.getText("/collections/grids/items/" + g.id());
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type")).hasValue("application/geo+json");
    JsonNode f = JSON.readTree(res.body());
    assertThat(f.get("type").asText()).isEqualTo("Feature");
    assertThat(f.get("id").asLong()).isEqualTo(g.id());
    assertThat(f.at("/properties/code").asText()).isEqualTo(g.value(0));
    assertThat(f.at("/geometry/type").asText()).isIn("Polygon", "MultiPolygon");
    assertThat(f.get("links").findValuesAsText("rel")).contains("self", "collection");
  }

  @Test
  void keySitesAndForcesAnswerToTheir17DigitCodeAsWell() throws Exception {
    // their ids before ids were kept below 2^52: links and scripts holding those keep working
    for (String layer : List.of("forces", "key_sites")) {
      int code = city.layer(layer).def().requireField("code");
      Feature p =
          city.layer(layer).features().stream()
              .filter(f -> !f.personal() && f.string(code).endsWith("03"))
              .findFirst()
              .orElseThrow();
      JsonNode byId = json(server, "/collections/" + layer + "/items/" + p.id());
      JsonNode byCode = json(server, "/collections/" + layer + "/items/" + p.string(code));
      assertThat(byCode.get("id").asLong()).as(layer).isEqualTo(p.id());
      assertThat(byCode.at("/properties/code").asText()).isEqualTo(p.string(code));
      assertThat(byCode.get("geometry")).isEqualTo(byId.get("geometry"));
      assertThat(byCode.get("links").findValuesAsText("href"))
          .contains(server.baseUrl() + "/collections/" + layer + "/items/" + p.id());
    }
    Feature home =
        city.layer("key_sites").features().stream().filter(Feature::personal).findFirst().get();
    String homeCode = home.string(Catalogue.KEY_SITES.requireField("code"));
    problem(server, "/collections/key_sites/items/" + homeCode, 404, homeCode);
    problem(server, "/collections/forces/items/50010300100100199", 404, "50010300100100199");
    problem(server, "/collections/events/items/50010300100100101", 404, "events");
  }

  @Test
  void personalFieldsAndPersonalFeaturesNeverAppear() throws Exception {
    String grids = server.getText("/collections/grids/items?limit=10000").body();
    assertThat(grids).doesNotContain("worker_name");
    String forces = server.getText("/collections/forces/items?limit=10000").body();
    assertThat(JSON.readTree(forces).at("/features/0/properties").has("name")).isFalse();
    List<Feature> personal =
        city.layer("key_sites").features().stream().filter(Feature::personal).toList();
    assertThat(personal).isNotEmpty();
    Set<String> ids = new HashSet<>();
    String path = "/collections/key_sites/items?limit=10000";
    JsonNode page = json(server, path);
    page.get("features").forEach(f -> ids.add(f.get("id").asText()));
    for (Feature p : personal) {
      assertThat(ids).doesNotContain(Long.toString(p.id()));
    }
    problem(
        server,
        "/collections/key_sites/items/" + personal.get(0).id(),
        404,
        Long.toString(personal.get(0).id()));
    problem(
        server, "/collections/grids/items?filter=" + enc("worker_name = 'x'"), 400, "worker_name");
    problem(server, "/collections/grids/items?worker_name=x", 400, "worker_name");
  }

  @Test
  void unknownCollectionAndFeatureAre404() throws Exception {
    problem(server, "/collections/nope", 404, "'nope'", "grids");
    problem(server, "/collections/nope/items", 404, "'nope'");
    problem(server, "/collections/grids/items/1", 404, "1", "grids");
    problem(server, "/collections/grids/items/abc", 404, "'abc'", "integers");
  }

  @Test
  void malformedParametersAre400NamingParameterValueAndForm() throws Exception {
    problem(
        server,
        "/collections/events/items?bbox=1,2,3",
        400,
        "bbox",
        "'1,2,3'",
        "four comma-separated numbers");
    problem(
        server,
        "/collections/events/items?bbox=a,b,c,d",
        400,
        "bbox",
        "'a,b,c,d'",
        "minx,miny,maxx,maxy");
    problem(
        server, "/collections/events/items?bbox=3,2,1,4", 400, "bbox", "'3,2,1,4'", "min <= max");
    problem(server, "/collections/events/items?limit=0", 400, "limit", "'0'", "integer >= 1");
    problem(server, "/collections/events/items?limit=ten", 400, "limit", "'ten'", "integer >= 1");
    problem(server, "/collections/events/items?offset=-1", 400, "offset", "'-1'", "integer >= 0");
    problem(
        server,
        "/collections/events/items?crs=EPSG:9999",
        400,
        "crs",
        "'EPSG:9999'",
        "http://www.opengis.net/def/crs/EPSG/0/4326");
    problem(server, "/collections/events/items?bbox-crs=foo", 400, "bbox-crs", "'foo'", "CRS84");
    problem(
        server,
        "/collections/events/items?datetime=yesterday",
        400,
        "datetime",
        "'yesterday'",
        "RFC 3339");
    problem(
        server,
        "/collections/events/items?properties=category,nope",
        400,
        "properties",
        "'category,nope'",
        "category, board");
    problem(server, "/collections/events/items?colour=red", 400, "colour", "'red'", "bbox");
    problem(
        server,
        "/collections/forces/items?on_duty=maybe",
        400,
        "on_duty",
        "'maybe'",
        "true or false");
    problem(server, "/collections/events/items?f=xml", 400, "f", "'xml'", "json");
  }
}
