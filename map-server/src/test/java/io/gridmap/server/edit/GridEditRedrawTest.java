package io.gridmap.server.edit;

import static io.gridmap.server.edit.GridEditTest.JSON;
import static io.gridmap.server.edit.GridEditTest.audit;
import static io.gridmap.server.edit.GridEditTest.grids;
import static io.gridmap.server.edit.GridEditTest.history;
import static io.gridmap.server.edit.GridEditTest.planner;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.layers.edit.EditRefused;
import io.gridmap.layers.edit.FeatureVersion;
import io.gridmap.layers.edit.GridRedraw;
import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.testing.SharedBoundary;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.MvtFeatures;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.gridmap.tiler.geo.TileCoord;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;

/**
 * Planners redraw the boundary two grids of one village share (POST /edits/grids), against a real
 * server over a GeoPackage store: locate, the z14 tiles and the history follow the new boundary,
 * tiles elsewhere stay cached; every rule broken is a 4xx naming it, with nothing written.
 */
class GridEditRedrawTest {
  private static TestServer server;

  /** A redraw that works, in one village, and another one for the refusals, in another village. */
  private static Candidate accepted;

  private static Candidate refused;

  /**
   * Grids a and b of one village, the node where they meet c slid along b|c: a takes a triangle
   * from b.
   */
  record Candidate(Feature a, Feature b, SharedBoundary.Move move) {
    String village() {
      return Long.toString(a.id() / 1000);
    }
  }

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.startWithStore(TestCity.small(), Map.of());
    accepted = candidate(server, Set.of());
    refused = candidate(server, Set.of(accepted.village()));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  /** The first slide of a node in district 500103, outside some villages, that the rules accept. */
  static Candidate candidate(TestServer server, Set<String> notIn) {
    return candidate(server, notIn, String::equals);
  }

  /**
   * The first slide the rules accept between a grid of district 500103 (outside some villages) and
   * a neighbour whose village {@code villages} accepts beside the first grid's.
   */
  static Candidate candidate(
      TestServer server,
      Set<String> notIn,
      java.util.function.BiPredicate<String, String> villages) {
    LayerIndex grids = grids(server);
    int village = grids.def().requireField("village_code");
    List<Feature> ordered = new ArrayList<>(grids.features());
    ordered.sort((x, y) -> Long.compare(x.id(), y.id()));
    for (Feature a : ordered) {
      String v = a.string(village);
      if (!v.startsWith("500103") || notIn.contains(v)) {
        continue;
      }
      for (Feature b : grids.query(a.geometry().getEnvelopeInternal())) {
        if (b.id() <= a.id()
            || !villages.test(v, b.string(village))
            || !a.geometry().intersects(b.geometry())) {
          continue;
        }
        for (Feature c : grids.query(b.geometry().getEnvelopeInternal())) {
          if (c.id() == a.id()
              || c.id() == b.id()
              || !c.geometry().intersects(a.geometry())
              || !c.geometry().intersects(b.geometry())) {
            continue;
          }
          Optional<SharedBoundary.Move> m =
              SharedBoundary.slideNode(a.geometry(), b.geometry(), c.geometry());
          if (m.isEmpty()) {
            continue;
          }
          try {
            GridRedraw.plan(
                server.server().content().index(),
                Map.of(a.id(), m.get().first(), b.id(), m.get().second()),
                GridRedraw.Limits.standard());
            return new Candidate(a, b, m.get());
          } catch (EditRefused e) {
            // try the next one
          }
        }
      }
    }
    throw new AssertionError("no node of district 500103 can be slid");
  }

  static String position(Coordinate c) {
    return "[" + c.x + "," + c.y + "]";
  }

  static String ring(Coordinate[] cs) {
    List<String> out = new ArrayList<>();
    for (Coordinate c : cs) {
      out.add(position(c));
    }
    return "[" + String.join(",", out) + "]";
  }

  static String geometry(Geometry g) {
    Polygon p = (Polygon) g.getGeometryN(0);
    List<String> rings = new ArrayList<>();
    rings.add(ring(p.getExteriorRing().getCoordinates()));
    for (int i = 0; i < p.getNumInteriorRing(); i++) {
      rings.add(ring(p.getInteriorRingN(i).getCoordinates()));
    }
    return "{\"type\":\"Polygon\",\"coordinates\":[" + String.join(",", rings) + "]}";
  }

