package io.gridmap.server.edit;

import static io.gridmap.server.edit.GridEditTest.JSON;
import static io.gridmap.server.edit.GridEditTest.audit;
import static io.gridmap.server.edit.GridEditTest.grids;
import static io.gridmap.server.edit.GridEditTest.history;
import static io.gridmap.server.edit.GridEditTest.planner;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.layers.edit.EditRefused;
import io.gridmap.layers.edit.GridRedraw;
import io.gridmap.layers.edit.VillageRedraw;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.gridmap.tiler.geo.TileCoord;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.coverage.CoverageUnion;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.geojson.GeoJsonReader;

/**
 * POST /edits/villages against a real server over a GeoPackage store: two neighbouring villages of
 * one street get new outlines, their grids follow, items and tiles show it; a dry run writes
 * nothing, a stale etag is 412, a planner of another district 403.
 */
class VillageRedrawOverHttpTest {
  private static TestServer server;

  /** A village redraw the rules accept, and another one, in other villages, for the refusals. */
  private static Redraw accepted;

  private static Redraw other;

  /**
   * Villages va and vb with the outlines they get when grid a (of va) takes a triangle from grid b
   * (of vb); probe lies in the triangle.
   */
  record Redraw(
      String va, String vb, long a, long b, Map<String, Geometry> outlines, Coordinate probe) {}

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.startWithStore(TestCity.small(), Map.of());
    accepted = redraw(Set.of());
    other = redraw(Set.of(accepted.va(), accepted.vb()));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  /**
   * A node slide between grids of two neighbouring villages of one street (outside some villages),
   * as the villages' new outlines: each the union of its grids after the slide.
   */
  private static Redraw redraw(Set<String> notIn) {
    GridEditRedrawTest.Candidate c =
        GridEditRedrawTest.candidate(
            server,
            notIn,
            (va, vb) -> !va.equals(vb) && va.regionMatches(0, vb, 0, 9) && !notIn.contains(vb));
    int village = grids(server).def().requireField("village_code");
    String va = c.a().string(village);
    String vb = c.b().string(village);
    Map<String, Geometry> outlines = new LinkedHashMap<>();
    for (String v : List.of(va, vb)) {
      List<Geometry> parts = new ArrayList<>();
      for (Feature g : grids(server).features()) {
        if (!v.equals(g.string(village))) {
          continue;
        }
        parts.add(
            g.id() == c.a().id()
                ? c.move().first()
                : g.id() == c.b().id() ? c.move().second() : g.geometry());
      }
      outlines.put(v, CoverageUnion.union(parts.toArray(Geometry[]::new)));
    }
    Redraw r = new Redraw(va, vb, c.a().id(), c.b().id(), outlines, c.move().probe());
    try {
      VillageRedraw.plan(server.server().content().index(), outlines, GridRedraw.Limits.standard());
    } catch (EditRefused e) {
      throw new AssertionError("the village redraw of " + r + " is refused: " + e.getMessage(), e);
    }
    return r;
  }

  private static String body(Redraw r, Map<String, String> etags) {
    List<String> features = new ArrayList<>();
    r.outlines()
        .forEach(
            (code, g) ->
                features.add(
                    "{\"type\":\"Feature\",\"id\":\""
                        + code
                        + "\",\"geometry\":"
                        + GridEditRedrawTest.geometry(g)
                        + (etags.containsKey(code)
                            ? ",\"etag\":" + JSON.valueToTree(etags.get(code))
                            : "")
                        + "}"));
    return "{\"type\":\"FeatureCollection\",\"features\":[" + String.join(",", features) + "]}";
  }

  private static HttpResponse<String> post(String path, String body, String auth) throws Exception {
    return server.send(
        "POST", path, body, "Content-Type", "application/geo+json", "Authorization", auth);
  }

  private static String etag(String village) throws Exception {
    var res = server.getText("/collections/villages/items/" + village);
    assertThat(res.statusCode()).isEqualTo(200);
    return res.headers().firstValue("ETag").orElseThrow();
  }

  private static Geometry served(String collection, Object id) throws Exception {
    var res = server.getText("/collections/" + collection + "/items/" + id);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return new GeoJsonReader().read(JSON.readTree(res.body()).get("geometry").toString());
  }

  private static boolean covers(Geometry g, Coordinate c) {
    return g.covers(g.getFactory().createPoint(c));
  }

