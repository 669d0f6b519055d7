package io.gridmap.server.security;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Duration;

/** Issues and checks signed tokens (JWT, HS256) carrying a role and a scope. */
public final class Tokens {
  static final String ISSUER = "gridmap";
  private final JWTAuth jwt;

  public Tokens(Vertx vertx, String secret) {
    this.jwt =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret))
                .setJWTOptions(new JWTOptions().setIssuer(ISSUER).setLeeway(5)));
  }

  /** A token for {@code principal}, valid for {@code ttl}. */
  public String issue(Principal principal, Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("a token's lifetime must be positive, got " + ttl);
    }
    JsonObject claims =
        new JsonObject().put("role", principal.role().code()).put("scope", principal.scope());
    return jwt.generateToken(
        claims,
        new JWTOptions()
            .setAlgorithm("HS256")
            .setIssuer(ISSUER)
            .setSubject(principal.subject())
            .setExpiresInSeconds((int) Math.min(Integer.MAX_VALUE, ttl.toSeconds())));
  }

  /** Signs arbitrary claims as they are (tests use it to make expired or malformed tokens). */
  String signClaims(JsonObject claims) {
    return jwt.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true));
  }

  /**
   * The principal a token names. Fails with a message fit for a 401 when the signature, issuer,
   * expiry or claims are wrong.
   */
  public Future<Principal> verify(String token) {
    return jwt.authenticate(new TokenCredentials(token))
        .recover(
            e ->
                Future.failedFuture(
                    new IllegalArgumentException("token rejected: " + e.getMessage())))
        .compose(
            user -> {
              // the verified claims; principal() holds only the raw token
              JsonObject p = user.attributes().getJsonObject("accessToken", new JsonObject());
              // Vert.x checks exp only when present; a token without one would never expire
              if (!(p.getValue("exp") instanceof Number)) {
                return Future.failedFuture(
                    new IllegalArgumentException("token rejected: it has no expiry (exp claim)"));
              }
              String role = p.getString("role", "");
              var r = Role.ofCode(role);
              if (r.isEmpty() || r.get() == Role.PUBLIC) {
                return Future.failedFuture(
                    new IllegalArgumentException("token has no valid role claim: '" + role + "'"));
              }
              try {
                return Future.succeededFuture(
                    new Principal(
                        p.getString("sub", "?"), r.get(), p.getString("scope", ""), "jwt"));
              } catch (IllegalArgumentException e) {
                return Future.failedFuture(e);
              }
            });
  }
}
