package io.gridmap.layers.store;

/**
 * A store could not be opened, read or written. The message names the store and says what is wrong
 * in words a user can act on; the cause, when there is one, keeps the driver's detail.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
