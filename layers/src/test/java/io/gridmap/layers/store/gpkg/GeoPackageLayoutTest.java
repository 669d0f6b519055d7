package io.gridmap.layers.store.gpkg;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestDatasets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mil.nga.geopackage.GeoPackage;
import mil.nga.geopackage.GeoPackageManager;
import mil.nga.geopackage.contents.Contents;
import mil.nga.geopackage.extension.rtree.RTreeIndexExtension;
import mil.nga.geopackage.features.user.FeatureDao;
import mil.nga.geopackage.features.user.FeatureResultSet;
import mil.nga.geopackage.geom.GeoPackageGeometryData;
import mil.nga.sf.GeometryType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.io.WKBReader;

/** The file itself, as other GeoPackage software sees it: NGA's library and plain SQL. */
class GeoPackageLayoutTest {
  @TempDir Path dir;
  private Path file;
  private final Dataset tiny = TestDatasets.tiny();

  @BeforeEach
  void write() {
    file = dir.resolve("city.gpkg");
    Stores.open(file.toString()).write(tiny);
  }

  @Test
  void ngaOpensItAsAValidGeoPackageWithEveryLayerItsTypeAndAnRTree() throws Exception {
    GeoPackage gpkg = GeoPackageManager.open(file.toFile(), true);
    try {
      assertThat(gpkg.getFeatureTables())
          .containsExactlyInAnyOrderElementsOf(Catalogue.ALL.stream().map(LayerDef::name).toList());
      assertThat(gpkg.getAttributesTables()).containsExactly("tile_geometries");
      assertThat(gpkg.getApplicationId()).isEqualTo("GPKG");
      assertThat(gpkg.getUserVersion()).isEqualTo(10300);
      RTreeIndexExtension rtree = new RTreeIndexExtension(gpkg);
      Map<String, GeometryType> types = new LinkedHashMap<>();
      for (LayerDef def : Catalogue.ALL) {
        FeatureDao dao = gpkg.getFeatureDao(def.name());
        types.put(def.name(), dao.getGeometryType());
        assertThat(dao.getSrsId()).isEqualTo(4326);
        assertThat(dao.count())
            .as("rows in %s", def.name())
            .isEqualTo(tiny.layer(def.name()).size());
        assertThat(rtree.has(def.name())).as("R-tree on %s", def.name()).isTrue();
        assertThat(rtree.getTableDao(dao).count())
            .as("R-tree entries of %s", def.name())
            .isEqualTo(tiny.layer(def.name()).size());
      }
      assertThat(types)
          .containsExactly(
              Map.entry("districts", GeometryType.MULTIPOLYGON),
              Map.entry("streets", GeometryType.POLYGON),
              Map.entry("villages", GeometryType.POLYGON),
              Map.entry("grids", GeometryType.POLYGON),
              Map.entry("key_sites", GeometryType.POINT),
              Map.entry("forces", GeometryType.POINT),
              Map.entry("events", GeometryType.POINT));
    } finally {
      gpkg.close();
    }
  }

  @Test
  void ngaDecodesEveryGeometryToTheFeaturesOwn() throws Exception {
    WKBReader wkb = new WKBReader(new GeometryFactory());
    GeoPackage gpkg = GeoPackageManager.open(file.toFile(), true);
    try {
      for (Layer layer : tiny.layers().values()) {
        Map<Long, Feature> byId = new LinkedHashMap<>();
        layer.features().forEach(f -> byId.put(f.id(), f));
        FeatureResultSet rows = gpkg.getFeatureDao(layer.name()).queryForAll();
        try {
          int n = 0;
          while (rows.moveToNext()) {
            GeoPackageGeometryData g = rows.getRow().getGeometry();
            io.gridmap.layers.testing.DatasetAssertions.assertSameGeometry(
                layer.name() + " " + rows.getRow().getId(),
                byId.get(rows.getRow().getId()).geometry(),
                wkb.read(g.getWkb()));
            n++;
          }
          assertThat(n).isEqualTo(layer.size());
        } finally {
          rows.close();
        }
      }
    } finally {
      gpkg.close();
    }
  }

  @Test
  void contentsDescribeEachLayerWithItsTitleAndExtent() throws Exception {
    GeoPackage gpkg = GeoPackageManager.open(file.toFile(), true);
    try {
      for (LayerDef def : Catalogue.ALL) {
        Contents c = gpkg.getContentsDao().queryForId(def.name());
        assertThat(c.getDataTypeName()).isEqualTo("features");
        assertThat(c.getIdentifier()).isEqualTo(def.title());
        assertThat(c.getDescription()).startsWith(def.title());
        Envelope e = new Envelope();
        tiny.layer(def.name())
            .features()
            .forEach(f -> e.expandToInclude(f.geometry().getEnvelopeInternal()));
        assertThat(new double[] {c.getMinX(), c.getMinY(), c.getMaxX(), c.getMaxY()})
            .as("extent of %s", def.name())
            .containsExactly(e.getMinX(), e.getMinY(), e.getMaxX(), e.getMaxY());
      }
      Contents tiles = gpkg.getContentsDao().queryForId("tile_geometries");
      assertThat(tiles.getDataTypeName()).isEqualTo("attributes");
      assertThat(tiles.getDescription()).contains("EPSG:3857").contains("generalised");
    } finally {
      gpkg.close();
    }
  }

