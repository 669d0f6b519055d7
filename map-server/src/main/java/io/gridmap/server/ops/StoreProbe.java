package io.gridmap.server.ops;

import io.gridmap.layers.store.FeatureStore;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the store every few seconds whether it can be reached ({@link FeatureStore#check}), off the
 * event loop, so that {@code /health} says at once when the database has gone away and when it is
 * back. Reads never need the store (the city is in memory); writes are answered 503 while it is
 * away, and the pool reconnects by itself.
 */
public final class StoreProbe implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StoreProbe.class);

  /** What the last check found. */
  record State(boolean up, String detail, Instant since) {}

  private final Vertx vertx;
  private final WorkerExecutor pool;
  private final FeatureStore store;
  private volatile State state = new State(true, null, Instant.now());
  private volatile boolean checking;
  private final long timer;

  /**
   * @param pool where the checks run (each blocks for a round trip, at most the pool's timeout)
   * @param periodMs how often to check
   */
  public StoreProbe(Vertx vertx, WorkerExecutor pool, FeatureStore store, long periodMs) {
    this.vertx = vertx;
    this.pool = pool;
    this.store = store;
    this.timer = vertx.setPeriodic(periodMs, id -> check());
  }

  private void check() {
    if (checking) {
      return; // the last check is still waiting for the database
    }
    checking = true;
    pool.<Void>executeBlocking(
            () -> {
              store.check();
              return null;
            },
            false)
        .onComplete(
            ar -> {
              checking = false;
              State before = state;
              if (ar.succeeded() && !before.up()) {
                LOG.info("store {} is reachable again; writes are taken", store.location());
                state = new State(true, null, Instant.now());
              } else if (ar.failed() && before.up()) {
                LOG.warn(
                    "store {} cannot be reached; writes are answered 503 until it is back: {}",
                    store.location(),
                    ar.cause().getMessage());
                state = new State(false, "cannot reach the store", Instant.now());
              }
            });
  }

  /** {@code {"status": "up"|"unavailable", "since": ..., "writes": ...}} for /health. */
  JsonObject json() {
    State s = state;
    return new JsonObject()
        .put("status", s.up() ? "up" : "unavailable")
        .put("since", s.since().toString())
        .put("writes", s.up() ? "taken" : "answered 503 with Retry-After until the store is back");
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
