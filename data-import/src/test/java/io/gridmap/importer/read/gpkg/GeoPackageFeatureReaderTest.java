package io.gridmap.importer.read.gpkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.importer.crs.CrsTransform;
import io.gridmap.importer.crs.SourceCrs;
import io.gridmap.importer.generate.SmallCity;
import io.gridmap.importer.read.FeatureReader;
import io.gridmap.importer.read.ImportException;
import io.gridmap.importer.read.SourceFeature;
import io.gridmap.importer.read.shapefile.CityExports;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.testing.GdalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.CoordinateFilter;
import org.locationtech.jts.geom.Geometry;

/**
 * GeoPackages ogr2ogr writes from the small city come back through the reader with every feature,
 * value and vertex; the table and the CRS are chosen as the import command needs.
 */
class GeoPackageFeatureReaderTest {
  private static final Path DIR = CityExports.dir();

  @TempDir Path dir;

  @Test
  void gridsComeBackWithEveryValueAndVertex() throws IOException {
    Path file = DIR.resolve("grids.gpkg");
    try (GeoPackageFeatureReader r = new GeoPackageFeatureReader(file, Optional.empty())) {
      assertThat(r.table()).isEqualTo("grids");
      assertThat(r.declaredCrs()).contains(SourceCrs.WGS84);
      assertThat(r.size()).isEqualTo(Files.size(file));
      Map<String, SourceFeature> read = readAll(r);
      assertThat(r.bytesRead()).isEqualTo(r.size());
      assertSameAs(read, SmallCity.city().layer("grids"), 1e-9);
      assertThat(read.values())
          .extracting(f -> (String) f.attributes().get("name"))
          .contains("第3网格");
      assertThat(read.values())
          .first()
          .extracting(SourceFeature::where)
          .asString()
          .matches("grids.gpkg table grids fid \\d+");
    }
  }

  @Test
  void rowsComeInFidOrderAndProgressGrowsWithThem() throws IOException {
    try (FeatureReader r =
        new GeoPackageFeatureReader(DIR.resolve("grids.gpkg"), Optional.empty())) {
      long previousFid = 0;
      long previousBytes = 0;
      for (SourceFeature f = r.next(); f != null; f = r.next()) {
        long fid = Long.parseLong(f.where().substring(f.where().lastIndexOf(' ') + 1));
        assertThat(fid).isGreaterThan(previousFid);
        assertThat(r.bytesRead())
            .isGreaterThanOrEqualTo(previousBytes)
            .isLessThanOrEqualTo(r.size());
        previousFid = fid;
        previousBytes = r.bytesRead();
      }
    }
  }

  @Test
  void twoFeatureTablesWithoutTableAreRefusedListingBoth() {
    assertThatThrownBy(
            () -> new GeoPackageFeatureReader(DIR.resolve("two_tables.gpkg"), Optional.empty()))
        .isInstanceOf(ImportException.class)
        .hasMessage(
            "two_tables.gpkg: the GeoPackage has 2 feature tables, grids, key_sites, and no --table"
                + " says which to import. Fix: pass --table NAME with one of grids, key_sites;"
                + " import each table with its own command");
  }

  @Test
  void theTableOptionChoosesOneOfSeveral() throws IOException {
    try (FeatureReader r =
        new GeoPackageFeatureReader(DIR.resolve("two_tables.gpkg"), Optional.of("KEY_SITES"))) {
      Map<String, SourceFeature> read = readAll(r);
      assertThat(read.values()).allMatch(f -> f.geometry().getGeometryType().equals("Point"));
      assertSameAs(read, SmallCity.city().layer("key_sites"), 1e-9);
    }
    assertThatThrownBy(
            () -> new GeoPackageFeatureReader(DIR.resolve("two_tables.gpkg"), Optional.of("roads")))
        .hasMessageContaining(
            "expected --table to name one of its feature tables, grids,"
                + " key_sites, but found 'roads'");
  }

