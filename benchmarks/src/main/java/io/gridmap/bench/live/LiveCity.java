package io.gridmap.bench.live;

import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.geom.Point;

/**
 * What the load works on: the areas subscribed to (the streets with the most forces) and the forces
 * in them, read from the store the server serves before the server changes anything.
 *
 * @param areas admin codes, one subscriber each, busiest first
 * @param forces the forces of those areas
 * @param codeLength the length of the area codes: 9 for streets, 12 for villages, 15 for grids
 */
record LiveCity(List<String> areas, List<Force> forces, int codeLength) {

  /** A force the load moves; {@code area} indexes {@link #areas}. */
  static final class Force {
    final long id;
    final double lon;
    final double lat;
    final int area;

    /** The time of its last position sent (epoch ms): the next must be later. */
    volatile long lastTime;

    /** Moved over MQTT (else HTTP); set once before the load. */
    boolean viaMqtt;

    /**
     * Since when a position of it is on its way (epoch ms; 0: none): over HTTP until the server
     * answers (after the swap), over MQTT until a subscriber has received it (the broker's PUBACK
     * says nothing of the server). Not sent again before, so no two of its positions meet in one of
     * the writer's groups, where the stream would carry only the newer.
     */
    volatile long busySince;

    Force(long id, double lon, double lat, int area) {
      this.id = id;
      this.lon = lon;
      this.lat = lat;
      this.area = area;
    }
  }

  /**
   * The {@code count} streets (9-digit codes) with the most forces, or, when the city has fewer
   * streets than that (the tiny city of CI), villages (12 digits), or else grids (15), so that
   * there are as many subscribers as asked for, or as many as the city has grids.
   */
  static LiveCity read(String store, int count) {
    Dataset city;
    try (FeatureStore s = Stores.open(store)) {
      city = s.read();
    }
    Layer layer = city.layer("forces");
    int gridCode = layer.def().fieldIndex("grid_code");
    int length = 9;
    Map<String, Integer> perArea = countBy(layer, gridCode, length);
    while (perArea.size() < count && length < 15) {
      length += 3;
      perArea = countBy(layer, gridCode, length);
    }
    List<String> areas =
        perArea.entrySet().stream()
            .sorted(
                Map.Entry.<String, Integer>comparingByValue()
                    .reversed()
                    .thenComparing(Map.Entry.comparingByKey()))
            .limit(count)
            .map(Map.Entry::getKey)
            .toList();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < areas.size(); i++) {
      index.put(areas.get(i), i);
    }
    List<Force> forces = new ArrayList<>();
    for (Feature f : layer.features()) {
      String code = f.string(gridCode);
      Integer a =
          code == null || code.length() < length ? null : index.get(code.substring(0, length));
      if (a != null && f.geometry() instanceof Point p) {
        forces.add(new Force(f.id(), p.getX(), p.getY(), a));
      }
    }
    // a fixed order (ids), so that a run is repeatable
    forces.sort(Comparator.comparingLong(f -> f.id));
    return new LiveCity(areas, forces, length);
  }

  private static Map<String, Integer> countBy(Layer layer, int gridCode, int length) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Feature f : layer.features()) {
      String code = f.string(gridCode);
      if (code != null && code.length() >= length) {
        out.merge(code.substring(0, length), 1, Integer::sum);
      }
    }
    return out;
  }

  /** The area a grid code is in, or -1. */
  int areaOf(String gridCode) {
    if (gridCode == null || gridCode.length() < codeLength) {
      return -1;
    }
    return areas.indexOf(gridCode.substring(0, codeLength));
  }

  /** Forces per area, for the report. */
  int[] forcesPerArea() {
    int[] n = new int[areas.size()];
    forces.forEach(f -> n[f.area]++);
    return n;
  }
}
