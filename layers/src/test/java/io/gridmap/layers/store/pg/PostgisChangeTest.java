package io.gridmap.layers.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.StoreChangeContract;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestDatasets;
import io.gridmap.layers.testing.TestPostgis;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The change contract on PostGIS, and what other programs see of a change in its tables. */
class PostgisChangeTest extends StoreChangeContract {
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
  void aMoveIsInTheTableWhereQgisOrAWorkOrderSystemReadsItWithItsGistIndexedGeometry()
      throws Exception {
    Feature force = feature(tiny, "forces", 1);
    try (FeatureStore s = Stores.open(location())) {
      Feature moved = new Feature(1, TestDatasets.point(106.021, 29.031), force.values(), false);
      s.apply(Change.of("forces", List.of(new Change.Replacement(force, moved))), WHO);
    }
    try (Connection c = TestPostgis.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT ST_X(geom), ST_Y(geom), ST_SRID(geom) FROM \""
                    + schema
                    + "\".forces WHERE ST_DWithin(geom, ST_SetSRID(ST_MakePoint(106.021, 29.031),"
                    + " 4326), 1e-9)")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getDouble(1)).isEqualTo(106.021);
      assertThat(rs.getDouble(2)).isEqualTo(29.031);
      assertThat(rs.getInt(3)).isEqualTo(4326);
      assertThat(rs.next()).isFalse();
    }
  }
}
