package io.gridmap.server.testing;

import io.gridmap.importer.generate.CityGenerator;
import io.gridmap.importer.generate.GeneratorConfig;
import io.gridmap.layers.model.Dataset;
import java.util.List;

/**
 * Small generated cities for server tests, built once per JVM.
 *
 * <p>{@link #small()} is 渝中 (the dense urban core) and 江北 beside it plus 荣昌 on the city's western
 * edge, at full density so that z14 tiles hold real numbers of grids: about 2,500 grids generated
 * in a few seconds.
 */
public final class TestCity {
  private TestCity() {}

  public static final long SEED = 42;
  public static final List<String> SMALL_DISTRICTS = List.of("500103", "500105", "500153");

  private static Dataset small;

  public static synchronized Dataset small() {
    if (small == null) {
      small = new CityGenerator(new GeneratorConfig(SEED, 1.0, SMALL_DISTRICTS)).generate();
    }
    return small;
  }
}
