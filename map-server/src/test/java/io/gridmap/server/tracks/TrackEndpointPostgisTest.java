package io.gridmap.server.tracks;

import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestPostgis;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;

/** The track endpoint on a server over PostGIS (fails, never skips, without one). */
class TrackEndpointPostgisTest extends TrackEndpointContract {
  private final String schema = TestPostgis.newSchema();

  @Override
  TestServer start() throws Exception {
    String url = TestPostgis.storeUrl(schema);
    try (FeatureStore s = Stores.open(url)) {
      s.write(TestCity.small());
    }
    return TestServer.startOnStore(url, SETTINGS);
  }

  @AfterAll
  void dropSchema() throws Exception {
    stop();
    TestPostgis.drop(schema);
  }
}
