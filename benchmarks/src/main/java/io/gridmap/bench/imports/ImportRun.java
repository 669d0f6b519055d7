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

  /** Imports {@code file} into layer {@code survey} of a new store in {@code dir}. */
  static ImportSummary into(Path dir, Path file, ImportOptions options) throws Exception {
    Path store = Files.createTempFile(dir, "import-", ".gpkg");
    Files.delete(store);
    try (GeoPackageStore s = new GeoPackageStore(store)) {
      s.write(
          Dataset.of(
              List.of(),
              new DatasetMetadata("bench", 0, 1, List.of(), "", Map.of(), List.of(), Map.of()),
              new Generalised()));
      try (FeatureReader reader = Readers.open(file, ReadOptions.NONE)) {
        return new LayerImporter(s, options, LayerImporter.Progress.NONE, "bench").run(reader);
      }
    } finally {
      Files.deleteIfExists(store);
    }
  }
}
