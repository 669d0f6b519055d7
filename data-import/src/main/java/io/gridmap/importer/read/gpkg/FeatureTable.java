package io.gridmap.importer.read.gpkg;

import java.util.List;

/**
 * A feature table as {@code gpkg_geometry_columns} and the table's own schema describe it.
 *
 * @param name the table's name as {@code gpkg_contents} spells it
 * @param fidColumn its integer primary key
 * @param geometryColumn its geometry column
 * @param srsId the {@code srs_id} of its geometries ({@code gpkg_spatial_ref_sys})
 * @param attributes every other column, in table order
 */
record FeatureTable(
    String name, String fidColumn, String geometryColumn, int srsId, List<Column> attributes) {
  FeatureTable {
    attributes = List.copyOf(attributes);
  }

  /** An attribute column. */
  record Column(String name, ColumnType type) {}

  /** A name quoted as an SQL identifier, so any table or column name works. */
  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
