package io.gridmap.tiler.render;

import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.tiler.encode.Commands;
import io.gridmap.tiler.encode.IntList;
import io.gridmap.tiler.encode.MvtLayerWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.index.hprtree.HPRtree;

/**
 * A point layer (key sites, forces, events). From {@link #INDIVIDUAL_ZOOM} every point is drawn
 * with its own id and attributes; below it points are aggregated into one feature per 256-unit cell
 * (see {@link PointClusters}): a cell holding one point draws that point as itself, a cell holding
 * more draws a cluster at their mean position with a {@code count} attribute (always at least 2),
 * the most common value of the layer's category field, and an id from {@link ClusterIds}. Points
 * the layer never clusters (urgent events) are drawn individually at every zoom. Personal features
 * are never drawn nor counted.
 */
public final class PointLayer implements SourceLayer {
  /** First zoom drawing every point individually. */
  public static final int INDIVIDUAL_ZOOM = 14;

  private final LayerDef def;
  private final LayerIndex index;
  private final TileAttributes attributes;
  /*
   * Per-point data in "slot" order: points sorted by their Morton (Z-order) code at 2^20 cells
   * across the world, so the points of a tile lie in a few runs of these arrays instead of at
   * random ordinals: rendering a z10 tile then reads memory sequentially rather than taking
   * several cache misses per point.
   */
  private final int[] slotOfOrdinal;
  private final double[] xs;
  private final double[] ys;
  private final long[] ids;
  private final boolean[] personal;
  private final AttributeTable table;

  /** The table's values, then cluster counts 0..maxCount, then categories: one id space. */
  private final byte[][] dictionary;

  private final int countBase;
  private final int categoryBase;
  private final int maxCount;
  private final PointClusters clusters;
  private final String categoryName;
  private final HPRtree individuals = new HPRtree();

  /**
   * @param def the layer
   * @param index its index
   * @param neverClustered points always drawn individually
   */
  public PointLayer(
      LayerDef def, LayerIndex index, Predicate<Feature> neverClustered, boolean includePersonal) {
    this.def = def;
    this.index = index;
    this.attributes = new TileAttributes(def);
    int n = index.size();
    int[] ordinalOfSlot = zOrder(index);
    this.slotOfOrdinal = new int[n];
    this.xs = new double[n];
    this.ys = new double[n];
    this.ids = new long[n];
    this.personal = new boolean[n];
    java.util.List<Feature> bySlot = new java.util.ArrayList<>(n);
    for (int s = 0; s < n; s++) {
      int o = ordinalOfSlot[s];
      slotOfOrdinal[o] = s;
      Feature f = index.feature(o);
      xs[s] = index.mercatorX(o);
      ys[s] = index.mercatorY(o);
      ids[s] = f.id();
      personal[s] = f.personal() && !includePersonal; // hidden in this visibility class
      bySlot.add(f);
    }
    this.table = AttributeTable.build(def, bySlot);
    int cat = categoryField(def);
    this.categoryName = cat < 0 ? null : def.fields().get(cat).name();
    int lastClustered = Math.min(def.maxZoom(), INDIVIDUAL_ZOOM - 1);
    this.clusters =
        def.minZoom() <= lastClustered
            ? PointClusters.build(
                index, def.minZoom(), lastClustered, neverClustered, cat, includePersonal)
            : null;
    for (int s = 0; s < n; s++) {
      if (!personal[s] && !Double.isNaN(xs[s]) && neverClustered.test(bySlot.get(s))) {
        individuals.insert(new Envelope(xs[s], xs[s], ys[s], ys[s]), s);
      }
    }
    individuals.build();
    if (clusters != null) {
      clusters.remapSingles(slotOfOrdinal);
    }
    byte[][] attrs = table.encoded();
    this.maxCount = clusters == null ? 0 : clusters.maxCount();
    this.countBase = attrs.length;
    this.categoryBase = countBase + maxCount + 1;
    int categories = clusters == null ? 0 : clusters.categoryCount();
    this.dictionary = java.util.Arrays.copyOf(attrs, categoryBase + categories);
    for (int c = 0; c <= maxCount; c++) {
      dictionary[countBase + c] = MvtLayerWriter.encodeValue((long) c);
    }
    for (int c = 0; c < categories; c++) {
      dictionary[categoryBase + c] = MvtLayerWriter.encodeValue(clusters.category(c));
    }
  }

  /** Ordinals sorted by the Morton code of their point (points without one last). */
  private static int[] zOrder(LayerIndex index) {
    int n = index.size();
    long[] keys = new long[n];
    double world = 2 * io.gridmap.layers.geo.WebMercator.HALF_WORLD;
    for (int o = 0; o < n; o++) {
      double x = index.mercatorX(o);
      long morton;
      if (Double.isNaN(x)) {
        morton = (1L << 40) - 1;
      } else {
        int cx = (int) Math.max(0, Math.min((1 << 20) - 1, (x / world + 0.5) * (1 << 20)));
        int cy =
            (int)
                Math.max(
                    0, Math.min((1 << 20) - 1, (0.5 - index.mercatorY(o) / world) * (1 << 20)));
        morton = interleave(cx) | (interleave(cy) << 1);
      }
      keys[o] = (morton << 23) | o;
    }
    java.util.Arrays.parallelSort(keys);
    int[] order = new int[n];
    for (int s = 0; s < n; s++) {
      order[s] = (int) (keys[s] & ((1 << 23) - 1));
    }
    return order;
  }

