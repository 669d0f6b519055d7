package io.gridmap.server.write;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.edit.Provenance;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.FieldType;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.server.content.Content;
import io.gridmap.server.security.AuditLog;
import io.gridmap.server.security.Principal;
import io.gridmap.server.web.ApiException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.locationtech.jts.geom.Point;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way anything is written: edits, positions, and every write path added later. One thread
 * takes writes in arrival order and, for each, (1) plans it against the current index (the plan
 * checks permissions, scope and topology and may refuse with a 4xx), (2) records it in the audit
 * log, (3) applies it to the store in one transaction, with its audit entry when the store keeps
 * the log (GeoPackage, PostGIS: one commit, one fsync), (4) swaps it into the index and the tiles.
 * The caller's future completes when the write is visible to every reader.
 *
 * <p>One writer means writes never race each other: the store sees one transaction at a time, and a
 * plan sees every earlier write. Point-layer writes of its own group are not in the index yet
 * (below); a plan reads features through {@link #latest()}, which has them. Writes to point layers
 * (positions, incidents) that arrive together are committed together (group commit): their audit
 * entries and their changes in one store transaction (each keeps its own change-log position and
 * history version), and they are swapped into memory together. At thousands of positions and
 * transitions a second, one flush or one index rebuild per write would be the limit; with a pace
 * ({@code write_group_ms}, 10 ms by default), the writer lets writes from several clients gather
 * for a few milliseconds when its last group began that recently ({@link #gather}), so that groups
 * are not small for want of waiting. A store failure of the group is retried write by write, so one
 * bad write fails alone. A write to a coverage layer (a grid redrawn) is committed and swapped in
 * on its own, so the next plan sees it.
 *
 * <p>A write that reaches the store always has its entry: in the write's own transaction when the
 * store keeps the log (entry and change commit together or not at all), else in the log's file,
 * forced to disk before the store is touched. If the store then fails, an entry {@code
 * <action>.failed} says so and nothing was changed (in the file it follows the write's own). If
 * memory cannot take a change the store has committed (a bug), the write is still answered as done
 * (it is durable; a retry would repeat it) and the failure is logged: readers see the change after
 * the next start.
 */
public final class Writer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Writer.class);

  /** At most this many writes are taken in one group. */
  private static final int GROUP = 1024;

  /**
   * Turns a request into a change against the current index, or refuses it with an {@link
   * ApiException}.
   */
  @FunctionalInterface
  public interface Plan {
    Change plan(CityIndex current);
  }

  /**
   * A plan whose write changes several layers at once (an admin-layer import: the units, and the
   * key sites, incidents and forces that follow them): its changes are stored in one transaction
   * under one audit entry and swapped in together, like a coverage write with its followers. The
   * plan decides everything that follows: the writer's {@link Follow} is not asked. The first
   * change is the write's own (the one {@link Written} names); the list is never empty.
   */
  public interface MultiPlan extends Plan {
    List<Change> planAll(CityIndex current);

    @Override
    default Change plan(CityIndex current) {
      return planAll(current).get(0);
    }
  }

  /**
   * One write.
   *
   * @param actor who asks
   * @param action what kind of write, for the audit log and the history ("grid.update",
   *     "positions")
   * @param target what it writes to, for the audit log ("grids/500103001001001", "forces")
   * @param plan how it becomes a change
   * @param reason why, in the editor's words, kept in the history and the audit log; or null
   */
  public record Write(Principal actor, String action, String target, Plan plan, String reason) {
    /** A write without a reason given (positions, incidents, most edits). */
    public Write(Principal actor, String action, String target, Plan plan) {
      this(actor, action, target, plan, null);
    }

    /** The same write with a reason. */
    public Write withReason(String why) {
      return new Write(actor, action, target, plan, why);
    }
  }

  /**
   * A feature as the next plan must see it: its newest version among the point-layer writes of the
   * group being planned (not swapped into the index yet), else the index's; null when the layer has
   * no such feature (or a write of the group retired it).
   */
  @FunctionalInterface
  public interface Latest {
    Feature feature(CityIndex current, String layer, long id);
  }

  /**
   * A write that is in the store and visible to readers.
   *
   * @param seq its position in the store's change log
   */
  public record Written(Change change, Map<String, Object> audited, long seq) {}

  /**
   * A queued write; {@code storedSeq} is the change-log position of a change another program
   * already made in the store ({@link #applyStored}), -1 for a write of ours.
   */
  private record Pending(
      Write write, CompletableFuture<Written> done, long storedSeq, Runnable exclusive) {
    Pending(Write write, CompletableFuture<Written> done) {
      this(write, done, -1, null);
    }

    Pending(Write write, CompletableFuture<Written> done, long storedSeq) {
      this(write, done, storedSeq, null);
    }
  }

  private final Content content;
  private final Follow follow;
  private final FeatureStore store;
  private final AuditLog audit;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();

  /** See {@link #gather}. */
  private final long paceNanos;

  /**
   * A group being gathered starts at once when this many writes are in it (the one taken and those
   * waiting), pace or not: by then its fixed costs are shared widely enough (docs/live.md), and
   * under a heavy stream a wait would add latency for nothing (issue 10's 5,000 changes a second
   * fill a group of this size in a few milliseconds).
   */
  static final int ENOUGH = 4;

  /**
   * A group is gathered only while one of the last this many groups held two writes or more: writes
   * that meet are coming from several sources at once. A lone client that sends a write when its
   * last one is answered makes groups of one, and a wait would only delay it (as PostgreSQL's
   * {@code commit_siblings} spares a lone transaction its {@code commit_delay}).
   */
  static final int CROWD = 8;

  /** Groups taken since the last one of two writes or more. Writer thread only. */
  private int sinceCrowded = CROWD;

  /** Whether the writer is waiting in {@link #gather}, to be woken when {@link #ENOUGH} wait. */
  private volatile boolean gathering;

  /** Groups taken and the writes they held, since start (metrics: their ratio). */
  private final java.util.concurrent.atomic.AtomicLong groups =
      new java.util.concurrent.atomic.AtomicLong();

  private final java.util.concurrent.atomic.AtomicLong groupedWrites =
      new java.util.concurrent.atomic.AtomicLong();

  /** When the last group began ({@link System#nanoTime}). Writer thread only. */
  private long groupStart = System.nanoTime();

  private final Thread thread;
  private volatile boolean running = true;

  /**
   * Point-layer changes of the group being processed, not yet swapped in: layer -> id ->
   * replacement. Writer thread only.
   */
  private final Map<String, Map<Long, Change.Replacement>> pending = new LinkedHashMap<>();

  private final java.util.List<Listener> listeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** The change-log position of the newest write of the group being processed. Writer only. */
  private long groupSeq;

  /** Told of every change once readers see it. */
  @FunctionalInterface
  public interface Listener {
    /**
     * @param change what became visible (a group of point-layer writes arrives merged)
     * @param seq the change-log position of its newest write
     */
    void visible(Change change, long seq);
  }

  /**
   * @param content what readers see; its store receives the changes
   * @param audit where every write is recorded
   */
  public Writer(Content content, AuditLog audit) {
    this(content, audit, (current, change) -> List.of());
  }

  /**
   * What an admin-layer change brings with it in other layers, in the same transaction (key sites
   * and open incidents taking the grid that now holds them: {@code OwnershipFollow}).
   */
  @FunctionalInterface
  public interface Follow {
    /**
     * @param current the index the change was planned against
     * @return changes to other layers, possibly none
     */
    List<Change> after(CityIndex current, Change change);
  }

  /**
   * @param content what readers see; its store receives the changes
   * @param audit where every write is recorded
   * @param follow what follows an admin-layer change in other layers, written with it
   */
  public Writer(Content content, AuditLog audit, Follow follow) {
    this(content, audit, follow, java.time.Duration.ZERO);
  }

  /**
   * @param content what readers see; its store receives the changes
   * @param audit where every write is recorded
   * @param follow what follows an admin-layer change in other layers, written with it
   * @param pace how long after the start of the last group the next may start at the earliest
   *     ({@code write_group_ms}; see {@link #gather}); zero: at once
   */
  public Writer(Content content, AuditLog audit, Follow follow, java.time.Duration pace) {
    this.paceNanos = pace.toNanos();
    this.follow = follow;
    this.content = content;
    this.store = content.store().orElse(null);
    this.audit = audit;
    this.thread = new Thread(this::run, "writer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Groups the writer has taken since start (metrics): writes over groups is their mean size. */
  public long groups() {
    return groups.get();
  }

  /** Writes the writer has taken in its groups since start (metrics). */
  public long groupedWrites() {
    return groupedWrites.get();
  }

  /**
   * Calls {@code listener} with every change once readers see it, on the writer thread, in the
   * order of the swaps (live streams): it must be quick and must not throw.
   */
  public void onVisible(Listener listener) {
    listeners.add(listener);
  }

  /**
   * The store's change log after position {@code after} (at most {@code limit} entries): what a
   * live client that reconnects missed. Reads the store: call off the event loop.
   */
  public List<io.gridmap.layers.edit.LoggedChange> changesAfter(long after, int limit) {
    return store == null ? List.of() : store.changesAfter(after, limit);
  }

  /** The positions the store's change log holds now; reads the store. */
  public io.gridmap.layers.edit.LogRange logRange() {
    return store == null ? new io.gridmap.layers.edit.LogRange(1, 0) : store.logRange();
  }

  /**
   * The change-log position the loaded content holds every change up to ({@link
   * FeatureStore#readPosition}): where this node's live stream and its reading of other nodes'
   * changes start. Reads the store when it was not loaded from one.
   */
  public long loadedPosition() {
    return store == null ? 0 : store.readPosition();
  }

  /** The newest change-log position readers see, of this node's writes and those it took in. */
  private volatile long newestVisible;

  /**
   * The newest change-log position readers of this node see: once a write's answer is sent, its
   * position is at most this.
   */
  public long newestVisible() {
    return newestVisible;
  }

  private void visible(Change change, long seq) {
    content.apply(change);
    announce(change, seq);
  }

  /** Tells listeners of a change readers see now, at {@code seq}. */
  private void announce(Change change, long seq) {
    if (seq > newestVisible) {
      newestVisible = seq;
    }
    for (Listener l : listeners) {
      try {
        l.visible(change, seq);
      } catch (RuntimeException e) {
        LOG.error("writer: a change listener failed", e);
      }
    }
  }

  /**
   * How plans read features: through the writes of their group that the index lacks yet (see {@link
   * Latest}). Only the writer thread sees those; elsewhere this reads the index alone.
   */
  public Latest latest() {
    return (current, layer, id) -> {
      Map<Long, Change.Replacement> group =
          Thread.currentThread() == thread ? pending.get(layer) : null;
      Change.Replacement r = group == null ? null : group.get(id);
      return r != null ? r.after() : current.findLayer(layer).flatMap(l -> l.byId(id)).orElse(null);
    };
  }

  /**
   * What a write would change, without writing it: its plan and what follows it in other layers,
   * against the index readers see now, on the calling thread (a dry run: nothing is audited, stored
   * or swapped in). Throws what the plan refuses the write with.
   */
  public List<Change> preview(Write write) {
    CityIndex current = content.index();
    if (write.plan() instanceof MultiPlan multi) {
      return multi.planAll(current);
    }
    Change change = write.plan().plan(current);
    List<Change> all = new ArrayList<>();
    all.add(change);
    LayerDef def = current.findLayer(change.layer()).map(l -> l.def()).orElse(null);
    if (def != null && def.coverage()) {
      all.addAll(follow.after(current, change));
    }
    return all;
  }

  /**
   * Queues a write. The future completes with what was written once readers see it, or fails with
   * the {@link ApiException} the plan refused it with, or with the store's failure.
   */
  public CompletableFuture<Written> submit(Write write) {
    CompletableFuture<Written> done = new CompletableFuture<>();
    if (store == null) {
      done.completeExceptionally(
          new ApiException(
              409,
              "Read-only server",
              "this server serves a dataset held in memory, without a store to write to; start it with --store FILE.gpkg to accept "
                  + write.action()));
      return done;
    }
    if (!running) {
      done.completeExceptionally(
          ApiException.unavailable(
              "the server is shutting down; send the write again to another node or later"));
      return done;
    }
    enqueue(new Pending(write, done));
    return done;
  }

  /** Queues a write, and starts a gathering group at once when {@link #ENOUGH} writes wait. */
  private void enqueue(Pending p) {
    queue.add(p);
    if (gathering && queue.size() + 1 >= ENOUGH) {
      java.util.concurrent.locks.LockSupport.unpark(thread);
    }
  }

  /**
   * Runs {@code task} on the writer thread in its turn among the writes, alone: the writes queued
   * before it are committed and swapped in first, none runs while it does. For a write that is not
   * a {@link Change} (an import replaces a layer whole): the task writes the store itself and swaps
   * the result into {@link Content}, so the store is never written by two threads. The future
   * completes with what the task returns, or fails with what it threw.
   *
   * @param what the write, for messages ("an import")
   */
  public <T> CompletableFuture<T> exclusive(
      String what, java.util.function.Function<FeatureStore, T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    if (store == null) {
      result.completeExceptionally(
          new ApiException(
              409,
              "Read-only server",
              "this server serves a dataset held in memory, without a store to write to; start it"
                  + " with --store FILE.gpkg to accept "
                  + what));
      return result;
    }
    if (!running) {
      result.completeExceptionally(
          ApiException.unavailable("the server is shutting down; send " + what + " again later"));
      return result;
    }
    Runnable run =
        () -> {
          try {
            result.complete(task.apply(store));
          } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
          }
        };
    enqueue(new Pending(null, new CompletableFuture<>(), -1, run));
    return result;
  }

  /**
   * Swaps an imported layer in whole ({@link Content#replaceLayer}: only the tiles its old and new
   * features touch are forgotten) and makes its change-log position visible: listeners get it as a
   * change of that layer with no replacements, so the live stream publishes the position (it
   * delivers nothing: an imported layer is never live) and, on the writer, other nodes hear of it.
   * On the writer thread only: from an {@link #exclusive} task (the import itself) or {@link
   * #applyStoredLayer}.
   *
   * @param generalised zoom -> feature id -> EPSG:3857 polygon; empty for a point layer
   * @param seq the import's change-log position
   */
  public void layerReplaced(
      io.gridmap.layers.model.Layer layer,
      Map<Integer, Map<Long, org.locationtech.jts.geom.Geometry>> generalised,
      long seq) {
    if (Thread.currentThread() != thread) {
      throw new IllegalStateException("layerReplaced runs on the writer thread");
    }
    content.replaceLayer(layer, generalised);
    announce(Change.of(layer.name(), List.of()), seq);
  }

  /**
   * Makes visible, in its turn among the writes, a layer another node imported (its change-log
   * entry at {@code seq}, {@code layer.import}): the layer as the store holds it now, swapped in as
   * the importing node swapped it ({@link #layerReplaced}).
   */
  public CompletableFuture<Void> applyStoredLayer(
      io.gridmap.layers.model.Layer layer,
      Map<Integer, Map<Long, org.locationtech.jts.geom.Geometry>> generalised,
      long seq) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Runnable run =
        () -> {
          try {
            layerReplaced(layer, generalised, seq);
            done.complete(null);
          } catch (RuntimeException e) {
            done.completeExceptionally(e);
          }
        };
    // queued even while stopping: it is in the store already, like applyStored
    enqueue(new Pending(null, new CompletableFuture<>(), -1, run));
    return done;
  }

  /**
   * Makes visible, in its turn among the writes, a change another program already made in the store
   * (its change-log entry at {@code seq}): {@code rows} are the features as the store holds them
   * now, each replacing the feature of that id (or added). Nothing is planned, audited or stored:
   * it is in the store already. Readers and live subscribers see it with its log position.
   */
  public CompletableFuture<Written> applyStored(String layer, List<Feature> rows, long seq) {
    return applyStored(layer, rows, Map.of(), seq);
  }

  /**
   * {@link #applyStored(String, List, long)} for a coverage layer, with the generalised polygons
   * the store holds for the rows ({@link io.gridmap.layers.store.FeatureStore#tileGeometries}): a
   * row whose outline changed and has none at a zoom the index draws is gone at that zoom (smaller
   * than a pixel there), as the node that wrote it decided.
   */
  public CompletableFuture<Written> applyStored(
      String layer,
      List<Feature> rows,
      Map<Integer, Map<Long, org.locationtech.jts.geom.Geometry>> generalised,
      long seq) {
    return applyStored(
        layer, rows.stream().mapToLong(Feature::id).toArray(), rows, generalised, seq);
  }

  /**
   * {@link #applyStored(String, List, Map, long)} for a change-log entry naming {@code ids}: an id
   * the store no longer holds ({@code rows} lack it) and the index does was retired by the other
   * node, and is retired here too.
   */
  public CompletableFuture<Written> applyStored(
      String layer,
      long[] ids,
      List<Feature> rows,
      Map<Integer, Map<Long, org.locationtech.jts.geom.Geometry>> generalised,
      long seq) {
    CompletableFuture<Written> done = new CompletableFuture<>();
    Plan plan =
        current -> {
          List<Change.Replacement> replaced = new ArrayList<>();
          java.util.Set<Long> held = new java.util.HashSet<>();
          for (Feature f : rows) {
            held.add(f.id());
            Feature before = latest().feature(current, layer, f.id());
            if (before == null) {
              replaced.add(Change.Replacement.added(f));
            } else if (!same(before, f)) {
              replaced.add(new Change.Replacement(before, f));
            }
          }
          for (long id : java.util.Arrays.stream(ids).distinct().toArray()) {
            Feature before = held.contains(id) ? null : latest().feature(current, layer, id);
            if (before != null) {
              replaced.add(Change.Replacement.retired(before));
            }
          }
          if (generalised.isEmpty()) {
            return Change.of(layer, replaced);
          }
          org.locationtech.jts.geom.Geometry none =
              new org.locationtech.jts.geom.GeometryFactory().createPolygon();
          Map<Integer, Map<Long, org.locationtech.jts.geom.Geometry>> byZoom = new HashMap<>();
          for (int z = 0; z <= 30; z++) {
            if (current.generalised(layer, z).isEmpty()) {
              continue;
            }
            Map<Long, org.locationtech.jts.geom.Geometry> stored =
                generalised.getOrDefault(z, Map.of());
            Map<Long, org.locationtech.jts.geom.Geometry> zoom = new HashMap<>();
            for (Change.Replacement r : replaced) {
              if (r.geometryChanged() && !r.isRetired()) {
                zoom.put(r.id(), stored.getOrDefault(r.id(), none));
              }
            }
            if (!zoom.isEmpty()) {
              byZoom.put(z, zoom);
            }
          }
          return new Change(layer, replaced, byZoom);
        };
    enqueue(new Pending(new Write(null, "external", layer, plan), done, seq));
    return done;
  }

  private static boolean same(Feature a, Feature b) {
    return a.personal() == b.personal()
        && java.util.Arrays.equals(a.values(), b.values())
        && a.geometry().equalsExact(b.geometry());
  }

  private void run() {
    List<Pending> group = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        gather();
        queue.drainTo(group, GROUP - 1);
        sinceCrowded = group.size() > 1 ? 0 : Math.min(sinceCrowded + 1, CROWD);
        groups.incrementAndGet();
        groupedWrites.addAndGet(group.size());
        process(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      } catch (RuntimeException | Error e) {
        // process() completes every future itself; this only guards the thread against a bug
        LOG.error("writer: unexpected failure", e);
        pending.clear();
        group.forEach(p -> p.done().completeExceptionally(e));
      } finally {
        group.clear();
      }
    }
  }

  /**
   * Waits, when the last group began less than the pace ago, until it began that long ago, so that
   * the writes arriving meanwhile join this group. Each group pays once for what a commit costs
   * whatever its size: the store's commit and its fsync (the audit entries in it), the swap into
   * the index and the tiles, the live stream's message. Under 1,000 changes a second the writer
   * otherwise commits as soon as the last commit ends, about 250 groups of 1.6 writes a second, and
   * those fixed costs were more than a third of its CPU (docs/benchmarks.md, "write groups
   * gathered"; with a pace of 10 ms about 100 groups of 3.8 writes). Nothing waits when writes are
   * sparse (the last group began long ago), when the writer is behind (a group took longer than the
   * pace) or when none of the last {@link #CROWD} groups held two writes (a lone client that waits
   * for each answer), and the wait ends as soon as {@link #ENOUGH} writes are in the group: it only
   * gathers writes that would have made small groups, so a heavy stream is not held back. As
   * PostgreSQL's {@code commit_delay} with its {@code commit_siblings}, a little latency for fewer
   * commits.
   */
  private void gather() {
    long now = System.nanoTime();
    long until = groupStart + paceNanos;
    if (until - now > 0 && sinceCrowded < CROWD && queue.size() + 1 < ENOUGH) {
      gathering = true; // before the size is read again: a write queued meanwhile is seen or wakes
      try {
        while ((now = System.nanoTime()) - until < 0 && queue.size() + 1 < ENOUGH) {
          java.util.concurrent.locks.LockSupport.parkNanos(this, until - now);
          if (Thread.interrupted()) {
            // stopping: the writes taken and queued are still processed, and the flag is not kept
            // (an interrupted thread's file channel would close under the audit log's flush)
            running = false;
            break;
          }
        }
      } finally {
        gathering = false;
      }
      now = System.nanoTime();
    }
    groupStart = now;
  }

  /**
   * A planned write: a point-layer write of the run being committed together, or an admin-layer
   * write with what follows it in other layers ({@code followers}, empty for point layers).
   */
  private record Planned(
      Pending pending, Change change, Map<String, Object> described, List<Change> followers) {
    Planned(Pending pending, Change change, Map<String, Object> described) {
      this(pending, change, described, List.of());
    }
  }

  /**
   * Processes a group: plans each write in order; point-layer writes that follow each other form a
   * run, audited with one flush and applied to the store in one transaction (group commit: at
   * thousands of positions and transitions a second, one flush per write would be the limit), then
   * swapped into memory together. A coverage-layer write ends the run and is applied and swapped on
   * its own, so that the next plan sees it.
   */
  private void process(List<Pending> group) {
    List<Planned> run = new ArrayList<>();
    for (Pending p : group) {
      Write w = p.write();
      if (p.exclusive() != null) {
        commit(run); // in its turn: the writes before it are swapped in first
        p.exclusive().run();
        continue;
      }
      if (p.storedSeq() >= 0) {
        commit(run); // in its turn: the writes before it are swapped in first
        swapStored(p);
        continue;
      }
      Change change;
      List<Change> more = null; // a MultiPlan's other changes
      try {
        if (w.plan() instanceof MultiPlan multi) {
          List<Change> all = multi.planAll(content.index());
          change = all.get(0);
          more = all.subList(1, all.size());
        } else {
          change = w.plan().plan(content.index());
        }
      } catch (RuntimeException refused) {
        p.done().completeExceptionally(refused);
        continue;
      }
      // the layer as the index holds it: an imported layer (outside the catalogue) is known too
      LayerDef def =
          content
              .index()
              .findLayer(change.layer())
              .map(io.gridmap.layers.index.LayerIndex::def)
              .orElse(Catalogue.byName(change.layer()).orElse(null));
      Map<String, Object> described = describe(change, def);
      if (p.write().reason() != null) {
        described = new LinkedHashMap<>(described);
        described.put("reason", p.write().reason());
      }
      if (more != null || (def != null && def.coverage())) {
        commit(run); // keep the order of swaps the order of writes
        List<Change> followers;
        try {
          followers = more != null ? more : follow.after(content.index(), change);
        } catch (RuntimeException refused) {
          p.done().completeExceptionally(refused);
          continue;
        }
        if (!followers.isEmpty()) {
          described = new LinkedHashMap<>(described);
          Map<String, Object> followed = new LinkedHashMap<>();
          followers.forEach(c -> followed.put(c.layer(), c.replacements().size()));
          described.put("followed", followed);
        }
        commitCoverage(new Planned(p, change, described, followers), def);
        continue;
      }
      run.add(new Planned(p, change, described));
      // the next plans of the run see this write (latest())
      Map<Long, Change.Replacement> merged =
          pending.computeIfAbsent(change.layer(), k -> new LinkedHashMap<>());
      change.replacements().forEach(r -> merge(merged, r));
    }
    commit(run);
  }

  /**
   * Adds a later write of a feature to the group's merged replacements: the group's first version
   * before, its last after. A feature added and retired within the group never reaches the index.
   */
  private static void merge(Map<Long, Change.Replacement> merged, Change.Replacement r) {
    Change.Replacement earlier = merged.get(r.id());
    if (earlier == null) {
      merged.put(r.id(), r);
    } else if (earlier.before() == null && r.after() == null) {
      merged.remove(r.id());
    } else {
      merged.put(r.id(), new Change.Replacement(earlier.before(), r.after()));
    }
  }

  /** Swaps in a change another program made in the store; see {@link #applyStored}. */
  private void swapStored(Pending p) {
    Change change;
    try {
      change = p.write().plan().plan(content.index());
    } catch (RuntimeException e) {
      LOG.error(
          "writer: cannot take {} change {} into memory", p.write().target(), p.storedSeq(), e);
      p.done().completeExceptionally(e);
      return;
    }
    try {
      if (!change.isEmpty()) {
        visible(change, p.storedSeq());
      }
    } catch (RuntimeException e) {
      // the store has it: readers see it after a restart
      LOG.error("writer: a change from the store could not be swapped into memory", e);
    }
    p.done().complete(new Written(change, Map.of("layer", change.layer()), p.storedSeq()));
  }

  private static Provenance provenance(Write w) {
    return new Provenance(
        w.actor().subject(), w.actor().role().code(), w.action(), Instant.now(), w.reason());
  }

  /** Audits, stores and swaps in one coverage-layer write. */
  private void commitCoverage(Planned one, LayerDef def) {
    Write w = one.pending().write();
    AuditLog.Pending entry =
        new AuditLog.Pending(w.actor(), w.action(), w.target(), one.described());
    boolean inStore = audit.inStore();
    if (!inStore) {
      try {
        audit.recordAll(List.of(entry));
      } catch (RuntimeException e) {
        LOG.error(
            "writer: cannot audit {} by {}: nothing written", w.action(), w.actor().subject(), e);
        one.pending().done().completeExceptionally(e);
        return;
      }
    }
    List<Change> changes = new ArrayList<>(1 + one.followers().size());
    changes.add(one.change());
    changes.addAll(one.followers());
    Provenance provenance = provenance(w);
    List<Provenance> provenances = java.util.Collections.nCopies(changes.size(), provenance);
    long[] seqs;
    try {
      // a store that keeps the audit log writes the entry in the write's own transaction; what
      // follows in other layers is in the same transaction, under the write's one entry
      seqs =
          inStore
              ? store.applyAll(changes, provenances, List.of(AuditLog.entry(entry)))
              : store.applyAll(changes, provenances);
    } catch (RuntimeException e) {
      LOG.error(
          "writer: the store refused {} by {}: {}",
          w.action(),
          w.actor().subject(),
          e.getMessage());
      recordQuietly(w, e);
      one.pending().done().completeExceptionally(e);
      return;
    }
    try {
      for (int i = 0; i < changes.size(); i++) {
        visible(changes.get(i), seqs[i]);
      }
    } catch (RuntimeException e) {
      // the store has the write; memory could not take it: readers see it after a restart
      LOG.error("writer: a committed {} could not be swapped into memory", w.action(), e);
    }
    one.pending().done().complete(new Written(one.change(), one.described(), seqs[0]));
  }

  /**
   * Commits a run of point-layer writes: their audit entries with one flush, their changes in one
   * store transaction, then one swap per layer. If the store refuses the run, it is retried write
   * by write, so that one bad write fails alone, as it would have without the group.
   */
  private void commit(List<Planned> run) {
    if (run.isEmpty()) {
      return;
    }
    List<AuditLog.Pending> entries = new ArrayList<>(run.size());
    for (Planned p : run) {
      Write w = p.pending().write();
      entries.add(new AuditLog.Pending(w.actor(), w.action(), w.target(), p.described()));
    }
    boolean inStore = audit.inStore();
    if (!inStore) {
      try {
        audit.recordAll(entries);
      } catch (RuntimeException e) {
        LOG.error("writer: cannot audit {} writes: nothing written", run.size(), e);
        run.forEach(p -> p.pending().done().completeExceptionally(e));
        pending.clear();
        run.clear();
        return;
      }
    }
    List<String> inStoreEntries = new ArrayList<>(inStore ? run.size() : 0);
    if (inStore) {
      entries.forEach(e -> inStoreEntries.add(AuditLog.entry(e)));
    }
    List<Change> changes = new ArrayList<>(run.size());
    List<Provenance> provenances = new ArrayList<>(run.size());
    for (Planned p : run) {
      changes.add(p.change());
      provenances.add(provenance(p.pending().write()));
    }
    long[] seqs;
    boolean[] failed = new boolean[run.size()];
    try {
      seqs =
          inStore
              ? store.applyAll(changes, provenances, inStoreEntries)
              : store.applyAll(changes, provenances);
    } catch (RuntimeException groupFailure) {
      seqs = new long[run.size()];
      // a store that cannot be reached refuses every write of the group alike: fail them at once
      // (503) instead of waiting for the pool's timeout once per write
      boolean away = io.gridmap.layers.store.StoreUnavailableException.in(groupFailure) != null;
      for (int i = 0; i < run.size(); i++) {
        Write w = run.get(i).pending().write();
        try {
          if (away) {
            throw groupFailure;
          }
          seqs[i] =
              inStore
                  ? store
                      .applyAll(
                          List.of(changes.get(i)),
                          List.of(provenances.get(i)),
                          List.of(inStoreEntries.get(i)))[0]
                  : store.apply(changes.get(i), provenances.get(i));
        } catch (RuntimeException e) {
          if (io.gridmap.layers.store.StoreUnavailableException.in(e)
              instanceof io.gridmap.layers.store.NotTheWriterException) {
            // another node writes: the write is forwarded to it, the normal path on this node
            LOG.debug("writer: {} by {} goes to the writer", w.action(), w.actor().subject());
          } else {
            LOG.error(
                "writer: the store refused {} by {}: {}",
                w.action(),
                w.actor().subject(),
                e.getMessage());
          }
          recordQuietly(w, e);
          run.get(i).pending().done().completeExceptionally(e);
          failed[i] = true;
        }
      }
      // memory takes only what the store took
      pending.clear();
      for (int i = 0; i < run.size(); i++) {
        if (!failed[i]) {
          Map<Long, Change.Replacement> merged =
              pending.computeIfAbsent(changes.get(i).layer(), k -> new LinkedHashMap<>());
          changes.get(i).replacements().forEach(r -> merge(merged, r));
        }
      }
    }
    long last = 0;
    for (int i = 0; i < run.size(); i++) {
      if (!failed[i]) {
        last = Math.max(last, seqs[i]);
      }
    }
    groupSeq = last;
    List<Runnable> afterSwap = new ArrayList<>();
    for (int i = 0; i < run.size(); i++) {
      if (!failed[i]) {
        Planned p = run.get(i);
        Written written = new Written(p.change(), p.described(), seqs[i]);
        afterSwap.add(() -> p.pending().done().complete(written));
      }
    }
    swap(afterSwap);
    run.clear();
  }

  private void swap(List<Runnable> afterSwap) {
    try {
      long seq = groupSeq;
      pending.forEach(
          (layer, byId) -> visible(Change.of(layer, new ArrayList<>(byId.values())), seq));
    } catch (RuntimeException e) {
      // the store has the writes; memory could not take them: readers see them after a restart
      LOG.error("writer: committed writes could not be swapped into memory", e);
    }
    pending.clear();
    afterSwap.forEach(Runnable::run);
    afterSwap.clear();
  }

  private void recordQuietly(Write w, RuntimeException failure) {
    if (io.gridmap.layers.store.StoreUnavailableException.in(failure)
        instanceof io.gridmap.layers.store.NotTheWriterException) {
      return; // not a failed write: it goes to the node whose turn it is, which records it
    }
    try {
      audit.record(
          w.actor(),
          w.action() + ".failed",
          w.target(),
          Map.of("error", String.valueOf(failure.getMessage())));
    } catch (RuntimeException e) {
      LOG.error("writer: cannot audit the failure of {}", w.action(), e);
    }
  }

  /**
   * What a change changed, for the audit log: per feature, each field whose value changed (before
   * and after), and the geometry (a point's old and new position; for a polygon that it changed and
   * its vertex counts: the history table keeps the shapes).
   */
  static Map<String, Object> describe(Change change, LayerDef def) {
    List<Map<String, Object>> features = new ArrayList<>();
    for (Change.Replacement r : change.replacements()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("id", r.id());
      if (r.isRetired()) {
        // the history keeps the feature as it last was: the entry says what went, not its values
        one.put("retired", true);
        if (r.before().geometry() instanceof Point pa) {
          one.put("position", List.of(pa.getX(), pa.getY()));
        } else {
          one.put("geometry", Map.of("vertices", r.before().geometry().getNumPoints()));
        }
        features.add(one);
        continue;
      }
      Map<String, Object> fields = new LinkedHashMap<>();
      Feature a = r.before();
      Feature b = r.after();
      if (a == null) {
        one.put("added", true);
      }
      for (int i = 0; def != null && i < def.fields().size(); i++) {
        Object va = a == null ? null : a.value(i);
        Object vb = b.value(i);
        if (!java.util.Objects.equals(va, vb)) {
          boolean time = def.fields().get(i).type() == FieldType.TIMESTAMP;
          fields.put(
              def.fields().get(i).name(),
              java.util.Arrays.asList(time ? iso(va) : va, time ? iso(vb) : vb));
        }
      }
      if (!fields.isEmpty()) {
        one.put("fields", fields);
      }
      if (a == null) {
        if (b.geometry() instanceof Point pb) {
          one.put("position", List.of(pb.getX(), pb.getY()));
        }
      } else if (r.geometryChanged()) {
        if (a.geometry() instanceof Point pa && b.geometry() instanceof Point pb) {
          one.put(
              "position", List.of(List.of(pa.getX(), pa.getY()), List.of(pb.getX(), pb.getY())));
        } else {
          one.put(
              "geometry",
              Map.of(
                  "changed",
                  true,
                  "vertices",
                  List.of(a.geometry().getNumPoints(), b.geometry().getNumPoints())));
        }
      }
      if (a != null && a.personal() != b.personal()) {
        one.put("personal", List.of(a.personal(), b.personal()));
      }
      features.add(one);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("layer", change.layer());
    out.put("features", features);
    return out;
  }

  private static Object iso(Object epochMillis) {
    return epochMillis == null ? null : Instant.ofEpochMilli((Long) epochMillis).toString();
  }

  /** Finishes the writes already queued, then stops taking new ones. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(TimeUnit.SECONDS.toMillis(30));
  }
}
