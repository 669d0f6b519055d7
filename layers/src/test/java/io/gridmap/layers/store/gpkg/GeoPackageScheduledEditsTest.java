package io.gridmap.layers.store.gpkg;

import io.gridmap.layers.store.StoreScheduledEditsContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The scheduled-edits contract on a GeoPackage file. */
class GeoPackageScheduledEditsTest extends StoreScheduledEditsContract {
  @TempDir Path dir;

  @Override
  protected String location() {
    return dir.resolve("city.gpkg").toString();
  }
}
