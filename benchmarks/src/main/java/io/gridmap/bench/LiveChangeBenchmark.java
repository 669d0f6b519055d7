package io.gridmap.bench;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.IncidentState;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.tiler.TileService;
import io.gridmap.tiler.TileServiceConfig;
import io.gridmap.tiler.geo.TileCoord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A live change made visible in tiles and items (issue 10, point 6; DESIGN.md: within 20 ms p50 and
 * 100 ms p99 at 5,000 changes/s): a group of changes swapped into memory, then the z14 and z12
 * tiles at the first changed point fetched (the touched layer re-encoded, the others from the
 * cache) and its item looked up by id. SampleTime: the score is one group's time, p50 and p99.
 *
 * <ul>
 *   <li>{@code live}: {@code CityIndex.withChange} patching the point layer's grid, and {@code
 *       TileService.apply(next, change, areas)} updating the point layer and forgetting exactly the
 *       touched tiles' bytes of it.
 *   <li>{@code groupSwap}, the baseline in the same run: the mechanism before, the point layer's
 *       packed R-tree rebuilt ({@code LayerIndex.packed(..).withReplaced}, as {@code withChange}
 *       did) and the tiler's point layer built from scratch ({@code TileService.apply(next, layer,
 *       areas)}), forgetting the layer in the tiles around the change's areas.
 * </ul>
 *
 * Changes: {@code force_move}, forces walking up to ~100 m (a phone's position post); {@code
 * incident_status}, open incidents moved one step along the loop (reported, dispatched, ...,
 * closed, and reopened), a few of them urgent. {@code group}: changes swapped in together, as the
 * writer groups what arrives while it works: 1, 25 (5 ms of changes at 5,000/s) and 250. {@code
 * copies}: the city's forces and events that many times over ({@link BenchCity#withPointCopies}): 5
 * puts the generated city at the seed's volumes, a million forces and more than a million events.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g"})
@Threads(1)
public class LiveChangeBenchmark {
  private static Dataset city;
  private static int cityCopies;

  /** The city, with {@code copies} of its forces and events (one JVM runs one trial). */
  private static synchronized Dataset city(int copies) {
    if (city == null || cityCopies != copies) {
      city = BenchCity.withPointCopies(BenchCity.load(), copies);
      cityCopies = copies;
    }
    return city;
  }

  /** What both mechanisms share: the city, its index and tiles, and the changes to make. */
  public abstract static class Base {
    CityIndex index;
    TileService tiles;
    Changes changes;

    void load(String change, int group, int copies) {
      index = CityIndex.build(city(copies));
      tiles = TileService.create(index, TileServiceConfig.defaults());
      changes = new Changes(index, change, group);
      // a warm cache, as a serving node has: the tiles where this layer's points are
      LayerIndex li = index.layer(changes.layer);
      SplittableRandom rnd = new SplittableRandom(11);
      for (int i = 0; i < 1000; i++) {
        Geometry g = li.feature(rnd.nextInt(li.size())).geometry();
        for (int z = li.def().minZoom(); z <= 14; z++) {
          tiles.tile(at(g, z));
        }
      }
    }
  }

  @State(Scope.Benchmark)
  public static class Live extends Base {
    @Param({"force_move", "incident_status"})
    public String change;

    @Param({"1", "25", "250"})
    public int group;

    @Param({"1"})
    public int copies;

    @Setup(Level.Trial)
    public void setUp() {
      load(change, group, copies);
    }
  }

  @State(Scope.Benchmark)
  public static class GroupSwap extends Base {
    @Param({"force_move", "incident_status"})
    public String change;

    @Param({"1", "25", "250"})
    public int group;

    @Param({"1"})
    public int copies;

    LayerIndex packed;

    @Setup(Level.Trial)
    public void setUp() {
      load(change, group, copies);
      packed = LayerIndex.packed(city(copies).layer(changes.layer));
    }
  }

  /** The incremental path. */
  @Benchmark
  public long live(Live s) {
    Change c = s.changes.next(s.index);
    CityIndex next = s.index.withChange(c);
    s.tiles.apply(next, c, c.mercatorAreas());
    s.index = next;
    return visible(s.tiles, next, c);
  }

