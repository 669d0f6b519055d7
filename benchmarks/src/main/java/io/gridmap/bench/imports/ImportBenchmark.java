package io.gridmap.bench.imports;

import io.gridmap.importer.crs.SourceCrs;
import io.gridmap.importer.load.ImportOptions;
import io.gridmap.importer.load.ImportSummary;
import io.gridmap.importer.read.FeatureReader;
import io.gridmap.importer.read.ReadOptions;
import io.gridmap.importer.read.Readers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Import throughput, features per second, of one layer from each format we read: the grid layer as
 * GDAL's {@code ogr2ogr} wrote it from the city's store to GeoJSON, a Shapefile, a GeoPackage and a
 * CSV with WKT. Three figures per format, measured in turn round after round so that load from
 * other jobs falls on all alike:
 *
 * <ul>
 *   <li><b>import</b>: the whole of {@code mapserver import} but the JVM start: read, convert,
 *       check, type, compare, simplify per zoom, write the layer into a GeoPackage store in one
 *       transaction;
 *   <li><b>read</b>: our reader alone, every feature read and dropped;
 *   <li><b>ogr2ogr</b>, the baseline: GDAL loading the same file into a GeoPackage ({@code ogr2ogr
 *       -f GPKG}), with its spatial index, as a process (its start included, some 30 ms).
 * </ul>
 *
 * <p>{@code ImportBenchmark DIR ROUNDS}: DIR holds grids.geojson, grids.shp (with its parts),
 * grids.gpkg and grids.csv.
 */
public final class ImportBenchmark {
  private ImportBenchmark() {}

  private record Format(String file, ImportOptions options) {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    ImportOptions base = ImportOptions.defaults("survey").withVisibility(false);
    List<Format> formats =
        List.of(
            new Format("grids.geojson", base),
            new Format(
                "grids.shp",
                base.withMap(
                    ImportOptions.parseMap(
                        List.of(
                            "village_code=village_co,street_code=street_cod,district_code=district_c")))),
            new Format("grids.gpkg", base),
            new Format("grids.csv", base.withCrs(SourceCrs.WGS84)));
    Path work = Files.createTempDirectory("import-bench");
    Map<String, List<double[]>> rates = new LinkedHashMap<>();
    long features = 0;
    for (int r = 0; r <= rounds; r++) {
      boolean warmUp = r == 0;
      for (Format f : formats) {
        Path file = dir.resolve(f.file());
        long t0 = System.nanoTime();
        ImportSummary s = ImportRun.into(work, file, f.options());
        double importS = (System.nanoTime() - t0) / 1e9;
        features = s.read();
        t0 = System.nanoTime();
        long n = readAll(file);
        double readS = (System.nanoTime() - t0) / 1e9;
        double gdalS = ogr2ogr(work, file);
        if (n != features) {
          throw new IllegalStateException(f.file() + ": read " + n + ", imported " + features);
        }
        if (!warmUp) {
          rates
              .computeIfAbsent(f.file(), k -> new ArrayList<>())
              .add(new double[] {features / importS, features / readS, features / gdalS});
        }
        StringBuilder steps = new StringBuilder();
        ImportRun.STEPS
            .get()
            .forEach(
                (step, s2) ->
                    steps.append(
                        String.format(
                            Locale.ROOT,
                            "%s%s %.2f s",
                            steps.length() == 0 ? "" : ", ",
                            step,
                            s2)));
        System.out.printf(
            Locale.ROOT,
            "# round %d%s %s: %,d features; import %.2f s (%s), read %.2f s, ogr2ogr %.2f s%n",
            r,
            warmUp ? " (warm-up)" : "",
            f.file(),
            features,
            importS,
            steps,
            readS,
            gdalS);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%nImportBenchmark: %,d features per file, median of %d rounds, features/s%n",
        features,
        rounds);
    System.out.printf(Locale.ROOT, "%-16s %12s %12s %12s%n", "file", "import", "read", "ogr2ogr");
    rates.forEach(
        (file, list) ->
            System.out.printf(
                Locale.ROOT,
                "ImportBenchmark %-16s %,12.0f %,12.0f %,12.0f%n",
                file,
                median(list, 0),
                median(list, 1),
                median(list, 2)));
  }

  private static long readAll(Path file) throws Exception {
    long n = 0;
    try (FeatureReader reader = Readers.open(file, ReadOptions.NONE)) {
      while (reader.next() != null) {
        n++;
      }
    }
    return n;
  }

  /** Seconds GDAL takes to load the file into a new GeoPackage. */
  private static double ogr2ogr(Path work, Path file) throws Exception {
    Path out = work.resolve("gdal.gpkg");
    Files.deleteIfExists(out);
    long t0 = System.nanoTime();
    Process p =
        new ProcessBuilder("ogr2ogr", "-f", "GPKG", out.toString(), file.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("ogr2ogr failed on " + file);
    }
    double s = (System.nanoTime() - t0) / 1e9;
    Files.deleteIfExists(out);
    return s;
  }

  private static double median(List<double[]> rows, int column) {
    double[] v = rows.stream().mapToDouble(r -> r[column]).toArray();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
