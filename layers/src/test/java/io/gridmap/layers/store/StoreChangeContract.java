package io.gridmap.layers.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.edit.FeatureVersion;
import io.gridmap.layers.edit.Provenance;
import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.testing.TestDatasets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;

/**
 * What every {@link FeatureStore} does with changes: one transaction each, a history of versions,
 * the change log. A store's test extends this with where its store is.
 */
public abstract class StoreChangeContract {
  protected Dataset tiny;
  protected static final Provenance WHO =
      new Provenance("planner-7", "planner", "grid.update", Instant.parse("2026-11-25T02:00:00Z"));

  /** Where a fresh store for one test is: a file path or a URL. */
  protected abstract String location();

  @BeforeEach
  void write() {
    tiny = TestDatasets.tiny();
    try (FeatureStore s = Stores.open(location())) {
      s.write(tiny);
    }
  }

  protected static Feature feature(Dataset d, String layer, long id) {
    return d.layer(layer).features().stream().filter(f -> f.id() == id).findFirst().orElseThrow();
  }

  protected static Feature withValue(Feature f, int field, Object value) {
    Object[] v = f.values().clone();
    v[field] = value;
    return new Feature(f.id(), f.geometry(), v, f.personal());
  }

  @org.junit.jupiter.api.Test
  void aChangeIsReadBackAndTheHistoryKeepsBothVersionsWithWhoMadeTheNewOne() {
    Feature grid = feature(tiny, "grids", 500103001001001L);
    Feature renamed = withValue(grid, 1, "解放碑第一网格");
    try (FeatureStore s = Stores.open(location())) {
      s.apply(Change.of("grids", List.of(new Change.Replacement(grid, renamed))), WHO);
      Feature back = feature(s.read(), "grids", grid.id());
      assertThat(back.value(1)).isEqualTo("解放碑第一网格");
      assertThat(back.geometry().equalsExact(grid.geometry())).isTrue();

      List<FeatureVersion> history = s.history("grids", grid.id());
      assertThat(history).extracting(FeatureVersion::version).containsExactly(1, 2);
      assertThat(history.get(0).feature().value(1)).isEqualTo(grid.value(1));
      assertThat(history.get(0).provenance()).isNull();
      assertThat(history.get(1).feature().value(1)).isEqualTo("解放碑第一网格");
      assertThat(history.get(1).provenance()).isEqualTo(WHO);
      assertThat(history.get(1).feature().values()).containsExactly(renamed.values());
    }
  }

  @org.junit.jupiter.api.Test
  void everyVersionNamesTheChangeThatMadeItAndTheChangeListsWhatItMade() {
    Feature a = feature(tiny, "grids", 500103001001001L);
    Feature b = feature(tiny, "grids", 500103001001002L);
    try (FeatureStore s = Stores.open(location())) {
      long first =
          s.apply(
              Change.of("grids", List.of(new Change.Replacement(a, withValue(a, 1, "一")))), WHO);
      long second =
          s.apply(
              Change.of(
                  "grids",
                  List.of(
                      new Change.Replacement(withValue(a, 1, "一"), withValue(a, 1, "二")),
                      new Change.Replacement(b, withValue(b, 1, "三")))),
              WHO);
      assertThat(second).isGreaterThan(first);
      assertThat(s.history("grids", a.id()))
          .extracting(FeatureVersion::seq)
          .containsExactly(0L, first, second);
      assertThat(s.editedBy(first))
          .containsExactly(new io.gridmap.layers.edit.EditedFeature("grids", a.id(), 2));
      assertThat(s.editedBy(second))
          .containsExactly(
              new io.gridmap.layers.edit.EditedFeature("grids", a.id(), 3),
              new io.gridmap.layers.edit.EditedFeature("grids", b.id(), 2));
      assertThat(s.editedBy(second + 1000)).isEmpty();
    }
  }