  @Test
  void ourOwnStoreReadsTooLeavingItsAttributeTableOut() throws IOException {
    assertThatThrownBy(() -> new GeoPackageFeatureReader(CityExports.store(), Optional.empty()))
        .hasMessageContaining(
            "7 feature tables, districts, events, forces, grids, key_sites,"
                + " streets, villages,");
    try (FeatureReader r = new GeoPackageFeatureReader(CityExports.store(), Optional.of("grids"))) {
      assertSameAs(readAll(r), SmallCity.city().layer("grids"), 0);
    }
  }

  @Test
  void gaussKrugerDeclaresItsEpsgCodeAndConvertsBackWithin1e6Degrees() throws IOException {
    Path file = export("grids_4545.gpkg", "-t_srs", "EPSG:4545");
    try (FeatureReader r = new GeoPackageFeatureReader(file, Optional.empty())) {
      SourceCrs crs = r.declaredCrs().orElseThrow();
      assertThat(crs.code()).isEqualTo("EPSG:4545");
      CrsTransform toWgs84 = CrsTransform.toWgs84(crs);
      Map<String, SourceFeature> read = new LinkedHashMap<>();
      for (SourceFeature f = r.next(); f != null; f = r.next()) {
        Geometry g = onTheGeneratorsGrid(toWgs84.transformed(f.geometry(), f.where()));
        read.put(
            (String) f.attributes().get("code"), new SourceFeature(g, f.attributes(), f.where()));
      }
      assertSameAs(read, SmallCity.city().layer("grids"), 1e-6);
    }
  }

  @Test
  void anSrsOutsideEpsgIsMatchedOnItsDefinition() throws Exception {
    Path file = export("grids_4545.gpkg", "-t_srs", "EPSG:4545");
    sql(
        file,
        "UPDATE gpkg_spatial_ref_sys SET organization = 'acme', organization_coordsys_id = 1"
            + " WHERE srs_id = 4545");
    try (FeatureReader r = new GeoPackageFeatureReader(file, Optional.empty())) {
      assertThat(r.declaredCrs().orElseThrow().code()).isEqualTo("EPSG:4545");
    }
  }

  @Test
  void anUndefinedSrsDeclaresNothing() throws Exception {
    Path file = dir.resolve("grids.gpkg");
    Files.copy(DIR.resolve("grids.gpkg"), file);
    sql(file, "UPDATE gpkg_geometry_columns SET srs_id = 0");
    try (FeatureReader r = new GeoPackageFeatureReader(file, Optional.empty())) {
      assertThat(r.declaredCrs()).isEmpty();
    }
    sql(file, "UPDATE gpkg_geometry_columns SET srs_id = -1");
    try (FeatureReader r = new GeoPackageFeatureReader(file, Optional.empty())) {
      assertThat(r.declaredCrs()).isEmpty();
    }
  }

  @Test
  void anSrsWeDoNotConvertSaysHowToPassCrs() throws IOException {
    Path file = export("grids_utm.gpkg", "-t_srs", "EPSG:32648");
    try (FeatureReader r = new GeoPackageFeatureReader(file, Optional.empty())) {
      assertThatThrownBy(r::declaredCrs)
          .isInstanceOf(ImportException.class)
          .hasMessageStartingWith("grids_utm.gpkg table grids: srs_id 32648 (EPSG 32648):")
          .hasMessageContaining("transverse Mercator on WGS84")
          .hasMessageContaining("pass --crs");
    }
  }

  @Test
  void aFileThatIsNotAGeoPackageIsRefused() throws IOException {
    Path file = dir.resolve("grids.gpkg");
    Files.copy(DIR.resolve("grids.shp"), file);
    assertThatThrownBy(() -> new GeoPackageFeatureReader(file, Optional.empty()))
        .isInstanceOf(ImportException.class)
        .hasMessageStartingWith("grids.gpkg: expected a GeoPackage");
  }

