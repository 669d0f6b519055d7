package io.gridmap.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.edit.FeatureVersion;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestPostgis;
import io.gridmap.server.testing.MvtFeatures;
import io.gridmap.server.testing.OldRelease;
import io.gridmap.server.testing.ServerProcess;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Point;

/**
 * A schema migration applied while nodes of the old and the new release run side by side (issue 11,
 * point 6: a rolling upgrade). The old release is real old code: the server built from the git
 * commit {@link #OLD_COMMIT} ({@link OldRelease}), in processes of its own beside the new one (this
 * build's classes), all on one PostGIS schema and one cluster, as {@link ClusterProcessTest} runs
 * them. The steps are one upgrade, in order, each a test named for what it shows; a step after one
 * that failed fails at once, saying which:
 *
 * <ol>
 *   <li>the old release generates a city: the schema is at the old release's migrations;
 *   <li>two old nodes A and B write through either and both show it;
 *   <li>B stopped (SIGTERM) and a new node B' started in its place migrates the schema while old A
 *       holds the turn to write and goes on writing;
 *   <li>writes through old A and new B' (forwarded to A, across versions) and a row changed by
 *       another program with SQL reach both nodes' items and live streams within 10 s;
 *   <li>A stopped: B' takes over writing; a new A' joins, and writes through both work;
 *   <li>every acknowledged write of all steps is in the store once and shown by both nodes;
 *   <li>a rollback: an old node restarted on the migrated schema starts (Flyway ignores the
 *       migration it does not know) and serves the map with every change, and a write through it.
 * </ol>
 *
 * {@link #theNewReleaseMigratesTheSchemaBeyondTheOldOne} checks apart that there is a migration to
 * roll over: it fails while this tree has no migration newer than {@link #OLD_COMMIT}, the steps
 * still run.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RollingUpgradeTest {
  /**
   * The release the upgrade starts from: the last commit before the newest schema migration
   * (layers/.../store/pg/migration/V*.sql), so that the test upgrades across it. When a commit adds
   * a migration, the next commit moves this to that commit's parent ({@code git rev-parse
   * <commit>^}). {@code GRIDMAP_UPGRADE_FROM=<commit>} in the environment tries an upgrade from
   * another.
   */
  static final String OLD_COMMIT = "25f45c68048798268565f67f0e13792a245e7206";

  /** Short turns, so that a takeover is quick to test; the default is 8 s. */
  private static final int TURN_S = 4;

  /** How long a change may take to show on every node (issue 11). */
  private static final long VISIBLE_S = 10;

  @TempDir static Path dir;
  private final String schema = TestPostgis.newSchema();
  private final String url = TestPostgis.storeUrl(schema);
  private OldRelease old;
  private List<Integer> clusterPorts;

  /** The nodes now running, by name: A and B, then B' and A'. */
  private final Map<String, ServerProcess> nodes = new LinkedHashMap<>();

  private final List<ServerProcess> started = new ArrayList<>();

  /** The forces the steps move through the server. */
  private final List<Long> forces = new ArrayList<>();

  /** The force another program moves with SQL. */
  private long sqlMoved;

  /** Every acknowledged write through the server, in order: force and "lon,lat". */
  private final List<Map.Entry<Long, String>> acked =
      Collections.synchronizedList(new ArrayList<>());

  /** Where each force should be now. */
  private final Map<Long, String> latest = new ConcurrentHashMap<>();

  private final AtomicInteger positions = new AtomicInteger();
  private String failedStep;

  @AfterAll
  void stop() {
    for (ServerProcess n : started) {
      n.close();
    }
    TestPostgis.drop(schema);
  }

  private interface Step {
    void run() throws Exception;
  }

  /** Runs a step unless an earlier one failed; a failure here fails the steps after it. */
  private void step(String name, Step step) throws Exception {
    assertThat(failedStep).as("an earlier step failed: %s", failedStep).isNull();
    try {
      step.run();
    } catch (Exception | AssertionError e) {
      failedStep = name;
      throw e;
    }
  }

  private OldRelease old() throws Exception {
    if (old == null) {
      String from = System.getenv("GRIDMAP_UPGRADE_FROM");
      old = OldRelease.at(from == null || from.isBlank() ? OLD_COMMIT : from.strip());
    }
    return old;
  }

  @Test
  @Order(0)
  void theNewReleaseMigratesTheSchemaBeyondTheOldOne() throws Exception {
    TreeSet<Integer> before = old().migrations();
    TreeSet<Integer> now = OldRelease.currentMigrations();
    assertThat(now).as("the new release keeps every migration of the old").containsAll(before);
    assertThat(now.last())
        .as(
            "the newest migration of this tree (V%d) is newer than the old release's (V%d at %s):"
                + " if it is not, OLD_COMMIT is not the last commit before the newest migration",
            now.last(), before.last(), old().commit)
        .isGreaterThan(before.last());
  }

  @Test
  @Order(1)
  void theOldReleaseGeneratesACityAtItsOwnMigrations() throws Exception {
    step(
        "the old release generates a city",
        () -> {
          old()
              .run(
                  "generate",
                  "--store",
                  url,
                  "--scale",
                  "0.05",
                  "--districts",
                  "500103",
                  "--config",
                  ServerProcess.config(dir).toString());
          assertThat(schemaVersions()).isEqualTo(old().migrations());
          try (Connection c = TestPostgis.connect();
              Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + schema);
            try (ResultSet rs = s.executeQuery("SELECT fid FROM forces ORDER BY fid LIMIT 4")) {
              while (rs.next()) {
                forces.add(rs.getLong(1));
              }
            }
          }
          assertThat(forces).hasSize(4);
          sqlMoved = forces.remove(3);
          clusterPorts = ServerProcess.freePorts(2);
        });
  }

  @Test
  @Order(2)
  void twoOldNodesTakeWritesThroughEitherAndBothShowThem() throws Exception {
    step(
        "two old nodes",
        () -> {
          ServerProcess a = startOld(0, "A");
          ServerProcess b = startOld(1, "B");
          b.awaitLog("Members {size:2");
          ackedWrite(a, forces.get(0));
          ackedWrite(b, forces.get(1)); // forwarded to A, the writer
          awaitLatestOn(a, b);
        });
  }

  @Test
  @Order(3)
  void aNewNodeMigratesTheSchemaWhileTheOldWriterKeepsWriting() throws Exception {
    step(
        "a new node migrates the schema",
        () -> {
          ServerProcess a = nodes.get("A");
          // A writes on, one position after another, all through B's replacement and its migration
          AtomicBoolean stop = new AtomicBoolean();
          List<String> refused = Collections.synchronizedList(new ArrayList<>());
          AtomicInteger during = new AtomicInteger();
          Thread stream =
              new Thread(
                  () -> {
                    while (!stop.get()) {
                      try {
                        String p = nextPosition();
                        HttpResponse<String> r = write(a, forces.get(2), p);
                        if (r.statusCode() == 200) {
                          acked(forces.get(2), p);
                          during.incrementAndGet();
                        } else {
                          refused.add(r.statusCode() + " " + r.body());
                        }
                        Thread.sleep(20);
                      } catch (Exception e) {
                        refused.add(e.toString());
                        return;
                      }
                    }
                  });
          stream.start();
          try {
            Thread.sleep(300);
            nodes.remove("B").stop();
            int beforeNewNode = during.get();
            ServerProcess b2 = startNew(1, "B'");
            b2.awaitLog("Members {size:2");
            assertThat(during.get())
                .as("A's writes acknowledged while B' started and migrated")
                .isGreaterThan(beforeNewNode);
            Thread.sleep(500);
          } finally {
            stop.set(true);
            stream.join(TimeUnit.SECONDS.toMillis(70));
          }
          assertThat(refused).as("writes through old A, the writer all along").isEmpty();
          assertThat(schemaVersions())
              .as("the schema after B' started: this release's migrations")
              .isEqualTo(OldRelease.currentMigrations());
          assertThat(failedMigrations()).isZero();
        });
  }

  @Test
  @Order(4)
  void writesThroughOldAndNewNodesAndAnotherProgramsRowsReachBothNodesAndTheirLiveStreams()
      throws Exception {
    step(
        "mixed versions: writes and other programs' rows",
        () -> {
          ServerProcess a = nodes.get("A");
          ServerProcess b2 = nodes.get("B'");
          Map<String, LinkedBlockingQueue<String>> live = new LinkedHashMap<>();
          List<WebSocket> sockets = new ArrayList<>();
          try {
            for (var n : nodes.entrySet()) {
              LinkedBlockingQueue<String> q = new LinkedBlockingQueue<>();
              sockets.add(n.getValue().subscribe("layers=forces", q));
              live.put(n.getKey(), q);
            }
            // a node registers a subscriber on its stream's own thread after the handshake, and
            // says so first: a write before that is not streamed to it (this step flaked once on a
            // loaded CI machine, a position missing from B''s stream)
            for (var q : live.entrySet()) {
              String first = q.getValue().poll(VISIBLE_S, TimeUnit.SECONDS);
              assertThat(first)
                  .as("%s's live stream says it subscribed first", q.getKey())
                  .contains("\"subscribed\"");
            }
            List<String> expected = new ArrayList<>();
            expected.add(ackedWrite(a, forces.get(0)));
            // B' forwards to old A, and answers once it shows the write itself
            String forwarded = ackedWrite(b2, forces.get(1));
            assertThat(b2.position(forces.get(1)))
                .as("read your own write on B'")
                .isEqualTo(forwarded);
            expected.add(forwarded);
            // another program moves a force and renames a key site, with plain SQL
            String moved = nextPosition();
            String[] lonLat = moved.split(",");
            String siteName = "rolling upgrade " + System.nanoTime();
            sql(
                "UPDATE forces SET geom = ST_SetSRID(ST_MakePoint("
                    + lonLat[0]
                    + ", "
                    + lonLat[1]
                    + "), 4326) WHERE fid = "
                    + sqlMoved,
                "UPDATE key_sites SET name = '"
                    + siteName
                    + "' WHERE fid = (SELECT min(fid) FROM key_sites)");
            latest.put(sqlMoved, moved);
            expected.add(moved);
            awaitLatestOn(a, b2);
            long site = firstKeySite();
            for (ServerProcess n : List.of(a, b2)) {
              awaitBody(n, "/collections/key_sites/items/" + site, siteName);
            }
            for (var q : live.entrySet()) {
              awaitLive(q.getKey(), q.getValue(), expected);
            }
          } finally {
            sockets.forEach(WebSocket::abort);
          }
        });
  }

  @Test
  @Order(5)
  void theNewNodeTakesOverWritingWhenTheOldWriterStopsAndANewNodeJoins() throws Exception {
    step(
        "B' takes over from A",
        () -> {
          ServerProcess b2 = nodes.get("B'");
          nodes.remove("A").stop();
          long stopped = System.nanoTime();
          // B' writes once A's turn has ended (A does not give it back when it stops)
          long deadline = stopped + TimeUnit.SECONDS.toNanos(VISIBLE_S + TURN_S);
          String p = nextPosition();
          HttpResponse<String> r = write(b2, forces.get(0), p);
          while (r.statusCode() != 200 && System.nanoTime() < deadline) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            Thread.sleep(200);
            r = write(b2, forces.get(0), p);
          }
          assertThat(r.statusCode()).as("B' writes after A stopped: " + r.body()).isEqualTo(200);
          acked(forces.get(0), p);
          System.out.printf(
              "B' wrote %d ms after A stopped (turns of %d s)%n",
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped), TURN_S);
          ServerProcess a2 = startNew(0, "A'");
          a2.awaitLog("Members {size:2");
          ackedWrite(a2, forces.get(1)); // forwarded to B'
          ackedWrite(b2, forces.get(2));
          awaitLatestOn(a2, b2);
        });
  }

  @Test
  @Order(6)
  void everyAcknowledgedWriteIsInTheStoreOnceAndOnBothNodes() throws Exception {
    step(
        "every acknowledged write, once",
        () -> {
          List<ServerProcess> both = List.copyOf(nodes.values());
          awaitLatestOn(both.toArray(ServerProcess[]::new));
          assertSameTiles(both.get(0), both.get(1));
          Map<Long, List<String>> history = new HashMap<>();
          try (FeatureStore s = Stores.open(url)) {
            for (long f : forces) {
              List<String> h = new ArrayList<>();
              for (FeatureVersion v : s.history("forces", f)) {
                Point p = (Point) v.feature().geometry();
                h.add(p.getX() + "," + p.getY());
              }
              history.put(f, h);
            }
          }
          synchronized (acked) {
            assertThat(acked).as("acknowledged writes").hasSizeGreaterThan(10);
            for (var w : acked) {
              assertThat(Collections.frequency(history.get(w.getKey()), w.getValue()))
                  .as("force %d at %s in the store's history", w.getKey(), w.getValue())
                  .isEqualTo(1);
            }
          }
          // each write is logged once: a change-log entry per acknowledged write of these forces
          long logged = 0;
          for (long f : forces) {
            logged +=
                count(
                    "SELECT count(*) FROM change_log WHERE layer = 'forces' AND "
                        + f
                        + " = ANY(fids)");
          }
          assertThat(logged).as("change-log entries of the forces written").isEqualTo(acked.size());
        });
  }

  @Test
  @Order(7)
  void anOldNodeRestartedOnTheMigratedSchemaServesEveryChangeAndForwardsWrites() throws Exception {
    step(
        "rollback to an old node",
        () -> {
          ServerProcess b2 = nodes.get("B'");
          nodes.remove("A'").stop();
          ServerProcess back = startOld(0, "A (rolled back)");
          back.awaitLog("Members {size:2");
          awaitLatestOn(back, b2);
          assertSameTiles(back, b2);
          ackedWrite(back, forces.get(0)); // forwarded to B', the new writer
          awaitLatestOn(back, b2);
          assertThat(schemaVersions())
              .as("the old node leaves the newer migrations as they are")
              .isEqualTo(OldRelease.currentMigrations());
          assertThat(failedMigrations()).isZero();
        });
  }

  private ServerProcess startOld(int node, String name) throws Exception {
    return started(
        name,
        ServerProcess.start(
            old().classpath(),
            url,
            ServerProcess.clusterConfig(dir, node, clusterPorts, TURN_S),
            List.of("-Xmx512m")));
  }

  private ServerProcess startNew(int node, String name) throws Exception {
    return started(
        name,
        ServerProcess.start(
            url,
            ServerProcess.clusterConfig(dir, node, clusterPorts, TURN_S),
            List.of("-Xmx512m")));
  }

  private ServerProcess started(String name, ServerProcess p) {
    started.add(p);
    nodes.put(name, p);
    return p;
  }

  /**
   * A position not written before, within the city: whole 1e-5 steps, printed and parsed back as
   * the server keeps them.
   */
  private String nextPosition() {
    int i = positions.getAndIncrement();
    double lon = Double.parseDouble(String.format(Locale.ROOT, "%.5f", 106.49 + (i % 1000) * 1e-5));
    double lat = Double.parseDouble(String.format(Locale.ROOT, "%.5f", 29.55 + (i / 1000) * 1e-5));
    return lon + "," + lat;
  }

  private static HttpResponse<String> write(ServerProcess node, long force, String lonLat)
      throws Exception {
    String body =
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"id\":"
            + force
            + ",\"geometry\":{\"type\":\"Point\",\"coordinates\":["
            + lonLat
            + "]},\"properties\":{}}]}";
    return node.postLater("/live/positions", "application/geo+json", body)
        .get(60, TimeUnit.SECONDS);
  }

  /** Moves a force to a new position through {@code node}, which must acknowledge it. */
  private String ackedWrite(ServerProcess node, long force) throws Exception {
    String p = nextPosition();
    HttpResponse<String> r = write(node, force, p);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    acked(force, p);
    return p;
  }

  private void acked(long force, String lonLat) {
    acked.add(Map.entry(force, lonLat));
    latest.put(force, lonLat);
  }

  /** Waits (10 s at most) until every node shows every force where it should be now. */
  private void awaitLatestOn(ServerProcess... on) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(VISIBLE_S);
    Map<String, String> wrong = new LinkedHashMap<>();
    do {
      wrong.clear();
      for (var f : latest.entrySet()) {
        for (int i = 0; i < on.length; i++) {
          String shown = on[i].position(f.getKey());
          if (!shown.equals(f.getValue())) {
            wrong.put(name(on[i]) + " force " + f.getKey(), shown + " instead of " + f.getValue());
          }
        }
      }
      if (!wrong.isEmpty()) {
        Thread.sleep(100);
      }
    } while (!wrong.isEmpty() && System.nanoTime() < deadline);
    assertThat(wrong).as("positions shown within %d s", VISIBLE_S).isEmpty();
  }

  private String name(ServerProcess p) {
    return nodes.entrySet().stream()
        .filter(e -> e.getValue() == p)
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse(p.base);
  }

  private static void awaitBody(ServerProcess node, String path, String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(VISIBLE_S);
    String body = node.get(path).body();
    while (!body.contains(text) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      body = node.get(path).body();
    }
    assertThat(body).as("%s on %s within %d s", path, node.base, VISIBLE_S).contains(text);
  }

  /** Waits (10 s at most) until a live subscriber got every position in {@code expected}. */
  private static void awaitLive(
      String node, LinkedBlockingQueue<String> live, List<String> expected) throws Exception {
    List<String> missing = new ArrayList<>(expected);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(VISIBLE_S);
    while (!missing.isEmpty() && System.nanoTime() < deadline) {
      String m = live.poll(100, TimeUnit.MILLISECONDS);
      if (m != null) {
        missing.removeIf(m::contains);
      }
    }
    assertThat(missing)
        .as("positions missing from %s's live stream after %d s", node, VISIBLE_S)
        .isEmpty();
  }

  /** Both nodes draw the forces alike on the z14 tile the forces were moved within. */
  private void assertSameTiles(ServerProcess a, ServerProcess b) throws Exception {
    String tile = ServerProcess.tilePath(14, 106.495, 29.55);
    HttpResponse<byte[]> ta = a.getBytes(tile);
    HttpResponse<byte[]> tb = b.getBytes(tile);
    assertThat(ta.statusCode()).isEqualTo(200);
    assertThat(tb.statusCode()).isEqualTo(200);
    Map<Long, Coordinate> fa = MvtFeatures.of(ta.body()).positions("forces");
    Map<Long, Coordinate> fb = MvtFeatures.of(tb.body()).positions("forces");
    assertThat(fa).containsKeys(forces.toArray(Long[]::new));
    assertThat(fb).as("the forces on %s's tile against %s's", name(b), name(a)).isEqualTo(fa);
  }

  /** The versions in flyway_schema_history, applied successfully. */
  private TreeSet<Integer> schemaVersions() throws SQLException {
    TreeSet<Integer> versions = new TreeSet<>();
    try (Connection c = TestPostgis.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT version FROM \""
                    + schema
                    + "\".flyway_schema_history WHERE success AND version IS NOT NULL")) {
      while (rs.next()) {
        versions.add(Integer.parseInt(rs.getString(1)));
      }
    }
    return versions;
  }

  private long failedMigrations() throws SQLException {
    return count("SELECT count(*) FROM flyway_schema_history WHERE NOT success");
  }

  private long firstKeySite() throws SQLException {
    return count("SELECT min(fid) FROM key_sites");
  }

  private long count(String query) throws SQLException {
    try (Connection c = TestPostgis.connect();
        Statement s = c.createStatement()) {
      s.execute("SET search_path TO \"" + schema + "\", public");
      try (ResultSet rs = s.executeQuery(query)) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Statements of another program: its own session and search path, no setting of ours. */
  private void sql(String... statements) throws SQLException {
    try (Connection c = TestPostgis.connect();
        Statement s = c.createStatement()) {
      s.execute("SET search_path TO \"" + schema + "\", public");
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }
}
