package io.gridmap.layers.store.pg;

import io.gridmap.layers.store.StoreTrackContract;
import io.gridmap.layers.testing.TestPostgis;
import org.junit.jupiter.api.AfterEach;

/** The track contract on PostGIS (fails, never skips, without a PostGIS to reach). */
class PostgisTrackTest extends StoreTrackContract {
  private final String schema = TestPostgis.newSchema();

  @Override
  protected String location() {
    return TestPostgis.storeUrl(schema);
  }

  @AfterEach
  void dropSchema() {
    TestPostgis.drop(schema);
  }
}
