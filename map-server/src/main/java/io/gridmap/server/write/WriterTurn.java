package io.gridmap.server.write;

import io.gridmap.layers.store.FeatureStore;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;

/**
 * Keeps this node's turn to write to a store that several nodes share ({@link
 * FeatureStore#takeTurn}): renewed every {@code every}, for {@code length} each time, or taken when
 * the node that held it has let it end. A node without the turn serves reads and answers writes 503
 * (the store refuses them), or forwards them to the node whose turn it is ({@link #writerUrl}); a
 * node that was paused past its turn finds it taken and its writes refused for good.
 */
public final class WriterTurn implements AutoCloseable {
  private final Vertx vertx;
  private final long timer;
  private volatile boolean asking;
  private volatile boolean holds;
  private volatile String writerUrl;

  /**
   * Asks for the turn now, on the calling thread, then every {@code every} on {@code pool}.
   *
   * @param length how long each turn lasts unless renewed
   * @param forwarding whether to keep the URL of the node whose turn it is ({@link #writerUrl})
   */
  public WriterTurn(
      Vertx vertx,
      WorkerExecutor pool,
      FeatureStore store,
      Duration length,
      Duration every,
      boolean forwarding) {
    this.vertx = vertx;
    ask(store, length, forwarding);
    this.timer =
        vertx.setPeriodic(
            every.toMillis(),
            id -> {
              if (asking) {
                return;
              }
              asking = true;
              pool.executeBlocking(
                      () -> {
                        ask(store, length, forwarding);
                        return null;
                      },
                      false)
                  .onComplete(ar -> asking = false);
            });
  }

  private void ask(FeatureStore store, Duration length, boolean forwarding) {
    holds = store.takeTurn(length);
    if (!forwarding || holds) {
      writerUrl = null;
      return;
    }
    try {
      writerUrl = store.writerUrl().orElse(null);
    } catch (RuntimeException e) {
      writerUrl = null; // the store is away: writes are answered 503 until it is back
    }
  }

  /** Whether this node held the turn when it last asked. */
  public boolean holds() {
    return holds;
  }

  /** The URL of the node whose turn it was when this node last asked, or null. */
  public String writerUrl() {
    return writerUrl;
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
