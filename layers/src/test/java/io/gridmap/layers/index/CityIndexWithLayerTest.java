package io.gridmap.layers.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.FieldType;
import io.gridmap.layers.model.GeometryKind;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.testing.TestDatasets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;

class CityIndexWithLayerTest {
  private final CityIndex index = CityIndex.build(TestDatasets.tiny());

  private static LayerDef parks(int minZoom, int maxZoom) {
    return new LayerDef(
        "parks",
        "Parks",
        GeometryKind.POLYGON,
        List.of(Field.tiled("name", FieldType.STRING, "")),
        minZoom,
        maxZoom,
        false,
        false,
        false,
        false);
  }

  private static Feature park(long id, String name, double lon, double lat) {
    return new Feature(
        id, TestDatasets.box(lon, lat, lon + 0.01, lat + 0.01), new Object[] {name}, false);
  }

  @Test
  void aNewPolygonLayerIsIndexedWithItsZoomsAndEverythingElseIsShared() {
    Feature a = park(1, "a", 106.50, 29.50);
    Feature b = park(2, "b", 106.52, 29.52);
    Geometry simplified = WebMercator.project(b.geometry());
    // zoom 14 given for one park; the other zooms fall back to it, and a park without one is left
    // out there, as build() does
    CityIndex next =
        index.withLayer(
            new Layer(parks(12, 14), List.of(a, b)), Map.of(14, Map.of(2L, simplified)));

    assertThat(next.layer("parks").size()).isEqualTo(2);
    assertThat(next.layer("parks").query(new Envelope(106.505, 106.506, 29.505, 29.506)))
        .extracting(Feature::id)
        .containsExactly(1L);
    for (int z = 12; z <= 14; z++) {
      GeneralisedIndex gi = next.generalised("parks", z).orElseThrow();
      assertThat(gi.size()).isEqualTo(1);
      assertThat(gi.geometry(0)).isSameAs(simplified);
      assertThat(gi.fallback()).isEqualTo(z != 14);
    }
    assertThat(next.generalised("parks", 11)).isEmpty();
    assertThat(next.lonLatBounds().contains(b.geometry().getEnvelopeInternal())).isTrue();
    assertThat(index.findLayer("parks")).isEmpty();
    // untouched layers, zooms and labels are the same objects
    assertThat(next.layer("grids")).isSameAs(index.layer("grids"));
    assertThat(next.generalised("grids", 14).orElseThrow())
        .isSameAs(index.generalised("grids", 14).orElseThrow());
    assertThat(next.labels(AdminLevel.GRID)).isSameAs(index.labels(AdminLevel.GRID));
  }

  @Test
  void aPolygonLayerWithoutGeneralisedPolygonsDrawsItsProjectedOriginals() {
    Feature a = park(1, "a", 106.50, 29.50);
    CityIndex next = index.withLayer(new Layer(parks(13, 14), List.of(a)), Map.of());
    GeneralisedIndex gi = next.generalised("parks", 13).orElseThrow();
    assertThat(gi.fallback()).isTrue();
    assertThat(gi.geometry(0).equalsExact(WebMercator.project(a.geometry()), 1e-6)).isTrue();
  }

  @Test
  void aReplacedLayerKeepsItsPlaceAndLosesWhatTheNewOneLacks() {
    CityIndex first =
        index.withLayer(
            new Layer(parks(12, 14), List.of(park(1, "a", 106.5, 29.5), park(2, "b", 106.6, 29.6))),
            Map.of());
    List<String> order = first.layers().stream().map(LayerIndex::name).toList();
    CityIndex second =
        first.withLayer(new Layer(parks(13, 14), List.of(park(2, "b2", 106.6, 29.6))), Map.of());

    assertThat(second.layers().stream().map(LayerIndex::name).toList()).isEqualTo(order);
    assertThat(second.layer("parks").byId(1)).isEmpty();
    assertThat(second.layer("parks").byId(2).orElseThrow().value(0)).isEqualTo("b2");
    assertThat(second.generalised("parks", 12)).isEmpty(); // drawn from z13 now
    assertThat(second.generalised("parks", 13).orElseThrow().size()).isEqualTo(1);
    // the first index keeps its view
    assertThat(first.layer("parks").size()).isEqualTo(2);
  }

  @Test
  void aPointLayerHasNoGeneralisedIndexes() {
    LayerDef wells =
        new LayerDef(
            "wells",
            "Wells",
            GeometryKind.POINT,
            List.of(Field.tiled("name", FieldType.STRING, "")),
            10,
            14,
            false,
            false,
            false,
            true);
    CityIndex next =
        index.withLayer(
            new Layer(
                wells,
                List.of(
                    new Feature(7, TestDatasets.point(106.5, 29.5), new Object[] {"w"}, false))),
            Map.of());
    assertThat(next.layer("wells").size()).isEqualTo(1);
    assertThat(next.generalised("wells", 14)).isEmpty();
  }

  @Test
  void anAdminLevelIsNotReplacedWhole() {
    Layer grids = new Layer(index.layer("grids").def(), index.layer("grids").features());
    assertThatThrownBy(() -> index.withLayer(grids, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("admin level");
  }
}