  /** A redraw body: grid id -> outline, in the order given. */
  static String body(Map<Long, Geometry> outlines) {
    List<String> features = new ArrayList<>();
    outlines.forEach(
        (id, g) ->
            features.add(
                "{\"type\":\"Feature\",\"id\":"
                    + id
                    + ",\"geometry\":"
                    + geometry(g)
                    + ",\"properties\":{}}"));
    return "{\"type\":\"FeatureCollection\",\"features\":[" + String.join(",", features) + "]}";
  }

  static Map<Long, Geometry> outlines(Object... idsAndGeometries) {
    Map<Long, Geometry> out = new LinkedHashMap<>();
    for (int i = 0; i < idsAndGeometries.length; i += 2) {
      out.put((Long) idsAndGeometries[i], (Geometry) idsAndGeometries[i + 1]);
    }
    return out;
  }

  static HttpResponse<String> redraw(String body, String auth) throws Exception {
    return auth == null
        ? server.send("POST", "/edits/grids", body, "Content-Type", "application/geo+json")
        : server.send(
            "POST",
            "/edits/grids",
            body,
            "Content-Type",
            "application/geo+json",
            "Authorization",
            auth);
  }

  static long locate(Coordinate c) throws Exception {
    var res =
        server.getText(String.format(Locale.ROOT, "/query/locate?lon=%.7f&lat=%.7f", c.x, c.y));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return JSON.readTree(res.body()).at("/grid/id").asLong();
  }

  static TileCoord tileAt(Coordinate lonLat, int z) {
    return TileCoord.containing(WebMercator.x(lonLat.x), WebMercator.y(lonLat.y), z);
  }

  static String tilePath(TileCoord t) {
    return "/tiles/cq/" + t.z() + "/" + t.x() + "/" + t.y() + ".mvt";
  }

  static MvtFeatures tile(TileCoord t) throws Exception {
    var res = server.get(tilePath(t), "Accept-Encoding", "gzip");
    assertThat(res.statusCode()).isEqualTo(200);
    return MvtFeatures.of(res.body());
  }

  /**
   * Whether the polygons the server draws at z12, z13 and z14 within about a kilometre of a point
   * form a coverage: JTS CoverageValidator with a half-metre gap width (a fifth of the z14
   * tolerance) finds no overlap, no mismatched edge and no sliver.
   */
  static boolean generalisedCoverageAround(Coordinate lonLat) {
    return generalisedCoverageAround(server, lonLat);
  }

  static boolean generalisedCoverageAround(TestServer server, Coordinate lonLat) {
    var index = server.server().content().index();
    var around =
        WebMercator.project(
            new org.locationtech.jts.geom.Envelope(
                lonLat.x - 0.01, lonLat.x + 0.01, lonLat.y - 0.01, lonLat.y + 0.01));
    for (int z = 12; z <= 14; z++) {
      var gi = index.generalised("grids", z).orElseThrow();
      List<Geometry> polygons = new ArrayList<>();
      gi.queryOrdinals(around, o -> polygons.add(gi.geometry(o)));
      if (polygons.size() < 10
          || org.locationtech.jts.coverage.CoverageValidator.hasInvalidResult(
              org.locationtech.jts.coverage.CoverageValidator.validate(
                  polygons.toArray(Geometry[]::new), 0.5))) {
        return false;
      }
    }
    return true;
  }

