package io.gridmap.tiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sebasbaumh.mapbox.vectortile.VectorTile;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Layer;
import io.gridmap.tiler.TestTiles.Decoded;
import io.gridmap.tiler.encode.Gzip;
import io.gridmap.tiler.geo.TileCoord;
import io.gridmap.tiler.render.ClusterIds;
import io.gridmap.tiler.render.PointLayer;
import io.gridmap.tiler.render.PointRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.operation.valid.IsValidOp;

class TileServiceTest {
  static TileService service;
  static CityIndex index;

  @BeforeAll
  static void build() {
    index = TestTiles.index();
    service = TestTiles.service();
  }

  /** Every tile at zoom z whose buffered square meets the data. */
  static List<TileCoord> tilesOverCity(int z) {
    Envelope b = index.mercatorBounds();
    TileCoord nw = TileCoord.containing(b.getMinX(), b.getMaxY(), z);
    TileCoord se = TileCoord.containing(b.getMaxX(), b.getMinY(), z);
    List<TileCoord> out = new ArrayList<>();
    for (int x = Math.max(0, nw.x() - 1); x <= Math.min((1 << z) - 1, se.x() + 1); x++) {
      for (int y = Math.max(0, nw.y() - 1); y <= Math.min((1 << z) - 1, se.y() + 1); y++) {
        out.add(new TileCoord(z, x, y));
      }
    }
    return out;
  }

  @Test
  void everyPolygonOfEveryTileIsValidWithShellsPositiveAndHolesNegative() {
    int polygons = 0;
    for (int z = 0; z <= 14; z++) {
      for (TileCoord c : tilesOverCity(z)) {
        byte[] tile = service.tile(c).gzipped();
        VectorTile.Tile raw = TestTiles.parse(tile);
        Map<String, List<Decoded>> decoded = TestTiles.decode(tile);
        for (VectorTile.Tile.Layer layer : raw.getLayersList()) {
          for (int i = 0; i < layer.getFeaturesCount(); i++) {
            VectorTile.Tile.Feature f = layer.getFeatures(i);
            if (f.getType() != VectorTile.Tile.GeomType.POLYGON) {
              continue;
            }
            polygons++;
            List<Long> areas = TestTiles.ringAreas(f);
            assertThat(areas)
                .as("%s %s %d", c, layer.getName(), f.getId())
                .isNotEmpty()
                .doesNotContain(0L);
            assertThat(areas.get(0))
                .as("first ring of %s %s %d is a shell", c, layer.getName(), f.getId())
                .isPositive();
            Geometry g = decoded.get(layer.getName()).get(i).geometry();
            assertThat(IsValidOp.isValid(g))
                .as("%s %s %d: %s", c, layer.getName(), f.getId(), g)
                .isTrue();
          }
        }
      }
    }
    assertThat(polygons).isGreaterThan(1000);
  }

  @Test
  void eachZoomCarriesTheLayersOfTheZoomTable() {
    Map<Integer, Set<String>> expected =
        Map.of(
            // the fixture's districts (~15 km) are smaller than a z0-z4 pixel, so generalisation
            // dropped them there, as the generator does
            0, Set.of(),
            5, Set.of("districts", "labels"),
            7, Set.of("districts", "streets", "labels"),
            8, Set.of("districts", "streets", "labels", "events"),
            10,
                Set.of(
                    "districts", "streets", "villages", "labels", "key_sites", "forces", "events"),
            12,
                Set.of(
                    "districts",
                    "streets",
                    "villages",
                    "grids",
                    "labels",
                    "key_sites",
                    "forces",
                    "events"));
    expected.forEach(
        (z, layers) -> {
          Set<String> seen = new HashSet<>();
          for (TileCoord c : tilesOverCity(z)) {
            seen.addAll(TestTiles.decode(service.tile(c).gzipped()).keySet());
          }
          assertThat(seen).as("layers at z%d", z).isEqualTo(layers);
        });
  }

  @Test
  void personalFeaturesAndFieldsNeverAppear() {
    Set<Long> personalSites =
        TestTiles.city().layer("key_sites").features().stream()
            .filter(Feature::personal)
            .map(Feature::id)
            .collect(Collectors.toSet());
    assertThat(personalSites).isNotEmpty();
    Set<String> personalValues = new HashSet<>();
    for (Layer l : TestTiles.city().layers().values()) {
      for (int fi = 0; fi < l.def().fields().size(); fi++) {
        if (l.def().fields().get(fi).personal()) {
          for (Feature f : l.features()) {
            personalValues.add(String.valueOf(f.value(fi)));
          }
        }
      }
    }
    long siteCount = 0;
    for (int z = 10; z <= 14; z++) {
      for (TileCoord c : tilesOverCity(z)) {
        Map<String, List<Decoded>> tile = TestTiles.decode(service.tile(c).gzipped());
        assertThat(tile.getOrDefault("grids", List.of()))
            .allSatisfy(f -> assertThat(f.properties()).doesNotContainKey("worker_name"));
        assertThat(tile.getOrDefault("forces", List.of()))
            .allSatisfy(f -> assertThat(f.properties()).doesNotContainKey("name"));
        for (List<Decoded> features : tile.values()) {
          for (Decoded f : features) {
            assertThat(f.properties().values())
                .as("values of %s in %s", f.id(), c)
                .doesNotContainAnyElementsOf(personalValues);
          }
        }
        for (Decoded f : tile.getOrDefault("key_sites", List.of())) {
          assertThat(personalSites).doesNotContain(f.id());
          if (z == 14) {
            siteCount++;
          }
        }
      }
    }
    assertThat(siteCount).isPositive();
  }

