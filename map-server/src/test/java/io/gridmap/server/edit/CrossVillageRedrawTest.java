package io.gridmap.server.edit;

import static io.gridmap.server.edit.GridEditTest.JSON;
import static io.gridmap.server.edit.GridEditTest.grids;
import static io.gridmap.server.edit.GridEditTest.planner;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;

/**
 * A redraw across the boundary two neighbouring villages share: both villages' outlines move with
 * their grids in the same write, each village stays tiled exactly by its grids, and locate, items
 * and the villages' tiles agree.
 */
class CrossVillageRedrawTest {
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.startWithStore(TestCity.small(), Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  /** Grids a and b of two villages of one street, with a node of their boundary to slide. */
  private static GridEditRedrawTest.Candidate candidate() {
    return GridEditRedrawTest.candidate(
        server, java.util.Set.of(), (va, vb) -> !va.equals(vb) && va.regionMatches(0, vb, 0, 9));
  }

  private static Geometry village(String code) {
    return server
        .server()
        .content()
        .index()
        .layer("villages")
        .byId(Long.parseLong(code))
        .orElseThrow()
        .geometry();
  }

  @Test
  void bothVillagesOutlinesMoveWithTheirGridsAndEachStaysTiledByThem() throws Exception {
    GridEditRedrawTest.Candidate c = candidate();
    int village = grids(server).def().requireField("village_code");
    String va = c.a().string(village);
    String vb = c.b().string(village);
    Coordinate probe = c.move().probe();
    var factory = c.a().geometry().getFactory();
    assertThat(village(vb).covers(factory.createPoint(probe))).isTrue();
    double areaA = village(va).getArea();

    var res =
        server.send(
            "POST",
            "/edits/grids",
            GridEditRedrawTest.body(
                GridEditRedrawTest.outlines(
                    c.a().id(), c.move().first(), c.b().id(), c.move().second())),
            "Content-Type",
            "application/geo+json",
            "Authorization",
            planner(server, va.substring(0, 9)));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);

    assertThat(village(va).covers(factory.createPoint(probe)))
        .as("the point moved to a's village")
        .isTrue();
    assertThat(village(vb).covers(factory.createPoint(probe))).isFalse();
    assertThat(village(va).getArea()).isGreaterThan(areaA);
    for (String v : List.of(va, vb)) {
      List<Geometry> tiles = new ArrayList<>();
      grids(server).features().stream()
          .filter(g -> v.equals(g.string(village)))
          .forEach(g -> tiles.add(g.geometry()));
      Geometry union =
          org.locationtech.jts.coverage.CoverageUnion.union(tiles.toArray(Geometry[]::new));
      assertThat(union.symDifference(village(v)).getArea())
          .as("village " + v + " is tiled exactly by its grids")
          .isLessThan(1e-12);
    }
    JsonNode located =
        JSON.readTree(
            server
                .getText(
                    String.format(Locale.ROOT, "/query/locate?lon=%.7f&lat=%.7f", probe.x, probe.y))
                .body());
    assertThat(located.at("/grid/id").asLong()).isEqualTo(c.a().id());
    assertThat(located.at("/village/code").asText()).isEqualTo(va);
    JsonNode item = JSON.readTree(server.getText("/collections/villages/items/" + va).body());
    Geometry served =
        new org.locationtech.jts.io.geojson.GeoJsonReader().read(item.get("geometry").toString());
    assertThat(served.covers(factory.createPoint(probe))).isTrue();
    var gi = server.server().content().index().generalised("villages", 14).orElseThrow();
    List<Geometry> around = new ArrayList<>();
    gi.queryOrdinals(
        io.gridmap.layers.geo.WebMercator.project(village(va).getEnvelopeInternal()),
        o -> around.add(gi.geometry(o)));
    assertThat(
            CoverageValidator.hasInvalidResult(
                CoverageValidator.validate(around.toArray(Geometry[]::new), 0.5)))
        .as("the villages' z14 polygons around stay a coverage")
        .isFalse();
  }

  @Test
  void aRedrawAcrossVillagesOfTwoStreetsIsRefused() throws Exception {
    LayerIndex gs = grids(server);
    int village = gs.def().requireField("village_code");
    Feature a = gs.features().get(0);
    Feature far =
        gs.features().stream()
            .filter(g -> !g.string(village).regionMatches(0, a.string(village), 0, 9))
            .findFirst()
            .orElseThrow();
    var res =
        server.send(
            "POST",
            "/edits/grids",
            GridEditRedrawTest.body(
                GridEditRedrawTest.outlines(a.id(), a.geometry(), far.id(), far.geometry())),
            "Content-Type",
            "application/geo+json",
            "Authorization",
            server.bearer(io.gridmap.server.security.Role.ADMIN, ""));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(422);
    assertThat(res.body()).contains("one-village", "another street");
  }
}
