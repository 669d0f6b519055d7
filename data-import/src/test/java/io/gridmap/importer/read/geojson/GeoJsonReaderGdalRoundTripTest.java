package io.gridmap.importer.read.geojson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.gridmap.importer.crs.SourceCrs;
import io.gridmap.importer.read.ImportException;
import io.gridmap.importer.read.SmallCityExports;
import io.gridmap.importer.read.SourceFeature;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.Layer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Geometry;

/**
 * The small city written by our GeoPackage store, exported by ogr2ogr as a GeoJSON
 * FeatureCollection and as GeoJSONSeq, reads back feature for feature: same count, same values,
 * same geometries.
 */
@Tag("slow") // runs GDAL: fails, never skips, without it; -Pfast leaves it out
class GeoJsonReaderGdalRoundTripTest {
  /**
   * GDAL 3.6's GeoJSONSeq writes 7 decimals by default and then drops a vertex's last one now and
   * then (106.4000004 comes out as 106.4); 15 decimals keep our 1e-7 degree grid.
   */
  static final String SEQ_PRECISION = "COORDINATE_PRECISION=15";

  @TempDir static Path dir;
  static Path gpkg;

  @BeforeAll
  static void writeCity() throws Exception {
    gpkg = SmallCityExports.geoPackage(dir);
  }

  @Test
  void gridsExportedAsAFeatureCollectionReadBackExactly() throws Exception {
    Path file =
        SmallCityExports.export(
            gpkg, "grids", dir.resolve("grids.geojson"), "GeoJSON", "-preserve_fid");
    assertThat(Files.readString(file)).contains("\"type\": \"FeatureCollection\"");
    try (GeoJsonReader reader = GeoJsonReader.open(file)) {
      // ogr2ogr writes the obsolete crs member (CRS84) before the features
      assertThat(reader.declaredCrs()).contains(SourceCrs.WGS84);
      assertReadsBack(reader, SmallCityExports.layer("grids"), false);
    }
  }

  @Test
  void keySitesExportedAsGeoJsonSeqReadBackExactly() throws Exception {
    Path file =
        SmallCityExports.export(
            gpkg,
            "key_sites",
            dir.resolve("key_sites.geojsons"),
            "GeoJSONSeq",
            "-lco",
            "RS=YES",
            "-lco",
            SEQ_PRECISION,
            "-preserve_fid");
    assertThat(Files.readAllBytes(file)[0]).as("RFC 8142 record separator").isEqualTo((byte) 0x1E);
    try (GeoJsonReader reader = GeoJsonReader.open(file)) {
      assertThat(reader.declaredCrs()).isEmpty();
      assertReadsBack(reader, SmallCityExports.layer("key_sites"), true);
    }
  }

  @Test
  void gridsExportedAsNewlineDelimitedGeoJsonReadBackExactly() throws Exception {
    Path file =
        SmallCityExports.export(
            gpkg,
            "grids",
            dir.resolve("grids.geojsonl"),
            "GeoJSONSeq",
            "-lco",
            SEQ_PRECISION,
            "-preserve_fid");
    assertThat(Files.readAllBytes(file)[0]).isEqualTo((byte) '{');
    try (GeoJsonReader reader = GeoJsonReader.open(file)) {
      assertReadsBack(reader, SmallCityExports.layer("grids"), true);
    }
  }

  @Test
  void gdalsGridsCutInTheMiddleOfAFeatureNameThatFeatureAndSayTruncated() throws Exception {
    Path whole = SmallCityExports.export(gpkg, "grids", dir.resolve("whole.geojson"), "GeoJSON");
    byte[] bytes = Files.readAllBytes(whole);
    // ogr2ogr writes 5 lines ({, type, name, crs, "features": [), then one feature a line:
    // feature n is on line n + 5
    int cut = bytes.length / 2;
    int line = 1;
    for (int i = 0; i < cut; i++) {
      line += bytes[i] == '\n' ? 1 : 0;
    }
    Path cutFile = dir.resolve("grids.geojson");
    Files.write(cutFile, Arrays.copyOf(bytes, cut));
    try (GeoJsonReader reader = GeoJsonReader.open(cutFile)) {
      int read = 0;
      try {
        while (reader.next() != null) {
          read++;
        }
      } catch (ImportException e) {
        assertThat(e.where())
            .isEqualTo(
                "grids.geojson feature "
                    + (line - 5)
                    + " (line "
                    + line
                    + ", column "
                    + (cut - lastNewline(bytes, cut))
                    + ")");
        assertThat(e.problem()).contains("the file is truncated, it ends inside this feature");
        assertThat(read).isEqualTo(line - 6);
        return;
      }
      fail("read %d features of a file cut at byte %d without an error", read, cut);
    }
  }

  private static int lastNewline(byte[] bytes, int before) {
    for (int i = before - 1; i >= 0; i--) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /**
   * @param rfc7946 GDAL's GeoJSONSeq writes RFC 7946 ring orientation (exterior counter-clockwise),
   *     so its polygons equal ours once both are normalised; the FeatureCollection keeps our rings
   *     vertex for vertex
   */
  private static void assertReadsBack(GeoJsonReader reader, Layer layer, boolean rfc7946)
      throws Exception {
    Map<String, Feature> expected = SmallCityExports.byCode(layer);
    Set<String> seen = new HashSet<>();
    int n = 0;
    for (SourceFeature f = reader.next(); f != null; f = reader.next()) {
      n++;
      assertThat(f.where()).startsWith(reader.file().getFileName() + " feature " + n + " (line ");
      String code = (String) f.attributes().get("code");
      Feature want = expected.get(code);
      assertThat(want).as("%s: code %s in the layer", f.where(), code).isNotNull();
      assertThat(seen.add(code)).as("%s read once", code).isTrue();
      for (int i = 0; i < layer.def().fields().size(); i++) {
        Field field = layer.def().fields().get(i);
        assertThat(f.attributes())
            .as("%s %s", f.where(), field.name())
            .containsEntry(field.name(), want.value(i));
      }
      assertThat(f.attributes()).containsEntry("personal", want.personal());
      // -preserve_fid writes the FID as the feature's "id" member, which becomes attribute "id"
      assertThat(f.attributes().get("id")).isEqualTo(want.id());
      Geometry got = rfc7946 ? f.geometry().norm() : f.geometry();
      Geometry wanted = rfc7946 ? want.geometry().norm() : want.geometry();
      assertThat(got.equalsExact(wanted, 1e-9))
          .as("%s geometry %s%n  expected %s", f.where(), f.geometry(), want.geometry())
          .isTrue();
    }
    assertThat(n).isEqualTo(layer.size());
    assertThat(reader.bytesRead()).isEqualTo(reader.size());
  }
}
