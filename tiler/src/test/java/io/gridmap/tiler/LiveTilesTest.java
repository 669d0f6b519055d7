package io.gridmap.tiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.index.SyntheticCity;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.tiler.geo.TileCoord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * Point layers kept up to date change by change draw exactly what a tile service built from scratch
 * over the same index draws, byte for byte, at every zoom of every tile over the city, in both
 * visibility classes: after hundreds of random batches of moves (near, far, onto another point,
 * onto cell edges), restyles (role, duty, category, urgency, status, personal), added incidents,
 * closing and reopening, and a clock that moves on so that closed incidents leave by age; and the
 * index they were drawn from answers ids and areas as one built from scratch. The services under
 * test keep their caches warm between batches, so a tile a change touched but the service failed to
 * forget shows up as a difference.
 */
@Tag("slow")
class LiveTilesTest {
  private static final GeometryFactory GF = new GeometryFactory();
  private static final String[] STATUSES = {
    "reported", "dispatched", "on_site", "closed", "rejected", "open"
  };
  private static final String[] ROLES = {"grid_worker", "police", "volunteer", "utility", "medic"};
  private static final String[] CATEGORIES = {
    "manhole_cover", "noise", "garbage", "fire_lane", "brand_new_category"
  };

  /** A clock the test moves. */
  static final class TestClock extends Clock {
    long millis;

    TestClock(long millis) {
      this.millis = millis;
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @Test
  void randomChangesDrawExactlyWhatAFreshBuildDraws() {
    SplittableRandom rnd = new SplittableRandom(20261203L);
    TestClock clock = new TestClock(SyntheticCity.NOW);
    CityIndex index = TestTiles.index();
    TileServiceConfig publicClass = TileServiceConfig.defaults();
    TileServiceConfig staffClass =
        publicClass.withPersonal(true).withClosedWindow(Duration.ofDays(2));
    TileService tiles = TileService.create(index, publicClass, clock);
    TileService staff = TileService.create(index, staffClass, clock);
    Envelope box = index.lonLatBounds();
    long[] nextId = {index.layer("events").maxId() + 1};
    int changes = 0;
    for (int round = 1; round <= 240; round++) {
      String layer = List.of("forces", "events", "events", "key_sites").get(rnd.nextInt(4));
      Change change = randomChange(rnd, index.layer(layer), box, nextId, clock.millis());
      CityIndex next = index.withChange(change);
      tiles.apply(next, change, change.mercatorAreas());
      staff.apply(next, change, change.mercatorAreas());
      index = next;
      changes += change.replacements().size();
      if (rnd.nextInt(4) == 0) {
        clock.millis += rnd.nextLong(Duration.ofHours(30).toMillis());
      }
      warm(rnd, tiles, index);
      warm(rnd, staff, index);
      if (round % 80 == 0) {
        assertSameAsFresh("round " + round, tiles, index, publicClass, clock);
        assertSameAsFresh("round " + round + " staff", staff, index, staffClass, clock);
      }
    }
    assertThat(changes).isGreaterThan(2000);
  }

  @Test
  void aTileReassembledAfterALiveChangeIsGzippedFromItsLayersSegments() {
    TestClock clock = new TestClock(SyntheticCity.NOW);
    CityIndex index = TestTiles.index();
    TileService tiles = TileService.create(index, TileServiceConfig.defaults(), clock);
    LayerIndex forces = index.layer("forces");
    Feature f = forces.feature(0);
    Coordinate at = f.geometry().getCoordinate();
    TileCoord c = TileCoord.containing(WebMercator.x(at.x), WebMercator.y(at.y), 14);
    byte[] first = tiles.tile(c).gzipped();
    // drawn whole: one deflate stream, its last block holding data
    assertThat(endsWithEmptyFinalBlock(first)).isFalse();
    Geometry moved = GF.createPoint(new Coordinate(at.x + 1e-6, at.y + 1e-6));
    Change change =
        new Change(
            "forces",
            List.of(
                new Change.Replacement(f, new Feature(f.id(), moved, f.values(), f.personal()))),
            Map.of());
    CityIndex next = index.withChange(change);
    tiles.apply(next, change, change.mercatorAreas());
    EncodedTile again = tiles.tile(c);
    assertThat(endsWithEmptyFinalBlock(again.gzipped())).isTrue();
    assertThat(again.uncompressed())
        .isEqualTo(
            TileService.create(next, TileServiceConfig.defaults(), clock).tile(c).uncompressed());
  }

  /** The deflate stream of a gzip member ends with {@code Gzip.join}'s empty final block. */
  private static boolean endsWithEmptyFinalBlock(byte[] gz) {
    return gz[gz.length - 10] == 0x03 && gz[gz.length - 9] == 0x00;
  }

  /** Requests tiles where points are, so that the next change has cached bytes to forget. */
  private static void warm(SplittableRandom rnd, TileService tiles, CityIndex index) {
    for (int i = 0; i < 6; i++) {
      LayerIndex li = index.layer(List.of("forces", "events", "key_sites").get(rnd.nextInt(3)));
      Geometry g = li.feature(rnd.nextInt(li.size())).geometry();
      if (g.isEmpty()) {
        continue;
      }
      Coordinate c = g.getCoordinate();
      int z = 8 + rnd.nextInt(7);
      tiles.tile(TileCoord.containing(WebMercator.x(c.x), WebMercator.y(c.y), z));
    }
  }

  private static Change randomChange(
      SplittableRandom rnd, LayerIndex li, Envelope box, long[] nextId, long now) {
    LayerDef def = li.def();
    Map<Long, Change.Replacement> batch = new LinkedHashMap<>();
    int size = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 200 : 15);
    for (int i = 0; i < size; i++) {
      if (def.name().equals("events") && rnd.nextInt(6) == 0) {
        Feature model = li.feature(rnd.nextInt(li.size()));
        Feature added =
            new Feature(nextId[0]++, place(rnd, box, li), restyle(rnd, def, model, now), false);
        batch.put(added.id(), Change.Replacement.added(added));
        continue;
      }
      Feature f = li.feature(rnd.nextInt(li.size()));
      if (batch.containsKey(f.id())) {
        continue;
      }
      Geometry g = rnd.nextInt(3) == 0 ? f.geometry() : place(rnd, box, li);
      Object[] values = rnd.nextBoolean() ? restyle(rnd, def, f, now) : f.values();
      boolean personal =
          def.name().equals("key_sites") && rnd.nextInt(5) == 0 ? !f.personal() : f.personal();
      batch.put(f.id(), new Change.Replacement(f, new Feature(f.id(), g, values, personal)));
    }
    return Change.of(def.name(), new ArrayList<>(batch.values()));
  }

