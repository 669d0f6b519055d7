package io.gridmap.server.security;

/**
 * What personal data a response may hold. Role-dependent responses are cached per class, never
 * per user, and sent with {@code Cache-Control: private} and {@code Vary: Authorization}.
 */
public enum Visibility {
  /** No personal feature (homes of vulnerable residents) and no personal field (names). */
  PUBLIC,
  /** Personal features and fields included: staff who act on them. */
  STAFF
}
