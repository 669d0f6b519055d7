package io.gridmap.layers.store;

/**
 * The store cannot be reached just now (the database is down, restarting or cut off), as opposed to
 * refusing what was asked of it. Nothing was written; the same write may succeed once the store is
 * back, so the server answers 503 with {@code Retry-After} and keeps serving reads from memory.
 */
public class StoreUnavailableException extends StoreException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The first StoreUnavailableException in {@code t}'s chain of causes, or null. */
  public static StoreUnavailableException in(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof StoreUnavailableException u) {
        return u;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }
}
