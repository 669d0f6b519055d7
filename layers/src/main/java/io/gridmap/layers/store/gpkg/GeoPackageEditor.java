package io.gridmap.layers.store.gpkg;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.edit.FeatureVersion;
import io.gridmap.layers.edit.Provenance;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.store.DatasetCheck;
import io.gridmap.layers.store.IsoTimestamp;
import io.gridmap.layers.store.PropertiesJson;
import io.gridmap.layers.store.StoreException;
import io.gridmap.layers.track.TrackChunk;
import io.gridmap.layers.track.TrackPoint;
import io.gridmap.layers.track.TrackRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import mil.nga.geopackage.GeoPackage;
import mil.nga.geopackage.extension.rtree.RTreeIndexExtension;
import org.locationtech.jts.geom.Geometry;

/**
 * Applies {@link Change}s to a GeoPackage store, one SQLite transaction each, and keeps every
 * version in a history table.
 *
 * <pre>
 * feature_history       attributes table, one row per version of a changed feature
 *   layer, fid, version     version 1 is the feature before its first change
 *   changed_at, actor, role, action   who made the version (null for version 1)
 *   seq                     the change-log position of the change that made it (null for version 1)
 *   retired                 1 for the version that retired the feature (as it last was), else 0
 *   personal, geom (GeoPackage blob, EPSG:4326), properties (JSON object, field name -> value)
 * change_log            attributes table, one row per change, in commit order
 *   seq                     INTEGER PRIMARY KEY AUTOINCREMENT: the change's position, never reused
 *   changed_at, actor, role, action, layer
 *   fids                    the ids of the changed features, comma-separated
 * scheduled_edits       attributes table, edits waiting for their instant (JdbcScheduledEdits)
 * audit_log             attributes table, the server's audit log: one row per entry, in order
 *   id                      INTEGER PRIMARY KEY AUTOINCREMENT
 *   seq                     the change-log position of the write it records (null for an entry
 *                           that goes with no change: a refused write, a token issued)
 *   entry                   the entry, a JSON object (time, actor, role, ..., changes)
 * position_tracks       attributes table, the forces' tracks: one row per force per run of fixes
 *   force_id, start_ms      the run's first fix (epoch ms), unique together
 *   end_ms, points          its last fix, how many it holds
 *   data                    the fixes packed (TrackCodec)
 * </pre>
 *
 * <p>A change that moves forces also writes their tracks' open chunks, in its transaction ({@link
 * TrackRecorder}).
 *
 * <p>The change log gets its row in the transaction of the change; it keeps the last {@link
 * io.gridmap.layers.store.FeatureStore#LOG_RETENTION} rows (older ones are deleted in the same
 * transaction, a hundred at a time).
 *
 * <p>SQLite's write-ahead log with {@code synchronous = FULL} makes each change atomic and durable:
 * after a crash (kill -9, power loss) mid-change the file and its {@code -wal} hold the old or the
 * new version of every row, never a mix. The log rather than the rollback journal: a commit is one
 * append and one fsync of the log instead of the journal's write, two fsyncs, the file's overwrite
 * and the journal's deletion (under 1,000 changes a second the writer's CPU a seventh lower and a
 * change's p50 to its subscribers 10-11 ms instead of 14-30: docs/benchmarks.md, "the write-ahead
 * log"), and readers never wait for a commit. The log is copied into the file by SQLite's automatic
 * checkpoints, and the file is turned back to the rollback journal when the editor closes with no
 * other connection open, so a store at rest is one self-contained file as before. The connection
 * stays open between changes (opening a GeoPackage per position batch would cost more than the
 * batch); the R-tree triggers the writer installed keep the spatial index right on every update,
 * but for the forces' while positions are written ({@link DeferredRTree}).
 *
 * <p>Not thread-safe by design beyond its own lock: the server has one writer.
 */
final class GeoPackageEditor implements AutoCloseable {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(GeoPackageEditor.class);

  static final String HISTORY = "feature_history";
  static final String CHANGE_LOG = "change_log";

  /** Generalised polygons replaced by changes, with when: what past tiles draw. */
  static final String TILE_HISTORY = "tile_geometries_history";

  static final String TRACKS = "position_tracks";

  /**
   * The audit log's entries, each inserted in the transaction of the write it records, so that the
   * entry and the change are on disk together after one fsync (the log's file beside the store cost
   * a second fsync a commit: 15% of the writer under 1,000 live changes a second, async-profiler,
   * issue 14). Never trimmed.
   */
  static final String AUDIT = "audit_log";

