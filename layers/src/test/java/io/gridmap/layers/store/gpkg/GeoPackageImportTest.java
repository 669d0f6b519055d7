package io.gridmap.layers.store.gpkg;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.ImportedLayerContract;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.GdalTool;
import io.gridmap.layers.testing.Ogrinfo;
import io.gridmap.layers.testing.TestImports;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The imported-layer contract on a GeoPackage file, and that GDAL reads what an import made. */
class GeoPackageImportTest extends ImportedLayerContract {
  @TempDir Path dir;

  @Override
  protected String location() {
    return dir.resolve("city.gpkg").toString();
  }

  @Test
  void ogrinfoListsTheImportedTableWithItsFeaturesAndFieldsAfterAReimport() throws Exception {
    try (FeatureStore s = Stores.open(location())) {
      s.replaceLayer(TestImports.parks());
      s.replaceLayer(TestImports.roster());
      s.replaceLayer(TestImports.parksAgain());
    }
    GdalTool.Result parks = Ogrinfo.run("-so", "-ro", location(), "parks");
    assertThat(parks.stdout())
        .contains("Feature Count: 2", "Geometry: Polygon", "name: String", "area_m2: Real")
        .contains("opened: DateTime", "personal: Integer(Boolean)");
    GdalTool.Result roster = Ogrinfo.run("-so", "-ro", location(), "duty_roster");
    assertThat(roster.stdout())
        .contains("Feature Count: 3", "Geometry: Point", "officer: String")
        .contains("shift_count: Integer64", "armed: Integer(Boolean)");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + location());
        ResultSet rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("ok");
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + location());
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM rtree_parks_geom")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(2);
    }
  }
}
