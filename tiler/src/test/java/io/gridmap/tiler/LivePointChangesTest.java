package io.gridmap.tiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.index.SyntheticCity;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.tiler.TestTiles.Decoded;
import io.gridmap.tiler.encode.MvtLayerWriter;
import io.gridmap.tiler.geo.TileCoord;
import io.gridmap.tiler.render.ClusterIds;
import io.gridmap.tiler.render.RenderContext;
import io.gridmap.tiler.render.RenderStats;
import io.gridmap.tiler.render.SourceLayer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;

/**
 * A change to a point layer through {@link TileService#apply(CityIndex, Change, List)}: what it
 * re-encodes, what it leaves cached, and the incidents a screen sees (open ones, urgent ones on
 * their own, closed ones for a window measured by an injected clock).
 */
class LivePointChangesTest {
  private static final GeometryFactory GF = new GeometryFactory();
  private static final long DAY = Duration.ofDays(1).toMillis();

  private static List<Decoded> layer(EncodedTile t, String layer) {
    return t.empty() ? List.of() : TestTiles.decode(t.gzipped()).getOrDefault(layer, List.of());
  }

  private static List<Long> ids(EncodedTile t, String layer) {
    return layer(t, layer).stream().map(Decoded::id).toList();
  }

  private static TileCoord at(Feature f, int z) {
    Point p = (Point) f.geometry();
    return TileCoord.containing(WebMercator.x(p.getX()), WebMercator.y(p.getY()), z);
  }

  private static Feature with(Feature f, LayerDef def, Object... fieldValues) {
    Object[] v = f.values().clone();
    for (int i = 0; i < fieldValues.length; i += 2) {
      v[def.requireField((String) fieldValues[i])] = fieldValues[i + 1];
    }
    return new Feature(f.id(), f.geometry(), v, f.personal());
  }

  private static CityIndex apply(TileService tiles, CityIndex index, Change change) {
    CityIndex next = index.withChange(change);
    tiles.apply(next, change, change.mercatorAreas());
    return next;
  }

  @Test
  void aMovedForceLeavesItsOldTileForItsNewOneAndEveryOtherTileStaysCached() {
    CityIndex index = TestTiles.index();
    TileService tiles = TestTiles.service();
    Feature f = index.layer("forces").feature(0);
    TileCoord from = at(f, 14);
    Point to =
        GF.createPoint(
            new Coordinate(
                WebMercator.lon(from.bounds().getMaxX() + 1.5 * TileCoord.size(14)),
                ((Point) f.geometry()).getY()));
    TileCoord dest = TileCoord.containing(WebMercator.x(to.getX()), WebMercator.y(to.getY()), 14);
    TileCoord far = TileCoord.ofXYZ(from.x() - 6, from.y() - 6, 14);
    assertThat(ids(tiles.tile(from), "forces")).contains(f.id());
    assertThat(ids(tiles.tile(dest), "forces")).doesNotContain(f.id());
    EncodedTile farBefore = tiles.tile(far);
    EncodedTile z12Before = tiles.tile(at(f, 12));
    // what a reader that started before the change holds
    SourceLayer forcesBefore =
        tiles.layers().stream().filter(l -> l.name().equals("forces")).findFirst().orElseThrow();

    Feature moved = new Feature(f.id(), to, f.values(), f.personal());
    CityIndex next =
        apply(tiles, index, Change.of("forces", List.of(new Change.Replacement(f, moved))));

    assertThat(tiles.index()).isSameAs(next);
    assertThat(tiles.cached(from)).as("the old place's tile is forgotten").isNull();
    assertThat(ids(tiles.tile(from), "forces")).doesNotContain(f.id());
    assertThat(ids(tiles.tile(dest), "forces")).contains(f.id());
    assertThat(tiles.cached(far)).as("a tile the change does not touch").isSameAs(farBefore);
    assertThat(tiles.cached(at(f, 12))).as("the z12 tile of its cell").isNull();
    assertThat(tiles.tile(at(f, 12)).etag()).isNotEqualTo(z12Before.etag());
    // the reader's version still draws the force where it was
    MvtLayerWriter w = new MvtLayerWriter("forces", 4096);
    forcesBefore.render(new RenderContext(from, 4096, 64, new RenderStats()), w);
    byte[] old = w.finish();
    assertThat(TestTiles.decode(old).get("forces")).extracting(Decoded::id).contains(f.id());
  }

  @Test
  void aMoveReEncodesOnlyTheForcesLayerOfATouchedTile() {
    CityIndex index = TestTiles.index();
    TileService tiles = TestTiles.service();
    Feature f = index.layer("forces").feature(1);
    TileCoord c = at(f, 14);
    tiles.tile(c);
    long before = tiles.renderStats().layersEncoded();
    Point p = (Point) f.geometry();
    Feature nudged =
        new Feature(
            f.id(),
            GF.createPoint(new Coordinate(p.getX() + 1e-5, p.getY())),
            f.values(),
            f.personal());
    apply(tiles, index, Change.of("forces", List.of(new Change.Replacement(f, nudged))));
    tiles.tile(c);
    assertThat(tiles.renderStats().layersEncoded() - before)
        .as("layers encoded again")
        .isEqualTo(1);
  }

