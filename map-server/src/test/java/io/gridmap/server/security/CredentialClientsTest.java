package io.gridmap.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.cli.Main;
import io.gridmap.server.config.ServerConfig;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Point;

/**
 * Every credential is a client of its own, through the real server and the real {@code mapserver
 * token}: tokens issued without {@code --subject} have their own rate-limit buckets and their own
 * actors in the audit log, and API keys added to or removed from the keys file while the server
 * runs work or stop without a restart.
 */
class CredentialClientsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int GRID_CODE = Catalogue.FORCES.fieldIndex("grid_code");
  private static final String HOTSPOTS = "/query/hotspots?collection=events";

  @Test
  void twoTokensWithoutSubjectHaveABucketEach() throws Exception {
    try (TestServer s =
        TestServer.start(
            TestCity.small(), Map.of("rate_limit_per_s", "1", "rate_limit_burst", "10"))) {
      String street1 =
          "Bearer " + mapserver(s, "token", "--role", "commander", "--scope", "500103001");
      String street2 =
          "Bearer " + mapserver(s, "token", "--role", "commander", "--scope", "500103002");
      // at once, so that a slow machine does not refill the bucket between them
      assertThat(atOnce(s, street1, 30)).as("the first token runs out").contains(429);
      assertThat(atOnce(s, street2, 10))
          .as("the other token without a subject has a whole burst of its own")
          .containsOnly(200);
    }
  }

  @Test
  void theAuditLogTellsTwoTokensWithoutSubjectApart() throws Exception {
    try (TestServer s =
        TestServer.startWithStore(
            TestCity.small(), Map.of("rate_limit_per_s", "1000", "rate_limit_burst", "1000"))) {
      List<String> actors = new ArrayList<>();
      for (String district : List.of("500103", "500105")) {
        String token = mapserver(s, "token", "--role", "commander", "--scope", district);
        Feature force = forceIn(district);
        Point at = (Point) force.geometry();
        String batch =
            "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"id\":"
                + force.id()
                + ",\"geometry\":{\"type\":\"Point\",\"coordinates\":["
                + (at.getX() + 0.001)
                + ","
                + at.getY()
                + "]}}]}";
        var res =
            s.send(
                "POST",
                "/live/positions",
                batch,
                "Content-Type",
                "application/geo+json",
                "Authorization",
                "Bearer " + token);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        actors.add("commander-" + Tokens.credentialId(token));
      }
      JsonNode writes = audit(s, "positions");
      assertThat(writes).hasSize(2);
      assertThat(List.of(writes.get(1).get("actor").asText(), writes.get(0).get("actor").asText()))
          .as("oldest first: one actor per token, named after it")
          .isEqualTo(actors);
      assertThat(writes.get(0).get("credential").asText())
          .isEqualTo(actors.get(1).substring("commander-".length()));
      JsonNode issues = audit(s, "token.issue");
      assertThat(
              List.of(issues.get(1).get("target").asText(), issues.get(0).get("target").asText()))
          .as("the issue's entry names the actor its token will be")
          .isEqualTo(actors);
    }
  }

  @Test
  void apiKeysAddedOrRemovedWhileTheServerRunsWorkOrStopWithoutARestart() throws Exception {
    try (TestServer s = TestServer.start(TestCity.small())) {
      Path file = Path.of(s.server().config().apiKeysFile());
      String kept = mapserver(s, "token", "--role", "analyst", "--api-key", "--subject", "kept");
      String key = mapserver(s, "token", "--role", "analyst", "--api-key");
      assertThat(within10s(() -> status(s, key), c -> c == 200))
          .as("a key added while running works")
          .isEqualTo(200);
      String good = Files.readString(file);

      PrintStream err = System.err;
      ByteArrayOutputStream log = new ByteArrayOutputStream();
      try {
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        Files.writeString(file, good + "not a key line\n");
        for (long end = System.nanoTime() + 3_000_000_000L; System.nanoTime() < end; ) {
          assertThat(status(s, key)).as("a broken file keeps the keys").isEqualTo(200);
          Thread.sleep(100);
        }
      } finally {
        System.setErr(err);
      }
      List<String> lines =
          log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("API keys")).toList();
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0)).contains(file + ":3", "not a key line", "keeping the 2 keys");
      assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("\tat ");

      String hash = ApiKeys.credentialId(key);
      Files.writeString(
          file,
          good.lines()
              .filter(l -> !l.startsWith(hash))
              .collect(Collectors.joining("\n", "", "\n")));
      assertThat(within10s(() -> status(s, key), c -> c == 401))
          .as("a key removed while running stops")
          .isEqualTo(401);
      assertThat(status(s, kept)).isEqualTo(200);
    }
  }

  private interface Call {
    int run() throws Exception;
  }

  /** Calls until the status satisfies {@code done} or 10 s pass; the last status. */
  private static int within10s(Call call, IntPredicate done) throws Exception {
    long end = System.nanoTime() + 10_000_000_000L;
    int status = call.run();
    while (!done.test(status) && System.nanoTime() < end) {
      Thread.sleep(100);
      status = call.run();
    }
    return status;
  }

  /** The statuses of {@code n} requests sent together with {@code authorization}. */
  private static List<Integer> atOnce(TestServer s, String authorization, int n) {
    List<CompletableFuture<HttpResponse<Void>>> sent = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sent.add(
          s.client()
              .sendAsync(
                  HttpRequest.newBuilder(URI.create(s.baseUrl() + "/health"))
                      .header("Authorization", authorization)
                      .timeout(Duration.ofSeconds(30))
                      .build(),
                  HttpResponse.BodyHandlers.discarding()));
    }
    return sent.stream().map(f -> f.join().statusCode()).toList();
  }

  private static int status(TestServer s, String key) throws Exception {
    return s.getText(HOTSPOTS, "X-API-Key", key).statusCode();
  }

  private static Feature forceIn(String district) {
    return TestCity.small().layer("forces").features().stream()
        .filter(f -> f.string(GRID_CODE) != null && f.string(GRID_CODE).startsWith(district))
        .findFirst()
        .orElseThrow();
  }

  /** The entries of {@code action}, newest first, as an admin reads them. */
  private static JsonNode audit(TestServer s, String action) throws Exception {
    var res =
        s.getText(
            "/admin/audit?action=" + action + "&limit=100",
            "Authorization",
            s.bearer("auditor", Role.ADMIN, ""));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return JSON.readTree(res.body()).get("entries");
  }

  /**
   * Runs the command line against the server's token secret, keys file and audit log, as an
   * operator on its machine would; returns what it printed (the token or key).
   */
  private static synchronized String mapserver(TestServer s, String... args) throws Exception {
    ServerConfig config = s.server().config();
    Path conf = Files.createTempFile("gridmap-cli", ".conf");
    Files.writeString(
        conf,
        "token_secret_file = "
            + config.tokenSecretFile()
            + "\napi_keys_file = "
            + config.apiKeysFile()
            + "\naudit_log = "
            + config.auditLog()
            + "\n");
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--config";
    all[args.length + 1] = conf.toString();
    PrintStream out = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      code = Main.run(all);
    } finally {
      System.setOut(out);
      Files.delete(conf);
    }
    assertThat(code).as(String.join(" ", all)).isZero();
    return printed.toString(StandardCharsets.UTF_8).strip();
  }
}
