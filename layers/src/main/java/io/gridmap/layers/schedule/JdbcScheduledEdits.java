package io.gridmap.layers.schedule;

import io.gridmap.layers.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link ScheduledEdits} in the table {@code scheduled_edits}, the same SQL for SQLite (GeoPackage)
 * and PostgreSQL: times are epoch milliseconds ({@code bigint}), so that neither store's date type
 * leaks into the other's. Each call is one statement in autocommit, or a transaction of its own.
 */
public final class JdbcScheduledEdits implements ScheduledEdits {
  /** The table's name in both stores. */
  public static final String TABLE = "scheduled_edits";

  /** Work on a connection; a store lends one (its pool's, or its one connection under its lock). */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** How a store lends a connection for one piece of work. */
  @FunctionalInterface
  public interface Connections {
    <T> T with(Work<T> work) throws SQLException;
  }

  private static final String COLUMNS =
      "id, effective_ms, method, path, query, content_type, if_match, body, subject, role, scope,"
          + " created_ms, status, seq, outcome, summary, done_ms, done_by";

  private final String store;
  private final Connections connections;

  /**
   * @param store the store's location, for messages
   */
  public JdbcScheduledEdits(String store, Connections connections) {
    this.store = store;
    this.connections = connections;
  }

  @Override
  public long add(ScheduledEdit e) {
    return run(
        "store a scheduled edit",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO "
                      + TABLE
                      + " (effective_ms, method, path, query, content_type, if_match, body,"
                      + " subject, role, scope, created_ms, status, summary)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
            ps.setLong(1, e.effective().toEpochMilli());
            ps.setString(2, e.method());
            ps.setString(3, e.path());
            ps.setString(4, e.query());
            setNullable(ps, 5, e.contentType());
            setNullable(ps, 6, e.ifMatch());
            if (e.body() == null) {
              ps.setNull(7, Types.BINARY);
            } else {
              ps.setBytes(7, e.body());
            }
            ps.setString(8, e.subject());
            ps.setString(9, e.role());
            ps.setString(10, e.scope());
            ps.setLong(11, e.created().toEpochMilli());
            ps.setString(12, ScheduledEdit.SCHEDULED);
            setNullable(ps, 13, e.summary());
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  @Override
  public Optional<ScheduledEdit> find(long id) {
    return run(
        "read scheduled edit " + id,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE id = ?")) {
            ps.setLong(1, id);
            List<ScheduledEdit> out = rows(ps);
            return out.isEmpty() ? Optional.empty() : Optional.of(out.get(0));
          }
        });
  }

