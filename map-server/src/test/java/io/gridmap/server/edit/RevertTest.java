package io.gridmap.server.edit;

import static io.gridmap.server.edit.GridEditTest.JSON;
import static io.gridmap.server.edit.GridEditTest.grids;
import static io.gridmap.server.edit.GridEditTest.patch;
import static io.gridmap.server.edit.GridEditTest.planner;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.testing.SharedBoundary;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.geojson.GeoJsonReader;

/**
 * A grid's history read back (GET /history/grids/{id}, a version, two compared) and an edit
 * reverted (POST /edits/{seq}/revert) on a real server over a GeoPackage store: the old boundary
 * comes back under the same rules as any edit, later edits must be reverted first, and only the
 * author or an admin may revert.
 */
class RevertTest {
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.startWithStore(TestCity.small(), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static HttpResponse<String> post(String path, String body, String auth) throws Exception {
    return server.send(
        "POST", path, body, "Content-Type", "application/geo+json", "Authorization", auth);
  }

  private static JsonNode get(String path, String auth) throws Exception {
    var res = server.getText(path, "Authorization", auth);
    assertThat(res.statusCode()).as(path + ": " + res.body()).isEqualTo(200);
    return JSON.readTree(res.body());
  }

  private static long locate(Coordinate c) throws Exception {
    var res =
        server.getText(String.format(Locale.ROOT, "/query/locate?lon=%.7f&lat=%.7f", c.x, c.y));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return JSON.readTree(res.body()).at("/grid/id").asLong();
  }

  private static Geometry geometry(long id) {
    return grids(server).byId(id).orElseThrow().geometry();
  }

  @Test
  void aRedrawIsListedComparedAndRevertedAfterTheLaterRenameIsRevertedFirst() throws Exception {
    GridEditRedrawTest.Candidate c = GridEditRedrawTest.candidate(server, Set.of());
    long a = c.a().id();
    long b = c.b().id();
    SharedBoundary.Move m = c.move();
    String author = planner(server, "500103");
    String body = GridEditRedrawTest.body(GridEditRedrawTest.outlines(a, m.first(), b, m.second()));
    assertThat(post("/edits/grids", body, author).statusCode()).isEqualTo(200);
    assertThat(locate(m.probe())).isEqualTo(a);

    JsonNode versions = get("/history/grids/" + a, author).get("versions");
    assertThat(versions).hasSize(2);
    assertThat(versions.get(0).get("action").asText()).isEqualTo("original");
    assertThat(versions.get(1).get("action").asText()).isEqualTo("grids.redraw");
    assertThat(versions.get(1).get("actor").asText()).isEqualTo("planner-500103");
    long redraw = versions.get(1).get("seq").asLong();
    assertThat(redraw).isPositive();

    JsonNode original = get("/history/grids/" + a + "/1", author);
    Geometry was = new GeoJsonReader().read(original.get("geometry").toString());
    assertThat(was.norm().equalsExact(c.a().geometry().norm(), 1e-9)).isTrue();
    assertThat(original.at("/version/number").asInt()).isEqualTo(1);
    JsonNode diff = get("/history/grids/" + a + "/compare?from=1&to=2", author);
    assertThat(diff.at("/geometry/changed").asBoolean()).isTrue();
    assertThat(diff.at("/geometry/added_m2").asDouble()).isPositive();
    assertThat(diff.at("/geometry/added/type").asText()).contains("Polygon");
    assertThat(diff.get("properties").size()).as("a redraw changes no attribute").isZero();

    // a later rename of a: the redraw cannot be undone under it
    var renamed = patch(server, a, "{\"properties\":{\"name\":\"改过的网格\"}}", author);
    assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
    var blocked = post("/edits/" + redraw + "/revert", "", author);
    assertThat(blocked.statusCode()).as(blocked.body()).isEqualTo(409);
    assertThat(blocked.body()).contains("edited-since").contains(Long.toString(a));
    assertThat(locate(m.probe())).as("nothing was written").isEqualTo(a);

    long rename = get("/history/grids/" + a, author).get("versions").get(2).get("seq").asLong();
    JsonNode nameDiff = get("/history/grids/" + a + "/compare?from=2&to=3", author);
    assertThat(nameDiff.at("/properties/name/to").asText()).isEqualTo("改过的网格");
    assertThat(nameDiff.at("/geometry/changed").asBoolean()).isFalse();

    var undoRename = post("/edits/" + rename + "/revert", "", author);
    assertThat(undoRename.statusCode()).as(undoRename.body()).isEqualTo(200);
    assertThat(grids(server).byId(a).orElseThrow().string(1)).isEqualTo(c.a().string(1));

    var undoRedraw = post("/edits/" + redraw + "/revert", "", author);
    assertThat(undoRedraw.statusCode()).as(undoRedraw.body()).isEqualTo(200);
    JsonNode answer = JSON.readTree(undoRedraw.body());
    assertThat(answer.get("redrawn")).extracting(JsonNode::asLong).containsExactlyInAnyOrder(a, b);
    assertThat(locate(m.probe())).as("the point is back in b").isEqualTo(b);
    assertThat(geometry(a).norm().equalsExact(c.a().geometry().norm())).isTrue();
    assertThat(geometry(b).norm().equalsExact(c.b().geometry().norm())).isTrue();
    assertThat(GridEditRedrawTest.generalisedCoverageAround(server, m.probe()))
        .as("every zoom around the boundary is a coverage again")
        .isTrue();

    JsonNode after = get("/history/grids/" + a, author).get("versions");
    assertThat(after).hasSize(5);
    assertThat(after.get(4).get("action").asText()).isEqualTo("grid.revert");

    var again = post("/edits/" + redraw + "/revert", "", author);
    assertThat(again.statusCode())
        .as("a revert already undone: the grids are no longer as the redraw left them")
        .isEqualTo(409);
  }

  @Test
  void onlyTheAuthorOrAnAdminRevertsAndOnlyWithCredentialsIsHistoryRead() throws Exception {
    Feature grid = GridEditTest.gridOf(server, "500103", 7);
    long id = grid.id();
    String author = server.bearer("planner-anna", Role.PLANNER, "500103");
    var res = patch(server, id, "{\"properties\":{\"name\":\"安娜的网格\"}}", author);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    long seq = get("/history/grids/" + id, author).get("versions").get(1).get("seq").asLong();

    String colleague = server.bearer("planner-bo", Role.PLANNER, "500103");
    var refused = post("/edits/" + seq + "/revert", "", colleague);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(refused.body()).contains("planner-anna").contains("own edits");
    assertThat(grids(server).byId(id).orElseThrow().string(1)).isEqualTo("安娜的网格");

    assertThat(server.getText("/history/grids/" + id).statusCode())
        .as("the public reads no history")
        .isEqualTo(401);
    assertThat(
            post("/edits/" + seq + "/revert", "", server.bearer(Role.COMMANDER, "500103"))
                .statusCode())
        .isEqualTo(403);

    String now =
        server.getText("/collections/grids/items/" + id).headers().firstValue("ETag").orElseThrow();
    var stale =
        server.send(
            "POST",
            "/edits/" + seq + "/revert",
            "",
            "Authorization",
            server.bearer(Role.ADMIN, ""),
            "If-Match",
            "\"0000000000000000\"");
    assertThat(stale.statusCode()).as("a stale ETag: " + stale.body()).isEqualTo(412);
    assertThat(grids(server).byId(id).orElseThrow().string(1)).isEqualTo("安娜的网格");

    var admin =
        server.send(
            "POST",
            "/edits/" + seq + "/revert",
            "",
            "Authorization",
            server.bearer(Role.ADMIN, ""),
            "If-Match",
            now);
    assertThat(admin.statusCode()).as(admin.body()).isEqualTo(200);
    assertThat(grids(server).byId(id).orElseThrow().string(1)).isEqualTo(grid.string(1));
  }

  @Test
  void unknownEditsVersionsAndFeaturesAreClearErrors() throws Exception {
    String admin = server.bearer(Role.ADMIN, "");
    for (String path :
        new String[] {"/edits/99999999/revert", "/edits/x/revert", "/edits/0/revert"}) {
      var res = post(path, "", admin);
      assertThat(res.statusCode()).as(path + ": " + res.body()).isEqualTo(404);
      assertThat(res.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
    var large = post("/edits/1/revert", "x".repeat(4096), admin);
    assertThat(large.statusCode()).as("a revert takes no body: " + large.body()).isEqualTo(413);
    long id = GridEditTest.gridOf(server, "500103", 11).id();
    assertThat(get("/history/grids/" + id, admin).get("versions")).isEmpty();
    assertThat(server.getText("/history/grids/" + id + "/1", "Authorization", admin).statusCode())
        .as("a grid never changed has no version 1 stored")
        .isEqualTo(404);
    assertThat(
            server
                .getText("/history/grids/" + id + "/compare?from=1", "Authorization", admin)
                .statusCode())
        .isEqualTo(400);
    assertThat(
            server
                .getText("/history/grids/" + id + "/compare?from=a&to=2", "Authorization", admin)
                .statusCode())
        .isEqualTo(400);
    assertThat(server.getText("/history/grids/42", "Authorization", admin).statusCode())
        .isEqualTo(404);
    assertThat(server.getText("/history/nope/42", "Authorization", admin).statusCode())
        .isEqualTo(404);
  }

  @Test
  void aPersonalFeaturesHistoryIsForStaffOnly() throws Exception {
    Feature home =
        server.server().content().index().layer("events").features().stream()
            .filter(Feature::personal)
            .findFirst()
            .orElseThrow(() -> new AssertionError("the test city has no personal incident"));
    String path = "/history/events/" + home.id();
    assertThat(server.getText(path, "Authorization", server.bearer(Role.ANALYST, "")).statusCode())
        .as("an analyst sees no personal feature, not even its history")
        .isEqualTo(404);
    assertThat(
            server.getText(path, "Authorization", server.bearer(Role.COMMANDER, "")).statusCode())
        .isEqualTo(200);
  }
}
