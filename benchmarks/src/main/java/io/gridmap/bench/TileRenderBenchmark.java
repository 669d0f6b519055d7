package io.gridmap.bench;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.tiler.EncodedTile;
import io.gridmap.tiler.TileService;
import io.gridmap.tiler.TileServiceConfig;
import io.gridmap.tiler.geo.TileCoord;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Uncached tiles in process: every call renders a tile of the fixed sample (cache of zero bytes),
 * one thread. SampleTime mode reports p50/p99 per zoom, the DESIGN.md targets.
 *
 * <p>{@link #uncachedTile} renders the sample of a zoom; its setup prints what the sample's tiles
 * hold (vertices and point features per tile), what a zoom's time scales with. {@link LivePoints}
 * renders the tiles of issue 14's point 6 again and again: the z8 and z9 tiles holding the most
 * incidents (about a quarter of the city's) and the z10 tile holding the most forces (the urban
 * core), the lowest zooms that draw them.
 *
 * <p>The city and its index are loaded once per JVM and shared by every zoom, so that {@code -f 0}
 * can run all zooms on one load (the full city takes minutes to read on a loaded machine).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// 15 s of warm-up: pinned to one core, the JIT compiles on the benchmark's core, and after 3 s
// its work still showed in the first measured iteration's p99 (z7: 8.4 ms, then 6.7, then 2.7)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx3g"})
@Threads(1)
@State(Scope.Benchmark)
public class TileRenderBenchmark {
  @Param({"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14"})
  public int zoom;

  /**
   * Days a closed incident stays in tiles (the server's default is 7). The generated year ends
   * before today, so at 7 the tiles hold the open incidents only; 400 draws every incident, as
   * tiles did before issue 10, for comparisons with figures from then.
   */
  @Param({"7"})
  public int closedDays;

  private TileService tiles;
  private List<TileCoord> sample;
  private TileCounts[] counts;
  private int next;

  private static Dataset city;
  private static CityIndex index;

  /** The city and its index, read once per JVM. */
  static synchronized CityIndex index() {
    if (index == null) {
      city = BenchCity.load();
      index = CityIndex.build(city);
    }
    return index;
  }

  static synchronized Dataset city() {
    index();
    return city;
  }

  /**
   * A tile service without a cache, in the state a server's is in seconds after start: the
   * polygons' rounding decided for every zoom ({@code TileService.decidePolygonRings}, which the
   * server runs in the background once ready).
   */
  static TileService service(int closedDays) {
    TileService s =
        TileService.create(
            index(),
            TileServiceConfig.defaults()
                .withCacheMaxBytes(0)
                .withClosedWindow(Duration.ofDays(closedDays)));
    long start = System.nanoTime();
    int decided = s.decidePolygonRings();
    System.out.printf(
        "%nTileRenderBenchmark: decided the rounding of %d polygons (all zooms) in %d ms%n",
        decided, (System.nanoTime() - start) / 1_000_000);
    return s;
  }

  @Setup(Level.Trial)
  public void load() {
    tiles = service(closedDays);
    sample = TileSample.of(city(), zoom, 200);
    long vertices = 0;
    long points = 0;
    long bytes = 0;
    int maxVertices = 0;
    int maxPoints = 0;
    counts = new TileCounts[sample.size()];
    for (int i = 0; i < sample.size(); i++) {
      EncodedTile e = tiles.tile(sample.get(i));
      TileCounts c = TileCounts.of(e.empty() ? new byte[0] : e.uncompressed());
      counts[i] = c;
      vertices += c.vertices();
      points += c.points();
      bytes += c.bytes();
      maxVertices = Math.max(maxVertices, c.vertices());
      maxPoints = Math.max(maxPoints, c.points());
    }
    int n = sample.size();
    System.out.printf(
        "%nTileRenderBenchmark sample z%d: %d tiles; per tile: vertices mean %d, max %d; point"
            + " features mean %d, max %d; MVT bytes mean %d%n",
        zoom, n, vertices / n, maxVertices, points / n, maxPoints, bytes / n);
  }

  /**
   * After the measurement, with the code compiled: each sample tile's own time (the least of three
   * renders) beside what it holds, the slowest first. A zoom's p99 is its slowest two tiles of 200,
   * so these lines say what bounds it; the cost per vertex is the whole sample's time over its
   * vertices.
   */
  @TearDown(Level.Trial)
  public void slowestTiles() {
    long[] nanos = new long[sample.size()];
    long all = 0;
    long vertices = 0;
    for (int i = 0; i < sample.size(); i++) {
      long best = Long.MAX_VALUE;
      for (int r = 0; r < 3; r++) {
        long t0 = System.nanoTime();
        tiles.tile(sample.get(i));
        best = Math.min(best, System.nanoTime() - t0);
      }
      nanos[i] = best;
      all += best;
      vertices += counts[i].vertices();
    }
    Integer[] order = new Integer[sample.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Long.compare(nanos[b], nanos[a]));
    System.out.printf(
        "%nTileRenderBenchmark z%d: %.0f ns a vertex over the sample (%d vertices, %.1f ms);"
            + " slowest tiles:%n",
        zoom, vertices == 0 ? 0.0 : (double) all / vertices, vertices, all / 1e6);
    for (int k = 0; k < Math.min(3, order.length); k++) {
      int i = order[k];
      TileCoord t = sample.get(i);
      System.out.printf(
          "  %d/%d/%d: %.2f ms, %d vertices, %d point features, %d polygons%n",
          t.z(),
          t.x(),
          t.y(),
          nanos[i] / 1e6,
          counts[i].vertices(),
          counts[i].points(),
          counts[i].polygons());
    }
  }

  @Benchmark
  public EncodedTile uncachedTile() {
    TileCoord t = sample.get(next);
    next = next + 1 == sample.size() ? 0 : next + 1;
    return tiles.tile(t);
  }

  /**
   * One tile of point 6, rendered uncached on every call (a class of its own so that the zooms'
   * parameter does not multiply it; its name still matches {@code TileRenderBenchmark}).
   */
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3, time = 5)
  @Measurement(iterations = 3, time = 5)
  @Fork(
      value = 1,
      jvmArgsAppend = {"-Xmx3g"})
  @Threads(1)
  @State(Scope.Benchmark)
  public static class LivePoints {
    /**
     * {@code incidents-z8}, {@code incidents-z9}: most incidents; {@code forces-z10}: most forces.
     */
    @Param({"incidents-z8", "incidents-z9", "forces-z10"})
    public String at;

    TileService tiles;
    TileCoord tile;

    @Setup(Level.Trial)
    public void load() {
      String layer = at.startsWith("incidents") ? "events" : "forces";
      int z = Integer.parseInt(at.substring(at.indexOf("-z") + 2));
      Map<TileCoord, Integer> per = new HashMap<>();
      int all = 0;
      for (Feature f : city().layer(layer).features()) {
        Point p = (Point) f.geometry();
        per.merge(
            TileCoord.containing(WebMercator.x(p.getX()), WebMercator.y(p.getY()), z),
            1,
            Integer::sum);
        all++;
      }
      Map.Entry<TileCoord, Integer> most =
          per.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
      tile = most.getKey();
      tiles = service(7);
      EncodedTile e = tiles.tile(tile);
      TileCounts c = TileCounts.of(e.empty() ? new byte[0] : e.uncompressed());
      System.out.printf(
          "%nTileRenderBenchmark %s: tile %d/%d/%d holds %d of the city's %d %s (%.0f%%); drawn:"
              + " %d point features, %d polygons, %d vertices, %d MVT bytes%n",
          at,
          tile.z(),
          tile.x(),
          tile.y(),
          most.getValue(),
          all,
          layer,
          100.0 * most.getValue() / all,
          c.points(),
          c.polygons(),
          c.vertices(),
          c.bytes());
    }

    @Benchmark
    public EncodedTile tile() {
      return tiles.tile(tile);
    }
  }
}
