package io.gridmap.tiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.tiler.geo.TileCoord;
import io.gridmap.tiler.render.SourceLayer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;

class TileServiceApplyTest {
  private static final GeometryFactory GF = new GeometryFactory();

  private static List<Long> ids(EncodedTile t, String layer) {
    if (t.empty()) {
      return List.of();
    }
    return TestTiles.decode(t.gzipped()).getOrDefault(layer, List.of()).stream()
        .map(TestTiles.Decoded::id)
        .toList();
  }

  @Test
  void aMovedPointLeavesItsOldTileAndAppearsInItsNewOneWhileOtherTilesStayCached() {
    CityIndex index = TestTiles.index();
    TileService tiles = TileService.create(index, TileServiceConfig.defaults());
    LayerIndex forces = index.layer("forces");
    Feature f = forces.feature(0);
    Point p = (Point) f.geometry();
    TileCoord from = TileCoord.containing(WebMercator.x(p.getX()), WebMercator.y(p.getY()), 14);
    // a place two tiles east, and an untouched tile far from both
    double toLon = WebMercator.lon(from.bounds().getMaxX() + 1.5 * TileCoord.size(14));
    Point to = GF.createPoint(new Coordinate(toLon, p.getY()));
    TileCoord dest = TileCoord.containing(WebMercator.x(to.getX()), WebMercator.y(to.getY()), 14);
    TileCoord far = TileCoord.ofXYZ(from.x() - 6, from.y() - 6, 14);

    assertThat(ids(tiles.tile(from), "forces")).contains(f.id());
    assertThat(ids(tiles.tile(dest), "forces")).doesNotContain(f.id());
    EncodedTile farBefore = tiles.tile(far);

    Feature moved = new Feature(f.id(), to, f.values(), f.personal());
    Change change = Change.of("forces", List.of(new Change.Replacement(f, moved)));
    CityIndex next = index.withChange(change);
    tiles.apply(next, "forces", WebMercator.project(change.lonLatArea()));

    assertThat(tiles.index()).isSameAs(next);
    assertThat(tiles.cached(from)).as("the old place's tile is forgotten").isNull();
    assertThat(ids(tiles.tile(from), "forces")).doesNotContain(f.id());
    assertThat(ids(tiles.tile(dest), "forces")).contains(f.id());
    assertThat(tiles.cached(far))
        .as("a tile the change does not touch stays cached")
        .isSameAs(farBefore);
  }

  @Test
  void aRenamedVillagesLabelCarriesItsNewNameOnceItsTileIsDrawnAgain() {
    CityIndex index = TestTiles.index();
    TileService tiles = TileService.create(index, TileServiceConfig.defaults());
    LayerIndex villages = index.layer("villages");
    Feature v = villages.feature(0);
    int name = villages.def().fieldIndex("name");
    var label =
        index
            .labels(io.gridmap.layers.index.AdminLevel.VILLAGE)
            .query(index.mercatorBounds())
            .stream()
            .filter(l -> l.id() == v.id())
            .findFirst()
            .orElseThrow();
    TileCoord c = TileCoord.containing(label.x(), label.y(), 13);
    assertThat(labelName(tiles.tile(c), v.id())).isEqualTo(v.value(name));

    Object[] values = v.values().clone();
    values[name] = "Renamed " + v.value(name);
    Feature renamed = new Feature(v.id(), v.geometry(), values, v.personal());
    Change change = Change.of("villages", List.of(new Change.Replacement(v, renamed)));
    tiles.apply(index.withChange(change), "villages", WebMercator.project(change.lonLatArea()));

    // the label's values were recalled by id for the index before: a new index draws anew
    assertThat(labelName(tiles.tile(c), v.id())).isEqualTo("Renamed " + v.value(name));
  }

  private static Object labelName(EncodedTile t, long id) {
    return TestTiles.decode(t.gzipped()).get("labels").stream()
        .filter(f -> f.id() == id)
        .findFirst()
        .orElseThrow()
        .properties()
        .get("name");
  }

