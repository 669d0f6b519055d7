package io.gridmap.server.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.MvtFeatures;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.gridmap.tiler.geo.TileCoord;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;

/**
 * {@code POST /imports}: a planner's file imported into a running server on a GeoPackage store is
 * served at once (items, queryables, tiles, TileJSON), only the tiles it touches change, it is
 * audited, and every refusal is a 4xx that writes nothing.
 */
class ImportIntoRunningServerTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static TestServer server;
  static String admin;

  /** Inside 渝中 (500103): the district's interior point. */
  static double lon;

  static double lat;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.startWithStore(TestCity.small(), Map.of());
    admin = server.bearer(Role.ADMIN, "");
    Point inside = unit("districts", "500103").getInteriorPoint();
    lon = inside.getX();
    lat = inside.getY();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static Geometry unit(String layer, String code) {
    LayerIndex li = server.server().content().index().layer(layer);
    int c = li.def().fieldIndex("code");
    for (Feature f : li.features()) {
      if (code.equals(f.value(c))) {
        return f.geometry();
      }
    }
    throw new AssertionError("no " + code + " in " + layer);
  }

  /** A GeoJSON FeatureCollection of {@code features}. */
  static String collection(List<String> features) {
    return "{\"type\":\"FeatureCollection\",\"features\":[" + String.join(",", features) + "]}";
  }

  /** A square of {@code size} degrees at (x, y) with a code and a name. */
  static String square(String code, String name, double x, double y, double size) {
    return String.format(
        Locale.ROOT,
        "{\"type\":\"Feature\",\"properties\":{\"code\":\"%s\",\"name\":\"%s\"},"
            + "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%f,%f],[%f,%f],[%f,%f],[%f,%f],[%f,%f]]]}}",
        code,
        name,
        x,
        y,
        x + size,
        y,
        x + size,
        y + size,
        x,
        y + size,
        x,
        y);
  }

  static String point(String code, String name, double x, double y) {
    return String.format(
        Locale.ROOT,
        "{\"type\":\"Feature\",\"properties\":{\"code\":\"%s\",\"name\":\"%s\"},"
            + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[%f,%f]}}",
        code,
        name,
        x,
        y);
  }

  /** Three small parks by the interior point of 渝中; {@code thirdName} names the third. */
  static String parks(String thirdName) {
    return collection(
        List.of(
            square("P1", "North park", lon, lat + 0.0005, 0.0004),
            square("P2", "East park", lon + 0.0005, lat, 0.0004),
            square("P3", thirdName, lon - 0.0009, lat - 0.0009, 0.0004)));
  }

  static HttpResponse<String> post(String query, String body, String... auth) throws Exception {
    List<String> headers = new ArrayList<>(List.of("Content-Type", "application/geo+json"));
    headers.addAll(List.of(auth));
    return server.send("POST", "/imports?" + query, body, headers.toArray(String[]::new));
  }

  static JsonNode json(HttpResponse<String> res) throws Exception {
    return JSON.readTree(res.body());
  }

  static JsonNode items(String layer, String query) throws Exception {
    HttpResponse<String> res =
        server.getText("/collections/" + layer + "/items" + query, "Authorization", admin);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return JSON.readTree(res.body());
  }

  static TileCoord tileAt(double x, double y, int z) {
    return TileCoord.containing(WebMercator.x(x), WebMercator.y(y), z);
  }

  static HttpResponse<byte[]> tile(TileCoord c) throws Exception {
    HttpResponse<byte[]> res =
        server.get("/tiles/cq/" + c.z() + "/" + c.x() + "/" + c.y() + ".mvt");
    assertThat(res.statusCode()).isEqualTo(200);
    return res;
  }

  static String etag(HttpResponse<?> res) {
    return res.headers().firstValue("ETag").orElseThrow();
  }

  static JsonNode audit(String action) throws Exception {
    HttpResponse<String> res =
        server.getText("/admin/audit?action=" + action, "Authorization", admin);
    assertThat(res.statusCode()).isEqualTo(200);
    return JSON.readTree(res.body()).get("entries");
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void anAdminsImportIsServedAtOnceAndOnlyTheTilesItTouchesChange() throws Exception {
    TileCoord over = tileAt(lon + 0.0002, lat + 0.0007, 14);
    Point far = unit("districts", "500153").getInteriorPoint();
    TileCoord away = tileAt(far.getX(), far.getY(), 14);
    String overBefore = etag(tile(over));
    String awayBefore = etag(tile(away));
    // the cached tile objects: an equal ETag alone would not tell a kept tile from one drawn again
    io.gridmap.tiler.cache.TileCache cache = server.server().content().tiles().cache();
    Object awayCached = cache.peekTile(away);
    assertThat(awayCached).isNotNull();
    assertThat(cache.peekTile(over)).isNotNull();
    String tileJsonBefore = server.getText("/tiles/cq.json").body();
    assertThat(tileJsonBefore).doesNotContain("\"parks\"");
    assertThat(server.getText("/styles/default.json").body()).doesNotContain("\"parks\"");

    HttpResponse<String> res =
        post(
            "layer=parks&visibility=public&title=Parks&crs=wgs84",
            parks("Old park"),
            "Authorization",
            admin);

    assertThat(res.statusCode()).as(res.body()).isEqualTo(201);
    assertThat(res.headers().firstValue("Location").orElseThrow()).endsWith("/collections/parks");
    JsonNode summary = json(res);
    assertThat(summary.get("layer").asText()).isEqualTo("parks");
    assertThat(summary.get("added").asLong()).isEqualTo(3);
    assertThat(summary.get("written").asBoolean()).isTrue();
    // the summary names the query parameter it came from, not the CLI's option
    assertThat(summary.get("crs").asText()).contains("WGS 84", "from crs").doesNotContain("--");
    assertThat(summary.get("bounds").size()).isEqualTo(4);
    assertThat(summary.get("fields").toString()).contains("\"name\"", "\"code\"");

    assertThat(cache.peekTile(over)).as("the tile over the import is forgotten").isNull();
    assertThat(cache.peekTile(away)).as("a tile far away is kept as it was").isSameAs(awayCached);
    // served at once: items, a filter on its fields, queryables, the tiles it touches
    assertThat(items("parks", "").get("features").size()).isEqualTo(3);
    JsonNode east = items("parks", "?filter=" + enc("name = 'East park'"));
    assertThat(east.get("features").size()).isEqualTo(1);
    assertThat(server.getText("/collections/parks/queryables", "Authorization", admin).body())
        .contains("\"name\"");
    HttpResponse<byte[]> overAfter = tile(over);
    assertThat(etag(overAfter)).isNotEqualTo(overBefore);
    assertThat(MvtFeatures.of(overAfter.body()).layers()).contains("parks");
    assertThat(etag(tile(away)))
        .as("a tile far from the import keeps its bytes")
        .isEqualTo(awayBefore);
    // documents made from the list of layers and cached per class are made anew
    assertThat(server.getText("/tiles/cq.json").body()).contains("\"parks\"");
    assertThat(server.getText("/styles/default.json").body()).contains("\"parks\"");

    JsonNode entry = audit("layer.import").get(0);
    assertThat(entry.get("target").asText()).isEqualTo("parks");
    assertThat(entry.get("changes").get("added").asLong()).isEqualTo(3);
    assertThat(entry.get("changes").get("bytes").asLong()).isPositive();

    // a re-import with one feature changed
    String overNow = etag(tile(over));
    HttpResponse<String> again = post("layer=parks", parks("New park"), "Authorization", admin);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
    assertThat(json(again).get("changed").asLong()).isEqualTo(1);
    assertThat(json(again).get("unchanged").asLong()).isEqualTo(2);
    assertThat(items("parks", "?filter=" + enc("name = 'New park'")).get("features").size())
        .isEqualTo(1);

    // a dry run changes nothing
    HttpResponse<String> dry =
        post("layer=parks&dry_run=true", parks("Dry park"), "Authorization", admin);
    assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
    assertThat(json(dry).get("written").asBoolean()).isFalse();
    assertThat(json(dry).get("changed").asLong()).isEqualTo(1);
    assertThat(items("parks", "?filter=" + enc("name = 'Dry park'")).get("features").size())
        .isZero();
    assertThat(audit("layer.import").size()).isEqualTo(2);
    assertThat(overNow).isNotNull();
  }

  @Test
  void aPointLayerIsDrawnInTheTilesAtOnce() throws Exception {
    String wells =
        collection(
            List.of(
                point("W1", "Well one", lon + 0.0001, lat + 0.0001),
                point("W2", "Well two", lon + 0.0002, lat + 0.0001)));
    HttpResponse<String> res =
        post("layer=wells&visibility=public&cluster=false", wells, "Authorization", admin);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(201);
    assertThat(json(res).get("kind").asText()).isEqualTo("point");
    MvtFeatures t = MvtFeatures.of(tile(tileAt(lon + 0.0001, lat + 0.0001, 14)).body());
    assertThat(t.count("wells")).isEqualTo(2);
  }

  @Test
  void theImportsChangeLogPositionIsTheLiveStreamsNewestVersion() throws Exception {
    var store = server.server().content().store().orElseThrow();
    long before = store.logRange().last();
    HttpResponse<String> res =
        post(
            "layer=springs&visibility=public",
            collection(List.of(point("S1", "Spring", lon + 0.0003, lat + 0.0003))),
            "Authorization",
            admin);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(201);
    long position = store.logRange().last();
    assertThat(position)
        .as("the import took a position in the GeoPackage's log")
        .isGreaterThan(before);
    // a client may name it as since (the WebSocket upgrade is all that is missing: 426), and
    // nothing past it (400: from the future)
    assertThat(server.getText("/live/ws?since=" + position, "Authorization", admin).statusCode())
        .isEqualTo(426);
    assertThat(
            server.getText("/live/ws?since=" + (position + 1), "Authorization", admin).statusCode())
        .isEqualTo(400);
  }

  @Test
  void aFileWithABadRingIsRefusedWith422ListingTheProblemAndNothingChanges() throws Exception {
    String bowtie =
        String.format(
            Locale.ROOT,
            "{\"type\":\"Feature\",\"properties\":{\"code\":\"B1\",\"name\":\"Bow\"},"
                + "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%f,%f],[%f,%f],[%f,%f],[%f,%f],[%f,%f]]]}}",
            lon,
            lat,
            lon + 0.001,
            lat + 0.001,
            lon + 0.001,
            lat,
            lon,
            lat + 0.001,
            lon,
            lat);
    HttpResponse<String> res =
        post(
            "layer=bad_parks",
            collection(List.of(square("B0", "Fine", lon, lat, 0.0004), bowtie)),
            "Authorization",
            admin);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(422);
    assertThat(res.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    JsonNode problems = json(res).get("problems");
    assertThat(problems.size()).isEqualTo(1);
    assertThat(problems.get(0).asText())
        .contains("feature 2", "not a valid polygon", "pass repair=true");
    assertThat(server.getText("/collections/bad_parks", "Authorization", admin).statusCode())
        .isEqualTo(404);
    assertThat(server.server().content().store().orElseThrow().readImportedLayer("bad_parks"))
        .isEmpty();
  }

  @Test
  void theRouteIsInTheOpenApiDocumentWithItsParameters() throws Exception {
    JsonNode post = JSON.readTree(server.getText("/api").body()).at("/paths/~1imports/post");
    assertThat(post.isMissingNode()).isFalse();
    assertThat(post.get("parameters").findValuesAsText("name"))
        .containsAll(ImportRequest.PARAMETERS);
    assertThat(post.get("responses").has("422")).isTrue();
  }

  @Test
  void badInputIsA4xxNamingTheProblemNeverA500() throws Exception {
    // no layer
    assertThat(post("", parks("x"), "Authorization", admin).statusCode()).isEqualTo(400);
    // an unknown parameter, a bad zoom, a bad crs
    assertThat(post("layer=p2&colour=red", parks("x"), "Authorization", admin).statusCode())
        .isEqualTo(400);
    assertThat(post("layer=p2&minzoom=20", parks("x"), "Authorization", admin).statusCode())
        .isEqualTo(400);
    HttpResponse<String> crs = post("layer=p2&crs=EPSG:9999", parks("x"), "Authorization", admin);
    assertThat(crs.statusCode()).isEqualTo(400);
    assertThat(json(crs).get("detail").asText()).contains("crs").doesNotContain("--crs");
    // a truncated file
    HttpResponse<String> cut =
        post("layer=p2", parks("x").substring(0, 80), "Authorization", admin);
    assertThat(cut.statusCode()).as(cut.body()).isIn(400, 422);
    // a personal field the file lacks
    HttpResponse<String> personal =
        post("layer=p2&personal=phone", parks("x"), "Authorization", admin);
    assertThat(personal.statusCode()).as(personal.body()).isEqualTo(400);
    assertThat(json(personal).get("detail").asText()).contains("personal phone");
    // a Shapefile, and a body of no known type
    assertThat(post("layer=p2&format=shp", "x", "Authorization", admin).statusCode())
        .isEqualTo(415);
    assertThat(
            server
                .send(
                    "POST",
                    "/imports?layer=p2",
                    "x",
                    "Authorization",
                    admin,
                    "Content-Type",
                    "image/png")
                .statusCode())
        .isEqualTo(415);
    // a CSV without coordinates it can find
    HttpResponse<String> csv =
        server.send(
            "POST",
            "/imports?layer=p2",
            "a,b\n1,2\n",
            "Authorization",
            admin,
            "Content-Type",
            "text/csv");
    assertThat(csv.statusCode()).as(csv.body()).isIn(400, 422);
    assertThat(server.server().content().index().findLayer("p2")).isEmpty();
    // an admin layer is imported live too (AdminImportIntoGeoPackageTest): parks' codes are no
    // grid codes, a hierarchy that cannot hold, so 422 with each problem and nothing written
    long grids0 = server.server().content().index().layer("grids").size();
    HttpResponse<String> grids = post("layer=grids", parks("x"), "Authorization", admin);
    assertThat(grids.statusCode()).as(grids.body()).isEqualTo(422);
    assertThat(json(grids).get("violations").findValuesAsText("rule")).contains("bad-code");
    assertThat(server.server().content().index().layer("grids").size()).isEqualTo(grids0);
    // and takes no option that shapes a layer: the catalogue's layer is the city's own
    HttpResponse<String> shaped =
        post("layer=grids&visibility=public", parks("x"), "Authorization", admin);
    assertThat(shaped.statusCode()).as(shaped.body()).isEqualTo(400);
    assertThat(json(shaped).get("detail").asText()).contains("visibility", "admin layer");
  }

  @Test
  void thePublicIs401AndAPlannerOfAnotherStreetIs403WithNothingWritten() throws Exception {
    assertThat(post("layer=gardens", parks("x")).statusCode()).isEqualTo(401);
    assertThat(post("layer=gardens", parks("x"), "Authorization", server.analyst()).statusCode())
        .isEqualTo(403);
    String otherStreet = null;
    LayerIndex streets = server.server().content().index().layer("streets");
    int code = streets.def().fieldIndex("code");
    for (Feature f : streets.features()) {
      if (!((String) f.value(code)).startsWith("500103")) {
        otherStreet = (String) f.value(code);
        break;
      }
    }
    HttpResponse<String> res =
        post(
            "layer=gardens", parks("x"), "Authorization", server.bearer(Role.PLANNER, otherStreet));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(403);
    assertThat(json(res).get("detail").asText()).contains("outside scope " + otherStreet, "P1");
    assertThat(server.server().content().index().findLayer("gardens")).isEmpty();
    assertThat(server.server().content().store().orElseThrow().readImportedLayer("gardens"))
        .isEmpty();
  }

  @Test
  void aPlannerOfTheDistrictImportsInsideIt() throws Exception {
    HttpResponse<String> res =
        post(
            "layer=planner_parks&visibility=public",
            parks("x"),
            "Authorization",
            server.bearer(Role.PLANNER, "500103"));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(201);
    assertThat(items("planner_parks", "").get("features").size()).isEqualTo(3);
    JsonNode entry = audit("layer.import").get(0);
    assertThat(entry.get("role").asText()).isEqualTo("planner");
  }
}
