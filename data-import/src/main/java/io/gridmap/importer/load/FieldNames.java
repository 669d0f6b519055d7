package io.gridmap.importer.load;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The fields an import makes from a file's columns. A field name is snake_case ASCII (it is an SQL
 * column, a tile key, a CQL2 property); a column named otherwise is lower-cased and its other
 * characters made underscores ({@code "Grid Code"} becomes {@code grid_code}), and one with no
 * letter left (a Chinese name such as {@code 名称}) becomes {@code column_N}, its position, which the
 * summary lists so that {@code --map} can name it.
 */
final class FieldNames {
  private FieldNames() {}

  private static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  static boolean valid(String name) {
    return SNAKE.matcher(name).matches();
  }

  static void check(String name, String context) {
    if (!valid(name)) {
      throw new IllegalArgumentException(
          context
              + ": a field name is snake_case (a-z, 0-9 and _, starting with a letter), but found '"
              + name
              + "'");
    }
  }

  /** Our name for a column at {@code position} (1-based) that {@code --map} does not name. */
  static String fromColumn(String column, int position) {
    String s = column.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    s = s.replaceAll("^[^a-z]+", "").replaceAll("_+$", "");
    if (s.length() > 63) {
      s = s.substring(0, 63);
    }
    return valid(s) ? s : "column_" + position;
  }
}
