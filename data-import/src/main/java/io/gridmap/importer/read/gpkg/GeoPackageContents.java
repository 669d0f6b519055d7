package io.gridmap.importer.read.gpkg;

import io.gridmap.importer.read.ImportException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a GeoPackage says about its feature tables: {@code gpkg_contents} lists them, {@code
 * gpkg_geometry_columns} names each one's geometry column and srs_id, the table's own schema its
 * fid and attribute columns.
 */
final class GeoPackageContents {
  private final Path file;
  private final String name;
  private final Connection connection;

  GeoPackageContents(Path file, Connection connection) {
    this.file = file;
    this.name = file.getFileName().toString();
    this.connection = connection;
  }

  /** The feature tables {@code gpkg_contents} lists, by name. */
  List<String> featureTables() throws SQLException {
    List<String> names = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT table_name FROM gpkg_contents WHERE data_type = 'features'"
                    + " ORDER BY table_name")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    if (names.isEmpty()) {
      throw new ImportException(
          file,
          name,
          "expected a feature table in gpkg_contents but found none (the GeoPackage holds only"
              + " tiles or attribute tables)",
          "export the layer with its geometries to the GeoPackage (QGIS: Export > Save Features"
              + " As)");
    }
    return names;
  }

  String choose(List<String> tables, Optional<String> option) {
    if (option.isPresent()) {
      // SQLite's names are case-insensitive, and so is --table
      return tables.stream()
          .filter(t -> t.equalsIgnoreCase(option.get()))
          .findFirst()
          .orElseThrow(
              () ->
                  new ImportException(
                      file,
                      name,
                      "expected --table to name one of its feature tables, "
                          + String.join(", ", tables)
                          + ", but found '"
                          + option.get()
                          + "'",
                      "pass --table with one of " + String.join(", ", tables)));
    }
    if (tables.size() > 1) {
      throw new ImportException(
          file,
          name,
          "the GeoPackage has "
              + tables.size()
              + " feature tables, "
              + String.join(", ", tables)
              + ", and no --table says which to import",
          "pass --table NAME with one of "
              + String.join(", ", tables)
              + "; import each table with its own command");
    }
    return tables.get(0);
  }

  FeatureTable describe(String tableName) throws SQLException {
    String where = name + " table " + tableName;
    String geometryColumn;
    int srsId;
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT column_name, srs_id FROM gpkg_geometry_columns"
                + " WHERE lower(table_name) = lower(?)")) {
      ps.setString(1, tableName);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new ImportException(
              file,
              where,
              "the table is a feature table in gpkg_contents but has no row in"
                  + " gpkg_geometry_columns, so its geometry column is unknown",
              "export the layer to a new GeoPackage with QGIS or ogr2ogr");
        }
        geometryColumn = rs.getString(1);
        srsId = rs.getInt(2);
      }
    }
    String fid = null;
    List<FeatureTable.Column> attributes = new ArrayList<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA table_info(" + FeatureTable.quote(tableName) + ")")) {
      while (rs.next()) {
        String column = rs.getString("name");
        String declared = rs.getString("type");
        if (rs.getInt("pk") == 1 && declared.equalsIgnoreCase("INTEGER")) {
          fid = column;
        } else if (!column.equalsIgnoreCase(geometryColumn)) {
          ColumnType type =
              ColumnType.of(declared)
                  .orElseThrow(
                      () ->
                          new ImportException(
                              file,
                              where,
                              "column '"
                                  + column
                                  + "' holds binary data ("
                                  + (declared.isEmpty() ? "no declared type" : declared)
                                  + "), which is no attribute value we import",
                              "leave the column out, e.g. ogr2ogr -f GPKG out.gpkg "
                                  + name
                                  + " -select with the other columns"));
          attributes.add(new FeatureTable.Column(column, type));
        }
      }
    }
    if (fid == null) {
      throw new ImportException(
          file,
          where,
          "expected an INTEGER PRIMARY KEY column (the feature id) but found none",
          "export the layer to a new GeoPackage with QGIS or ogr2ogr, which add one");
    }
    return new FeatureTable(tableName, fid, geometryColumn, srsId, attributes);
  }
}
