package io.gridmap.layers.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.ImportedLayerContract;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestImports;
import io.gridmap.layers.testing.TestPostgis;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The imported-layer contract on PostGIS, and what other programs see of an import there. */
class PostgisImportTest extends ImportedLayerContract {
  private final String schema = TestPostgis.newSchema();

  @Override
  protected String location() {
    return TestPostgis.storeUrl(schema);
  }

  @AfterEach
  void dropSchema() {
    TestPostgis.drop(schema);
  }

  @Test
  void theImportedTableIsTypedLikeACatalogueTableWithAGistIndexAndTheAuditEntry() throws Exception {
    try (FeatureStore s = Stores.open(location())) {
      s.replaceLayer(TestImports.roster());
      s.replaceLayer(TestImports.parks());
      s.replaceLayer(TestImports.parksAgain());
    }
    try (Connection c = TestPostgis.connect();
        Statement st = c.createStatement()) {
      List<String> columns = new ArrayList<>();
      try (ResultSet rs =
          st.executeQuery(
              "SELECT column_name || ' ' || data_type FROM information_schema.columns WHERE"
                  + " table_schema = '"
                  + schema
                  + "' AND table_name = 'duty_roster' ORDER BY ordinal_position")) {
        while (rs.next()) {
          columns.add(rs.getString(1));
        }
      }
      assertThat(columns)
          .containsExactly(
              "fid bigint",
              "geom USER-DEFINED",
              "personal boolean",
              "officer text",
              "post text",
              "shift_count bigint",
              "rating double precision",
              "armed boolean",
              "on_duty_since timestamp with time zone");
      try (ResultSet rs =
          st.executeQuery(
              "SELECT Find_SRID('"
                  + schema
                  + "', 'parks', 'geom'), count(*) FROM \""
                  + schema
                  + "\".parks")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(4326);
        assertThat(rs.getInt(2)).isEqualTo(2);
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT indexdef FROM pg_indexes WHERE schemaname = '"
                  + schema
                  + "' AND tablename = 'parks' AND indexdef LIKE '%gist%'")) {
        assertThat(rs.next()).isTrue();
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT count(*) FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid JOIN"
                  + " pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = '"
                  + schema
                  + "' AND r.relname IN ('parks', 'duty_roster') AND NOT t.tgisinternal")) {
        rs.next();
        assertThat(rs.getInt(1)).as("external-change triggers on imported tables").isZero();
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT entry->>'layer', entry->>'source' FROM \""
                  + schema
                  + "\".audit_log ORDER BY id")) {
        List<String> entries = new ArrayList<>();
        while (rs.next()) {
          entries.add(rs.getString(1) + " " + rs.getString(2));
        }
        assertThat(entries).containsExactly("duty_roster 公园.shp", "parks 公园.shp", "parks 公园.shp");
      }
    }
  }

  @Test
  void aFailedImportLeavesNoAuditEntry() throws Exception {
    try (FeatureStore s = Stores.open(location())) {
      var again = TestImports.parksAgain();
      var broken = new java.util.HashMap<>(again.generalised());
      var z12 = new java.util.HashMap<>(broken.get(12));
      z12.put(11L, null);
      broken.put(12, z12);
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  s.replaceLayer(
                      new io.gridmap.layers.store.LayerImport(
                          again.def(), again.features(), broken, again.audit())))
          .isInstanceOf(RuntimeException.class);
    }
    try (Connection c = TestPostgis.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT (SELECT count(*) FROM \""
                    + schema
                    + "\".audit_log), to_regclass('\""
                    + schema
                    + "\".parks') IS NULL")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
      assertThat(rs.getBoolean(2)).isTrue();
    }
  }
}
