package io.gridmap.importer.load;

import io.gridmap.importer.read.FeatureReader;
import io.gridmap.importer.read.ReadOptions;
import io.gridmap.importer.read.Readers;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.store.gpkg.GeoPackageStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code ImportInSmallHeap FILE STORE}: imports FILE into layer {@code survey} of a new GeoPackage
 * store, as {@code mapserver import} does; run by {@link ImportMemoryTest} in a JVM with a small
 * heap. Prints the features read; exits 1 on an OutOfMemoryError.
 */
public final class ImportInSmallHeap {
  private ImportInSmallHeap() {}

  public static void main(String[] args) throws Exception {
    try (GeoPackageStore s = new GeoPackageStore(Path.of(args[1]))) {
      s.write(
          Dataset.of(
              List.of(),
              new DatasetMetadata("test", 0, 1, List.of(), "", Map.of(), List.of(), Map.of()),
              new Generalised()));
      try (FeatureReader reader = Readers.open(Path.of(args[0]), ReadOptions.NONE)) {
        ImportSummary summary =
            new LayerImporter(
                    s,
                    ImportOptions.defaults("survey").withVisibility(false),
                    LayerImporter.Progress.NONE,
                    "test")
                .run(reader);
        System.out.println("imported " + summary.read());
      }
    } catch (OutOfMemoryError e) {
      System.out.println("out of memory: " + e);
      System.exit(1);
    }
  }
}
