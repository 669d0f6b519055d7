package io.gridmap.importer.read.gpkg;

import java.util.Locale;
import java.util.Optional;

/**
 * What an attribute column's declared type makes of its values. GeoPackage 1.3 (clause 1.1.1.1.3)
 * names the types: BOOLEAN, TINYINT to INTEGER, FLOAT, DOUBLE, REAL, TEXT, BLOB, DATE, DATETIME;
 * other writers use SQL names (VARCHAR(20), NUMERIC), which SQLite's affinity rules sort the same
 * way.
 */
enum ColumnType {
  /** BOOLEAN, stored as 0 or 1: a Boolean. */
  BOOLEAN,
  /** Integer types: a Long. */
  INTEGER,
  /** FLOAT, DOUBLE, REAL: a Double. */
  REAL,
  /** TEXT, DATE, DATETIME (ISO 8601 text in a GeoPackage): a String. */
  TEXT,
  /** NUMERIC and other declared types: as SQLite stored each value (Long, Double or String). */
  ANY;

  /**
   * The type a column declared as {@code declared} holds; empty for BLOB (and no declared type),
   * whose bytes are no attribute value we import.
   */
  static Optional<ColumnType> of(String declared) {
    String t = declared == null ? "" : declared.toUpperCase(Locale.ROOT).strip();
    if (t.equals("BOOLEAN")) {
      return Optional.of(BOOLEAN);
    }
    if (t.startsWith("DATE")) {
      return Optional.of(TEXT);
    }
    // SQLite's affinity rules (https://sqlite.org/datatype3.html, 3.1), in their order
    if (t.contains("INT")) {
      return Optional.of(INTEGER);
    }
    if (t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT")) {
      return Optional.of(TEXT);
    }
    if (t.isEmpty() || t.contains("BLOB")) {
      return Optional.empty();
    }
    if (t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB")) {
      return Optional.of(REAL);
    }
    return Optional.of(ANY);
  }
}
