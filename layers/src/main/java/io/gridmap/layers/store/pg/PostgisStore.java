package io.gridmap.layers.store.pg;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.gridmap.layers.edit.Change;
import io.gridmap.layers.edit.FeatureVersion;
import io.gridmap.layers.edit.LogRange;
import io.gridmap.layers.edit.LoggedChange;
import io.gridmap.layers.edit.Provenance;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.StoreException;
import io.gridmap.layers.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * A {@link FeatureStore} in PostGIS: the production store, which the city's other systems read and
 * write beside us. The tables (one per catalogue layer, the generalised polygons, metadata,
 * history, change log) live in one schema of the database, created and migrated by Flyway from
 * {@code io/gridmap/layers/store/pg/migration} the first time the store is used.
 *
 * <p>Connections come from a bounded pool (HikariCP, {@code pool} in the URL). Every write is one
 * PostgreSQL transaction: a whole {@link #write} replaces every table or none; each {@link #apply}
 * or {@link #applyAll} commits its changes, their history and their change-log positions together.
 * Reads of the log and the history do not wait for a write (MVCC), unlike the GeoPackage store's.
 */
public final class PostgisStore implements FeatureStore, io.gridmap.layers.track.TrackStore {
  private final PostgisUrl url;
  private HikariDataSource pool;
  private String postgisSchema;
  private PostgisEditor editor;
  private volatile boolean closed;
  private volatile long readPosition = -1;

  /** This process's name among the nodes writing this store. */
  private final String node =
      java.lang.management.ManagementFactory.getRuntimeMXBean().getName()
          + "-"
          + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 16);

  /**
   * The epoch of the turn this node holds; 0 when it holds none; -1 when it never asked for one (a
   * tool writing the store directly, as generate does: no turn is checked).
   */
  private volatile long epoch = -1;

  public PostgisStore(PostgisUrl url) {
    this.url = url;
    this.scheduled =
        new io.gridmap.layers.schedule.JdbcScheduledEdits(
            url.display(),
            new io.gridmap.layers.schedule.JdbcScheduledEdits.Connections() {
              @Override
              public <T> T with(io.gridmap.layers.schedule.JdbcScheduledEdits.Work<T> work)
                  throws SQLException {
                try (Connection c = connection()) {
                  return work.run(c);
                }
              }
            });
  }

  @Override
  public String location() {
    return url.display();
  }

  @Override
  public void write(Dataset dataset) {
    new PostgisWriter(this).write(dataset);
    editor().forgetOpenChunks();
  }

  @Override
  public Dataset read() {
    // the log's newest visible position before any table is read: every change up to it is in
    // them (positions are in commit order, V6), and one committed while they are read is in some
    // of them or none, and is taken again after it. Not the sequence's value: that may be a
    // position whose transaction is still open, which the tables would miss and the reader skip.
    long position = editor().newestVisible();
    Dataset d = new PostgisReader(this).read();
    readPosition = position;
    return d;
  }

  @Override
  public String node() {
    return node;
  }

  /** The epoch this node writes with: -1 none asked for, 0 none held. */
  long epoch() {
    return epoch;
  }

  /** The URL this node takes forwarded writes at, or null. */
  private volatile String advertised;

  @Override
  public void advertise(String url) {
    this.advertised = url;
  }

  @Override
  public java.util.Optional<String> writerUrl() {
    try (Connection c = connection();
        java.sql.PreparedStatement ps =
            c.prepareStatement(
                "SELECT n.url FROM writer_turn t JOIN nodes n ON n.name = t.holder"
                    + " WHERE t.expires_at > now() AND t.holder <> ?")) {
      ps.setString(1, node);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? java.util.Optional.of(rs.getString(1)) : java.util.Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("cannot read whose turn it is to write", e);
    }
  }

  /**
   * A turn this node took whose catch-up ({@code beforeWriting}) has not finished: still this
   * node's to renew, not yet written with. 0 when none. Under this object's lock.
   */
  private long unready;

  @Override
  public boolean takeTurn(java.time.Duration length) {
    return takeTurn(length, () -> {});
  }

  /**
   * Runs {@code beforeWriting} outside this store's lock: it reads the store and waits for the
   * writer thread, which may be waiting for the lock itself (a write under way asks for the
   * editor). One node asks for its turn from one thread at a time ({@code WriterTurn}).
   */
  @Override
  public boolean takeTurn(java.time.Duration length, Runnable beforeWriting) {
    long next;
    synchronized (this) {
      long held = Math.max(epoch, 0);
      epoch = held; // a node that asks for turns writes only with one, from now on
      next = turn(length, held);
      if (next < 0) {
        return epoch > 0; // the store away: still this node's turn if it held one
      }
      if (next == 0) {
        return false;
      }
      if (next == held) {
        return true; // renewed
      }
      // a new turn: the last writer's changes are all committed (its writes hold the turn's row,
      // which taking it waited for) but maybe not yet read here; read them before writing after
      // them, or this node's first writes would build on a map that misses them
      unready = next;
    }
    try {
      beforeWriting.run();
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(PostgisStore.class)
          .warn(
              "store {}: took the turn to write (epoch {}) but could not read the changes before"
                  + " it yet ({}); writes wait until it can",
              url.display(),
              next,
              e.getMessage());
      synchronized (this) {
        epoch = 0;
      }
      return false;
    }
    synchronized (this) {
      if (unready != next) {
        return false; // lost or released meanwhile
      }
      unready = 0;
      epoch = next;
    }
    // outside this store's lock: a write holds the editor's and asks this one for a connection
    editor().forgetOpenChunks();
    org.slf4j.LoggerFactory.getLogger(PostgisStore.class)
        .info("store {}: this node ({}) writes now, epoch {}", url.display(), node, next);
    return true;
  }

  @Override
  public synchronized void releaseTurn() {
    long held = epoch > 0 ? epoch : unready; // a turn taken and still catching up is ended too
    unready = 0;
    if (held <= 0) {
      return;
    }
    epoch = 0;
    try (Connection c = connection();
        java.sql.PreparedStatement ps =
            c.prepareStatement(
                "UPDATE writer_turn SET expires_at = now() WHERE id = 1 AND holder = ? AND epoch"
                    + " = ?")) {
      ps.setString(1, node);
      ps.setLong(2, held);
      ps.executeUpdate();
    } catch (SQLException e) {
      // the turn then ends by itself, writer_turn_s after its last renewal
      org.slf4j.LoggerFactory.getLogger(PostgisStore.class)
          .info(
              "store {}: could not end this node's turn early: {}", url.display(), e.getMessage());
    }
  }

  /**
   * Renews or takes the turn in the store.
   *
   * @return the epoch this node now holds; 0 when another node holds a live turn; -1 when the store
   *     could not be asked
   */
  private long turn(java.time.Duration length, long held) {
    try (Connection c = connection()) {
      String mine = advertised;
      if (mine != null) {
        try (java.sql.PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO nodes (name, url, seen_at) VALUES (?, ?, now()) ON CONFLICT (name)"
                    + " DO UPDATE SET url = excluded.url, seen_at = excluded.seen_at")) {
          ps.setString(1, node);
          ps.setString(2, mine);
          ps.executeUpdate();
        }
      }
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        // a write holds the row a moment; a turn is asked for again in 2 s, so never wait longer
        s.execute("SET LOCAL lock_timeout = '2s'");
      }
      long seconds = Math.max(1, length.toSeconds());
      String holder = null;
      long current = 0;
      boolean live = false;
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT holder, epoch, expires_at > now() FROM writer_turn WHERE id = 1 FOR UPDATE")) {
        if (rs.next()) {
          holder = rs.getString(1);
          current = rs.getLong(2);
          live = rs.getBoolean(3);
        }
      }
      long next;
      if (holder != null && holder.equals(node) && (current == held || current == unready)) {
        next = current; // ours: renew
      } else if (holder != null && live) {
        c.rollback();
        if (held > 0) {
          org.slf4j.LoggerFactory.getLogger(PostgisStore.class)
              .warn(
                  "store {}: this node lost its turn to write to {} (epoch {})",
                  url.display(),
                  holder,
                  current);
        }
        epoch = 0;
        unready = 0;
        return 0;
      } else {
        next = current + 1; // free or ended: a new turn, which fences off every earlier one
      }
      try (java.sql.PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO writer_turn (id, holder, epoch, expires_at) VALUES (1, ?, ?, now() + ?"
                  + " * interval '1 second') ON CONFLICT (id) DO UPDATE SET holder = excluded.holder,"
                  + " epoch = excluded.epoch, expires_at = excluded.expires_at")) {
        ps.setString(1, node);
        ps.setLong(2, next);
        ps.setLong(3, seconds);
        ps.executeUpdate();
      }
      c.commit();
      return next;
    } catch (SQLException e) {
      // the row is locked by a write under way, or the database is away: not our turn this time,
      // or still ours (epoch kept) until the database says otherwise; writes check it themselves
      epoch = Math.max(epoch, 0);
      return -1;
    }
  }

  @Override
  public boolean sharedWithOtherPrograms() {
    return true; // V2__external_writes.sql logs their rows
  }

  @Override
  public long readPosition() {
    return readPosition >= 0 ? readPosition : editor().newestVisible();
  }

  @Override
  public boolean holdsACity() {
    try (Connection c = connection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM " + PgSchema.METADATA + ")")) {
      rs.next();
      return rs.getBoolean(1);
    } catch (SQLException e) {
      throw failure("cannot read the dataset metadata", e);
    }
  }

  @Override
  public DatasetMetadata metadata() {
    return new PostgisReader(this).metadata();
  }

  @Override
  public Map<String, Integer> counts() {
    return new PostgisReader(this).counts();
  }

  @Override
  public List<io.gridmap.layers.model.Feature> features(String layer, long[] ids) {
    return new PostgisReader(this).features(layer, ids);
  }

  @Override
  public Map<Integer, Map<Long, org.locationtech.jts.geom.Geometry>> tileGeometries(
      String layer, long[] ids) {
    return new PostgisReader(this).tileGeometries(layer, ids);
  }

  @Override
  public boolean keepsAudit() {
    return true; // V5__audit_log.sql
  }

  @Override
  public long[] applyAll(
      List<Change> changes, List<Provenance> provenances, List<String> auditEntries) {
    return editor().applyAll(changes, provenances, auditEntries);
  }

  @Override
  public void audit(String entry) {
    try (Connection c = connection();
        java.sql.PreparedStatement ps =
            c.prepareStatement("INSERT INTO audit_log (entry) VALUES (?::jsonb)")) {
      ps.setString(1, entry);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw failure("cannot write the audit log", e);
    }
  }

  @Override
  public void readAudit(java.util.function.Predicate<String> visitor) {
    try (Connection c = connection()) {
      c.setAutoCommit(false); // a cursor: the table is read in pages, not at once
      try (java.sql.PreparedStatement ps =
          c.prepareStatement("SELECT entry::text FROM audit_log ORDER BY id DESC")) {
        ps.setFetchSize(500);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next() && visitor.test(rs.getString(1))) {
            // the visitor takes each
          }
        }
      } finally {
        PgSchema.endQuietly(c);
      }
    } catch (SQLException e) {
      throw failure("cannot read the audit log", e);
    }
  }

  @Override
  public long apply(Change change, Provenance provenance) {
    return editor().applyAll(List.of(change), List.of(provenance))[0];
  }

  @Override
  public long[] applyAll(List<Change> changes, List<Provenance> provenances) {
    return editor().applyAll(changes, provenances);
  }

  @Override
  public List<LoggedChange> changesAfter(long after, int limit) {
    return editor().changesAfter(after, limit);
  }

  @Override
  public LogRange logRange() {
    return editor().logRange();
  }

  @Override
  public List<FeatureVersion> history(String layer, long id) {
    return editor().history(layer, id);
  }

  @Override
  public long maxHistoricId(String layer, long from, long to) {
    return editor().maxHistoricId(layer, from, to);
  }

  @Override
  public List<io.gridmap.layers.edit.PastState> asOf(String layer, java.time.Instant t) {
    return editor().asOf(layer, t);
  }

  @Override
  public java.util.Map<Integer, java.util.Map<Long, org.locationtech.jts.geom.Geometry>>
      tileGeometriesAsOf(String layer, java.time.Instant t) {
    return editor().tileGeometriesAsOf(layer, t);
  }

  @Override
  public List<io.gridmap.layers.edit.EditedFeature> editedBy(long seq) {
    return editor().editedBy(seq);
  }

  @Override
  public List<io.gridmap.layers.model.LayerDef> importedLayers() {
    return new PostgisReader(this).imported();
  }

  @Override
  public java.util.Optional<io.gridmap.layers.model.Layer> readImportedLayer(String name) {
    return new PostgisReader(this).readImported(name);
  }

  /**
   * In one transaction with its audit entry in audit_log; see {@link ImportedTables} for the
   * tables, and why SQL writes into them are not picked up live.
   */
  @Override
  public long replaceLayer(io.gridmap.layers.store.LayerImport layer) {
    return editor().replaceLayer(layer);
  }

  @Override
  public java.util.Optional<io.gridmap.layers.track.TrackStore> tracks() {
    return java.util.Optional.of(this);
  }

  @Override
  public List<io.gridmap.layers.track.TrackPoint> track(long forceId, long from, long to) {
    return editor().track(forceId, from, to);
  }

  @Override
  public int deleteBefore(long before, int limit) {
    return editor().deleteTracksBefore(before, limit);
  }

  @Override
  public void recording(boolean on) {
    editor().recordTracks(on);
  }

  private final io.gridmap.layers.schedule.ScheduledEdits scheduled;

  /**
   * In {@code scheduled_edits} (migration V12); any node may read and cancel, the writer claims.
   */
  @Override
  public java.util.Optional<io.gridmap.layers.schedule.ScheduledEdits> scheduledEdits() {
    return java.util.Optional.of(scheduled);
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (pool != null) {
      pool.close();
      pool = null;
    }
  }

  @Override
  public String toString() {
    return "PostgisStore[" + url.display() + "]";
  }

  PostgisUrl url() {
    return url;
  }

  private synchronized PostgisEditor editor() {
    if (editor == null) {
      connection(); // opens and migrates
      editor = new PostgisEditor(this);
    }
    return editor;
  }

  /**
   * A connection from the pool, with the store's schema and PostGIS's on the search path. The first
   * call checks PostGIS, applies the migrations and opens the pool; each failure names the store
   * and what to do.
   */
  Connection connection() {
    HikariDataSource ds;
    synchronized (this) {
      if (closed) {
        throw new StoreException("store " + url.display() + " is closed");
      }
      if (pool == null) {
        pool = open();
      }
      ds = pool;
    }
    try {
      return ds.getConnection();
    } catch (SQLException e) {
      throw failure("cannot get a connection", e);
    }
  }

  /**
   * Connection refused or lost (SQLSTATE class 08), the server shutting down or starting (57P01 to
   * 57P03), or no pooled connection within the pool's timeout.
   */
  private static boolean unreachable(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLTransientConnectionException
          || t instanceof java.net.ConnectException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08") || state.startsWith("57P0")) {
          return true;
        }
      }
    }
    return false;
  }

  private HikariDataSource open() {
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), credentials())) {
      postgisSchema = postgisSchema(c);
    } catch (SQLException e) {
      throw failure("cannot connect", e);
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url.jdbcUrl());
    if (url.user() != null) {
      config.setUsername(url.user());
    }
    if (url.password() != null) {
      config.setPassword(url.password());
    }
    config.setPoolName("gridmap-postgis");
    config.setMaximumPoolSize(url.pool());
    config.setMinimumIdle(1);
    // a write waits this long for a connection before it is answered 503: short, so that a
    // database that went away is reported at once rather than after a client's own timeout
    config.setConnectionTimeout(3_000);
    config.addDataSourceProperty("ApplicationName", "gridmap");
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    // a transaction left open by a paused or cut-off process ends after 15 s: its locks (the
    // writer's turn among them) must not outlive it
    config.setConnectionInitSql(
        "SET search_path TO "
            + PgSchema.quote(url.schema())
            + ", "
            + PgSchema.quote(postgisSchema)
            + "; SET idle_in_transaction_session_timeout = '15s'");
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException(
          "store " + url.display() + ": cannot open a connection pool: " + e.getMessage(), e);
    }
    try {
      migrate(ds);
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
    return ds;
  }

  /** Brings the schema to this version's layout (Flyway: each migration once, in order). */
  private void migrate(HikariDataSource ds) {
    for (int attempt = 1; ; attempt++) {
      try {
        migrateOnce(ds);
        return;
      } catch (FlywayException e) {
        // a migration applied while servers write (a rolling upgrade) may be chosen as the victim
        // of a deadlock with a write, or wait past a lock timeout: it was rolled back whole, so it
        // is tried again; anything else is an error
        if (attempt >= MIGRATE_ATTEMPTS || !lockConflict(e)) {
          throw new StoreException(
              "store "
                  + url.display()
                  + ": cannot bring schema "
                  + url.schema()
                  + " to this version's layout: "
                  + e.getMessage(),
              e);
        }
        org.slf4j.LoggerFactory.getLogger(PostgisStore.class)
            .warn(
                "store {}: the schema migration met a write of a running server and was rolled"
                    + " back (attempt {} of {}); trying again",
                url.display(),
                attempt,
                MIGRATE_ATTEMPTS);
        try {
          Thread.sleep(200L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new StoreException("store " + url.display() + ": interrupted while migrating", e);
        }
      }
    }
  }

  static final int MIGRATE_ATTEMPTS = 5;

  /** Whether a failure is a deadlock (40P01) or a lock not had in time (55P03). */
  private static boolean lockConflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql
          && ("40P01".equals(sql.getSQLState()) || "55P03".equals(sql.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  private void migrateOnce(HikariDataSource ds) {
    Flyway.configure(PostgisStore.class.getClassLoader())
        .dataSource(ds)
        .schemas(url.schema())
        .defaultSchema(url.schema())
        .createSchemas(true)
        .locations("classpath:io/gridmap/layers/store/pg/migration")
        .placeholders(Map.of("postgis_schema", postgisSchema))
        // a schema migrated further by a newer release is left as it is: during a rolling
        // upgrade, and when a deploy is rolled back, nodes of this release start on it
        // (migrations are written backward compatible: expand now, contract a release later).
        // Flyway's default, said here so that no one turns it off (RollingUpgradeTest).
        .ignoreMigrationPatterns("*:future")
        .load()
        .migrate();
  }

  /**
   * The schema PostGIS's types and functions are in; creates the extension when it is missing and
   * this user may (a database owner on PostgreSQL 13+ may not: a superuser has to, once).
   */
  private String postgisSchema(Connection c) throws SQLException {
    String schema = extensionSchema(c);
    if (schema == null) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE EXTENSION IF NOT EXISTS postgis");
      } catch (SQLException e) {
        throw new StoreException(
            "store "
                + url.display()
                + ": the database has no PostGIS and cannot add it ("
                + e.getMessage()
                + "); install it (Debian: apt-get install postgresql-15-postgis-3) and, as a"
                + " superuser, run CREATE EXTENSION postgis in that database",
            e);
      }
      schema = extensionSchema(c);
    }
    return schema;
  }

  private static String extensionSchema(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
                    + " WHERE e.extname = 'postgis'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private Properties credentials() {
    Properties p = new Properties();
    if (url.user() != null) {
      p.setProperty("user", url.user());
    }
    if (url.password() != null) {
      p.setProperty("password", url.password());
    }
    p.setProperty("ApplicationName", "gridmap");
    return p;
  }

  @Override
  public void check() {
    try (Connection c = connection();
        Statement s = c.createStatement()) {
      s.setQueryTimeout(5);
      s.execute("SELECT 1");
    } catch (SQLException e) {
      throw failure("cannot reach the database", e);
    }
  }

  /**
   * A driver failure as a message about the store, with what to do where we know it; a {@link
   * StoreUnavailableException} when the database cannot be reached (connection refused or lost, no
   * connection from the pool in time, the server shutting down), so that a write is answered 503.
   */
  StoreException failure(String what, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (unreachable(e)) {
      return new StoreUnavailableException(
          "store "
              + url.display()
              + ": "
              + what
              + ": "
              + reason
              + "; is PostgreSQL running and reachable there? (./mapserver test starts a local one)",
          e);
    }
    String hint = "";
    if (state.equals("3D000")) {
      hint = "; create the database first (createdb, or CREATE DATABASE as its owner)";
    } else if (state.equals("28P01") || state.equals("28000")) {
      hint = "; check the user and password in the URL";
    }
    return new StoreException("store " + url.display() + ": " + what + ": " + reason + hint, e);
  }
}
