package io.gridmap.importer.read.shapefile;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.importer.crs.CrsTransform;
import io.gridmap.importer.crs.SourceCrs;
import io.gridmap.importer.generate.SmallCity;
import io.gridmap.importer.read.FeatureReader;
import io.gridmap.importer.read.SourceFeature;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.Layer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.CoordinateFilter;
import org.locationtech.jts.geom.Geometry;

/**
 * The small city written by our store and exported by ogr2ogr to Shapefiles comes back through the
 * reader with every feature, attribute value and vertex GDAL wrote.
 */
class ShapefileReaderRoundTripTest {
  private static final Path DIR = CityExports.dir();

  @Test
  void utf8GridsComeBackWithEveryValueAndVertex() throws IOException {
    assertSameAs(read("grids.shp", Optional.empty()), SmallCity.city().layer("grids"), 1e-9);
  }

  @Test
  void gbkGridsComeBackWithTheirChineseNamesExactly() throws IOException {
    // the .cpg decides; the language driver byte GDAL wrote says nothing (0x00)
    assertThat(Files.readString(DIR.resolve("grids_gbk.cpg")).strip()).isEqualTo("GBK");
    Map<String, SourceFeature> read = read("grids_gbk.shp", Optional.empty());
    assertSameAs(read, SmallCity.city().layer("grids"), 1e-9);
    assertThat(read.values())
        .extracting(f -> (String) f.attributes().get("name"))
        .contains("第3网格")
        .allMatch(n -> n.matches("第\\d+网格"));
  }

  @Test
  void pointsComeBackAsPointsWithTheirAttributes() throws IOException {
    Map<String, SourceFeature> read = read("key_sites.shp", Optional.empty());
    assertThat(read.values()).allMatch(f -> f.geometry().getGeometryType().equals("Point"));
    assertSameAs(read, SmallCity.city().layer("key_sites"), 1e-9);
  }

  @Test
  void gaussKrugerGridsDeclareTheirZoneAndConvertBackWithin1e6Degrees() throws IOException {
    // the districts span 106.25E to 109.3E: the 3-degree zone with central meridian 108E
    // (EPSG:4545,
    // 106.5E to 109.5E) covers all but Shapingba's western edge, which it still projects well
    Map<String, SourceFeature> read = new LinkedHashMap<>();
    SourceCrs crs;
    try (FeatureReader r = new ShapefileReader(DIR.resolve("grids_4545.shp"), Optional.empty())) {
      crs = r.declaredCrs().orElseThrow();
      CrsTransform toWgs84 = CrsTransform.toWgs84(crs);
      for (SourceFeature f = r.next(); f != null; f = r.next()) {
        Geometry g = onTheGeneratorsGrid(toWgs84.transformed(f.geometry(), f.where()));
        read.put(
            (String) f.attributes().get("code"), new SourceFeature(g, f.attributes(), f.where()));
      }
    }
    assertThat(crs.code()).isEqualTo("EPSG:4545");
    assertSameAs(read, SmallCity.city().layer("grids"), 1e-6);
  }

  @Test
  void progressEndsAtTheSizeOfShpAndDbf() throws IOException {
    try (FeatureReader r = new ShapefileReader(DIR.resolve("grids.shp"), Optional.empty())) {
      long size = Files.size(DIR.resolve("grids.shp")) + Files.size(DIR.resolve("grids.dbf"));
      assertThat(r.size()).isEqualTo(size);
      assertThat(r.bytesRead()).isLessThan(size / 10);
      while (r.next() != null) {
        assertThat(r.bytesRead()).isLessThanOrEqualTo(size);
      }
      // the .dbf's end-of-file byte (0x1A) is not read
      assertThat(r.bytesRead()).isBetween(size - 1, size);
      assertThat(r.declaredCrs()).contains(SourceCrs.WGS84);
    }
  }

  /**
   * The geometry with every coordinate rounded to the generator's 1e-7 degree grid (moving it at
   * most 5e-8 degrees), so that normalising orders its vertices as it orders the original's: the
   * transform's 1e-13 degree noise breaks the ties between vertices of equal x that normalising
   * starts a ring at.
   */
  private static Geometry onTheGeneratorsGrid(Geometry g) {
    Geometry copy = g.copy();
    copy.apply(
        (CoordinateFilter)
            c -> {
              c.x = Math.round(c.x * 1e7) / 1e7;
              c.y = Math.round(c.y * 1e7) / 1e7;
            });
    copy.geometryChanged();
    return copy;
  }

  /** Every feature by its {@code code}, checking that no code repeats. */
  static Map<String, SourceFeature> read(String file, Optional<String> encoding)
      throws IOException {
    Map<String, SourceFeature> byCode = new LinkedHashMap<>();
    try (FeatureReader r = new ShapefileReader(DIR.resolve(file), encoding)) {
      for (SourceFeature f = r.next(); f != null; f = r.next()) {
        assertThat(byCode.put((String) f.attributes().get("code"), f)).as(f.where()).isNull();
      }
    }
    return byCode;
  }

  /**
   * Same features, values and geometries: names cut to the DBF's 10 characters, {@code personal} as
   * the 0/1 integer GDAL writes for our boolean, geometries equal after normalising (the Shapefile
   * stores shells clockwise).
   */
  static void assertSameAs(Map<String, SourceFeature> read, Layer layer, double tolerance) {
    assertThat(read).hasSize(layer.size());
    int code = layer.def().fieldIndex("code");
    for (Feature expected : layer.features()) {
      SourceFeature f = read.get(expected.string(code));
      assertThat(f).as("feature %s", expected.string(code)).isNotNull();
      Map<String, Object> values = new LinkedHashMap<>();
      values.put("personal", expected.personal() ? 1L : 0L);
      for (int i = 0; i < layer.def().fields().size(); i++) {
        Field field = layer.def().fields().get(i);
        String name = field.name().length() > 10 ? field.name().substring(0, 10) : field.name();
        values.put(name, expected.value(i));
      }
      assertThat(f.attributes()).as(f.where()).containsExactlyEntriesOf(values);
      assertThat(f.geometry().norm().equalsExact(expected.geometry().norm(), tolerance))
          .as("%s: %s\nexpected %s", f.where(), f.geometry(), expected.geometry())
          .isTrue();
    }
  }
}
