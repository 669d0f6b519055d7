package io.gridmap.layers.store.gpkg;

import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.store.Failpoint;
import io.gridmap.layers.store.LayerDefJson;
import io.gridmap.layers.store.LayerImport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import mil.nga.geopackage.GeoPackage;
import mil.nga.geopackage.extension.rtree.RTreeIndexExtension;
import mil.nga.sf.GeometryType;

/**
 * Replaces one imported layer of a GeoPackage in place, in one SQLite transaction on the editor's
 * connection: the registry row, the layer's table dropped with its R-tree and registrations and
 * made anew by {@link LayerTable} exactly as a whole write makes it, the features, the generalised
 * polygons. SQLite's DDL is transactional, so a failure or a kill -9 at any point leaves the
 * previous version of the layer (or none) and a valid GeoPackage.
 *
 * <p>No audit row here: the server records the import's entry through its audit log (the store's
 * {@code audit_log} table) once the layer is in, as it does for every other write.
 */
final class ImportedLayerWriter {
  private final GeoPackage gpkg;
  private final Connection c;
  private final LayerTable tables;

  ImportedLayerWriter(GeoPackage gpkg, Connection c, GeometryBlob blob) {
    this.gpkg = gpkg;
    this.c = c;
    this.tables = new LayerTable(blob);
  }

  /** The change-log entry of the import, written in its transaction; returns its position. */
  interface Log {
    long write() throws SQLException;
  }

  /**
   * Call with the layer checked ({@code DatasetCheck.imported}): refusals before any write.
   *
   * @return the import's change-log position ({@code log}'s)
   */
  long replace(LayerImport imported, Log log) throws SQLException {
    // the features as given, iterated: an importer makes them one at a time, and a Layer would copy
    LayerDef def = imported.def();
    List<Feature> features = imported.features();
    String name = def.name();
    c.setAutoCommit(false);
    try {
      try (Statement s = c.createStatement()) {
        s.execute(StoreSchema.CREATE_IMPORTED_LAYERS);
        s.execute(StoreSchema.REGISTER_IMPORTED_LAYERS);
      }
      try (PreparedStatement ps = c.prepareStatement(StoreSchema.UPSERT_IMPORTED_LAYER)) {
        ps.setString(1, name);
        ps.setString(2, LayerDefJson.write(def));
        ps.executeUpdate();
      }
      LayerTable.drop(c, name);
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM " + StoreSchema.TILE_GEOMETRIES + " WHERE layer = ?")) {
        ps.setString(1, name);
        ps.executeUpdate();
      }
      RTreeIndexExtension rtree = new RTreeIndexExtension(gpkg);
      GeometryType type = LayerTable.create(gpkg, rtree, def, features);
      tables.fill(c, def, features, type);
      tables.insertGeneralised(c, name, imported.generalised());
      LayerTable.createRTreeTriggers(rtree, name);
      // logged as the PostGIS store logs it: a server that reads the log learns of the import
      long seq = log.write();
      Failpoint.hit(Failpoint.IMPORT_BEFORE_COMMIT);
      c.commit();
      return seq;
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }
}
