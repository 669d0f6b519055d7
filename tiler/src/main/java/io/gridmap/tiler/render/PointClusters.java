package io.gridmap.tiler.render;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.index.LongTrie;

/**
 * The grids a point layer is kept in, and where a point falls in them.
 *
 * <p>Cells: at zoom z the world is cut into cells of 256 tile units (16 across a tile, 2^(z+4)
 * across the world), aligned to tiles so that neighbours agree. A point's cell is worked out once,
 * at the deepest clustered zoom (13, 2^17 across), and shifted right for the others: {@code floor(v
 * * 2^17) >> s == floor(v * 2^(17-s))}, so every zoom puts a point where a direct computation
 * would.
 *
 * <p>Buckets: the points drawn individually are kept per z16 tile (two deepest cells across, 4 × 4
 * buckets per z14 tile), small enough that moving a point copies a few hundred of them at most.
 */
final class PointClusters {
  private PointClusters() {}

  // 16 cells of 256 units (32 px on a 512 px tile) across a tile: at 64 cells the city below z12
  // was a wall of overlapping circles and digits (seen in the viewer on the full city)
  static final int CELL_SHIFT = 4;
  static final int CELL_UNITS = 4096 >> CELL_SHIFT;

  /** The last zoom drawn as cells; from the next one every point is drawn. */
  static final int LAST_ZOOM = 13;

  /** Bits of a deepest cell index per axis. */
  static final int DEEP_BITS = LAST_ZOOM + CELL_SHIFT;

  /** A bucket is this many deepest cells across, as a shift. */
  static final int BUCKET_SHIFT = 1;

  static final int BUCKET_LEVELS = LongTrie.levelsForAxisBits(DEEP_BITS - BUCKET_SHIFT);

  private static final double WORLD = 2 * WebMercator.HALF_WORLD;
  private static final int DEEP_MAX = (1 << DEEP_BITS) - 1;

  /** Deepest cell column of an EPSG:3857 x, clamped to the world. */
  static int deepX(double mercatorX) {
    int c = (int) Math.floor((mercatorX + WebMercator.HALF_WORLD) / WORLD * (1 << DEEP_BITS));
    return Math.max(0, Math.min(DEEP_MAX, c));
  }

  /** Deepest cell row (north first) of an EPSG:3857 y, clamped to the world. */
  static int deepY(double mercatorY) {
    int c = (int) Math.floor((WebMercator.HALF_WORLD - mercatorY) / WORLD * (1 << DEEP_BITS));
    return Math.max(0, Math.min(DEEP_MAX, c));
  }

  /** Trie levels for the tiles of zoom z. */
  static int tileLevels(int z) {
    return LongTrie.levelsForAxisBits(Math.max(1, z));
  }
}
