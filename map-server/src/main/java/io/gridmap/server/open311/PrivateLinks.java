package io.gridmap.server.open311;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The reporter's private link: a capability URL ({@code
 * /open311/v2/requests/{id}.json?token=<secret>}) returned with the POST's answer, through which
 * the reporter follows their own report, a personal one too.
 *
 * <p>The secret is 128 bits. Only its SHA-256 is kept, as the incident's {@code request_key}
 * ({@code open311:<hex>}): that field is personal (never public), stored with the incident and read
 * back on restart, and {@code Incidents} already keeps a map from request keys to incidents, so a
 * presented secret is checked by hashing it and looking the hash up. Staff who can read the field
 * learn a hash, not the link.
 *
 * <p>The same field is what makes a retry the same report. A client that sends an {@code
 * Idempotency-Key} gets a secret derived from it (HMAC of the client and its key under a key
 * derived from the server's token secret), so its retry computes the same hash, finds the report it
 * made and gets the same link back; without one the secret is random and every POST is a new
 * report.
 */
final class PrivateLinks {
  /** The prefix of an Open311 report's request key. */
  static final String KEY_PREFIX = "open311:";

  /** Secrets are 128 bits, written as 22 characters of base64url. */
  static final int SECRET_BYTES = 16;

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;
  private static final SecureRandom RANDOM = new SecureRandom();
  private final SecretKeySpec derive;

  /**
   * @param serverSecret the server's token secret; the links' own key is derived from it under a
   *     label of its own, so neither use can stand in for the other
   */
  PrivateLinks(String serverSecret) {
    this.derive =
        new SecretKeySpec(
            sha256(("gridmap open311 private links\n" + serverSecret).getBytes(UTF8)),
            "HmacSHA256");
  }

  /** A new random secret. */
  static String random() {
    byte[] b = new byte[SECRET_BYTES];
    RANDOM.nextBytes(b);
    return encode(b);
  }

  /** The secret of a client's report made with {@code idempotencyKey}: the same on every retry. */
  String forRetry(String client, String idempotencyKey) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(derive);
      byte[] h = mac.doFinal((client + "\n" + idempotencyKey).getBytes(UTF8));
      return encode(Arrays.copyOf(h, SECRET_BYTES));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  /** The request key that holds a secret's hash. */
  static String requestKey(String secret) {
    return KEY_PREFIX + HexFormat.of().formatHex(sha256(secret.getBytes(UTF8)));
  }

  /** True when the text has the form of a secret (so that anything else is refused unhashed). */
  static boolean wellFormed(String secret) {
    return secret != null && secret.matches("[A-Za-z0-9_-]{22}");
  }

  private static String encode(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
