package io.gridmap.layers.store.gpkg;

import com.j256.ormlite.jdbc.JdbcSingleConnectionSource;
import java.io.File;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import mil.nga.geopackage.GeoPackage;
import mil.nga.geopackage.GeoPackageImpl;
import mil.nga.geopackage.db.GeoPackageConnection;

/**
 * A GeoPackage opened for writing whose NGA table and extension registrations (gpkg_contents,
 * gpkg_geometry_columns, gpkg_extensions, made through ORMLite) go through the same JDBC connection
 * as our own statements. {@code GeoPackageManager.open} gives ORMLite a connection of its own,
 * which inside our transaction finds the file locked (SQLITE_BUSY) and would commit apart from it
 * if it did not: an import that creates a layer's table must do both in one transaction.
 */
final class OneConnectionGeoPackage extends GeoPackageImpl {
  private OneConnectionGeoPackage(File file, GeoPackageConnection connection) {
    super(file.getName(), file, connection, true);
  }

  static GeoPackage open(File file) throws SQLException {
    String url = "jdbc:sqlite:" + file.getPath();
    Connection c = DriverManager.getConnection(url);
    try {
      GeoPackageConnection connection =
          new GeoPackageConnection(file, c, new JdbcSingleConnectionSource(url, c));
      connection.enableForeignKeys();
      return new OneConnectionGeoPackage(file, connection);
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }
}
