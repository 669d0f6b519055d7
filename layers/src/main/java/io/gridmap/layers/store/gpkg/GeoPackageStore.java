package io.gridmap.layers.store.gpkg;

import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.StoreException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A {@link FeatureStore} in one GeoPackage file: a standard GeoPackage that QGIS and GDAL open as
 * they are (see {@link StoreSchema} for the layout).
 *
 * <p>Reads and whole writes hold nothing open between calls: each opens the file, does its work and
 * closes it, so the file can be replaced under the store by a write. Changes ({@link #apply}) keep
 * one connection open until {@link #close()}: do not replace the file while changing it.
 */
public final class GeoPackageStore implements FeatureStore, io.gridmap.layers.track.TrackStore {
  private final Path file;
  private volatile boolean closed;
  private final GeoPackageEditor editor;

  public GeoPackageStore(Path file) {
    this(file, true);
  }

  /**
   * @param writeAheadLog false to write changes with SQLite's rollback journal, as the editor falls
   *     back to when it cannot turn the file to the log and as stores of earlier releases were
   *     written (the crash test's second writer)
   */
  GeoPackageStore(Path file, boolean writeAheadLog) {
    this.file = file;
    this.editor = new GeoPackageEditor(file, writeAheadLog);
    this.scheduled =
        new io.gridmap.layers.schedule.JdbcScheduledEdits(
            file.toString(),
            new io.gridmap.layers.schedule.JdbcScheduledEdits.Connections() {
              @Override
              public <T> T with(io.gridmap.layers.schedule.JdbcScheduledEdits.Work<T> work)
                  throws java.sql.SQLException {
                open();
                return editor.withConnection(work);
              }
            });
  }

  @Override
  public String location() {
    return file.toString();
  }

  @Override
  public void write(Dataset dataset) {
    open();
    // the editor's connection would go on writing to the file this one replaces: it opens again on
    // the next change
    editor.closeForReplacement();
    new GeoPackageWriter(file).write(dataset);
    editor.forgetOpenChunks();
  }

  @Override
  public Dataset read() {
    open();
    return new GeoPackageReader(file).read();
  }

  @Override
  public boolean holdsACity() {
    open();
    return java.nio.file.Files.exists(file);
  }

  @Override
  public DatasetMetadata metadata() {
    open();
    return new GeoPackageReader(file).metadata();
  }

  @Override
  public Map<String, Integer> counts() {
    open();
    return new GeoPackageReader(file).counts();
  }

  @Override
  public long apply(
      io.gridmap.layers.edit.Change change, io.gridmap.layers.edit.Provenance provenance) {
    open();
    return editor.apply(change, provenance);
  }

  @Override
  public long[] applyAll(
      java.util.List<io.gridmap.layers.edit.Change> changes,
      java.util.List<io.gridmap.layers.edit.Provenance> provenances) {
    open();
    return editor.applyAll(changes, provenances);
  }

  /** The audit log is the store's {@code audit_log} table (see {@link GeoPackageEditor}). */
  @Override
  public boolean keepsAudit() {
    return true;
  }

  @Override
  public long[] applyAll(
      java.util.List<io.gridmap.layers.edit.Change> changes,
      java.util.List<io.gridmap.layers.edit.Provenance> provenances,
      java.util.List<String> auditEntries) {
    open();
    return editor.applyAll(changes, provenances, auditEntries);
  }

  @Override
  public void audit(String entry) {
    open();
    editor.audit(entry, -1);
  }

  @Override
  public void readAudit(java.util.function.Predicate<String> visitor) {
    open();
    new GeoPackageReader(file).readAudit(visitor);
  }

  @Override
  public java.util.List<io.gridmap.layers.edit.LoggedChange> changesAfter(long after, int limit) {
    open();
    return editor.changesAfter(after, limit);
  }

  @Override
  public io.gridmap.layers.edit.LogRange logRange() {
    open();
    return editor.logRange();
  }

  @Override
  public java.util.List<io.gridmap.layers.edit.FeatureVersion> history(String layer, long id) {
    open();
    return editor.history(layer, id);
  }

  @Override
  public long maxHistoricId(String layer, long from, long to) {
    open();
    return editor.maxHistoricId(layer, from, to);
  }

  @Override
  public java.util.List<io.gridmap.layers.edit.PastState> asOf(String layer, java.time.Instant t) {
    open();
    return editor.asOf(layer, t);
  }

  @Override
  public java.util.Map<Integer, java.util.Map<Long, org.locationtech.jts.geom.Geometry>>
      tileGeometriesAsOf(String layer, java.time.Instant t) {
    open();
    return editor.tileGeometriesAsOf(layer, t);
  }

  @Override
  public java.util.List<io.gridmap.layers.edit.EditedFeature> editedBy(long seq) {
    open();
    return editor.editedBy(seq);
  }

  @Override
  public java.util.List<io.gridmap.layers.model.LayerDef> importedLayers() {
    open();
    return new GeoPackageReader(file).imported();
  }

  @Override
  public java.util.Optional<io.gridmap.layers.model.Layer> readImportedLayer(String name) {
    open();
    return new GeoPackageReader(file).readImported(name);
  }

  /**
   * In one SQLite transaction on the editor's connection (the one writer of the file). The import's
   * audit entry is the server's to record (ImportHandler), as for a PostGIS store.
   */
  @Override
  public long replaceLayer(io.gridmap.layers.store.LayerImport layer) {
    open();
    return editor.replaceLayer(layer);
  }

  @Override
  public java.util.Optional<io.gridmap.layers.track.TrackStore> tracks() {
    return java.util.Optional.of(this);
  }

  @Override
  public java.util.List<io.gridmap.layers.track.TrackPoint> track(
      long forceId, long from, long to) {
    open();
    return editor.track(forceId, from, to);
  }

  @Override
  public int deleteBefore(long before, int limit) {
    open();
    return editor.deleteTracksBefore(before, limit);
  }

  @Override
  public void recording(boolean on) {
    editor.recordTracks(on);
  }

  private final io.gridmap.layers.schedule.ScheduledEdits scheduled;

  @Override
  public java.util.Optional<io.gridmap.layers.schedule.ScheduledEdits> scheduledEdits() {
    return java.util.Optional.of(scheduled);
  }

  @Override
  public void close() {
    closed = true;
    editor.close();
  }

  private void open() {
    if (closed) {
      throw new StoreException("store " + file + " is closed");
    }
  }

  @Override
  public String toString() {
    return "GeoPackageStore[" + file + "]";
  }
}
