package io.gridmap.bench.memory;

import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 14, point 7: the heap each layer of a store takes once served, per feature, so capacity can
 * be planned and the server can tell at start whether its heap holds the store ({@code
 * io.gridmap.server.HeapCheck} uses these figures).
 *
 * <p>For each layer: the store is read, everything but the layer (and its generalised polygons) is
 * dropped, the layer's index is built ({@link CityIndex#build}, what the server serves from), the
 * reading is dropped, and the heap retained after full collections is the layer's figure. Then the
 * whole store the same way. The server holds more than the index (tile caches, the search index,
 * the live stream): the start figure of {@code scripts/bench.sh} (heap after load) is the whole.
 *
 * <p>Usage: {@code LayerMemory STORE}
 */
public final class LayerMemory {
  private LayerMemory() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: LayerMemory STORE");
      System.exit(2);
    }
    String store = args[0];
    List<String> layers = new ArrayList<>();
    try (FeatureStore s = Stores.open(store)) {
      layers.addAll(s.counts().keySet());
    }
    long base = used();
    long total = 0;
    for (String name : layers) {
      Object[] held = new Object[1];
      int count = load(store, name, held);
      long retained = used() - base;
      held[0] = null;
      total += retained;
      System.out.printf(
          Locale.ROOT,
          "LayerMemory %-10s %,10d features  %8.1f MiB  %,6d bytes per feature%n",
          name,
          count,
          retained / 1048576.0,
          count == 0 ? 0 : retained / count);
      used();
    }
    Object[] held = new Object[1];
    int count = load(store, null, held);
    long whole = used() - base;
    System.out.printf(
        Locale.ROOT,
        "LayerMemory all        %,10d features  %8.1f MiB  (the layers one by one: %.1f MiB)%n",
        count,
        whole / 1048576.0,
        total / 1048576.0);
    held[0] = null;
  }

  /** Reads the store, keeps one layer (or all, for null) as an index in {@code held[0]}. */
  private static int load(String store, String layer, Object[] held) {
    Dataset d;
    try (FeatureStore s = Stores.open(store)) {
      d = s.read();
    }
    if (layer != null) {
      Layer l = d.layer(layer);
      Generalised g = Generalised.empty();
      for (int z : d.generalised().zooms(layer)) {
        g.put(layer, z, d.generalised().get(layer, z));
      }
      d = Dataset.of(List.of(l), d.metadata(), g);
    }
    int count = d.layers().values().stream().mapToInt(l -> l.features().size()).sum();
    held[0] = CityIndex.build(d);
    return count;
  }

  /** Heap in use after full collections, once it stops falling. */
  private static long used() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 6; i++) {
      System.gc();
      Thread.sleep(100);
      long now = memory.getHeapMemoryUsage().getUsed();
      if (Math.abs(last - now) < 1 << 20) {
        return now;
      }
      last = now;
    }
    return last;
  }
}