  /** Spreads the 20 low bits of v to the even bits of a long. */
  private static long interleave(int v) {
    long x = v & 0xFFFFFL;
    x = (x | (x << 16)) & 0x0000FFFF0000FFFFL;
    x = (x | (x << 8)) & 0x00FF00FF00FF00FFL;
    x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FL;
    x = (x | (x << 2)) & 0x3333333333333333L;
    x = (x | (x << 1)) & 0x5555555555555555L;
    return x;
  }

  /**
   * The field a cluster summarises: {@code category} if the layer has it in tiles, else {@code
   * role}.
   */
  static int categoryField(LayerDef def) {
    for (String name : new String[] {"category", "role"}) {
      int i = def.fieldIndex(name);
      if (i >= 0 && def.fields().get(i).inTiles()) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String name() {
    return def.name();
  }

  @Override
  public String description() {
    return def.title() + "; below z" + INDIVIDUAL_ZOOM + " aggregated per 256-unit cell (count)";
  }

  @Override
  public int minZoom() {
    return def.minZoom();
  }

  @Override
  public int maxZoom() {
    return def.maxZoom();
  }

  @Override
  public boolean live() {
    return def.live();
  }

  @Override
  public Map<String, String> fields() {
    Map<String, String> f = new LinkedHashMap<>(attributes.descriptions());
    f.put(
        "count",
        "below z" + INDIVIDUAL_ZOOM + ": number of points in a cluster (absent on single points)");
    return f;
  }

  @Override
  public void render(RenderContext ctx, MvtLayerWriter out) {
    int z = ctx.tile().z();
    int[] keys = table.keyIndexes(out);
    PointClusters.Level level = clusters == null ? null : clusters.level(z);
    if (z >= INDIVIDUAL_ZOOM || level == null) {
      index.queryOrdinals(ctx.bufferedLonLat(), o -> writePoint(ctx, slotOfOrdinal[o], keys, out));
      return;
    }
    renderCells(ctx, level, keys, out);
    individuals.query(ctx.bufferedMercator(), item -> writePoint(ctx, (Integer) item, keys, out));
  }

  /** One point with its own id and attributes; reads only slot arrays, never the Feature. */
  private void writePoint(RenderContext ctx, int slot, int[] keys, MvtLayerWriter out) {
    if (personal[slot]) {
      return;
    }
    IntList g = ctx.geometry();
    if (ctx.point(xs[slot], ys[slot], g)) {
      table.write(slot, keys, out, dictionary);
      out.feature(ids[slot], Commands.POINT, g);
    }
  }

  /** The tile's 16x16 cells and one ring of buffer cells around them, row by row. */
  private void renderCells(
      RenderContext ctx, PointClusters.Level level, int[] keys, MvtLayerWriter out) {
    int z = ctx.tile().z();
    int countKey = out.keyIndex("count");
    int categoryKey = categoryName == null ? -1 : out.keyIndex(categoryName);
    int cellsAcross = 1 << (z + PointClusters.CELL_SHIFT);
    int x0 = ctx.tile().x() << PointClusters.CELL_SHIFT;
    int y0 = ctx.tile().y() << PointClusters.CELL_SHIFT;
    int ring = Math.max(1, ctx.buffer() / PointClusters.CELL_UNITS);
    int cx0 = Math.max(0, x0 - ring);
    int cx1 = Math.min(cellsAcross - 1, x0 + (1 << PointClusters.CELL_SHIFT) - 1 + ring);
    int cy0 = Math.max(0, y0 - ring);
    int cy1 = Math.min(cellsAcross - 1, y0 + (1 << PointClusters.CELL_SHIFT) - 1 + ring);
    for (int cy = cy0; cy <= cy1; cy++) {
      long rowKey = (long) cy << 20;
      int from = level.lowerBound(rowKey | cx0);
      if (from >= level.size() || level.keys[from] > (rowKey | cx1)) {
        continue;
      }
      int to = level.lowerBound(rowKey | (cx1 + 1));
      for (int c = from; c < to; c++) {
        if (level.counts[c] == 1) {
          writePoint(ctx, level.single[c], keys, out);
          continue;
        }
        int cx = (int) (level.keys[c] & 0xFFFFF);
        // the mean of the cell's points lies in the cell; clamp its rounded position into the
        // cell too, so a cluster is drawn in exactly one tile (plus neighbours' buffers)
        int ux = (cx - x0) * PointClusters.CELL_UNITS;
        int uy = (cy - y0) * PointClusters.CELL_UNITS;
        int x =
            clamp(
                (int) Math.floor(ctx.transform().x(level.meanX[c]) + 0.5),
                ux,
                ux + PointClusters.CELL_UNITS - 1);
        int y =
            clamp(
                (int) Math.floor(ctx.transform().y(level.meanY[c]) + 0.5),
                uy,
                uy + PointClusters.CELL_UNITS - 1);
        IntList g = ctx.geometry();
        Commands.point(g, x, y);
        out.tagShared(countKey, countBase + level.counts[c], dictionary);
        if (categoryKey >= 0 && level.category[c] >= 0) {
          out.tagShared(categoryKey, categoryBase + level.category[c], dictionary);
        }
        out.feature(ClusterIds.of(z, cx, cy), Commands.POINT, g);
      }
    }
  }

  private static int clamp(int v, int lo, int hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
