package io.gridmap.layers.store.pg;

import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.FieldType;
import io.gridmap.layers.model.LayerDef;
import java.util.stream.Collectors;

/**
 * The layout of a PostGIS store as the Java side names it: the tables are created by the Flyway
 * migrations in {@code io/gridmap/layers/store/pg/migration} (V1__city.sql describes them), and
 * {@code PostgisSchemaTest} checks that they and the catalogue agree.
 *
 * <p>Every identifier here comes from the catalogue or from this class, or is an imported layer's
 * name or field checked by {@code LayerNames} and {@code Field} (lower-case letters, digits and
 * underscores), and is double-quoted all the same.
 */
final class PgSchema {
  private PgSchema() {}

  static final String TILE_GEOMETRIES = "tile_geometries";

  /** Generalised polygons replaced by changes, with when (V11). */
  static final String TILE_HISTORY = "tile_geometries_history";

  static final String METADATA = "dataset_metadata";
  static final String HISTORY = "feature_history";
  static final String CHANGE_LOG = "change_log";

  /** The forces' tracks, chunks of packed fixes (V9__position_tracks.sql). */
  static final String TRACKS = "position_tracks";

  /** The registry of imported layers (V7__imported_layers.sql). */
  static final String IMPORTED_LAYERS = "imported_layers";

  /** The change log's positions: never reused, even after a rollback. */
  static final String CHANGE_LOG_SEQUENCE = "change_log_seq";

  /** Every table a whole write replaces, parents before children (the foreign keys). */
  static String allTables() {
    return io.gridmap.layers.model.Catalogue.ALL.stream()
            .map(d -> quote(d.name()))
            .collect(Collectors.joining(", "))
        + ", "
        + String.join(", ", TILE_GEOMETRIES, TILE_HISTORY, METADATA, HISTORY, CHANGE_LOG, TRACKS);
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** The SQL type a field type is stored as. */
  static String sqlType(FieldType type) {
    return switch (type) {
      case STRING -> "text";
      case INTEGER -> "bigint";
      case REAL -> "double precision";
      case BOOLEAN -> "boolean";
      case TIMESTAMP -> "timestamp with time zone";
    };
  }

  /**
   * The table of an imported layer, made as V1__city.sql makes a catalogue layer's: the id range a
   * JavaScript number holds, the geometry in EPSG:4326 (Points, or Polygons and MultiPolygons), the
   * personal flag, a column per field typed by {@link #sqlType}. No constraints beyond those: an
   * import's attributes are whatever its file held.
   */
  static String createTableSql(LayerDef def) {
    String geometry =
        def.kind() == io.gridmap.layers.model.GeometryKind.POINT
            ? "geometry(Point, 4326) NOT NULL"
            : "geometry(Geometry, 4326) NOT NULL CHECK (GeometryType(geom) IN ('POLYGON',"
                + " 'MULTIPOLYGON'))";
    return "CREATE TABLE "
        + quote(def.name())
        + " (fid bigint PRIMARY KEY CHECK (fid >= 0 AND fid < 9007199254740992), geom "
        + geometry
        + ", personal boolean NOT NULL DEFAULT false"
        + def.fields().stream()
            .map(f -> ", " + quote(f.name()) + " " + sqlType(f.type()))
            .collect(Collectors.joining())
        + ")";
  }

  /**
   * The GiST index of an imported layer's geometry. Unnamed: PostgreSQL picks a free name, where
   * V1's {@code <layer>_geom} could be another imported layer's table (indexes and tables share one
   * namespace).
   */
  static String createGeometryIndexSql(LayerDef def) {
    return "CREATE INDEX ON " + quote(def.name()) + " USING gist (geom)";
  }

  /** {@code fid, geom, personal, <fields...>}, quoted: the columns of COPY and INSERT. */
  static String columnList(LayerDef def) {
    return "fid, geom, personal"
        + def.fields().stream().map(f -> ", " + quote(f.name())).collect(Collectors.joining());
  }

  /**
   * The columns a read selects: the geometry as WKB, timestamps as epoch milliseconds (exact: the
   * store keeps what it was given, milliseconds).
   */
  static String selectList(LayerDef def) {
    StringBuilder sb = new StringBuilder("fid, ST_AsBinary(geom), personal");
    for (Field f : def.fields()) {
      sb.append(", ");
      if (f.type() == FieldType.TIMESTAMP) {
        sb.append("(extract(epoch FROM ").append(quote(f.name())).append(") * 1000)::bigint");
      } else {
        sb.append(quote(f.name()));
      }
    }
    return sb.toString();
  }

  static String insertSql(LayerDef def) {
    return "INSERT INTO "
        + quote(def.name())
        + " ("
        + columnList(def)
        + ") VALUES (?, ST_GeomFromEWKB(?), ?"
        + ", ?".repeat(def.fields().size())
        + ")";
  }

  static String updateSql(LayerDef def) {
    return "UPDATE "
        + quote(def.name())
        + " SET geom = ST_GeomFromEWKB(?), personal = ?"
        + def.fields().stream()
            .map(f -> ", " + quote(f.name()) + " = ?")
            .collect(Collectors.joining())
        + " WHERE fid = ?";
  }

  /**
   * Rolls back after {@code cause}; a connection that broke cannot, and its failure is kept beside
   * the cause instead of hiding it (the server rolls back what a lost connection left).
   */
  static void rollbackQuietly(java.sql.Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (java.sql.SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** Rolls back a read-only transaction; a broken connection has nothing left to end. */
  static void endQuietly(java.sql.Connection c) {
    try {
      c.rollback();
    } catch (java.sql.SQLException e) {
      // the connection is gone, and the transaction with it
    }
  }

  /**
   * Marks the open transaction as the server's own, so that the triggers for other systems' writes
   * (V2__external_writes.sql) neither log nor refuse what it does: it logs its changes itself.
   */
  static void markServerWrite(java.sql.Connection c) throws java.sql.SQLException {
    try (java.sql.Statement s = c.createStatement()) {
      s.execute("SET LOCAL gridmap.writer = 'server'");
    }
  }
}
