package io.gridmap.bench;

import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.model.Dataset;
import io.gridmap.tiler.TileService;
import io.gridmap.tiler.TileServiceConfig;
import io.gridmap.tiler.pack.ExportArea;
import io.gridmap.tiler.pack.PackageFormat;
import io.gridmap.tiler.pack.TileExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Tiles per second writing an offline package ({@code export-tiles}), three ways in one JVM on one
 * loaded city: PMTiles with 2 rendering threads, the same with 1 (the baseline: what the parallel
 * rendering buys) and MBTiles with 2 (what SQLite costs against appending to a file). The three are
 * run in turn, round after round, so that load from other jobs on this shared machine falls on all
 * of them alike; a JMH fork per variant would load the city (a minute) each time and run them
 * minutes apart. Each run renders every tile from scratch (no tile cache), as one export does.
 *
 * <p>{@code ExportBenchmark AREA MINZOOM MAXZOOM ROUNDS} with {@code -Dgridmap.store=PATH} (without
 * it, the tiny generated city).
 */
public final class ExportBenchmark {
  private ExportBenchmark() {}

  private record Variant(PackageFormat format, int threads) {
    String label() {
      return format.extension + ", " + threads + (threads == 1 ? " thread" : " threads");
    }
  }

  public static void main(String[] args) throws Exception {
    String areaSpec = args.length > 0 ? args[0] : "500103";
    int minZoom = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    int maxZoom = args.length > 2 ? Integer.parseInt(args[2]) : 12;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    long t0 = System.nanoTime();
    Dataset city = BenchCity.load();
    CityIndex index = CityIndex.build(city);
    TileService tiles =
        TileService.create(index, TileServiceConfig.defaults().withCacheMaxBytes(0));
    ExportArea area = ExportArea.parse(areaSpec, index);
    System.out.printf(
        Locale.ROOT,
        "# %s, z%d-z%d: %,d tiles; city loaded in %.1f s; %d rounds%n",
        area.description(),
        minZoom,
        maxZoom,
        area.tileIds(minZoom, maxZoom).length,
        (System.nanoTime() - t0) / 1e9,
        rounds);
    List<Variant> variants =
        List.of(
            new Variant(PackageFormat.PMTILES, 2),
            new Variant(PackageFormat.PMTILES, 1),
            new Variant(PackageFormat.MBTILES, 2));
    Map<Variant, List<Double>> rates = new LinkedHashMap<>();
    Path dir = Files.createTempDirectory("export-bench");
    try {
      // warm-up, untimed: one whole export to each format, so that the JIT, the heap's sizing
      // and the page cache settle before the first round (measured: the first pass over the full
      // city took 2-3x as long as the later ones, whatever the variant)
      for (PackageFormat f : PackageFormat.values()) {
        long w0 = System.nanoTime();
        Path warm = dir.resolve("warm-up." + f.extension);
        TileExport.toFile(tiles, area, minZoom, maxZoom, f, warm, 2, Map.of(), null);
        Files.delete(warm);
        System.out.printf(
            Locale.ROOT, "# warm-up: %s in %.1f s%n", f.extension, (System.nanoTime() - w0) / 1e9);
      }
      for (int r = 1; r <= rounds; r++) {
        for (Variant v : variants) {
          Path out = dir.resolve("city." + v.format().extension);
          TileExport.Result res =
              TileExport.toFile(
                  tiles, area, minZoom, maxZoom, v.format(), out, v.threads(), Map.of(), null);
          rates.computeIfAbsent(v, k -> new ArrayList<>()).add(res.tilesPerSecond());
          System.out.printf(
              Locale.ROOT,
              "round %d  %-20s %,d tiles (%,d with features) in %6.2f s: %,7.0f tiles/s, %.1f MB"
                  + "  (load average %s)%n",
              r,
              v.label(),
              res.planned(),
              res.counts().tiles(),
              res.seconds(),
              res.tilesPerSecond(),
              res.fileBytes() / 1e6,
              loadAverage());
          Files.delete(out);
        }
      }
    } finally {
      Files.deleteIfExists(dir);
    }
    System.out.println("# median tiles/s over the rounds");
    rates.forEach(
        (v, list) -> {
          List<Double> sorted = new ArrayList<>(list);
          sorted.sort(null);
          System.out.printf(
              Locale.ROOT,
              "ExportBenchmark %-20s %,7.0f tiles/s%n",
              v.label(),
              sorted.get(sorted.size() / 2));
        });
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "?";
    }
  }
}