  @Test
  void aRedrawMovesTheSharedBoundaryEverywhereAndNothingElse() throws Exception {
    long a = accepted.a().id();
    long b = accepted.b().id();
    SharedBoundary.Move m = accepted.move();
    TileCoord near = tileAt(m.probe(), 14);
    Feature far = GridEditTest.gridOf(server, "500153", 10);
    TileCoord farTile = tileAt(far.geometry().getInteriorPoint().getCoordinate(), 14);

    assertThat(locate(m.probe())).isEqualTo(b);
    assertThat(generalisedCoverageAround(m.probe())).as("before the redraw").isTrue();
    MvtFeatures before = tile(near);
    var farBefore = server.get(tilePath(farTile), "Accept-Encoding", "gzip");
    var cache = server.server().content().tiles().cache();
    assertThat(cache.peekTile(near)).isNotNull();
    assertThat(cache.peekTile(farTile)).isNotNull();
    int audited = audit(server, "grids.redraw").size();

    var res = redraw(body(outlines(a, m.first(), b, m.second())), planner(server, "500103"));

    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    assertThat(generalisedCoverageAround(m.probe()))
        .as("every zoom around the boundary is still a coverage")
        .isTrue();
    JsonNode answer = JSON.readTree(res.body());
    assertThat(answer.get("type").asText()).isEqualTo("FeatureCollection");
    assertThat(answer.get("features")).hasSize(2);
    assertThat(answer.get("redrawn")).extracting(JsonNode::asLong).containsExactlyInAnyOrder(a, b);

    assertThat(locate(m.probe())).as("the point that changed sides").isEqualTo(a);
    assertThat(cache.peekTile(near)).as("the tile under the boundary was forgotten").isNull();
    assertThat(cache.peekTile(farTile)).as("a tile of another district stays cached").isNotNull();
    var farAfter = server.get(tilePath(farTile), "Accept-Encoding", "gzip");
    assertThat(farAfter.headers().firstValue("ETag"))
        .isEqualTo(farBefore.headers().firstValue("ETag"));

    MvtFeatures after = tile(near);
    double moved =
        WebMercator.project(m.first()).getArea()
            - WebMercator.project(accepted.a().geometry()).getArea();
    double unit = io.gridmap.layers.generalise.CoverageGeneraliser.unitMetres(14);
    double movedUnits = moved / (unit * unit);
    assertThat(movedUnits)
        .as("the triangle that changed hands, in z14 tile units²")
        .isGreaterThan(50);
    assertThat(after.area("grids", a) - before.area("grids", a))
        .as("grid a grew in the z14 tile")
        .isCloseTo(movedUnits, org.assertj.core.data.Percentage.withPercentage(35));
    assertThat(before.area("grids", b) - after.area("grids", b))
        .as("grid b shrank in the z14 tile")
        .isCloseTo(movedUnits, org.assertj.core.data.Percentage.withPercentage(35));
    for (int z = 12; z <= 13; z++) {
      assertThat(tile(tileAt(m.probe(), z)).feature("grids", a)).as("zoom " + z).isPresent();
    }

    JsonNode entries = audit(server, "grids.redraw");
    assertThat(entries.size()).isEqualTo(audited + 1);
    JsonNode entry = entries.get(0);
    assertThat(entry.get("actor").asText()).isEqualTo("planner-500103");
    assertThat(entry.get("role").asText()).isEqualTo("planner");
    assertThat(entry.get("target").asText()).contains(Long.toString(a), Long.toString(b));
    assertThat(entry.at("/changes/features/0/geometry/changed").asBoolean()).isTrue();

    List<FeatureVersion> versions = history(server, a);
    assertThat(versions).extracting(FeatureVersion::version).containsExactly(1, 2);
    assertThat(versions.get(1).feature().geometry().norm().equalsExact(m.first().norm()))
        .as("the stored outline is the one sent")
        .isTrue();
    assertThat(versions.get(1).provenance().action()).isEqualTo("grids.redraw");

    var again = redraw(body(outlines(a, m.first(), b, m.second())), planner(server, "500103"));
    assertThat(again.statusCode())
        .as("sending the same outlines again changes nothing")
        .isEqualTo(200);
    assertThat(history(server, a)).hasSize(2);
    assertThat(audit(server, "grids.redraw").size()).isEqualTo(audited + 1);

    try (TestServer restarted = TestServer.startOnStore(server.storeFile(), Map.of())) {
      var res2 =
          restarted.getText(
              String.format(
                  Locale.ROOT, "/query/locate?lon=%.7f&lat=%.7f", m.probe().x, m.probe().y));
      assertThat(JSON.readTree(res2.body()).at("/grid/id").asLong())
          .as("a new server on the same store")
          .isEqualTo(a);
    }
  }

