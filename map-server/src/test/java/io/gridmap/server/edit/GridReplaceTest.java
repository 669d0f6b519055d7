package io.gridmap.server.edit;

import static io.gridmap.server.edit.GridEditTest.JSON;
import static io.gridmap.server.edit.GridEditTest.gridOf;
import static io.gridmap.server.edit.GridEditTest.history;
import static io.gridmap.server.edit.GridEditTest.planner;
import static io.gridmap.server.edit.GridLockingTest.detail;
import static io.gridmap.server.edit.GridLockingTest.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridmap.layers.edit.FeatureVersion;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PUT /collections/grids/items/{fid} (OGC API - Features Part 4 "replace"): a planner sends back
 * the grid as read with new attributes; a moved outline, a missing editable property, a stale
 * If-Match or a caller outside the scope change nothing.
 */
class GridReplaceTest {
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.startWithStore(TestCity.small(), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  /** The grid as a caller reads it, and its ETag. */
  record Read(ObjectNode feature, String etag) {}

  static Read read(long id, String auth) throws Exception {
    HttpResponse<String> res =
        server.getText("/collections/grids/items/" + id, "Authorization", auth);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return new Read(
        (ObjectNode) JSON.readTree(res.body()), res.headers().firstValue("ETag").orElseThrow());
  }

  static HttpResponse<String> put(long id, ObjectNode body, String auth, String ifMatch)
      throws Exception {
    return write(server, "PUT", id, body.toString(), auth, ifMatch);
  }

  static Feature now(long id) {
    return server.server().content().index().layer("grids").byId(id).orElseThrow();
  }

  @Test
  void aGridSentBackAsReadWithNewAttributesReplacesThem() throws Exception {
    Feature before = gridOf(server, "500103", 2);
    long id = before.id();
    String auth = planner(server, "500103");
    Read r = read(id, auth);
    ((ObjectNode) r.feature().get("properties")).put("name", "换名网格").put("households", 77);

    var res = put(id, r.feature(), auth, r.etag());

    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    assertThat(JSON.readTree(res.body()).at("/properties/name").asText()).isEqualTo("换名网格");
    String tag = res.headers().firstValue("ETag").orElseThrow();
    assertThat(tag).isNotEqualTo(r.etag()).isEqualTo(read(id, auth).etag());
    assertThat(now(id).geometry()).as("the outline as it was").isEqualTo(before.geometry());
    assertThat(now(id).value(GridProperties.GRIDS.fieldIndex("worker_name")))
        .as("a planner does not read worker_name, so its PUT keeps it")
        .isEqualTo(before.value(GridProperties.GRIDS.fieldIndex("worker_name")));
    assertThat(history(server, id)).extracting(FeatureVersion::version).containsExactly(1, 2);
    assertThat(history(server, id).get(1).provenance().action()).isEqualTo("grid.replace");

    var again = put(id, r.feature(), auth, tag);
    assertThat(again.statusCode()).as("the same replacement again changes nothing").isEqualTo(200);
    assertThat(history(server, id)).hasSize(2);
  }

  @Test
  void aPutThatMovesTheOutlineIsRefusedAndChangesNothing() throws Exception {
    Feature before = gridOf(server, "500103", 5);
    long id = before.id();
    String auth = planner(server, "500103");
    Read r = read(id, auth);
    ArrayNode shell = (ArrayNode) r.feature().at("/geometry/coordinates/0");
    if (r.feature().at("/geometry/type").asText().equals("MultiPolygon")) {
      shell = (ArrayNode) r.feature().at("/geometry/coordinates/0/0");
    }
    // the second vertex 30 m north: the grid would take land of its neighbour
    ArrayNode vertex = (ArrayNode) shell.get(1);
    vertex.set(1, JSON.getNodeFactory().numberNode(vertex.get(1).asDouble() + 0.0003));

    var res = put(id, r.feature(), auth, r.etag());

    assertThat(res.statusCode()).as(res.body()).isEqualTo(422);
    assertThat(detail(res)).startsWith("rule ").contains(Long.toString(id));
    assertThat(now(id).geometry()).isEqualTo(before.geometry());
    assertThat(read(id, auth).etag()).isEqualTo(r.etag());
    assertThat(history(server, id)).isEmpty();
  }

  @Test
  void aPutMissingAnEditablePropertyIs400NamingIt() throws Exception {
    long id = gridOf(server, "500103", 7).id();
    String auth = planner(server, "500103");
    Read r = read(id, auth);
    ((ObjectNode) r.feature().get("properties")).remove("population");
    var res = put(id, r.feature(), auth, r.etag());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
    assertThat(detail(res)).contains("population", "PUT replaces");

    String admin = server.bearer(Role.ADMIN, "");
    Read full = read(id, admin);
    ((ObjectNode) full.feature().get("properties")).remove("worker_name");
    var adminRes = put(id, full.feature(), admin, full.etag());
    assertThat(adminRes.statusCode())
        .as("an admin reads worker_name, so replaces it too: " + adminRes.body())
        .isEqualTo(400);
    assertThat(detail(adminRes)).contains("worker_name");

    Read noGeometry = read(id, auth);
    noGeometry.feature().remove("geometry");
    assertThat(put(id, noGeometry.feature(), auth, null).statusCode()).isEqualTo(400);
    assertThat(history(server, id)).isEmpty();
  }

  @Test
  void aPutWithAStaleIfMatchOrOutsideTheScopeChangesNothing() throws Exception {
    long id = gridOf(server, "500103", 9).id();
    String auth = planner(server, "500103");
    Read r = read(id, auth);
    ((ObjectNode) r.feature().get("properties")).put("name", "迟到");

    var stale = put(id, r.feature(), auth, "\"0000000000000000\"");
    assertThat(stale.statusCode()).as(stale.body()).isEqualTo(412);
    assertThat(detail(stale)).contains("grid " + id, r.etag());

    var outside = put(id, r.feature(), planner(server, "500105"), r.etag());
    assertThat(outside.statusCode()).isEqualTo(403);
    var analyst = put(id, r.feature(), server.bearer(Role.ANALYST, "500103"), r.etag());
    assertThat(analyst.statusCode()).isEqualTo(403);
    assertThat(history(server, id)).isEmpty();
  }

  @Test
  void theApiDocumentDescribesPutAndTheLocking() throws Exception {
    var paths = JSON.readTree(server.getText("/api").body()).get("paths");
    var item = paths.get("/collections/grids/items/{featureId}");
    for (String method : List.of("patch", "put")) {
      assertThat(item.at("/" + method + "/responses/412/description").asText())
          .as(method)
          .contains("ETag");
      assertThat(item.at("/" + method + "/responses/428").isObject()).as(method).isTrue();
      assertThat(item.at("/" + method + "/responses/200/headers/ETag").isObject())
          .as(method)
          .isTrue();
      assertThat(item.at("/" + method + "/parameters").findValuesAsText("name"))
          .as(method)
          .contains("If-Match");
    }
    assertThat(item.at("/put/requestBody/content").has("application/geo+json")).isTrue();
    assertThat(
            paths
                .at(
                    "/~1edits~1grids/post/requestBody/content/application~1geo+json/schema/properties/features/items/properties/etag")
                .isObject())
        .isTrue();
  }
}
