package io.gridmap.server.edit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestPostgis;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.gridmap.server.write.Writer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;

/**
 * A grid retired on the node whose turn it is to write is retired on another node of the same
 * PostGIS store too: the store no longer has the row its change-log entry names, which the other
 * node takes as the retirement (ExternalChanges), not as a failure.
 */
class RetireOnTwoNodesTest {
  private final String schema = TestPostgis.newSchema();

  @AfterEach
  void drop() {
    TestPostgis.drop(schema);
  }

  @Test
  void theOtherNodeForgetsTheRetiredGridAndShowsItsSuccessor() throws Exception {
    String url = TestPostgis.storeUrl(schema);
    try (FeatureStore s = Stores.open(url)) {
      s.write(TestCity.small());
    }
    try (TestServer a = TestServer.startOnStore(url, Map.of());
        TestServer b = TestServer.startOnStore(url, Map.of())) {
      Feature old = GridRetireTest.firstGrid(a);
      long successor = GridRetireTest.freeCode(a.server().content().index().layer("grids"), old);
      Coordinate inside = old.geometry().getInteriorPoint().getCoordinate();
      assertThat(GridRetireTest.locate(b, inside)).isEqualTo(old.id());

      Writer.Written written =
          a.server()
              .writer()
              .submit(GridRetireTest.retireAndReplace(old.id(), successor))
              .get(10, TimeUnit.SECONDS);

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (b.server().writer().newestVisible() < written.seq() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      CityIndex other = b.server().content().index();
      assertThat(other.layer("grids").byId(old.id())).isEmpty();
      assertThat(other.layer("grids").byId(successor)).isPresent();
      for (int z = 12; z <= 14; z++) {
        var gi = other.generalised("grids", z).orElseThrow();
        assertThat(gi.ordinalOf(old.id())).as("z%d", z).isLessThan(0);
        assertThat(gi.ordinalOf(successor)).as("z%d", z).isGreaterThanOrEqualTo(0);
      }
      assertThat(b.getText("/collections/grids/items/" + old.id()).statusCode()).isEqualTo(404);
      assertThat(GridRetireTest.locate(b, inside)).isEqualTo(successor);
      assertThat(GridRetireTest.tile(b, inside, 14).ids("grids"))
          .doesNotContain(old.id())
          .contains(successor);
    }
  }
}
