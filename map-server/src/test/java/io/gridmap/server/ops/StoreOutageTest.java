package io.gridmap.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestDatasets;
import io.gridmap.layers.testing.TestPostgis;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TcpProxy;
import io.gridmap.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The database goes away under a running server and comes back: a TCP proxy the test owns sits
 * between the server and PostgreSQL and is cut, then restored (the shared PostgreSQL itself is
 * never stopped). While it is cut, {@code /health} says the store is unavailable, writes are
 * answered 503 with {@code Retry-After} and nothing is written, and tiles and items are served from
 * memory; once it is back the server reconnects by itself and takes writes again.
 */
class StoreOutageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String schema = TestPostgis.newSchema();

  @AfterEach
  void dropSchema() {
    TestPostgis.drop(schema);
  }

  @Test
  void writesWaitWith503WhileTheDatabaseIsAwayReadsGoOnAndItReconnectsByItself() throws Exception {
    String[] target = TestPostgis.hostAndPort();
    try (TcpProxy proxy = new TcpProxy(target[0], Integer.parseInt(target[1]))) {
      String url = TestPostgis.storeUrlVia(schema, proxy.port());
      try (FeatureStore s = Stores.open(url)) {
        s.write(TestDatasets.tiny());
      }
      try (TestServer server = TestServer.startOnStore(url, Map.of())) {
        String admin = server.bearer(Role.ADMIN, "");
        assertThat(move(server, admin, 106.0111, 29.0111).statusCode()).isEqualTo(200);
        assertThat(awaitHealth(server, h -> h.path("store").path("status").asText().equals("up")))
            .isTrue();
        // where the database is, is for staff only
        assertThat(server.getText("/health").body()).doesNotContain("127.0.0.1", "source");
        assertThat(server.getText("/health", "Authorization", admin).body())
            .contains("\"source\":\"postgresql://127.0.0.1:" + proxy.port());

        proxy.cut();

        assertThat(
                awaitHealth(
                    server, h -> h.path("store").path("status").asText().equals("unavailable")))
            .as("/health says so within 10 s")
            .isTrue();
        HttpResponse<String> refused = move(server, admin, 106.0122, 29.0122);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(refused.headers().firstValue("Content-Type"))
            .hasValue("application/problem+json");
        assertThat(refused.body()).contains("nothing was written");
        // reads go on from memory, with the last position that was written
        assertThat(server.get("/tiles/cq/14/13016/6811.mvt").statusCode()).isEqualTo(200);
        HttpResponse<String> item =
            server.getText("/collections/forces/items/1", "Authorization", admin);
        assertThat(item.statusCode()).isEqualTo(200);
        assertThat(item.body()).contains("[106.0111,29.0111]");

        proxy.restore();

        assertThat(awaitHealth(server, h -> h.path("store").path("status").asText().equals("up")))
            .as("back by itself within 10 s")
            .isTrue();
        HttpResponse<String> again = move(server, admin, 106.0133, 29.0133);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
      }
      // the refused write never reached the database; the ones before and after did
      try (Connection c = TestPostgis.connect();
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT ST_X(geom), (SELECT count(*) FROM \""
                      + schema
                      + "\".change_log) FROM \""
                      + schema
                      + "\".forces WHERE fid = 1")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getDouble(1)).isEqualTo(106.0133);
        assertThat(rs.getLong(2)).isEqualTo(2);
      }
    }
  }

  private static HttpResponse<String> move(TestServer server, String auth, double lon, double lat)
      throws Exception {
    return server.send(
        "POST",
        "/live/positions",
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"id\":1,"
            + "\"geometry\":{\"type\":\"Point\",\"coordinates\":["
            + lon
            + ","
            + lat
            + "]},\"properties\":{}}]}",
        "Authorization",
        auth,
        "Content-Type",
        "application/geo+json");
  }

  private static boolean awaitHealth(TestServer server, Predicate<JsonNode> until)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      JsonNode h = JSON.readTree(server.getText("/health").body());
      if (until.test(h)) {
        return true;
      }
      Thread.sleep(200);
    }
    return false;
  }
}
