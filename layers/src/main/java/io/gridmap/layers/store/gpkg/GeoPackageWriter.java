package io.gridmap.layers.store.gpkg;

import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.store.DatasetCheck;
import io.gridmap.layers.store.IsoTimestamp;
import io.gridmap.layers.store.MetadataJson;
import io.gridmap.layers.store.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import mil.nga.geopackage.GeoPackage;
import mil.nga.geopackage.GeoPackageManager;
import mil.nga.geopackage.extension.metadata.MetadataExtension;
import mil.nga.geopackage.extension.rtree.RTreeIndexExtension;
import mil.nga.geopackage.extension.schema.SchemaExtension;
import mil.nga.sf.GeometryType;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * Writes a whole {@link Dataset} as a new GeoPackage file and moves it into place: the catalogue's
 * layers, then the dataset's imported layers with their registry rows (a city without any has no
 * registry table until its first import). Each layer's table is made by {@link LayerTable}.
 *
 * <p>The file is built beside the target under a temporary name and renamed over the target only
 * once it is complete and flushed to disk, so a crash or an error leaves either the previous store
 * or the new one at the target path, never a mix. Since the temporary file is thrown away on any
 * failure, SQLite's own rollback journal is kept in memory and syncing is off while loading.
 *
 * <p>NGA's library lays out the GeoPackage (core tables, feature tables, the R-tree, metadata and
 * schema extensions); the rows go in through plain prepared statements in one transaction, and the
 * R-trees are filled from envelopes computed here before their triggers are created. NGA's own
 * R-tree load calls back into Java five times per row (ST_IsEmpty, ST_MinX, ...), decoding the
 * geometry each time.
 */
final class GeoPackageWriter {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(GeoPackageWriter.class);
  private final Path target;
  private final GeometryFactory factory = new GeometryFactory();
  private final GeometryBlob blob = new GeometryBlob(factory);

  GeoPackageWriter(Path target) {
    this.target = target;
  }

