package io.gridmap.layers.store.gpkg;

import io.gridmap.layers.store.StoreTrackContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The track contract on a GeoPackage file. */
class GeoPackageTrackTest extends StoreTrackContract {
  @TempDir Path dir;

  @Override
  protected String location() {
    return dir.resolve("city.gpkg").toString();
  }
}
