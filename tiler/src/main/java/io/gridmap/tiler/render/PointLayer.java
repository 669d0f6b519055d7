package io.gridmap.tiler.render;

import io.gridmap.layers.index.LongTrie;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.tiler.encode.Commands;
import io.gridmap.tiler.encode.IntList;
import io.gridmap.tiler.encode.MvtLayerWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.locationtech.jts.geom.Envelope;

/**
 * A point layer (key sites, forces, events) as one visibility class's tiles draw it: one immutable
 * version, made by {@link LivePoints} from scratch or from the version before by a change.
 *
 * <p>From {@link #INDIVIDUAL_ZOOM} every point is drawn with its own id and attributes; below it
 * points are aggregated into one feature per 256-unit cell (see {@link PointClusters}): a cell
 * holding one point draws that point as itself, a cell holding more draws a cluster at their mean
 * position (clamped into the cell) with a {@code count} attribute (always at least 2), the most
 * common value of the layer's category field, and an id from {@link ClusterIds}. Points the layer
 * never clusters (open urgent incidents) are drawn individually at every zoom, and so is every
 * point of a layer that is not {@link LayerDef#clustered()} (an imported roster: no cells, no
 * count). Which points a class draws at all is {@link PointRules}'.
 *
 * <p>Three persistent structures, each a {@link LongTrie} sharing all it can with the version
 * before: every drawn point in buckets of a z16 tile (read at z14), the never-clustered ones alike
 * (read at every zoom), and per clustered zoom the cells in blocks of one tile (a tile reads its
 * own block and a ring of cells from its eight neighbours).
 */
public final class PointLayer implements SourceLayer {
  /** First zoom drawing every point individually. */
  public static final int INDIVIDUAL_ZOOM = PointClusters.LAST_ZOOM + 1;

  /** Width of a cluster cell in tile units (16 cells across a tile). */
  public static final int CELL_UNITS = PointClusters.CELL_UNITS;

  /** What every version of a layer shares. */
  static final class Shape {
    final LayerDef def;
    final TileAttributes attributes;
    final String[] keys;
    final int[] fields;
    final int width;

    /** Position among the tiled attributes of the field a cluster summarises, or -1. */
    final int categoryAttr;

    final ValueDictionary dict = new ValueDictionary();

    /** Clustered zooms, {@code clusterMin > clusterMax} when none. */
    final int clusterMin;

    final int clusterMax;

    Shape(LayerDef def) {
      this.def = def;
      this.attributes = new TileAttributes(def);
      this.fields = attributes.indexes();
      this.keys = attributes.names();
      this.width = fields.length;
      int cat = categoryField(def);
      int at = -1;
      for (int k = 0; k < width; k++) {
        if (fields[k] == cat) {
          at = k;
        }
      }
      this.categoryAttr = at;
      // a layer that is not clustered (an imported roster) has no clustered zoom: every point is
      // drawn itself wherever the layer is drawn
      this.clusterMin = def.clustered() ? def.minZoom() : PointClusters.LAST_ZOOM + 1;
      this.clusterMax = def.clustered() ? Math.min(def.maxZoom(), PointClusters.LAST_ZOOM) : 0;
    }

    boolean clustered(int z) {
      return z >= clusterMin && z <= clusterMax;
    }
  }

  final Shape shape;
  final LongTrie<PointBucket> all;
  final LongTrie<PointBucket> individuals;

  /** Cells per clustered zoom, index {@code z - clusterMin}. */
  final LongTrie<CellBlock>[] cells;

  PointLayer(
      Shape shape,
      LongTrie<PointBucket> all,
      LongTrie<PointBucket> individuals,
      LongTrie<CellBlock>[] cells) {
    this.shape = shape;
    this.all = all;
    this.individuals = individuals;
    this.cells = cells;
  }

