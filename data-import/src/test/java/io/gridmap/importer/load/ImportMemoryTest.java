package io.gridmap.importer.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.model.Layer;
import io.gridmap.layers.store.gpkg.GeoPackageStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Geometry;

/**
 * A polygon GeoJSON larger than the heap imports whole (issue 12, point 7): a grid layer exported
 * as web tools write it, imported in a child JVM whose heap is smaller than the file. Before the
 * coverage was simplified in blocks, JTS's coverage structures alone took some 200 bytes a vertex
 * and such an import needed 2.6 times its file (docs/benchmarks.md, "Imports").
 */
@Tag("slow") // a 74 MB file and a child JVM: some 40 s; -Pfast leaves it out
class ImportMemoryTest {
  @TempDir Path dir;

  /** Cells: 74 MB of GeoJSON. */
  private static final int CELLS = 20_000;

  /** The child's heap, MB: some 0.85 of the file. */
  private static final int HEAP_MB = 64;

  @Test
  void aGridLayerLargerThanTheHeapImportsWithEveryZoomACoverage() throws Exception {
    Path file = dir.resolve("grids.geojson");
    LatticeGrids.write(file, CELLS);
    long size = Files.size(file);
    assertThat(HEAP_MB * 1024L * 1024).isLessThan(size);
    Path store = dir.resolve("store.gpkg");
    Path log = dir.resolve("child.log");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP_MB + "m",
                "-cp",
                System.getProperty("java.class.path"),
                ImportInSmallHeap.class.getName(),
                file.toString(),
                store.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
    String output = Files.readString(log);
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("imported " + CELLS);

    try (GeoPackageStore s = new GeoPackageStore(store)) {
      Layer survey = s.readImportedLayer("survey").orElseThrow();
      assertThat(survey.size()).isEqualTo(CELLS);
      assertThat(survey.def().coverage()).isTrue();
      var generalised = s.read().generalised();
      assertThat(generalised.zooms("survey"))
          .hasSize(survey.def().maxZoom() - survey.def().minZoom() + 1);
      for (int z : generalised.zooms("survey")) {
        Map<Long, Geometry> byId = generalised.get("survey", z);
        assertThat(byId).as("zoom " + z).hasSize(CELLS);
        Geometry[] polygons = byId.values().toArray(Geometry[]::new);
        assertThat(CoverageValidator.isValid(polygons)).as("zoom " + z + " is a coverage").isTrue();
      }
    }
  }
}