  @Test
  void aChangeThatAltersNothingATileShowsForgetsNoTile() {
    CityIndex index = TestTiles.index();
    TileService tiles = TestTiles.service();
    LayerDef def = index.layer("forces").def();
    Feature f = index.layer("forces").feature(2);
    EncodedTile z14 = tiles.tile(at(f, 14));
    EncodedTile z10 = tiles.tile(at(f, 10));
    Feature seenLater = with(f, def, "updated_at", 1_800_000_000_000L);
    apply(tiles, index, Change.of("forces", List.of(new Change.Replacement(f, seenLater))));
    assertThat(tiles.cached(at(f, 14))).isSameAs(z14);
    assertThat(tiles.cached(at(f, 10))).isSameAs(z10);
  }

  @Test
  void openIncidentsShowUrgentOnesAloneAndClosedOnesOnlyForTheWindowEvenWithoutAChange() {
    LiveTilesTest.TestClock clock = new LiveTilesTest.TestClock(SyntheticCity.NOW);
    CityIndex index = TestTiles.index();
    TileService tiles = TileService.create(index, TileServiceConfig.defaults(), clock);
    LayerIndex events = index.layer("events");
    LayerDef def = events.def();
    long now = clock.millis();
    // an open urgent incident, an urgent one closed six days ago, an urgent one closed eight ago
    Feature open = with(events.feature(10), def, "status", "dispatched", "urgency", "urgent");
    Feature closed =
        with(
            events.feature(11),
            def,
            "status",
            "closed",
            "urgency",
            "urgent",
            "closed_at",
            now - 6 * DAY);
    Feature old =
        with(
            events.feature(12),
            def,
            "status",
            "rejected",
            "urgency",
            "urgent",
            "closed_at",
            now - 8 * DAY);
    index =
        apply(
            tiles,
            index,
            Change.of(
                "events",
                List.of(
                    new Change.Replacement(events.feature(10), open),
                    new Change.Replacement(events.feature(11), closed),
                    new Change.Replacement(events.feature(12), old))));

    assertThat(ids(tiles.tile(at(open, 14)), "events")).contains(open.id());
    assertThat(ids(tiles.tile(at(closed, 14)), "events")).contains(closed.id());
    assertThat(ids(tiles.tile(at(old, 14)), "events")).doesNotContain(old.id());
    assertThat(ids(tiles.tile(at(open, 8)), "events"))
        .as("an open urgent incident is never hidden in a cluster")
        .contains(open.id());
    assertThat(layer(tiles.tile(at(closed, 8)), "events"))
        .as("a closed one is clustered like any point")
        .noneMatch(d -> d.id() == closed.id())
        .anyMatch(d -> ClusterIds.isCluster(d.id()));

    // a day later, nothing changed: the incident closed six days ago is past the week
    EncodedTile cachedBefore = tiles.tile(at(closed, 14));
    clock.millis = now + DAY + 1;
    assertThat(tiles.cached(at(closed, 14))).as("nothing served from before the expiry").isNull();
    assertThat(ids(tiles.tile(at(closed, 14)), "events")).doesNotContain(closed.id());
    assertThat(tiles.tile(at(closed, 14)).etag()).isNotEqualTo(cachedBefore.etag());
    assertThat(ids(tiles.tile(at(open, 14)), "events")).contains(open.id());
    assertThat(index.layer("events").byId(closed.id()))
        .as("the history stays in the index for items")
        .hasValueSatisfying(
            f -> assertThat(f.value(def.requireField("status"))).isEqualTo("closed"));
    assertThat(tiles.nextExpiry()).isGreaterThan(clock.millis);

    // and exactly what a fresh build at this moment draws
    TileService fresh = TileService.create(index, TileServiceConfig.defaults(), clock);
    for (int z = 8; z <= 14; z++) {
      assertThat(tiles.tile(at(closed, z)).uncompressed())
          .as("z%d", z)
          .isEqualTo(fresh.tile(at(closed, z)).uncompressed());
    }
  }

  @Test
  void theWindowIsConfigurable() {
    LiveTilesTest.TestClock clock = new LiveTilesTest.TestClock(SyntheticCity.NOW);
    CityIndex index = TestTiles.index();
    LayerIndex events = index.layer("events");
    Feature closed =
        with(
            events.feature(20),
            events.def(),
            "status",
            "closed",
            "closed_at",
            clock.millis - 2 * DAY);
    index =
        index.withChange(
            Change.of("events", List.of(new Change.Replacement(events.feature(20), closed))));
    TileService week = TileService.create(index, TileServiceConfig.defaults(), clock);
    TileService day =
        TileService.create(
            index, TileServiceConfig.defaults().withClosedWindow(Duration.ofDays(1)), clock);
    assertThat(ids(week.tile(at(closed, 14)), "events")).contains(closed.id());
    assertThat(ids(day.tile(at(closed, 14)), "events")).doesNotContain(closed.id());
  }
}
