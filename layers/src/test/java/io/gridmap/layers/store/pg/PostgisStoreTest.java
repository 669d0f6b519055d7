package io.gridmap.layers.store.pg;

import static io.gridmap.layers.testing.DatasetAssertions.assertSameDataset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.StoreException;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.GdalTool;
import io.gridmap.layers.testing.Ogrinfo;
import io.gridmap.layers.testing.TestDatasets;
import io.gridmap.layers.testing.TestPostgis;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgisStoreTest {
  private final String schema = TestPostgis.newSchema();
  private final String url = TestPostgis.storeUrl(schema);
  @TempDir Path dir;

  @AfterEach
  void dropSchema() {
    TestPostgis.drop(schema);
  }

  @Test
  void aCityWrittenIsReadBackFeatureByFeatureWithItsMetadataAndGeneralisedPolygons() {
    Dataset tiny = TestDatasets.tiny();
    try (FeatureStore s = Stores.open(url)) {
      s.write(tiny);
      assertThat(s.holdsACity()).isTrue();
      Dataset back = s.read();
      assertSameDataset(tiny, back);
      io.gridmap.layers.testing.DatasetAssertions.assertPacked(back.generalised());
      assertThat(s.metadata()).isEqualTo(tiny.metadata());
      Map<String, Integer> expected = new LinkedHashMap<>();
      tiny.layers().forEach((name, layer) -> expected.put(name, layer.size()));
      assertThat(s.counts()).containsExactlyInAnyOrderEntriesOf(expected);
    }
  }

  @Test
  void aGeoPackageAndPostgisGiveBackTheSameCity() {
    Dataset tiny = TestDatasets.tiny();
    String gpkg = dir.resolve("city.gpkg").toString();
    try (FeatureStore g = Stores.open(gpkg);
        FeatureStore p = Stores.open(url)) {
      g.write(tiny);
      p.write(tiny);
      Dataset fromFile = g.read();
      Dataset fromPostgis = p.read();
      assertSameDataset(fromFile, fromPostgis);
      // exactly the same geometry types (a Polygon promoted in a layer with MultiPolygons in both)
      for (String layer : fromFile.layers().keySet()) {
        List<String> fileTypes = types(fromFile.layer(layer));
        assertThat(types(fromPostgis.layer(layer))).as(layer).isEqualTo(fileTypes);
      }
    }
  }

  private static List<String> types(Layer layer) {
    return layer.features().stream()
        .map(f -> f.id() + ":" + f.geometry().getGeometryType())
        .toList();
  }

  @Test
  void aSecondWriteReplacesTheCityAndTheLogStartsAgain() {
    Dataset tiny = TestDatasets.tiny();
    try (FeatureStore s = Stores.open(url)) {
      s.write(tiny);
      Layer events = tiny.layer("events");
      Dataset fewer = replace(tiny, new Layer(events.def(), events.features().subList(0, 1)));
      s.write(fewer);
      assertThat(s.counts().get("events")).isEqualTo(1);
      assertThat(s.logRange()).isEqualTo(new io.gridmap.layers.edit.LogRange(1, 0));
    }
  }

  @Test
  void aWriteTheDatabaseRefusesMidwayLeavesTheCityBeforeIt() {
    Dataset tiny = TestDatasets.tiny();
    try (FeatureStore s = Stores.open(url)) {
      s.write(tiny);
      // districts, streets and villages go in; then a grid names a village that does not exist
      Layer grids = tiny.layer("grids");
      Feature first = grids.features().get(0);
      Object[] values = first.values().clone();
      values[2] = "500103999999";
      List<Feature> broken = new ArrayList<>(grids.features());
      broken.set(0, new Feature(first.id(), first.geometry(), values, first.personal()));
      Dataset bad = replace(tiny, new Layer(grids.def(), broken));
      assertThatThrownBy(() -> s.write(bad))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("grids")
          .hasMessageContaining("nothing was written");
      assertSameDataset(tiny, s.read());
    }
  }

  @Test
  void aValueOfTheWrongTypeIsRefusedBeforeAnythingIsWritten() {
    Dataset tiny = TestDatasets.tiny();
    try (FeatureStore s = Stores.open(url)) {
      s.write(tiny);
      Layer events = tiny.layer("events");
      Feature first = events.features().get(0);
      Object[] values = first.values().clone();
      values[4] = "yesterday"; // reported_at is a timestamp
      List<Feature> broken = new ArrayList<>(events.features());
      broken.set(0, new Feature(first.id(), first.geometry(), values, first.personal()));
      assertThatThrownBy(() -> s.write(replace(tiny, new Layer(events.def(), broken))))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("events feature " + first.id())
          .hasMessageContaining("reported_at");
      assertSameDataset(tiny, s.read());
    }
  }

  @Test
  void theTablesHoldEveryCatalogueFieldInItsType() throws SQLException {
    try (FeatureStore s = Stores.open(url)) {
      s.logRange(); // connects and migrates
    }
    try (Connection c = TestPostgis.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT column_name, data_type, udt_name FROM information_schema.columns"
                    + " WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
      for (LayerDef def : Catalogue.ALL) {
        ps.setString(1, schema);
        ps.setString(2, def.name());
        List<String> columns = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String type = rs.getString(2);
            columns.add(
                rs.getString(1) + " " + ("USER-DEFINED".equals(type) ? rs.getString(3) : type));
          }
        }
        List<String> expected =
            new ArrayList<>(List.of("fid bigint", "geom geometry", "personal boolean"));
        for (Field f : def.fields()) {
          expected.add(f.name() + " " + PgSchema.sqlType(f.type()));
        }
        assertThat(columns)
            .as("table %s against the catalogue: a new field needs a migration", def.name())
            .containsExactlyElementsOf(expected);
      }
    }
  }

  @Test
  void gdalReadsTheLayersAsTheyAreWithTheirFieldsAndCounts() {
    Dataset tiny = TestDatasets.tiny();
    try (FeatureStore s = Stores.open(url)) {
      s.write(tiny);
    }
    GdalTool.Result r = Ogrinfo.run("-ro", "-so", TestPostgis.ogrConnection(schema), "grids");
    assertThat(r.stdout())
        .contains(
            "Layer name: grids",
            "Feature Count: " + tiny.layer("grids").size(),
            "village_code: String",
            "population: Integer64",
            "ID[\"EPSG\",4326]");
    GdalTool.Result events =
        Ogrinfo.run(
            "-ro",
            "-q",
            TestPostgis.ogrConnection(schema),
            "events",
            "-fid",
            String.valueOf(tiny.layer("events").features().get(0).id()));
    assertThat(events.stdout()).contains("category (String) = ", "reported_at (DateTime) = ");
  }

  @Test
  void aStoreNeverWrittenSaysSoAndHowToFillIt() {
    try (FeatureStore s = Stores.open(url)) {
      assertThat(s.holdsACity()).isFalse();
      assertThatThrownBy(s::read)
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("holds no city yet")
          .hasMessageContaining("generate or import");
    }
  }

  @Test
  void anUnreachableDatabaseIsNamedWithWhatToDoAndNoPassword() {
    try (FeatureStore s =
        Stores.open("postgresql://gridmap:secret@127.0.0.1:1/city?connectTimeout=2")) {
      assertThatThrownBy(s::read)
          .isInstanceOf(StoreException.class)
          .hasMessageStartingWith("store postgresql://gridmap:***@127.0.0.1:1/city")
          .hasMessageContaining("cannot connect")
          .hasMessageContaining("is PostgreSQL running")
          .hasMessageNotContaining("secret");
    }
  }

  @Test
  void theDatabaseItselfRefusesCodesThatDoNotNestEvenFromTheServersOwnPath() throws SQLException {
    try (FeatureStore s = Stores.open(url)) {
      s.write(TestDatasets.tiny());
    }
    try (Connection c = TestPostgis.connect();
        Statement st = c.createStatement()) {
      st.execute("SET search_path TO \"" + schema + "\", public");
      // in a transaction marked as the server's (as its writes are), so that the triggers for
      // other programs let the rows through: the constraints alone refuse them
      c.setAutoCommit(false);
      st.execute("SET LOCAL gridmap.writer = 'server'");
      // a street of district 500103 whose code says district 500104
      assertThatThrownBy(
              () ->
                  st.execute(
                      "INSERT INTO streets (fid, geom, code, district_code) VALUES (9, "
                          + "ST_GeomFromText('POLYGON((106 29, 106.1 29, 106.1 29.1, 106 29))', 4326),"
                          + " '500104099', '500103')"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("check constraint");
      c.rollback();
      st.execute("SET LOCAL gridmap.writer = 'server'");
      // a village of a street that does not exist: refused when the transaction commits
      st.execute(
          "INSERT INTO villages (fid, geom, code, street_code, district_code) VALUES"
              + " (9, ST_GeomFromText('POLYGON((106 29, 106.1 29, 106.1 29.1, 106 29))',"
              + " 4326), '500103999001', '500103999', '500103')");
      assertThatThrownBy(c::commit)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("foreign key");
    }
  }

  @Test
  void theMigrationIsRecordedOnceAndASecondOpenAppliesNothing() throws SQLException {
    for (int i = 0; i < 2; i++) {
      try (FeatureStore s = Stores.open(url)) {
        s.logRange();
      }
    }
    try (Connection c = TestPostgis.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT version, success FROM \""
                    + schema
                    + "\".flyway_schema_history"
                    + " WHERE version IS NOT NULL ORDER BY installed_rank")) {
      List<String> applied = new ArrayList<>();
      while (rs.next()) {
        assertThat(rs.getBoolean(2)).isTrue();
        applied.add(rs.getString(1));
      }
      assertThat(applied)
          .containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13");
    }
  }

  private static Dataset replace(Dataset d, Layer layer) {
    List<Layer> layers = new ArrayList<>();
    for (Layer l : d.layers().values()) {
      layers.add(l.name().equals(layer.name()) ? layer : l);
    }
    return Dataset.of(layers, d.metadata(), d.generalised());
  }
}
