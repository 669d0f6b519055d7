package io.gridmap.layers.store.pg;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.edit.FeatureVersion;
import io.gridmap.layers.edit.LogRange;
import io.gridmap.layers.edit.LoggedChange;
import io.gridmap.layers.edit.Provenance;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.store.DatasetCheck;
import io.gridmap.layers.store.Failpoint;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.PropertiesJson;
import io.gridmap.layers.store.StoreException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;

/**
 * Applies {@link Change}s to a PostGIS store, several in one transaction (group commit), with the
 * same history and change log as the GeoPackage store: version 1 of a feature is its state before
 * its first change, and every change takes the next position of {@code change_log} in the
 * transaction that makes it. Positions are in commit order: the store's trigger gives them under a
 * lock held to the end of the transaction (V6__commit_ordered_log.sql), so the entries are written
 * after every row the transaction changes.
 *
 * <p>Writes are serialised here (the server has one writer); reads of the log and the history take
 * a connection of their own and never wait for a write.
 */
final class PostgisEditor {
  private final PostgisStore store;
  private final Ewkb ewkb = new Ewkb();
  private final io.gridmap.layers.track.TrackRecorder tracks =
      new io.gridmap.layers.track.TrackRecorder();

  PostgisEditor(PostgisStore store) {
    this.store = store;
  }

  synchronized long[] applyAll(List<Change> changes, List<Provenance> provenances) {
    return applyAll(changes, provenances, null);
  }

  /**
   * @param auditEntries each change's audit entry (JSON), inserted in the same transaction, or null
   */
  synchronized long[] applyAll(
      List<Change> changes, List<Provenance> provenances, List<String> auditEntries) {
    long[] seqs = new long[changes.size()];
    if (auditEntries == null
        && changes.stream().allMatch(ch -> ch.isEmpty() && ch.generalised().isEmpty())) {
      Arrays.fill(seqs, logRange().last());
      return seqs;
    }
    LayerDef def = def(changes.get(0).layer());
    if (store.epoch() == 0) {
      // this node holds no turn: the check inside the transaction would refuse it; refusing here
      // spares the store a transaction for every write a node forwards to the writer
      throw notTheWriter(null, 0, 0);
    }
    try (Connection c = store.connection()) {
      c.setAutoCommit(false);
      try {
        PgSchema.markServerWrite(c);
        long epoch = store.epoch();
        if (epoch >= 0) {
          checkTurn(c, epoch);
        }
        staged.clear();
        List<List<Version>> versions = new ArrayList<>(seqs.length);
        for (int i = 0; i < seqs.length; i++) {
          Change change = changes.get(i);
          def = def(change.layer());
          List<Version> made = new ArrayList<>();
          if (!change.isEmpty() || !change.generalised().isEmpty()) {
            archiveTiles(c, change, provenances.get(i).time());
            updateFeatures(c, def, change, provenances.get(i), made);
            updateTileGeometries(c, change);
          }
          versions.add(made);
        }
        // the moved forces' open track chunks, before the log as every row the change writes
        io.gridmap.layers.track.TrackRecorder.Staged staged = tracks.stage(changes, provenances);
        writeChunks(c, staged);
        // the log last: its first entry takes the store's log lock until commit (V6), which must
        // not wait on a row another transaction holds while that one waits for the lock
        long last = -1;
        for (int i = 0; i < seqs.length; i++) {
          Change change = changes.get(i);
          if (change.isEmpty() && change.generalised().isEmpty()) {
            seqs[i] = last < 0 ? logRange(c).last() : last;
          } else {
            seqs[i] = last = log(c, change, provenances.get(i));
          }
        }
        // history rows after the log: each names the position of the change that made it (new
        // rows only, so no lock is waited for while the log's lock is held)
        addVersions(c, versions, seqs);
        if (auditEntries != null) {
          audit(c, auditEntries, seqs);
        }
        Failpoint.hit(Failpoint.BEFORE_COMMIT);
        c.commit();
        tracks.commit(staged);
        Failpoint.hit(Failpoint.AFTER_COMMIT);
        return seqs;
      } catch (SQLException | RuntimeException e) {
        PgSchema.rollbackQuietly(c, e);
        throw e;
      }
      // the pool puts auto-commit back when the connection returns to it
    } catch (StoreException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new StoreException(
          "store "
              + store.location()
              + ": cannot apply a change to layer "
              + def.name()
              + " (nothing was written): "
              + e.getMessage(),
          e);
    } catch (SQLException e) {
      throw store.failure(
          "cannot apply a change to layer " + def.name() + " (nothing was written)", e);
    }
  }

