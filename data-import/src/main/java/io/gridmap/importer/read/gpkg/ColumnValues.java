package io.gridmap.importer.read.gpkg;

import io.gridmap.importer.read.ImportException;
import java.nio.file.Path;

/**
 * A column's value as its declared type makes it (see {@link ColumnType}). SQLite stores any value
 * in any column, so a value of another kind (text in an INTEGER column) is reported with the row
 * rather than passed on as something the column's type does not promise.
 */
final class ColumnValues {
  private final Path file;

  ColumnValues(Path file) {
    this.file = file;
  }

  /**
   * {@code v} as JDBC returned it (Integer, Long, Double, String, byte[]) as column {@code c} types
   * it.
   */
  Object value(Object v, FeatureTable.Column c, String where) {
    if (v == null) {
      return null;
    }
    return switch (c.type()) {
      case BOOLEAN -> {
        if (v instanceof Number n && (n.longValue() == 0 || n.longValue() == 1)) {
          yield n.longValue() == 1;
        }
        throw invalid(v, c, where, "0 or 1");
      }
      case INTEGER -> {
        if (v instanceof Integer || v instanceof Long) {
          yield ((Number) v).longValue();
        }
        throw invalid(v, c, where, "an integer");
      }
      case REAL -> {
        if (v instanceof Number n) {
          yield n.doubleValue();
        }
        throw invalid(v, c, where, "a number");
      }
      case TEXT -> {
        if (v instanceof byte[]) {
          throw invalid(v, c, where, "text");
        }
        yield v.toString();
      }
      case ANY -> {
        if (v instanceof Integer || v instanceof Long) {
          yield ((Number) v).longValue();
        }
        if (v instanceof Number n) {
          yield n.doubleValue();
        }
        if (v instanceof String) {
          yield v;
        }
        throw invalid(v, c, where, "a number or text");
      }
    };
  }

  private ImportException invalid(Object v, FeatureTable.Column c, String where, String expected) {
    String found = v instanceof byte[] b ? b.length + " bytes of binary data" : "'" + v + "'";
    return new ImportException(
        file,
        where,
        "expected column '"
            + c.name()
            + "' ("
            + c.type()
            + ") to hold "
            + expected
            + " but found "
            + found,
        "correct the value in the attribute table (QGIS) and export again");
  }
}