  @Override
  public List<ScheduledEdit> list(String status, long before, int limit) {
    return run(
        "list scheduled edits",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM "
                      + TABLE
                      + " WHERE (? IS NULL OR status = ?) AND (? = 0 OR id < ?)"
                      + " ORDER BY id DESC LIMIT ?")) {
            setNullable(ps, 1, status);
            setNullable(ps, 2, status);
            ps.setLong(3, before);
            ps.setLong(4, before);
            ps.setInt(5, limit);
            return rows(ps);
          }
        });
  }

  @Override
  public List<ScheduledEdit> due(Instant now, int limit) {
    return run(
        "read the scheduled edits due",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM "
                      + TABLE
                      + " WHERE status = ? AND effective_ms <= ? ORDER BY effective_ms, id LIMIT ?")) {
            ps.setString(1, ScheduledEdit.SCHEDULED);
            ps.setLong(2, now.toEpochMilli());
            ps.setInt(3, limit);
            return rows(ps);
          }
        });
  }

  @Override
  public boolean claim(long id, Instant now) {
    return move(id, ScheduledEdit.SCHEDULED, ScheduledEdit.APPLYING, null, null, null, now);
  }

  @Override
  public void finish(long id, String status, Long seq, String outcome, Instant now) {
    if (!status.equals(ScheduledEdit.APPLIED) && !status.equals(ScheduledEdit.FAILED)) {
      throw new IllegalArgumentException("an edit finishes applied or failed, not " + status);
    }
    if (!move(id, ScheduledEdit.APPLYING, status, seq, outcome, null, now)) {
      throw new StoreException(
          "store " + store + ": scheduled edit " + id + " was not being applied");
    }
  }

  @Override
  public boolean cancel(long id, String by, Instant now) {
    return move(id, ScheduledEdit.SCHEDULED, ScheduledEdit.CANCELLED, null, null, by, now);
  }

  @Override
  public int interrupt(Instant claimedBefore, Instant now) {
    return run(
        "mark interrupted scheduled edits",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + TABLE
                      + " SET status = ?, outcome = ?, done_ms = ? WHERE status = ? AND done_ms < ?")) {
            ps.setString(1, ScheduledEdit.INTERRUPTED);
            ps.setString(
                2,
                "{\"detail\":\"the server that was applying it stopped before it recorded the"
                    + " outcome; it is not tried again: whether it was written shows in the history"
                    + " of the features it edits\"}");
            ps.setLong(3, now.toEpochMilli());
            ps.setString(4, ScheduledEdit.APPLYING);
            ps.setLong(5, claimedBefore.toEpochMilli());
            return ps.executeUpdate();
          }
        });
  }

  /** One conditional update: from status {@code from} to {@code to}; false when it was not. */
  private boolean move(
      long id, String from, String to, Long seq, String outcome, String by, Instant now) {
    return run(
        "mark scheduled edit " + id + " " + to,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE "
                      + TABLE
                      + " SET status = ?, seq = ?, outcome = ?, done_by = ?, done_ms = ?"
                      + " WHERE id = ? AND status = ?")) {
            ps.setString(1, to);
            if (seq == null) {
              ps.setNull(2, Types.BIGINT);
            } else {
              ps.setLong(2, seq);
            }
            setNullable(ps, 3, outcome);
            setNullable(ps, 4, by);
            // claimed: not done yet, but when it was taken is kept until it is
            ps.setLong(5, now.toEpochMilli());
            ps.setLong(6, id);
            ps.setString(7, from);
            return ps.executeUpdate() == 1;
          }
        });
  }

  private static List<ScheduledEdit> rows(PreparedStatement ps) throws SQLException {
    List<ScheduledEdit> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        long seq = rs.getLong(14);
        Long seqOrNull = rs.wasNull() ? null : seq;
        long done = rs.getLong(17);
        Instant doneOrNull = rs.wasNull() ? null : Instant.ofEpochMilli(done);
        String status = rs.getString(13);
        out.add(
            new ScheduledEdit(
                rs.getLong(1),
                Instant.ofEpochMilli(rs.getLong(2)),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getBytes(8),
                rs.getString(9),
                rs.getString(10),
                rs.getString(11),
                Instant.ofEpochMilli(rs.getLong(12)),
                status,
                seqOrNull,
                rs.getString(15),
                rs.getString(16),
                status.equals(ScheduledEdit.SCHEDULED) ? null : doneOrNull,
                rs.getString(18)));
      }
    }
    return out;
  }

  private static void setNullable(PreparedStatement ps, int i, String v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.VARCHAR);
    } else {
      ps.setString(i, v);
    }
  }

  private <T> T run(String what, Work<T> work) {
    try {
      return connections.with(work);
    } catch (SQLException e) {
      throw new StoreException("store " + store + ": cannot " + what + ": " + e.getMessage(), e);
    }
  }

  /**
   * The table for SQLite (a GeoPackage attributes table); PostgreSQL's is made by migration V12
   * with the same columns.
   */
  public static final String SQLITE_TABLE =
      "CREATE TABLE IF NOT EXISTS "
          + TABLE
          + " (id INTEGER PRIMARY KEY AUTOINCREMENT, effective_ms INTEGER NOT NULL,"
          + " method TEXT NOT NULL, path TEXT NOT NULL, query TEXT NOT NULL DEFAULT '',"
          + " content_type TEXT, if_match TEXT, body BLOB, subject TEXT NOT NULL,"
          + " role TEXT NOT NULL, scope TEXT NOT NULL DEFAULT '', created_ms INTEGER NOT NULL,"
          + " status TEXT NOT NULL, seq INTEGER, outcome TEXT, summary TEXT, done_ms INTEGER,"
          + " done_by TEXT)";
}
