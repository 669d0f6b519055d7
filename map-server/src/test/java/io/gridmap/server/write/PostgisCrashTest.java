package io.gridmap.server.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.store.Failpoint;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestDatasets;
import io.gridmap.layers.testing.TestPostgis;
import io.gridmap.server.cli.Main;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Process> children = new ArrayList<>();
  private Path config;

  @BeforeEach
  void writeCity() throws IOException {
    try (FeatureStore s = Stores.open(url)) {
      s.write(TestDatasets.tiny());
    }
    config = dir.resolve("server.conf");
    Files.writeString(
        config,
        String.join(
            "\n",
            "access_log = off",
            "token_secret_file = " + dir.resolve("token.secret"),
            "api_keys_file = " + dir.resolve("api_keys"),
            "audit_log = " + dir.resolve("audit.jsonl"),
            ""));
  }

  @AfterEach
  void cleanUp() {
    children.forEach(Process::destroyForcibly);
    TestPostgis.drop(schema);
  }

  @Test
  void killedInsideItsTransactionTheStoreHoldsTheOldPositions() throws Exception {
    Server server = start(Failpoint.BEFORE_COMMIT);
    CompletableFuture<HttpResponse<String>> answer = postPositions(server);
    server.awaitParked(Failpoint.BEFORE_COMMIT);
    assertThat(openTransactions()).as("the writer's transaction, open while it is parked").isOne();
    assertThat(answer).as("nothing is acknowledged before the commit").isNotDone();

    server.kill();

    assertThat(storedState()).isEqualTo(State.OLD);
    Server again = start(null);
    for (int i = 0; i < FORCES.length; i++) {
      assertThat(again.position(FORCES[i])).isNotEqualTo(coordinates(TO[i]));
    }
  }

  @Test
  void killedRightAfterItsCommitTheStoreHoldsTheNewPositions() throws Exception {
    Server server = start(Failpoint.AFTER_COMMIT);
    postPositions(server);
    server.awaitParked(Failpoint.AFTER_COMMIT);

    server.kill();

    assertThat(storedState()).isEqualTo(State.NEW);
    Server again = start(null);
    for (int i = 0; i < FORCES.length; i++) {
      assertThat(again.position(FORCES[i])).isEqualTo(coordinates(TO[i]));
    }
  }

  enum State {
    OLD,
    NEW
  }

  /**
   * What the tables say, read by plain SQL: every force, its history and the change log agree on
   * the old state or on the new one, or the test fails naming the mix.
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
    String seen = moved + " of 3 forces moved, " + versions + " history rows, change log " + logged;
    if (moved == 0 && versions == 0 && logged.isEmpty()) {
      return State.OLD;
    }
    // each moved force: its version before the change and the change's version
    if (moved == 3
        && versions == 6
        && logged.size() == 3
        && logged.containsAll(List.of(1L, 2L, 3L))) {
      return State.NEW;
    }
    throw new AssertionError("the store holds a mix: " + seen);
  }

  private long openTransactions() throws SQLException {
    try (Connection c = TestPostgis.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'gridmap'"
                    + " AND state = 'idle in transaction' AND query ILIKE '%change_log%'")) {
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private CompletableFuture<HttpResponse<String>> postPositions(Server server) {
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
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.base + "/live/positions"))
            .header("Authorization", "Bearer " + server.token)
            .header("Content-Type", "application/geo+json")
            .timeout(Duration.ofSeconds(120))
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String coordinates(double[] lonLat) {
    return "[" + lonLat[0] + "," + lonLat[1] + "]";
  }

  private Server start(String failpoint) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = Files.createTempFile(dir, "server", ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (failpoint != null) {
      command.add("-Dgridmap.failpoint=" + failpoint);
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "serve",
            "--store",
            url,
            "--port",
            String.valueOf(port),
            "--host",
            "127.0.0.1",
            "--config",
            config.toString()));
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    children.add(p);
    Server server = new Server(p, log, "http://127.0.0.1:" + port, token());
    server.awaitReady();
    return server;
  }

  /** An admin token from the token command, signed with the server's secret. */
  private String token() throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "token",
                "--role",
                "admin",
                "--subject",
                "crash-test",
                "--config",
                config.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    return out;
  }

  private final class Server {
    final Process process;
    final Path log;
    final String base;
    final String token;

    Server(Process process, Path log, String base, String token) {
      this.process = process;
      this.log = log;
      this.base = base;
      this.token = token;
    }

    void awaitReady() throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        assertThat(process.isAlive()).as("the server is running; its log:%n%s", log()).isTrue();
        try {
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(URI.create(base + "/health")).GET().build(),
                  HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            return;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        Thread.sleep(100);
      }
      throw new AssertionError("the server was not ready in 60 s; its log:\n" + log());
    }

    void awaitParked(String failpoint) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        if (log().contains("failpoint " + failpoint + ": parked")) {
          return;
        }
        Thread.sleep(50);
      }
      throw new AssertionError("the writer never reached " + failpoint + "; the log:\n" + log());
    }

    /** SIGKILL (Process.destroyForcibly on Linux), and wait until the process is gone. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    }

    /** The force's coordinates as the server serves them, e.g. "[106.0101,29.0101]". */
    String position(long force) throws Exception {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/collections/forces/items/" + force))
                  .header("Authorization", "Bearer " + token)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("\"coordinates\":(\\[[^\\]]*\\])").matcher(r.body());
      assertThat(m.find()).as(r.body()).isTrue();
      return m.group(1);
    }

    String log() throws IOException {
      return Files.readString(log, StandardCharsets.UTF_8);
    }
  }
}
