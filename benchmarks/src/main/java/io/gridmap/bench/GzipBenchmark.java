package io.gridmap.bench;

import io.gridmap.tiler.EncodedTile;
import io.gridmap.tiler.TileService;
import io.gridmap.tiler.encode.Gzip;
import io.gridmap.tiler.geo.TileCoord;
import java.util.ArrayList;
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
 * Gzipping a tile as it is drawn: the bytes of {@link TileRenderBenchmark}'s sample tiles of a
 * zoom, each gzipped in turn, by our encoder ({@code level} 0, {@link Gzip#FAST}, the tile
 * service's default) and by the JDK's zlib at levels 1 and 4 (4 was the default before it) in the
 * same run, the baseline. The setup prints the gzipped size as a share of the raw bytes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx3g"})
@Threads(1)
@State(Scope.Benchmark)
public class GzipBenchmark {
  @Param({"7", "10", "12", "14"})
  public int zoom;

  /** {@link Gzip#FAST} (0) or a zlib level. */
  @Param({"0", "1", "4"})
  public int level;

  private byte[][] tiles;
  private int next;

  @Setup(Level.Trial)
  public void load() {
    TileService service = TileRenderBenchmark.service(7);
    List<byte[]> raw = new ArrayList<>();
    for (TileCoord c : TileSample.of(TileRenderBenchmark.city(), zoom, 200)) {
      EncodedTile e = service.tile(c);
      if (!e.empty()) {
        raw.add(e.uncompressed());
      }
    }
    tiles = raw.toArray(new byte[0][]);
    long in = 0;
    long out = 0;
    for (byte[] t : tiles) {
      in += t.length;
      out += Gzip.compress(t, level).length;
    }
    System.out.printf(
        "%nGzipBenchmark z%d level %d: %d tiles, %d raw bytes a tile, gzipped to %.1f%%%n",
        zoom, level, tiles.length, tiles.length == 0 ? 0 : in / tiles.length, 100.0 * out / in);
  }

  @Benchmark
  public byte[] gzipTile() {
    byte[] t = tiles[next];
    next = next + 1 == tiles.length ? 0 : next + 1;
    return Gzip.compress(t, level);
  }
}
