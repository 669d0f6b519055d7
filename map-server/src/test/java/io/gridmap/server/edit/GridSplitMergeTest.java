package io.gridmap.server.edit;

import static io.gridmap.server.edit.GridEditTest.JSON;
import static io.gridmap.server.edit.GridEditTest.grids;
import static io.gridmap.server.edit.GridEditTest.planner;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.layers.edit.EditRefused;
import io.gridmap.layers.edit.FeatureVersion;
import io.gridmap.layers.edit.GridOperations;
import io.gridmap.layers.edit.GridRedraw;
import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.gridmap.tiler.geo.TileCoord;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.io.geojson.GeoJsonWriter;

/**
 * Split, merge and create over HTTP on a generated city with a GeoPackage store: new grids take the
 * village's next codes, the old ones are retired everywhere (items, tiles, forces, history), a
 * revert brings them back under their own codes, and a retired code is never given again.
 */
class GridSplitMergeTest {
  private static final GeometryFactory F = new GeometryFactory();
  private static TestServer server;

  /** Villages a test has edited: each test works in a village of its own. */
  private static final Set<String> USED = new HashSet<>();

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.startWithStore(TestCity.small(), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static String village(long grid) {
    return Long.toString(grid / 1000);
  }

  /** A west-east line across a grid's middle, from outside it to outside it. */
  private static LineString across(Feature grid) {
    Envelope e = grid.geometry().getEnvelopeInternal();
    double y = e.centre().y;
    return F.createLineString(
        new Coordinate[] {
          new Coordinate(e.getMinX() - 0.0005, y), new Coordinate(e.getMaxX() + 0.0005, y)
        });
  }

  /** The first grid of district 500103, in a village no test used, that the rules let split. */
  private static synchronized Feature splittable() {
    LayerIndex grids = grids(server);
    List<Feature> ordered = new ArrayList<>(grids.features());
    ordered.sort((a, b) -> Long.compare(a.id(), b.id()));
    for (Feature f : ordered) {
      if (!Long.toString(f.id()).startsWith("500103") || USED.contains(village(f.id()))) {
        continue;
      }
      try {
        GridOperations.split(
            server.server().content().index(),
            f.id(),
            across(f),
            List.of(),
            0,
            (from, to) -> -1,
            GridRedraw.Limits.standard());
      } catch (EditRefused e) {
        continue;
      }
      USED.add(village(f.id()));
      return f;
    }
    throw new AssertionError("no grid of 500103 can be split across its middle");
  }

  private static String geojson(Geometry g) {
    GeoJsonWriter w = new GeoJsonWriter(7);
    w.setEncodeCRS(false);
    return w.write(g);
  }

  private static String etag(long id) throws Exception {
    return server
        .getText("/collections/grids/items/" + id)
        .headers()
        .firstValue("ETag")
        .orElseThrow();
  }

  private static HttpResponse<String> post(String path, String body, String auth) throws Exception {
    return server.send(
        "POST", path, body, "Content-Type", "application/json", "Authorization", auth);
  }

  private static HttpResponse<String> split(long id, LineString line, String etag, String query)
      throws Exception {
    return post(
        "/edits/grids/" + id + "/split" + query,
        "{\"line\":"
            + geojson(line)
            + (etag == null ? "" : ",\"etag\":" + JSON.writeValueAsString(etag))
            + "}",
        planner(server, "500103"));
  }

  /** The largest code the village used so far, retired ones included. */
  private static long lastCode(String village) {
    long from = Long.parseLong(village) * 1000;
    long max =
        server.server().content().store().orElseThrow().maxHistoricId("grids", from, from + 999);
    for (Feature f : grids(server).features()) {
      if (f.id() >= from && f.id() <= from + 999) {
        max = Math.max(max, f.id());
      }
    }
    return max;
  }

  private static List<Long> ids(JsonNode collection) {
    List<Long> out = new ArrayList<>();
    collection.get("features").forEach(f -> out.add(f.get("id").asLong()));
    return out;
  }

  private static long forcesServing(String code) {
    LayerIndex forces = server.server().content().index().layer("forces");
    int grid = forces.def().requireField("grid_code");
    return forces.features().stream().filter(f -> code.equals(f.string(grid))).count();
  }

  private static String tileEtag(Coordinate c) throws Exception {
    TileCoord t = TileCoord.containing(WebMercator.x(c.x), WebMercator.y(c.y), 14);
    var res =
        server.get(
            "/tiles/cq/" + t.z() + "/" + t.x() + "/" + t.y() + ".mvt", "Accept-Encoding", "gzip");
    assertThat(res.statusCode()).isEqualTo(200);
    return res.headers().firstValue("ETag").orElseThrow();
  }

  private static long lastSeq(long id) {
    List<FeatureVersion> h = server.server().content().store().orElseThrow().history("grids", id);
    return h.get(h.size() - 1).seq();
  }

  @Test
  void aSplitRetiresTheGridAndTwoGridsWithTheVillagesNextCodesTakeItsPlaceEverywhere()
      throws Exception {
    Feature old = splittable();
    long id = old.id();
    long next = lastCode(village(id)) + 1;
    long forces = forcesServing(Long.toString(id));
    Coordinate inside = old.geometry().getInteriorPoint().getCoordinate();
    String tileBefore = tileEtag(inside);
    // a tile of another district, which the split does not touch
    Coordinate far =
        GridEditTest.gridOf(server, "500153", 0).geometry().getInteriorPoint().getCoordinate();
    String farBefore = tileEtag(far);

    var res = split(id, across(old), etag(id), "");

    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    JsonNode answer = JSON.readTree(res.body());
    assertThat(ids(answer)).containsExactly(next, next + 1);
    assertThat(answer.get("retired")).extracting(JsonNode::asLong).containsExactly(id);
    answer.get("features").forEach(f -> assertThat(f.get("etag").asText()).startsWith("\""));
    assertThat(server.getText("/collections/grids/items/" + id).statusCode()).isEqualTo(404);
    for (long n : List.of(next, next + 1)) {
      JsonNode item = JSON.readTree(server.getText("/collections/grids/items/" + n).body());
      assertThat(item.at("/properties/code").asText()).isEqualTo(Long.toString(n));
      assertThat(item.at("/properties/village_code").asText()).isEqualTo(village(id));
    }
    // the forces of the old grid serve the larger part now
    assertThat(forcesServing(Long.toString(id))).isZero();
    assertThat(forcesServing(Long.toString(next))).isEqualTo(forces);
    // key sites and open incidents inside name the part they lie in
    LayerIndex sites = server.server().content().index().layer("key_sites");
    int siteGrid = sites.def().requireField("grid_code");
    assertThat(sites.features()).noneMatch(f -> Long.toString(id).equals(f.string(siteGrid)));

    assertThat(tileEtag(inside)).isNotEqualTo(tileBefore);
    assertThat(tileEtag(far)).as("an untouched tile keeps its ETag").isEqualTo(farBefore);
    List<FeatureVersion> history =
        server.server().content().store().orElseThrow().history("grids", id);
    assertThat(history.get(history.size() - 1).retired()).isTrue();
    assertThat(GridEditTest.audit(server, "grids.split")).isNotEmpty();
  }

  @Test
  void aDryRunSplitAnswersBothPartsAndWritesNothing() throws Exception {
    Feature old = splittable();
    long id = old.id();
    String before = etag(id);
    long next = lastCode(village(id)) + 1;

    var res = split(id, across(old), before, "?dryRun=true");

    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    assertThat(res.headers().firstValue("Dry-Run")).hasValue("true");
    assertThat(ids(JSON.readTree(res.body()))).containsExactly(next, next + 1);
    assertThat(etag(id)).isEqualTo(before);
    assertThat(server.getText("/collections/grids/items/" + next).statusCode()).isEqualTo(404);
  }

  @Test
  void aLineThatDoesNotCutTheGridIsRefusedWithItsGeometryAndNothingChanges() throws Exception {
    Feature old = splittable();
    long id = old.id();
    String before = etag(id);
    Coordinate c = old.geometry().getInteriorPoint().getCoordinate();
    LineString inside =
        F.createLineString(new Coordinate[] {c, new Coordinate(c.x + 0.0001, c.y + 0.00005)});

    var res = split(id, inside, before, "");

    assertThat(res.statusCode()).as(res.body()).isEqualTo(422);
    assertThat(res.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode v = JSON.readTree(res.body()).get("violations").get(0);
    assertThat(v.get("rule").asText()).isEqualTo("split-line");
    assertThat(v.at("/geometry/type").asText()).isEqualTo("LineString");
    assertThat(etag(id)).isEqualTo(before);
  }

  @Test
  void aSplitOfAStaleVersionIs412AndABadBodyIs400AndAnotherDistrictsPlannerIs403()
      throws Exception {
    Feature old = splittable();
    long id = old.id();
    var stale = split(id, across(old), "\"0000000000000000\"", "");
    assertThat(stale.statusCode()).as(stale.body()).isEqualTo(412);

    var noLine =
        post("/edits/grids/" + id + "/split", "{\"etag\":\"x\"}", planner(server, "500103"));
    assertThat(noLine.statusCode()).as(noLine.body()).isEqualTo(400);
    assertThat(noLine.body()).contains("line");
    var point =
        post(
            "/edits/grids/" + id + "/split",
            "{\"line\":{\"type\":\"Point\",\"coordinates\":[106.5,29.5]}}",
            planner(server, "500103"));
    assertThat(point.statusCode()).as(point.body()).isEqualTo(400);
    assertThat(point.body()).contains("line.type");

    var outsider =
        post(
            "/edits/grids/" + id + "/split",
            "{\"line\":" + geojson(across(old)) + "}",
            planner(server, "500105"));
    assertThat(outsider.statusCode()).as(outsider.body()).isEqualTo(403);
    assertThat(grids(server).byId(id)).isPresent();
  }

  @Test
  void aRevertOfASplitBringsTheGridBackUnderItsOwnCodeAndItsPartsCodesAreNeverGivenAgain()
      throws Exception {
    Feature old = splittable();
    long id = old.id();
    var res = split(id, across(old), etag(id), "");
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    List<Long> parts = ids(JSON.readTree(res.body()));
    long seq = lastSeq(id);

    var revert = post("/edits/" + seq + "/revert", "", planner(server, "500103"));

    assertThat(revert.statusCode()).as(revert.body()).isEqualTo(200);
    Feature back = grids(server).byId(id).orElseThrow();
    assertThat(back.geometry().norm().equalsExact(old.geometry().norm())).isTrue();
    assertThat(back.values()).isEqualTo(old.values());
    for (long p : parts) {
      assertThat(server.getText("/collections/grids/items/" + p).statusCode()).isEqualTo(404);
    }
    assertThat(forcesServing(Long.toString(id))).isPositive();

    // the revert reverted: the parts come back and the grid goes again
    long revertSeq = lastSeq(id);
    var redo = post("/edits/" + revertSeq + "/revert", "", planner(server, "500103"));
    assertThat(redo.statusCode()).as(redo.body()).isEqualTo(200);
    assertThat(grids(server).byId(id)).isEmpty();
    for (long p : parts) {
      assertThat(server.getText("/collections/grids/items/" + p).statusCode()).isEqualTo(200);
    }
    var undo = post("/edits/" + lastSeq(id) + "/revert", "", planner(server, "500103"));
    assertThat(undo.statusCode()).as(undo.body()).isEqualTo(200);
    assertThat(grids(server).byId(id)).isPresent();

    // splitting it again takes codes after the retired parts'
    var again = split(id, across(back), etag(id), "");
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(ids(JSON.readTree(again.body())))
        .allSatisfy(n -> assertThat(n).isGreaterThan(parts.get(1)));
  }

  @Test
  void aMergeJoinsNeighboursUnderANewCodeAndHandsOverTheirForces() throws Exception {
    GridEditRedrawTest.Candidate c = candidate();
    long a = c.a().id();
    long b = c.b().id();
    long next = lastCode(village(a)) + 1;
    long forces = forcesServing(Long.toString(a)) + forcesServing(Long.toString(b));
    String body =
        "{\"grids\":[{\"id\":\""
            + a
            + "\",\"etag\":"
            + JSON.writeValueAsString(etag(a))
            + "},\""
            + b
            + "\"],\"properties\":{\"name\":\"合并网格\"}}";

    var dry = post("/edits/grids/merge?dryRun=true", body, planner(server, "500103"));
    assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
    assertThat(grids(server).byId(a)).isPresent();

    var res = post("/edits/grids/merge", body, planner(server, "500103"));

    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    JsonNode answer = JSON.readTree(res.body());
    assertThat(ids(answer)).containsExactly(next);
    assertThat(answer.at("/features/0/properties/name").asText()).isEqualTo("合并网格");
    assertThat(answer.get("retired")).extracting(JsonNode::asLong).containsExactlyInAnyOrder(a, b);
    Geometry merged = grids(server).byId(next).orElseThrow().geometry();
    assertThat(merged.getArea())
        .isCloseTo(
            c.a().geometry().getArea() + c.b().geometry().getArea(),
            org.assertj.core.data.Percentage.withPercentage(0.001));
    assertThat(forcesServing(Long.toString(next))).isEqualTo(forces);
    assertThat(forcesServing(Long.toString(a)) + forcesServing(Long.toString(b))).isZero();
  }

  @Test
  void aMergeOfGridsOfTwoVillagesIsRefused() throws Exception {
    GridEditRedrawTest.Candidate c =
        GridEditRedrawTest.candidate(server, USED, (x, y) -> !x.equals(y));
    var res =
        post(
            "/edits/grids/merge",
            "{\"grids\":[\"" + c.a().id() + "\",\"" + c.b().id() + "\"]}",
            planner(server, "500103"));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(422);
    assertThat(JSON.readTree(res.body()).at("/violations/0/rule").asText())
        .isEqualTo("merge-neighbours");
  }

  @Test
  void aRedrawWithAFeatureWithoutIdCreatesAGridWithTheVillagesNextCode() throws Exception {
    Feature old = splittable();
    long id = old.id();
    long next = lastCode(village(id)) + 1;
    List<Polygon> parts = GridOperations.cut(old.geometry(), across(old));
    String body =
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"id\":"
            + id
            + ",\"geometry\":"
            + geojson(parts.get(0))
            + "},{\"type\":\"Feature\",\"properties\":{\"name\":\"新网格\"},\"geometry\":"
            + geojson(parts.get(1))
            + "}]}";

    var res = post("/edits/grids", body, planner(server, "500103"));

    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    assertThat(ids(JSON.readTree(res.body()))).contains(id, next);
    Feature created = grids(server).byId(next).orElseThrow();
    int name = grids(server).def().requireField("name");
    int population = grids(server).def().requireField("population");
    assertThat(created.string(name)).isEqualTo("新网格");
    assertThat(
            created.longValue(population)
                + grids(server).byId(id).orElseThrow().longValue(population))
        .isEqualTo(old.longValue(population));
  }

  @Test
  void theReasonGivenWithASplitIsInTheHistoryOfEveryGridItMadeAndInTheAudit() throws Exception {
    Feature old = splittable();
    long id = old.id();
    String why = "新小区入住，按街道2026年第3号文件拆分";

    var bad = split(id, across(old), etag(id), "?reason=%0A");
    assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
    assertThat(bad.body()).contains("reason");
    var res =
        split(
            id,
            across(old),
            etag(id),
            "?reason=" + java.net.URLEncoder.encode(why, java.nio.charset.StandardCharsets.UTF_8));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);

    for (long n : ids(JSON.readTree(res.body()))) {
      var h = server.getText("/history/grids/" + n, "Authorization", server.analyst());
      assertThat(h.statusCode()).as(h.body()).isEqualTo(200);
      assertThat(JSON.readTree(h.body()).toString()).contains("\"reason\":\"" + why + "\"");
    }
    assertThat(GridEditTest.audit(server, "grids.split").toString()).contains(why);
  }

  private static synchronized GridEditRedrawTest.Candidate candidate() {
    GridEditRedrawTest.Candidate c = GridEditRedrawTest.candidate(server, USED);
    USED.add(c.village());
    return c;
  }
}
