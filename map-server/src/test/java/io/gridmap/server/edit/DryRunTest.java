package io.gridmap.server.edit;

import static io.gridmap.server.edit.GridEditTest.JSON;
import static io.gridmap.server.edit.GridEditTest.grids;
import static io.gridmap.server.edit.GridEditTest.history;
import static io.gridmap.server.edit.GridEditTest.patch;
import static io.gridmap.server.edit.GridEditTest.planner;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.geojson.GeoJsonReader;

/**
 * {@code ?dryRun=true} on an edit: the answer it would get (the resulting grids, or every
 * violation), and nothing written: no version, no audit entry, the map and its ETags as they were.
 */
class DryRunTest {
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.startWithStore(TestCity.small(), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static String etag(long id) throws Exception {
    return server
        .getText("/collections/grids/items/" + id)
        .headers()
        .firstValue("ETag")
        .orElseThrow();
  }

  @Test
  void aDryRunRedrawAnswersTheNewOutlinesAndWritesNothing() throws Exception {
    GridEditRedrawTest.Candidate c = GridEditRedrawTest.candidate(server, Set.of());
    long a = c.a().id();
    String before = etag(a);
    String body =
        GridEditRedrawTest.body(
            GridEditRedrawTest.outlines(a, c.move().first(), c.b().id(), c.move().second()));
    var res =
        server.send(
            "POST",
            "/edits/grids?dryRun=true",
            body,
            "Content-Type",
            "application/geo+json",
            "Authorization",
            planner(server, "500103"));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    assertThat(res.headers().firstValue("Dry-Run")).hasValue("true");
    JsonNode answer = JSON.readTree(res.body());
    assertThat(answer.get("redrawn"))
        .extracting(JsonNode::asLong)
        .containsExactlyInAnyOrder(a, c.b().id());
    JsonNode first =
        answer.get("features").get(0).get("id").asLong() == a
            ? answer.get("features").get(0)
            : answer.get("features").get(1);
    Geometry drawn = new GeoJsonReader().read(first.get("geometry").toString());
    assertThat(drawn.norm().equalsExact(c.move().first().norm(), 1e-9))
        .as("the answer holds the outline it would have")
        .isTrue();

    assertThat(grids(server).byId(a).orElseThrow().geometry().equalsExact(c.a().geometry()))
        .as("the map is as it was")
        .isTrue();
    assertThat(history(server, a)).isEmpty();
    assertThat(etag(a)).isEqualTo(before);
  }

  @Test
  void aDryRunOfABrokenRedrawListsEveryViolationLikeTheWriteWould() throws Exception {
    GridEditRedrawTest.Candidate c = GridEditRedrawTest.candidate(server, Set.of());
    var res =
        server.send(
            "POST",
            "/edits/grids?dryRun=true",
            GridEditRedrawTest.body(
                GridEditRedrawTest.outlines(
                    c.a().id(), c.move().first(), c.b().id(), c.b().geometry())),
            "Content-Type",
            "application/geo+json",
            "Authorization",
            planner(server, "500103"));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(422);
    JsonNode v = JSON.readTree(res.body()).get("violations").get(0);
    assertThat(v.get("rule").asText()).isEqualTo("no-overlap");
    assertThat(v.has("geometry")).isTrue();
  }

  @Test
  void aDryRunPatchAnswersTheGridAsItWouldBeAndItsNewEtag() throws Exception {
    Feature grid = GridEditTest.gridOf(server, "500103", 5);
    long id = grid.id();
    String before = etag(id);
    var res =
        server.send(
            "PATCH",
            "/collections/grids/items/" + id + "?dryRun=true",
            "{\"properties\":{\"name\":\"试试看\"}}",
            "Content-Type",
            "application/merge-patch+json",
            "Authorization",
            planner(server, "500103"));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    assertThat(JSON.readTree(res.body()).at("/properties/name").asText()).isEqualTo("试试看");
    assertThat(res.headers().firstValue("ETag"))
        .isPresent()
        .isNotEqualTo(java.util.Optional.of(before));
    assertThat(grids(server).byId(id).orElseThrow().string(1)).isEqualTo(grid.string(1));
    assertThat(etag(id)).isEqualTo(before);
    assertThat(history(server, id)).isEmpty();

    var bad = patch(server, id, "{\"properties\":{\"name\":\"x\"}}", planner(server, "500103"));
    assertThat(bad.statusCode()).isEqualTo(200); // the real write still works afterwards
    var wrong =
        server.send(
            "PATCH",
            "/collections/grids/items/" + id + "?dryRun=maybe",
            "{\"properties\":{\"name\":\"y\"}}",
            "Content-Type",
            "application/merge-patch+json",
            "Authorization",
            planner(server, "500103"));
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(wrong.body()).contains("dryRun");
  }
}
