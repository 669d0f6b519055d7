package io.gridmap.server.write;

import io.gridmap.layers.store.FeatureStore;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;

/**
 * Keeps this node's turn to write to a store that several nodes share ({@link
 * FeatureStore#takeTurn}): renewed every {@code every}, for {@link #LENGTH} each time, or taken
 * when the node that held it has let it end. A node without the turn serves reads and answers
 * writes 503 (the store refuses them); a node that was paused past its turn finds it taken and its
 * writes refused for good.
 */
public final class WriterTurn implements AutoCloseable {
  /** How long a turn lasts unless renewed: a paused or dead writer is replaced after this. */
  public static final Duration LENGTH = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final long timer;
  private volatile boolean asking;

  public WriterTurn(Vertx vertx, WorkerExecutor pool, FeatureStore store, Duration every) {
    this.vertx = vertx;
    this.timer =
        vertx.setPeriodic(
            every.toMillis(),
            id -> {
              if (asking) {
                return;
              }
              asking = true;
              pool.<Boolean>executeBlocking(() -> store.takeTurn(LENGTH), false)
                  .onComplete(ar -> asking = false);
            });
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