  /**
   * Per zoom: cluster counts (each cluster counted in the tile that owns its cell) plus the
   * distinct points drawn individually add up to every point the public sees now: every
   * non-personal one, of the events the open ones and those closed within the week. Open urgent
   * events are drawn individually at every zoom.
   */
  @Test
  void clusterCountsSumToTheNumberOfPointsAndUrgentEventsStayIndividual() {
    for (String layer : List.of("events", "key_sites", "forces")) {
      List<Feature> all = TestTiles.city().layer(layer).features();
      long now = TestTiles.CLOCK.millis();
      PointRules rules =
          new PointRules(
              TestTiles.city().layer(layer).def(), false, TileServiceConfig.DEFAULT_CLOSED_WINDOW);
      long visible = all.stream().filter(f -> rules.kind(f, now) != PointRules.HIDDEN).count();
      Set<Long> urgent =
          all.stream()
              .filter(f -> "urgent".equals(valueOf(layer, f, "urgency")))
              .filter(f -> "open".equals(valueOf(layer, f, "status")))
              .map(Feature::id)
              .collect(Collectors.toSet());
      if (layer.equals("events")) {
        assertThat(urgent).hasSizeGreaterThan(20);
        long closed =
            all.stream().filter(f -> "closed".equals(valueOf(layer, f, "status"))).count();
        long recent =
            all.stream()
                .filter(f -> "closed".equals(valueOf(layer, f, "status")))
                .filter(f -> rules.kind(f, now) != PointRules.HIDDEN)
                .count();
        assertThat(recent).as("closed within the week").isPositive().isLessThan(closed / 4);
        assertThat(visible).isEqualTo(all.size() - closed + recent);
      } else {
        assertThat(visible).isEqualTo(all.stream().filter(f -> !f.personal()).count());
      }
      int minZoom = layer.equals("events") ? 8 : 10;
      for (int z = minZoom; z <= 14; z++) {
        long clustered = 0;
        int clusters = 0;
        Set<Long> individual = new HashSet<>();
        for (TileCoord c : tilesOverCity(z)) {
          for (Decoded f :
              TestTiles.decode(service.tile(c).gzipped()).getOrDefault(layer, List.of())) {
            if (ClusterIds.isCluster(f.id())) {
              assertThat(z).isLessThan(PointLayer.INDIVIDUAL_ZOOM);
              assertThat(ClusterIds.zoom(f.id())).isEqualTo(z);
              long count = ((Number) f.properties().get("count")).longValue();
              assertThat(count).isGreaterThanOrEqualTo(2);
              if (ClusterIds.cellX(f.id()) >> ClusterIds.cellShift() == c.x()
                  && ClusterIds.cellY(f.id()) >> ClusterIds.cellShift() == c.y()) {
                clustered += count;
                clusters++;
              }
            } else {
              assertThat(f.properties()).doesNotContainKey("count");
              individual.add(f.id());
            }
          }
        }
        assertThat(clustered + individual.size()).as("%s at z%d", layer, z).isEqualTo(visible);
        assertThat(individual).as("urgent %s at z%d", layer, z).containsAll(urgent);
        if (z <= 11) {
          assertThat(clusters).as("%s clusters at z%d", layer, z).isPositive();
        }
      }
    }
  }

  private static Object valueOf(String layer, Feature f, String field) {
    int i = TestTiles.city().layer(layer).def().fieldIndex(field);
    return i < 0 ? null : f.value(i);
  }

  @Test
  void clustersCarryTheirCellsMostCommonCategory() {
    TileCoord c =
        tilesOverCity(8).stream().filter(t -> !service.tile(t).empty()).findFirst().orElseThrow();
    List<Decoded> events = TestTiles.decode(service.tile(c).gzipped()).get("events");
    Decoded biggest =
        events.stream()
            .filter(f -> f.properties().containsKey("count"))
            .max(
                (a, b) ->
                    Long.compare(
                        ((Number) a.properties().get("count")).longValue(),
                        ((Number) b.properties().get("count")).longValue()))
            .orElseThrow();
    // manhole_cover is drawn for 30% of events, twice as often as any other category
    assertThat(biggest.properties()).containsEntry("category", "manhole_cover");
  }