  /**
   * The open chunks of the forces moved, upserted after the log entries (V6's lock is held by then;
   * the chunks are rows no other transaction writes).
   */
  private static void writeChunks(Connection c, io.gridmap.layers.track.TrackRecorder.Staged staged)
      throws SQLException {
    if (staged.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + PgSchema.TRACKS
                + " (force_id, start_ms, end_ms, points, data) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (force_id, start_ms) DO UPDATE SET end_ms = excluded.end_ms,"
                + " points = excluded.points, data = excluded.data")) {
      for (io.gridmap.layers.track.TrackChunk chunk : staged.rows()) {
        ps.setLong(1, chunk.forceId());
        ps.setLong(2, chunk.start());
        ps.setLong(3, chunk.end());
        ps.setInt(4, chunk.points());
        ps.setBytes(5, chunk.data());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** A force's fixes from {@code from} to {@code to}, both included, oldest first. */
  List<io.gridmap.layers.track.TrackPoint> track(long forceId, long from, long to) {
    List<byte[]> chunks = new ArrayList<>();
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT data FROM "
                    + PgSchema.TRACKS
                    + " WHERE force_id = ? AND start_ms <= ? AND end_ms >= ? ORDER BY start_ms")) {
      ps.setLong(1, forceId);
      ps.setLong(2, to);
      ps.setLong(3, from);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          chunks.add(rs.getBytes(1));
        }
      }
    } catch (SQLException e) {
      throw store.failure("cannot read the track of force " + forceId, e);
    }
    try {
      return io.gridmap.layers.track.TrackRecorder.window(chunks, from, to);
    } catch (IllegalArgumentException e) {
      throw new StoreException(
          "store "
              + store.location()
              + ": a track chunk of force "
              + forceId
              + " is broken: "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Deletes at most {@code limit} chunks that end before {@code before}, in one transaction; see
   * TrackStore. Under the writer's lock: the open chunks in memory must not outlive their rows.
   */
  synchronized int deleteTracksBefore(long before, int limit) {
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "DELETE FROM "
                    + PgSchema.TRACKS
                    + " WHERE (force_id, start_ms) IN (SELECT force_id, start_ms FROM "
                    + PgSchema.TRACKS
                    + " WHERE end_ms < ? ORDER BY end_ms LIMIT ?)")) {
      ps.setLong(1, before);
      ps.setInt(2, limit);
      int n = ps.executeUpdate();
      tracks.forgetBefore(before);
      return n;
    } catch (SQLException e) {
      throw store.failure("cannot delete old tracks", e);
    }
  }

  synchronized void recordTracks(boolean on) {
    tracks.recording(on);
  }

  /**
   * Forgets the open chunks: this node takes the turn to write anew (the last writer may have grown
   * chunks of its own meanwhile), or the city was written whole.
   */
  synchronized void forgetOpenChunks() {
    tracks.forget();
  }

  private static void audit(Connection c, List<String> entries, long[] seqs) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO audit_log (seq, entry) VALUES (?, ?::jsonb)")) {
      for (int i = 0; i < entries.size(); i++) {
        ps.setLong(1, seqs[i]);
        ps.setString(2, entries.get(i));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** A history row to insert once the change's log position is known. */
  private record Version(
      LayerDef def,
      Feature feature,
      int version,
      Provenance provenance,
      boolean multi,
      boolean retired) {
    Version(LayerDef def, Feature feature, int version, Provenance provenance, boolean multi) {
      this(def, feature, version, provenance, multi, false);
    }
  }

  private void addVersions(Connection c, List<List<Version>> versions, long[] seqs)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO "
                + PgSchema.HISTORY
                + " (layer, fid, version, changed_at, actor, role, action, personal, geom,"
                + " properties, seq, retired, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
                + " ST_GeomFromEWKB(?), ?::jsonb, ?, ?, ?)")) {
      for (int i = 0; i < seqs.length; i++) {
        for (Version v : versions.get(i)) {
          addVersion(
              insert,
              v.def(),
              v.feature(),
              v.version(),
              v.provenance(),
              v.multi(),
              v.provenance() == null ? 0 : seqs[i],
              v.retired());
        }
      }
    }
  }

  private void updateFeatures(
      Connection c, LayerDef def, Change change, Provenance provenance, List<Version> versions)
      throws SQLException {
    List<Field> fields = def.fields();
    boolean multi = multiPolygons(c, def);
    try (PreparedStatement update = c.prepareStatement(PgSchema.updateSql(def));
        PreparedStatement add = c.prepareStatement(PgSchema.insertSql(def));
        PreparedStatement last =
            c.prepareStatement(
                "SELECT max(version) FROM " + PgSchema.HISTORY + " WHERE layer = ? AND fid = ?");
        PreparedStatement delete =
            c.prepareStatement("DELETE FROM " + PgSchema.quote(def.name()) + " WHERE fid = ?");
        PreparedStatement dropTiles =
            c.prepareStatement(
                "DELETE FROM " + PgSchema.TILE_GEOMETRIES + " WHERE layer = ? AND fid = ?")) {
      // retirements first: a feature added by the same change may take a retired one's unique
      // values (a grid's code, were a planner ever to give it again)
      List<Change.Replacement> ordered = new ArrayList<>(change.replacements());
      ordered.sort(java.util.Comparator.comparing((Change.Replacement r) -> !r.isRetired()));
      for (Change.Replacement r : ordered) {
        if (r.isRetired()) {
          retire(delete, dropTiles, last, def, r.before(), provenance, multi, versions);
          continue;
        }
        Feature f = r.after();
        DatasetCheck.arity(def, f);
        if (r.isAdded()) {
          add.setLong(1, f.id());
          add.setBytes(2, ewkb.write(DatasetCheck.promote(f.geometry(), multi), 4326));
          add.setBoolean(3, f.personal());
          for (int i = 0; i < fields.size(); i++) {
            bind(add, 4 + i, def, f, fields.get(i), f.value(i));
          }
          try {
            add.executeUpdate();
          } catch (SQLException e) {
            throw new StoreException(
                "store "
                    + store.location()
                    + ": layer "
                    + def.name()
                    + " cannot add feature "
                    + f.id()
                    + " (nothing was written): "
                    + ("23505".equals(e.getSQLState())
                        ? "another feature has the same id"
                        : e.getMessage()),
                e);
          }
          // an added feature's history starts with the version that added it, or goes on after
          // the version that retired the id, when the caller adds a retired id again
          stage(
              versions, new Version(def, f, lastVersion(last, def, f.id()) + 1, provenance, multi));
          continue;
        }
        update.setBytes(1, ewkb.write(DatasetCheck.promote(f.geometry(), multi), 4326));
        update.setBoolean(2, f.personal());
        for (int i = 0; i < fields.size(); i++) {
          bind(update, 3 + i, def, f, fields.get(i), f.value(i));
        }
        update.setLong(3 + fields.size(), f.id());
        if (update.executeUpdate() != 1) {
          throw new StoreException(
              "store "
                  + store.location()
                  + ": layer "
                  + def.name()
                  + " has no feature "
                  + f.id()
                  + " (nothing was written)");
        }
        int version = lastVersion(last, def, f.id());
        if (version == 0) {
          stage(versions, new Version(def, r.before(), ++version, null, multi));
        }
        stage(versions, new Version(def, f, ++version, provenance, multi));
      }
    }
  }

  /**
   * Deletes the feature's row and its generalised polygons at every zoom; the history keeps it as
   * it last was, in a version flagged retired (after version 1, the original, for a feature never
   * changed before).
   */
  private void retire(
      PreparedStatement delete,
      PreparedStatement dropTiles,
      PreparedStatement last,
      LayerDef def,
      Feature before,
      Provenance provenance,
      boolean multi,
      List<Version> versions)
      throws SQLException {
    delete.setLong(1, before.id());
    if (delete.executeUpdate() != 1) {
      throw new StoreException(
          "store "
              + store.location()
              + ": layer "
              + def.name()
              + " has no feature "
              + before.id()
              + " to retire (nothing was written)");
    }
    dropTiles.setString(1, def.name());
    dropTiles.setLong(2, before.id());
    dropTiles.executeUpdate();
    int version = lastVersion(last, def, before.id());
    if (version == 0) {
      stage(versions, new Version(def, before, ++version, null, multi));
    }
    stage(versions, new Version(def, before, ++version, provenance, multi, true));
  }

  /**
   * The versions this transaction will write, by layer and feature: their rows are inserted after
   * the change log (see applyAll), so a second change of the same feature in one group must count
   * from here, not from the table.
   */
  private final Map<String, Integer> staged = new java.util.HashMap<>();

  private void stage(List<Version> versions, Version v) {
    versions.add(v);
    staged.merge(v.def().name() + ":" + v.feature().id(), v.version(), Math::max);
  }

  private int lastVersion(PreparedStatement last, LayerDef def, long fid) throws SQLException {
    last.setString(1, def.name());
    last.setLong(2, fid);
    int stored;
    try (ResultSet rs = last.executeQuery()) {
      rs.next();
      stored = rs.getInt(1); // 0 when null: no version yet
    }
    return Math.max(stored, staged.getOrDefault(def.name() + ":" + fid, 0));
  }

  private static void bind(
      PreparedStatement ps, int index, LayerDef def, Feature f, Field field, Object value)
      throws SQLException {
    if (value == null) {
      ps.setNull(
          index,
          switch (field.type()) {
            case STRING -> Types.VARCHAR;
            case INTEGER -> Types.BIGINT;
            case REAL -> Types.DOUBLE;
            case BOOLEAN -> Types.BOOLEAN;
            case TIMESTAMP -> Types.TIMESTAMP_WITH_TIMEZONE;
          });
      return;
    }
    DatasetCheck.value(def, f, field, value);
    switch (field.type()) {
      case STRING -> ps.setString(index, (String) value);
      case INTEGER -> ps.setLong(index, (Long) value);
      case REAL -> ps.setDouble(index, (Double) value);
      case BOOLEAN -> ps.setBoolean(index, (Boolean) value);
      case TIMESTAMP ->
          ps.setObject(
              index,
              java.time.Instant.ofEpochMilli((Long) value).atOffset(java.time.ZoneOffset.UTC));
    }
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
      ps.setNull(4, Types.TIMESTAMP_WITH_TIMEZONE);
      for (int i = 5; i <= 7; i++) {
        ps.setNull(i, Types.VARCHAR);
      }
    } else {
      ps.setObject(4, p.time().atOffset(java.time.ZoneOffset.UTC));
      ps.setString(5, p.actor());
      ps.setString(6, p.role());
      ps.setString(7, p.action());
    }
    ps.setBoolean(8, f.personal());
    ps.setBytes(9, ewkb.write(DatasetCheck.promote(f.geometry(), multi), 4326));
    ps.setString(10, PropertiesJson.write(def, f));
    if (seq > 0) {
      ps.setLong(11, seq);
    } else {
      ps.setNull(11, Types.BIGINT);
    }
    ps.setBoolean(12, retired);
    ps.setString(13, p == null ? null : p.reason());
    ps.executeUpdate();
  }

  /**
   * Keeps the generalised polygons a change is about to replace or drop, with the time they stopped
   * being drawn: a tile as of a past instant is drawn from what was drawn then (V11).
   */
  private static void archiveTiles(Connection c, Change change, java.time.Instant at)
      throws SQLException {
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
        c.prepareStatement(
            "INSERT INTO "
                + PgSchema.TILE_HISTORY
                + " (layer, zoom, fid, geom, replaced_at) SELECT layer, zoom, fid, geom, ? FROM "
                + PgSchema.TILE_GEOMETRIES
                + " WHERE layer = ? AND fid = ANY (?)")) {
      ps.setObject(1, at.atOffset(java.time.ZoneOffset.UTC));
      ps.setString(2, change.layer());
      ps.setArray(3, c.createArrayOf("bigint", ids.toArray()));
      ps.executeUpdate();
    }
  }

  /**
   * The generalised polygons drawn at {@code t} that have been replaced since; see FeatureStore.
   */
  Map<Integer, Map<Long, Geometry>> tileGeometriesAsOf(String layer, java.time.Instant t) {
    Map<Integer, Map<Long, Geometry>> out = new java.util.TreeMap<>();
    WKBReader wkb = new WKBReader();
    // per zoom and feature, the first polygon archived after t: the one drawn at t
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT DISTINCT ON (zoom, fid) zoom, fid, ST_AsBinary(geom) FROM "
                    + PgSchema.TILE_HISTORY
                    + " WHERE layer = ? AND replaced_at > ? ORDER BY zoom, fid, id")) {
      ps.setString(1, layer);
      ps.setObject(2, t.atOffset(java.time.ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          try {
            out.computeIfAbsent(rs.getInt(1), z -> new java.util.HashMap<>())
                .put(rs.getLong(2), wkb.read(rs.getBytes(3)));
          } catch (ParseException e) {
            throw new StoreException(
                "store " + store.location() + ": a tile geometry of " + layer + " is broken", e);
          }
        }
      }
    } catch (SQLException e) {
      throw store.failure("cannot read the tile geometries of " + layer + " as of " + t, e);
    }
    return out;
  }

  private void updateTileGeometries(Connection c, Change change) throws SQLException {
    try (PreparedStatement put =
            c.prepareStatement(
                "INSERT INTO "
                    + PgSchema.TILE_GEOMETRIES
                    + " (layer, zoom, fid, geom) VALUES (?, ?, ?, ST_GeomFromEWKB(?))"
                    + " ON CONFLICT (layer, zoom, fid) DO UPDATE SET geom = excluded.geom");
        PreparedStatement drop =
            c.prepareStatement(
                "DELETE FROM "
                    + PgSchema.TILE_GEOMETRIES
                    + " WHERE layer = ? AND zoom = ? AND fid = ?")) {
      for (Map.Entry<Integer, Map<Long, Geometry>> z : change.generalised().entrySet()) {
        for (Map.Entry<Long, Geometry> e : z.getValue().entrySet()) {
          PreparedStatement ps = e.getValue() == null || e.getValue().isEmpty() ? drop : put;
          ps.setString(1, change.layer());
          ps.setInt(2, z.getKey());
          ps.setLong(3, e.getKey());
          if (ps == put) {
            ps.setBytes(4, ewkb.write(e.getValue(), 3857));
          }
          ps.addBatch();
        }
      }
      put.executeBatch();
      drop.executeBatch();
    }
  }

  /**
   * Refuses the write unless this node still holds turn {@code epoch}: under a share lock on the
   * turn's row, so that no other node can take the turn until this transaction ends (the fencing
   * token checked where the change is written, not before).
   */
  /**
   * Creates or replaces an imported layer in one transaction, with the writer's turn checked as for
   * a change; see FeatureStore#replaceLayer.
   */
  long replaceLayer(io.gridmap.layers.store.LayerImport imported) {
    io.gridmap.layers.store.DatasetCheck.imported(imported.def(), imported.features());
    if (store.epoch() == 0) {
      throw notTheWriter(null, 0, 0);
    }
    try (Connection c = store.connection()) {
      c.setAutoCommit(false);
      try {
        PgSchema.markServerWrite(c);
        long epoch = store.epoch();
        if (epoch >= 0) {
          checkTurn(c, epoch);
        }
        ImportedTables.replace(c, store.url().schema(), new PostgisWriter(store), imported);
        // the log last, as for a change (V6's lock until commit): the other nodes read the entry
        // and take the layer in (ExternalChanges)
        long seq = logImport(c, imported.def().name());
        Failpoint.hit(Failpoint.IMPORT_BEFORE_COMMIT);
        c.commit();
        return seq;
      } catch (SQLException | RuntimeException e) {
        PgSchema.rollbackQuietly(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw store.failure(
          "cannot import layer " + imported.def().name() + " (nothing was written)", e);
    }
  }

  private void checkTurn(Connection c, long epoch) throws SQLException {
    String holder = null;
    long current = 0;
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT holder, epoch FROM writer_turn WHERE id = 1 FOR SHARE")) {
      if (rs.next()) {
        holder = rs.getString(1);
        current = rs.getLong(2);
      }
    }
    if (epoch == 0 || holder == null || !holder.equals(store.node()) || current != epoch) {
      throw notTheWriter(holder, current, epoch);
    }
  }

  /**
   * @param holder the node holding the turn, or null when none does or it was not read
   */
  private io.gridmap.layers.store.NotTheWriterException notTheWriter(
      String holder, long current, long epoch) {
    return new io.gridmap.layers.store.NotTheWriterException(
        "store "
            + store.location()
            + ": this node does not hold the turn to write"
            + (holder == null ? "" : " (" + holder + " holds epoch " + current)
            + (holder != null && epoch > 0 ? "; this node held epoch " + epoch : "")
            + (holder == null ? "" : ")")
            + "; nothing was written: send the write to the node that writes, or again later");
  }

  private long log(Connection c, Change change, Provenance p) throws SQLException {
    Long[] ids = new Long[change.replacements().size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = change.replacements().get(i).id();
    }
    return log(c, change.layer(), ids, p.actor(), p.role(), p.action(), p.time());
  }

  /**
   * An import's entry ({@link LoggedChange#LAYER_IMPORT}), no ids: the layer is replaced whole. Who
   * imported is in the audit entry of the same transaction.
   */
  private long logImport(Connection c, String layer) throws SQLException {
    return log(
        c, layer, new Long[0], null, null, LoggedChange.LAYER_IMPORT, java.time.Instant.now());
  }

  private long log(
      Connection c,
      String layer,
      Long[] ids,
      String actor,
      String role,
      String action,
      java.time.Instant time)
      throws SQLException {
    long seq;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + PgSchema.CHANGE_LOG
                + " (changed_at, actor, role, action, layer, fids, writer, epoch) VALUES (?, ?, ?, ?,"
                + " ?, ?, ?, ?) RETURNING seq")) {
      ps.setObject(1, time.atOffset(java.time.ZoneOffset.UTC));
      ps.setString(2, actor);
      ps.setString(3, role);
      ps.setString(4, action);
      ps.setString(5, layer);
      ps.setArray(6, c.createArrayOf("bigint", ids));
      ps.setString(7, store.node());
      if (store.epoch() > 0) {
        ps.setLong(8, store.epoch());
      } else {
        ps.setNull(8, Types.BIGINT);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        seq = rs.getLong(1);
      }
    }
    long keepFrom = seq - FeatureStore.LOG_RETENTION;
    if (keepFrom > 0 && keepFrom % 100 == 0) {
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM " + PgSchema.CHANGE_LOG + " WHERE seq <= ?")) {
        ps.setLong(1, keepFrom);
        ps.executeUpdate();
      }
    }
    return seq;
  }

  List<LoggedChange> changesAfter(long after, int limit) {
    List<LoggedChange> out = new ArrayList<>();
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT seq, layer, fids, changed_at, action, writer FROM "
                    + PgSchema.CHANGE_LOG
                    + " WHERE seq > ? ORDER BY seq LIMIT ?")) {
      ps.setLong(1, after);
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Array fids = rs.getArray(3);
          Long[] boxed = (Long[]) fids.getArray();
          long[] ids = new long[boxed.length];
          for (int i = 0; i < ids.length; i++) {
            ids[i] = boxed[i];
          }
          out.add(
              new LoggedChange(
                  rs.getLong(1),
                  rs.getString(2),
                  ids,
                  rs.getObject(4, java.time.OffsetDateTime.class).toInstant(),
                  rs.getString(5),
                  rs.getString(6)));
        }
      }
    } catch (SQLException e) {
      throw store.failure("cannot read the change log", e);
    }
    return out;
  }

  /** The newest position in the log that is committed, 0 when none is (commit order: V6). */
  long newestVisible() {
    try (Connection c = store.connection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT coalesce(max(seq), 0) FROM " + PgSchema.CHANGE_LOG)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw store.failure("cannot read the change log", e);
    }
  }

  LogRange logRange() {
    try (Connection c = store.connection()) {
      return logRange(c);
    } catch (SQLException e) {
      throw store.failure("cannot read the change log", e);
    }
  }

  /**
   * The oldest retained position and the newest ever given: the identity's sequence, so that a
   * position is never reused even when the log's newest rows were trimmed or rolled back.
   */
  private static LogRange logRange(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT (SELECT min(seq) FROM "
                    + PgSchema.CHANGE_LOG
                    + "), (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM "
                    + PgSchema.CHANGE_LOG_SEQUENCE
                    + ")")) {
      rs.next();
      long last = rs.getLong(2);
      long first = rs.getLong(1);
      if (rs.wasNull()) {
        first = last + 1;
      }
      return new LogRange(first, last);
    }
  }

  /** The features the change at {@code seq} made versions of; see FeatureStore#editedBy. */
  List<io.gridmap.layers.edit.EditedFeature> editedBy(long seq) {
    List<io.gridmap.layers.edit.EditedFeature> out = new ArrayList<>();
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT layer, fid, version FROM "
                    + PgSchema.HISTORY
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
      throw store.failure("cannot read the history of change " + seq, e);
    }
    return out;
  }

  /**
   * A history row read by the columns version, changed_at, actor, role, action, personal, geom
   * (WKB), properties, seq, retired and, where selected, reason (in that order, from column 1).
   */
  private FeatureVersion version(ResultSet rs, WKBReader wkb, LayerDef def, long fid)
      throws SQLException {
    java.time.OffsetDateTime at = rs.getObject(2, java.time.OffsetDateTime.class);
    Provenance p =
        at == null
            ? null
            : new Provenance(
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                at.toInstant(),
                rs.getMetaData().getColumnCount() >= 11 ? rs.getString(11) : null);
    Geometry g;
    Object[] values;
    try {
      g = wkb.read(rs.getBytes(7));
      values = PropertiesJson.read(def, rs.getString(8));
    } catch (ParseException | IllegalArgumentException e) {
      throw new StoreException(
          "store "
              + store.location()
              + ": a history row of "
              + def.name()
              + " feature "
              + fid
              + " is broken: "
              + e.getMessage(),
          e);
    }
    return new FeatureVersion(
        rs.getInt(1),
        new Feature(fid, g, values, rs.getBoolean(6)),
        p,
        rs.getLong(9),
        rs.getBoolean(10));
  }

  /** What the features changed after {@code t} were at {@code t}; see FeatureStore#asOf. */
  List<io.gridmap.layers.edit.PastState> asOf(String layer, java.time.Instant t) {
    if (io.gridmap.layers.model.Catalogue.byName(layer).isEmpty()) {
      return List.of(); // an imported layer keeps no history
    }
    LayerDef def = def(layer);
    WKBReader wkb = new WKBReader(PostgisReader.WGS84);
    List<io.gridmap.layers.edit.PastState> out = new ArrayList<>();
    // the version before each feature's first change after t is what it was at t; none (the
    // first change after t added it) means it did not exist yet
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT h.version, h.changed_at, h.actor, h.role, h.action, h.personal,"
                    + " ST_AsBinary(h.geom), h.properties::text, h.seq, h.retired, x.fid FROM"
                    + " (SELECT fid, min(version) AS first_after FROM "
                    + PgSchema.HISTORY
                    + " WHERE layer = ? AND changed_at > ? GROUP BY fid) x LEFT JOIN "
                    + PgSchema.HISTORY
                    + " h ON h.layer = ? AND h.fid = x.fid AND h.version = x.first_after - 1"
                    + " ORDER BY x.fid")) {
      ps.setString(1, layer);
      ps.setObject(2, t.atOffset(java.time.ZoneOffset.UTC));
      ps.setString(3, layer);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long fid = rs.getLong(11);
          rs.getInt(1);
          FeatureVersion v = rs.wasNull() ? null : version(rs, wkb, def, fid);
          out.add(new io.gridmap.layers.edit.PastState(fid, v));
        }
      }
    } catch (SQLException e) {
      throw store.failure("cannot read " + layer + " as of " + t, e);
    }
    return out;
  }

  /** See FeatureStore#maxHistoricId. */
  long maxHistoricId(String layer, long from, long to) {
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT max(fid) FROM "
                    + PgSchema.HISTORY
                    + " WHERE layer = ? AND fid BETWEEN ? AND ?")) {
      ps.setString(1, layer);
      ps.setLong(2, from);
      ps.setLong(3, to);
      try (ResultSet rs = ps.executeQuery()) {
        long max = rs.next() ? rs.getLong(1) : -1;
        return rs.wasNull() ? -1 : max;
      }
    } catch (SQLException e) {
      throw store.failure("cannot read the ids the history of " + layer + " holds", e);
    }
  }

  List<FeatureVersion> history(String layer, long fid) {
    LayerDef def = def(layer);
    WKBReader wkb = new WKBReader(PostgisReader.WGS84);
    List<FeatureVersion> out = new ArrayList<>();
    try (Connection c = store.connection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT version, changed_at, actor, role, action, personal, ST_AsBinary(geom),"
                    + " properties::text, seq, retired, reason FROM "
                    + PgSchema.HISTORY
                    + " WHERE layer = ? AND fid = ? ORDER BY version")) {
      ps.setString(1, layer);
      ps.setLong(2, fid);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(version(rs, wkb, def, fid));
        }
      }
    } catch (SQLException e) {
      throw store.failure("cannot read the history of " + layer + " feature " + fid, e);
    }
    return out;
  }

  /**
   * Whether a polygon layer holds MultiPolygons, so that a Polygon written into it is promoted as
   * the whole write did ({@link DatasetCheck#promotesPolygons}). Asked of the table each time,
   * since other programs write into it too: a scan that stops at the first MultiPolygon, on polygon
   * layers only, which change with grid edits, never on the path of positions and incidents.
   */
  private static boolean multiPolygons(Connection c, LayerDef def) throws SQLException {
    if (def.kind() == io.gridmap.layers.model.GeometryKind.POINT) {
      return false;
    }
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT EXISTS (SELECT 1 FROM "
                    + PgSchema.quote(def.name())
                    + " WHERE GeometryType(geom) = 'MULTIPOLYGON')")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  private LayerDef def(String layer) {
    return Catalogue.byName(layer)
        .orElseThrow(
            () ->
                new StoreException(
                    "store "
                        + store.location()
                        + " has no layer "
                        + layer
                        + "; it has "
                        + Catalogue.ALL.stream().map(LayerDef::name).toList()));
  }
}