  private static Object[] restyle(SplittableRandom rnd, LayerDef def, Feature f, long now) {
    Object[] v = f.values().clone();
    int role = def.fieldIndex("role");
    if (role >= 0) {
      v[role] = ROLES[rnd.nextInt(ROLES.length)];
      v[def.fieldIndex("on_duty")] = rnd.nextBoolean();
    }
    int category = def.fieldIndex("category");
    if (category >= 0 && rnd.nextInt(3) == 0) {
      v[category] = rnd.nextInt(10) == 0 ? null : CATEGORIES[rnd.nextInt(CATEGORIES.length)];
    }
    int status = def.fieldIndex("status");
    if (status >= 0) {
      String s = STATUSES[rnd.nextInt(STATUSES.length)];
      v[status] = s;
      boolean finished = s.equals("closed") || s.equals("rejected");
      // closed a moment ago, days ago, or (a clock skew) a little in the future; sometimes unknown
      long closedAt = now - rnd.nextLong(Duration.ofDays(9).toMillis()) + 60_000;
      v[def.fieldIndex("closed_at")] = finished ? (rnd.nextInt(15) == 0 ? null : closedAt) : null;
      v[def.fieldIndex("urgency")] = rnd.nextInt(4) == 0 ? "urgent" : "normal";
    }
    return v;
  }

