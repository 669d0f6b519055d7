package io.gridmap.layers.store.gpkg;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import mil.nga.geopackage.GeoPackage;
import mil.nga.geopackage.extension.rtree.RTreeIndexExtension;

/**
 * The GeoPackage R-tree of a layer whose features move with every fix (the forces), set aside while
 * the editor writes and built anew from the rows when it closes.
 *
 * <p>Why: the R-tree extension's triggers move a feature's entry on every UPDATE of its geometry,
 * and SQLite's R-tree does that by deleting the entry and inserting it again, reading and rewriting
 * a leaf, its ancestors' bounds and the entry's row-id mapping: more than half of what a position
 * costs the store (about 150 of 280 us a change in {@code StoreWriteBenchmark}, the full city's
 * million forces). The server never reads that tree (it indexes the forces in memory); QGIS and
 * GDAL filter by it when they open the file. The R-tree extension is optional in a GeoPackage:
 * while the server writes, the file is a valid GeoPackage whose forces layer has no spatial index
 * (readers filter it by scanning, with the same answers), and a store at rest has the R-tree again,
 * consistent with the rows, as the editor's switch back to the rollback journal leaves a store at
 * rest one file. A crash while served leaves the layer without its R-tree until the next clean
 * close; {@code mapserver serve} builds it then.
 *
 * <p>Each step is one transaction: the tree, its triggers and its {@code gpkg_extensions} row go
 * together and come back together.
 */
final class DeferredRTree {
  /** The layers whose R-tree is set aside while served: those a position moves. */
  static final List<String> LAYERS = List.of("forces");

  private DeferredRTree() {}

  /** Whether the file has a feature table {@code layer} (registered as features). */
  static boolean hasLayer(Connection c, String layer) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM gpkg_contents WHERE table_name = ? AND data_type = 'features'")) {
      ps.setString(1, layer);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Whether {@code layer} has its R-tree now. */
  static boolean indexed(Connection c, String layer) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
      ps.setString(1, StoreSchema.rtreeTable(layer));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Drops {@code layer}'s R-tree, its triggers and its registration, in one transaction (the
   * connection in auto-commit mode); nothing when it has none.
   *
   * @return whether there was one
   */
  static boolean setAside(Connection c, String layer) throws SQLException {
    if (!indexed(c, layer)) {
      return false;
    }
    inTransaction(
        c,
        () -> {
          drop(c, layer);
          return null;
        });
    return true;
  }

  /**
   * Builds {@code layer}'s R-tree from its rows, with its triggers and registration, in one
   * transaction (the connection in auto-commit mode): what {@code GeoPackageWriter} makes for a new
   * file. A tree another program made meanwhile is replaced, so the result matches the rows.
   *
   * @return the entries indexed
   */
  static int restore(GeoPackage gpkg, Connection c, String layer, GeometryBlob blob)
      throws SQLException {
    RTreeIndexExtension rtree = new RTreeIndexExtension(gpkg);
    return inTransaction(
        c,
        () -> {
          drop(c, layer);
          rtree.getOrCreate(layer, StoreSchema.GEOM);
          rtree.createRTreeIndex(layer, StoreSchema.GEOM);
          int n = fill(c, layer, blob);
          LayerTable.createRTreeTriggers(rtree, layer);
          return n;
        });
  }

  @FunctionalInterface
  private interface Work<T> {
    T run() throws SQLException;
  }

  /** Runs {@code work} in one transaction on a connection in auto-commit mode, and commits it. */
  private static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
    c.setAutoCommit(false);
    try {
      T result = work.run();
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private static void drop(Connection c, String layer) throws SQLException {
    String rt = StoreSchema.rtreeTable(layer);
    try (Statement s = c.createStatement()) {
      // the triggers GeoPackage 1.3 and 1.4 name (LayerTable makes 1.3's)
      for (String t :
          List.of(
              "insert", "update1", "update2", "update3", "update4", "update5", "update6", "update7",
              "delete")) {
        s.execute("DROP TRIGGER IF EXISTS " + StoreSchema.quote(rt + "_" + t));
      }
      s.execute("DROP TABLE IF EXISTS " + StoreSchema.quote(rt));
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM gpkg_extensions WHERE table_name = ? AND column_name = ?"
                + " AND extension_name = 'gpkg_rtree_index'")) {
      ps.setString(1, layer);
      ps.setString(2, StoreSchema.GEOM);
      ps.executeUpdate();
    }
  }

  /**
   * The rows' envelopes into the empty tree, read from the blobs' headers (no SQL callbacks),
   * packed along a Hilbert curve over the layer ({@link PackedRTree}): inserted one by one, a
   * million points took 15-18 s.
   */
  private static int fill(Connection c, String layer, GeometryBlob blob) throws SQLException {
    long[] ids = new long[1024];
    double[] boxes = new double[4096];
    int n = 0;
    double[] box = new double[4];
    try (Statement read = c.createStatement();
        ResultSet rs =
            read.executeQuery(
                "SELECT "
                    + StoreSchema.quote(StoreSchema.FID)
                    + ", "
                    + StoreSchema.quote(StoreSchema.GEOM)
                    + " FROM "
                    + StoreSchema.quote(layer)
                    + " WHERE "
                    + StoreSchema.quote(StoreSchema.GEOM)
                    + " IS NOT NULL")) {
      while (rs.next()) {
        byte[] geom = rs.getBytes(2);
        if (geom == null || geom.length == 0 || !blob.envelope(geom, box)) {
          continue; // empty geometries are not indexed (GeoPackage R-tree extension)
        }
        if (n == ids.length) {
          ids = java.util.Arrays.copyOf(ids, n * 2);
          boxes = java.util.Arrays.copyOf(boxes, n * 8);
        }
        ids[n] = rs.getLong(1);
        System.arraycopy(box, 0, boxes, 4 * n, 4);
        n++;
      }
    }
    PackedRTree.write(
        c, StoreSchema.rtreeTable(layer), ids, boxes, PackedRTree.hilbertOrder(boxes, n), n);
    return n;
  }
}
