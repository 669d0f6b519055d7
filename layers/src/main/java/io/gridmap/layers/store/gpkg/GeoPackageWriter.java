package io.gridmap.layers.store.gpkg;

import static io.gridmap.layers.store.gpkg.StoreSchema.FID;
import static io.gridmap.layers.store.gpkg.StoreSchema.GEOM;
import static io.gridmap.layers.store.gpkg.StoreSchema.WGS84;
import static io.gridmap.layers.store.gpkg.StoreSchema.quote;

import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.model.GeometryKind;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
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
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import mil.nga.geopackage.GeoPackage;
import mil.nga.geopackage.GeoPackageManager;
import mil.nga.geopackage.extension.metadata.MetadataExtension;
import mil.nga.geopackage.extension.rtree.RTreeIndexExtension;
import mil.nga.geopackage.extension.schema.SchemaExtension;
import mil.nga.geopackage.features.columns.GeometryColumns;
import mil.nga.geopackage.features.user.FeatureColumn;
import mil.nga.geopackage.features.user.FeatureTableMetadata;
import mil.nga.sf.GeometryType;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * Writes a whole {@link Dataset} as a new GeoPackage file and moves it into place.
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
  private final Path target;
  private final GeometryFactory factory = new GeometryFactory();
  private final GeometryBlob blob = new GeometryBlob(factory);

  GeoPackageWriter(Path target) {
    this.target = target;
  }

  void write(Dataset dataset) {
    List<Layer> layers;
    try {
      layers = DatasetCheck.catalogueLayers(dataset);
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
        fill(gpkg, layers, dataset.generalised(), dataset.metadata());
      } finally {
        gpkg.close();
      }
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ch.force(true);
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

  private void fill(
      GeoPackage gpkg, List<Layer> layers, Generalised generalised, DatasetMetadata metadata)
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
      GeometryType type = declaredType(layer);
      types.add(type);
      createFeatureTable(gpkg, layer.def(), type);
      rtree.getOrCreate(layer.name(), GEOM);
      rtree.createRTreeIndex(layer.name(), GEOM);
    }
    SchemaExtension schema = new SchemaExtension(gpkg);
    schema.createDataColumnsTable();
    schema.getOrCreate();
    MetadataExtension metadataExtension = new MetadataExtension(gpkg);
    metadataExtension.createMetadataTable();
    metadataExtension.createMetadataReferenceTable();
    try (Statement s = c.createStatement()) {
      s.execute(StoreSchema.CREATE_TILE_GEOMETRIES);
    }

    // 2. rows, in one transaction
    c.setAutoCommit(false);
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      Envelope extent = insertFeatures(c, layer, types.get(i) == GeometryType.MULTIPOLYGON);
      describeLayer(c, layer.def(), extent);
      loadRTree(c, layer);
    }
    insertTileGeometries(c, generalised);
    insertMetadata(c, metadata);
    c.commit();
    c.setAutoCommit(true);

    // 3. the R-tree triggers keep the index right under later edits (by QGIS, GDAL or our editor)
    for (Layer layer : layers) {
      createRTreeTriggers(rtree, layer.name());
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

  /**
   * The six R-tree triggers of GeoPackage 1.3 (1.4 replaced update1 and update3 with update5 to
   * update7).
   */
  @SuppressWarnings(
      "deprecation") // NGA deprecates update1 and update3 since 1.4; 1.3 requires them
  private static void createRTreeTriggers(RTreeIndexExtension rtree, String table) {
    rtree.createInsertTrigger(table, GEOM, FID);
    rtree.createUpdate1Trigger(table, GEOM, FID);
    rtree.createUpdate2Trigger(table, GEOM, FID);
    rtree.createUpdate3Trigger(table, GEOM, FID);
    rtree.createUpdate4Trigger(table, GEOM, FID);
    rtree.createDeleteTrigger(table, GEOM, FID);
  }

  /**
   * POINT for point layers. For polygon layers POLYGON when every feature is a Polygon, otherwise
   * MULTIPOLYGON, and then Polygons are written as one-part MultiPolygons (as {@code ogr2ogr -nlt
   * PROMOTE_TO_MULTI} does) so that every geometry is of the declared type, as GeoPackage requires.
   */
  static GeometryType declaredType(Layer layer) {
    LayerDef def = layer.def();
    for (Feature f : layer.features()) {
      DatasetCheck.geometry(def, f);
    }
    boolean multi = DatasetCheck.promotesPolygons(layer);
    if (def.kind() == GeometryKind.POINT) {
      return GeometryType.POINT;
    }
    return multi ? GeometryType.MULTIPOLYGON : GeometryType.POLYGON;
  }

  private static void createFeatureTable(GeoPackage gpkg, LayerDef def, GeometryType type) {
    GeometryColumns gc = new GeometryColumns();
    gc.setTableName(def.name());
    gc.setColumnName(GEOM);
    gc.setGeometryType(type);
    gc.setSrsId(WGS84);
    gc.setZ((byte) 0);
    gc.setM((byte) 0);
    List<FeatureColumn> columns = new ArrayList<>();
    columns.add(
        FeatureColumn.createColumn(
            StoreSchema.PERSONAL,
            StoreSchema.columnType(io.gridmap.layers.model.FieldType.BOOLEAN),
            true,
            false));
    for (Field f : def.fields()) {
      columns.add(FeatureColumn.createColumn(f.name(), StoreSchema.columnType(f.type())));
    }
    // fid without AUTOINCREMENT: ids are the features' own and an AUTOINCREMENT table costs a write
    // per insert
    gpkg.createFeatureTable(FeatureTableMetadata.create(gc, FID, false, columns));
  }

  private Envelope insertFeatures(Connection c, Layer layer, boolean promote) throws SQLException {
    LayerDef def = layer.def();
    List<Field> fields = def.fields();
    Envelope extent = new Envelope();
    try (PreparedStatement ps = c.prepareStatement(StoreSchema.insertSql(def))) {
      for (Feature f : layer.features()) {
        Geometry g = DatasetCheck.promote(f.geometry(), promote);
        ps.setLong(1, f.id());
        ps.setBytes(2, blob.encode(g, WGS84));
        ps.setInt(3, f.personal() ? 1 : 0);
        DatasetCheck.arity(def, f);
        Object[] values = f.values();
        for (int i = 0; i < values.length; i++) {
          bind(ps, 4 + i, def, f, fields.get(i), values[i]);
        }
        try {
          ps.executeUpdate();
        } catch (SQLException e) {
          throw new IllegalArgumentException(
              "layer "
                  + def.name()
                  + " feature "
                  + f.id()
                  + ": "
                  + (e.getMessage().contains("PRIMARYKEY") || e.getMessage().contains("UNIQUE")
                      ? "another feature has the same id"
                      : e.getMessage()),
              e);
        }
        extent.expandToInclude(g.getEnvelopeInternal());
      }
    }
    return extent;
  }

  static void bind(
      PreparedStatement ps, int index, LayerDef def, Feature f, Field field, Object value)
      throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.NULL);
      return;
    }
    DatasetCheck.value(def, f, field, value);
    switch (field.type()) {
      case STRING -> ps.setString(index, (String) value);
      case INTEGER -> ps.setLong(index, (Long) value);
      case REAL -> ps.setDouble(index, (Double) value);
      case BOOLEAN -> ps.setInt(index, ((Boolean) value) ? 1 : 0);
      case TIMESTAMP -> ps.setString(index, IsoTimestamp.format((Long) value));
    }
  }

  /**
   * gpkg_contents: a human identifier and description (NGA puts the table name in both) and the
   * extent.
   */
  private void describeLayer(Connection c, LayerDef def, Envelope extent) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE gpkg_contents SET identifier = ?, description = ?, min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?")) {
      ps.setString(1, def.title());
      ps.setString(2, def.title() + ": gridmap layer " + def.name() + ", WGS84 longitude/latitude");
      if (extent.isNull()) {
        for (int i = 3; i <= 6; i++) {
          ps.setNull(i, Types.NULL);
        }
      } else {
        ps.setDouble(3, extent.getMinX());
        ps.setDouble(4, extent.getMinY());
        ps.setDouble(5, extent.getMaxX());
        ps.setDouble(6, extent.getMaxY());
      }
      ps.setString(7, def.name());
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO gpkg_data_columns (table_name, column_name, name, title, description) VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, def.name());
      ps.setString(2, StoreSchema.PERSONAL);
      ps.setString(3, StoreSchema.PERSONAL);
      ps.setString(4, StoreSchema.PERSONAL);
      ps.setString(
          5,
          "the whole feature is personal (e.g. the home of a vulnerable resident): never in tiles or public responses");
      ps.addBatch();
      for (Field f : def.fields()) {
        ps.setString(2, f.name());
        ps.setString(3, f.name());
        ps.setString(4, f.name());
        ps.setString(5, f.description() + (f.personal() ? " (personal)" : ""));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void loadRTree(Connection c, Layer layer) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + quote(StoreSchema.rtreeTable(layer.def()))
                + " (id, minx, maxx, miny, maxy) VALUES (?, ?, ?, ?, ?)")) {
      for (Feature f : layer.features()) {
        Envelope e = f.geometry().getEnvelopeInternal();
        if (e.isNull()) {
          continue; // empty geometries are not indexed (GeoPackage R-tree extension)
        }
        ps.setLong(1, f.id());
        ps.setDouble(2, e.getMinX());
        ps.setDouble(3, e.getMaxX());
        ps.setDouble(4, e.getMinY());
        ps.setDouble(5, e.getMaxY());
        ps.executeUpdate();
      }
    }
  }

  private void insertTileGeometries(Connection c, Generalised generalised) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + StoreSchema.TILE_GEOMETRIES
                + " (layer, zoom, fid, wkb) VALUES (?, ?, ?, ?)")) {
      for (String layer : generalised.layers().stream().sorted().toList()) {
        for (int zoom : generalised.zooms(layer).stream().sorted().toList()) {
          Map<Long, Geometry> byId = generalised.get(layer, zoom);
          long[] ids = byId.keySet().stream().mapToLong(Long::longValue).toArray();
          Arrays.sort(ids);
          for (long id : ids) {
            ps.setString(1, layer);
            ps.setInt(2, zoom);
            ps.setLong(3, id);
            ps.setBytes(4, blob.encodeWkb(byId.get(id)));
            ps.executeUpdate();
          }
        }
      }
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