  @org.junit.jupiter.api.Test
  void twoChangesOfOneFeatureInOneTransactionMakeTwoVersions() {
    Feature a = feature(tiny, "grids", 500103001001001L);
    Feature a1 = withValue(a, 1, "一");
    Feature a2 = withValue(a, 1, "二");
    try (FeatureStore s = Stores.open(location())) {
      long[] seqs =
          s.applyAll(
              List.of(
                  Change.of("grids", List.of(new Change.Replacement(a, a1))),
                  Change.of("grids", List.of(new Change.Replacement(a1, a2)))),
              List.of(WHO, WHO));
      assertThat(s.history("grids", a.id()))
          .extracting(FeatureVersion::version, FeatureVersion::seq)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(1, 0L),
              org.assertj.core.groups.Tuple.tuple(2, seqs[0]),
              org.assertj.core.groups.Tuple.tuple(3, seqs[1]));
      assertThat(feature(s.read(), "grids", a.id()).value(1)).isEqualTo("二");
    }
  }

  @org.junit.jupiter.api.Test
  void aLayerAsOfAnInstantIsWhatEachFeatureChangedSinceWasThen() {
    Feature a = feature(tiny, "grids", 500103001001001L);
    Feature b = feature(tiny, "grids", 500103001001002L);
    Instant t1 = Instant.parse("2026-11-25T02:00:00Z");
    Instant t2 = Instant.parse("2026-11-26T02:00:00Z");
    try (FeatureStore s = Stores.open(location())) {
      Feature a1 = withValue(a, 1, "一");
      s.apply(
          Change.of("grids", List.of(new Change.Replacement(a, a1))),
          new Provenance("p", "planner", "grid.update", t1));
      s.apply(
          Change.of(
              "grids",
              List.of(
                  new Change.Replacement(a1, withValue(a, 1, "二")),
                  new Change.Replacement(b, withValue(b, 1, "三")))),
          new Provenance("p", "planner", "grid.update", t2));

      var before = s.asOf("grids", t1.minusSeconds(1));
      assertThat(before)
          .extracting(io.gridmap.layers.edit.PastState::fid)
          .containsExactly(a.id(), b.id());
      assertThat(before.get(0).version().feature().value(1)).isEqualTo(a.value(1));
      assertThat(before.get(1).version().feature().value(1)).isEqualTo(b.value(1));
      var between = s.asOf("grids", t1.plusSeconds(60));
      assertThat(between)
          .extracting(io.gridmap.layers.edit.PastState::fid)
          .containsExactly(a.id(), b.id());
      assertThat(between.get(0).version().feature().value(1)).isEqualTo("一");
      assertThat(between.get(0).existed()).isTrue();
      assertThat(s.asOf("grids", t2)).as("nothing changed after the last change").isEmpty();
    }
  }

  @org.junit.jupiter.api.Test
  void everyLaterChangeAddsOneVersion() {
    Feature force = feature(tiny, "forces", 1);
    try (FeatureStore s = Stores.open(location())) {
      Feature moved = new Feature(1, TestDatasets.point(106.02, 29.03), force.values(), false);
      s.apply(Change.of("forces", List.of(new Change.Replacement(force, moved))), WHO);
      Feature again =
          new Feature(
              1,
              TestDatasets.point(106.021, 29.031),
              withValue(force, 4, TestDatasets.T0 + 60_000).values(),
              false);
      s.apply(Change.of("forces", List.of(new Change.Replacement(moved, again))), WHO);

      Point back = (Point) feature(s.read(), "forces", 1).geometry();
      assertThat(back.getX()).isEqualTo(106.021);
      assertThat(back.getY()).isEqualTo(29.031);
      List<FeatureVersion> history = s.history("forces", 1);
      assertThat(history).extracting(FeatureVersion::version).containsExactly(1, 2, 3);
      assertThat(history.get(2).feature().value(4)).isEqualTo(TestDatasets.T0 + 60_000);
      assertThat(s.history("forces", 2)).isEmpty();
    }
  }

  @org.junit.jupiter.api.Test
  void aChangeThatFailsHalfwayWritesNothing() {
    Feature grid = feature(tiny, "grids", 500103001001001L);
    Feature ghost = new Feature(999L, grid.geometry(), grid.values(), false);
    try (FeatureStore s = Stores.open(location())) {
      Change change =
          Change.of(
              "grids",
              List.of(
                  new Change.Replacement(grid, withValue(grid, 1, "改名")),
                  new Change.Replacement(ghost, withValue(ghost, 1, "不存在"))));
      assertThatThrownBy(() -> s.apply(change, WHO))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("grids")
          .hasMessageContaining("999")
          .hasMessageContaining("nothing was written");
      assertThat(feature(s.read(), "grids", grid.id()).value(1)).isEqualTo(grid.value(1));
      assertThat(s.history("grids", grid.id())).isEmpty();
      // the same layer written again after the failure, twice (statements kept between them)
      for (String name : List.of("改名", "再改")) {
        Feature before = feature(s.read(), "grids", grid.id());
        s.apply(
            Change.of("grids", List.of(new Change.Replacement(before, withValue(before, 1, name)))),
            WHO);
        assertThat(feature(s.read(), "grids", grid.id()).value(1)).isEqualTo(name);
      }
      assertThat(s.history("grids", grid.id())).hasSize(3);
    }
  }

  @org.junit.jupiter.api.Test
  void aValueOfTheWrongTypeIsRefusedAndNothingIsWritten() {
    Feature grid = feature(tiny, "grids", 500103001001001L);
    try (FeatureStore s = Stores.open(location())) {
      Change change =
          Change.of("grids", List.of(new Change.Replacement(grid, withValue(grid, 5, "many"))));
      assertThatThrownBy(() -> s.apply(change, WHO)).hasMessageContaining("population");
      assertThat(feature(s.read(), "grids", grid.id()).value(5)).isEqualTo(grid.value(5));
    }
  }

  @org.junit.jupiter.api.Test
  void generalisedPolygonsAreReplacedAddedAndDropped() {
    long id = 500103001001001L;
    Geometry square = WebMercator.project(TestDatasets.box(106.0, 29.0, 106.02, 29.04));
    Feature grid = feature(tiny, "grids", id);
    try (FeatureStore s = Stores.open(location())) {
      s.apply(
          new Change(
              "grids",
              List.of(new Change.Replacement(grid, grid)),
              Map.of(
                  14,
                  Map.of(id, square),
                  8,
                  Map.of(id, square),
                  12,
                  Map.of(id, square.getFactory().createPolygon()))),
          WHO);
      Dataset back = s.read();
      assertThat(back.generalised().get("grids", 14).get(id).equalsExact(square)).isTrue();
      assertThat(back.generalised().get("grids", 8)).containsKey(id);
      assertThat(back.generalised().get("grids", 12)).doesNotContainKey(id);
      // the other grids at those zooms are untouched
      assertThat(back.generalised().get("grids", 12))
          .hasSize(tiny.generalised().get("grids", 12).size() - 1);
    }
  }

  @org.junit.jupiter.api.Test
  void aPolygonInAMultiPolygonLayerIsStoredAsAMultiPolygon() {
    Feature district = feature(tiny, "districts", 500103);
    Feature reshaped =
        new Feature(
            district.id(), TestDatasets.box(106.0, 29.0, 106.1, 29.1), district.values(), false);
    try (FeatureStore s = Stores.open(location())) {
      s.apply(Change.of("districts", List.of(new Change.Replacement(district, reshaped))), WHO);
      Geometry back = feature(s.read(), "districts", 500103).geometry();
      assertThat(back.getGeometryType()).isEqualTo("MultiPolygon");
      assertThat(back.equalsTopo(reshaped.geometry())).isTrue();
    }
  }

  @org.junit.jupiter.api.Test
  void sqlInAnEditedValueIsStoredAsTextAndEveryTableStays() {
    Feature grid = feature(tiny, "grids", 500103001001001L);
    String hostile =
        "x'); DROP TABLE grids; UPDATE feature_history SET actor = 'me' WHERE ('1' = '1";
    try (FeatureStore s = Stores.open(location())) {
      s.apply(
          Change.of("grids", List.of(new Change.Replacement(grid, withValue(grid, 1, hostile)))),
          WHO);
      Dataset back = s.read();
      assertThat(feature(back, "grids", grid.id()).value(1)).isEqualTo(hostile);
      assertThat(back.layer("grids").size()).isEqualTo(tiny.layer("grids").size());
      assertThat(s.history("grids", grid.id()).get(1).provenance().actor()).isEqualTo("planner-7");
    }
  }

  @org.junit.jupiter.api.Test
  void anAddedFeatureIsStoredWithAHistoryThatStartsWithItAndAnIdTakenTwiceIsRefused() {
    Feature reported =
        new Feature(
            10_000_000_000_001L,
            TestDatasets.point(106.015, 29.013),
            TestDatasets.event(
                "manhole_cover",
                "safety_law",
                "urgent",
                "reported",
                1_800_000_000_000L,
                null,
                "500103001001001"),
            false);
    try (FeatureStore s = Stores.open(location())) {
      long seq = s.apply(Change.of("events", List.of(Change.Replacement.added(reported))), WHO);
      assertThat(seq).isEqualTo(1);
      Feature back = feature(s.read(), "events", reported.id());
      assertThat(back.values()).containsExactly(reported.values());
      assertThat(s.history("events", reported.id()))
          .singleElement()
          .satisfies(
              v -> {
                assertThat(v.version()).isEqualTo(1);
                assertThat(v.provenance()).isEqualTo(WHO);
              });
      assertThatThrownBy(
              () -> s.apply(Change.of("events", List.of(Change.Replacement.added(reported))), WHO))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("cannot add feature " + reported.id());
      assertThat(s.counts().get("events")).isEqualTo(tiny.layer("events").features().size() + 1);
      assertThat(s.logRange().last()).as("a refused change takes no position").isEqualTo(1);
    }
  }

  @org.junit.jupiter.api.Test
  void everyChangeTakesTheNextPositionOfAChangeLogThatOutlivesTheProcess() {
    Feature force = feature(tiny, "forces", 1);
    Feature grid = feature(tiny, "grids", 500103001001001L);
    try (FeatureStore s = Stores.open(location())) {
      assertThat(s.logRange()).isEqualTo(new io.gridmap.layers.edit.LogRange(1, 0));
      Feature moved = new Feature(1, TestDatasets.point(106.02, 29.03), force.values(), false);
      assertThat(s.apply(Change.of("forces", List.of(new Change.Replacement(force, moved))), WHO))
          .isEqualTo(1);
      assertThat(
              s.apply(
                  Change.of(
                      "grids", List.of(new Change.Replacement(grid, withValue(grid, 1, "新名")))),
                  WHO))
          .isEqualTo(2);
    }
    try (FeatureStore s = Stores.open(location())) {
      assertThat(s.logRange()).isEqualTo(new io.gridmap.layers.edit.LogRange(1, 2));
      List<io.gridmap.layers.edit.LoggedChange> all = s.changesAfter(0, 10);
      assertThat(all).extracting(io.gridmap.layers.edit.LoggedChange::seq).containsExactly(1L, 2L);
      assertThat(all.get(0).layer()).isEqualTo("forces");
      assertThat(all.get(0).ids()).containsExactly(1L);
      assertThat(all.get(1).ids()).containsExactly(500103001001001L);
      assertThat(all.get(1).action()).isEqualTo("grid.update");
      assertThat(s.changesAfter(1, 10)).extracting(c -> c.seq()).containsExactly(2L);
      assertThat(s.changesAfter(0, 1)).hasSize(1);
      Feature again = feature(s.read(), "forces", 1);
      assertThat(s.apply(Change.of("forces", List.of(new Change.Replacement(again, force))), WHO))
          .as("positions are never reused after a restart")
          .isEqualTo(3);
    }
  }

  /** A grid with another code in the same village: what a split or merge adds. */
  protected static Feature renumbered(Feature grid, long id) {
    Object[] v = grid.values().clone();
    v[0] = Long.toString(id);
    return new Feature(id, grid.geometry(), v, grid.personal());
  }

  @org.junit.jupiter.api.Test
  void aChangeThatRetiresAGridAndAddsAnotherIsReadBackWithoutTheRetiredOne() {
    Feature old = feature(tiny, "grids", 500103001001001L);
    Feature successor = renumbered(old, 500103001001003L);
    Geometry square = WebMercator.project(old.geometry());
    try (FeatureStore s = Stores.open(location())) {
      long seq =
          s.apply(
              new Change(
                  "grids",
                  List.of(Change.Replacement.retired(old), Change.Replacement.added(successor)),
                  Map.of(14, Map.of(successor.id(), square))),
              WHO);
      Dataset back = s.read();
      assertThat(back.layer("grids").features())
          .extracting(Feature::id)
          .doesNotContain(old.id())
          .contains(successor.id());
      assertThat(back.layer("grids").size()).isEqualTo(tiny.layer("grids").size());
      for (int z : back.generalised().zooms("grids")) {
        assertThat(back.generalised().get("grids", z)).as("z%d", z).doesNotContainKey(old.id());
      }
      assertThat(back.generalised().get("grids", 14)).containsKey(successor.id());

      List<FeatureVersion> history = s.history("grids", old.id());
      assertThat(history).extracting(FeatureVersion::version).containsExactly(1, 2);
      assertThat(history).extracting(FeatureVersion::retired).containsExactly(false, true);
      assertThat(history.get(0).provenance()).isNull();
      FeatureVersion retirement = history.get(1);
      assertThat(retirement.provenance()).isEqualTo(WHO);
      assertThat(retirement.seq()).isEqualTo(seq);
      assertThat(retirement.feature().values()).containsExactly(old.values());
      assertThat(retirement.feature().geometry().equalsTopo(old.geometry())).isTrue();
      assertThat(s.history("grids", successor.id()))
          .singleElement()
          .satisfies(v -> assertThat(v.retired()).isFalse());

      assertThat(s.changesAfter(0, 10))
          .singleElement()
          .satisfies(c -> assertThat(c.ids()).containsExactly(old.id(), successor.id()));
      assertThat(s.editedBy(seq))
          .containsExactly(
              new io.gridmap.layers.edit.EditedFeature("grids", old.id(), 2),
              new io.gridmap.layers.edit.EditedFeature("grids", successor.id(), 1));
    }
  }

  @org.junit.jupiter.api.Test
  void theReasonGivenWithAChangeIsKeptWithTheVersionItMade() {
    Feature grid = feature(tiny, "grids", 500103001001001L);
    Object[] v = grid.values().clone();
    v[1] = "第一网格（新）";
    Provenance why =
        new Provenance(
            "planner-7",
            "planner",
            "grid.update",
            Instant.parse("2026-12-05T02:00:00Z"),
            "区划调整：按街道2026年第3号文件");
    try (FeatureStore s = Stores.open(location())) {
      s.apply(
          Change.of(
              "grids",
              List.of(
                  new Change.Replacement(
                      grid, new Feature(grid.id(), grid.geometry(), v, grid.personal())))),
          why);
      s.apply(
          Change.of(
              "grids",
              List.of(
                  new Change.Replacement(
                      new Feature(grid.id(), grid.geometry(), v, grid.personal()), grid))),
          WHO);
      List<FeatureVersion> history = s.history("grids", grid.id());
      assertThat(history)
          .extracting(h -> h.provenance() == null ? null : h.provenance().reason())
          .containsExactly(null, "区划调整：按街道2026年第3号文件", null);
    }
  }

  @org.junit.jupiter.api.Test
  void theLargestIdTheHistoryHoldsInARangeCountsRetiredFeatures() {
    Feature old = feature(tiny, "grids", 500103001001001L);
    Feature successor = renumbered(old, 500103001001007L);
    long from = 500103001001000L;
    try (FeatureStore s = Stores.open(location())) {
      assertThat(s.maxHistoricId("grids", from, from + 999)).isEqualTo(-1);
      s.apply(
          Change.of(
              "grids",
              List.of(Change.Replacement.retired(old), Change.Replacement.added(successor))),
          WHO);
      assertThat(s.maxHistoricId("grids", from, from + 999)).isEqualTo(successor.id());
      assertThat(s.maxHistoricId("grids", from, from + 6)).isEqualTo(old.id());
      assertThat(s.maxHistoricId("grids", from + 1000, from + 1999)).isEqualTo(-1);
      assertThat(s.maxHistoricId("villages", from, from + 999)).isEqualTo(-1);
    }
  }

  @org.junit.jupiter.api.Test
  void aRetirementOfAFeatureTheStoreLacksWritesNothing() {
    Feature grid = feature(tiny, "grids", 500103001001001L);
    Feature ghost = renumbered(grid, 500103001001999L);
    try (FeatureStore s = Stores.open(location())) {
      Change change =
          Change.of(
              "grids",
              List.of(
                  new Change.Replacement(grid, withValue(grid, 1, "改名")),
                  Change.Replacement.retired(ghost)));
      assertThatThrownBy(() -> s.apply(change, WHO))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("grids")
          .hasMessageContaining("500103001001999")
          .hasMessageContaining("nothing was written");
      assertThat(feature(s.read(), "grids", grid.id()).value(1)).isEqualTo(grid.value(1));
      assertThat(s.history("grids", grid.id())).isEmpty();
      assertThat(s.history("grids", ghost.id())).isEmpty();
      assertThat(s.logRange().last()).isZero();
    }
  }

  @org.junit.jupiter.api.Test
  void aRetiredIdAddedAgainByItsCallerGoesOnWithItsHistory() {
    Feature grid = feature(tiny, "grids", 500103001001001L);
    try (FeatureStore s = Stores.open(location())) {
      s.apply(Change.of("grids", List.of(Change.Replacement.retired(grid))), WHO);
      long again = s.apply(Change.of("grids", List.of(Change.Replacement.added(grid))), WHO);
      assertThat(feature(s.read(), "grids", grid.id()).values()).containsExactly(grid.values());
      List<FeatureVersion> history = s.history("grids", grid.id());
      assertThat(history).extracting(FeatureVersion::version).containsExactly(1, 2, 3);
      assertThat(history).extracting(FeatureVersion::retired).containsExactly(false, true, false);
      assertThat(history.get(2).seq()).isEqualTo(again);
    }
  }
}
