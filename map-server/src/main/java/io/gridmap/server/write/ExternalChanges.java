package io.gridmap.server.write;

import io.gridmap.layers.edit.LoggedChange;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.store.FeatureStore;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes into memory what other programs wrote straight into the store: every second it reads the
 * change log past what it has seen and hands each entry that the store's triggers logged for
 * another program ({@code action} {@code external.insert} or {@code external.update}) to the
 * writer, with the rows as the store holds them now ({@link Writer#applyStored}). Tiles, items and
 * the live stream then show it like any write. Entries the server wrote itself are in memory
 * already and skipped.
 *
 * <p>Positions are taken from one sequence by transactions that commit in their own order, so an
 * entry may appear after a later one: a position not seen yet is waited for up to {@link
 * #GAP_WAIT_MS} (a transaction still open), then given up (rolled back: positions are never
 * reused).
 */
public final class ExternalChanges implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExternalChanges.class);

  /** How long a missing log position is waited for before it counts as rolled back. */
  static final long GAP_WAIT_MS = 10_000;

  private static final int PAGE = 1_000;

  private final Vertx vertx;
  private final WorkerExecutor pool;
  private final FeatureStore store;
  private final Writer writer;
  private final long timer;

  /** Every position up to this one is handled. Poll thread only (one poll at a time). */
  private long floor;

  /** Positions above the floor already handled. */
  private final Set<Long> seen = new HashSet<>();

  /** Positions above the floor not seen yet: when each was first missed. */
  private final Map<Long, Long> missingSince = new HashMap<>();

  private volatile boolean polling;

  /**
   * @param from the log position the loaded content already holds: entries after it are taken
   */
  public ExternalChanges(
      Vertx vertx,
      WorkerExecutor pool,
      FeatureStore store,
      Writer writer,
      long from,
      long periodMs) {
    this.vertx = vertx;
    this.pool = pool;
    this.store = store;
    this.writer = writer;
    this.floor = from;
    this.timer = vertx.setPeriodic(periodMs, id -> poll());
  }

  private void poll() {
    if (polling) {
      return;
    }
    polling = true;
    pool.<Integer>executeBlocking(this::pollOnce, true)
        .onComplete(
            ar -> {
              polling = false;
              if (ar.failed()) {
                LOG.debug(
                    "changes from the store: cannot read the log now: {}", ar.cause().getMessage());
              } else if (ar.result() > 0) {
                LOG.info("took {} change(s) other programs made in the store", ar.result());
              }
            });
  }

  /** One pass over the log past the floor; returns how many entries were taken into memory. */
  int pollOnce() {
    int taken = 0;
    long now = System.currentTimeMillis();
    List<LoggedChange> entries = store.changesAfter(floor, PAGE);
    for (LoggedChange e : entries) {
      if (!seen.add(e.seq())) {
        continue;
      }
      missingSince.remove(e.seq());
      boolean own = e.writer() != null && e.writer().equals(store.node());
      if (!own) { // another program's row, or another node's write
        List<Feature> rows = store.features(e.layer(), e.ids());
        writer.applyStored(e.layer(), rows, e.seq());
        taken++;
      }
    }
    long top = seen.stream().mapToLong(Long::longValue).max().orElse(floor);
    for (long s = floor + 1; s < top; s++) {
      if (!seen.contains(s)) {
        missingSince.putIfAbsent(s, now);
      }
    }
    // the floor moves over what is handled and over gaps waited for long enough
    while (true) {
      long next = floor + 1;
      if (seen.remove(next)) {
        floor = next;
      } else if (missingSince.containsKey(next) && now - missingSince.get(next) >= GAP_WAIT_MS) {
        missingSince.remove(next);
        floor = next;
      } else {
        break;
      }
    }
    return taken;
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
