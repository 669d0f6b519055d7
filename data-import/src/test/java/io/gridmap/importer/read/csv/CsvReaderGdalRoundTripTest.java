package io.gridmap.importer.read.csv;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.importer.read.SmallCityExports;
import io.gridmap.importer.read.SourceFeature;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.Layer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The small city written by our GeoPackage store and exported by ogr2ogr as CSV, with X,Y columns
 * (key sites) and with a WKT column (grids), reads back feature for feature: same count, the same
 * values as text, the same geometries.
 */
@Tag("slow") // runs GDAL: fails, never skips, without it; -Pfast leaves it out
class CsvReaderGdalRoundTripTest {
  @TempDir static Path dir;
  static Path gpkg;

  @BeforeAll
  static void writeCity() throws Exception {
    gpkg = SmallCityExports.geoPackage(dir);
  }

  @Test
  void keySitesExportedWithXyColumnsReadBackExactly() throws Exception {
    Path file =
        SmallCityExports.export(
            gpkg, "key_sites", dir.resolve("key_sites.csv"), "CSV", "-lco", "GEOMETRY=AS_XY");
    assertThat(Files.readAllLines(file).get(0)).startsWith("X,Y,");
    try (CsvReader reader = CsvReader.open(file, CsvOptions.detect())) {
      assertThat(reader.declaredCrs()).isEmpty();
      assertReadsBack(reader, SmallCityExports.layer("key_sites"), Set.of("X", "Y"));
    }
  }

  @Test
  void gridsExportedWithAWktColumnReadBackExactly() throws Exception {
    Path file =
        SmallCityExports.export(
            gpkg, "grids", dir.resolve("grids.csv"), "CSV", "-lco", "GEOMETRY=AS_WKT");
    assertThat(Files.readAllLines(file).get(0)).startsWith("WKT,");
    try (CsvReader reader = CsvReader.open(file, CsvOptions.detect())) {
      assertReadsBack(reader, SmallCityExports.layer("grids"), Set.of("WKT"));
    }
  }

  private static void assertReadsBack(CsvReader reader, Layer layer, Set<String> geometryColumns)
      throws Exception {
    Map<String, Feature> expected = SmallCityExports.byCode(layer);
    Set<String> seen = new HashSet<>();
    int n = 0;
    for (SourceFeature f = reader.next(); f != null; f = reader.next()) {
      n++;
      // one row a line: ogr2ogr writes no line breaks inside cells here
      assertThat(f.where()).isEqualTo(reader.file().getFileName() + " line " + (n + 1));
      String code = (String) f.attributes().get("code");
      Feature want = expected.get(code);
      assertThat(want).as("%s: code %s in the layer", f.where(), code).isNotNull();
      assertThat(seen.add(code)).as("%s read once", code).isTrue();
      assertThat(f.attributes()).doesNotContainKeys(geometryColumns.toArray(String[]::new));
      for (int i = 0; i < layer.def().fields().size(); i++) {
        Field field = layer.def().fields().get(i);
        Object value = want.value(i);
        assertThat(f.attributes())
            .as("%s %s", f.where(), field.name())
            .containsEntry(field.name(), value == null ? null : value.toString());
      }
      // GeoPackage stores a boolean as an integer, and ogr2ogr writes it so
      assertThat(f.attributes()).containsEntry("personal", want.personal() ? "1" : "0");
      assertThat(f.geometry().equalsExact(want.geometry(), 1e-9))
          .as("%s geometry %s%n  expected %s", f.where(), f.geometry(), want.geometry())
          .isTrue();
    }
    assertThat(n).isEqualTo(layer.size());
    assertThat(reader.bytesRead()).isEqualTo(reader.size());
  }
}
