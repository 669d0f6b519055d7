package io.gridmap.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens, API keys, the rate limiter and the audit log, each on its own. */
class SecurityPartsTest {
  private static Vertx vertx;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aScopeCoversTheCodesUnderItAndOnlyTheWholeCityCoversAFeatureWithoutACode() {
    Principal street = new Principal("c", Role.COMMANDER, "500103001", "test");
    assertThat(street.covers("500103001002003")).isTrue();
    assertThat(street.covers("500103002001001")).isFalse();
    assertThat(street.covers("500105")).isFalse();
    assertThat(street.covers(null)).isFalse();
    Principal city = new Principal("a", Role.ADMIN, "", "test");
    assertThat(city.covers("500153001001001")).isTrue();
    assertThat(city.covers(null)).as("a volunteer serving no grid is in the city").isTrue();
  }

  @Test
  void aVerifiedTokenIsKeptUntilItsExpiryAndThenVerifiedAgain() throws Exception {
    long[] now = {System.currentTimeMillis()};
    Tokens tokens = new Tokens(vertx, "a-secret-of-at-least-thirty-two-characters", () -> now[0]);
    String t =
        tokens.issue(new Principal("gateway", Role.ADMIN, "", "cli"), Duration.ofMinutes(10));
    Principal first = await(tokens.verify(t));
    assertThat(await(tokens.verify(t)))
        .as("kept: the same principal, not verified anew")
        .isSameAs(first);
    // a failed token is never kept: the same bad text is refused every time
    String tampered = t.substring(0, t.length() - 3) + (t.endsWith("AAA") ? "BBB" : "AAA");
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> await(tokens.verify(tampered)))
          .hasMessageContaining("token rejected");
    }
    now[0] += Duration.ofMinutes(10).toMillis();
    Principal again = await(tokens.verify(t)); // the verifier's own clock: still valid to it
    assertThat(again).as("past its expiry by our clock: verified again").isNotSameAs(first);
    assertThat(again).isEqualTo(first);
  }

  @Test
  void tokenCarriesRoleAndScopeAndOnlyItsSecretVerifiesIt() throws Exception {
    Tokens tokens = new Tokens(vertx, "a-secret-of-at-least-thirty-two-characters");
    String t =
        tokens.issue(
            new Principal("alice", Role.COMMANDER, "500103001", "cli"), Duration.ofHours(1));
    Principal p = await(tokens.verify(t));
    assertThat(p)
        .isEqualTo(
            new Principal("alice", Role.COMMANDER, "500103001", "jwt", Tokens.credentialId(t)));
    assertThat(p.covers("500103001002003")).isTrue();
    assertThat(p.covers("500105001002003")).isFalse();

    Tokens other = new Tokens(vertx, "another-secret-of-at-least-thirty-two-chars");
    assertThatThrownBy(() -> await(other.verify(t))).hasMessageContaining("token rejected");
    String tampered = t.substring(0, t.length() - 3) + (t.endsWith("AAA") ? "BBB" : "AAA");
    assertThatThrownBy(() -> await(tokens.verify(tampered))).hasMessageContaining("token rejected");
    long now = System.currentTimeMillis() / 1000;
    var claims =
        new io.vertx.core.json.JsonObject()
            .put("sub", "bob")
            .put("role", "analyst")
            .put("scope", "")
            .put("iss", "gridmap");
    String expired = tokens.signClaims(claims.copy().put("exp", now - 3600));
    assertThatThrownBy(() -> await(tokens.verify(expired))).hasMessageContaining("token rejected");
    String forever = tokens.signClaims(claims.copy());
    assertThatThrownBy(() -> await(tokens.verify(forever))).hasMessageContaining("no expiry");
    String wrongRole = tokens.signClaims(claims.copy().put("exp", now + 3600).put("role", "root"));
    assertThatThrownBy(() -> await(tokens.verify(wrongRole))).hasMessageContaining("'root'");
    assertThat(await(tokens.verify(tokens.signClaims(claims.copy().put("exp", now + 3600)))))
        .extracting(Principal::role)
        .isEqualTo(Role.ANALYST);
    assertThatThrownBy(() -> tokens.issue(Principal.ANONYMOUS, Duration.ZERO))
        .hasMessageContaining("positive");
  }

  @Test
  void secretFileIsCreatedOnceAndPrivate() throws Exception {
    Path f = dir.resolve("keys/jwt.secret");
    String s1 = TokenKeys.loadOrCreate(f);
    String s2 = TokenKeys.loadOrCreate(f);
    assertThat(s1).isEqualTo(s2).hasSizeGreaterThanOrEqualTo(32);
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
        .isEqualTo("rw-------");
    Files.writeString(f, "short");
    assertThatThrownBy(() -> TokenKeys.loadOrCreate(f)).hasMessageContaining("too short");
  }

  @Test
  void apiKeysAreStoredHashedAndFoundByTheKey() throws Exception {
    Path f = dir.resolve("api_keys");
    String key =
        ApiKeys.create(f, new Principal("sensor-gw", Role.GRID_WORKER, "500103001001", "cli"));
    assertThat(Files.readString(f))
        .doesNotContain(key)
        .contains("grid_worker 500103001001 sensor-gw");
    ApiKeys keys = ApiKeys.load(f);
    assertThat(keys.find(key))
        .hasValue(
            new Principal(
                "sensor-gw",
                Role.GRID_WORKER,
                "500103001001",
                "api_key",
                ApiKeys.credentialId(key)));
    assertThat(Files.readString(f)).startsWith(ApiKeys.credentialId(key));
    assertThat(keys.find(key + "x")).isEmpty();
    Files.writeString(f, "deadbeef wizard - x\n");
    assertThatThrownBy(() -> ApiKeys.load(f))
        .hasMessageContaining(f + ":1")
        .hasMessageContaining("expected 'sha256-hex role scope name'");
  }

  @Test
  void everyTokenIsAClientOfItsOwnAndOneWithoutASubjectIsNamedAfterIt() throws Exception {
    Tokens tokens = new Tokens(vertx, "a-secret-of-at-least-thirty-two-characters");
    Duration hour = Duration.ofHours(1);
    // what `mapserver token` issues without --subject: the role's code as subject
    String street1 =
        tokens.issue(new Principal("commander", Role.COMMANDER, "500103001", "cli"), hour);
    String street2 =
        tokens.issue(new Principal("commander", Role.COMMANDER, "500103002", "cli"), hour);
    Principal a = await(tokens.verify(street1));
    Principal b = await(tokens.verify(street2));
    assertThat(a.subject()).isEqualTo("commander-" + Tokens.credentialId(street1));
    assertThat(b.subject()).isEqualTo("commander-" + Tokens.credentialId(street2));
    assertThat(a.rateKey("10.0.0.1")).isNotEqualTo(b.rateKey("10.0.0.1"));
    long now = System.currentTimeMillis() / 1000;
    String noSub =
        tokens.signClaims(
            new io.vertx.core.json.JsonObject()
                .put("role", "analyst")
                .put("iss", "gridmap")
                .put("exp", now + 3600));
    assertThat(await(tokens.verify(noSub)).subject())
        .isEqualTo("analyst-" + Tokens.credentialId(noSub));

    String alice1 = tokens.issue(new Principal("alice", Role.COMMANDER, "", "cli"), hour);
    String alice2 = tokens.issue(new Principal("alice", Role.COMMANDER, "", "cli"), hour);
    Principal p1 = await(tokens.verify(alice1));
    Principal p2 = await(tokens.verify(alice2));
    assertThat(p1.subject()).as("a subject of its own is kept").isEqualTo("alice");
    assertThat(p2.subject()).isEqualTo("alice");
    assertThat(p1.rateKey("10.0.0.1"))
        .as("two tokens of one subject are two clients")
        .isEqualTo("jwt:" + Tokens.credentialId(alice1))
        .isNotEqualTo(p2.rateKey("10.0.0.1"));
    assertThat(Principal.ANONYMOUS.rateKey("10.0.0.1")).isEqualTo("ip:10.0.0.1");

    // the signature's last base64 character has two unused bits: four spellings of one token
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    int last = alphabet.indexOf(alice1.charAt(alice1.length() - 1));
    String respelled = alice1.substring(0, alice1.length() - 1) + alphabet.charAt(last ^ 1);
    assertThat(await(tokens.verify(respelled)).rateKey("10.0.0.1"))
        .as("another spelling of a token is the same client")
        .isEqualTo(p1.rateKey("10.0.0.1"));
  }

  @Test
  void apiKeysWithoutANameAreNamedAfterTheirHash() throws Exception {
    Path f = dir.resolve("api_keys");
    String k1 = ApiKeys.create(f, new Principal("analyst", Role.ANALYST, "", "cli"));
    String k2 = ApiKeys.create(f, new Principal("analyst", Role.ANALYST, "", "cli"));
    ApiKeys keys = ApiKeys.load(f);
    Principal p1 = keys.find(k1).orElseThrow();
    Principal p2 = keys.find(k2).orElseThrow();
    assertThat(p1.subject()).isEqualTo("analyst-" + ApiKeys.credentialId(k1));
    assertThat(p2.subject()).isEqualTo("analyst-" + ApiKeys.credentialId(k2));
    assertThat(p1.rateKey("10.0.0.1")).isEqualTo("api_key:" + ApiKeys.credentialId(k1));
  }

  @Test
  void apiKeysFollowTheFileAtMostOnceASecondAndKeepTheirKeysWhenItBreaks() throws Exception {
    Path f = dir.resolve("api_keys");
    String first = ApiKeys.create(f, new Principal("gw", Role.GRID_WORKER, "", "cli"));
    long t = 0;
    ApiKeys keys = ApiKeys.load(f, t);
    String second = ApiKeys.create(f, new Principal("hotline", Role.ANALYST, "", "cli"));
    assertThat(keys.find(second, t + 500_000_000L)).as("not looked at within a second").isEmpty();
    t += 1_000_000_000L;
    assertThat(keys.find(second, t)).as("a second later the file is read again").isPresent();
    assertThat(keys.find(first, t)).isPresent();

    String good = Files.readString(f);
    Files.writeString(f, good + "deadbeef wizard - x\n");
    t += 1_000_000_000L;
    assertThat(keys.find(second, t)).as("a broken file keeps the keys read before").isPresent();
    assertThat(keys.size()).isEqualTo(2);

    Files.writeString(f, good.lines().filter(l -> !l.endsWith(" gw")).toList().get(0) + "\n");
    t += 1_000_000_000L;
    assertThat(keys.find(first, t)).as("a removed key stops").isEmpty();
    assertThat(keys.find(second, t)).isPresent();

    Files.delete(f);
    t += 1_000_000_000L;
    assertThat(keys.find(second, t)).as("no file, no keys").isEmpty();
    assertThat(ApiKeys.load(dir.resolve("absent")).find(second)).isEmpty();
  }

  @Test
  void scopeMustBeAnAdminCode() {
    assertThatThrownBy(() -> new Principal("x", Role.PLANNER, "5001", "jwt"))
        .hasMessageContaining("'5001'");
    assertThat(new Principal("x", Role.PLANNER, "", "jwt").covers("500103")).isTrue();
  }

  @Test
  void rateLimiterAllowsTheBurstThenAsksToWait() {
    RateLimiter limiter = new RateLimiter(10, 5);
    long t = 0;
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.acquire("a", t)).isZero();
    }
    assertThat(limiter.acquire("a", t)).isEqualTo(1);
    assertThat(limiter.acquire("b", t)).as("another client has its own bucket").isZero();
    assertThat(limiter.acquire("a", t + 100_000_000L))
        .as("a tenth of a second refills one")
        .isZero();
  }

  @Test
  void rateLimiterForgetsRefilledBucketsAndThrottlesAFloodTogether() {
    RateLimiter limiter = new RateLimiter(10, 2, 2, Runnable::run);
    long t = 1_000L;
    assertThat(limiter.acquire("a", t)).isZero();
    assertThat(limiter.acquire("b", t)).isZero();
    assertThat(limiter.size()).isEqualTo(2);
    // the map is full of buckets still refilling: newcomers share one bucket of 2
    assertThat(limiter.acquire("c", t)).isZero();
    assertThat(limiter.acquire("d", t)).isZero();
    assertThat(limiter.acquire("e", t)).as("c and d drew the shared bucket dry").isEqualTo(1);
    assertThat(limiter.size()).isEqualTo(2);
    assertThat(limiter.acquire("a", t)).as("a keeps its own, charged bucket").isZero();
    assertThat(limiter.acquire("a", t)).isEqualTo(1);
    // a second on, every bucket is full again: the sweep forgets them, and f gets its own
    t += 1_000_000_000L;
    assertThat(limiter.acquire("f", t)).isZero();
    assertThat(limiter.size()).isEqualTo(1);
    assertThat(limiter.acquire("f", t)).isZero();
    assertThat(limiter.acquire("f", t)).as("f's own burst of 2").isEqualTo(1);
    assertThat(limiter.acquire("a", t)).as("a forgotten while full: a full new bucket").isZero();
  }

  @Test
  void rateLimiterSweepsIdleBucketsOnceAMinute() {
    RateLimiter limiter = new RateLimiter(10, 5, RateLimiter.MAX_BUCKETS, Runnable::run);
    long t = 5_000L;
    for (int i = 0; i < 100; i++) {
      limiter.acquire("client-" + i, t);
    }
    assertThat(limiter.size()).isEqualTo(100);
    limiter.acquire("late", t + 30_000_000_000L);
    assertThat(limiter.size()).as("no sweep before the minute").isEqualTo(101);
    limiter.acquire("later", t + 61_000_000_000L);
    assertThat(limiter.size()).as("the full ones forgotten, the new one kept").isEqualTo(1);
  }

  @Test
  void rateLimiterSweepsOnItsSweeperNeverOnTheCallersThread() {
    java.util.ArrayDeque<Runnable> sweeps = new java.util.ArrayDeque<>();
    RateLimiter limiter = new RateLimiter(10, 5, RateLimiter.MAX_BUCKETS, sweeps::add);
    long t = 5_000L;
    for (int i = 0; i < 3; i++) {
      limiter.acquire("client-" + i, t);
    }
    limiter.acquire("late", t + 61_000_000_000L);
    limiter.acquire("later", t + 62_000_000_000L);
    assertThat(sweeps).as("one sweep handed over, none run by acquire").hasSize(1);
    assertThat(limiter.size()).isEqualTo(5);
    sweeps.poll().run();
    assertThat(limiter.size()).as("the three refilled buckets forgotten").isEqualTo(2);
  }

  @Test
  void auditLogSurvivesReopeningAndAnswersNewestFirst() throws Exception {
    Path f = dir.resolve("audit.jsonl");
    Principal planner = new Principal("p1", Role.PLANNER, "500103", "jwt");
    try (AuditLog log = AuditLog.open(f)) {
      log.record(planner, "grid.update", "grids/500103001001001", Map.of("population", 510));
      log.record(planner, "grid.update", "grids/500103001001002", Map.of("population", 480));
    }
    Files.writeString(f, "{\"torn", java.nio.file.StandardOpenOption.APPEND);
    try (AuditLog log = AuditLog.open(f)) {
      var all = log.query(n -> true, 10);
      assertThat(all).hasSize(2);
      assertThat(all.get(0).get("target").asText()).isEqualTo("grids/500103001001002");
      assertThat(all.get(0).get("actor").asText()).isEqualTo("p1");
      assertThat(all.get(0).get("role").asText()).isEqualTo("planner");
      assertThat(all.get(0).get("changes").get("population").asInt()).isEqualTo(480);
      assertThat(log.query(n -> n.get("target").asText().endsWith("001"), 10)).hasSize(1);
    }
  }

  @Test
  void withAStoreThatKeepsTheLogTheStoresEntriesAndTheFilesAreReadNewestFirst() throws Exception {
    Path f = dir.resolve("audit.jsonl");
    Path city = dir.resolve("city.gpkg");
    Principal planner = new Principal("p1", Role.PLANNER, "500103", "jwt");
    Principal admin = new Principal("root", Role.ADMIN, "", "cli");
    try (io.gridmap.layers.store.FeatureStore store =
            io.gridmap.layers.store.Stores.open(city.toString());
        AuditLog server = AuditLog.open(f)) {
      store.write(io.gridmap.layers.testing.TestDatasets.tiny());
      server.record(planner, "grid.update", "grids/1", Map.of()); // before the store loaded
      Thread.sleep(3);
      server.keepIn(store);
      assertThat(server.inStore()).isTrue();
      server.record(planner, "grid.update", "grids/2", Map.of());
      Thread.sleep(3);
      try (AuditLog cli = AuditLog.open(f)) { // the command line, while the server runs
        cli.record(admin, "token.issue", "zhang", Map.of());
      }
      Thread.sleep(3);
      server.record(planner, "grid.update", "grids/3", Map.of());
      assertThat(Files.readString(f))
          .as("the server's entries since it loaded the store are the store's")
          .doesNotContain("grids/2", "grids/3");
      assertThat(server.query(n -> true, 10))
          .extracting(n -> n.get("target").asText())
          .containsExactly("grids/3", "zhang", "grids/2", "grids/1");
      assertThat(server.query(n -> true, 2))
          .extracting(n -> n.get("target").asText())
          .containsExactly("grids/3", "zhang");
      assertThat(server.query(n -> n.get("action").asText().equals("grid.update"), 10)).hasSize(3);
      assertThat(server.location()).contains("audit_log table of " + city, f.toString());
    }
  }
}
