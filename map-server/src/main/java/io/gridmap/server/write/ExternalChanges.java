package io.gridmap.server.write;

import io.gridmap.layers.edit.LoggedChange;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.store.FeatureStore;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
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
 * the live stream then show it like any write; an id of the entry the store no longer holds was
 * retired by the node that wrote it, and is retired here too. Another node's import ({@code
 * layer.import}, no ids) brings the imported layer whole, read from the store as a node reads it at
 * startup, and swapped in as the importing node swapped it ({@link Writer#applyStoredLayer}).
 * Entries the server wrote itself are in memory already and skipped.
 *
 * <p>Positions are in commit order (the store gives them under a lock held to commit:
 * V6__commit_ordered_log.sql), so the log read past the floor is always complete up to its newest
 * entry: a position missing below it was rolled back, never one still to come, and the floor moves
 * to the newest entry handled.
 */
public final class ExternalChanges implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExternalChanges.class);

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

  /** Every position up to this one is handled. Under this object's lock (one pass at a time). */
  private long floor;

  private volatile boolean polling;

  /** Asked for another pass while one was under way (a notice arrived). */
  private volatile boolean again;

  /** Every position up to this one is handled and visible; read by waiters. */
  private volatile long visibleFloor;

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
    return seq <= visibleFloor;
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

  /**
   * Reads the log to its newest entry now, on the calling thread, and takes every change in it into
   * memory: what a node does when it takes the turn to write, before its first write, so that it
   * never writes after a change of the last writer's that it has not seen.
   *
   * @throws RuntimeException when the store cannot be read (the turn is then not written with)
   */
  public void catchUp() {
    try {
      do {
        pollOnce();
      } while (fullPage);
    } finally {
      wakeWaiters();
    }
  }

  /** Whether the last pass read a whole page: more may follow at once. */
  private boolean fullPage;

  /**
   * One pass over the log past the floor; returns how many entries were taken into memory. One pass
   * at a time: the periodic poll and a catch-up may ask at once.
   */
  synchronized int pollOnce() {
    int taken = 0;
    List<LoggedChange> entries = store.changesAfter(floor, PAGE);
    List<java.util.concurrent.CompletableFuture<?>> applying = new java.util.ArrayList<>();
    long handled = floor;
    RuntimeException away = null;
    for (LoggedChange e : entries) {
      boolean own = e.writer() != null && e.writer().equals(store.node());
      // another node's import of a layer of its own: the layer whole (an admin-layer import is
      // written as changes that name their features, and is taken in as any change)
      if (!own && e.layerImport() && e.ids().length == 0) {
        io.gridmap.layers.model.Layer layer;
        Map<Integer, Map<Long, org.locationtech.jts.geom.Geometry>> generalised;
        try {
          layer = store.readImportedLayer(e.layer()).orElse(null);
          generalised = layer == null ? Map.of() : storedGeneralised(layer);
        } catch (RuntimeException ex) {
          away = ex;
          break;
        }
        if (layer == null) {
          // gone since (a whole write of the store dropped it): nothing to show, as after a restart
          LOG.warn("changes from the store: imported layer {} is no longer there", e.layer());
        } else {
          applying.add(writer.applyStoredLayer(layer, generalised, e.seq()));
          taken++;
        }
      } else if (!own) { // another program's row, or another node's write
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
        } catch (RuntimeException ex) {
          away = ex; // the store went away: this entry and the ones after it, on the next pass
          break;
        }
        applying.add(writer.applyStored(e.layer(), e.ids(), rows, generalised, e.seq()));
        taken++;
      }
      handled = e.seq();
    }
    // visible once the writer has swapped them in: then a waiter may answer its client
    for (var f : applying) {
      try {
        f.join();
      } catch (RuntimeException ex) {
        LOG.warn("changes from the store: could not take one into memory: {}", ex.getMessage());
      }
    }
    floor = handled;
    visibleFloor = handled;
    if (away != null) {
      throw away;
    }
    fullPage = entries.size() == PAGE;
    if (fullPage) {
      again = true; // more than a page behind: the next page at once
    }
    return taken;
  }

  /**
   * A polygon layer's generalised polygons as the importing node wrote them (tile_geometries),
   * every feature's: what a node loading the store at startup reads with it. Read after the layer:
   * a newer import between the two reads has an entry of its own, taken next, which replaces both.
   */
  private Map<Integer, Map<Long, org.locationtech.jts.geom.Geometry>> storedGeneralised(
      io.gridmap.layers.model.Layer layer) {
    if (layer.def().kind() != io.gridmap.layers.model.GeometryKind.POLYGON) {
      return Map.of();
    }
    long[] ids = layer.features().stream().mapToLong(Feature::id).toArray();
    return store.tileGeometries(layer.name(), ids);
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
