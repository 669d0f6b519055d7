package io.gridmap.layers.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.model.Layer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

class CityIndexTest {
  static Dataset city;
  static CityIndex index;

  @BeforeAll
  static void build() {
    city = SyntheticCity.generate(SyntheticCity.small());
    index = CityIndex.build(city);
  }

  @Test
  void queryFindsExactlyTheFeaturesWhoseEnvelopesIntersect() {
    SplittableRandom rnd = new SplittableRandom(1);
    for (String name : List.of("grids", "events", "districts")) {
      LayerIndex li = index.layer(name);
      for (int i = 0; i < 50; i++) {
        double x = rnd.nextDouble(106.35, 106.75);
        double y = rnd.nextDouble(29.40, 29.70);
        Envelope q =
            new Envelope(x, x + rnd.nextDouble(0.001, 0.1), y, y + rnd.nextDouble(0.001, 0.1));
        Set<Long> expected =
            city.layer(name).features().stream()
                .filter(f -> f.geometry().getEnvelopeInternal().intersects(q))
                .map(Feature::id)
                .collect(Collectors.toSet());
        Set<Long> found = li.query(q).stream().map(Feature::id).collect(Collectors.toSet());
        assertThat(found).as("%s in %s", name, q).isEqualTo(expected);
      }
    }
  }

  @Test
  void everyFeatureIsFoundByIdAndUnknownIdsAreNot() {
    for (Layer l : city.layers().values()) {
      LayerIndex li = index.layer(l.name());
      for (Feature f : l.features()) {
        assertThat(li.byId(f.id())).containsSame(f);
      }
      assertThat(li.byId(-7)).isEmpty();
    }
  }

  @Test
  void duplicateIdsAreRejectedNamingTheId() {
    Feature a = city.layer("events").features().get(0);
    Layer twice = new Layer(Catalogue.EVENTS, List.of(a, a));
    assertThatThrownBy(() -> LayerIndex.build(twice)).hasMessageContaining("id " + a.id());
  }

  @Test
  void unknownLayerMessageListsTheLayers() {
    assertThatThrownBy(() -> index.layer("roads"))
        .hasMessageContaining("roads")
        .hasMessageContaining("grids");
  }

  @Test
  void pointsAreProjectedOnceAtBuildTime() {
    LayerIndex events = index.layer("events");
    for (int i = 0; i < events.size(); i += 97) {
      Coordinate c = events.feature(i).geometry().getCoordinate();
      assertThat(events.mercatorX(i)).isEqualTo(WebMercator.x(c.x));
      assertThat(events.mercatorY(i)).isEqualTo(WebMercator.y(c.y));
    }
    assertThat(index.layer("grids").isPointLayer()).isFalse();
  }

  @Test
  void everyCoverageZoomHasAGeneralisedIndexOfThatZoomsGeometries() {
    for (var def : Catalogue.ADMIN_LEVELS) {
      for (int z = def.minZoom(); z <= def.maxZoom(); z++) {
        GeneralisedIndex gi = index.generalised(def.name(), z).orElseThrow();
        Map<Long, Geometry> expected = city.generalised().get(def.name(), z);
        assertThat(gi.fallback()).isFalse();
        assertThat(gi.size()).isEqualTo(expected.size());
        for (int i = 0; i < gi.size(); i++) {
          assertThat(gi.geometry(i)).isSameAs(expected.get(gi.feature(i).id()));
        }
      }
      assertThat(index.generalised(def.name(), def.minZoom() - 1)).isEmpty();
    }
  }

  @Test
  void generalisedQueryIsByProjectedEnvelope() {
    GeneralisedIndex gi = index.generalised("grids", 13).orElseThrow();
    Envelope q =
        new Envelope(
            WebMercator.x(106.5), WebMercator.x(106.52), WebMercator.y(29.5), WebMercator.y(29.52));
    Set<Long> found = new HashSet<>();
    gi.queryOrdinals(q, o -> found.add(gi.feature(o).id()));
    Set<Long> expected = new HashSet<>();
    for (int i = 0; i < gi.size(); i++) {
      if (gi.geometry(i).getEnvelopeInternal().intersects(q)) {
        expected.add(gi.feature(i).id());
      }
    }
    assertThat(found).isNotEmpty().isEqualTo(expected);
  }

  @Test
  void missingZoomsFallBackToTheNearestAndMissingLayersToProjectedOriginals() {
    Generalised only12 = Generalised.empty();
    only12.put("grids", 12, city.generalised().get("grids", 12));
    Dataset partial = new Dataset(city.layers(), city.metadata(), only12);
    CityIndex pi = CityIndex.build(partial);
    GeneralisedIndex z14 = pi.generalised("grids", 14).orElseThrow();
    assertThat(z14.fallback()).isTrue();
    assertThat(z14.geometry(0))
        .isSameAs(city.generalised().get("grids", 12).get(z14.feature(0).id()));
    GeneralisedIndex districts3 = pi.generalised("districts", 3).orElseThrow();
    assertThat(districts3.fallback()).isTrue();
    assertThat(districts3.size()).isEqualTo(city.layer("districts").size());
    assertThat(districts3.geometry(0).getEnvelopeInternal().getMinX())
        .isGreaterThan(1e7); // metres, not degrees
    assertThat(CityIndex.nearestZoom(Set.of(3, 5), 4)).isEqualTo(5);
    assertThat(CityIndex.nearestZoom(Set.of(), 4)).isEqualTo(-1);
  }

  @Test
  void everyAdminUnitHasOneLabelPointInsideIt() {
    GeometryFactory gf = new GeometryFactory();
    for (AdminLevel level : AdminLevel.values()) {
      LabelIndex labels = index.labels(level);
      Layer layer = city.layer(level.layerName());
      assertThat(labels.size()).isEqualTo(layer.size());
      Set<Long> ids = new HashSet<>();
      for (int i = 0; i < labels.size(); i++) {
        LabelPoint p = labels.point(i);
        ids.add(p.id());
        assertThat(p.level()).isEqualTo(level);
        assertThat(p.code()).isEqualTo(Long.toString(p.id()));
        Geometry projected = WebMercator.project(p.feature().geometry());
        assertThat(projected.contains(gf.createPoint(new Coordinate(p.x(), p.y()))))
            .as("%s label of %d inside it", level, p.id())
            .isTrue();
      }
      assertThat(ids).hasSize(layer.size());
    }
  }

  @Test
  void boundsCoverEveryFeatureInBothProjections() {
    Envelope ll = index.lonLatBounds();
    assertThat(ll.covers(new Envelope(106.41, 106.69, 29.46, 29.64))).isTrue();
    Envelope m = index.mercatorBounds();
    assertThat(m.getMinX()).isEqualTo(WebMercator.x(ll.getMinX()));
    assertThat(m.getMaxY()).isEqualTo(WebMercator.y(ll.getMaxY()));
  }

  @Test
  void anEmptyDatasetBuildsAnEmptyIndex() {
    Dataset empty =
        Dataset.of(
            List.of(new Layer(Catalogue.GRIDS, List.of())),
            new DatasetMetadata("empty", 0, 1, null, null, null, null, null),
            Generalised.empty());
    CityIndex ei = CityIndex.build(empty);
    assertThat(ei.layer("grids").size()).isZero();
    assertThat(ei.mercatorBounds().isNull()).isTrue();
    assertThat(ei.labels(AdminLevel.DISTRICT).size()).isZero();
  }
}
