package io.gridmap.layers.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Layer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * A point layer's index made by many random batches of changes answers exactly as one built from
 * scratch over the same features (and as the packed R-tree the layers had before): every id, every
 * query, the bounds; and a version once made never changes, whatever is made from it later.
 */
class LayerIndexLiveTest {
  private static final GeometryFactory GF = new GeometryFactory();
  private static final Dataset CITY = SyntheticCity.generate(SyntheticCity.small());

  /** The grid's cells are 360 / 2^16 degrees of longitude: places on their edges are kept. */
  private static final double CELL_LON = 360.0 / 65536;

  private static final double CELL_LAT = 180.0 / 65536;

  @Test
  void randomBatchesOfMovesRestylesAndAdditionsAnswerAsAFreshBuild() {
    for (String name : List.of("forces", "events")) {
      SplittableRandom rnd = new SplittableRandom(name.hashCode());
      Layer layer = CITY.layer(name);
      LayerIndex live = LayerIndex.build(layer);
      Envelope box = live.bounds();
      long nextId = live.maxId() + 1;
      List<LayerIndex> versions = new ArrayList<>();
      List<Map<Envelope, int[]>> answersThen = new ArrayList<>();
      for (int round = 0; round < 120; round++) {
        Map<Long, Feature> batch = new LinkedHashMap<>();
        int size = 1 + rnd.nextInt(round % 10 == 0 ? 400 : 12);
        for (int i = 0; i < size; i++) {
          if (rnd.nextInt(8) == 0) {
            Feature model = live.feature(rnd.nextInt(live.size()));
            Feature added = new Feature(nextId++, place(rnd, box, live), model.values(), false);
            batch.put(added.id(), added);
            continue;
          }
          Feature f = live.feature(rnd.nextInt(live.size()));
          Geometry g = rnd.nextInt(3) == 0 ? f.geometry() : place(rnd, box, live);
          Object[] values = f.values().clone();
          if (values.length > 0 && rnd.nextBoolean()) {
            values[0] = rnd.nextBoolean() ? null : "restyled" + rnd.nextInt(5);
          }
          batch.put(f.id(), new Feature(f.id(), g, values, rnd.nextInt(20) == 0));
        }
        LayerIndex before = live;
        live = live.withReplaced(batch.values());
        assertThat(live.size()).isGreaterThanOrEqualTo(before.size());
        if (round % 15 == 0) {
          // keep an old version with its answers: later changes must not alter it
          versions.add(before);
          Map<Envelope, int[]> answers = new LinkedHashMap<>();
          for (Envelope q : queries(rnd, box, before)) {
            answers.put(q, sorted(before, q));
          }
          answersThen.add(answers);
        }
        if (round % 20 == 19 || round == 119) {
          assertSameAsFresh(name + " round " + round, live, rnd, box);
        }
      }
      for (int v = 0; v < versions.size(); v++) {
        LayerIndex old = versions.get(v);
        answersThen
            .get(v)
            .forEach(
                (q, ords) ->
                    assertThat(sorted(old, q))
                        .as("old version %s keeps its answers", q)
                        .isEqualTo(ords));
      }
    }
  }

  /** Somewhere in or near the city, often on a grid line or on another point, sometimes odd. */
  private static Geometry place(SplittableRandom rnd, Envelope box, LayerIndex li) {
    switch (rnd.nextInt(10)) {
      case 0:
        return li.feature(rnd.nextInt(li.size())).geometry(); // coincident with another point
      case 1:
        {
          double lon = Math.floor(box.getMinX() / CELL_LON + rnd.nextInt(40)) * CELL_LON;
          double lat = Math.floor(box.getMinY() / CELL_LAT + rnd.nextInt(40)) * CELL_LAT;
          return GF.createPoint(new Coordinate(lon, lat)); // on a cell corner
        }
      case 2:
        return rnd.nextInt(4) == 0
            ? GF.createPoint() // no position
            : GF.createMultiPointFromCoords(
                new Coordinate[] {
                  new Coordinate(box.getMinX(), box.getMinY()),
                  new Coordinate(box.centre().x, box.centre().y)
                }); // not a point: indexed by envelope
      case 3:
        return GF.createPoint(
            new Coordinate(100 + rnd.nextDouble() * 20, 20 + rnd.nextDouble() * 20));
      default:
        return GF.createPoint(
            new Coordinate(
                box.getMinX() + rnd.nextDouble() * box.getWidth(),
                box.getMinY() + rnd.nextDouble() * box.getHeight()));
    }
  }

