package io.gridmap.importer.read.gpkg;

import io.gridmap.importer.crs.SourceCrs;
import io.gridmap.importer.read.FeatureReader;
import io.gridmap.importer.read.ImportException;
import io.gridmap.importer.read.SourceFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.locationtech.jts.geom.GeometryFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * Reads one feature table of a GeoPackage, row by row in fid order, through a read-only SQLite
 * connection.
 *
 * <p>Plain JDBC rather than NGA's GeoPackage library (which {@code layers} depends on): NGA returns
 * its own simple-features geometries, which would each be converted again into JTS, and opens files
 * for writing and validation where an import only needs to read. What a reader needs of the format
 * is three small tables ({@code gpkg_contents}, {@code gpkg_geometry_columns}, {@code
 * gpkg_spatial_ref_sys}) and the geometry blob's header, which is a few lines ({@link
 * GeoPackageGeometry}); JTS reads the WKB after it.
 */
public final class GeoPackageFeatureReader implements FeatureReader {
  private final Path file;
  private final String name;
  private final long size;
  private final Connection connection;
  private final FeatureTable table;
  private final long rows;
  private final PreparedStatement query;
  private final ResultSet results;
  private final GeoPackageGeometry geometries;
  private final ColumnValues values;
  private long read;
  private boolean done;
  private Optional<SourceCrs> crs;

  /**
   * Opens {@code file} and chooses its feature table.
   *
   * @param tableOption the value of {@code --table}; needed only when the GeoPackage has more than
   *     one feature table
   * @throws ImportException when the file is not a GeoPackage, has no feature table, has several
   *     and none was chosen, or the chosen one is not among them
   */
  public GeoPackageFeatureReader(Path file, Optional<String> tableOption) throws IOException {
    this.file = file;
    this.name = file.getFileName().toString();
    if (!Files.isRegularFile(file)) {
      throw new ImportException(
          file, name, "the file does not exist", "check the path and the file's name");
    }
    this.size = Files.size(file);
    this.geometries = new GeoPackageGeometry(file, new GeometryFactory());
    this.values = new ColumnValues(file);
    try {
      this.connection = open(file);
    } catch (SQLException e) {
      throw notAGeoPackage(e);
    }
    try {
      GeoPackageContents contents = new GeoPackageContents(file, connection);
      this.table = contents.describe(contents.choose(contents.featureTables(), tableOption));
      this.rows = count();
      StringBuilder sql = new StringBuilder("SELECT ");
      sql.append(FeatureTable.quote(table.fidColumn()))
          .append(", ")
          .append(FeatureTable.quote(table.geometryColumn()));
      for (FeatureTable.Column c : table.attributes()) {
        sql.append(", ").append(FeatureTable.quote(c.name()));
      }
      sql.append(" FROM ")
          .append(FeatureTable.quote(table.name()))
          .append(" ORDER BY ")
          .append(FeatureTable.quote(table.fidColumn()));
      this.query = connection.prepareStatement(sql.toString());
      this.results = query.executeQuery();
    } catch (SQLException e) {
      closeQuietly();
      throw notAGeoPackage(e);
    } catch (RuntimeException e) {
      closeQuietly();
      throw e;
    }
  }

  private static Connection open(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setOpenMode(SQLiteOpenMode.READONLY);
    return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }

  private long count() throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + FeatureTable.quote(table.name()))) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public Path file() {
    return file;
  }

  /** The table chosen: {@code --table}, or the only feature table. */
  public String table() {
    return table.name();
  }

  /**
   * The CRS of the table's {@code srs_id}: its EPSG code when {@code gpkg_spatial_ref_sys} gives
   * one we convert, else its WKT definition; empty for the GeoPackage's undefined systems (0 and
   * -1).
   */
  @Override
  public Optional<SourceCrs> declaredCrs() {
    if (crs == null) {
      try {
        crs =
            new SpatialRefSys(file, name + " table " + table.name()).crs(connection, table.srsId());
      } catch (SQLException e) {
        throw notAGeoPackage(e);
      }
    }
    return crs;
  }

  @Override
  public SourceFeature next() throws IOException {
    try {
      if (done || !results.next()) {
        done = true;
        return null;
      }
      read++;
      long fid = results.getLong(1);
      String where = name + " table " + table.name() + " fid " + fid;
      Map<String, Object> attributes = new LinkedHashMap<>();
      List<FeatureTable.Column> columns = table.attributes();
      for (int i = 0; i < columns.size(); i++) {
        FeatureTable.Column c = columns.get(i);
        attributes.put(c.name(), values.value(results.getObject(i + 3), c, where));
      }
      return new SourceFeature(geometries.decode(results.getBytes(2), where), attributes, where);
    } catch (SQLException e) {
      throw new IOException(
          "reading " + file + " table " + table.name() + ": " + e.getMessage(), e);
    }
  }

  private ImportException notAGeoPackage(SQLException e) {
    return new ImportException(
        file,
        name,
        "expected a GeoPackage (an SQLite database with gpkg_contents) but SQLite says: "
            + e.getMessage(),
        "check that the file is a .gpkg, complete and not damaged; export it again from QGIS or"
            + " ogr2ogr");
  }

  /** Rows read over the table's rows, times the file's size: a GeoPackage is not read in order. */
  @Override
  public long bytesRead() {
    if (done) {
      return size;
    }
    return rows == 0 ? 0 : (long) ((double) read / rows * size);
  }

  @Override
  public long size() {
    return size;
  }

  private void closeQuietly() {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // the error being reported matters more
    }
  }

  @Override
  public void close() throws IOException {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IOException("closing " + file + ": " + e.getMessage(), e);
    }
  }
}
