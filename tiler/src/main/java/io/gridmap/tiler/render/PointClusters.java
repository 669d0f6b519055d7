package io.gridmap.tiler.render;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Per-zoom cell aggregates of a point layer, computed once so that a low-zoom tile over the whole
 * city reads a few thousand cells instead of scanning 250k points.
 *
 * <p>At zoom z the world is cut into cells of 256 tile units (16 cells across a tile, 2^(z+4)
 * across the world). Each zoom keeps its non-empty cells sorted by a packed row-major key {@code
 * cellY << 20 | cellX}; a tile reads its 16 rows plus one row and column of buffer on each side
 * with two binary searches per row. A cell holds its count, the mean position of its points, their
 * most common category, and the point's ordinal when it holds just one.
 *
 * <p>Left out: personal features outside the staff class (counting homes of vulnerable people per
 * cell would leak them) and points the layer never clusters (urgent events), which are drawn
 * individually instead.
 */
final class PointClusters {
  // 16 cells of 256 units (32 px on a 512 px tile) across a tile: at 64 cells the city below z12
  // was a wall of overlapping circles and digits (seen in the viewer on the full city)
  static final int CELL_SHIFT = 4;
  static final int CELL_UNITS = 4096 >> CELL_SHIFT;
  private static final int ORDINAL_BITS = 23;

  /** One zoom's cells. */
  static final class Level {
    final int zoom;
    final long[] keys;
    final int[] counts;
    final double[] meanX;
    final double[] meanY;
    final int[] single;
    final int[] category;

    Level(
        int zoom,
        long[] keys,
        int[] counts,
        double[] meanX,
        double[] meanY,
        int[] single,
        int[] category) {
      this.zoom = zoom;
      this.keys = keys;
      this.counts = counts;
      this.meanX = meanX;
      this.meanY = meanY;
      this.single = single;
      this.category = category;
    }

    int size() {
      return keys.length;
    }

    /** First cell index whose key is >= {@code key}. */
    int lowerBound(long key) {
      int i = Arrays.binarySearch(keys, key);
      return i >= 0 ? i : -i - 1;
    }
  }

  private final Level[] levels;
  private final String[] categories;

  private PointClusters(Level[] levels, String[] categories) {
    this.levels = levels;
    this.categories = categories;
  }

  /**
   * @param layer the point layer
   * @param minZoom first zoom to aggregate
   * @param maxZoom last zoom to aggregate (13: tiles at 14 draw every point)
   * @param individual points never aggregated
   * @param categoryField field whose most common value a cluster carries, or -1
   */
  static PointClusters build(
      LayerIndex layer,
      int minZoom,
      int maxZoom,
      Predicate<Feature> individual,
      int categoryField,
      boolean includePersonal) {
    int n = layer.size();
    if (n >= (1 << ORDINAL_BITS)) {
      throw new IllegalArgumentException(
          "layer "
              + layer.name()
              + " has "
              + n
              + " points; clustering packs ordinals into "
              + ORDINAL_BITS
              + " bits");
    }
    int deepest = maxZoom + CELL_SHIFT;
    double cellsAcross = Math.scalb(1.0, deepest);
    double world = 2 * WebMercator.HALF_WORLD;
    int[] members = new int[n];
    int[] cellX = new int[n];
    int[] cellY = new int[n];
    int[] cat = new int[n];
    Map<String, Integer> catIndex = new HashMap<>();
    int m = 0;
    for (int o = 0; o < n; o++) {
      Feature f = layer.feature(o);
      double x = layer.mercatorX(o);
      if ((f.personal() && !includePersonal) || Double.isNaN(x) || individual.test(f)) {
        continue;
      }
      double y = layer.mercatorY(o);
      int max = (int) cellsAcross - 1;
      cellX[m] =
          Math.max(
              0,
              Math.min(max, (int) Math.floor((x + WebMercator.HALF_WORLD) / world * cellsAcross)));
      cellY[m] =
          Math.max(
              0,
              Math.min(max, (int) Math.floor((WebMercator.HALF_WORLD - y) / world * cellsAcross)));
      Object c = categoryField < 0 ? null : f.value(categoryField);
      cat[m] = c == null ? -1 : catIndex.computeIfAbsent(c.toString(), k -> catIndex.size());
      members[m++] = o;
    }
    String[] categories = new String[catIndex.size()];
    catIndex.forEach((k, v) -> categories[v] = k);

    Level[] levels = new Level[maxZoom + 1];
    long[] packed = new long[m];
    int[] catCounts = new int[Math.max(1, categories.length)];
    for (int z = minZoom; z <= maxZoom; z++) {
      int shift = maxZoom - z;
      for (int i = 0; i < m; i++) {
        long key = ((long) (cellY[i] >> shift) << 20) | (cellX[i] >> shift);
        packed[i] = (key << ORDINAL_BITS) | i;
      }
      Arrays.parallelSort(packed);
      int cells = 0;
      for (int i = 0; i < m; i++) {
        if (i == 0 || (packed[i] >>> ORDINAL_BITS) != (packed[i - 1] >>> ORDINAL_BITS)) {
          cells++;
        }
      }
      long[] keys = new long[cells];
      int[] counts = new int[cells];
      double[] mx = new double[cells];
      double[] my = new double[cells];
      int[] single = new int[cells];
      int[] mode = new int[cells];
      int c = -1;
      for (int i = 0; i < m; ) {
        long key = packed[i] >>> ORDINAL_BITS;
        c++;
        keys[c] = key;
        int j = i;
        double sx = 0;
        double sy = 0;
        int best = -1;
        for (; j < m && (packed[j] >>> ORDINAL_BITS) == key; j++) {
          int k = (int) (packed[j] & ((1 << ORDINAL_BITS) - 1));
          int o = members[k];
          sx += layer.mercatorX(o);
          sy += layer.mercatorY(o);
          if (cat[k] >= 0
              && (++catCounts[cat[k]] > (best < 0 ? 0 : catCounts[best])
                  || (catCounts[cat[k]] == catCounts[best] && cat[k] < best))) {
            best = cat[k];
          }
        }
        for (int q = i; q < j; q++) {
          int k = (int) (packed[q] & ((1 << ORDINAL_BITS) - 1));
          if (cat[k] >= 0) {
            catCounts[cat[k]] = 0;
          }
        }
        counts[c] = j - i;
        mx[c] = sx / (j - i);
        my[c] = sy / (j - i);
        single[c] = j - i == 1 ? members[(int) (packed[i] & ((1 << ORDINAL_BITS) - 1))] : -1;
        mode[c] = best;
        i = j;
      }
      levels[z] = new Level(z, keys, counts, mx, my, single, mode);
    }
    return new PointClusters(levels, categories);
  }

  /** Rewrites the ordinals of single-point cells through {@code map} (ordinal to slot). */
  void remapSingles(int[] map) {
    for (Level l : levels) {
      if (l != null) {
        for (int c = 0; c < l.single.length; c++) {
          if (l.single[c] >= 0) {
            l.single[c] = map[l.single[c]];
          }
        }
      }
    }
  }

  /** The largest count of any cell at any zoom. */
  int maxCount() {
    int max = 0;
    for (Level l : levels) {
      if (l != null) {
        for (int c : l.counts) {
          max = Math.max(max, c);
        }
      }
    }
    return max;
  }

  int categoryCount() {
    return categories.length;
  }

  /** The cells of a zoom, or null when the zoom is not aggregated. */
  Level level(int z) {
    return z < levels.length ? levels[z] : null;
  }

  String category(int index) {
    return index < 0 ? null : categories[index];
  }
}