  /** Baseline: the packed index and the point layer's tiles rebuilt for the group. */
  @Benchmark
  public long groupSwap(GroupSwap s) {
    Change c = s.changes.next(s.index);
    s.packed = s.packed.withReplaced(c.after());
    CityIndex next = s.index.withChange(c);
    s.tiles.apply(next, c.layer(), c.mercatorAreas());
    s.index = next;
    return visible(s.tiles, next, c) + s.packed.size();
  }

  /** What a screen and a client then fetch: the tiles at the first changed point, its item. */
  private static long visible(TileService tiles, CityIndex index, Change c) {
    Feature f = c.replacements().get(0).after();
    long n = tiles.tile(at(f.geometry(), 14)).rawSize();
    n += tiles.tile(at(f.geometry(), 12)).rawSize();
    return n + index.layer(c.layer()).byId(f.id()).orElseThrow().values().length;
  }

  private static TileCoord at(Geometry g, int z) {
    Coordinate p = g.getCoordinate();
    return TileCoord.containing(WebMercator.x(p.x), WebMercator.y(p.y), z);
  }

  /** Makes the next group of changes against the current index. */
  static final class Changes {
    private static final String[] LOOP = {
      IncidentState.REPORTED.code(),
      IncidentState.DISPATCHED.code(),
      IncidentState.ACCEPTED.code(),
      IncidentState.ON_SITE.code(),
      IncidentState.RESOLVED.code(),
      IncidentState.VERIFIED.code(),
      IncidentState.CLOSED.code()
    };

    final String layer;
    private final boolean moves;
    private final int group;
    private final SplittableRandom rnd = new SplittableRandom(20261203L);
    private final int[] pool;

    Changes(CityIndex index, String kind, int group) {
      this.moves = kind.equals("force_move");
      if (!moves && !kind.equals("incident_status")) {
        throw new IllegalArgumentException(
            "change " + kind + "; expected force_move or incident_status");
      }
      this.layer = moves ? "forces" : "events";
      this.group = group;
      LayerIndex li = index.layer(layer);
      if (moves) {
        pool = null;
      } else {
        // the incidents still open, the ones a command centre moves along; a small city has few,
        // so closed ones fill the pool up to a group (the first step reopens them)
        int status = li.def().requireField("status");
        List<Integer> open = new ArrayList<>();
        List<Integer> closed = new ArrayList<>();
        for (int o = 0; o < li.size() && open.size() < 4096; o++) {
          String s = (String) li.feature(o).value(status);
          if (IncidentState.ofCode(s).map(st -> !st.terminal()).orElse(true)) {
            open.add(o);
          } else if (closed.size() < 4096) {
            closed.add(o);
          }
        }
        while (open.size() < Math.min(4 * group, li.size()) && !closed.isEmpty()) {
          open.add(closed.remove(closed.size() - 1));
        }
        pool = open.stream().mapToInt(Integer::intValue).toArray();
      }
    }

    Change next(CityIndex index) {
      LayerIndex li = index.layer(layer);
      Map<Long, Change.Replacement> out = new LinkedHashMap<>();
      while (out.size() < Math.min(group, moves ? li.size() : pool.length)) {
        Feature f = li.feature(moves ? rnd.nextInt(li.size()) : pool[rnd.nextInt(pool.length)]);
        if (!out.containsKey(f.id())) {
          out.put(
              f.id(),
              new Change.Replacement(f, moves ? BenchCity.walked(f, rnd) : stepped(li.def(), f)));
        }
      }
      return Change.of(layer, new ArrayList<>(out.values()));
    }

    private Feature stepped(LayerDef def, Feature f) {
      Object[] v = f.values().clone();
      int status = def.requireField("status");
      int at = 0;
      for (int i = 0; i < LOOP.length; i++) {
        if (LOOP[i].equals(v[status])) {
          at = i;
        }
      }
      String next = LOOP[(at + 1) % LOOP.length];
      long now = System.currentTimeMillis();
      v[status] = next;
      v[def.requireField("closed_at")] = next.equals(IncidentState.CLOSED.code()) ? now : null;
      v[def.requireField("updated_at")] = now;
      Object revision = v[def.requireField("revision")];
      v[def.requireField("revision")] =
          revision instanceof Number n ? n.longValue() + 1 : Long.valueOf(2);
      return new Feature(f.id(), f.geometry(), v, f.personal());
    }
  }
}
