package io.gridmap.server.imports;

import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.util.Map;

/** An admin-layer import into a running server on a GeoPackage store. */
class AdminImportIntoGeoPackageTest extends AdminImportLiveContract {
  @Override
  TestServer start() throws Exception {
    return TestServer.startWithStore(TestCity.small(), Map.of());
  }
}