  @Test
  void labelsAppearByLevelFromTheirZoom() {
    Map<Integer, Set<String>> expected =
        Map.of(
            5, Set.of("district"),
            8, Set.of("district", "street"),
            11, Set.of("district", "street", "village"),
            13, Set.of("district", "street", "village", "grid"));
    expected.forEach(
        (z, levels) -> {
          Set<String> seen = new HashSet<>();
          Map<Long, Object> codes = new HashMap<>();
          for (TileCoord c : tilesOverCity(z)) {
            for (Decoded f :
                TestTiles.decode(service.tile(c).gzipped()).getOrDefault("labels", List.of())) {
              seen.add((String) f.properties().get("level"));
              codes.put(f.id(), f.properties().get("code"));
              assertThat(f.properties()).containsKeys("name", "code");
            }
          }
          assertThat(seen).as("label levels at z%d", z).isEqualTo(levels);
          codes.forEach((id, code) -> assertThat(code).isEqualTo(Long.toString(id)));
        });
  }

  @Test
  void tilesOutsideTheDataAreTheSharedEmptyTileWithoutEncoding() {
    long encodedBefore = service.renderStats().layersEncoded();
    EncodedTile far = service.tile(new TileCoord(10, 3, 3));
    assertThat(far).isSameAs(TileService.EMPTY);
    assertThat(far.empty()).isTrue();
    assertThat(far.uncompressed()).isEmpty();
    assertThat(service.renderStats().layersEncoded()).isEqualTo(encodedBefore);
    // z4 is below every point layer and the labels: a tile next to the city has no districts
    TileCoord next =
        TileCoord.containing(index.mercatorBounds().getMinX(), index.mercatorBounds().getMinY(), 4);
    assertThat(service.tile(new TileCoord(4, next.x() + 1, next.y() + 1)).empty()).isTrue();
  }

  @Test
  void aSecondRequestIsACacheHitWithTheSameBytes() {
    TileService s = TestTiles.service();
    TileCoord c = centre(12);
    EncodedTile first = s.tile(c);
    EncodedTile second = s.tile(c);
    assertThat(second).isSameAs(first);
    assertThat(s.cacheStats().hits()).isEqualTo(1);
    assertThat(s.cacheStats().misses()).isEqualTo(1);
    assertThat(s.cacheStats().bytes()).isPositive();
    assertThat(s.renderStats().tilesRendered()).isEqualTo(1);
  }

  static TileCoord centre(int z) {
    return TileCoord.containing(
        index.mercatorBounds().centre().x, index.mercatorBounds().centre().y, z);
  }

  @Test
  void tilesAreGzippedByTheFastEncoderAsItMakesThem() {
    TileService s = TestTiles.service();
    assertThat(TileServiceConfig.defaults().gzipLevel()).isEqualTo(Gzip.FAST);
    for (int z : new int[] {8, 12, 14}) {
      EncodedTile t = s.tile(centre(z));
      byte[] raw = t.uncompressed();
      assertThat(raw).isNotEmpty();
      assertThat(t.gzipped()).isEqualTo(Gzip.compress(raw, Gzip.FAST));
      assertThat(t.gzipped()).isNotEqualTo(Gzip.compress(raw, 4));
    }
  }

  @Test
  void theEtagDependsOnlyOnContent() {
    TileService other = TestTiles.service();
    List<TileCoord> tiles = tilesOverCity(11);
    Set<String> etags = new HashSet<>();
    for (TileCoord c : tiles) {
      EncodedTile a = service.tile(c);
      assertThat(other.tile(c).etag()).isEqualTo(a.etag());
      if (!a.empty()) {
        etags.add(a.etag());
      }
    }
    assertThat(etags).hasSizeGreaterThan(1);
  }

  @Test
  void liveTilesAreMarkedLive() {
    assertThat(service.tile(centre(6)).live()).isFalse();
    assertThat(service.tile(centre(6)).empty()).isFalse();
    TileCoord withEvents =
        tilesOverCity(12).stream()
            .filter(c -> TestTiles.decode(service.tile(c).gzipped()).containsKey("events"))
            .findFirst()
            .orElseThrow();
    assertThat(service.tile(withEvents).live()).isTrue();
  }

  @Test
  void zoomsBeyondFourteenAreRejectedNamingTheRange() {
    assertThatThrownBy(() -> service.tile(15, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("15")
        .hasMessageContaining("0..14");
    assertThatThrownBy(() -> service.tile(3, 9, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x 9");
  }

  @Test
  void invalidatingOneLayerReEncodesOnlyThatLayer() {
    TileService s = TestTiles.service();
    TileCoord c =
        tilesOverCity(12).stream()
            .filter(t -> TestTiles.decode(s.tile(t).gzipped()).size() >= 5)
            .findFirst()
            .orElseThrow();
    EncodedTile before = s.tile(c);
    long misses = s.cacheStats().layerMisses();
    long encoded = s.renderStats().layersEncoded();
    s.invalidate("events", c.bounds());
    EncodedTile after = s.tile(c);
    assertThat(s.renderStats().layersEncoded() - encoded).isEqualTo(1);
    assertThat(s.cacheStats().layerMisses() - misses).isEqualTo(1);
    assertThat(after).isNotSameAs(before);
    assertThat(after.etag()).isEqualTo(before.etag());
    assertThatThrownBy(() -> s.invalidate("roads", c.bounds())).hasMessageContaining("roads");
  }
}
