package io.gridmap.bench;

import io.gridmap.importer.generate.CityGenerator;
import io.gridmap.importer.generate.GeneratorConfig;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import java.util.List;

/**
 * The city a benchmark runs on: the store named by {@code -Dgridmap.store=PATH} (the full city for
 * real figures), or, without it, a tiny generated city so that CI can run every harness once in
 * seconds and it cannot rot.
 */
public final class BenchCity {
  private BenchCity() {}

  public static Dataset load() {
    String store = System.getProperty("gridmap.store", "");
    if (store.isEmpty()) {
      return new CityGenerator(new GeneratorConfig(42, 0.05, List.of("500103"))).generate();
    }
    try (FeatureStore s = Stores.open(store)) {
      return s.read();
    }
  }
}
