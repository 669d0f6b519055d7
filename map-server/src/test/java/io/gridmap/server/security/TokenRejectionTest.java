package io.gridmap.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A refused token is answered with what is wrong with it, in our words, never the verifier's. */
class TokenRejectionTest {
  private static Vertx vertx;
  private static Tokens tokens;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    tokens = new Tokens(vertx, "a-secret-of-at-least-thirty-two-characters");
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static void rejected(String token, String... fragments) {
    assertThatThrownBy(
            () ->
                tokens
                    .verify(token)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .satisfies(
            e -> {
              assertThat(e.getMessage())
                  .as(token)
                  .startsWith("token rejected: ")
                  .contains(fragments);
              assertThat(e.getMessage())
                  .doesNotContain(
                      "byte[]",
                      "Failed to decode",
                      "Invalid JWT",
                      "secure mode",
                      "Exception",
                      "[Source");
            });
  }

  @Test
  void eachWayATokenGoesWrongIsNamed() {
    long now = System.currentTimeMillis() / 1000;
    JsonObject claims =
        new JsonObject()
            .put("sub", "bob")
            .put("role", "analyst")
            .put("scope", "")
            .put("iss", "gridmap")
            .put("exp", now + 3600);
    String good = tokens.signClaims(claims);
    String[] p = good.split("\\.");

    rejected("abc", "not a JWT", "three base64url parts", "found 1");
    rejected("a.b", "found 2");
    rejected("a.b.c", "its header part is not base64url-encoded JSON");
    rejected(b64("{x") + "." + p[1] + "." + p[2], "header part");
    rejected(p[0] + "." + b64("{\"exp\":") + "." + p[2], "its claims part");
    rejected(p[0] + "." + p[1] + ".", "signature is missing");
    rejected(b64("{\"alg\":\"none\"}") + "." + p[1] + ".x", "alg='none'", "HS256");
    rejected(tokens.signClaims(claims.copy().put("exp", now - 3600)), "it expired at 20");
    rejected(tokens.signClaims(claims.copy().put("nbf", now + 3600)), "not valid before");
    rejected(tokens.signClaims(claims.copy().put("iss", "elsewhere")), "issuer is 'elsewhere'");
    rejected(
        new Tokens(vertx, "another-secret-of-at-least-thirty-two-chars")
            .issue(new Principal("a", Role.ADMIN, "", "cli"), Duration.ofHours(1)),
        "signature does not match");
    rejected(p[0] + "." + p[1] + "." + p[2] + "x!", "signature");
  }
}
