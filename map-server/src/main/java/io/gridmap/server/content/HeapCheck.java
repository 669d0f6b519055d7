package io.gridmap.server.content;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Whether this JVM's heap can serve a store, told before the store is read: a heap too small fails
 * half a minute into loading with an {@link OutOfMemoryError}, or worse serves with the collector
 * running all the time. The estimate is the heap each layer takes once served, per feature, as
 * {@code benchmarks/.../memory/LayerMemory} measured it on the generated full city
 * (docs/benchmarks.md, "Memory"), plus what the server holds besides the index and the tile cache's
 * bound. A city whose outlines have many more vertices than the generated one takes more: an
 * out-of-memory error while loading is reported the same way ({@link #outOfMemory}).
 */
public final class HeapCheck {
  /** The variable the launcher ({@code ./mapserver}) passes to the JVM. */
  public static final String JAVA_OPTS = "MAPSERVER_JAVA_OPTS";

  /**
   * Bytes per served feature by layer (LayerMemory on the full city, 2026-12-05): an admin unit's
   * outline and its generalised polygons, a point with its attributes and index entry.
   */
  static final Map<String, Long> BYTES_PER_FEATURE =
      Map.of(
          "districts", 562_239L,
          "streets", 34_312L,
          "villages", 7_858L,
          "grids", 3_299L,
          "key_sites", 425L,
          "forces", 358L,
          "events", 415L);

  /** A layer the catalogue does not name (an imported layer): taken as points with attributes. */
  static final long OTHER_BYTES_PER_FEATURE = 500;

  /**
   * What the server holds besides the index once loaded (the search index, label points, the live
   * stream, the JIT's and Vert.x's own): the heap after load on the full city less LayerMemory's
   * whole index (1,322 - 1,180 MiB), rounded up.
   */
  static final long SERVER_BYTES = 192L << 20;

  private HeapCheck() {}

  /**
   * The heap a store needs, in bytes.
   *
   * @param counts features per layer, as the store counts them
   * @param tileCacheBytes the tile cache's bound (setting tile_cache_mb)
   */
  public static long needed(Map<String, Integer> counts, long tileCacheBytes) {
    long bytes = SERVER_BYTES + tileCacheBytes;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      bytes += e.getValue() * BYTES_PER_FEATURE.getOrDefault(e.getKey(), OTHER_BYTES_PER_FEATURE);
    }
    return bytes;
  }

  /**
   * Refuses a heap smaller than the store needs.
   *
   * @param maxHeap the JVM's bound ({@code Runtime.maxMemory()})
   * @throws IllegalStateException saying what the store holds, what it needs and how to give it
   */
  public static void require(Map<String, Integer> counts, long tileCacheBytes, long maxHeap) {
    long need = needed(counts, tileCacheBytes);
    if (maxHeap >= need) {
      return;
    }
    Map<String, Integer> shown = new LinkedHashMap<>(counts);
    throw new IllegalStateException(
        String.format(
            Locale.ROOT,
            "the store holds %s; serving it takes about %s of heap (%s of it the tile cache, setting"
                + " tile_cache_mb), and this JVM may use %s. Start it with more: %s=\"%s\""
                + " ./mapserver serve ..., or a smaller tile_cache_mb",
            describe(shown),
            gib(need),
            gib(tileCacheBytes),
            gib(maxHeap),
            JAVA_OPTS,
            options(need)));
  }

  /** What to say when loading ran out of heap anyway. */
  public static String outOfMemory(Map<String, Integer> counts, long tileCacheBytes, long maxHeap) {
    long need = Math.max(needed(counts, tileCacheBytes), maxHeap + (512L << 20));
    return String.format(
        Locale.ROOT,
        "the heap (%s) ran out while loading the store%s. Start it with more: %s=\"%s\""
            + " ./mapserver serve ...",
        gib(maxHeap),
        counts.isEmpty() ? "" : " (" + describe(counts) + ")",
        JAVA_OPTS,
        options(need));
  }

  /** The launcher's options with a heap of {@code need}, rounded up to whole GiB. */
  static String options(long need) {
    long gib = Math.max(1, (need + (1L << 30) - 1) >> 30);
    return "-Xmx" + gib + "g -XX:+UseParallelGC -XX:MaxNewSize=384m";
  }

  private static String describe(Map<String, Integer> counts) {
    StringBuilder b = new StringBuilder();
    counts.forEach(
        (layer, n) -> {
          if (b.length() > 0) {
            b.append(", ");
          }
          b.append(String.format(Locale.ROOT, "%,d %s", n, layer));
        });
    return b.length() == 0 ? "no features" : b.toString();
  }

  private static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
  }
}
