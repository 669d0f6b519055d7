package io.gridmap.layers.store;

/**
 * This server node does not hold the writer's turn (another node writes now, or this one lost its
 * turn while paused or cut off), so the store refused its write: nothing was written. The write may
 * be sent again, to the node that writes or later; answered 503 like a store that is away.
 */
public class NotTheWriterException extends StoreUnavailableException {
  private static final long serialVersionUID = 1L;

  public NotTheWriterException(String message) {
    super(message, null);
  }
}