  private static List<Envelope> queries(SplittableRandom rnd, Envelope box, LayerIndex li) {
    List<Envelope> out = new ArrayList<>();
    out.add(new Envelope(box));
    out.add(new Envelope(-180, 180, -90, 90));
    out.add(new Envelope());
    for (int i = 0; i < 25; i++) {
      double x = box.getMinX() + rnd.nextDouble() * box.getWidth();
      double y = box.getMinY() + rnd.nextDouble() * box.getHeight();
      double r = Math.pow(10, -4 + rnd.nextDouble() * 3.5);
      out.add(new Envelope(x - r, x + r, y - r * rnd.nextDouble(), y + r));
    }
    for (int i = 0; i < 10; i++) {
      // exactly a point's place, and a box whose edges pass through points
      Envelope e = li.feature(rnd.nextInt(li.size())).geometry().getEnvelopeInternal();
      out.add(e);
      Envelope f = li.feature(rnd.nextInt(li.size())).geometry().getEnvelopeInternal();
      if (!e.isNull() && !f.isNull()) {
        Envelope g = new Envelope(e);
        g.expandToInclude(f);
        out.add(g);
      }
    }
    return out;
  }

  private static int[] sorted(LayerIndex li, Envelope q) {
    List<Integer> found = new ArrayList<>();
    li.queryOrdinals(q, found::add);
    int[] a = found.stream().mapToInt(Integer::intValue).toArray();
    Arrays.sort(a);
    for (int i = 1; i < a.length; i++) {
      assertThat(a[i]).as("ordinal %d visited twice for %s", a[i], q).isNotEqualTo(a[i - 1]);
    }
    return a;
  }

  private static void assertSameAsFresh(
      String where, LayerIndex live, SplittableRandom rnd, Envelope box) {
    Layer same = new Layer(live.def(), live.features());
    LayerIndex fresh = LayerIndex.build(same);
    LayerIndex packed = LayerIndex.packed(same);
    assertThat(live.size()).as(where).isEqualTo(fresh.size());
    assertThat(live.maxId()).as(where).isEqualTo(fresh.maxId());
    assertThat(live.bounds())
        .as(where + " bounds")
        .isEqualTo(fresh.bounds())
        .isEqualTo(packed.bounds());
    Map<Long, Integer> ids = new HashMap<>();
    for (int o = 0; o < live.size(); o++) {
      Feature f = live.feature(o);
      assertThat(fresh.feature(o)).isSameAs(f);
      ids.put(f.id(), o);
    }
    ids.forEach(
        (id, o) -> {
          assertThat(live.ordinalOf(id)).as(where + " id " + id).isEqualTo(o);
          assertThat(live.byId(id)).containsSame(live.feature(o));
        });
    for (long missing : new long[] {-1, live.maxId() + 1, 123_456_789_012L}) {
      assertThat(live.ordinalOf(missing)).isEqualTo(fresh.ordinalOf(missing)).isEqualTo(-1);
    }
    for (Envelope q : queries(rnd, box, live)) {
      int[] expected = sorted(packed, q);
      assertThat(sorted(fresh, q)).as(where + " fresh grid " + q).isEqualTo(expected);
      assertThat(sorted(live, q)).as(where + " live grid " + q).isEqualTo(expected);
    }
  }
}
