package io.gridmap.server.cli;

import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.StoreException;
import io.gridmap.layers.store.StoreLocation;
import io.gridmap.layers.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command that touches the store shares. */
final class StoreOptions {
  /** What --store takes, for help texts. */
  static final String STORE_FORMS =
      "a .gpkg file path, or a PostGIS database as postgresql://user:password@host:5432/db?schema=gridmap";

  @Option(
      names = "--store",
      paramLabel = "STORE",
      description = "the feature store: " + STORE_FORMS + " (default: ${DEFAULT-VALUE})",
      defaultValue = "data/chongqing.gpkg")
  String store;

  /**
   * Whether the store holds a city already: the file exists, or the PostGIS schema has one. A
   * location of the wrong form or a database that cannot be reached is a {@link Main.UserError}
   * naming it.
   */
  static boolean holdsACity(String store) {
    StoreLocation location;
    try {
      location = StoreLocation.parse(store);
    } catch (IllegalArgumentException e) {
      throw new Main.UserError(e.getMessage());
    }
    try (FeatureStore s = Stores.open(location)) {
      return s.holdsACity();
    } catch (StoreException e) {
      throw new Main.UserError(e.getMessage());
    }
  }

  /** Creates the folder a GeoPackage store goes in; nothing for a database. */
  static void makeRoom(String store) {
    StoreLocation location;
    try {
      location = StoreLocation.parse(store);
    } catch (IllegalArgumentException e) {
      throw new Main.UserError(e.getMessage());
    }
    if (location.kind() != StoreLocation.Kind.GEOPACKAGE) {
      return;
    }
    try {
      Path parent = location.path().toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (java.io.IOException e) {
      throw new Main.UserError("cannot create the directory of " + store + ": " + e.getMessage());
    }
  }
}
