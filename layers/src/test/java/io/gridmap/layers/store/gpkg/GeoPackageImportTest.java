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
  void anEditOfAnImportedLayerIsRefusedWithWhatToDoAndTheCatalogueStillChanges() {
    var park = TestImports.parks().features().get(0);
    var renamed =
        new io.gridmap.layers.model.Feature(
            park.id(), park.geometry(), new Object[] {"改名", null, null}, false);
    var who =
        new io.gridmap.layers.edit.Provenance(
            "planner-7", "planner", "park.update", java.time.Instant.parse("2026-11-25T02:00:00Z"));
    try (FeatureStore s = Stores.open(location())) {
      s.replaceLayer(TestImports.parks());
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  s.apply(
                      io.gridmap.layers.edit.Change.of(
                          "parks",
                          java.util.List.of(
                              new io.gridmap.layers.edit.Change.Replacement(park, renamed))),
                      who))
          .isInstanceOf(io.gridmap.layers.store.StoreException.class)
          .hasMessageContaining("layer parks cannot be changed feature by feature")
          .hasMessageContaining("importing it again");
      assertThat(s.history("parks", park.id())).isEmpty();
      var force = feature(tiny, "forces", 1);
      var moved =
          new io.gridmap.layers.model.Feature(
              1,
              io.gridmap.layers.testing.TestDatasets.point(106.02, 29.03),
              force.values(),
              false);
      s.apply(
          io.gridmap.layers.edit.Change.of(
              "forces",
              java.util.List.of(new io.gridmap.layers.edit.Change.Replacement(force, moved))),
          who);
      assertHolds(s.read(), withForce(moved), TestImports.parks());
    }
  }

  private io.gridmap.layers.model.Dataset withForce(io.gridmap.layers.model.Feature moved) {
    var layers = new java.util.ArrayList<io.gridmap.layers.model.Layer>();
    for (var layer : tiny.layers().values()) {
      if (!layer.name().equals("forces")) {
        layers.add(layer);
        continue;
      }
      var features = new java.util.ArrayList<io.gridmap.layers.model.Feature>();
      for (var f : layer.features()) {
        features.add(f.id() == moved.id() ? moved : f);
      }
      layers.add(new io.gridmap.layers.model.Layer(layer.def(), features));
    }
    return io.gridmap.layers.model.Dataset.of(layers, tiny.metadata(), tiny.generalised());
  }

  private static io.gridmap.layers.model.Feature feature(
      io.gridmap.layers.model.Dataset d, String layer, long id) {
    return d.layer(layer).features().stream().filter(f -> f.id() == id).findFirst().orElseThrow();
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
