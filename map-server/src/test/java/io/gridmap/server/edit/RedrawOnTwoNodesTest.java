package io.gridmap.server.edit;

import static io.gridmap.server.edit.GridEditRedrawTest.body;
import static io.gridmap.server.edit.GridEditRedrawTest.outlines;
import static io.gridmap.server.edit.GridEditTest.JSON;
import static io.gridmap.server.edit.GridEditTest.planner;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.GeneralisedIndex;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestPostgis;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Geometry;

/**
 * A grid redraw on the node whose turn it is to write reaches another node on the same PostGIS
 * store whole: the outlines and, at every zoom the tiles draw, the generalised polygons the writer
 * made (tile_geometries), so that both nodes draw the same boundary everywhere.
 */
class RedrawOnTwoNodesTest {
  private final String schema = TestPostgis.newSchema();

  @AfterEach
  void drop() {
    TestPostgis.drop(schema);
  }

  @Test
  void theOtherNodeDrawsTheRedrawnBoundaryAtEveryZoom() throws Exception {
    String url = TestPostgis.storeUrl(schema);
    try (FeatureStore s = Stores.open(url)) {
      s.write(TestCity.small());
    }
    try (TestServer a = TestServer.startOnStore(url, Map.of());
        TestServer b = TestServer.startOnStore(url, Map.of())) {
      GridEditRedrawTest.Candidate c = GridEditRedrawTest.candidate(a, Set.of());
      long first = c.a().id();
      long second = c.b().id();
      Map<Integer, List<Geometry>> before = drawn(b, first, second);

      var res =
          a.send(
              "POST",
              "/edits/grids",
              body(outlines(first, c.move().first(), second, c.move().second())),
              "Content-Type",
              "application/geo+json",
              "Authorization",
              planner(a, "500103"));
      assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
      Map<Integer, List<Geometry>> writer = drawn(a, first, second);
      assertThat(writer.keySet()).as("zooms grids are drawn at").containsExactly(12, 13, 14);
      assertThat(writer.entrySet())
          .as("the redraw changed the generalised polygons at some zoom")
          .anyMatch(e -> !same(e.getValue(), before.get(e.getKey())));

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      Map<Integer, List<Geometry>> other = drawn(b, first, second);
      while (!sameEverywhere(writer, other) && System.nanoTime() < deadline) {
        Thread.sleep(100);
        other = drawn(b, first, second);
      }
      for (var e : writer.entrySet()) {
        assertThat(same(other.get(e.getKey()), e.getValue()))
            .as("z%d: the other node draws what the writer drew", e.getKey())
            .isTrue();
      }
      assertThat(
              b.server()
                  .content()
                  .index()
                  .layer("grids")
                  .byId(first)
                  .orElseThrow()
                  .geometry()
                  .equalsExact(
                      a.server()
                          .content()
                          .index()
                          .layer("grids")
                          .byId(first)
                          .orElseThrow()
                          .geometry()))
          .isTrue();
      JsonNode answered = JSON.readTree(res.body()).get("features");
      for (JsonNode f : answered) {
        long id = f.get("id").asLong();
        assertThat(GridLockingTest.etag(b, "grids", id))
            .as("grid %d: the other node gives the tag the writer answered", id)
            .isEqualTo(GridLockingTest.etag(a, "grids", id))
            .isEqualTo(f.get("etag").asText());
      }
    }
  }

  /** The two grids' generalised polygons (null where absent), by every zoom the node draws. */
  private static Map<Integer, List<Geometry>> drawn(TestServer node, long... ids) {
    CityIndex index = node.server().content().index();
    Map<Integer, List<Geometry>> out = new java.util.TreeMap<>();
    for (int z = 0; z <= 30; z++) {
      var gi = index.generalised("grids", z);
      if (gi.isEmpty() || gi.get().fallback()) {
        continue;
      }
      GeneralisedIndex g = gi.get();
      List<Geometry> polygons = new ArrayList<>();
      for (long id : ids) {
        int o = g.ordinalOf(id);
        polygons.add(o < 0 ? null : g.geometry(o));
      }
      out.put(z, polygons);
    }
    return out;
  }

  private static boolean sameEverywhere(
      Map<Integer, List<Geometry>> x, Map<Integer, List<Geometry>> y) {
    return x.keySet().equals(y.keySet())
        && x.keySet().stream().allMatch(z -> same(x.get(z), y.get(z)));
  }

  private static boolean same(List<Geometry> x, List<Geometry> y) {
    if (x == null || y == null || x.size() != y.size()) {
      return false;
    }
    for (int i = 0; i < x.size(); i++) {
      Geometry p = x.get(i);
      Geometry q = y.get(i);
      if (p == null || q == null ? p != q : !p.equalsExact(q)) {
        return false;
      }
    }
    return true;
  }
}
