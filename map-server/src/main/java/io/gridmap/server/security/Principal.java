package io.gridmap.server.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An authenticated caller.
 *
 * @param subject who (token subject or API key name); "anonymous" for the public; for a credential
 *     issued without a subject, {@code <role>-<credential>} (see {@link #ofCredential})
 * @param role what they are
 * @param scope the admin code their rights are bound to (a district, street, village or grid code);
 *     empty for the whole city
 * @param via how they proved it: "jwt", "api_key" or "anonymous"
 * @param credential which token or key they presented, by an id that does not reveal it ({@link
 *     Tokens#credentialId}, {@link ApiKeys#credentialId}); empty for the public and for callers
 *     inside the process (the command line, tests)
 */
public record Principal(String subject, Role role, String scope, String via, String credential) {
  private static final Pattern CODE = Pattern.compile("|\\d{6}|\\d{9}|\\d{12}|\\d{15}");

  /** Hex digits of a credential's id. */
  static final int ID_HEX = 16;

  public static final Principal ANONYMOUS =
      new Principal("anonymous", Role.PUBLIC, "", "anonymous");

  public Principal {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(role, "role");
    scope = scope == null ? "" : scope;
    credential = credential == null ? "" : credential;
    if (!CODE.matcher(scope).matches()) {
      throw new IllegalArgumentException(
          "scope must be an admin code of 6, 9, 12 or 15 digits (district, street, village, grid) or empty for the whole city, got '"
              + scope
              + "'");
    }
  }

  /** A caller that presented no credential of its own (the public, the command line, tests). */
  public Principal(String subject, Role role, String scope, String via) {
    this(subject, role, scope, via, "");
  }

  /**
   * The caller a verified token or API key stands for. A credential issued without a subject
   * ({@code subject} missing, blank, or just the role's code, which is what {@code mapserver token}
   * writes when {@code --subject} is left out) names no one, so it is called {@code
   * <role>-<credential>}: two such credentials of one role are two callers in the audit log.
   */
  public static Principal ofCredential(
      String subject, Role role, String scope, String via, String credential) {
    boolean unnamed = subject == null || subject.isBlank() || subject.equals(role.code());
    return new Principal(
        unnamed ? role.code() + "-" + credential : subject, role, scope, via, credential);
  }

  /**
   * A credential's id from a SHA-256 (hex) that only it has: 64 bits, so that ids of different
   * credentials do not meet in practice.
   */
  static String idOfHash(String sha256) {
    return sha256.substring(0, ID_HEX);
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * True when {@code code} (any admin code) lies inside this principal's scope. A feature with no
   * code (a volunteer serving no grid) lies only in the whole city's scope.
   */
  public boolean covers(String code) {
    return code == null ? scope.isEmpty() : code.startsWith(scope);
  }

  /**
   * The key under which requests are counted for rate limiting: the address for the public, else
   * the credential, so that every token and every key is a client of its own (two tokens of one
   * subject too); the subject for a caller without one.
   */
  public String rateKey(String remoteAddress) {
    if (role == Role.PUBLIC) {
      return "ip:" + remoteAddress;
    }
    return via + ":" + (credential.isEmpty() ? subject : credential);
  }
}
