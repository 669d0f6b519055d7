package io.gridmap.server.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gridmap.server.web.Params;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.LongSupplier;

/** Issues and checks signed tokens (JWT, HS256) carrying a role and a scope. */
public final class Tokens {
  static final String ISSUER = "gridmap";

  /** Clock skew allowed between issuer and verifier. */
  private static final int LEEWAY_SECONDS = 5;

  /**
   * Tokens verified lately: a gateway or a command centre sends the same one with every request.
   */
  static final int VERIFIED_KEPT = 4_096;

  private final JWTAuth jwt;
  private final SecureRandom random = new SecureRandom();
  private final LongSupplier millis;

  /**
   * Principals of tokens already verified, by the token's exact text, until the token's expiry.
   * Verifying a token (its signature, its JSON claims twice over) took about 60 µs of an event
   * loop's CPU a request, a fifth of what a position batch over HTTP cost it under 1,000 changes a
   * second (async-profiler, issue 14). Safe because nothing here revokes a token before its expiry:
   * the secret is read once at start, and a token is refused only for what its text says. A token
   * that failed is not kept, so each try of a bad one is checked (and named) anew.
   */
  private final Cache<String, Verified> verified =
      Caffeine.newBuilder().maximumSize(VERIFIED_KEPT).build();

  private record Verified(Principal principal, long expiresSecond) {}

  public Tokens(Vertx vertx, String secret) {
    this(vertx, secret, System::currentTimeMillis);
  }

  /** With the clock the kept principals expire by (tests move it; the verifier keeps its own). */
  Tokens(Vertx vertx, String secret, LongSupplier millis) {
    this.millis = millis;
    this.jwt =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret))
                .setJWTOptions(new JWTOptions().setIssuer(ISSUER).setLeeway(LEEWAY_SECONDS)));
  }

  /**
   * A token for {@code principal}, valid for {@code ttl}. Each carries a random id ({@code jti}):
   * without it two tokens issued alike in one second would be the same string, so the same client.
   */
  public String issue(Principal principal, Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("a token's lifetime must be positive, got " + ttl);
    }
    byte[] id = new byte[Principal.ID_HEX / 2];
    random.nextBytes(id);
    JsonObject claims =
        new JsonObject()
            .put("role", principal.role().code())
            .put("scope", principal.scope())
            .put("jti", HexFormat.of().formatHex(id));
    return jwt.generateToken(
        claims,
        new JWTOptions()
            .setAlgorithm("HS256")
            .setIssuer(ISSUER)
            .setSubject(principal.subject())
            .setExpiresInSeconds((int) Math.min(Integer.MAX_VALUE, ttl.toSeconds())));
  }

  /**
   * A token's credential id: its {@code jti}, or for a token without one (issued before tokens had
   * it) the start of its claims' SHA-256. Taken from the claims, not the token's text: the text has
   * other spellings the verifier accepts as the same token (the unused bits of base64's last
   * character), and each would otherwise be a client with a rate limit of its own.
   */
  static String credentialId(JsonObject claims) {
    return claims.getValue("jti") instanceof String jti && !jti.isBlank()
        ? jti
        : Principal.idOfHash(Principal.sha256(claims.encode()));
  }

  /**
   * The credential id of a token this process has just issued (for the audit entry of its issue);
   * the token is decoded, not verified.
   */
  public static String credentialId(String token) {
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      throw new IllegalArgumentException("not a token: expected 3 parts, found " + parts.length);
    }
    return credentialId(
        new JsonObject(
            new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)));
  }

  /** Signs arbitrary claims as they are (tests use it to make expired or malformed tokens). */
  String signClaims(JsonObject claims) {
    return jwt.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true));
  }

  /**
   * Why the verifier refused a token, in our words (its own messages name base64 byte arrays,
   * decoders and modes): the first of form, algorithm, expiry, start, issuer and signature that is
   * wrong.
   */
  static String why(String token) {
    String[] parts = token == null ? new String[0] : token.split("\\.", -1);
    if (parts.length != 3) {
      return "it is not a JWT: expected three base64url parts separated by dots, found "
          + parts.length;
    }
    JsonObject header = part(parts[0]);
    JsonObject claims = part(parts[1]);
    if (header == null || claims == null) {
      return "its "
          + (header == null ? "header" : "claims")
          + " part is not base64url-encoded JSON";
    }
    if (!parts[2].matches("[A-Za-z0-9_-]+")) {
      return "its signature is missing or not base64url";
    }
    if (!"HS256".equals(header.getValue("alg"))) {
      return "it is signed with alg="
          + Params.quote(String.valueOf(header.getValue("alg")))
          + "; this server's tokens use HS256";
    }
    long now = System.currentTimeMillis() / 1000;
    if (claims.getValue("exp") instanceof Number exp && exp.longValue() + LEEWAY_SECONDS < now) {
      return "it expired at " + Instant.ofEpochSecond(exp.longValue());
    }
    if (claims.getValue("nbf") instanceof Number nbf && nbf.longValue() > now + LEEWAY_SECONDS) {
      return "it is not valid before " + Instant.ofEpochSecond(nbf.longValue());
    }
    if (claims.getValue("iat") instanceof Number iat && iat.longValue() > now + LEEWAY_SECONDS) {
      return "it says it was issued at "
          + Instant.ofEpochSecond(iat.longValue())
          + ", in the future";
    }
    if (!ISSUER.equals(claims.getValue("iss"))) {
      return "its issuer is "
          + Params.quote(String.valueOf(claims.getValue("iss")))
          + ", not "
          + ISSUER;
    }
    return "its signature does not match: it was not issued by this server, or it was changed";
  }

  /** A base64url part of a token as a JSON object, or null. */
  private static JsonObject part(String base64url) {
    try {
      return new JsonObject(
          new String(Base64.getUrlDecoder().decode(base64url), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return null; // not base64url, not JSON, or JSON but not an object
    }
  }

  /**
   * The principal a token names, with the token's {@link #credentialId} as its credential (a token
   * without a subject is named after it). Fails with a message fit for a 401 when the signature,
   * issuer, expiry or claims are wrong.
   */
  public Future<Principal> verify(String token) {
    Verified kept = token == null ? null : verified.getIfPresent(token);
    if (kept != null) {
      // kept only strictly before its expiry: at and after it the verifier decides (its leeway)
      if (millis.getAsLong() / 1000 < kept.expiresSecond()) {
        return Future.succeededFuture(kept.principal());
      }
      verified.invalidate(token);
    }
    return jwt.authenticate(new TokenCredentials(token))
        .recover(
            e -> Future.failedFuture(new IllegalArgumentException("token rejected: " + why(token))))
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
                Principal principal =
                    Principal.ofCredential(
                        p.getString("sub"),
                        r.get(),
                        p.getString("scope", ""),
                        "jwt",
                        credentialId(p));
                long exp = ((Number) p.getValue("exp")).longValue();
                verified.put(token, new Verified(principal, exp));
                return Future.succeededFuture(principal);
              } catch (IllegalArgumentException e) {
                return Future.failedFuture(e);
              }
            });
  }
}