  @Test
  void columnsHaveGeoPackageTypesAndTimestampsAreIsoText() throws SQLException {
    assertThat(columns("events"))
        .containsExactly(
            "fid INTEGER pk notnull",
            "geom POINT",
            "personal BOOLEAN notnull",
            "category TEXT",
            "board TEXT",
            "urgency TEXT",
            "status TEXT",
            "reported_at DATETIME",
            "closed_at DATETIME",
            "grid_code TEXT",
            "description TEXT",
            "reporter TEXT",
            "source TEXT",
            "photos TEXT",
            "assignee_id INTEGER",
            "department TEXT",
            "pinned BOOLEAN",
            "acked_by TEXT",
            "due_at DATETIME",
            "overdue BOOLEAN",
            "duplicate_of INTEGER",
            "site_id INTEGER",
            "device_id TEXT",
            "updated_at DATETIME",
            "revision INTEGER",
            "note TEXT",
            "responders TEXT",
            "request_key TEXT");
    assertThat(columns("streets")).contains("population INTEGER", "centre_lon DOUBLE");
    assertThat(columns("districts")).contains("geom MULTIPOLYGON", "urban BOOLEAN");
    assertThat(columns("tile_geometries"))
        .containsExactly(
            "id INTEGER pk",
            "layer TEXT notnull",
            "zoom INTEGER notnull",
            "fid INTEGER notnull",
            "wkb BLOB notnull");
    assertThat(query("SELECT reported_at, typeof(reported_at) FROM events WHERE fid = 1"))
        .containsExactly("2024-05-01T08:30:00.123Z text");
    assertThat(query("SELECT on_duty || ' ' || typeof(on_duty) FROM forces ORDER BY fid"))
        .containsExactly("1 integer", "0 integer", "");
  }

  @Test
  void rTreeFindsFeaturesByBoxAndTriggersKeepItCurrent() throws SQLException {
    // grids whose boxes meet the exclave: the two island grids only
    assertThat(
            query(
                "SELECT id FROM rtree_grids_geom WHERE maxx >= 106.24 AND minx <= 106.27 AND maxy >= 28.99 AND miny <= 29.02 ORDER BY id"))
        .containsExactly("500104002001001", "500104002001002");
    assertThat(
            query(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'grids' ORDER BY name"))
        .containsExactly(
            "rtree_grids_geom_delete",
            "rtree_grids_geom_insert",
            "rtree_grids_geom_update1",
            "rtree_grids_geom_update2",
            "rtree_grids_geom_update3",
            "rtree_grids_geom_update4");
    assertThat(
            query(
                "SELECT table_name || ' ' || column_name || ' ' || scope FROM gpkg_extensions WHERE extension_name = 'gpkg_rtree_index' ORDER BY 1"))
        .hasSize(Catalogue.ALL.size())
        .contains("grids geom write-only");
  }

  @Test
  void everyPackedRTreePassesSqlitesOwnCheckAndHoldsEveryFeature() throws SQLException {
    for (LayerDef def : Catalogue.ALL) {
      String rtree = "rtree_" + def.name() + "_geom";
      assertThat(query("SELECT rtreecheck('" + rtree + "')")).as(rtree).containsExactly("ok");
      assertThat(query("SELECT count(*) FROM " + rtree))
          .as(rtree)
          .containsExactly(String.valueOf(TestDatasets.tiny().layer(def.name()).features().size()));
      // each feature's entry holds its geometry's envelope (rounded outwards to float32)
      Map<Long, Envelope> envelopes = new LinkedHashMap<>();
      TestDatasets.tiny()
          .layer(def.name())
          .features()
          .forEach(f -> envelopes.put(f.id(), f.geometry().getEnvelopeInternal()));
      try (Connection c = connect();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT id, minx, maxx, miny, maxy FROM " + rtree)) {
        while (rs.next()) {
          Envelope e = envelopes.get(rs.getLong(1));
          assertThat(e).as("%s entry %d", rtree, rs.getLong(1)).isNotNull();
          assertThat(rs.getDouble(2)).isLessThanOrEqualTo(e.getMinX());
          assertThat(rs.getDouble(3)).isGreaterThanOrEqualTo(e.getMaxX());
          assertThat(rs.getDouble(4)).isLessThanOrEqualTo(e.getMinY());
          assertThat(rs.getDouble(5)).isGreaterThanOrEqualTo(e.getMaxY());
        }
      }
    }
  }

  @Test
  void metadataIsOneJsonRowOfTheMetadataExtensionReferencingTheWholeGeoPackage()
      throws SQLException {
    assertThat(
            query(
                "SELECT md_scope || ' ' || md_standard_uri || ' ' || mime_type FROM gpkg_metadata"))
        .containsExactly("dataset urn:gridmap:dataset-metadata:1 application/json");
    assertThat(query("SELECT reference_scope || ' ' || md_file_id FROM gpkg_metadata_reference"))
        .containsExactly("geopackage 1");
    assertThat(query("SELECT DISTINCT extension_name FROM gpkg_extensions ORDER BY 1"))
        .contains("gpkg_metadata", "gpkg_rtree_index", "gpkg_schema");
    assertThat(
            query(
                "SELECT description FROM gpkg_data_columns WHERE table_name = 'grids' AND column_name = 'worker_name'"))
        .containsExactly("name of the full-time grid worker (personal)");
  }

  private List<String> columns(String table) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA table_info(\"" + table + "\")")) {
      while (rs.next()) {
        out.add(
            rs.getString("name")
                + " "
                + rs.getString("type")
                + (rs.getInt("pk") > 0 ? " pk" : "")
                + (rs.getInt("notnull") > 0 ? " notnull" : ""));
      }
    }
    return out;
  }

  private List<String> query(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getString(i) == null ? "" : rs.getString(i));
        }
        out.add(String.join(" ", row));
      }
    }
    return out;
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + file);
  }
}
