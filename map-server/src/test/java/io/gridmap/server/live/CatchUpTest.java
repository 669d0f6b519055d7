package io.gridmap.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.edit.LogRange;
import io.gridmap.layers.edit.LoggedChange;
import io.gridmap.layers.edit.Provenance;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestDatasets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Coordinate;

/** What a catch-up reads from a real store's change log, and where it gives up for a reload. */
class CatchUpTest {
  @TempDir Path dir;
  private FeatureStore store;
  private Dataset city;
  private CatchUp.Log log;

  @BeforeEach
  void open() {
    city = TestDatasets.tiny();
    store = Stores.open(dir.resolve("city.gpkg").toString());
    store.write(city);
    log =
        new CatchUp.Log() {
          @Override
          public List<LoggedChange> changesAfter(long after, int limit) {
            return store.changesAfter(after, limit);
          }

          @Override
          public LogRange logRange() {
            return store.logRange();
          }
        };
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** Moves features of a layer a little, in one change; returns its log position. */
  private long nudge(String layer, long... ids) {
    List<Change.Replacement> rs = new ArrayList<>();
    for (long id : ids) {
      Feature f = city.layer(layer).features().stream().filter(x -> x.id() == id).findFirst().get();
      Coordinate c = f.geometry().getCoordinate();
      Feature moved =
          new Feature(
              id,
              f.geometry().getFactory().createPoint(new Coordinate(c.x + 1e-4, c.y)),
              f.values(),
              f.personal());
      rs.add(new Change.Replacement(f, moved));
    }
    return store.apply(
        Change.of(layer, rs), new Provenance("test", "admin", "positions", Instant.now()));
  }

  @Test
  void theFeaturesOfTheAskedLayersChangedAfterThePositionInTheOrderOfTheirFirstChange() {
    long s1 = nudge("forces", 2);
    nudge("events", 1);
    nudge("forces", 3, 2);
    long s4 = nudge("forces", 1);
    CatchUp.Result r = CatchUp.read(log, s1 - 1, Set.of("forces"), CatchUp.Limits.DEFAULT);
    assertThat(r).isInstanceOf(CatchUp.Changed.class);
    CatchUp.Changed c = (CatchUp.Changed) r;
    assertThat(c.ids()).isEqualTo(Map.of("forces", Set.of(2L, 3L, 1L)));
    assertThat(new ArrayList<>(c.ids().get("forces"))).containsExactly(2L, 3L, 1L);
    assertThat(c.upTo()).isEqualTo(s4);
    assertThat(
            ((CatchUp.Changed) CatchUp.read(log, s4, Set.of("forces"), CatchUp.Limits.DEFAULT))
                .ids()
                .get("forces"))
        .as("nothing after the newest")
        .isEmpty();
  }

  @Test
  void readsTheLogPageByPageUpToItsNewestEntry() {
    long first = nudge("forces", 1);
    for (int i = 1; i < 25; i++) {
      nudge("forces", 1 + i % 3);
    }
    CatchUp.Changed c =
        (CatchUp.Changed)
            CatchUp.read(log, first - 1, Set.of("forces"), CatchUp.Limits.DEFAULT, 10);
    assertThat(c.upTo()).isEqualTo(first + 24);
    assertThat(c.ids().get("forces")).containsExactly(1L, 2L, 3L);
    assertThat(CatchUp.read(log, first - 1, Set.of("forces"), new CatchUp.Limits(24, 10), 10))
        .as("the limit counts across pages")
        .isInstanceOf(CatchUp.Reload.class);
  }

  @Test
  void moreChangesOrFeaturesThanTheLimitsMeanReload() {
    long s1 = nudge("forces", 1);
    nudge("events", 1, 2);
    nudge("forces", 2, 3);
    CatchUp.Result changes = CatchUp.read(log, s1 - 1, Set.of("forces"), new CatchUp.Limits(2, 10));
    assertThat(changes).isInstanceOf(CatchUp.Reload.class);
    assertThat(((CatchUp.Reload) changes).reason()).contains("more than 2 changes");

    CatchUp.Result features =
        CatchUp.read(log, s1 - 1, Set.of("forces"), new CatchUp.Limits(10, 2));
    assertThat(((CatchUp.Reload) features).reason()).contains("more than 2 features");
    assertThat(CatchUp.read(log, s1 - 1, Set.of("forces"), new CatchUp.Limits(10, 3)))
        .as("the events layer's features are not counted for a forces subscriber")
        .isInstanceOf(CatchUp.Changed.class);
  }

  @Test
  void aPositionBeforeWhatTheLogHoldsMeansReload() throws Exception {
    long s1 = nudge("forces", 1);
    long s2 = nudge("forces", 2);
    // what retention does (in the store, only once it holds a million changes)
    try (java.sql.Connection db =
            java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("city.gpkg"));
        java.sql.Statement st = db.createStatement()) {
      st.executeUpdate("DELETE FROM change_log WHERE seq <= " + s1);
    }
    assertThat(store.logRange()).isEqualTo(new LogRange(s2, s2));
    CatchUp.Result r = CatchUp.read(log, s1 - 1, Set.of("forces"), CatchUp.Limits.DEFAULT);
    assertThat(((CatchUp.Reload) r).reason())
        .contains("since=" + (s1 - 1) + " is older than the change log keeps");
    assertThat(CatchUp.read(log, s1, Set.of("forces"), CatchUp.Limits.DEFAULT))
        .as("the position just before the oldest kept")
        .isInstanceOf(CatchUp.Changed.class);
  }
}
