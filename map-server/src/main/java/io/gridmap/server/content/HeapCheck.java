package io.gridmap.server.content;

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
   * Bytes per served feature by layer (LayerMemory on the full city, 2026-12-05, points as {@code
   * PointXY}, generalised polygons packed): an admin unit's outline and its generalised polygons, a
   * point with its attributes and index entry.
   */
  static final Map<String, Long> BYTES_PER_FEATURE =
      Map.of(
          "districts", 442_671L,
          "streets", 27_160L,
          "villages", 6_439L,
          // 2,708 B measured, and 521 B for the locate cells once every one is built
          "grids", 3_229L,
          "key_sites", 378L,
          "forces", 311L,
          "events", 343L);

  /** A layer the catalogue does not name (an imported layer): taken as points with attributes. */
  static final long OTHER_BYTES_PER_FEATURE = 500;

  /**
   * What the server holds besides the index that grows with the city (the search index, label
   * points, the point clusters' buckets): its heap after load over LayerMemory's whole index on the
   * full city, 1,198 / 1,051 MiB (1,131 / 988 MiB once generalised polygons were packed).
   */
  static final double SERVER_FACTOR = 1.14;

  /** What the server holds whatever the city (Vert.x, the JIT's and the classes' own, buffers). */
  static final long SERVER_BYTES = 48L << 20;

  private HeapCheck() {}

  /** The least tile cache a server runs with: a few thousand tiles. */
  static final long MIN_TILE_CACHE = 16L << 20;

  /** Heap kept free for work (rendering, requests, the collector's room): a tenth of it. */
  static long headroom(long maxHeap) {
    return maxHeap / 10;
  }

  /**
   * The heap a store needs once loaded, in bytes, the tile cache aside.
   *
   * @param counts features per layer, as the store counts them
   */
  public static long needed(Map<String, Integer> counts) {
    long features = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      features +=
          e.getValue() * BYTES_PER_FEATURE.getOrDefault(e.getKey(), OTHER_BYTES_PER_FEATURE);
    }
    return SERVER_BYTES + (long) (features * SERVER_FACTOR);
  }

  /**
   * Refuses a heap that cannot hold the store, with the least tile cache and room to work.
   *
   * @param maxHeap the JVM's bound ({@code Runtime.maxMemory()})
   * @throws IllegalStateException saying what the store holds, what it needs and how to give it
   */
  public static void require(Map<String, Integer> counts, long maxHeap) {
    long need = needed(counts);
    if (maxHeap - headroom(maxHeap) >= need + MIN_TILE_CACHE) {
      return;
    }
    throw new IllegalStateException(
        String.format(
            Locale.ROOT,
            "the store holds %s; serving it takes about %s of heap besides the tile cache, and"
                + " this JVM may use %s. Start it with more: %s=\"%s\" ./mapserver serve ...",
            describe(counts),
            gib(need),
            gib(maxHeap),
            JAVA_OPTS,
            options(need)));
  }

  /**
   * The tile cache's bound this heap allows: the setting, lowered to what the store and the room to
   * work leave (a tile cache is filled as tiles are asked for; a bound above what is left would run
   * the heap out on a busy day, not at start).
   *
   * @param configured setting tile_cache_mb, in bytes
   */
  public static long tileCacheBytes(Map<String, Integer> counts, long configured, long maxHeap) {
    long left = maxHeap - headroom(maxHeap) - needed(counts);
    return Math.min(configured, Math.max(MIN_TILE_CACHE, left));
  }

  /** What to say when loading ran out of heap anyway. */
  public static String outOfMemory(Map<String, Integer> counts, long maxHeap) {
    long need = Math.max(needed(counts), maxHeap);
    return String.format(
        Locale.ROOT,
        "the heap (%s) ran out while loading the store%s. Start it with more: %s=\"%s\""
            + " ./mapserver serve ...",
        gib(maxHeap),
        counts.isEmpty() ? "" : " (" + describe(counts) + ")",
        JAVA_OPTS,
        options(need));
  }

  /**
   * The launcher's options for a store that needs {@code need}: that, the default tile cache (512
   * MiB) and the room to work, rounded up to whole GiB.
   */
  static String options(long need) {
    long heap = (long) ((need + (512L << 20)) / 0.9);
    long gib = Math.max(1, (heap + (1L << 30) - 1) >> 30);
    // the launcher's own (./mapserver, java_opts, which says why each), the heap's size aside;
    // HeapCheckTest holds the two together
    return "-Xms"
        + gib
        + "g -Xmx"
        + gib
        + "g -XX:+UseG1GC -XX:-G1UseAdaptiveIHOP -XX:InitiatingHeapOccupancyPercent=80"
        + " -XX:MetaspaceSize=128m";
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
