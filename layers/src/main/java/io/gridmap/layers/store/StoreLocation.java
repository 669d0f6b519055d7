package io.gridmap.layers.store;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a store is, parsed from what the user typed ({@code --store} or config).
 *
 * <p>Accepted forms: a path to a file ending in {@code .gpkg} (the embedded default), or a {@code
 * postgresql://} URL naming a PostGIS database (see {@link io.gridmap.layers.store.pg.PostgisUrl}).
 *
 * @param kind which store implementation serves the location
 * @param value the location as given (trimmed)
 */
public record StoreLocation(Kind kind, String value) {

  /** The kinds of store. */
  public enum Kind {
    /** A GeoPackage file (SQLite), the embedded default. */
    GEOPACKAGE,
    /** A PostGIS database: the production store. */
    POSTGIS
  }

  static final String ACCEPTED =
      "accepted forms: a GeoPackage file path ending in .gpkg (e.g. data/chongqing.gpkg);"
          + " or a PostGIS database as postgresql://user:password@host:5432/database?schema=gridmap";

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
    if (io.gridmap.layers.store.pg.PostgisUrl.claims(value)) {
      io.gridmap.layers.store.pg.PostgisUrl.parse(value); // its message names what is wrong
      return new StoreLocation(Kind.POSTGIS, value);
    }
    if (lower.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "store location '"
              + redact(value)
              + "' is a JDBC URL; give it as postgresql://host:port/database instead; "
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
    return io.gridmap.layers.store.pg.PostgisUrl.redact(url);
  }

  @Override
  public String toString() {
    return kind == Kind.POSTGIS ? redact(value) : value;
  }
}
