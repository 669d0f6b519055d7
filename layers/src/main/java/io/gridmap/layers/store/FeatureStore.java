package io.gridmap.layers.store;

import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import java.util.Map;

/**
 * Where a city's features live between runs: a GeoPackage file today, PostGIS later.
 *
 * <p>A store holds one whole {@link Dataset}: every layer of {@link
 * io.gridmap.layers.model.Catalogue#ALL}, the dataset metadata and the per-zoom generalised
 * polygons. It is written whole by {@code generate} and {@code import} and read whole when the
 * server starts; reads never touch it on the hot path.
 *
 * <p>Every failure is a {@link StoreException} whose message names the store and what is wrong,
 * ready for the CLI to print.
 */
public interface FeatureStore extends AutoCloseable {

  /** Where the store is, as the user gave it (a file path or a URL without credentials). */
  String location();

  /**
   * Replaces the store's content with {@code dataset}. Either the whole dataset is written or the
   * previous content stays as it was: a failure midway never leaves a half-written store.
   */
  void write(Dataset dataset);

  /**
   * Reads the whole dataset back: features of every catalogue layer in id order, metadata,
   * generalised polygons.
   */
  Dataset read();

  /**
   * Whether a city was written here already (a whole write would replace it): the file exists, or
   * the database's schema holds a dataset. Fails only when the store cannot be asked.
   */
  boolean holdsACity();

  /** The dataset metadata alone, without reading any feature. */
  DatasetMetadata metadata();

  /**
   * Features per layer name, in catalogue order, counted in the store (not taken from the
   * metadata).
   */
  Map<String, Integer> counts();

  /**
   * Applies one change in one transaction: the new versions replace the old, the generalised
   * polygons are replaced, and the history gains a version per replaced feature (and the original
   * before a feature's first change). After a crash the store holds the state before or after the
   * change, never a mix. Nothing is written when it fails.
   *
   * <p>The change also gets the next position in the store's change log, in the same transaction: a
   * change is in the log exactly when it is in the store.
   *
   * @return the change's position in the change log
   * @throws StoreException naming the store, the layer and the feature when the change cannot be
   *     applied
   */
  long apply(io.gridmap.layers.edit.Change change, io.gridmap.layers.edit.Provenance provenance);

  /**
   * Applies several changes in one transaction (group commit: one flush to disk for all of them),
   * in order, each with its provenance and its own change-log position. All or none: when one
   * cannot be applied nothing is written and the exception names it. The default applies them one
   * by one, for stores without it.
   *
   * @return the change-log position of each change, in order
   */
  default long[] applyAll(
      java.util.List<io.gridmap.layers.edit.Change> changes,
      java.util.List<io.gridmap.layers.edit.Provenance> provenances) {
    long[] out = new long[changes.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = apply(changes.get(i), provenances.get(i));
    }
    return out;
  }

  /**
   * The change log's entries after position {@code after}, oldest first, at most {@code limit}. The
   * log keeps the last {@link #LOG_RETENTION} changes.
   */
  java.util.List<io.gridmap.layers.edit.LoggedChange> changesAfter(long after, int limit);

  /** The positions the change log holds now. */
  io.gridmap.layers.edit.LogRange logRange();

  /**
   * Changes the log keeps: at the load benchmark's 5,000 changes a second that is over three
   * minutes; at a city's ordinary rate (a few changes a second) days.
   */
  int LOG_RETENTION = 1_000_000;

  /**
   * The features of {@code layer} with these ids as the store holds them now, in id order; an id
   * the store lacks is left out. How a server picks up what other programs wrote into the store
   * (their change-log entries name the ids). Empty for a store that other programs do not write.
   */
  default java.util.List<io.gridmap.layers.model.Feature> features(String layer, long[] ids) {
    return java.util.List.of();
  }

  /**
   * Takes or renews the writer's turn for this node, for {@code length} from now, unless another
   * node holds a turn that has not ended: only the node whose turn it is may write, and a node that
   * lost its turn can never write with it again (the store checks it in every write's transaction).
   * A store that one server writes needs no turns: true.
   *
   * @return whether this node writes now
   */
  default boolean takeTurn(java.time.Duration length) {
    return true;
  }

  /**
   * Ends this node's turn to write now, if it holds one (a server stopping once its writes are
   * done): another node takes it at its next ask instead of when it would have ended. Nothing for a
   * store that one server writes.
   */
  default void releaseTurn() {}

  /**
   * As {@link #takeTurn(java.time.Duration)}, running {@code beforeWriting} when this node takes a
   * new turn, before its first write with it: how a node reads the last writer's changes before
   * writing after them. When it fails the turn is not written with yet; the next call runs it
   * again.
   */
  default boolean takeTurn(java.time.Duration length, Runnable beforeWriting) {
    return takeTurn(length);
  }

  /**
   * Whether the store keeps the audit log itself: each write's entry inserted in the write's own
   * transaction ({@link #applyAll(java.util.List, java.util.List, java.util.List)}), read back with
   * {@link #readAudit}. False: the server keeps it in a file.
   */
  default boolean keepsAudit() {
    return false;
  }

  /**
   * {@link #applyAll(java.util.List, java.util.List)} with each change's audit entry (a JSON
   * object), written in the same transaction by a store that {@link #keepsAudit}; ignored by
   * others.
   */
  default long[] applyAll(
      java.util.List<io.gridmap.layers.edit.Change> changes,
      java.util.List<io.gridmap.layers.edit.Provenance> provenances,
      java.util.List<String> auditEntries) {
    return applyAll(changes, provenances);
  }

