package io.gridmap.server.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestDatasets;
import io.gridmap.layers.testing.TestPostgis;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Other systems write into the PostGIS tables with plain SQL, as a work-order system would: a force
 * moved and an incident inserted reach the running server's items, tiles and live stream within 10
 * s, through the triggers that log them in the change log. What the tables refuse from them (a
 * delete, a redrawn boundary, a new grid) is refused by the database itself, with a message that
 * says what to do instead.
 */
class ExternalWritesTest {
  private final String schema = TestPostgis.newSchema();
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    String url = TestPostgis.storeUrl(schema);
    try (FeatureStore s = Stores.open(url)) {
      s.write(TestDatasets.tiny());
    }
    server = TestServer.startOnStore(url, Map.of());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    TestPostgis.drop(schema);
  }

  private void sql(String statement) throws SQLException {
    try (Connection c = TestPostgis.connect();
        Statement st = c.createStatement()) {
      // another program's session: its own search path, no setting of ours
      st.execute("SET search_path TO \"" + schema + "\", public");
      st.execute(statement);
    }
  }

  @Test
  void aRowMovedAndARowInsertedBySqlReachItemsTilesAndTheLiveStream() throws Exception {
    String admin = server.bearer(Role.ADMIN, "");
    String tile = "/tiles/cq/14/13016/6811.mvt";
    String etagBefore = server.get(tile).headers().firstValue("ETag").orElseThrow();
    try (LiveClient live = LiveClient.connect(server, "?layers=forces,events", admin)) {
      sql(
          "UPDATE forces SET geom = ST_SetSRID(ST_MakePoint(106.0144, 29.0144), 4326), on_duty = false WHERE fid = 2");
      sql(
          "INSERT INTO events (fid, geom, category, board, urgency, status, reported_at, grid_code,"
              + " source, pinned, overdue, revision, updated_at) VALUES (4242, ST_SetSRID(ST_MakePoint(106.0112,"
              + " 29.0112), 4326), 'manhole_cover', 'safety_law', 'urgent', 'reported', now(),"
              + " '500103001001001', 'system', false, false, 1, now())");

      boolean movedSeen = false;
      boolean reportSeen = false;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while ((!movedSeen || !reportSeen) && System.nanoTime() < deadline) {
        JsonObject m = live.next();
        if (m.getJsonArray("features") == null) {
          continue;
        }
        for (Long id : LiveClient.ids(m)) {
          movedSeen |= id == 2L;
          reportSeen |= id == 4242L;
        }
      }
      assertThat(movedSeen).as("the moved force on the live stream within 10 s").isTrue();
      assertThat(reportSeen).as("the inserted incident on the live stream within 10 s").isTrue();
    }
    HttpResponse<String> force =
        server.getText("/collections/forces/items/2", "Authorization", admin);
    assertThat(force.body()).contains("[106.0144,29.0144]").contains("\"on_duty\":false");
    HttpResponse<String> report =
        server.getText("/collections/events/items/4242", "Authorization", admin);
    assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
    assertThat(report.body()).contains("manhole_cover");
    assertThat(server.get(tile).headers().firstValue("ETag").orElseThrow())
        .as("the tile holding both shows them")
        .isNotEqualTo(etagBefore);
  }

  @Test
  void whatOtherSystemsMayNotDoIsRefusedByTheDatabaseSayingWhatToDoInstead() {
    assertThatThrownBy(
            () -> sql("DELETE FROM events WHERE fid IN (SELECT fid FROM events LIMIT 1)"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("are not deleted by other systems");
    assertThatThrownBy(
            () -> sql("UPDATE grids SET geom = ST_Buffer(geom, 0.001) WHERE fid = 500103001001001"))
        .hasMessageContaining("through the server's edit API");
    assertThatThrownBy(
            () ->
                sql(
                    "INSERT INTO grids (fid, geom, code, village_code, street_code, district_code)"
                        + " SELECT 9, geom, '500103001001999', village_code, street_code,"
                        + " district_code FROM grids WHERE fid = 500103001001001"))
        .hasMessageContaining("added through the server's edit API");
  }

  @Test
  void aGridRenamedBySqlIsRenamedOnTheMap() throws Exception {
    sql("UPDATE grids SET name = '解放碑网格' WHERE fid = 500103001001001");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String body = "";
    while (System.nanoTime() < deadline && !body.contains("解放碑网格")) {
      body = server.getText("/collections/grids/items/500103001001001").body();
      Thread.sleep(200);
    }
    assertThat(body).contains("解放碑网格");
  }
}