  /**
   * Makes the audit log's table and registers it, unless there: on the editor's first open, and in
   * a new file a whole write carries the old file's entries into.
   */
  static void createAuditLog(Statement s) throws SQLException {
    s.execute(
        "CREATE TABLE IF NOT EXISTS "
            + AUDIT
            + " (id INTEGER PRIMARY KEY AUTOINCREMENT, seq INTEGER, entry TEXT NOT NULL)");
    s.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change)"
            + " SELECT '"
            + AUDIT
            + "', 'attributes', 'Audit log', 'Every write through the server, one JSON entry a"
            + " row (time, actor, role, scope, how they authenticated, action, target, what"
            + " changed), in the transaction of the write; seq is its change-log position. See"
            + " docs/security.md.', strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE NOT EXISTS"
            + " (SELECT 1 FROM gpkg_contents WHERE table_name = '"
            + AUDIT
            + "')");
  }

  private static final String AUDIT_SQL = "INSERT INTO " + AUDIT + " (seq, entry) VALUES (?, ?)";

  static final String SCHEDULED = io.gridmap.layers.schedule.JdbcScheduledEdits.TABLE;

  private final Path file;

  /** Decodes what the editor reads back (versions, changes) as the reader does its features. */
  private final GeometryBlob blob = new GeometryBlob(io.gridmap.layers.geo.CompactPoints.WGS84);

  private final Map<String, Boolean> multiPolygonColumn = new HashMap<>();

  /**
   * {@link #updateFeatures}' statements by layer, prepared once on {@link #preparedOn} and kept
   * while the layer's definition stays: SQLite's prepare of six statements a change was a fifth of
   * the writer's time under 1,000 live changes a second (async-profiler, issue 14). Dropped when a
   * transaction fails and with the connection.
   */
  private final Map<String, LayerStatements> prepared = new HashMap<>();

  /** Statements of every change whatever its layer (the change log's, the tracks'), by SQL. */
  private final Map<String, PreparedStatement> keptBySql = new HashMap<>();

  private Connection preparedOn;

  /**
   * Put before every statement of a change ({@link #prepare}): sqlite-jdbc 3.45 (the version NGA
   * brings) runs {@code SELECT last_insert_rowid()} after every execution of a statement whose SQL
   * starts with INSERT or REPLACE, whether generated keys were asked for or not (a prepare, a step
   * and a finalize each time; xerial/sqlite-jdbc#1135): 7.8% of the writer's time under 1,000 live
   * changes a second (async-profiler, issue 14). Its test of the SQL is anchored at the start, so a
   * leading comment skips it; nothing here reads those keys (the change log's position comes back
   * through {@code RETURNING}).
   */
  static final String NO_GENERATED_KEYS = "/* no generated keys */ ";

  private static final String LOG_SQL =
      "INSERT INTO "
          + CHANGE_LOG
          + " (changed_at, actor, role, action, layer, fids) VALUES (?, ?, ?, ?, ?, ?) RETURNING seq";

  private static final String TRACKS_SQL =
      "INSERT INTO "
          + TRACKS
          + " (force_id, start_ms, end_ms, points, data) VALUES (?, ?, ?, ?, ?)"
          + " ON CONFLICT (force_id, start_ms) DO UPDATE SET end_ms = excluded.end_ms,"
          + " points = excluded.points, data = excluded.data";

  private record LayerStatements(
      LayerDef def,
      PreparedStatement update,
      PreparedStatement add,
      PreparedStatement last,
      PreparedStatement insert,
      PreparedStatement delete,
      PreparedStatement dropTiles,
      PreparedStatement updateAttributes) {
    void close() {
      for (PreparedStatement ps :
          new PreparedStatement[] {
            update, add, last, insert, delete, dropTiles, updateAttributes
          }) {
        closeQuietly(ps);
      }
    }
  }

  private final TrackRecorder tracks = new TrackRecorder();

  /**
   * Layers whose R-tree is set aside while this editor writes, to be built again when it closes
   * ({@link DeferredRTree}): set aside by the first change that moves one of their features, or
   * found without it (a crash while served).
   */
  private final java.util.Set<String> rtreesAside = new java.util.LinkedHashSet<>();

  private Connection connection;
  private GeoPackage geoPackage;

  /** False: the rollback journal (see {@link GeoPackageStore#GeoPackageStore(Path, boolean)}). */
  private final boolean writeAheadLog;

  /**
   * What the log's file is cut back to once a checkpoint has copied it into the store. SQLite
   * reuses the log from its start after a checkpoint but keeps the file at the largest size it ever
   * reached until the last connection closes: an import through a running server would leave a log
   * of its size beside the store for as long as the server runs. The log of ordinary changes cycles
   * at about 4 MB (the automatic checkpoint at 1,000 pages), well below this.
   */
  static final long LOG_LIMIT_BYTES = 64L << 20;

  private final long logLimitBytes;

  GeoPackageEditor(Path file, boolean writeAheadLog) {
    this(file, writeAheadLog, LOG_LIMIT_BYTES);
  }

  /**
   * @param logLimitBytes see {@link #LOG_LIMIT_BYTES}; smaller in a test
   */
  GeoPackageEditor(Path file, boolean writeAheadLog, long logLimitBytes) {
    this.file = file;
    this.writeAheadLog = writeAheadLog;
    this.logLimitBytes = logLimitBytes;
  }

  synchronized long apply(Change change, Provenance provenance) {
    return applyAll(List.of(change), List.of(provenance))[0];
  }

  /** Several changes in one transaction, all or none; see FeatureStore#applyAll. */
  synchronized long[] applyAll(List<Change> changes, List<Provenance> provenances) {
    return applyAll(changes, provenances, List.of());
  }

  /**
   * As {@link #applyAll(List, List)}, with the audit entries of the writes (JSON objects) inserted
   * in the same transaction: entry {@code i} records change {@code i} (a write whose followers are
   * stored with it has one entry for them all, its own change's).
   */
  synchronized long[] applyAll(
      List<Change> changes, List<Provenance> provenances, List<String> auditEntries) {
    long[] seqs = new long[changes.size()];
    if (changes.stream().allMatch(ch -> ch.isEmpty() && ch.generalised().isEmpty())) {
      java.util.Arrays.fill(seqs, logRange().last());
      for (String entry : auditEntries) {
        audit(entry, seqs[0]); // nothing stored but the entries: each in its own transaction
      }
      return seqs;
    }
    LayerDef def = def(changes.get(0).layer());
    try {
      Connection c = connection();
      setAsideMoved(c, changes);
      c.setAutoCommit(false);
      try {
        long last = -1;
        for (int i = 0; i < seqs.length; i++) {
          Change change = changes.get(i);
          def = def(change.layer());
          if (change.isEmpty() && change.generalised().isEmpty()) {
            seqs[i] = last < 0 ? logRange(c).last() : last;
            continue;
          }
          // logged first: every history row names the position of the change that made it
          seqs[i] = last = log(c, change, provenances.get(i));
          archiveTiles(c, change, provenances.get(i).time());
          updateFeatures(c, def, change, provenances.get(i), last);
          updateTileGeometries(c, change);
        }
        TrackRecorder.Staged staged = tracks.stage(changes, provenances);
        writeChunks(c, staged);
        if (!auditEntries.isEmpty()) {
          PreparedStatement ps = kept(c, AUDIT_SQL);
          for (int i = 0; i < auditEntries.size(); i++) {
            ps.setLong(1, seqs[i]);
            ps.setString(2, auditEntries.get(i));
            ps.executeUpdate();
          }
        }
        c.commit();
        tracks.commit(staged);
        return seqs;
      } catch (SQLException | RuntimeException e) {
        dropPrepared(); // none of a failed transaction's statements is used again
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException(
          "store "
              + file
              + ": cannot apply a change to layer "
              + def.name()
              + " (nothing was written): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Sets aside the R-tree of each {@link DeferredRTree} layer whose features {@code changes} move,
   * once per editor: it is built again when the editor closes.
   */
  private void setAsideMoved(Connection c, List<Change> changes) throws SQLException {
    for (Change change : changes) {
      String layer = change.layer();
      if (!DeferredRTree.LAYERS.contains(layer) || rtreesAside.contains(layer)) {
        continue;
      }
      if (change.replacements().stream().noneMatch(Change.Replacement::geometryChanged)) {
        continue;
      }
      long t0 = System.nanoTime();
      try {
        if (DeferredRTree.setAside(c, layer)) {
          LOG.info(
              "store {}: the {} layer's R-tree is set aside while positions are written (built"
                  + " again when the store closes; {} ms)",
              file,
              layer,
              (System.nanoTime() - t0) / 1_000_000);
        }
      } catch (SQLException e) {
        // the tree stays, its triggers keep it right: the positions are slower, not refused
        LOG.warn(
            "store {}: the {} layer's R-tree stays while positions are written: {}",
            file,
            layer,
            e.getMessage());
      }
      rtreesAside.add(layer); // tried once; the close builds it anew either way
    }
  }

  /** Builds the R-trees set aside again ({@link DeferredRTree}); a failure leaves them out. */
  private void restoreRTrees() {
    for (String layer : rtreesAside) {
      long t0 = System.nanoTime();
      LOG.info("store {}: building the {} layer's R-tree again for readers at rest", file, layer);
      try (Statement s = connection.createStatement()) {
        // the tree of a million entries built in memory, as GeoPackageWriter builds it
        s.execute("PRAGMA cache_size = -65536");
        int n = DeferredRTree.restore(geoPackage, connection, layer, blob);
        s.execute("PRAGMA cache_size = -2000");
        LOG.info(
            "store {}: the {} layer's R-tree built again ({} entries, {} ms)",
            file,
            layer,
            n,
            (System.nanoTime() - t0) / 1_000_000);
      } catch (SQLException | RuntimeException e) {
        LOG.error(
            "store {}: the {} layer's R-tree could not be built again ({}); the file stays a valid"
                + " GeoPackage without it, and the next clean stop builds it",
            file,
            layer,
            e.getMessage());
      }
    }
    rtreesAside.clear();
  }

  private void updateFeatures(
      Connection c, LayerDef def, Change change, Provenance provenance, long seq)
      throws SQLException {
    List<Field> fields = def.fields();
    boolean multi = multiPolygon(c, def);
    LayerStatements st = statements(c, def);
    PreparedStatement update = st.update();
    PreparedStatement add = st.add();
    // retirements first: a feature added by the same change may take a retired one's unique
    // values (a grid's code, were a planner ever to give it again)
    List<Change.Replacement> ordered = new ArrayList<>(change.replacements());
    ordered.sort(java.util.Comparator.comparing((Change.Replacement r) -> !r.isRetired()));
    for (Change.Replacement r : ordered) {
      if (r.isRetired()) {
        retire(st, def, r.before(), provenance, multi, seq);
        continue;
      }
      Feature f = r.after();
      DatasetCheck.arity(def, f);
      if (r.isAdded()) {
        add.setLong(1, f.id());
        add.setBytes(2, blob.encode(DatasetCheck.promote(f.geometry(), multi), StoreSchema.WGS84));
        add.setInt(3, f.personal() ? 1 : 0);
        for (int i = 0; i < fields.size(); i++) {
          LayerTable.bind(add, 4 + i, def, f, fields.get(i), f.value(i));
        }
        try {
          add.executeUpdate();
        } catch (SQLException e) {
          throw new StoreException(
              "store "
                  + file
                  + ": layer "
                  + def.name()
                  + " cannot add feature "
                  + f.id()
                  + " (nothing was written): "
                  + e.getMessage(),
              e);
        }
        // an added feature's history starts with the version that added it, or goes on after
        // the version that retired the id, when the caller adds a retired id again
        addVersion(
            st.insert(),
            def,
            f,
            lastVersion(st.last(), def, f.id()) + 1,
            provenance,
            multi,
            seq,
            false);
        continue;
      }
      // a change that leaves the geometry as it was (an incident's transition, a grid renamed)
      // does not set it: the R-tree's update triggers fire on an UPDATE OF geom whatever its value,
      // and moved the feature's entry out of the tree and back in (SQLite's R-tree deletes and
      // inserts), the most expensive part of such a change (docs/benchmarks.md,
      // StoreWriteBenchmark)
      boolean moved = r.geometryChanged();
      PreparedStatement ps = moved ? update : st.updateAttributes();
      int at = 1;
      if (moved) {
        ps.setBytes(
            at++, blob.encode(DatasetCheck.promote(f.geometry(), multi), StoreSchema.WGS84));
      }
      ps.setInt(at++, f.personal() ? 1 : 0);
      for (int i = 0; i < fields.size(); i++) {
        LayerTable.bind(ps, at++, def, f, fields.get(i), f.value(i));
      }
      ps.setLong(at, f.id());
      if (ps.executeUpdate() != 1) {
        throw noFeature(def, f.id(), "");
      }
      addAfterOriginal(st, def, r.before(), f, provenance, multi, seq, false);
    }
  }

  private StoreException noFeature(LayerDef def, long id, String purpose) {
    return new StoreException(
        "store "
            + file
            + ": layer "
            + def.name()
            + " has no feature "
            + id
            + purpose
            + " (nothing was written)");
  }

  /**
   * The version a change made, after the feature's original (version 1, {@code before} as it was
   * loaded) when its history had no version yet.
   */
  private void addAfterOriginal(
      LayerStatements st,
      LayerDef def,
      Feature before,
      Feature after,
      Provenance provenance,
      boolean multi,
      long seq,
      boolean retired)
      throws SQLException {
    int version = lastVersion(st.last(), def, before.id());
    if (version == 0) {
      addVersion(st.insert(), def, before, ++version, null, multi, 0, false);
    }
    addVersion(st.insert(), def, after, ++version, provenance, multi, seq, retired);
  }

  /**
   * Deletes the feature's row and its generalised polygons at every zoom; the history keeps it as
   * it last was, in a version flagged retired (after version 1, the original, for a feature never
   * changed before).
   */
  private void retire(
      LayerStatements st,
      LayerDef def,
      Feature before,
      Provenance provenance,
      boolean multi,
      long seq)
      throws SQLException {
    st.delete().setLong(1, before.id());
    if (st.delete().executeUpdate() != 1) {
      throw noFeature(def, before.id(), " to retire");
    }
    st.dropTiles().setString(1, def.name());
    st.dropTiles().setLong(2, before.id());
    st.dropTiles().executeUpdate();
    addAfterOriginal(st, def, before, before, provenance, multi, seq, true);
  }

  private static int lastVersion(PreparedStatement last, LayerDef def, long fid)
      throws SQLException {
    last.setString(1, def.name());
    last.setLong(2, fid);
    try (ResultSet rs = last.executeQuery()) {
      rs.next();
      return rs.getInt(1); // 0 when null: no version yet
    }
  }

  private void writeChunks(Connection c, TrackRecorder.Staged staged) throws SQLException {
    if (staged.isEmpty()) {
      return;
    }
    PreparedStatement ps = kept(c, TRACKS_SQL);
    for (TrackChunk chunk : staged.rows()) {
      ps.setLong(1, chunk.forceId());
      ps.setLong(2, chunk.start());
      ps.setLong(3, chunk.end());
      ps.setInt(4, chunk.points());
      ps.setBytes(5, chunk.data());
      ps.executeUpdate();
    }
  }

  /** Runs {@code work} on the editor's connection, under its lock (scheduled edits). */
  synchronized <T> T withConnection(io.gridmap.layers.schedule.JdbcScheduledEdits.Work<T> work)
      throws SQLException {
    Connection c = connection();
    c.setAutoCommit(true);
    return work.run(c);
  }

  /** A force's fixes from {@code from} to {@code to}, both included, oldest first. */
  synchronized List<TrackPoint> track(long forceId, long from, long to) {
    List<byte[]> chunks = new ArrayList<>();
    try (PreparedStatement ps =
        connection()
            .prepareStatement(
                "SELECT data FROM "
                    + TRACKS
                    + " WHERE force_id = ? AND start_ms <= ? AND end_ms >= ? ORDER BY start_ms")) {
      ps.setLong(1, forceId);
      ps.setLong(2, to);
      ps.setLong(3, from);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          chunks.add(rs.getBytes(1));
        }
      }
      return TrackRecorder.window(chunks, from, to);
    } catch (SQLException | IllegalArgumentException e) {
      throw new StoreException(
          "store " + file + ": cannot read the track of force " + forceId + ": " + e.getMessage(),
          e);
    }
  }

  /** Deletes at most {@code limit} chunks that end before {@code before}; see TrackStore. */
  synchronized int deleteTracksBefore(long before, int limit) {
    try (PreparedStatement ps =
        connection()
            .prepareStatement(
                "DELETE FROM "
                    + TRACKS
                    + " WHERE id IN (SELECT id FROM "
                    + TRACKS
                    + " WHERE end_ms < ? ORDER BY end_ms LIMIT ?)")) {
      ps.setLong(1, before);
      ps.setInt(2, limit);
      int n = ps.executeUpdate();
      tracks.forgetBefore(before);
      return n;
    } catch (SQLException e) {
      throw new StoreException(
          "store " + file + ": cannot delete old tracks: " + e.getMessage(), e);
    }
  }

  synchronized void recordTracks(boolean on) {
    tracks.recording(on);
  }

  /** The file was written anew: no open chunk of the old one goes on. */
  synchronized void forgetOpenChunks() {
    tracks.forget();
  }

  private void addVersion(
      PreparedStatement ps,
      LayerDef def,
      Feature f,
      int version,
      Provenance p,
      boolean multi,
      long seq,
      boolean retired)
      throws SQLException {
    ps.setString(1, def.name());
    ps.setLong(2, f.id());
    ps.setInt(3, version);
    if (p == null) {
      for (int i = 4; i <= 7; i++) {
        ps.setNull(i, Types.NULL);
      }
    } else {
      ps.setString(4, IsoTimestamp.format(p.time().toEpochMilli()));
      ps.setString(5, p.actor());
      ps.setString(6, p.role());
      ps.setString(7, p.action());
    }
    ps.setInt(8, f.personal() ? 1 : 0);
    ps.setBytes(9, blob.encode(DatasetCheck.promote(f.geometry(), multi), StoreSchema.WGS84));
    ps.setString(10, PropertiesJson.write(def, f));
    if (seq > 0) {
      ps.setLong(11, seq);
    } else {
      ps.setNull(11, Types.INTEGER);
    }
    ps.setInt(12, retired ? 1 : 0);
    ps.setString(13, p == null ? null : p.reason());
    ps.executeUpdate();
  }

  /**
   * Keeps the generalised polygons a change is about to replace or drop, with the time they stopped
   * being drawn: a tile as of a past instant is drawn from what was drawn then, not generalised
   * again (which could come out otherwise).
   */
  private static void archiveTiles(Connection c, Change change, Instant at) throws SQLException {
    java.util.Set<Long> ids = new java.util.TreeSet<>();
    change.generalised().values().forEach(byId -> ids.addAll(byId.keySet()));
    for (Change.Replacement r : change.replacements()) {
      if (r.isRetired()) {
        ids.add(r.id());
      }
    }
    if (ids.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        prepare(
            c,
            "INSERT INTO "
                + TILE_HISTORY
                + " (layer, zoom, fid, wkb, replaced_at) SELECT layer, zoom, fid, wkb, ? FROM "
                + StoreSchema.TILE_GEOMETRIES
                + " WHERE layer = ? AND fid = ?")) {
      String when = IsoTimestamp.format(at.toEpochMilli());
      for (long id : ids) {
        ps.setString(1, when);
        ps.setString(2, change.layer());
        ps.setLong(3, id);
        ps.executeUpdate();
      }
    }
  }

  /**
   * The generalised polygons drawn at {@code t} that have been replaced since; see FeatureStore.
   */
  synchronized Map<Integer, Map<Long, Geometry>> tileGeometriesAsOf(String layer, Instant t) {
    Map<Integer, Map<Long, Geometry>> out = new java.util.TreeMap<>();
    // per zoom and feature, the first polygon archived after t: the one drawn at t
    try (PreparedStatement ps =
        connection()
            .prepareStatement(
                "SELECT h.zoom, h.fid, h.wkb FROM "
                    + TILE_HISTORY
                    + " h JOIN (SELECT MIN(id) AS first FROM "
                    + TILE_HISTORY
                    + " WHERE layer = ? AND replaced_at > ? GROUP BY zoom, fid) x ON h.id ="
                    + " x.first")) {
      ps.setString(1, layer);
      ps.setString(2, IsoTimestamp.format(t.toEpochMilli()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getInt(1), z -> new HashMap<>())
              .put(rs.getLong(2), blob.decodeWkb(rs.getBytes(3), 0));
        }
      }
    } catch (SQLException e) {
      throw new StoreException(
          "store "
              + file
              + ": cannot read the tile geometries of "
              + layer
              + " as of "
              + t
              + ": "
              + e.getMessage(),
          e);
    }
    return out;
  }

  private void updateTileGeometries(Connection c, Change change) throws SQLException {
    if (change.generalised().isEmpty()) {
      return; // a point's change (nearly every change): no statements to prepare for nothing
    }
    try (PreparedStatement put =
            prepare(
                c,
                "INSERT INTO "
                    + StoreSchema.TILE_GEOMETRIES
                    + " (layer, zoom, fid, wkb) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (layer, zoom, fid) DO UPDATE SET wkb = excluded.wkb");
        PreparedStatement drop =
            c.prepareStatement(
                "DELETE FROM "
                    + StoreSchema.TILE_GEOMETRIES
                    + " WHERE layer = ? AND zoom = ? AND fid = ?")) {
      for (Map.Entry<Integer, Map<Long, Geometry>> z : change.generalised().entrySet()) {
        for (Map.Entry<Long, Geometry> e : z.getValue().entrySet()) {
          PreparedStatement ps = e.getValue() == null || e.getValue().isEmpty() ? drop : put;
          ps.setString(1, change.layer());
          ps.setInt(2, z.getKey());
          ps.setLong(3, e.getKey());
          if (ps == put) {
            ps.setBytes(4, blob.encodeWkb(e.getValue()));
          }
          ps.executeUpdate();
        }
      }
    }
  }

  private long log(Connection c, Change change, Provenance p) throws SQLException {
    StringBuilder ids = new StringBuilder();
    for (Change.Replacement r : change.replacements()) {
      ids.append(ids.length() == 0 ? "" : ",").append(r.id());
    }
    return log(c, change.layer(), ids.toString(), p.actor(), p.role(), p.action(), p.time());
  }

  /**
   * An import's entry ({@link io.gridmap.layers.edit.LoggedChange#LAYER_IMPORT}), in the import's
   * transaction, no ids: the layer is replaced whole. Who imported is in the audit entry.
   */
  long logImport(Connection c, String layer) throws SQLException {
    return log(
        c, layer, "", null, null, io.gridmap.layers.edit.LoggedChange.LAYER_IMPORT, Instant.now());
  }

  private long log(
      Connection c,
      String layer,
      String ids,
      String actor,
      String role,
      String action,
      Instant time)
      throws SQLException {
    long seq;
    PreparedStatement ps = kept(c, LOG_SQL);
    ps.setString(1, IsoTimestamp.format(time.toEpochMilli()));
    ps.setString(2, actor);
    ps.setString(3, role);
    ps.setString(4, action);
    ps.setString(5, layer);
    ps.setString(6, ids);
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      seq = rs.getLong(1);
    }
    long keepFrom = seq - io.gridmap.layers.store.FeatureStore.LOG_RETENTION;
    if (keepFrom > 0 && keepFrom % 100 == 0) {
      try (PreparedStatement trim =
          c.prepareStatement("DELETE FROM " + CHANGE_LOG + " WHERE seq <= ?")) {
        trim.setLong(1, keepFrom);
        trim.executeUpdate();
      }
    }
    return seq;
  }

  /** The change log after position {@code after}, oldest first, at most {@code limit} entries. */
  synchronized List<io.gridmap.layers.edit.LoggedChange> changesAfter(long after, int limit) {
    List<io.gridmap.layers.edit.LoggedChange> out = new ArrayList<>();
    try (PreparedStatement ps =
        connection()
            .prepareStatement(
                "SELECT seq, layer, fids, changed_at, action FROM "
                    + CHANGE_LOG
                    + " WHERE seq > ? ORDER BY seq LIMIT ?")) {
      ps.setLong(1, after);
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String fids = rs.getString(3);
          long[] ids =
              fids == null || fids.isEmpty()
                  ? new long[0]
                  : java.util.Arrays.stream(fids.split(",")).mapToLong(Long::parseLong).toArray();
          out.add(
              new io.gridmap.layers.edit.LoggedChange(
                  rs.getLong(1),
                  rs.getString(2),
                  ids,
                  Instant.ofEpochMilli(IsoTimestamp.parse(rs.getString(4))),
                  rs.getString(5)));
        }
      }
    } catch (SQLException e) {
      throw new StoreException(
          "store " + file + ": cannot read the change log: " + e.getMessage(), e);
    }
    return out;
  }

  /** The oldest retained and the newest position of the change log. */
  synchronized io.gridmap.layers.edit.LogRange logRange() {
    try {
      return logRange(connection());
    } catch (SQLException e) {
      throw new StoreException(
          "store " + file + ": cannot read the change log: " + e.getMessage(), e);
    }
  }

  private io.gridmap.layers.edit.LogRange logRange(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT (SELECT MIN(seq) FROM "
                    + CHANGE_LOG
                    + "), (SELECT seq FROM sqlite_sequence WHERE name = '"
                    + CHANGE_LOG
                    + "')")) {
      rs.next();
      long last = rs.getLong(2);
      long first = rs.getLong(1);
      if (rs.wasNull()) {
        first = last + 1;
      }
      return new io.gridmap.layers.edit.LogRange(first, last);
    } catch (SQLException e) {
      throw new StoreException(
          "store " + file + ": cannot read the change log: " + e.getMessage(), e);
    }
  }

  /** See FeatureStore#maxHistoricId. */
  synchronized long maxHistoricId(String layer, long from, long to) {
    try (PreparedStatement ps =
        connection()
            .prepareStatement(
                "SELECT max(fid) FROM " + HISTORY + " WHERE layer = ? AND fid BETWEEN ? AND ?")) {
      ps.setString(1, layer);
      ps.setLong(2, from);
      ps.setLong(3, to);
      try (ResultSet rs = ps.executeQuery()) {
        long max = rs.next() ? rs.getLong(1) : -1;
        return rs.wasNull() ? -1 : max;
      }
    } catch (SQLException e) {
      throw new StoreException(
          "store "
              + file
              + ": cannot read the ids the history of "
              + layer
              + " holds: "
              + e.getMessage(),
          e);
    }
  }

  /** Every stored version of one feature, oldest first; empty when it never changed. */
  synchronized List<FeatureVersion> history(String layer, long fid) {
    if (Catalogue.byName(layer).isEmpty()) {
      return List.of(); // an imported layer: replaced whole by imports, never changed here
    }
    LayerDef def = def(layer);
    List<FeatureVersion> out = new ArrayList<>();
    try (PreparedStatement ps =
        connection()
            .prepareStatement(
                "SELECT version, changed_at, actor, role, action, personal, geom, properties, seq,"
                    + " retired, reason FROM "
                    + HISTORY
                    + " WHERE layer = ? AND fid = ? ORDER BY version")) {
      ps.setString(1, layer);
      ps.setLong(2, fid);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(version(rs, def, fid));
        }
      }
    } catch (SQLException e) {
      throw new StoreException(
          "store "
              + file
              + ": cannot read the history of "
              + layer
              + " feature "
              + fid
              + ": "
              + e.getMessage(),
          e);
    }
    return out;
  }

  /**
   * A history row read by the columns version, changed_at, actor, role, action, personal, geom,
   * properties, seq, retired and, where selected, reason (in that order, from column 1).
   */
  private FeatureVersion version(ResultSet rs, LayerDef def, long fid) throws SQLException {
    String at = rs.getString(2);
    Provenance p =
        at == null
            ? null
            : new Provenance(
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                Instant.ofEpochMilli(IsoTimestamp.parse(at)),
                rs.getMetaData().getColumnCount() >= 11 ? rs.getString(11) : null);
    Geometry g = blob.decode(rs.getBytes(7));
    return new FeatureVersion(
        rs.getInt(1),
        new Feature(fid, g, values(def, rs.getString(8)), rs.getInt(6) != 0),
        p,
        rs.getLong(9),
        rs.getInt(10) != 0);
  }

  /** What the features changed after {@code t} were at {@code t}; see FeatureStore#asOf. */
  synchronized List<io.gridmap.layers.edit.PastState> asOf(String layer, Instant t) {
    if (Catalogue.byName(layer).isEmpty()) {
      return List.of(); // an imported layer keeps no history
    }
    LayerDef def = def(layer);
    List<io.gridmap.layers.edit.PastState> out = new ArrayList<>();
    // the version before each feature's first change after t is what it was at t; none (the
    // first change after t added it) means it did not exist yet
    try (PreparedStatement ps =
        connection()
            .prepareStatement(
                "SELECT h.version, h.changed_at, h.actor, h.role, h.action, h.personal, h.geom,"
                    + " h.properties, h.seq, h.retired, x.fid FROM (SELECT fid, MIN(version) AS"
                    + " first_after FROM "
                    + HISTORY
                    + " WHERE layer = ? AND changed_at > ? GROUP BY fid) x LEFT JOIN "
                    + HISTORY
                    + " h ON h.layer = ? AND h.fid = x.fid AND h.version = x.first_after - 1"
                    + " ORDER BY x.fid")) {
      ps.setString(1, layer);
      ps.setString(2, IsoTimestamp.format(t.toEpochMilli()));
      ps.setString(3, layer);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long fid = rs.getLong(11);
          rs.getInt(1);
          FeatureVersion v = rs.wasNull() ? null : version(rs, def, fid);
          out.add(new io.gridmap.layers.edit.PastState(fid, v));
        }
      }
    } catch (SQLException e) {
      throw new StoreException(
          "store " + file + ": cannot read " + layer + " as of " + t + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** The features the change at {@code seq} made versions of; see FeatureStore#editedBy. */
  synchronized List<io.gridmap.layers.edit.EditedFeature> editedBy(long seq) {
    List<io.gridmap.layers.edit.EditedFeature> out = new ArrayList<>();
    try (PreparedStatement ps =
        connection()
            .prepareStatement(
                "SELECT layer, fid, version FROM "
                    + HISTORY
                    + " WHERE seq = ? ORDER BY layer, fid")) {
      ps.setLong(1, seq);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new io.gridmap.layers.edit.EditedFeature(
                  rs.getString(1), rs.getLong(2), rs.getInt(3)));
        }
      }
    } catch (SQLException e) {
      throw new StoreException(
          "store " + file + ": cannot read the history of change " + seq + ": " + e.getMessage(),
          e);
    }
    return out;
  }

  private Object[] values(LayerDef def, String json) {
    try {
      return PropertiesJson.read(def, json);
    } catch (IllegalArgumentException e) {
      throw new StoreException(
          "store " + file + ": a history row of " + def.name() + " holds " + e.getMessage(), e);
    }
  }

  /**
   * The layer's statements for {@link #updateFeatures}, prepared on {@code c} when not yet or when
   * the layer's definition (its fields) changed since.
   */
  private LayerStatements statements(Connection c, LayerDef def) throws SQLException {
    keepOn(c);
    LayerStatements st = prepared.get(def.name());
    if (st != null && st.def().equals(def)) {
      return st;
    }
    if (st != null) {
      prepared.remove(def.name()).close();
    }
    String attributes =
        "personal = ?"
            + def.fields().stream()
                .map(f -> ", " + StoreSchema.quote(f.name()) + " = ?")
                .collect(Collectors.joining());
    String updateSql =
        "UPDATE "
            + StoreSchema.quote(def.name())
            + " SET geom = ?, "
            + attributes
            + " WHERE fid = ?";
    String attributesSql =
        "UPDATE " + StoreSchema.quote(def.name()) + " SET " + attributes + " WHERE fid = ?";
    String insertSql = StoreSchema.insertSql(def);
    List<PreparedStatement> made = new ArrayList<>(7);
    try {
      made.add(prepare(c, updateSql));
      made.add(prepare(c, insertSql));
      made.add(prepare(c, "SELECT MAX(version) FROM " + HISTORY + " WHERE layer = ? AND fid = ?"));
      made.add(
          prepare(
              c,
              "INSERT INTO "
                  + HISTORY
                  + " (layer, fid, version, changed_at, actor, role, action, personal, geom, properties, seq,"
                  + " retired, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
      made.add(prepare(c, "DELETE FROM " + StoreSchema.quote(def.name()) + " WHERE fid = ?"));
      made.add(
          prepare(
              c, "DELETE FROM " + StoreSchema.TILE_GEOMETRIES + " WHERE layer = ? AND fid = ?"));
      made.add(prepare(c, attributesSql));
    } catch (SQLException | RuntimeException e) {
      made.forEach(GeoPackageEditor::closeQuietly);
      throw e;
    }
    st =
        new LayerStatements(
            def,
            made.get(0),
            made.get(1),
            made.get(2),
            made.get(3),
            made.get(4),
            made.get(5),
            made.get(6));
    prepared.put(def.name(), st);
    return st;
  }

  /** Statements are kept for one connection: another one drops those of the last. */
  private void keepOn(Connection c) {
    if (preparedOn != c) {
      dropPrepared();
      preparedOn = c;
    }
  }

  /** A statement of every change (not of one layer), prepared on {@code c} once and kept. */
  private PreparedStatement kept(Connection c, String sql) throws SQLException {
    keepOn(c);
    PreparedStatement ps = keptBySql.get(sql);
    if (ps == null) {
      ps = prepare(c, sql);
      keptBySql.put(sql, ps);
    }
    return ps;
  }

  /** A statement of a change, run once or more per change: without the driver's key query. */
  private static PreparedStatement prepare(Connection c, String sql) throws SQLException {
    return c.prepareStatement(NO_GENERATED_KEYS + sql);
  }

  /** Closes the kept statements: after a failed transaction, before the connection closes. */
  private void dropPrepared() {
    prepared.values().forEach(LayerStatements::close);
    prepared.clear();
    keptBySql.values().forEach(GeoPackageEditor::closeQuietly);
    keptBySql.clear();
    preparedOn = null;
  }

  private static void closeQuietly(PreparedStatement ps) {
    try {
      ps.close();
    } catch (SQLException ignored) {
      // a statement of a failed transaction or a closing connection: nothing left to release
    }
  }

  private boolean multiPolygon(Connection c, LayerDef def) throws SQLException {
    Boolean known = multiPolygonColumn.get(def.name());
    if (known == null) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT geometry_type_name FROM gpkg_geometry_columns WHERE table_name = ?")) {
        ps.setString(1, def.name());
        try (ResultSet rs = ps.executeQuery()) {
          known = rs.next() && "MULTIPOLYGON".equalsIgnoreCase(rs.getString(1));
        }
      }
      multiPolygonColumn.put(def.name(), known);
    }
    return known;
  }

  /**
   * The catalogue layer a change is to. An imported layer is not edited feature by feature: it is
   * replaced whole by its next import ({@link #replaceLayer}), so a change to one is refused.
   */
  private LayerDef def(String layer) {
    return Catalogue.byName(layer)
        .orElseThrow(
            () ->
                new StoreException(
                    "store "
                        + file
                        + ": layer "
                        + layer
                        + " cannot be changed feature by feature: only the catalogue layers "
                        + Catalogue.ALL.stream().map(LayerDef::name).toList()
                        + " can; an imported layer changes by importing it again"));
  }

  /**
   * An audit entry that goes with no change of this transaction (a refused write, a credential
   * issued), in a transaction of its own; {@code seq} the change-log position it follows, or -1.
   */
  synchronized void audit(String entry, long seq) {
    try {
      PreparedStatement ps = kept(connection(), AUDIT_SQL);
      if (seq < 0) {
        ps.setNull(1, Types.INTEGER);
      } else {
        ps.setLong(1, seq);
      }
      ps.setString(2, entry);
      ps.executeUpdate();
    } catch (SQLException e) {
      dropPrepared();
      throw new StoreException(
          "store " + file + ": cannot write the audit log: " + e.getMessage(), e);
    }
  }

  /**
   * Creates or replaces an imported layer whole, in one transaction with its change-log entry; see
   * FeatureStore.
   */
  synchronized long replaceLayer(io.gridmap.layers.store.LayerImport imported) {
    DatasetCheck.imported(imported.def(), imported.features());
    try {
      Connection c = connection();
      return new ImportedLayerWriter(geoPackage, c, blob)
          .replace(imported, () -> logImport(c, imported.def().name()));
    } catch (SQLException e) {
      throw new StoreException(
          "store "
              + file
              + ": cannot import layer "
              + imported.def().name()
              + " (nothing was written): "
              + e.getMessage(),
          e);
    } finally {
      multiPolygonColumn.remove(imported.def().name());
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      if (!Files.isRegularFile(file)) {
        throw new StoreException(
            "store " + file + " does not exist; write it with generate or import first");
      }
      // opened through NGA for the GeoPackage SQL functions (ST_IsEmpty, ST_MinX, ...) that the
      // R-tree triggers call on every update; SQLite alone does not have them
      GeoPackage gpkg;
      try {
        // one connection for NGA's registrations and our rows: an import does both in one
        // transaction
        gpkg = OneConnectionGeoPackage.open(file.toFile());
      } catch (SQLException | RuntimeException e) {
        throw new StoreException(
            "store " + file + " cannot be opened for writing: " + e.getMessage(), e);
      }
      new RTreeIndexExtension(gpkg).createAllFunctions();
      Connection c = gpkg.getConnection().getConnection();
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout = 10000");
        // durable and atomic per transaction: a crash leaves the old or the new version
        chooseJournal(s);
        s.execute("PRAGMA synchronous = FULL");
        s.execute(
            "CREATE TABLE IF NOT EXISTS "
                + HISTORY
                + " ("
                + "id INTEGER PRIMARY KEY, layer TEXT NOT NULL, fid INTEGER NOT NULL, version INTEGER NOT NULL, "
                + "changed_at DATETIME, actor TEXT, role TEXT, action TEXT, personal BOOLEAN NOT NULL, geom BLOB NOT NULL, "
                + "properties TEXT NOT NULL, seq INTEGER, retired BOOLEAN NOT NULL DEFAULT 0,"
                + " UNIQUE (layer, fid, version))");
        addSeqColumn(s);
        s.execute(
            "CREATE TABLE IF NOT EXISTS "
                + TILE_HISTORY
                + " (id INTEGER PRIMARY KEY AUTOINCREMENT, layer TEXT NOT NULL, zoom INTEGER NOT"
                + " NULL, fid INTEGER NOT NULL, wkb BLOB NOT NULL, replaced_at DATETIME NOT NULL)");
        s.execute(
            "CREATE INDEX IF NOT EXISTS "
                + TILE_HISTORY
                + "_when ON "
                + TILE_HISTORY
                + " (layer, replaced_at)");
        addRetiredColumn(s);
        addReasonColumn(s);
        s.execute(
            "CREATE TABLE IF NOT EXISTS "
                + CHANGE_LOG
                + " (seq INTEGER PRIMARY KEY AUTOINCREMENT, changed_at DATETIME NOT NULL, actor TEXT,"
                + " role TEXT, action TEXT, layer TEXT NOT NULL, fids TEXT NOT NULL)");
        s.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change)"
                + " SELECT '"
                + CHANGE_LOG
                + "', 'attributes', 'Change log', 'Every change in commit order: seq is its position"
                + " (never reused), fids the ids of the features it replaced, added or retired. Keeps the last "
                + io.gridmap.layers.store.FeatureStore.LOG_RETENTION
                + " changes.', strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE NOT EXISTS (SELECT 1 FROM"
                + " gpkg_contents WHERE table_name = '"
                + CHANGE_LOG
                + "')");
        s.execute(
            "CREATE TABLE IF NOT EXISTS "
                + TRACKS
                + " (id INTEGER PRIMARY KEY, force_id INTEGER NOT NULL, start_ms INTEGER NOT NULL,"
                + " end_ms INTEGER NOT NULL, points INTEGER NOT NULL, data BLOB NOT NULL,"
                + " UNIQUE (force_id, start_ms))");
        s.execute("CREATE INDEX IF NOT EXISTS " + TRACKS + "_end ON " + TRACKS + " (end_ms)");
        s.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change)"
                + " SELECT '"
                + TRACKS
                + "', 'attributes', 'Position tracks', 'The forces'' tracks: a row per force per"
                + " run of up to "
                + TrackRecorder.MAX_POINTS
                + " fixes, start_ms and end_ms its first and last fix (epoch ms), data the fixes"
                + " packed as zigzag varint deltas of time (ms), lon and lat (1e-7 degrees) after a"
                + " format byte; see docs/live.md.', strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE"
                + " NOT EXISTS (SELECT 1 FROM gpkg_contents WHERE table_name = '"
                + TRACKS
                + "')");
        createAuditLog(s);
        s.execute(io.gridmap.layers.schedule.JdbcScheduledEdits.SQLITE_TABLE);
        s.execute(
            "CREATE INDEX IF NOT EXISTS "
                + SCHEDULED
                + "_due ON "
                + SCHEDULED
                + " (status, effective_ms)");
        s.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change)"
                + " SELECT '"
                + SCHEDULED
                + "', 'attributes', 'Scheduled edits', 'Edits decided now that take effect at"
                + " effective_ms (epoch ms): the request as sent, who sent it, and status"
                + " scheduled, applying, applied (seq: its change-log position), failed (outcome:"
                + " the problem) or cancelled; see docs/editing.md.', strftime('%Y-%m-%dT%H:%M:%fZ',"
                + " 'now') WHERE NOT EXISTS (SELECT 1 FROM gpkg_contents WHERE table_name = '"
                + SCHEDULED
                + "')");
        s.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change)"
                + " SELECT '"
                + HISTORY
                + "', 'attributes', 'Feature history', 'Every version of every changed feature:"
                + " version 1 is the feature before its first change; geom is a GeoPackage blob in EPSG:4326, properties a JSON object.', "
                + "strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE NOT EXISTS (SELECT 1 FROM gpkg_contents WHERE table_name = '"
                + HISTORY
                + "')");
      }
      // a layer left without its R-tree by a crash while served gets it back at the next close
      for (String layer : DeferredRTree.LAYERS) {
        if (DeferredRTree.hasLayer(c, layer) && !DeferredRTree.indexed(c, layer)) {
          rtreesAside.add(layer);
        }
      }
      geoPackage = gpkg;
      connection = c;
    }
    return connection;
  }

  /**
   * A store written before the history kept change-log positions gains the column (its old rows
   * keep null: their change is not known) and the index a revert looks changes up by.
   */
  private static void addSeqColumn(Statement s) throws SQLException {
    boolean has = false;
    try (ResultSet rs = s.executeQuery("PRAGMA table_info(" + HISTORY + ")")) {
      while (rs.next()) {
        has |= "seq".equalsIgnoreCase(rs.getString("name"));
      }
    }
    if (!has) {
      s.execute("ALTER TABLE " + HISTORY + " ADD COLUMN seq INTEGER");
    }
    s.execute("CREATE INDEX IF NOT EXISTS " + HISTORY + "_seq ON " + HISTORY + " (seq)");
  }

  /**
   * A store written before features could be retired gains the flag; its rows are versions that
   * retired nothing.
   */
  private static void addRetiredColumn(Statement s) throws SQLException {
    boolean has = false;
    try (ResultSet rs = s.executeQuery("PRAGMA table_info(" + HISTORY + ")")) {
      while (rs.next()) {
        has |= "retired".equalsIgnoreCase(rs.getString("name"));
      }
    }
    if (!has) {
      s.execute("ALTER TABLE " + HISTORY + " ADD COLUMN retired BOOLEAN NOT NULL DEFAULT 0");
    }
  }

  /** A store written before edits carried a reason gains the column; its rows give none. */
  private static void addReasonColumn(Statement s) throws SQLException {
    boolean has = false;
    try (ResultSet rs = s.executeQuery("PRAGMA table_info(" + HISTORY + ")")) {
      while (rs.next()) {
        has |= "reason".equalsIgnoreCase(rs.getString("name"));
      }
    }
    if (!has) {
      s.execute("ALTER TABLE " + HISTORY + " ADD COLUMN reason TEXT");
    }
  }

  /**
   * Turns the store to the write-ahead log (see the class comment). Should SQLite refuse (another
   * program holding the file in a transaction past the busy timeout, a file system without the
   * shared memory the log's index needs), the editor writes with the journal the file has, as
   * atomically and durably, and says so.
   */
  private void chooseJournal(Statement s) throws SQLException {
    if (!writeAheadLog) {
      s.execute("PRAGMA journal_mode = DELETE");
      return;
    }
    String mode;
    try (ResultSet rs = s.executeQuery("PRAGMA journal_mode = WAL")) {
      mode = rs.next() ? rs.getString(1) : "";
    } catch (SQLException e) {
      mode = e.getMessage();
    }
    if ("wal".equalsIgnoreCase(mode)) {
      s.execute("PRAGMA journal_size_limit = " + logLimitBytes);
    } else {
      LOG.warn(
          "store {}: SQLite did not turn the file to its write-ahead log ({}); changes are written"
              + " with its rollback journal, slower",
          file,
          mode);
    }
  }

  /**
   * Copies the log into the file and turns it back to the rollback journal, so that a store at rest
   * is one file (a copy, a read-only medium, an older reader). Only possible when no other
   * connection has the file open (another node, a reader): then the store stays in the log's mode,
   * which every SQLite since 3.7 reads, and the next connection to close does this.
   */
  private void rollbackJournal() {
    try (Statement s = connection.createStatement()) {
      s.execute("PRAGMA busy_timeout = 0");
      s.execute("PRAGMA journal_mode = DELETE");
    } catch (SQLException e) {
      LOG.debug("store {}: left in write-ahead-log mode: {}", file, e.getMessage());
    }
  }

  /**
   * Closes without building the R-trees set aside: the file is about to be replaced whole ({@link
   * GeoPackageStore#write}). Should the replacement fail, the next editor finds the layer without
   * its tree and builds it when it closes.
   */
  synchronized void closeForReplacement() {
    rtreesAside.clear();
    close();
  }

  @Override
  public synchronized void close() {
    dropPrepared();
    if (geoPackage != null) {
      if (connection != null) {
        restoreRTrees();
        rollbackJournal();
      }
      try {
        geoPackage.close();
      } catch (RuntimeException ignored) {
        // closing a connection that failed: nothing more to release
      }
      geoPackage = null;
      connection = null;
    }
  }
}
