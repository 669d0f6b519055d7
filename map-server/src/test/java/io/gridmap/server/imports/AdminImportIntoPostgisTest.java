package io.gridmap.server.imports;

import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestPostgis;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** An admin-layer import into a running server on a PostGIS store. */
class AdminImportIntoPostgisTest extends AdminImportLiveContract {
  private final String schema = TestPostgis.newSchema();

  @Override
  TestServer start() throws Exception {
    String url = TestPostgis.storeUrl(schema);
    try (FeatureStore s = Stores.open(url)) {
      s.write(TestCity.small());
    }
    return TestServer.startOnStore(url, Map.of());
  }

  @AfterEach
  void drop() {
    TestPostgis.drop(schema);
  }
}
