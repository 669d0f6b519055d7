package io.gridmap.layers.store;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a store is, parsed from what the user typed ({@code --store} or config).
 *
 * <p>Accepted forms: a path to a file ending in {@code .gpkg}. A {@code postgresql://} URL will
 * name a PostGIS store once that store exists; until then it is rejected with a message that says
 * so.
 *
 * @param kind which store implementation serves the location
 * @param value the location as given (trimmed)
 */
public record StoreLocation(Kind kind, String value) {

  /** The kinds of store. */
  public enum Kind {
    /** A GeoPackage file (SQLite), the embedded default. */
    GEOPACKAGE
  }

  static final String ACCEPTED =
      "accepted forms: a GeoPackage file path ending in .gpkg (e.g. data/chongqing.gpkg);"
          + " postgresql://host/database URLs are planned but not supported yet";

  public StoreLocation {
    if (kind == null || value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "store location needs a kind and a value, got " + kind + " '" + value + "'");
    }
  }

  /**
   * Parses a location; throws {@link IllegalArgumentException} naming the value and the accepted
   * forms.
   */
  public static StoreLocation parse(String location) {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("store location is empty; " + ACCEPTED);
    }
    String value = location.strip();
    String lower = value.toLowerCase(Locale.ROOT);
    if (lower.startsWith("postgresql://")
        || lower.startsWith("postgres://")
        || lower.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "store location '"
              + redact(value)
              + "' is a PostGIS URL, which is not supported yet; "
              + ACCEPTED);
    }
    if (lower.matches("^[a-z][a-z0-9+.-]*://.*")) {
      throw new IllegalArgumentException(
          "store location '" + redact(value) + "' has an unknown scheme; " + ACCEPTED);
    }
    if (!lower.endsWith(".gpkg")) {
      throw new IllegalArgumentException(
          "store location '" + value + "' is not a .gpkg file; " + ACCEPTED);
    }
    try {
      Path.of(value);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(
          "store location '"
              + value
              + "' is not a valid file path ("
              + e.getReason()
              + "); "
              + ACCEPTED,
          e);
    }
    return new StoreLocation(Kind.GEOPACKAGE, value);
  }

  /** The file of a GeoPackage location. */
  public Path path() {
    if (kind != Kind.GEOPACKAGE) {
      throw new IllegalStateException("store location " + value + " is not a file");
    }
    return Path.of(value);
  }

  /** A URL with its password replaced by ***, so that messages never print a credential. */
  static String redact(String url) {
    return url.replaceFirst("(://[^/:@]*:)[^/@]*@", "$1***@");
  }
}
