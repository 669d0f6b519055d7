package io.gridmap.bench.imports;

import io.gridmap.importer.load.ImportOptions;
import io.gridmap.importer.load.ImportSummary;
import io.gridmap.importer.load.LayerImporter;
import io.gridmap.importer.read.FeatureReader;
import io.gridmap.importer.read.ReadOptions;
import io.gridmap.importer.read.Readers;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.store.gpkg.GeoPackageStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** One import as {@code mapserver import} runs it, into a fresh GeoPackage store. */
final class ImportRun {
  private ImportRun() {}

  /**
   * Seconds spent in each step of the last import on this thread, in order: "reading" (read,
   * convert, check) and then each step the importer names ("checking fields and codes",
   * "simplifying polygons ...", "writing ...").
   */
  static final ThreadLocal<Map<String, Double>> STEPS = new ThreadLocal<>();

  /** Imports {@code file} into layer {@code survey} of a new store in {@code dir}. */
  static ImportSummary into(Path dir, Path file, ImportOptions options) throws Exception {
    Map<String, Double> steps = new java.util.LinkedHashMap<>();
    STEPS.set(steps);
    long[] since = {System.nanoTime()};
    String[] current = {"reading"};
    LayerImporter.Progress progress =
        new LayerImporter.Progress() {
          @Override
          public void read(long bytes, long total, long features) {}

          @Override
          public void step(String what) {
            long now = System.nanoTime();
            steps.put(current[0], (now - since[0]) / 1e9);
            // "writing 65000 features to /tmp/...": the step, not its numbers
            current[0] = what.replaceAll(" for z[0-9].*| [0-9].*", "");
            since[0] = now;
          }
        };
    Path store = Files.createTempFile(dir, "import-", ".gpkg");
    Files.delete(store);
    try (GeoPackageStore s = new GeoPackageStore(store)) {
      s.write(
          Dataset.of(
              List.of(),
              new DatasetMetadata("bench", 0, 1, List.of(), "", Map.of(), List.of(), Map.of()),
              new Generalised()));
      try (FeatureReader reader = Readers.open(file, ReadOptions.NONE)) {
        ImportSummary summary = new LayerImporter(s, options, progress, "bench").run(reader);
        steps.put(current[0], (System.nanoTime() - since[0]) / 1e9);
        return summary;
      }
    } finally {
      Files.deleteIfExists(store);
    }
  }
}