  @Test
  void onlyTheChangedLayerIsReRenderedInATouchedTile() {
    CityIndex index = TestTiles.index();
    TileService tiles = TileService.create(index, TileServiceConfig.defaults());
    Feature f = index.layer("forces").feature(1);
    Point p = (Point) f.geometry();
    TileCoord c = TileCoord.containing(WebMercator.x(p.getX()), WebMercator.y(p.getY()), 14);
    tiles.tile(c);
    long encodedBefore = tiles.renderStats().layersEncoded();

    Feature offDuty = new Feature(f.id(), f.geometry(), f.values().clone(), f.personal());
    Change change = Change.of("forces", List.of(new Change.Replacement(f, offDuty)));
    tiles.apply(index.withChange(change), "forces", WebMercator.project(change.lonLatArea()));
    tiles.tile(c);

    assertThat(tiles.renderStats().layersEncoded() - encodedBefore)
        .as("layers encoded again")
        .isEqualTo(1);
  }

  @Test
  void twoMovesFarApartForgetTheirTilesButNotTheTilesBetweenThem() {
    CityIndex index = TestTiles.index();
    TileService tiles = TileService.create(index, TileServiceConfig.defaults());
    LayerIndex forces = index.layer("forces");
    Feature a = forces.feature(0);
    Feature b = null;
    Point pa = (Point) a.geometry();
    for (int i = 1; i < forces.size() && b == null; i++) {
      Point p = (Point) forces.feature(i).geometry();
      if (Math.abs(WebMercator.x(p.getX()) - WebMercator.x(pa.getX())) > 6 * TileCoord.size(14)) {
        b = forces.feature(i);
      }
    }
    assertThat(b).as("a force at least 6 z14 tiles east or west of the first").isNotNull();
    Point pb = (Point) b.geometry();
    TileCoord ta = TileCoord.containing(WebMercator.x(pa.getX()), WebMercator.y(pa.getY()), 14);
    TileCoord tb = TileCoord.containing(WebMercator.x(pb.getX()), WebMercator.y(pb.getY()), 14);
    TileCoord between = TileCoord.ofXYZ((ta.x() + tb.x()) / 2, (ta.y() + tb.y()) / 2, 14);
    tiles.tile(ta);
    tiles.tile(tb);
    EncodedTile middle = tiles.tile(between);

    Change change =
        Change.of(
            "forces",
            List.of(
                new Change.Replacement(
                    a, new Feature(a.id(), a.geometry(), a.values().clone(), a.personal())),
                new Change.Replacement(
                    b, new Feature(b.id(), b.geometry(), b.values().clone(), b.personal()))));
    tiles.apply(index.withChange(change), "forces", change.mercatorAreas());

    assertThat(tiles.cached(ta)).isNull();
    assertThat(tiles.cached(tb)).isNull();
    assertThat(tiles.cached(between))
        .as("the tile between two changes stays cached")
        .isSameAs(middle);
  }

  @Test
  void aLayerAddedWholeKeepsEveryOtherLayersCachedBytesUnderItsOwnName() {
    CityIndex index = TestTiles.index();
    TileService tiles = TileService.create(index, TileServiceConfig.defaults());
    Point p = (Point) index.layer("forces").feature(1).geometry();
    TileCoord c = TileCoord.containing(WebMercator.x(p.getX()), WebMercator.y(p.getY()), 14);
    EncodedTile before = tiles.tile(c); // every layer of c cached by its place in the order
    // a polygon layer far from c: drawn before the labels and the points, which move one place on
    io.gridmap.layers.model.LayerDef parks =
        new io.gridmap.layers.model.LayerDef(
            "parks",
            "Parks",
            io.gridmap.layers.model.GeometryKind.POLYGON,
            List.of(),
            8,
            14,
            false,
            false,
            false,
            false);
    double lon = p.getX() + 0.2;
    Feature park =
        new Feature(
            1,
            GF.toGeometry(
                new org.locationtech.jts.geom.Envelope(lon, lon + 0.01, p.getY(), p.getY() + 0.01)),
            new Object[0],
            false);
    CityIndex next =
        index.withLayer(
            new io.gridmap.layers.model.Layer(parks, List.of(park)), java.util.Map.of());
    tiles.apply(next, "parks", List.of(WebMercator.project(park.geometry().getEnvelopeInternal())));

    assertThat(tiles.cached(c)).as("a tile the new layer does not touch").isSameAs(before);
    TileService fresh = TileService.create(next, TileServiceConfig.defaults());
    assertThat(tiles.layers().stream().map(SourceLayer::name).toList())
        .contains("parks")
        .isEqualTo(fresh.layers().stream().map(SourceLayer::name).toList());
    for (SourceLayer l : fresh.layers()) {
      assertThat(tiles.layerTile(c, l.name()))
          .as("layer " + l.name() + " of the untouched tile")
          .isEqualTo(fresh.layerTile(c, l.name()));
    }
  }
}
