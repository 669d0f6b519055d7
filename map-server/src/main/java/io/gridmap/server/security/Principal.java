package io.gridmap.server.security;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An authenticated caller.
 *
 * @param subject who (token subject or API key name); "anonymous" for the public
 * @param role what they are
 * @param scope the admin code their rights are bound to (a district, street, village or grid code);
 *     empty for the whole city
 * @param via how they proved it: "jwt", "api_key" or "anonymous"
 */
public record Principal(String subject, Role role, String scope, String via) {
  private static final Pattern CODE = Pattern.compile("|\\d{6}|\\d{9}|\\d{12}|\\d{15}");

  public static final Principal ANONYMOUS =
      new Principal("anonymous", Role.PUBLIC, "", "anonymous");

  public Principal {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(role, "role");
    scope = scope == null ? "" : scope;
    if (!CODE.matcher(scope).matches()) {
      throw new IllegalArgumentException(
          "scope must be an admin code of 6, 9, 12 or 15 digits (district, street, village, grid) or empty for the whole city, got '"
              + scope
              + "'");
    }
  }

  /**
   * True when {@code code} (any admin code) lies inside this principal's scope. A feature with no
   * code (a volunteer serving no grid) lies only in the whole city's scope.
   */
  public boolean covers(String code) {
    return code == null ? scope.isEmpty() : code.startsWith(scope);
  }

  /** The key under which requests are counted for rate limiting. */
  public String rateKey(String remoteAddress) {
    return role == Role.PUBLIC ? "ip:" + remoteAddress : via + ":" + subject;
  }
}