  void write(Dataset dataset) {
    List<Layer> layers;
    List<Layer> imported;
    try {
      layers = new ArrayList<>(DatasetCheck.catalogueLayers(dataset));
      imported = DatasetCheck.importedLayers(dataset);
      layers.addAll(imported);
    } catch (IllegalArgumentException e) {
      throw new StoreException("cannot write store " + target + ": " + e.getMessage(), e);
    }
    Path dir = target.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new StoreException(
          "cannot write store " + target + ": directory " + dir + " does not exist");
    }
    if (Files.isDirectory(target)) {
      throw new StoreException("cannot write store " + target + ": it is a directory");
    }
    Path temp =
        dir.resolve(
            target.getFileName()
                + ".partial-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1)
                + ".gpkg");
    boolean moved = false;
    try {
      GeoPackageManager.create(temp.toFile());
      GeoPackage gpkg = GeoPackageManager.open(temp.toFile(), false);
      try {
        fill(gpkg, layers, imported, dataset.generalised(), dataset.metadata());
        carryAuditLog(gpkg.getConnection().getConnection());
      } finally {
        gpkg.close();
      }
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      // a log or journal a crashed server left beside the old file would be replayed into the new
      // one on its first open (SQLite does not check that they belong together): gone first
      for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
        Files.deleteIfExists(target.resolveSibling(target.getFileName() + suffix));
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      moved = true;
      syncDirectory(dir);
    } catch (StoreException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new StoreException("cannot write store " + target + ": " + e.getMessage(), e);
    } catch (SQLException | IOException | RuntimeException e) {
      throw new StoreException("cannot write store " + target + ": " + e, e);
    } finally {
      if (!moved) {
        deleteQuietly(temp);
        deleteQuietly(temp.resolveSibling(temp.getFileName() + "-journal"));
      }
    }
  }

  /**
   * The audit log outlives the city it was written on: when a store is replaced whole (a generate,
   * an import of a whole city), the old file's entries are copied into the new one before it takes
   * the old one's place, without their change-log positions (the new store's log starts anew). A
   * target without the table (a store of an earlier release, whose server kept the log in its file)
   * has nothing to carry, nor has a file that is no SQLite database (it is replaced, with a
   * warning); a failure to copy the entries of one that has them fails the write.
   */
  private void carryAuditLog(Connection c) throws SQLException {
    if (!Files.isRegularFile(target)) {
      return;
    }
    try (Statement s = c.createStatement()) {
      GeoPackageEditor.createAuditLog(s);
      boolean has;
      try {
        s.execute(
            "ATTACH DATABASE '"
                + target.toAbsolutePath().toString().replace("'", "''")
                + "' AS old");
      } catch (SQLException notADatabase) {
        LOG.warn(
            "store {}: the file replaced cannot be read as a database ({}): no audit log carried"
                + " from it",
            target,
            notADatabase.getMessage());
        return;
      }
      try {
        try (ResultSet rs =
            s.executeQuery(
                "SELECT 1 FROM old.sqlite_master WHERE type = 'table' AND name = '"
                    + GeoPackageEditor.AUDIT
                    + "'")) {
          has = rs.next();
        } catch (SQLException notADatabase) {
          LOG.warn(
              "store {}: the file replaced cannot be read as a database ({}): no audit log"
                  + " carried from it",
              target,
              notADatabase.getMessage());
          has = false;
        }
        if (has) {
          s.execute(
              "INSERT INTO "
                  + GeoPackageEditor.AUDIT
                  + " (entry) SELECT entry FROM old."
                  + GeoPackageEditor.AUDIT
                  + " ORDER BY id");
        }
      } finally {
        s.execute("DETACH DATABASE old");
      }
    }
  }

  private void fill(
      GeoPackage gpkg,
      List<Layer> layers,
      List<Layer> imported,
      Generalised generalised,
      DatasetMetadata metadata)
      throws SQLException {
    Connection c = gpkg.getConnection().getConnection();
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode = MEMORY");
      s.execute("PRAGMA synchronous = OFF");
      s.execute("PRAGMA cache_size = -65536"); // KiB: 64 MiB keeps the R-tree build in memory
    }

    // 1. layout, through NGA, in autocommit mode: NGA registers tables and extensions as it goes
    List<GeometryType> types = new ArrayList<>();
    RTreeIndexExtension rtree = new RTreeIndexExtension(gpkg);
    for (Layer layer : layers) {
      types.add(LayerTable.create(gpkg, rtree, layer));
    }
    SchemaExtension schema = new SchemaExtension(gpkg);
    schema.createDataColumnsTable();
    schema.getOrCreate();
    MetadataExtension metadataExtension = new MetadataExtension(gpkg);
    metadataExtension.createMetadataTable();
    metadataExtension.createMetadataReferenceTable();
    try (Statement s = c.createStatement()) {
      s.execute(StoreSchema.CREATE_TILE_GEOMETRIES);
      if (!imported.isEmpty()) { // else the first import makes it: a city alone has no registry
        s.execute(StoreSchema.CREATE_IMPORTED_LAYERS);
        s.execute(StoreSchema.REGISTER_IMPORTED_LAYERS);
      }
    }

    // 2. rows, in one transaction
    c.setAutoCommit(false);
    LayerTable tables = new LayerTable(blob);
    for (int i = 0; i < layers.size(); i++) {
      tables.fill(c, layers.get(i), types.get(i));
    }
    insertTileGeometries(c, tables, generalised);
    if (!imported.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(StoreSchema.UPSERT_IMPORTED_LAYER)) {
        for (Layer layer : imported) {
          ps.setString(1, layer.name());
          ps.setString(2, io.gridmap.layers.store.LayerDefJson.write(layer.def()));
          ps.executeUpdate();
        }
      }
    }
    insertMetadata(c, metadata);
    c.commit();
    c.setAutoCommit(true);

    // 3. the R-tree triggers keep the index right under later edits (by QGIS, GDAL or our editor)
    for (Layer layer : layers) {
      LayerTable.createRTreeTriggers(rtree, layer.name());
    }
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version = " + GEOPACKAGE_VERSION);
    }
  }

  /**
   * GeoPackage 1.3.0. NGA writes 1.4.0, which GDAL 3.6 (Debian 12's, and the QGIS built on it)
   * opens with a "may only be partially supported" warning; nothing here needs 1.4, so the file
   * says 1.3 and carries 1.3's R-tree triggers to match, and GDAL's validate_gpkg.py accepts it.
   */
  static final int GEOPACKAGE_VERSION = 10300;

  private void insertTileGeometries(Connection c, LayerTable tables, Generalised generalised)
      throws SQLException {
    for (String layer : generalised.layers().stream().sorted().toList()) {
      Map<Integer, Map<Long, Geometry>> byZoom = new java.util.HashMap<>();
      for (int zoom : generalised.zooms(layer)) {
        byZoom.put(zoom, generalised.get(layer, zoom));
      }
      tables.insertGeneralised(c, layer, byZoom);
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) VALUES (?, 'attributes', ?, ?, ?)")) {
      ps.setString(1, StoreSchema.TILE_GEOMETRIES);
      ps.setString(2, "Generalised tile geometries (EPSG:3857)");
      ps.setString(3, StoreSchema.TILE_GEOMETRIES_DESCRIPTION);
      ps.setString(4, IsoTimestamp.format(System.currentTimeMillis()));
      ps.executeUpdate();
    }
  }

  private static void insertMetadata(Connection c, DatasetMetadata metadata) throws SQLException {
    long id;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) VALUES ('dataset', ?, ?, ?)")) {
      ps.setString(1, StoreSchema.METADATA_STANDARD_URI);
      ps.setString(2, StoreSchema.METADATA_MIME_TYPE);
      ps.setString(3, MetadataJson.write(metadata));
      ps.executeUpdate();
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT last_insert_rowid()")) {
      rs.next();
      id = rs.getLong(1);
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO gpkg_metadata_reference (reference_scope, table_name, column_name, row_id_value, timestamp, md_file_id, md_parent_id)"
                + " VALUES ('geopackage', NULL, NULL, NULL, ?, ?, NULL)")) {
      ps.setString(1, IsoTimestamp.format(System.currentTimeMillis()));
      ps.setLong(2, id);
      ps.executeUpdate();
    }
  }

  private static void syncDirectory(Path dir) {
    // makes the rename itself durable; Linux allows fsync on a directory opened for reading
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // not every platform can open a directory; the rename is still atomic, only its durability
      // waits
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // the temporary file's name says what it is; nothing more to do
    }
  }
}