  /** Somewhere in the city, often onto another point or a cell edge, now and then far away. */
  private static Geometry place(SplittableRandom rnd, Envelope box, LayerIndex li) {
    switch (rnd.nextInt(8)) {
      case 0:
        return li.feature(rnd.nextInt(li.size())).geometry();
      case 1:
        {
          // on the edge of a z13 cell: 2^17 cells across the world
          double cell = 2 * WebMercator.HALF_WORLD / (1 << 17);
          double x =
              Math.floor(WebMercator.x(box.centre().x) / cell + rnd.nextInt(200) - 100) * cell;
          double y =
              Math.floor(WebMercator.y(box.centre().y) / cell + rnd.nextInt(200) - 100) * cell;
          return GF.createPoint(new Coordinate(WebMercator.lon(x), WebMercator.lat(y)));
        }
      case 2:
        // just outside the city (the bounds grow; tiles over there must appear)
        return GF.createPoint(
            new Coordinate(
                box.getMaxX() + rnd.nextDouble() * 0.05, box.getMinY() - rnd.nextDouble() * 0.05));
      default:
        {
          Coordinate c = li.feature(rnd.nextInt(li.size())).geometry().getCoordinate();
          if (c == null || rnd.nextBoolean()) {
            c =
                new Coordinate(
                    box.getMinX() + rnd.nextDouble() * box.getWidth(),
                    box.getMinY() + rnd.nextDouble() * box.getHeight());
          }
          // a walk of up to ~100 m, as a phone reports between two posts
          return GF.createPoint(
              new Coordinate(
                  c.x + (rnd.nextDouble() - 0.5) * 0.002, c.y + (rnd.nextDouble() - 0.5) * 0.002));
        }
    }
  }

  /** Every tile at zooms 8-14 over the points: the same bytes as a fresh build's. */
  private static void assertSameAsFresh(
      String where, TileService live, CityIndex index, TileServiceConfig config, Clock clock) {
    TileService fresh = TileService.create(index, config, clock);
    Envelope b = new Envelope();
    for (String layer : List.of("forces", "events", "key_sites")) {
      b.expandToInclude(WebMercator.project(index.layer(layer).bounds()));
    }
    int compared = 0;
    for (int z = 8; z <= 14; z++) {
      TileCoord nw = TileCoord.containing(b.getMinX(), b.getMaxY(), z);
      TileCoord se = TileCoord.containing(b.getMaxX(), b.getMinY(), z);
      for (int x = nw.x(); x <= se.x(); x++) {
        for (int y = nw.y(); y <= se.y(); y++) {
          TileCoord c = new TileCoord(z, x, y);
          EncodedTile want = fresh.tile(c);
          EncodedTile have = live.tile(c);
          byte[] expected = want.uncompressed();
          byte[] got = have.uncompressed();
          // a tile re-assembled from cached layers is tagged as a fresh render of the same bytes
          assertThat(have.etag()).as(where + " tile " + c + " ETag").isEqualTo(want.etag());
          if (!Arrays.equals(expected, got)) {
            assertThat(TestTiles.decode(got))
                .as(where + " tile " + c)
                .isEqualTo(TestTiles.decode(expected));
            assertThat(got).as(where + " tile " + c + " bytes").isEqualTo(expected);
          }
          compared++;
        }
      }
    }
    assertThat(compared).isGreaterThan(200);
    // and the items: every id and the points of every z12 tile as a fresh index finds them
    for (String layer : List.of("forces", "events", "key_sites")) {
      LayerIndex li = index.layer(layer);
      LayerIndex scratch = LayerIndex.build(new Layer(li.def(), li.features()));
      for (int o = 0; o < li.size(); o++) {
        long id = li.feature(o).id();
        assertThat(li.byId(id)).as(where + " " + layer + " item " + id).containsSame(li.feature(o));
        assertThat(scratch.ordinalOf(id)).isEqualTo(o);
      }
      TileCoord nw = TileCoord.containing(b.getMinX(), b.getMaxY(), 12);
      TileCoord se = TileCoord.containing(b.getMaxX(), b.getMinY(), 12);
      for (int x = nw.x(); x <= se.x(); x++) {
        for (int y = nw.y(); y <= se.y(); y++) {
          Envelope q = new TileCoord(12, x, y).lonLatBounds();
          assertThat(ordinals(li, q))
              .as(where + " " + layer + " query")
              .isEqualTo(ordinals(scratch, q));
        }
      }
    }
  }

  private static List<Integer> ordinals(LayerIndex li, Envelope q) {
    List<Integer> out = new ArrayList<>();
    li.queryOrdinals(q, out::add);
    out.sort(null);
    return out;
  }
}