  /** Records an audit entry that goes with no change (a write refused), by itself. */
  default void audit(String entry) {}

  /**
   * Hands the audit entries to {@code visitor}, newest first, until it answers false. Nothing for a
   * store that does not {@link #keepsAudit}.
   */
  default void readAudit(java.util.function.Predicate<String> visitor) {}

  /**
   * The generalised polygons ({@code tile_geometries}) of these features of a coverage layer, zoom
   * by zoom, only where a feature has one: how a node takes in another node's grid redraw. Empty
   * for a store that other programs do not write.
   */
  default java.util.Map<Integer, java.util.Map<Long, org.locationtech.jts.geom.Geometry>>
      tileGeometries(String layer, long[] ids) {
    return java.util.Map.of();
  }

  /**
   * Records the URL this node takes forwarded writes at, kept with its name every time it asks for
   * the turn ({@link #takeTurn}). Nothing for a store that one server writes.
   */
  default void advertise(String url) {}

  /**
   * The URL of the node whose turn it is to write, when that is another node that advertised one
   * and its turn has not ended; empty otherwise (this node writes, or nobody can just now).
   */
  default java.util.Optional<String> writerUrl() {
    return java.util.Optional.empty();
  }

  /**
   * This server node's name in the change log ({@link io.gridmap.layers.edit.LoggedChange#writer}),
   * or null.
   */
  default String node() {
    return null;
  }

  /**
   * Whether other programs write into this store beside the server, logging their changes in its
   * change log (a database's triggers), so that a server should read the log for them.
   */
  default boolean sharedWithOtherPrograms() {
    return false;
  }

  /**
   * A change-log position that the last {@link #read()} holds every change up to: changes after it
   * may or may not be in what it read (taking one again is harmless). The log's newest position by
   * default, for a store only this server writes.
   */
  default long readPosition() {
    return logRange().last();
  }

  /** Every stored version of a feature, oldest first; empty when it was never changed. */
  java.util.List<io.gridmap.layers.edit.FeatureVersion> history(String layer, long id);

  /**
   * The largest id from {@code from} to {@code to} (inclusive) that the history of a layer holds a
   * version of, retired features included; -1 when none. With the ids the layer holds now, the
   * largest id ever given in a range: a new grid code is the next one, so a retired code is never
   * given to another grid.
   */
  long maxHistoricId(String layer, long from, long to);

  /**
   * The features the change at log position {@code seq} made versions of, by layer and id; empty
   * when no stored version names that position (an import, a change older than the history's
   * positions, or no such change). Unlike the change log, the history keeps these for good.
   */
  java.util.List<io.gridmap.layers.edit.EditedFeature> editedBy(long seq);

  /**
   * A layer as it was at {@code t}, as far as it differs from now: for every feature with a version
   * made after {@code t}, what it was at {@code t} (null when it did not exist yet, or was retired
   * by then). Features not listed are as they are now. From the history, so as far back as the
   * history goes: changes made before the history kept times are not undone.
   */
  java.util.List<io.gridmap.layers.edit.PastState> asOf(String layer, java.time.Instant t);

  /**
   * The generalised polygons (EPSG:3857, zoom -> feature id -> polygon) a coverage layer's tiles
   * drew at {@code t} and that changes have replaced or dropped since: what a past tile draws.
   * Polygons not listed are drawn as they are now.
   */
  java.util.Map<Integer, java.util.Map<Long, org.locationtech.jts.geom.Geometry>>
      tileGeometriesAsOf(String layer, java.time.Instant t);

  /**
   * The layers imported into this store ({@code mapserver import}), in the order they were first
   * imported. {@link #read()} returns them after the catalogue's layers.
   */
  default java.util.List<io.gridmap.layers.model.LayerDef> importedLayers() {
    return java.util.List.of();
  }

  /**
   * One imported layer as stored now, without reading the whole city (a re-import compares the file
   * with it); empty when no layer of that name was imported.
   */
  default java.util.Optional<io.gridmap.layers.model.Layer> readImportedLayer(String name) {
    return java.util.Optional.empty();
  }

  /**
   * Creates or replaces an imported layer whole, in one transaction with its audit entry and its
   * change-log entry ({@link io.gridmap.layers.edit.LoggedChange#LAYER_IMPORT}: the nodes that read
   * the log take the layer in without a restart): its definition, its features (those not in {@code
   * layer} are gone after), its generalised polygons. A failure or a crash at any point leaves the
   * store as it was.
   *
   * @return the import's change-log position
   * @throws IllegalArgumentException when the name is taken by a built-in layer or a store table
   */
  default long replaceLayer(LayerImport layer) {
    throw new UnsupportedOperationException(
        "this store cannot hold imported layers: " + getClass().getSimpleName());
  }

  /**
   * Checks that the store can be reached now, quickly (a database round trip; nothing for a file,
   * whose failures show on use).
   *
   * @throws StoreUnavailableException when it cannot
   */
  default void check() {}

  /**
   * The forces' tracks this store keeps ({@link io.gridmap.layers.track.TrackStore}), appended in
   * the transaction of every change that moves a force; empty for a store without them.
   */
  default java.util.Optional<io.gridmap.layers.track.TrackStore> tracks() {
    return java.util.Optional.empty();
  }

  /**
   * The edits waiting for their effective instant ({@code scheduled_edits}), kept so that they
   * outlive a restart; empty for a store without them.
   */
  default java.util.Optional<io.gridmap.layers.schedule.ScheduledEdits> scheduledEdits() {
    return java.util.Optional.empty();
  }

  /** Releases what the store holds open; further calls fail. Never throws. */
  @Override
  void close();
}