  @Test
  void aRedrawMovesBothVillagesAndTheirGridsInItemsAndTiles() throws Exception {
    Redraw r = accepted;
    TileCoord tile = GridEditRedrawTest.tileAt(r.probe(), 14);
    var tileBefore = server.get(GridEditRedrawTest.tilePath(tile), "Accept-Encoding", "gzip");
    assertThat(tileBefore.statusCode()).isEqualTo(200);
    assertThat(covers(served("villages", r.vb()), r.probe())).isTrue();
    assertThat(covers(served("grids", r.b()), r.probe())).isTrue();
    int audited = audit(server, "villages.redraw").size();

    var res =
        post(
            "/edits/villages",
            body(r, Map.of(r.va(), etag(r.va()), r.vb(), etag(r.vb()))),
            planner(server, r.va().substring(0, 9)));

    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    JsonNode answer = JSON.readTree(res.body());
    assertThat(answer.get("redrawn")).extracting(JsonNode::asLong).contains(r.a(), r.b());
    List<String> villagesAnswered = new ArrayList<>();
    for (JsonNode f : answer.get("features")) {
      assertThat(f.get("etag").asText()).as("every feature carries its etag").startsWith("\"");
      if (f.get("collection").asText().equals("villages")) {
        villagesAnswered.add(f.get("id").asText());
        assertThat(f.get("etag").asText()).isEqualTo(etag(f.get("id").asText()));
      }
    }
    assertThat(villagesAnswered).containsExactlyInAnyOrder(r.va(), r.vb());

    assertThat(covers(served("villages", r.va()), r.probe())).as("va took the probe").isTrue();
    assertThat(covers(served("villages", r.vb()), r.probe())).isFalse();
    assertThat(covers(served("grids", r.a()), r.probe())).as("grid a followed").isTrue();
    assertThat(covers(served("grids", r.b()), r.probe())).isFalse();
    assertThat(history(server, r.a())).hasSize(2);
    assertThat(history(server, r.a()).get(1).provenance().action()).isEqualTo("villages.redraw");
    assertThat(audit(server, "villages.redraw").size()).isEqualTo(audited + 1);

    var tileAfter = server.get(GridEditRedrawTest.tilePath(tile), "Accept-Encoding", "gzip");
    assertThat(tileAfter.statusCode()).isEqualTo(200);
    assertThat(tileAfter.headers().firstValue("ETag"))
        .as("the z14 tile under the moved boundary is drawn anew")
        .isNotEqualTo(tileBefore.headers().firstValue("ETag"));
    assertThat(GridEditRedrawTest.generalisedCoverageAround(server, r.probe()))
        .as("grids at z12-14 around the boundary are still a coverage")
        .isTrue();
  }

  @Test
  void aVillageWithoutEtagIs428WhenTheServerRequiresThem() throws Exception {
    try (TestServer strict =
        TestServer.startWithStore(TestCity.small(), Map.of("edits_require_if_match", "true"))) {
      Redraw r = other;
      var res =
          strict.send(
              "POST",
              "/edits/villages",
              body(r, Map.of(r.va(), "*")),
              "Content-Type",
              "application/geo+json",
              "Authorization",
              planner(strict, r.va().substring(0, 9)));
      assertThat(res.statusCode()).as(res.body()).isEqualTo(428);
      assertThat(JSON.readTree(res.body()).get("detail").asText()).contains(r.vb(), "etag");
      assertThat(strict.server().content().store().orElseThrow().history("grids", r.a())).isEmpty();
    }
  }

  @Test
  void mutatedBodiesAreNeverA5xx() throws Exception {
    Redraw r = other;
    String body = body(r, Map.of());
    String auth = planner(server, r.va().substring(0, 9));
    java.util.Random rnd = new java.util.Random(20261205);
    String alphabet = "{}[],:\"0123456789.-eE nulltrueFeaturePolygon";
    List<String> fiveHundreds = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      StringBuilder b = new StringBuilder(body);
      for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
        int at = rnd.nextInt(b.length());
        switch (rnd.nextInt(4)) {
          case 0 -> b.deleteCharAt(at);
          case 1 -> b.insert(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
          case 2 -> b.setCharAt(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
          default -> b.insert(at, b.substring(at, Math.min(b.length(), at + rnd.nextInt(40))));
        }
      }
      // dry runs: a mutation that still parses and passes every rule writes nothing
      var res = post("/edits/villages?dryRun=true", b.toString(), auth);
      if (res.statusCode() >= 500) {
        fiveHundreds.add(res.statusCode() + " " + res.body());
      } else if (res.statusCode() >= 400) {
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      }
    }
    assertThat(fiveHundreds).isEmpty();
  }

