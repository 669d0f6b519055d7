package io.gridmap.bench;

import io.gridmap.importer.generate.CityGenerator;
import io.gridmap.importer.generate.GeneratorConfig;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Point;

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

  /**
   * The city with {@code copies} of every force and event: each copy moved by up to ~1 km and given
   * an id of its own ({@code id + k * 10^13}, below 2^52), so that a harness can run at the seed's
   * volumes (a million forces, a million events) on the generated city.
   */
  public static Dataset withPointCopies(Dataset city, int copies) {
    if (copies <= 1) {
      return city;
    }
    List<Layer> layers = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(5);
    for (Layer l : city.layers().values()) {
      if (!l.name().equals("forces") && !l.name().equals("events")) {
        layers.add(l);
        continue;
      }
      List<Feature> all = new ArrayList<>(l.features());
      for (int k = 1; k < copies; k++) {
        for (Feature f : l.features()) {
          Coordinate c = f.geometry().getCoordinate();
          Point p =
              f.geometry()
                  .getFactory()
                  .createPoint(
                      new Coordinate(
                          c.x + (rnd.nextDouble() - 0.5) * 0.02,
                          c.y + (rnd.nextDouble() - 0.5) * 0.02));
          all.add(new Feature(f.id() + k * 10_000_000_000_000L, p, f.values(), f.personal()));
        }
      }
      layers.add(new Layer(l.def(), all));
    }
    return Dataset.of(layers, city.metadata(), city.generalised());
  }

  /** The force {@code f} a walk of up to ~100 m on, as a phone reports between two posts. */
  public static Feature walked(Feature f, SplittableRandom rnd) {
    Point p = (Point) f.geometry();
    Point q =
        p.getFactory()
            .createPoint(
                new Coordinate(
                    p.getX() + (rnd.nextDouble() - 0.5) * 0.002,
                    p.getY() + (rnd.nextDouble() - 0.5) * 0.002));
    return new Feature(f.id(), q, f.values(), f.personal());
  }
}
