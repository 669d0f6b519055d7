package io.gridmap.server.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.store.Failpoint;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestDatasets;
import io.gridmap.layers.testing.TestPostgis;
import io.gridmap.server.testing.ServerProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write is one PostgreSQL transaction, proved with real kills: a server process on a PostGIS
 * store, started with a failpoint armed ({@link Failpoint}), takes a batch of three positions; the
 * test sees the writer parked at the failpoint (and, before the commit, its transaction open in
 * {@code pg_stat_activity}), kills the process with SIGKILL and restarts the server without the
 * failpoint. Parked inside the transaction: the store and the restarted server hold the old
 * positions, no history and no change-log entry. Parked right after the commit: all three new
 * positions, their history and one change-log entry naming the three. Never a mix.
 */
@Tag("slow")
class PostgisCrashTest {
  private static final long[] FORCES = {1, 2, 3};
  private static final double[][] TO = {
    {106.0101, 29.0101}, {106.0202, 29.0202}, {106.0303, 29.0303}
  };

  @TempDir Path dir;
  private final String schema = TestPostgis.newSchema();
  private final String url = TestPostgis.storeUrl(schema);
  private final List<ServerProcess> children = new ArrayList<>();
  private Path config;

  @BeforeEach
  void writeCity() throws IOException {
    try (FeatureStore s = Stores.open(url)) {
      s.write(TestDatasets.tiny());
    }
    config = ServerProcess.config(dir);
  }

  @AfterEach
  void cleanUp() {
    children.forEach(ServerProcess::close);
    TestPostgis.drop(schema);
  }

  @Test
  void killedInsideItsTransactionTheStoreHoldsTheOldPositions() throws Exception {
    ServerProcess server = start(Failpoint.BEFORE_COMMIT);
    CompletableFuture<HttpResponse<String>> answer = postPositions(server);
    server.awaitLog("failpoint " + Failpoint.BEFORE_COMMIT + ": parked");
    assertThat(openTransactions()).as("the writer's transaction, open while it is parked").isOne();
    assertThat(answer).as("nothing is acknowledged before the commit").isNotDone();

    server.kill();

    assertThat(storedState()).isEqualTo(State.OLD);
    ServerProcess again = start(null);
    for (int i = 0; i < FORCES.length; i++) {
      assertThat(position(again, FORCES[i])).isNotEqualTo(coordinates(TO[i]));
    }
  }

  @Test
  void killedRightAfterItsCommitTheStoreHoldsTheNewPositions() throws Exception {
    ServerProcess server = start(Failpoint.AFTER_COMMIT);
    postPositions(server);
    server.awaitLog("failpoint " + Failpoint.AFTER_COMMIT + ": parked");

    server.kill();

    assertThat(storedState()).isEqualTo(State.NEW);
    ServerProcess again = start(null);
    for (int i = 0; i < FORCES.length; i++) {
      assertThat(position(again, FORCES[i])).isEqualTo(coordinates(TO[i]));
    }
  }

  enum State {
    OLD,
    NEW
  }

  /**
   * What the tables say, read by plain SQL: every force, its history, the change log and the audit
   * log agree on the old state or on the new one, or the test fails naming the mix.
   */
  private State storedState() throws SQLException {
    int moved = 0;
    int versions = 0;
    List<Long> logged = new ArrayList<>();
    try (Connection c = TestPostgis.connect()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT ST_X(geom), ST_Y(geom) FROM \"" + schema + "\".forces WHERE fid = ?")) {
        for (int i = 0; i < FORCES.length; i++) {
          ps.setLong(1, FORCES[i]);
          try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            if (rs.getDouble(1) == TO[i][0] && rs.getDouble(2) == TO[i][1]) {
              moved++;
            }
          }
        }
      }
      try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT count(*) FROM \""
                      + schema
                      + "\".feature_history WHERE layer = 'forces'");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        versions = rs.getInt(1);
      }
      try (PreparedStatement ps =
              c.prepareStatement("SELECT unnest(fids) FROM \"" + schema + "\".change_log");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          logged.add(rs.getLong(1));
        }
      }
    }
    List<String> audited = new ArrayList<>();
    try (Connection c = TestPostgis.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT entry->>'action', seq FROM \"" + schema + "\".audit_log ORDER BY id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        audited.add(rs.getString(1) + "@" + rs.getLong(2));
      }
    }
    String seen =
        moved
            + " of 3 forces moved, "
            + versions
            + " history rows, change log "
            + logged
            + ", audit log "
            + audited;
    if (moved == 0 && versions == 0 && logged.isEmpty() && audited.isEmpty()) {
      return State.OLD;
    }
    // each moved force: its version before the change and the change's version
    if (moved == 3
        && versions == 6
        && logged.size() == 3
        && logged.containsAll(List.of(1L, 2L, 3L))
        && audited.size() == 1
        && audited.get(0).startsWith("positions@")) {
      return State.NEW;
    }
    throw new AssertionError("the store holds a mix: " + seen);
  }

  private long openTransactions() throws SQLException {
    try (Connection c = TestPostgis.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'gridmap'"
                    + " AND state = 'idle in transaction'"
                    + " AND (query ILIKE '%change_log%' OR query ILIKE '%audit_log%')")) {
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private CompletableFuture<HttpResponse<String>> postPositions(ServerProcess server) {
    StringBuilder body = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
    for (int i = 0; i < FORCES.length; i++) {
      body.append(i == 0 ? "" : ",")
          .append("{\"type\":\"Feature\",\"id\":")
          .append(FORCES[i])
          .append(",\"geometry\":{\"type\":\"Point\",\"coordinates\":")
          .append(coordinates(TO[i]))
          .append("},\"properties\":{}}");
    }
    body.append("]}");
    return server.postLater("/live/positions", "application/geo+json", body.toString());
  }

  private static String coordinates(double[] lonLat) {
    return "[" + lonLat[0] + "," + lonLat[1] + "]";
  }

  private ServerProcess start(String failpoint) throws Exception {
    ServerProcess server =
        ServerProcess.start(
            url,
            config,
            failpoint == null ? List.of() : List.of("-Dgridmap.failpoint=" + failpoint));
    children.add(server);
    return server;
  }

  /** A force's coordinates as a server serves them, e.g. "[106.0101,29.0101]". */
  private static String position(ServerProcess server, long force) throws Exception {
    HttpResponse<String> r = server.get("/collections/forces/items/" + force);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"coordinates\":(\\[[^\\]]*\\])").matcher(r.body());
    assertThat(m.find()).as(r.body()).isTrue();
    return m.group(1);
  }
}
