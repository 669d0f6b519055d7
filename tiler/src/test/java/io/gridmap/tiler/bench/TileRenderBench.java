package io.gridmap.tiler.bench;

import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.SyntheticCity;
import io.gridmap.layers.model.Dataset;
import io.gridmap.tiler.EncodedTile;
import io.gridmap.tiler.TileService;
import io.gridmap.tiler.TileServiceConfig;
import io.gridmap.tiler.geo.TileCoord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.locationtech.jts.geom.Envelope;

/**
 * Uncached tile rendering on a synthetic city of the real one's size (38 districts, ~1k streets,
 * ~11k villages, ~68k grids, 500k points). A quick in-process measurement, not a JMH benchmark
 * and not a test: it warms up by rendering every sampled tile once, then times each tile again
 * with a cache of zero bytes (every request renders), one thread.
 *
 * <p>Run: {@code java -Xmx2g -cp <test classpath> io.gridmap.tiler.bench.TileRenderBench [tilesPerZoom]}
 */
public final class TileRenderBench {
  private TileRenderBench() {}

  public static void main(String[] args) {
    int perZoom = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int fromZoom = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    long t0 = System.nanoTime();
    Dataset city = SyntheticCity.generate(SyntheticCity.fullCity());
    long t1 = System.nanoTime();
    System.out.printf("generate (synthetic city, not part of start-up): %.1f s; %s%n", (t1 - t0) / 1e9, city.metadata().counts());
    CityIndex index = CityIndex.build(city);
    long t2 = System.nanoTime();
    TileService service = TileService.create(index, TileServiceConfig.defaults().withCacheMaxBytes(0));
    long t3 = System.nanoTime();
    System.gc();
    Runtime rt = Runtime.getRuntime();
    System.out.printf(
        "CityIndex.build %.2f s, TileService.create %.2f s; heap used after GC %d MiB (dataset + index + clusters), max %d MiB%n",
        (t2 - t1) / 1e9, (t3 - t2) / 1e9, (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20);

    Envelope b = index.mercatorBounds();
    SplittableRandom rnd = new SplittableRandom(1);
    System.out.println("zoom tiles  p50_ms  p90_ms  p99_ms  max_ms  mean_gz_KB  max_gz_KB  empty");
    List<List<TileCoord>> byZoom = new ArrayList<>();
    for (int z = 0; z <= 14; z++) {
      byZoom.add(sample(b, z, perZoom, rnd));
    }
    for (int r = 0; r < rounds; r++) {
      for (int z = fromZoom; z <= 14; z++) {
        for (TileCoord c : byZoom.get(z)) {
          service.tile(c); // warm-up: every zoom once before any timing
        }
      }
    }
    for (int z = fromZoom; z <= 14; z++) {
      List<TileCoord> tiles = byZoom.get(z);
      double[] ms = new double[tiles.size()];
      long bytes = 0;
      long maxBytes = 0;
      int empty = 0;
      for (int i = 0; i < tiles.size(); i++) {
        long s = System.nanoTime();
        EncodedTile t = service.tile(tiles.get(i));
        ms[i] = (System.nanoTime() - s) / 1e6;
        bytes += t.gzipped().length;
        maxBytes = Math.max(maxBytes, t.gzipped().length);
        empty += t.empty() ? 1 : 0;
      }
      Arrays.sort(ms);
      System.out.printf(
          "%4d %5d %7.2f %7.2f %7.2f %7.2f %11.1f %10.1f %6d%n",
          z, tiles.size(), pct(ms, 50), pct(ms, 90), pct(ms, 99), ms[ms.length - 1],
          bytes / 1024.0 / tiles.size(), maxBytes / 1024.0, empty);
    }
    System.out.println(service.renderStats());
  }

  /** All tiles over the city when there are few; otherwise a random sample, half near the dense core. */
  static List<TileCoord> sample(Envelope b, int z, int n, SplittableRandom rnd) {
    TileCoord nw = TileCoord.containing(b.getMinX(), b.getMaxY(), z);
    TileCoord se = TileCoord.containing(b.getMaxX(), b.getMinY(), z);
    List<TileCoord> out = new ArrayList<>();
    long count = (long) (se.x() - nw.x() + 1) * (se.y() - nw.y() + 1);
    if (count <= n) {
      for (int x = nw.x(); x <= se.x(); x++) {
        for (int y = nw.y(); y <= se.y(); y++) {
          out.add(new TileCoord(z, x, y));
        }
      }
      return out;
    }
    double coreX = io.gridmap.layers.geo.WebMercator.x(106.55);
    double coreY = io.gridmap.layers.geo.WebMercator.y(29.56);
    for (int i = 0; i < n; i++) {
      double x;
      double y;
      if (i % 2 == 0) {
        x = coreX + rnd.nextDouble(-30_000, 30_000);
        y = coreY + rnd.nextDouble(-30_000, 30_000);
      } else {
        x = rnd.nextDouble(b.getMinX(), b.getMaxX());
        y = rnd.nextDouble(b.getMinY(), b.getMaxY());
      }
      out.add(TileCoord.containing(x, y, z));
    }
    return out;
  }

  static double pct(double[] sorted, double p) {
    int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
