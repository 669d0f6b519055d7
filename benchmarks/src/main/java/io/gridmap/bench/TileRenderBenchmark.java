package io.gridmap.bench;

import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.model.Dataset;
import io.gridmap.tiler.EncodedTile;
import io.gridmap.tiler.TileService;
import io.gridmap.tiler.TileServiceConfig;
import io.gridmap.tiler.geo.TileCoord;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * Uncached tiles in process: every call renders a tile of the fixed sample (cache of zero bytes),
 * one thread. SampleTime mode reports p50/p99 per zoom, the DESIGN.md targets.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx3g"})
@Threads(1)
@State(Scope.Benchmark)
public class TileRenderBenchmark {
  @Param({"6", "7", "8", "9", "10", "11", "12", "13", "14"})
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
  private int next;

  @Setup(Level.Trial)
  public void load() {
    Dataset city = BenchCity.load();
    tiles =
        TileService.create(
            CityIndex.build(city),
            TileServiceConfig.defaults()
                .withCacheMaxBytes(0)
                .withClosedWindow(java.time.Duration.ofDays(closedDays)));
    sample = TileSample.of(city, zoom, 200);
  }

  @Benchmark
  public EncodedTile uncachedTile() {
    TileCoord t = sample.get(next);
    next = next + 1 == sample.size() ? 0 : next + 1;
    return tiles.tile(t);
  }
}
