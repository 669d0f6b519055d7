package io.gridmap.layers.store.gpkg;

import static io.gridmap.layers.store.gpkg.StoreSchema.FID;
import static io.gridmap.layers.store.gpkg.StoreSchema.GEOM;
import static io.gridmap.layers.store.gpkg.StoreSchema.WGS84;
import static io.gridmap.layers.store.gpkg.StoreSchema.quote;

import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.GeometryKind;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.store.DatasetCheck;
import io.gridmap.layers.store.IsoTimestamp;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import mil.nga.geopackage.GeoPackage;
import mil.nga.geopackage.extension.rtree.RTreeIndexExtension;
import mil.nga.geopackage.features.columns.GeometryColumns;
import mil.nga.geopackage.features.user.FeatureColumn;
import mil.nga.geopackage.features.user.FeatureTableMetadata;
import mil.nga.sf.GeometryType;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;

/**
 * One layer's feature table in a GeoPackage, made the one way for every layer: by a whole write
 * ({@link GeoPackageWriter}, every catalogue and imported layer) and by an import that replaces one
 * layer in place ({@link ImportedLayerWriter}). The table (fid, geom, the personal flag, a column
 * per field typed by {@link StoreSchema#columnType}), its gpkg_contents and gpkg_geometry_columns
 * rows and R-tree come from NGA's library; the rows, the descriptions and the R-tree's entries go
 * in through plain statements; the R-tree triggers come last, after the entries they would
 * otherwise compute one by one.
 */
final class LayerTable {
  private final GeometryBlob blob;

  LayerTable(GeometryBlob blob) {
    this.blob = blob;
  }

  /**
   * Creates the layer's empty table and R-tree, registered in gpkg_contents, gpkg_geometry_columns
   * and gpkg_extensions.
   *
   * @return the geometry type the table declares
   */
  static GeometryType create(GeoPackage gpkg, RTreeIndexExtension rtree, Layer layer) {
    return create(gpkg, rtree, layer.def(), layer.features());
  }

  /**
   * As {@link #create(GeoPackage, RTreeIndexExtension, Layer)}, for features only iterated (an
   * import's, which it makes one at a time: a {@link Layer} would copy them all).
   */
  static GeometryType create(
      GeoPackage gpkg, RTreeIndexExtension rtree, LayerDef def, List<Feature> features) {
    GeometryType type = declaredType(def, features);
    createFeatureTable(gpkg, def, type);
    rtree.getOrCreate(def.name(), GEOM);
    rtree.createRTreeIndex(def.name(), GEOM);
    return type;
  }

  /** The rows of a table {@link #create} made, its description and extent, its R-tree entries. */
  void fill(Connection c, Layer layer, GeometryType type) throws SQLException {
    fill(c, layer.def(), layer.features(), type);
  }

  /** As {@link #fill(Connection, Layer, GeometryType)}, iterating {@code features} twice. */
  void fill(Connection c, LayerDef def, List<Feature> features, GeometryType type)
      throws SQLException {
    Envelope extent = insertFeatures(c, def, features, type == GeometryType.MULTIPOLYGON);
    describeLayer(c, def, extent);
    loadRTree(c, def, features);
  }

  /**
   * Drops a layer's table, its R-tree (the table's triggers go with it) and every row that
   * registers them, when they exist: what {@link #create} and {@link #fill} leave, removed so that
   * they can be made anew.
   */
  static void drop(Connection c, String layer) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + quote(StoreSchema.rtreeTable(layer)));
      s.execute("DROP TABLE IF EXISTS " + quote(layer));
    }
    for (String table :
        List.of("gpkg_extensions", "gpkg_data_columns", "gpkg_geometry_columns", "gpkg_contents")) {
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM " + table + " WHERE table_name = ?")) {
        ps.setString(1, layer);
        ps.executeUpdate();
      }
    }
  }

  /** A layer's generalised polygons into tile_geometries, zoom by zoom, in id order. */
  void insertGeneralised(Connection c, String layer, Map<Integer, Map<Long, Geometry>> byZoom)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + StoreSchema.TILE_GEOMETRIES
                + " (layer, zoom, fid, wkb) VALUES (?, ?, ?, ?)")) {
      for (int zoom : byZoom.keySet().stream().sorted().toList()) {
        Map<Long, Geometry> byId = byZoom.get(zoom);
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

  /**
   * The six R-tree triggers of GeoPackage 1.3 (1.4 replaced update1 and update3 with update5 to
   * update7).
   */
  @SuppressWarnings(
      "deprecation") // NGA deprecates update1 and update3 since 1.4; 1.3 requires them
  static void createRTreeTriggers(RTreeIndexExtension rtree, String table) {
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
    return declaredType(layer.def(), layer.features());
  }

  private static GeometryType declaredType(LayerDef def, List<Feature> features) {
    for (Feature f : features) {
      DatasetCheck.geometry(def, f);
    }
    boolean multi = DatasetCheck.promotesPolygons(features);
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

  private Envelope insertFeatures(
      Connection c, LayerDef def, List<Feature> features, boolean promote) throws SQLException {
    List<Field> fields = def.fields();
    Envelope extent = new Envelope();
    try (PreparedStatement ps = c.prepareStatement(StoreSchema.insertSql(def))) {
      for (Feature f : features) {
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

  /** The features' envelopes into the table's empty R-tree, packed ({@link PackedRTree}). */
  private static void loadRTree(Connection c, LayerDef def, List<Feature> features)
      throws SQLException {
    long[] ids = new long[features.size()];
    double[] boxes = new double[4 * features.size()];
    int n = 0;
    for (Feature f : features) {
      Envelope e = f.geometry().getEnvelopeInternal();
      if (e.isNull()) {
        continue; // empty geometries are not indexed (GeoPackage R-tree extension)
      }
      ids[n] = f.id();
      boxes[4 * n] = e.getMinX();
      boxes[4 * n + 1] = e.getMaxX();
      boxes[4 * n + 2] = e.getMinY();
      boxes[4 * n + 3] = e.getMaxY();
      n++;
    }
    PackedRTree.write(
        c, StoreSchema.rtreeTable(def), ids, boxes, PackedRTree.hilbertOrder(boxes, n), n);
  }
}
