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

  /** The coverage layers, which tiles draw from generalised polygons. */
  private static final Set<String> ADMIN_LAYERS =
      java.util.Arrays.stream(io.gridmap.layers.index.AdminLevel.values())
          .map(io.gridmap.layers.index.AdminLevel::layerName)
          .collect(java.util.stream.Collectors.toUnmodifiableSet());

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

  /** Asked for another pass while one was under way (a notice arrived). */
  private volatile boolean again;

  /** Every position up to this one is handled and visible; read by waiters. */
  private volatile long visibleFloor;

  /** Positions above the floor handled and visible. Poll thread writes, waiters read. */
  private final Set<Long> visibleAbove = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Callers waiting for a position to be visible here (read your own writes), by position. */
  private final java.util.NavigableMap<Long, List<io.vertx.core.Promise<Void>>> waiters =
      new java.util.concurrent.ConcurrentSkipListMap<>();

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
    this.visibleFloor = from;
    this.timer = vertx.setPeriodic(periodMs, id -> poll());
  }

  /** Reads the log now (news of a change arrived), or again once the pass under way ends. */
  public void pollNow() {
    again = true;
    poll();
  }

  /**
   * Completes once the change at {@code seq} is visible on this node (in its tiles, items and live
   * stream), or fails after {@code timeoutMs}: how a node answers a write it forwarded only once it
   * shows it (read your own writes).
   */
  public io.vertx.core.Future<Void> reached(long seq, long timeoutMs) {
    if (isVisible(seq)) {
      return io.vertx.core.Future.succeededFuture();
    }
    io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
    waiters.computeIfAbsent(seq, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(p);
    long timer =
        vertx.setTimer(
            timeoutMs,
            id ->
                p.tryFail(
                    "change "
                        + seq
                        + " was written but this node did not show it within "
                        + timeoutMs
                        + " ms"));
    p.future().onComplete(ar -> vertx.cancelTimer(timer));
    if (isVisible(seq)) { // made visible while the waiter was being added
      p.tryComplete();
    }
    pollNow();
    return p.future();
  }

  private boolean isVisible(long seq) {
    return seq <= visibleFloor || visibleAbove.contains(seq);
  }

  private void poll() {
    if (polling) {
      return;
    }
    polling = true;
    again = false;
    pool.<Integer>executeBlocking(this::pollOnce, true)
        .onComplete(
            ar -> {
              polling = false;
              if (ar.failed()) {
                LOG.debug(
                    "changes from the store: cannot read the log now: {}", ar.cause().getMessage());
              } else if (ar.result() > 0) {
                LOG.debug(
                    "took {} change(s) other nodes or programs made in the store", ar.result());
              }
              wakeWaiters();
              if (again) {
                poll();
              }
            });
  }

  private void wakeWaiters() {
    for (var it = waiters.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (isVisible(e.getKey())) {
        e.getValue().forEach(io.vertx.core.Promise::tryComplete);
        it.remove();
      } else if (e.getValue().stream().allMatch(p -> p.future().isComplete())) {
        it.remove(); // timed out
      }
    }
  }

  /** One pass over the log past the floor; returns how many entries were taken into memory. */
  int pollOnce() {
    int taken = 0;
    long now = System.currentTimeMillis();
    List<LoggedChange> entries = store.changesAfter(floor, PAGE);
    List<java.util.concurrent.CompletableFuture<?>> applying = new java.util.ArrayList<>();
    List<Long> handled = new java.util.ArrayList<>();
    for (LoggedChange e : entries) {
      if (!seen.add(e.seq())) {
        continue;
      }
      missingSince.remove(e.seq());
      boolean own = e.writer() != null && e.writer().equals(store.node());
      if (!own) { // another program's row, or another node's write
        List<Feature> rows;
        Map<Integer, Map<Long, org.locationtech.jts.geom.Geometry>> generalised;
        try {
          rows = store.features(e.layer(), e.ids());
          // an admin level's outlines come with their generalised polygons (another node's
          // redraw)
          generalised =
              ADMIN_LAYERS.contains(e.layer())
                  ? store.tileGeometries(e.layer(), e.ids())
                  : Map.of();
        } catch (RuntimeException away) {
          seen.remove(e.seq()); // not taken: the next pass takes it again
          throw away;
        }
        applying.add(writer.applyStored(e.layer(), rows, generalised, e.seq()));
        taken++;
      }
      handled.add(e.seq());
    }
    // visible once the writer has swapped them in: then a waiter may answer its client
    for (var f : applying) {
      try {
        f.join();
      } catch (RuntimeException ex) {
        LOG.warn("changes from the store: could not take one into memory: {}", ex.getMessage());
      }
    }
    visibleAbove.addAll(handled);
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
    visibleFloor = floor;
    visibleAbove.removeIf(p -> p <= floor);
    return taken;
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
