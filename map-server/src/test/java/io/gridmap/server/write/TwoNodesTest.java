package io.gridmap.server.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestDatasets;
import io.gridmap.layers.testing.TestPostgis;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two server nodes on one PostGIS store, the first step of issue 11's cluster (in one JVM here;
 * forwarding and the process tests come with it): the node started first takes the turn to write;
 * the other answers writes 503 with Retry-After (nothing written) and shows the writer's changes
 * within 10 s, read from the change log.
 */
class TwoNodesTest {
  private final String schema = TestPostgis.newSchema();

  @AfterEach
  void drop() {
    TestPostgis.drop(schema);
  }

  private static HttpResponse<String> move(TestServer node, double lon) throws Exception {
    return node.send(
        "POST",
        "/live/positions",
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"id\":1,"
            + "\"geometry\":{\"type\":\"Point\",\"coordinates\":["
            + lon
            + ",29.0111]},\"properties\":{}}]}",
        "Authorization",
        node.bearer(Role.ADMIN, ""),
        "Content-Type",
        "application/geo+json");
  }

  @Test
  void oneNodeWritesTheOtherRefusesWritesAndShowsTheWritersChanges() throws Exception {
    String url = TestPostgis.storeUrl(schema);
    try (FeatureStore s = Stores.open(url)) {
      s.write(TestDatasets.tiny());
    }
    try (TestServer a = TestServer.startOnStore(url, Map.of());
        TestServer b = TestServer.startOnStore(url, Map.of())) {
      HttpResponse<String> refused = move(b, 106.0155);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");

      assertThat(move(a, 106.0166).statusCode()).isEqualTo(200);
      String admin = b.bearer(Role.ADMIN, "");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      String item = "";
      while (System.nanoTime() < deadline && !item.contains("106.0166")) {
        item = b.getText("/collections/forces/items/1", "Authorization", admin).body();
        Thread.sleep(200);
      }
      assertThat(item).as("the writer's change on the other node").contains("[106.0166,29.0111]");
    }
  }
}
