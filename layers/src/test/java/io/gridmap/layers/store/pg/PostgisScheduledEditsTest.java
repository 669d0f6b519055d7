package io.gridmap.layers.store.pg;

import io.gridmap.layers.store.StoreScheduledEditsContract;
import io.gridmap.layers.testing.TestPostgis;
import org.junit.jupiter.api.AfterEach;

/**
 * The scheduled-edits contract on PostGIS (migration V12), where several nodes' claims meet in one
 * table (fails, never skips, without a PostGIS to reach).
 */
class PostgisScheduledEditsTest extends StoreScheduledEditsContract {
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