  /**
   * The field a cluster summarises: {@code category} if the layer has it in tiles, else {@code
   * role}.
   */
  static int categoryField(LayerDef def) {
    for (String name : new String[] {"category", "role"}) {
      int i = def.fieldIndex(name);
      if (i >= 0 && def.fields().get(i).inTiles() && !def.fields().get(i).personal()) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String name() {
    return shape.def.name();
  }

  /** True when below {@link #INDIVIDUAL_ZOOM} the layer draws cells of points (clusters). */
  public boolean clustered() {
    return shape.def.clustered();
  }

  @Override
  public String description() {
    if (!clustered()) {
      return shape.def.title() + "; every point drawn at every zoom";
    }
    return shape.def.title()
        + "; below z"
        + INDIVIDUAL_ZOOM
        + " aggregated per 256-unit cell (count)";
  }

  @Override
  public int minZoom() {
    return shape.def.minZoom();
  }

  @Override
  public int maxZoom() {
    return shape.def.maxZoom();
  }

  @Override
  public boolean live() {
    return shape.def.live();
  }

  @Override
  public Map<String, String> fields() {
    Map<String, String> f = new LinkedHashMap<>(shape.attributes.descriptions());
    if (!clustered()) {
      return f;
    }
    f.put(
        "count",
        "below z" + INDIVIDUAL_ZOOM + ": number of points in a cluster (absent on single points)");
    return f;
  }

  @Override
  public void render(RenderContext ctx, MvtLayerWriter out) {
    int z = ctx.tile().z();
    // every value id of this version was added before the version was published
    byte[][] dictionary = shape.dict.encoded();
    int[] keys = new int[shape.width];
    for (int k = 0; k < keys.length; k++) {
      keys[k] = out.keyIndex(shape.keys[k]);
    }
    if (!shape.clustered(z)) {
      drawBuckets(all, ctx, keys, dictionary, out);
      return;
    }
    renderCells(ctx, cells[z - shape.clusterMin], keys, dictionary, out);
    drawBuckets(individuals, ctx, keys, dictionary, out);
  }

  /** The points of the buckets under the buffered tile that lie in it. */
  private void drawBuckets(
      LongTrie<PointBucket> trie,
      RenderContext ctx,
      int[] keys,
      byte[][] dictionary,
      MvtLayerWriter out) {
    Envelope e = ctx.bufferedMercator();
    int s = PointClusters.BUCKET_SHIFT;
    trie.forEachInRect(
        PointClusters.deepX(e.getMinX()) >> s,
        PointClusters.deepY(e.getMaxY()) >> s,
        PointClusters.deepX(e.getMaxX()) >> s,
        PointClusters.deepY(e.getMinY()) >> s,
        (bx, by, b) -> {
          for (int i = 0; i < b.ord.length; i++) {
            double x = b.x[i];
            double y = b.y[i];
            if (x >= e.getMinX() && x <= e.getMaxX() && y >= e.getMinY() && y <= e.getMaxY()) {
              writePoint(ctx, x, y, b.id[i], b.attrs, i * shape.width, keys, dictionary, out);
            }
          }
        });
  }

  /** One point with its own id and attributes, if its rounded position lies in the buffer. */
  private void writePoint(
      RenderContext ctx,
      double x,
      double y,
      long id,
      int[] attrs,
      int at,
      int[] keys,
      byte[][] dictionary,
      MvtLayerWriter out) {
    IntList g = ctx.geometry();
    if (ctx.point(x, y, g)) {
      for (int k = 0; k < keys.length; k++) {
        int v = attrs[at + k];
        if (v >= 0) {
          out.tagShared(keys[k], v, dictionary[v]);
        }
      }
      out.feature(id, Commands.POINT, g);
    }
  }

  /**
   * The tile's 16x16 cells and the ring of neighbouring cells that reaches into its buffer, row by
   * row; a cell's feature is drawn only where it lies in the buffered tile, as a point's is.
   */
  private void renderCells(
      RenderContext ctx,
      LongTrie<CellBlock> level,
      int[] keys,
      byte[][] dictionary,
      MvtLayerWriter out) {
    int z = ctx.tile().z();
    int tiles = 1 << z;
    int tx = ctx.tile().x();
    int ty = ctx.tile().y();
    int shift = PointClusters.CELL_SHIFT;
    int across = 1 << shift;
    int cellsAcross = 1 << (z + shift);
    int x0 = tx << shift;
    int y0 = ty << shift;
    // cells reaching into the buffer: one ring for any buffer up to a cell
    int ring =
        Math.min(
            across,
            Math.max(1, (ctx.buffer() + PointClusters.CELL_UNITS - 1) / PointClusters.CELL_UNITS));
    int cx0 = Math.max(0, x0 - ring);
    int cx1 = Math.min(cellsAcross - 1, x0 + across - 1 + ring);
    int cy0 = Math.max(0, y0 - ring);
    int cy1 = Math.min(cellsAcross - 1, y0 + across - 1 + ring);
    // the tile's block and its eight neighbours'
    CellBlock[] near = new CellBlock[9];
    for (int dy = -1; dy <= 1; dy++) {
      for (int dx = -1; dx <= 1; dx++) {
        int bx = tx + dx;
        int by = ty + dy;
        if (bx >= 0 && bx < tiles && by >= 0 && by < tiles) {
          near[(dy + 1) * 3 + dx + 1] = level.getCell(bx, by);
        }
      }
    }
    int countKey = out.keyIndex("count");
    int categoryKey = shape.categoryAttr < 0 ? -1 : out.keyIndex(shape.keys[shape.categoryAttr]);
    int w = shape.width;
    int lo = -ctx.buffer();
    int hi = ctx.extent() + ctx.buffer();
    for (int cy = cy0; cy <= cy1; cy++) {
      int row = (cy >> shift) - ty + 1;
      int ly = cy & (across - 1);
      for (int col = 0; col < 3; col++) {
        CellBlock b = near[row * 3 + col];
        if (b == null) {
          continue;
        }
        int bx0 = (tx + col - 1) << shift;
        int a = Math.max(cx0, bx0);
        int c = Math.min(cx1, bx0 + across - 1);
        if (a > c) {
          continue;
        }
        int from = b.lowerBound((ly << shift) + (a - bx0));
        int to = b.lowerBound((ly << shift) + (c - bx0) + 1);
        for (int i = from; i < to; i++) {
          int n = b.count[i];
          if (n == 1) {
            // the sums of a cell of one point are that point's position, id and values
            writePoint(
                ctx,
                b.sumX[i] / CellBlock.FIXED,
                b.sumY[i] / CellBlock.FIXED,
                b.sumId[i],
                b.attrSum,
                i * w,
                keys,
                dictionary,
                out);
            continue;
          }
          int cx = bx0 + (b.local[i] & (across - 1));
          // the mean of the cell's points lies in the cell; clamp its rounded position into the
          // cell too, so a cluster is drawn in exactly one tile (plus neighbours' buffers)
          int ux = (cx - x0) * PointClusters.CELL_UNITS;
          int uy = (cy - y0) * PointClusters.CELL_UNITS;
          double meanX = b.sumX[i] / CellBlock.FIXED / n;
          double meanY = b.sumY[i] / CellBlock.FIXED / n;
          int x =
              clamp(
                  (int) Math.floor(ctx.transform().x(meanX) + 0.5),
                  ux,
                  ux + PointClusters.CELL_UNITS - 1);
          int y =
              clamp(
                  (int) Math.floor(ctx.transform().y(meanY) + 0.5),
                  uy,
                  uy + PointClusters.CELL_UNITS - 1);
          if (x < lo || y < lo || x > hi || y > hi) {
            // a cell of the ring reaches 256 units out but the buffer only 64: a cluster drawn
            // beyond the buffer is never seen here (its own tile draws it), and was about 7% of
            // the point features of a z8-z13 tile
            continue;
          }
          IntList g = ctx.geometry();
          Commands.point(g, x, y);
          out.tagShared(countKey, ValueDictionary.COUNT_BASE + n, ValueDictionary.count(n));
          int mode = b.mode[i];
          if (categoryKey >= 0 && mode >= 0) {
            out.tagShared(categoryKey, mode, dictionary[mode]);
          }
          out.feature(ClusterIds.of(z, cx, cy), Commands.POINT, g);
        }
      }
    }
  }

  private static int clamp(int v, int lo, int hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
