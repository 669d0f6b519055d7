package io.gridmap.server.security;

/**
 * What personal data a response may hold. Role-dependent responses are cached per class, never per
 * user, and sent with {@code Cache-Control: private} and {@code Vary: Authorization, X-API-Key}.
 */
public enum Visibility {
  /** No personal feature (homes of vulnerable residents) and no personal field (names). */
  PUBLIC,
  /** Personal features and fields included: staff who act on them. */
  STAFF;

  /**
   * The {@code Vary} value of every response that differs by class: both headers a caller can prove
   * who it is with, so that a shared cache never hands one class's copy to the other.
   */
  public static final String VARY = "Authorization, X-API-Key";
}
