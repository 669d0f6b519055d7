package io.gridmap.layers.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.testing.TestDatasets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;

class CityIndexChangeTest {
  private final Dataset tiny = TestDatasets.tiny();
  private final CityIndex index = CityIndex.build(tiny);

  private static Feature renamed(Feature f, String name) {
    Object[] v = f.values().clone();
    v[1] = name;
    return new Feature(f.id(), f.geometry(), v, f.personal());
  }

  private static List<Long> ids(List<Feature> features) {
    List<Long> out = new ArrayList<>();
    features.forEach(f -> out.add(f.id()));
    return out;
  }

  @Test
  void aMovedPointIsFoundAtItsNewPlaceOnlyAndTheOldIndexIsUnchanged() {
    Feature force = index.layer("forces").byId(1).orElseThrow();
    Feature moved = new Feature(1, TestDatasets.point(106.17, 29.08), force.values(), false);
    CityIndex next =
        index.withChange(Change.of("forces", List.of(new Change.Replacement(force, moved))));

    Envelope oldPlace = new Envelope(106.011, 106.013, 29.019, 29.021);
    Envelope newPlace = new Envelope(106.169, 106.171, 29.079, 29.081);
    assertThat(ids(next.layer("forces").query(oldPlace))).doesNotContain(1L);
    assertThat(ids(next.layer("forces").query(newPlace))).contains(1L);
    assertThat(next.layer("forces").mercatorX(next.layer("forces").ordinalOf(1)))
        .isEqualTo(WebMercator.x(106.17));
    assertThat(next.layer("forces").byId(1).orElseThrow().geometry().equalsExact(moved.geometry()))
        .isTrue();

    // readers of the old index keep their view
    assertThat(ids(index.layer("forces").query(oldPlace))).contains(1L);
    assertThat(ids(index.layer("forces").query(newPlace))).doesNotContain(1L);
    // untouched layers are shared, not copied
    assertThat(next.layer("grids")).isSameAs(index.layer("grids"));
  }

  @Test
  void aRenamedGridHasItsNewNameInTheLayerInEveryZoomsPolygonsAndInItsLabel() {
    long id = 500103001001001L;
    Feature grid = index.layer("grids").byId(id).orElseThrow();
    CityIndex next =
        index.withChange(
            Change.of("grids", List.of(new Change.Replacement(grid, renamed(grid, "新名字")))));

    assertThat(next.layer("grids").byId(id).orElseThrow().value(1)).isEqualTo("新名字");
    for (int z = 12; z <= 14; z++) {
      GeneralisedIndex gi = next.generalised("grids", z).orElseThrow();
      boolean found = false;
      for (int o = 0; o < gi.size(); o++) {
        if (gi.feature(o).id() == id) {
          assertThat(gi.feature(o).value(1)).isEqualTo("新名字");
          found = true;
        }
      }
      assertThat(found).as("zoom %d has the grid", z).isTrue();
    }
    List<String> labels = new ArrayList<>();
    LabelIndex li = next.labels(AdminLevel.GRID);
    for (int o = 0; o < li.size(); o++) {
      if (li.point(o).id() == id) {
        labels.add(li.point(o).name());
      }
    }
    assertThat(labels).containsExactly("新名字");
    assertThat(li.size()).isEqualTo(index.labels(AdminLevel.GRID).size());
  }

  @Test
  void aReshapedGridGetsTheGeneralisedPolygonsOfTheChangeAndANewLabelPoint() {
    long id = 500104001001001L;
    Feature grid = index.layer("grids").byId(id).orElseThrow();
    Feature smaller =
        new Feature(id, TestDatasets.box(106.10, 29.00, 106.12, 29.10), grid.values(), false);
    Geometry at14 = WebMercator.project(smaller.geometry());
    CityIndex next =
        index.withChange(
            new Change(
                "grids",
                List.of(new Change.Replacement(grid, smaller)),
                Map.of(14, Map.of(id, at14))));

    GeneralisedIndex gi = next.generalised("grids", 14).orElseThrow();
    Geometry drawn = null;
    for (int o = 0; o < gi.size(); o++) {
      if (gi.feature(o).id() == id) {
        drawn = gi.geometry(o);
      }
    }
    assertThat(drawn).isNotNull();
    assertThat(drawn.equalsExact(at14)).isTrue();
    LabelIndex li = next.labels(AdminLevel.GRID);
    for (int o = 0; o < li.size(); o++) {
      if (li.point(o).id() == id) {
        assertThat(li.point(o).x()).isLessThan(WebMercator.x(106.12));
      }
    }
  }

  @Test
  void replacingAFeatureTheLayerLacksIsRefused() {
    Feature force = index.layer("forces").byId(1).orElseThrow();
    Feature ghost = new Feature(77, force.geometry(), force.values(), false);
    assertThatThrownBy(
            () ->
                index.withChange(
                    Change.of("forces", List.of(new Change.Replacement(ghost, ghost)))))
        .hasMessageContaining("77");
  }

  @Test
  void anAddedPointIsFoundByIdAndByAreaAndAnIdTakenTwiceIsRefused() {
    Feature event = index.layer("events").features().get(0);
    Feature added =
        new Feature(10_000_000_000_001L, event.geometry(), event.values(), event.personal());
    CityIndex next =
        index.withChange(Change.of("events", List.of(Change.Replacement.added(added))));
    LayerIndex events = next.layer("events");
    assertThat(events.size()).isEqualTo(index.layer("events").size() + 1);
    assertThat(events.byId(added.id())).containsSame(added);
    assertThat(events.byId(event.id())).containsSame(event);
    assertThat(events.maxId()).isEqualTo(added.id());
    assertThat(events.query(event.geometry().getEnvelopeInternal())).contains(added, event);
    int o = events.ordinalOf(added.id());
    assertThat(events.mercatorX(o)).isEqualTo(WebMercator.x(event.geometry().getCoordinate().x));
    assertThat(index.layer("events").byId(added.id())).as("the old index is unchanged").isEmpty();
    assertThatThrownBy(
            () -> next.withChange(Change.of("events", List.of(Change.Replacement.added(added)))))
        .hasMessageContaining("already has feature " + added.id());
  }
}