  @Test
  void valuesTakeTheTypeTheirColumnDeclares() throws Exception {
    // without GDAL's R-tree, whose triggers call SQL functions only GDAL's SQLite has
    Path file = export("grids.gpkg", "-lco", "SPATIAL_INDEX=NO");
    sql(file, "ALTER TABLE grids ADD COLUMN area REAL");
    sql(file, "ALTER TABLE grids ADD COLUMN surveyed DATE");
    sql(file, "ALTER TABLE grids ADD COLUMN updated DATETIME");
    sql(file, "ALTER TABLE grids ADD COLUMN note VARCHAR(20)");
    sql(file, "ALTER TABLE grids ADD COLUMN rank NUMERIC");
    sql(
        file,
        "UPDATE grids SET area = 2, surveyed = '2024-05-01', updated = '2024-05-01T08:30:00Z',"
            + " note = '解放碑街道', rank = 3.5, geom = NULL"
            + " WHERE fid = (SELECT min(fid) FROM grids)");
    try (FeatureReader r = new GeoPackageFeatureReader(file, Optional.empty())) {
      SourceFeature first = r.next();
      assertThat(first.geometry()).isNull();
      assertThat(first.attributes())
          .containsEntry("personal", false)
          .containsEntry("area", 2.0)
          .containsEntry("surveyed", "2024-05-01")
          .containsEntry("updated", "2024-05-01T08:30:00Z")
          .containsEntry("note", "解放碑街道")
          .containsEntry("rank", 3.5);
      assertThat(first.attributes().get("population")).isInstanceOf(Long.class);
      assertThat(r.next().attributes()).containsEntry("area", null).containsEntry("note", null);
    }
  }

  @Test
  void aValueOfAnotherKindThanItsColumnNamesTheRowAndColumn() throws Exception {
    Path file = export("grids.gpkg", "-lco", "SPATIAL_INDEX=NO");
    sql(file, "UPDATE grids SET population = 'many' WHERE fid = (SELECT max(fid) FROM grids)");
    try (FeatureReader r = new GeoPackageFeatureReader(file, Optional.empty())) {
      for (int i = 1; i < SmallCity.city().layer("grids").size(); i++) {
        assertThat(r.next()).as("the rows before it").isNotNull();
      }
      assertThatThrownBy(r::next)
          .isInstanceOf(ImportException.class)
          .hasMessageMatching(
              "grids.gpkg table grids fid \\d+: expected column 'population' \\(INTEGER\\) to"
                  + " hold an integer but found 'many'\\. Fix: correct the value .*");
    }
  }

  private Path export(String name, String... options) {
    Path out = dir.resolve(name);
    String[] args = new String[options.length + 5];
    args[0] = "-f";
    args[1] = "GPKG";
    System.arraycopy(options, 0, args, 2, options.length);
    args[options.length + 2] = out.toString();
    args[options.length + 3] = CityExports.store().toString();
    args[options.length + 4] = "grids";
    GdalTool.run("ogr2ogr", "", args);
    return out;
  }

  private static void sql(Path file, String statement) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.executeUpdate(statement);
    }
  }

  private static Map<String, SourceFeature> readAll(FeatureReader r) throws IOException {
    Map<String, SourceFeature> byCode = new LinkedHashMap<>();
    for (SourceFeature f = r.next(); f != null; f = r.next()) {
      assertThat(byCode.put((String) f.attributes().get("code"), f)).as(f.where()).isNull();
    }
    return byCode;
  }

  /** See ShapefileReaderRoundTripTest: rounding to 1e-7 keeps normalised rings in step. */
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

  /** Same features, values (full names; {@code personal} a GeoPackage BOOLEAN) and geometries. */
  private static void assertSameAs(Map<String, SourceFeature> read, Layer layer, double tolerance) {
    assertThat(read).hasSize(layer.size());
    int code = layer.def().fieldIndex("code");
    for (Feature expected : layer.features()) {
      SourceFeature f = read.get(expected.string(code));
      assertThat(f).as("feature %s", expected.string(code)).isNotNull();
      Map<String, Object> values = new LinkedHashMap<>();
      values.put("personal", expected.personal());
      for (int i = 0; i < layer.def().fields().size(); i++) {
        values.put(layer.def().fields().get(i).name(), expected.value(i));
      }
      assertThat(f.attributes()).as(f.where()).containsExactlyEntriesOf(values);
      assertThat(f.geometry().norm().equalsExact(expected.geometry().norm(), tolerance))
          .as("%s: %s\nexpected %s", f.where(), f.geometry(), expected.geometry())
          .isTrue();
    }
  }
}
