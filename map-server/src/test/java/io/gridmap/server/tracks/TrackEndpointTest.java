package io.gridmap.server.tracks;

import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;

/** The track endpoint on a server over a GeoPackage store. */
class TrackEndpointTest extends TrackEndpointContract {
  @Override
  TestServer start() throws Exception {
    return TestServer.startWithStore(TestCity.small(), SETTINGS);
  }
}
