package io.gridmap.bench;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.tiler.TileService;
import io.gridmap.tiler.TileServiceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.locationtech.jts.geom.Point;
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
 * What a group of positions costs in memory once the store has it: a new index with the moved
 * forces ({@code CityIndex.withChange}) and the tiles moved onto it, forgetting the forces layer
 * where the forces were and went ({@code TileService.apply(next, change, areas)}, which updates the
 * point layer since issue 10; {@link LiveChangeBenchmark} measures it against the rebuild it
 * replaced). The baseline in the same run is what the server did before there was a write path:
 * index the whole city and build the tile service again (a restart's in-memory work, the store read
 * left out).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g"})
@Threads(1)
@State(Scope.Benchmark)
public class PositionSwapBenchmark {
  /** Forces moved in one group. */
  @Param({"1", "100", "1000"})
  public int moved;

  private Dataset city;
  private CityIndex index;
  private TileService tiles;
  private List<Change> changes;
  private int next;

  @Setup(Level.Trial)
  public void load() {
    city = BenchCity.load();
    index = CityIndex.build(city);
    tiles = TileService.create(index, TileServiceConfig.defaults());
    LayerIndex forces = index.layer("forces");
    SplittableRandom rnd = new SplittableRandom(11);
    // a warm cache, as a serving node has: forgetting tiles scans what is cached
    for (int i = 0; i < 1000; i++) {
      Point p = (Point) forces.feature(rnd.nextInt(forces.size())).geometry();
      for (int z = 10; z <= 14; z++) {
        tiles.tile(
            io.gridmap.tiler.geo.TileCoord.containing(
                io.gridmap.layers.geo.WebMercator.x(p.getX()),
                io.gridmap.layers.geo.WebMercator.y(p.getY()),
                z));
      }
    }
    // each group of moves followed by the same forces walking back: the index and the tiles move on
    // change by change, and after each pair every force is where it began, so every change's old
    // versions are the current ones however long the benchmark cycles (a cycle of changes all made
    // against the first index would move forces that had moved already: the tiles' cells then
    // went negative and the point layer was rebuilt, which this measured until 2026-12-06)
    changes = new ArrayList<>();
    for (int c = 0; c < 32; c++) {
      List<Change.Replacement> rs = new ArrayList<>();
      java.util.Set<Long> seen = new java.util.HashSet<>();
      while (rs.size() < Math.min(moved, forces.size())) {
        Feature f = forces.feature(rnd.nextInt(forces.size()));
        if (!seen.add(f.id())) {
          continue;
        }
        rs.add(new Change.Replacement(f, BenchCity.walked(f, rnd)));
      }
      changes.add(Change.of("forces", rs));
      changes.add(
          Change.of(
              "forces",
              rs.stream().map(r -> new Change.Replacement(r.after(), r.before())).toList()));
    }
  }

  /** One group of moves swapped in: the new index and the tiles moved onto it. */
  @Benchmark
  public CityIndex swapIn() {
    Change change = changes.get(next);
    next = (next + 1) % changes.size();
    CityIndex after = index.withChange(change);
    tiles.apply(after, change, change.mercatorAreas());
    index = after;
    return after;
  }

  /** Baseline: the whole city indexed and its tile service built again. */
  @Benchmark
  public TileService rebuildAll() {
    return TileService.create(CityIndex.build(city), TileServiceConfig.defaults());
  }
}
