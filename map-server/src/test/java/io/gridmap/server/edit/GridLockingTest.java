package io.gridmap.server.edit;

import static io.gridmap.server.edit.GridEditTest.JSON;
import static io.gridmap.server.edit.GridEditTest.gridOf;
import static io.gridmap.server.edit.GridEditTest.history;
import static io.gridmap.server.edit.GridEditTest.planner;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.layers.edit.FeatureVersion;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Geometry;

/**
 * Optimistic locking of grid edits (OGC API - Features Part 4, optimistic locking using ETags),
 * against a real server over a GeoPackage store: every item carries the strong ETag of its stored
 * version; a PATCH, PUT or redraw whose If-Match (or per-grid etag) names an older version is 412
 * and writes nothing; the current one is taken and answered with the new tag.
 */
class GridLockingTest {
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.startWithStore(TestCity.small(), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static HttpResponse<String> get(TestServer s, String path, String... headers) throws Exception {
    return s.getText(path, headers);
  }

  static String etag(TestServer s, String collection, long id) throws Exception {
    var res =
        s.getText(
            "/collections/" + collection + "/items/" + id,
            "Authorization",
            s.bearer(Role.ADMIN, ""));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return res.headers().firstValue("ETag").orElseThrow();
  }

  static HttpResponse<String> write(
      TestServer s, String method, long id, String body, String auth, String ifMatch)
      throws Exception {
    List<String> headers =
        new ArrayList<>(
            List.of("Content-Type", "application/merge-patch+json", "Authorization", auth));
    if (ifMatch != null) {
      headers.add("If-Match");
      headers.add(ifMatch);
    }
    return s.send(method, "/collections/grids/items/" + id, body, headers.toArray(String[]::new));
  }

  static String detail(HttpResponse<String> res) throws Exception {
    assertThat(res.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    return JSON.readTree(res.body()).get("detail").asText();
  }

  @Test
  void everyItemCarriesAStrongEtagOfItsStoredVersionEqualAfterARestart() throws Exception {
    Map<String, Long> items = new java.util.LinkedHashMap<>();
    items.put("grids", gridOf(server, "500103", 1).id());
    for (String c : List.of("key_sites", "forces", "villages")) {
      items.put(c, server.server().content().index().layer(c).feature(0).id());
    }
    Map<String, String> tags = new java.util.LinkedHashMap<>();
    for (var e : items.entrySet()) {
      String tag = etag(server, e.getKey(), e.getValue());
      assertThat(tag).as(e.getKey()).matches("\"[0-9a-f]{16}\"");
      assertThat(etag(server, e.getKey(), e.getValue())).as("stable").isEqualTo(tag);
      tags.put(e.getKey(), tag);
    }
    try (TestServer restarted = TestServer.startOnStore(server.storeFile(), Map.of())) {
      for (var e : items.entrySet()) {
        assertThat(etag(restarted, e.getKey(), e.getValue()))
            .as("another server on the same store: " + e.getKey())
            .isEqualTo(tags.get(e.getKey()));
      }
    }
  }

  @Test
  void aForcesEtagChangesWhenItMoves() throws Exception {
    Feature force = server.server().content().index().layer("forces").feature(3);
    String before = etag(server, "forces", force.id());
    var p = force.geometry().getCoordinate();
    var moved =
        server.send(
            "POST",
            "/live/positions",
            "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"id\":"
                + force.id()
                + ",\"geometry\":{\"type\":\"Point\",\"coordinates\":["
                + (p.x + 0.0005)
                + ","
                + p.y
                + "]}}]}",
            "Content-Type",
            "application/geo+json",
            "Authorization",
            server.bearer("root", Role.ADMIN, ""));
    assertThat(moved.statusCode()).as(moved.body()).isBetween(200, 204);
    assertThat(etag(server, "forces", force.id())).isNotEqualTo(before);
  }

  @Test
  void anItemAnswers304ToItsOwnEtagAndHeadCarriesIt() throws Exception {
    long id = gridOf(server, "500103", 2).id();
    String path = "/collections/grids/items/" + id;
    String tag = get(server, path).headers().firstValue("ETag").orElseThrow();
    var again = get(server, path, "If-None-Match", tag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(again.headers().firstValue("ETag")).hasValue(tag);
    assertThat(get(server, path, "If-None-Match", "\"0000000000000000\"").statusCode())
        .isEqualTo(200);
    var head =
        server
            .client()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + path))
                    .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.discarding());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("ETag")).hasValue(tag);
  }

  @Test
  void aPatchWithAStaleIfMatchIs412AndChangesNothing() throws Exception {
    Feature grid = gridOf(server, "500103", 4);
    long id = grid.id();
    String auth = planner(server, "500103");
    String read = etag(server, "grids", id);
    var first = write(server, "PATCH", id, "{\"properties\": {\"name\": \"先改\"}}", auth, read);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    String now = first.headers().firstValue("ETag").orElseThrow();
    assertThat(now).as("the answer carries the new version's tag").isNotEqualTo(read);
    assertThat(etag(server, "grids", id)).isEqualTo(now);

    var late = write(server, "PATCH", id, "{\"properties\": {\"name\": \"后改\"}}", auth, read);

    assertThat(late.statusCode()).as(late.body()).isEqualTo(412);
    assertThat(detail(late)).contains("grid " + id, now, read, "nothing was written");
    assertThat(GridEditTest.item(server, id).at("/properties/name").asText()).isEqualTo("先改");
    assertThat(etag(server, "grids", id)).as("the tag is unchanged").isEqualTo(now);
    assertThat(history(server, id)).extracting(FeatureVersion::version).containsExactly(1, 2);
  }

  @Test
  void anIfMatchListStarAndWeakTagsFollowTheStrongComparison() throws Exception {
    long id = gridOf(server, "500103", 6).id();
    String auth = planner(server, "500103");
    String tag = etag(server, "grids", id);

    var weak =
        write(server, "PATCH", id, "{\"properties\": {\"population\": 11}}", auth, "W/" + tag);
    assertThat(weak.statusCode()).as("a weak tag never matches").isEqualTo(412);

    var list =
        write(
            server,
            "PATCH",
            id,
            "{\"properties\": {\"population\": 12}}",
            auth,
            "\"0000000000000000\", " + tag);
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);

    var any = write(server, "PATCH", id, "{\"properties\": {\"population\": 13}}", auth, "*");
    assertThat(any.statusCode()).as("* names any version: " + any.body()).isEqualTo(200);

    var none = write(server, "PATCH", id, "{\"properties\": {\"population\": 14}}", auth, null);
    assertThat(none.statusCode())
        .as("without If-Match, as today's clients send, by default: " + none.body())
        .isEqualTo(200);
    assertThat(GridEditTest.item(server, id).at("/properties/population").asLong()).isEqualTo(14);
  }

  @Test
  void updateDeclaresPatchInOptionsAndNeedsAContentType() throws Exception {
    long id = gridOf(server, "500103", 8).id();
    var options =
        server
            .client()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(server.baseUrl() + "/collections/grids/items/" + id))
                    .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(options.statusCode()).isEqualTo(200);
    assertThat(options.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS, PATCH, PUT");
    assertThat(options.headers().firstValue("Accept-Patch"))
        .get()
        .asString()
        .contains("application/merge-patch+json");

    var res =
        server.send(
            "PATCH",
            "/collections/grids/items/" + id,
            "{\"properties\": {\"population\": 5}}",
            "Authorization",
            planner(server, "500103"));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
    assertThat(detail(res)).contains("Content-Type", "application/merge-patch+json");
    assertThat(history(server, id)).isEmpty();
  }

  @Test
  void conformanceDeclaresUpdateAndEtagLockingButNotCreateReplaceDelete() throws Exception {
    JsonNode classes = JSON.readTree(server.getText("/conformance").body()).get("conformsTo");
    List<String> declared = new ArrayList<>();
    classes.forEach(c -> declared.add(c.asText()));
    String part4 = "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/";
    assertThat(declared)
        .contains(part4 + "update", part4 + "optimistic-locking-etags")
        .doesNotContain(part4 + "create-replace-delete", part4 + "features");
  }

  /** A redraw body whose features carry an etag member each (null: none). */
  static String redrawBody(Map<Long, Geometry> outlines, Map<Long, String> etags) {
    List<String> features = new ArrayList<>();
    outlines.forEach(
        (id, g) ->
            features.add(
                "{\"type\":\"Feature\",\"id\":"
                    + id
                    + (etags.containsKey(id)
                        ? ",\"etag\":" + JSON.valueToTree(etags.get(id)).toString()
                        : "")
                    + ",\"geometry\":"
                    + GridEditRedrawTest.geometry(g)
                    + "}"));
    return "{\"type\":\"FeatureCollection\",\"features\":[" + String.join(",", features) + "]}";
  }

  @Test
  void aRedrawWithAStaleEtagIs412AndWithTheCurrentOnesIsTaken() throws Exception {
    GridEditRedrawTest.Candidate c = GridEditRedrawTest.candidate(server, Set.of());
    long a = c.a().id();
    long b = c.b().id();
    String auth = planner(server, "500103");
    String tagA = etag(server, "grids", a);
    String tagB = etag(server, "grids", b);
    Map<Long, Geometry> outlines =
        GridEditRedrawTest.outlines(a, c.move().first(), b, c.move().second());

    // someone renames b after the planner read it
    assertThat(
            write(server, "PATCH", b, "{\"properties\": {\"name\": \"改名\"}}", auth, null)
                .statusCode())
        .isEqualTo(200);
    String renamed = etag(server, "grids", b);

    var stale =
        server.send(
            "POST",
            "/edits/grids",
            redrawBody(outlines, Map.of(a, tagA, b, tagB)),
            "Content-Type",
            "application/geo+json",
            "Authorization",
            auth);
    assertThat(stale.statusCode()).as(stale.body()).isEqualTo(412);
    assertThat(detail(stale)).contains("grid " + b, renamed, "nothing was written");
    assertThat(detail(stale)).doesNotContain("grid " + a);
    assertThat(server.server().content().index().layer("grids").byId(a).orElseThrow().geometry())
        .isEqualTo(c.a().geometry());

    var header =
        server.send(
            "POST",
            "/edits/grids",
            redrawBody(outlines, Map.of()),
            "Content-Type",
            "application/geo+json",
            "Authorization",
            auth,
            "If-Match",
            tagA);
    assertThat(header.statusCode()).as("If-Match cannot say which grid").isEqualTo(400);
    assertThat(detail(header)).contains("etag");

    var current =
        server.send(
            "POST",
            "/edits/grids",
            // the opaque part alone is read as the tag too
            redrawBody(outlines, Map.of(a, tagA, b, renamed.replace("\"", ""))),
            "Content-Type",
            "application/geo+json",
            "Authorization",
            auth);
    assertThat(current.statusCode()).as(current.body()).isEqualTo(200);
    JsonNode answer = JSON.readTree(current.body());
    for (JsonNode f : answer.get("features")) {
      long id = f.get("id").asLong();
      assertThat(f.get("etag").asText())
          .as("each grid's new tag, as GET gives it")
          .isEqualTo(etag(server, "grids", id))
          .isNotEqualTo(id == a ? tagA : renamed);
    }
  }
}
