package io.gridmap.layers.store.gpkg;

import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.StoreException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A {@link FeatureStore} in one GeoPackage file: a standard GeoPackage that QGIS and GDAL open
 * as they are (see {@link StoreSchema} for the layout).
 *
 * <p>The store holds nothing open between calls: each call opens the file, does its work and
 * closes it, so a store object is cheap and the file can be replaced under it by a write.
 */
public final class GeoPackageStore implements FeatureStore {
  private final Path file;
  private volatile boolean closed;

  public GeoPackageStore(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  @Override
  public String location() {
    return file.toString();
  }

  @Override
  public void write(Dataset dataset) {
    open();
    new GeoPackageWriter(file).write(dataset);
  }

  @Override
  public Dataset read() {
    open();
    return new GeoPackageReader(file).read();
  }

  @Override
  public DatasetMetadata metadata() {
    open();
    return new GeoPackageReader(file).metadata();
  }

  @Override
  public Map<String, Integer> counts() {
    open();
    return new GeoPackageReader(file).counts();
  }

  @Override
  public void close() {
    closed = true;
  }

  private void open() {
    if (closed) {
      throw new StoreException("store " + file + " is closed");
    }
  }

  @Override
  public String toString() {
    return "GeoPackageStore[" + file + "]";
  }
}