  @Test
  void theApiDescribesTheOperationWithItsDryRun() throws Exception {
    JsonNode post =
        JSON.readTree(server.getText("/api").body()).at("/paths/~1edits~1villages/post");
    assertThat(post.isMissingNode()).isFalse();
    assertThat(post.get("parameters")).extracting(p -> p.get("name").asText()).contains("dryRun");
    assertThat(post.at("/responses").has("422")).isTrue();
    assertThat(post.at("/responses").has("412")).isTrue();
  }

  @Test
  void aDryRunAnswersAsIfWrittenAndWritesNothing() throws Exception {
    Redraw r = other;
    String before = etag(r.va());
    var res =
        post(
            "/edits/villages?dryRun=true",
            body(r, Map.of()),
            planner(server, r.va().substring(0, 9)));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    assertThat(res.headers().firstValue("Dry-Run")).hasValue("true");
    JsonNode answer = JSON.readTree(res.body());
    assertThat(answer.get("redrawn")).extracting(JsonNode::asLong).contains(r.a(), r.b());
    for (JsonNode f : answer.get("features")) {
      if (f.get("id").asText().equals(r.va())) {
        Geometry g = new GeoJsonReader().read(f.get("geometry").toString());
        assertThat(covers(g, r.probe())).as("the answer shows va as it would be").isTrue();
      }
    }
    assertThat(etag(r.va())).as("nothing written").isEqualTo(before);
    assertThat(covers(served("villages", r.vb()), r.probe())).isTrue();
    assertThat(history(server, r.a())).isEmpty();
  }

  @Test
  void aStaleEtagIs412AndWritesNothing() throws Exception {
    Redraw r = other;
    var res =
        post(
            "/edits/villages",
            body(r, Map.of(r.va(), etag(r.va()), r.vb(), "\"0000000000000000\"")),
            planner(server, r.va().substring(0, 9)));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(412);
    assertThat(res.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(JSON.readTree(res.body()).get("detail").asText()).contains("village " + r.vb());
    assertThat(history(server, r.a())).isEmpty();
    assertThat(covers(served("villages", r.vb()), r.probe())).isTrue();
  }

  @Test
  void aPlannerOfAnotherDistrictIsForbidden() throws Exception {
    Redraw r = other;
    var res = post("/edits/villages", body(r, Map.of()), planner(server, "500105"));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(403);
    assertThat(JSON.readTree(res.body()).get("detail").asText())
        .contains("village " + r.va(), "500105", "nothing was written");
    assertThat(history(server, r.a())).isEmpty();
  }

  @Test
  void aBadBodyIs400NamingTheMember() throws Exception {
    Redraw r = other;
    String auth = planner(server, r.va().substring(0, 9));
    String one =
        body(r, Map.of())
            .replaceFirst(
                "\\{\"type\":\"Feature\",\"id\":\"\\d+\"", "{\"type\":\"Feature\",\"id\":\"5001\"");
    var res = post("/edits/villages", one, auth);
    assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
    assertThat(res.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(JSON.readTree(res.body()).get("detail").asText()).contains("features[0].id");

    var three =
        post(
            "/edits/villages",
            "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"id\":\""
                + r.va()
                + "\",\"geometry\":null}]}",
            auth);
    assertThat(three.statusCode()).as(three.body()).isEqualTo(400);
    assertThat(JSON.readTree(three.body()).get("detail").asText())
        .contains("features", "exactly 2");

    var swallowing = new LinkedHashMap<>(r.outlines());
    swallowing.put(r.vb(), r.outlines().get(r.va()));
    var overlap =
        post(
            "/edits/villages",
            body(new Redraw(r.va(), r.vb(), r.a(), r.b(), swallowing, r.probe()), Map.of()),
            auth);
    assertThat(overlap.statusCode()).as(overlap.body()).isEqualTo(422);
    assertThat(JSON.readTree(overlap.body()).get("violations")).isNotEmpty();
    assertThat(history(server, r.a())).isEmpty();
  }
}