  /**
   * Asserts a refusal: the status, the detail naming the rule and the grid, and nothing written.
   */
  private static void refusedWith(HttpResponse<String> res, int status, String... detailParts)
      throws Exception {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
    assertThat(res.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(JSON.readTree(res.body()).get("detail").asText()).contains(detailParts);
    assertThat(history(server, refused.a().id())).isEmpty();
    assertThat(history(server, refused.b().id())).isEmpty();
    assertThat(
            grids(server)
                .byId(refused.a().id())
                .orElseThrow()
                .geometry()
                .equalsExact(refused.a().geometry()))
        .isTrue();
  }

  private static Geometry bowTie(Geometry g) {
    var e = g.getEnvelopeInternal();
    return g.getFactory()
        .createPolygon(
            new Coordinate[] {
              new Coordinate(e.getMinX(), e.getMinY()),
              new Coordinate(e.getMaxX(), e.getMaxY()),
              new Coordinate(e.getMaxX(), e.getMinY()),
              new Coordinate(e.getMinX(), e.getMaxY()),
              new Coordinate(e.getMinX(), e.getMinY())
            });
  }

  @Test
  void aRefusalListsEveryViolationWithAGeometryToDraw() throws Exception {
    long a = refused.a().id();
    long b = refused.b().id();
    String auth = planner(server, "500103");

    var both =
        redraw(
            body(outlines(a, bowTie(refused.a().geometry()), b, bowTie(refused.b().geometry()))),
            auth);
    refusedWith(both, 422, "rule valid-polygon", "and 1 more violation");
    JsonNode violations = JSON.readTree(both.body()).get("violations");
    assertThat(violations).hasSize(2);
    assertThat(violations).extracting(v -> v.get("feature").asLong()).containsExactly(a, b);
    for (JsonNode v : violations) {
      assertThat(v.get("rule").asText()).isEqualTo("valid-polygon");
      assertThat(v.at("/geometry/type").asText()).as("the self-intersection").isEqualTo("Point");
      assertThat(v.at("/geometry/coordinates")).hasSize(2);
    }

    var overlap =
        redraw(body(outlines(a, refused.move().first(), b, refused.b().geometry())), auth);
    refusedWith(overlap, 422, "rule no-overlap");
    JsonNode v = JSON.readTree(overlap.body()).get("violations").get(0);
    assertThat(v.get("rule").asText()).isEqualTo("no-overlap");
    Geometry where =
        new org.locationtech.jts.io.geojson.GeoJsonReader().read(v.get("geometry").toString());
    assertThat(where.getArea()).as("the area both grids would cover").isPositive();
    assertThat(where.intersects(refused.b().geometry())).isTrue();
  }

  @Test
  void everyBrokenRuleIsA4xxNamingItAndWritesNothing() throws Exception {
    long a = refused.a().id();
    long b = refused.b().id();
    Geometry oldA = refused.a().geometry();
    Geometry oldB = refused.b().geometry();
    SharedBoundary.Move m = refused.move();
    String auth = planner(server, "500103");
    int audited = audit(server, "grids.redraw").size();

    refusedWith(
        redraw(body(outlines(a, m.first(), b, oldB)), auth),
        422,
        "rule no-overlap",
        Long.toString(a),
        Long.toString(b));
    refusedWith(
        redraw(body(outlines(a, oldA, b, m.second())), auth), 422, "rule no-gap", Long.toString(b));
    refusedWith(
        redraw(body(outlines(a, m.first())), auth), 422, "rule same-outline", Long.toString(a));

    var e = oldA.getEnvelopeInternal();
    Geometry bowTie =
        oldA.getFactory()
            .createPolygon(
                new Coordinate[] {
                  new Coordinate(e.getMinX(), e.getMinY()),
                  new Coordinate(e.getMaxX(), e.getMaxY()),
                  new Coordinate(e.getMaxX(), e.getMinY()),
                  new Coordinate(e.getMinX(), e.getMaxY()),
                  new Coordinate(e.getMinX(), e.getMinY())
                });
    refusedWith(
        redraw(body(outlines(a, bowTie)), auth),
        422,
        "rule valid-polygon",
        Long.toString(a),
        "Self-intersection at (");

    Feature otherVillage =
        grids(server).features().stream()
            .filter(
                f ->
                    f.string(2).startsWith("500103")
                        // a village of another street: two neighbouring villages of one street
                        // may be redrawn together (CrossVillageRedrawTest)
                        && !f.string(2).regionMatches(0, refused.village(), 0, 9)
                        && !f.string(2).equals(accepted.village()))
            .findFirst()
            .orElseThrow();
    refusedWith(
        redraw(
            body(outlines(a, m.first(), b, m.second(), otherVillage.id(), otherVillage.geometry())),
            auth),
        422,
        "rule one-village",
        Long.toString(otherVillage.id()),
        "another street");

    String changedCode =
        body(outlines(a, m.first(), b, m.second()))
            .replaceFirst("\"properties\":\\{}", "\"properties\":{\"code\":\"500103999999001\"}");
    refusedWith(redraw(changedCode, auth), 400, "code", "read-only", "codes-fixed");
    String changedVillage =
        body(outlines(a, m.first(), b, m.second()))
            .replaceFirst(
                "\"properties\":\\{}", "\"properties\":{\"village_code\":\"500103999999\"}");
    refusedWith(redraw(changedVillage, auth), 400, "village_code", "read-only", "codes-fixed");
    String renamed =
        body(outlines(a, m.first(), b, m.second()))
            .replaceFirst("\"properties\":\\{}", "\"properties\":{\"name\":\"新名\"}");
    refusedWith(redraw(renamed, auth), 400, "name", "PATCH /collections/grids/items/" + a);

    refusedWith(
        redraw(body(outlines(a, m.first(), 500103999999999L, m.second())), auth),
        422,
        "rule unknown-feature",
        "500103999999999");
    refusedWith(
        redraw(
            "{\"type\":\"FeatureCollection\",\"features\":[{\"id\":" + a + ",\"geometry\":", auth),
        400,
        "not valid JSON");
    refusedWith(redraw("{\"type\":\"Feature\"}", auth), 400, "type", "FeatureCollection");
    refusedWith(
        redraw(
            "{\"type\":\"FeatureCollection\",\"features\":[{\"id\":"
                + a
                + ",\"geometry\":{\"type\":\"Point\",\"coordinates\":[106.5,29.5]}}]}",
            auth),
        400,
        "features[0].geometry.type",
        "Polygon");
    refusedWith(
        redraw(
            "{\"type\":\"FeatureCollection\",\"features\":[{\"id\":"
                + a
                + ",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[106.5,29.5],[106.6,29.5],[106.6,29.6],[106.5,29.7]]]}}]}",
            auth),
        400,
        "features[0].geometry.coordinates[0]",
        "not closed");
    refusedWith(
        server.send(
            "POST",
            "/edits/grids",
            body(outlines(a, m.first(), b, m.second())),
            "Content-Type",
            "text/plain",
            "Authorization",
            auth),
        415,
        "Content-Type");

    refusedWith(redraw(body(outlines(a, m.first(), b, m.second())), null), 401, "credentials");
    refusedWith(
        redraw(body(outlines(a, m.first(), b, m.second())), server.bearer(Role.ANALYST, "500103")),
        403,
        "analyst");
    refusedWith(
        redraw(
            body(outlines(a, m.first(), b, m.second())), server.bearer(Role.COMMANDER, "500103")),
        403,
        "commander");
    refusedWith(
        redraw(body(outlines(a, m.first(), b, m.second())), planner(server, "500105")),
        403,
        Long.toString(a),
        "500105",
        "scope");

    assertThat(audit(server, "grids.redraw").size())
        .as("no refused redraw was audited as a change")
        .isEqualTo(audited);
  }

  @Test
  void aPlannerOf500103RedrawingGridsOf500105IsForbidden() throws Exception {
    Feature x = GridEditTest.gridOf(server, "500105", 0);
    Feature y =
        grids(server).features().stream()
            .filter(f -> f.id() != x.id() && f.string(2).equals(x.string(2)))
            .findFirst()
            .orElseThrow();
    var res =
        redraw(
            body(outlines(x.id(), x.geometry(), y.id(), y.geometry())), planner(server, "500103"));
    assertThat(res.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(res.body()).get("detail").asText())
        .contains(Long.toString(x.id()), "500103", "nothing was written");
    assertThat(history(server, x.id())).isEmpty();
  }

  @Test
  void mutatedBodiesAreNeverA5xx() throws Exception {
    Candidate c = candidate(server, Set.of(accepted.village(), refused.village()));
    String body = body(outlines(c.a().id(), c.a().geometry(), c.b().id(), c.b().geometry()));
    String auth = planner(server, "500103");
    java.util.Random rnd = new java.util.Random(20261124);
    String alphabet = "{}[],:\"0123456789.-eE nulltrueFeaturePolygon";
    List<String> fiveHundreds = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
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
      var res = redraw(b.toString(), auth);
      if (res.statusCode() >= 500) {
        fiveHundreds.add(res.statusCode() + " " + res.body());
      } else if (res.statusCode() >= 400) {
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      }
    }
    assertThat(fiveHundreds).isEmpty();
    assertThat(history(server, c.a().id())).as("no mutation redrew a grid").isEmpty();
  }
}
