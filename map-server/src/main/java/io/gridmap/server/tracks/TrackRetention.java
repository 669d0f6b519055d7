package io.gridmap.server.tracks;

import io.gridmap.layers.store.FeatureStore;
import io.gridmap.server.write.Writer;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps tracks {@code track_retention_days}: every {@code interval}, on the node whose turn it is
 * to write, deletes the chunks whose last fix is older than that, {@link #BATCH} at a time, each
 * batch in the writer's turn ({@link Writer#exclusive}) so that the store is never written by two
 * threads and positions wait at most one batch. Whole chunks, never single fixes: a chunk holds at
 * most an hour, so a track is kept between the retention and an hour more.
 */
public final class TrackRetention {
  private static final Logger LOG = LoggerFactory.getLogger(TrackRetention.class);

  /** Chunks deleted per step: about 1.5 MB of rows, a few milliseconds of the writer's time. */
  static final int BATCH = 1_000;

  private final Writer writer;
  private final Duration retention;
  private final LongSupplier clock;
  private final BooleanSupplier writes;
  private final Vertx vertx;
  private final long timer;
  private volatile boolean running;

  /**
   * @param retention how long tracks are kept
   * @param writes whether this node writes now (the turn, on a shared PostGIS store)
   */
  public TrackRetention(
      Vertx vertx,
      Writer writer,
      Duration retention,
      Duration interval,
      LongSupplier clock,
      BooleanSupplier writes) {
    this.vertx = vertx;
    this.writer = writer;
    this.retention = retention;
    this.clock = clock;
    this.writes = writes;
    this.timer = vertx.setPeriodic(1_000, interval.toMillis(), id -> tick());
  }

  private void tick() {
    if (running || !writes.getAsBoolean()) {
      return;
    }
    running = true;
    long before = clock.getAsLong() - retention.toMillis();
    sweep(before, 0);
  }

  private void sweep(long before, long deleted) {
    writer
        .exclusive(
            "track retention",
            (FeatureStore store) ->
                store.tracks().map(t -> t.deleteBefore(before, BATCH)).orElse(0))
        .whenComplete(
            (n, e) -> {
              if (e != null) {
                running = false;
                LOG.warn("track retention failed: {}", e.toString());
              } else if (n == BATCH) {
                vertx.runOnContext(v -> sweep(before, deleted + n));
              } else {
                running = false;
                if (deleted + n > 0) {
                  LOG.info(
                      "track retention: deleted {} chunks that ended before {}",
                      deleted + n,
                      java.time.Instant.ofEpochMilli(before));
                }
              }
            });
  }

  public void close() {
    vertx.cancelTimer(timer);
  }
}
