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
  private final Runnable beforeWriting;
  private volatile boolean asking;
  private volatile boolean holds;
  private volatile java.util.function.Consumer<Boolean> listener;
  private volatile String writerUrl;

  /**
   * Asks for the turn now, on the calling thread, then every {@code every} on {@code pool}.
   *
   * @param length how long each turn lasts unless renewed
   * @param forwarding whether to keep the URL of the node whose turn it is ({@link #writerUrl})
   * @param beforeWriting run when this node takes a new turn, before it writes with it: reads what
   *     the last writer wrote ({@link ExternalChanges#catchUp})
   */
  public WriterTurn(
      Vertx vertx,
      WorkerExecutor pool,
      FeatureStore store,
      Duration length,
      Duration every,
      boolean forwarding,
      Runnable beforeWriting) {
    this.vertx = vertx;
    this.beforeWriting = beforeWriting;
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

  /**
   * Tells {@code listener} whether this node writes: now, on the calling thread, and again each
   * time that changes (on a worker thread), e.g. to run MQTT ingest on the writer only.
   */
  public void onChange(java.util.function.Consumer<Boolean> listener) {
    this.listener = listener;
    listener.accept(holds);
  }

  private void ask(FeatureStore store, Duration length, boolean forwarding) {
    boolean was = holds;
    holds = store.takeTurn(length, beforeWriting);
    java.util.function.Consumer<Boolean> l = listener;
    if (l != null && was != holds) {
      l.accept(holds);
    }
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
