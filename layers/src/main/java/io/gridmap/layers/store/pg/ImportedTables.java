package io.gridmap.layers.store.pg;

import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.store.LayerDefJson;
import io.gridmap.layers.store.LayerImport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * The imported layers' tables of a PostGIS store and their registry ({@code imported_layers},
 * V7__imported_layers.sql), changed inside a transaction the caller opened and commits: an import
 * replaces one layer, a whole write replaces them all.
 *
 * <p>A table is dropped and created anew rather than emptied: a re-import may bring other fields.
 * PostgreSQL's DDL is transactional, so another session sees the old table until the commit and a
 * failure or a killed process leaves it. DROP and CREATE name the store's schema: the search path
 * also holds PostGIS's schema, where a table of the same name may be somebody else's.
 *
 * <p>The triggers that log other programs' writes (V2, V6) are not attached to these tables: an SQL
 * write into one is not picked up by running servers; import the layer again instead.
 */
final class ImportedTables {
  private ImportedTables() {}

  /**
   * Drops every imported layer's table and empties the registry (their generalised polygons go with
   * the whole write's TRUNCATE of tile_geometries).
   */
  static void dropAll(Connection c, String schema) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT name FROM " + PgSchema.IMPORTED_LAYERS + " FOR UPDATE")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    try (Statement s = c.createStatement()) {
      for (String name : names) {
        s.execute("DROP TABLE IF EXISTS " + qualified(schema, name));
      }
      s.execute("DELETE FROM " + PgSchema.IMPORTED_LAYERS);
    }
  }

  /**
   * Registers the layer (at the end, or where it stands already) and makes its table anew, empty,
   * with its GiST index.
   */
  static void create(Connection c, String schema, LayerDef def) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + PgSchema.IMPORTED_LAYERS
                + " (name, position, definition, imported_at) VALUES (?, (SELECT"
                + " COALESCE(max(position), 0) + 1 FROM "
                + PgSchema.IMPORTED_LAYERS
                + "), ?::jsonb, now()) ON CONFLICT (name) DO UPDATE SET definition ="
                + " excluded.definition, imported_at = excluded.imported_at")) {
      ps.setString(1, def.name());
      ps.setString(2, LayerDefJson.write(def));
      ps.executeUpdate();
    }
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + qualified(schema, def.name()));
      s.execute(PgSchema.createTableSql(def));
      s.execute(PgSchema.createGeometryIndexSql(def));
    }
  }

  /**
   * Replaces one imported layer whole: registry, table, rows (COPY, as a whole write), generalised
   * polygons, the audit entry. The caller logs it and commits.
   */
  static void replace(Connection c, String schema, PostgisWriter writer, LayerImport imported)
      throws SQLException {
    LayerDef def = imported.def();
    create(c, schema, def);
    var copy = c.unwrap(PGConnection.class).getCopyAPI();
    writer.copyLayer(copy, def, imported.features());
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM " + PgSchema.TILE_GEOMETRIES + " WHERE layer = ?")) {
      ps.setString(1, def.name());
      ps.executeUpdate();
    }
    Generalised generalised = Generalised.empty();
    imported.generalised().forEach((zoom, byId) -> generalised.put(def.name(), zoom, byId));
    writer.copyGeneralised(copy, generalised);
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO audit_log (entry) VALUES (?::jsonb)")) {
      ps.setString(1, imported.audit());
      ps.executeUpdate();
    }
  }

  /** The imported layers' definitions, in the order of their first import. */
  static List<LayerDef> definitions(Connection c, String location) throws SQLException {
    List<LayerDef> defs = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT name, definition::text FROM "
                    + PgSchema.IMPORTED_LAYERS
                    + " ORDER BY position, name")) {
      while (rs.next()) {
        try {
          defs.add(LayerDefJson.read(rs.getString(2)));
        } catch (IllegalArgumentException e) {
          throw new io.gridmap.layers.store.StoreException(
              "store "
                  + location
                  + ": the definition of imported layer "
                  + rs.getString(1)
                  + " in "
                  + PgSchema.IMPORTED_LAYERS
                  + " is broken: "
                  + e.getMessage(),
              e);
        }
      }
    }
    return defs;
  }

  private static String qualified(String schema, String table) {
    return PgSchema.quote(schema) + "." + PgSchema.quote(table);
  }
}
