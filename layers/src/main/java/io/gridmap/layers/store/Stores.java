package io.gridmap.layers.store;

import io.gridmap.layers.store.gpkg.GeoPackageStore;

/** Opens the store a location names. */
public final class Stores {
  private Stores() {}

  /**
   * Opens the store at {@code location}, e.g. {@code "data/chongqing.gpkg"} or {@code
   * "postgresql://gridmap@db.example:5432/city"}. Opening checks only the form of the location: a
   * GeoPackage file need not exist until it is read, and {@link FeatureStore#write} creates it; a
   * PostGIS database is connected to (and its schema migrated) on first use.
   *
   * @throws IllegalArgumentException naming the value and the accepted forms when it is none of
   *     them
   */
  public static FeatureStore open(String location) {
    return open(StoreLocation.parse(location));
  }

  public static FeatureStore open(StoreLocation location) {
    return switch (location.kind()) {
      case GEOPACKAGE -> new GeoPackageStore(location.path());
      case POSTGIS ->
          new io.gridmap.layers.store.pg.PostgisStore(
              io.gridmap.layers.store.pg.PostgisUrl.parse(location.value()));
    };
  }
}
