/**
 * Stores: where a city's {@link io.gridmap.layers.model.Dataset} lives between runs.
 *
 * <p>{@link io.gridmap.layers.store.Stores#open(String)} turns a location into a {@link
 * io.gridmap.layers.store.FeatureStore}; today that is a GeoPackage file ({@link
 * io.gridmap.layers.store.gpkg.GeoPackageStore}), later also PostGIS. {@code generate} and {@code
 * import} write a whole dataset; the server reads it whole at start and never touches the store on
 * a tile's path. Failures are {@link io.gridmap.layers.store.StoreException}s whose message names
 * the store and the problem.
 */
package io.gridmap.layers.store;
