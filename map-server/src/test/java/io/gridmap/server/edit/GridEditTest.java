package io.gridmap.server.edit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.layers.edit.FeatureVersion;
import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.MvtFeatures;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.gridmap.tiler.geo.TileCoord;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Planners rename grids inside their scope (PATCH /collections/grids/items/{fid}), against a real
 * server over a GeoPackage store: the item, the tiles, the audit log, the history and a restarted
 * server all see the change; callers outside the scope or without the role change nothing.
 */
class GridEditTest {
  static final ObjectMapper JSON = new ObjectMapper();
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.startWithStore(TestCity.small(), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static LayerIndex grids(TestServer s) {
    return s.server().content().index().layer("grids");
  }

  /** The n-th grid (in id order) of a district. */
  static Feature gridOf(TestServer s, String district, int n) {
    return grids(s).features().stream()
        .filter(f -> f.string(grids(s).def().requireField("district_code")).equals(district))
        .sorted((a, b) -> Long.compare(a.id(), b.id()))
        .skip(n)
        .findFirst()
        .orElseThrow();
  }

  static String planner(TestServer s, String scope) {
    return s.bearer("planner-" + scope, Role.PLANNER, scope);
  }

  static HttpResponse<String> patch(TestServer s, long id, String body, String auth)
      throws Exception {
    return auth == null
        ? s.send(
            "PATCH",
            "/collections/grids/items/" + id,
            body,
            "Content-Type",
            "application/merge-patch+json")
        : s.send(
            "PATCH",
            "/collections/grids/items/" + id,
            body,
            "Content-Type",
            "application/merge-patch+json",
            "Authorization",
            auth);
  }

  static JsonNode item(TestServer s, long id) throws Exception {
    var res = s.getText("/collections/grids/items/" + id);
    assertThat(res.statusCode()).isEqualTo(200);
    return JSON.readTree(res.body());
  }

  /** Audit entries of an action, newest first. */
  static JsonNode audit(TestServer s, String action) throws Exception {
    var res = s.getText("/admin/audit?action=" + action, "Authorization", s.bearer(Role.ADMIN, ""));
    assertThat(res.statusCode()).isEqualTo(200);
    return JSON.readTree(res.body()).get("entries");
  }

  static List<FeatureVersion> history(TestServer s, long id) {
    FeatureStore store = s.server().content().store().orElseThrow();
    return store.history("grids", id);
  }

  /** The z14 tile holding a grid's label point. */
  static TileCoord labelTile(TestServer s, long id) {
    var p = grids(s).byId(id).orElseThrow().geometry().getInteriorPoint();
    return TileCoord.containing(WebMercator.x(p.getX()), WebMercator.y(p.getY()), 14);
  }

  @Test
  void aPlannerOfTheGridsDistrictRenamesIt() throws Exception {
    Feature grid = gridOf(server, "500103", 3);
    long id = grid.id();
    String oldName = grid.string(1);
    TileCoord tile = labelTile(server, id);
    String path = "/tiles/cq/14/" + tile.x() + "/" + tile.y() + ".mvt";
    assertThat(
            MvtFeatures.of(server.get(path, "Accept-Encoding", "gzip").body())
                .props("labels", id)
                .get("name"))
        .isEqualTo(oldName);
    String search =
        "/viewer/search?q="
            + java.net.URLEncoder.encode("滨江网格", java.nio.charset.StandardCharsets.UTF_8);
    assertThat(server.getText(search).body()).doesNotContain(Long.toString(id));

    var res =
        patch(
            server,
            id,
            "{\"properties\": {\"name\": \"滨江网格\", \"population\": 812}}",
            planner(server, "500103"));

    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type")).hasValue("application/geo+json");
    JsonNode answered = JSON.readTree(res.body());
    assertThat(answered.get("id").asLong()).isEqualTo(id);
    assertThat(answered.at("/properties/name").asText()).isEqualTo("滨江网格");
    assertThat(answered.at("/properties/worker_name").isMissingNode())
        .as("a planner sees no personal field")
        .isTrue();

    assertThat(item(server, id).at("/properties/name").asText()).isEqualTo("滨江网格");
    assertThat(item(server, id).at("/properties/population").asLong()).isEqualTo(812);
    MvtFeatures tiles = MvtFeatures.of(server.get(path, "Accept-Encoding", "gzip").body());
    assertThat(tiles.props("labels", id).get("name")).as("the z14 label").isEqualTo("滨江网格");
    assertThat(tiles.props("grids", id).get("name")).as("the z14 grid").isEqualTo("滨江网格");
    assertThat(JSON.readTree(server.getText(search).body()).get("results"))
        .as("the viewer's search finds the new name")
        .anySatisfy(r -> assertThat(r.get("code").asText()).isEqualTo(Long.toString(id)));

    JsonNode entry = audit(server, "grid.update").get(0);
    assertThat(entry.get("actor").asText()).isEqualTo("planner-500103");
    assertThat(entry.get("role").asText()).isEqualTo("planner");
    assertThat(entry.get("target").asText()).isEqualTo("grids/" + id);
    JsonNode fields = entry.at("/changes/features/0/fields");
    assertThat(fields.get("name").get(0).asText()).isEqualTo(oldName);
    assertThat(fields.get("name").get(1).asText()).isEqualTo("滨江网格");
    assertThat(fields.get("population").get(1).asLong()).isEqualTo(812);
    assertThat(fields.has("code")).isFalse();

    List<FeatureVersion> versions = history(server, id);
    assertThat(versions).extracting(FeatureVersion::version).containsExactly(1, 2);
    assertThat(versions.get(0).feature().string(1)).isEqualTo(oldName);
    assertThat(versions.get(1).feature().string(1)).isEqualTo("滨江网格");
    assertThat(versions.get(1).provenance().actor()).isEqualTo("planner-500103");
    assertThat(versions.get(1).provenance().action()).isEqualTo("grid.update");

    try (TestServer restarted = TestServer.startOnStore(server.storeFile(), Map.of())) {
      assertThat(item(restarted, id).at("/properties/name").asText())
          .as("a new server on the same store")
          .isEqualTo("滨江网格");
    }
  }

  @Test
  void aPlannerOfAnotherDistrictIsRefusedAndNothingChanges() throws Exception {
    Feature grid = gridOf(server, "500105", 2);
    long id = grid.id();
    int auditBefore = audit(server, "grid.update").size();

    var res =
        patch(server, id, "{\"properties\": {\"name\": \"越权网格\"}}", planner(server, "500103"));

    assertThat(res.statusCode()).as(res.body()).isEqualTo(403);
    assertThat(res.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(JSON.readTree(res.body()).get("detail").asText())
        .contains(Long.toString(id), "500103", "scope", "nothing was written");
    assertThat(item(server, id).at("/properties/name").asText()).isEqualTo(grid.string(1));
    assertThat(history(server, id)).isEmpty();
    JsonNode entries = audit(server, "grid.update");
    assertThat(entries.size()).isEqualTo(auditBefore);
    for (JsonNode e : entries) {
      assertThat(e.get("target").asText()).isNotEqualTo("grids/" + id);
    }
  }

  @Test
  void onlyPlannersAndAdminsMayEdit() throws Exception {
    long id = gridOf(server, "500103", 5).id();
    String body = "{\"properties\": {\"name\": \"不该改\"}}";
    var anonymous = patch(server, id, body, null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();
    for (Role role : List.of(Role.ANALYST, Role.COMMANDER, Role.GRID_WORKER)) {
      assertThat(patch(server, id, body, server.bearer(role, "500103")).statusCode())
          .as(role.code())
          .isEqualTo(403);
    }
    assertThat(item(server, id).at("/properties/name").asText())
        .isEqualTo(gridOf(server, "500103", 5).string(1));
    assertThat(history(server, id)).isEmpty();

    var admin =
        patch(server, id, "{\"properties\": {\"households\": 301}}", server.bearer(Role.ADMIN, ""));
    assertThat(admin.statusCode()).as(admin.body()).isEqualTo(200);
    assertThat(JSON.readTree(admin.body()).at("/properties/worker_name").isTextual())
        .as("an admin sees personal fields")
        .isTrue();
  }

  @Test
  void codesAreReadOnlyAndAGeometryBelongsToTheRedraw() throws Exception {
    long id = gridOf(server, "500103", 7).id();
    String auth = planner(server, "500103");
    var code = patch(server, id, "{\"properties\": {\"village_code\": \"500103001999\"}}", auth);
    assertThat(code.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(code.body()).get("detail").asText())
        .contains("village_code", "read-only", "500103001999");

    var same =
        patch(server, id, "{\"properties\": {\"code\": \"" + id + "\", \"name\": \"同码网格\"}}", auth);
    assertThat(same.statusCode()).as("a code repeated unchanged is fine").isEqualTo(200);

    var geometry =
        patch(
            server,
            id,
            "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [106.5, 29.5]}, \"properties\": {}}",
            auth);
    assertThat(geometry.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(geometry.body()).get("detail").asText())
        .contains("geometry", "/edits/grids", "neighbours");

    var worker = patch(server, id, "{\"properties\": {\"worker_id\": 42}}", auth);
    assertThat(worker.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(worker.body()).get("detail").asText())
        .contains("worker_id", "42", "force");

    var type = patch(server, id, "{\"properties\": {\"population\": \"many\"}}", auth);
    assertThat(type.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(type.body()).get("detail").asText())
        .contains("properties.population", "many", "integer");

    var unknown = patch(server, id, "{\"properties\": {\"colour\": \"red\"}}", auth);
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(unknown.body()).get("detail").asText())
        .contains("colour", "editable: name");

    var malformed = patch(server, id, "{\"properties\": {\"name\": ", auth);
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(JSON.readTree(malformed.body()).get("detail").asText())
        .contains("not valid JSON", "line 1");

    assertThat(
            patch(server, 500103999999999L, "{\"properties\": {\"name\": \"x\"}}", auth)
                .statusCode())
        .isEqualTo(404);
    assertThat(history(server, id)).extracting(FeatureVersion::version).containsExactly(1, 2);
  }

  @Test
  void aPatchThatChangesNothingWritesNothing() throws Exception {
    Feature grid = gridOf(server, "500103", 9);
    var res =
        patch(
            server,
            grid.id(),
            "{\"properties\": {\"name\": \"" + grid.string(1) + "\"}}",
            planner(server, "500103"));
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(history(server, grid.id())).isEmpty();
  }

  @Test
  void aPlannerScopedToTheVillageEditsItsGridsAndEveryVersionIsKept() throws Exception {
    Feature grid = gridOf(server, "500103", 11);
    long id = grid.id();
    String village = Long.toString(id / 1000);
    assertThat(
            patch(server, id, "{\"properties\": {\"name\": \"第一版\"}}", planner(server, "500103"))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            patch(server, id, "{\"properties\": {\"name\": \"第二版\"}}", planner(server, village))
                .statusCode())
        .isEqualTo(200);
    assertThat(
            patch(
                    server,
                    gridOf(server, "500103", 12).id(),
                    "{\"properties\": {\"name\": \"x\"}}",
                    planner(server, Long.toString(id)))
                .statusCode())
        .as("a planner scoped to one grid may not edit the next")
        .isEqualTo(403);
    try (FeatureStore store = Stores.open(server.storeFile().toString())) {
      assertThat(store.history("grids", id))
          .extracting(v -> v.feature().string(1))
          .containsExactly(grid.string(1), "第一版", "第二版");
    }
  }

  @Test
  void workerIdTakesAnExistingForcesIdAsANumberOrAString() throws Exception {
    long id = gridOf(server, "500103", 14).id();
    String auth = planner(server, "500103");
    JsonNode current = item(server, id).at("/properties/worker_id");
    assertThat(current.isIntegralNumber()).as(current.toString()).isTrue();
    long worker = current.asLong();
    // force ids have 13 digits (district, grid number in the district, number in the grid): above
    // the 10,000,000 that worker_id was once held to, below 2^52 so JavaScript reads them exactly
    assertThat(Long.toString(worker)).as("force ids have 13 digits").hasSize(13);

    var same = patch(server, id, "{\"properties\": {\"worker_id\": " + worker + "}}", auth);
    assertThat(same.statusCode()).as("the grid's own worker: " + same.body()).isEqualTo(200);
    assertThat(JSON.readTree(same.body()).at("/properties/worker_id").asLong()).isEqualTo(worker);

    var forces = server.server().content().index().layer("forces");
    int role = forces.def().requireField("role");
    long other =
        forces.features().stream()
            .filter(f -> f.id() != worker && "grid_worker".equals(f.string(role)))
            .mapToLong(Feature::id)
            .findFirst()
            .orElseThrow();
    long partTimer =
        forces.features().stream()
            .filter(f -> "part_timer".equals(f.string(role)))
            .mapToLong(Feature::id)
            .findFirst()
            .orElseThrow();
    var helper = patch(server, id, "{\"properties\": {\"worker_id\": " + partTimer + "}}", auth);
    assertThat(helper.statusCode())
        .as("a part-timer holds no grid: " + helper.body())
        .isEqualTo(422);
    assertThat(JSON.readTree(helper.body()).get("detail").asText())
        .contains("rule worker", "part_timer", "grid_worker");
    assertThat(item(server, id).at("/properties/worker_id").asLong()).isEqualTo(worker);
    var moved = patch(server, id, "{\"properties\": {\"worker_id\": \"" + other + "\"}}", auth);
    assertThat(moved.statusCode()).as("a string of digits: " + moved.body()).isEqualTo(200);
    assertThat(item(server, id).at("/properties/worker_id").asLong()).isEqualTo(other);
    var back = patch(server, id, "{\"properties\": {\"worker_id\": " + worker + "}}", auth);
    assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
    assertThat(item(server, id).at("/properties/worker_id").asLong()).isEqualTo(worker);

    long unknown = 99_999_999_999_999_999L;
    var none = patch(server, id, "{\"properties\": {\"worker_id\": " + unknown + "}}", auth);
    assertThat(none.statusCode()).as(none.body()).isEqualTo(422);
    assertThat(JSON.readTree(none.body()).get("detail").asText())
        .contains("worker_id", Long.toString(unknown), "no force");

    for (String bad :
        List.of(
            "-" + worker, "0", "1.5", worker + ".0", "\"-5\"", "\"12a\"", "\"\"", "true", "null")) {
      var res = patch(server, id, "{\"properties\": {\"worker_id\": " + bad + "}}", auth);
      assertThat(res.statusCode()).as(bad + ": " + res.body()).isEqualTo(400);
      assertThat(JSON.readTree(res.body()).get("detail").asText())
          .contains("properties.worker_id=", "a positive integer");
    }
    assertThat(history(server, id))
        .as("only the two changes were written")
        .extracting(FeatureVersion::version)
        .containsExactly(1, 2, 3);
  }

  @Test
  void theApiDocumentDescribesBothEdits() throws Exception {
    JsonNode paths = JSON.readTree(server.getText("/api").body()).get("paths");
    JsonNode patch = paths.at("/~1collections~1grids~1items~1{featureId}/patch");
    assertThat(patch.at("/requestBody/content").has("application/merge-patch+json")).isTrue();
    assertThat(patch.at("/responses/403/description").asText()).contains("scope");
    assertThat(paths.at("/~1collections~1grids~1items~1{featureId}/get").isObject())
        .as("the read stays")
        .isTrue();
    assertThat(paths.at("/~1collections~1events~1items~1{featureId}").has("patch"))
        .as("only grids are editable")
        .isFalse();
    assertThat(paths.at("/~1edits~1grids/post/responses/422/description").asText())
        .contains("no-overlap", "no-gap");
  }
}
