package io.gridmap.tiler.render;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.index.LongTrie;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.tiler.encode.MvtLayerWriter;
import io.gridmap.tiler.geo.TileCoord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.stream.IntStream;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;

/**
 * Keeps one point layer's tiles of one visibility class up to date, change by change: builds the
 * first {@link PointLayer} from scratch, then makes each next version from the one before by the
 * points a change moved, restyled, added, showed or hid, and says which tiles that touched.
 *
 * <p>What a changed point costs: two buckets (where it was, where it is) and up to two cells per
 * clustered zoom copied with their paths in the tries; a batch copies each once. Which tiles it
 * touched: at z14 (and at every zoom for a point never clustered) the tiles whose buffer holds its
 * old or new place; at a clustered zoom the tiles that draw its old or new cell (the cell's own and
 * those whose ring of buffer cells holds it). A change that alters nothing a tile shows (a force's
 * {@code updated_at}) touches none.
 *
 * <p>Time: a finished incident leaves the tiles when its window ends ({@link PointRules}). Each one
 * shown is queued by that moment; {@link #expire} (and every {@link #apply}) takes the due ones out
 * as changes of their own, so nothing waits for an unrelated change. The clock is taken to move
 * forward.
 *
 * <p>Not thread-safe: one thread (the tile service's writer side) calls it; the versions it makes
 * are immutable and may be read by any number of threads once published.
 */
public final class LivePoints {
  /** Ordinals pack into the low bits of sort keys. */
  private static final int ORDINAL_BITS = 24;

  private static final long ORDINAL_MASK = (1L << ORDINAL_BITS) - 1;

  private final PointLayer.Shape shape;
  private final PointRules rules;
  private final int buffer;
  private final int ring;
  private LayerIndex index;
  private PointLayer current;
  private byte[] kinds;
  private final PriorityQueue<Expiry> expiries = new PriorityQueue<>();

  private record Expiry(long at, int ordinal) implements Comparable<Expiry> {
    @Override
    public int compareTo(Expiry o) {
      return at != o.at ? Long.compare(at, o.at) : Integer.compare(ordinal, o.ordinal);
    }
  }

  /**
   * A new version and the tiles whose bytes of this layer it changed.
   *
   * @param touchedTiles {@link TileCoord#encoded()} of each touched tile, ascending, no repeats
   */
  public record Update(PointLayer layer, long[] touchedTiles) {}

  /** What a tile draws of one point. */
  private record Entry(double x, double y, long id, int[] attrs) {
    boolean sameAs(Entry o) {
      return o != null
          && Double.compare(x, o.x) == 0
          && Double.compare(y, o.y) == 0
          && id == o.id
          && Arrays.equals(attrs, o.attrs);
    }
  }

  private LivePoints(PointLayer.Shape shape, PointRules rules, int buffer) {
    this.shape = shape;
    this.rules = rules;
    this.buffer = buffer;
    this.ring =
        Math.min(1 << PointClusters.CELL_SHIFT, Math.max(1, buffer / PointClusters.CELL_UNITS));
  }

  /**
   * The layer's tiles built from scratch at time {@code now} (epoch milliseconds).
   *
   * @param buffer the tiles' buffer in units of {@link MvtLayerWriter#EXTENT}
   */
  public static LivePoints build(
      LayerDef def, LayerIndex index, PointRules rules, int buffer, long now) {
    LivePoints lp = new LivePoints(new PointLayer.Shape(def), rules, buffer);
    lp.buildFrom(index, now);
    return lp;
  }

  /** The version readers should see now. */
  public PointLayer layer() {
    return current;
  }

  /** The index version the layer reflects. */
  public LayerIndex index() {
    return index;
  }

  /**
   * When the next shown point leaves by age alone (epoch milliseconds); {@link Long#MAX_VALUE} when
   * none will.
   */
  public long nextExpiry() {
    while (!expiries.isEmpty()) {
      Expiry e = expiries.peek();
      if (valid(e)) {
        return e.at();
      }
      expiries.poll();
    }
    return Long.MAX_VALUE;
  }

  private boolean valid(Expiry e) {
    int o = e.ordinal();
    return o < index.size()
        && kinds[o] != PointRules.HIDDEN
        && rules.expiresAt(index.feature(o)) == e.at();
  }

  /**
   * Moves the layer onto {@code next}, an index version in which the features of {@code ids} were
   * replaced or added (every other feature as in {@link #index()}), and takes out the points whose
   * time is up at {@code now}.
   *
   * @throws IllegalArgumentException for an id {@code next} lacks
   */
  public Update apply(LayerIndex next, Collection<Long> ids, long now) {
    if (next.size() < index.size()) {
      throw new IllegalArgumentException(
          "layer " + next.name() + " shrank from " + index.size() + " to " + next.size());
    }
    int[] ordinals = new int[ids.size()];
    int i = 0;
    for (long id : ids) {
      int o = next.ordinalOf(id);
      if (o < 0) {
        throw new IllegalArgumentException("layer " + next.name() + " has no feature " + id);
      }
      ordinals[i++] = o;
    }
    return update(next, concat(ordinals, due(now)), now);
  }

  /** Takes out the points whose time is up at {@code now}. */
  public Update expire(long now) {
    int[] due = due(now);
    if (due.length == 0) {
      return new Update(current, new long[0]);
    }
    return update(index, due, now);
  }

  private int[] due(long now) {
    List<Integer> out = new ArrayList<>();
    while (!expiries.isEmpty() && expiries.peek().at() <= now) {
      Expiry e = expiries.poll();
      if (valid(e)) {
        out.add(e.ordinal());
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int[] concat(int[] a, int[] b) {
    int[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    Arrays.sort(all);
    int n = 0;
    for (int i = 0; i < all.length; i++) {
      if (i == 0 || all[i] != all[i - 1]) {
        all[n++] = all[i];
      }
    }
    return Arrays.copyOf(all, n);
  }

  private Entry entry(Feature f) {
    Geometry g = f.geometry();
    Point p = g instanceof Point pt ? pt : g.getInteriorPoint();
    int[] attrs = new int[shape.width];
    for (int k = 0; k < attrs.length; k++) {
      Object v = f.value(shape.fields[k]);
      attrs[k] = v == null ? -1 : shape.dict.idOf(v);
    }
    return new Entry(WebMercator.x(p.getX()), WebMercator.y(p.getY()), f.id(), attrs);
  }

  private Update update(LayerIndex next, int[] ordinals, long now) {
    if (kinds.length < next.size()) {
      kinds = Arrays.copyOf(kinds, Math.max(next.size(), kinds.length + kinds.length / 2 + 16));
    }
    Delta delta = new Delta();
    for (int o : ordinals) {
      byte was = o < index.size() ? kinds[o] : PointRules.HIDDEN;
      Feature f = next.feature(o);
      byte is = rules.kind(f, now);
      Entry before = was == PointRules.HIDDEN ? null : entry(index.feature(o));
      Entry after = is == PointRules.HIDDEN ? null : entry(f);
      if (is != PointRules.HIDDEN) {
        long at = rules.expiresAt(f);
        if (at != Long.MAX_VALUE) {
          expiries.add(new Expiry(at, o));
        }
      }
      if (was == is && (before == null || before.sameAs(after))) {
        continue; // nothing a tile shows changed
      }
      if (before != null) {
        delta.put(o, was, before, -1);
      }
      if (after != null) {
        delta.put(o, is, after, +1);
      }
      kinds[o] = is;
    }
    index = next;
    if (delta.isEmpty()) {
      return new Update(current, new long[0]);
    }
    current = delta.applyTo(current);
    return new Update(current, delta.touched());
  }

  /** What one batch does to the layer's tries, and the tiles it touches. */
  private final class Delta {
    private final Map<Long, PointBucket.Edit> all = new HashMap<>();
    private final Map<Long, PointBucket.Edit> individuals = new HashMap<>();
    private final List<Map<Long, CellBlock.Edit>> cells = new ArrayList<>();
    private long[] touched = new long[64];
    private int nTouched;

    Delta() {
      for (int z = shape.clusterMin; z <= shape.clusterMax; z++) {
        cells.add(new HashMap<>());
      }
    }

    boolean isEmpty() {
      return all.isEmpty() && individuals.isEmpty();
    }

    /** One point leaving ({@code sign} -1) or entering (+1) the layer as {@code kind}. */
    void put(int o, byte kind, Entry e, int sign) {
      int dx = PointClusters.deepX(e.x());
      int dy = PointClusters.deepY(e.y());
      long bucket =
          LongTrie.cellKey(
              dx >> PointClusters.BUCKET_SHIFT,
              dy >> PointClusters.BUCKET_SHIFT,
              PointClusters.BUCKET_LEVELS);
      edit(all, bucket, o, e, sign);
      LayerDef def = shape.def;
      if (def.maxZoom() >= PointLayer.INDIVIDUAL_ZOOM) {
        pointTiles(e, PointLayer.INDIVIDUAL_ZOOM);
      }
      if (!def.clustered()) {
        // drawn itself at every zoom of the layer below z14 as well
        for (int z = def.minZoom();
            z < Math.min(def.maxZoom() + 1, PointLayer.INDIVIDUAL_ZOOM);
            z++) {
          pointTiles(e, z);
        }
      }
      if (kind == PointRules.INDIVIDUAL) {
        edit(individuals, bucket, o, e, sign);
        for (int z = shape.clusterMin; z <= shape.clusterMax; z++) {
          pointTiles(e, z);
        }
        return;
      }
      long fx = CellBlock.fixed(e.x());
      long fy = CellBlock.fixed(e.y());
      int category = shape.categoryAttr < 0 ? -1 : e.attrs()[shape.categoryAttr];
      int shift = PointClusters.CELL_SHIFT;
      for (int z = shape.clusterMin; z <= shape.clusterMax; z++) {
        int cx = dx >> (PointClusters.LAST_ZOOM - z);
        int cy = dy >> (PointClusters.LAST_ZOOM - z);
        long tile = LongTrie.cellKey(cx >> shift, cy >> shift, PointClusters.tileLevels(z));
        int local = ((cy & 15) << shift) | (cx & 15);
        cells
            .get(z - shape.clusterMin)
            .computeIfAbsent(tile, k -> new CellBlock.Edit(shape.width))
            .add(local, sign, fx, fy, e.id(), e.attrs(), category);
        cellTiles(cx, cy, z);
      }
    }

    private void edit(Map<Long, PointBucket.Edit> edits, long key, int o, Entry e, int sign) {
      PointBucket.Edit b = edits.computeIfAbsent(key, k -> new PointBucket.Edit(shape.width));
      if (sign < 0) {
        b.remove(o);
      } else {
        b.insert(o, e.x(), e.y(), e.id(), e.attrs());
      }
    }

    /** Tiles at zoom z whose buffer (plus a unit for rounding) holds the point. */
    private void pointTiles(Entry e, int z) {
      double grow = TileCoord.size(z) * (buffer + 1) / MvtLayerWriter.EXTENT;
      TileCoord nw = TileCoord.containing(e.x() - grow, e.y() + grow, z);
      TileCoord se = TileCoord.containing(e.x() + grow, e.y() - grow, z);
      for (int x = nw.x(); x <= se.x(); x++) {
        for (int y = nw.y(); y <= se.y(); y++) {
          touch(new TileCoord(z, x, y).encoded());
        }
      }
    }

    /** Tiles at zoom z that draw cell (cx, cy): its own and those whose ring of cells holds it. */
    private void cellTiles(int cx, int cy, int z) {
      int max = (1 << z) - 1;
      int shift = PointClusters.CELL_SHIFT;
      int x0 = Math.max(0, (cx - ring) >> shift);
      int x1 = Math.min(max, (cx + ring) >> shift);
      int y0 = Math.max(0, (cy - ring) >> shift);
      int y1 = Math.min(max, (cy + ring) >> shift);
      for (int x = x0; x <= x1; x++) {
        for (int y = y0; y <= y1; y++) {
          touch(new TileCoord(z, x, y).encoded());
        }
      }
    }

    private void touch(long tile) {
      if (nTouched == touched.length) {
        touched = Arrays.copyOf(touched, nTouched * 2);
      }
      touched[nTouched++] = tile;
    }

    long[] touched() {
      long[] t = Arrays.copyOf(touched, nTouched);
      Arrays.sort(t);
      int n = 0;
      for (int i = 0; i < t.length; i++) {
        if (i == 0 || t[i] != t[i - 1]) {
          t[n++] = t[i];
        }
      }
      return Arrays.copyOf(t, n);
    }

    PointLayer applyTo(PointLayer from) {
      @SuppressWarnings("unchecked")
      LongTrie<CellBlock>[] levels = from.cells.clone();
      for (int i = 0; i < levels.length; i++) {
        Map<Long, CellBlock.Edit> edits = cells.get(i);
        if (edits.isEmpty()) {
          continue;
        }
        LongTrie<CellBlock> level = levels[i];
        LongTrie.Editor<CellBlock> ed = level.edit();
        edits.forEach(
            (key, edit) -> {
              CellBlock b = edit.applyTo(level.get(key), shape.dict);
              if (b == null) {
                ed.remove(key);
              } else {
                ed.put(key, b);
              }
            });
        levels[i] = ed.build();
      }
      return new PointLayer(
          shape, buckets(from.all, all), buckets(from.individuals, individuals), levels);
    }

    private LongTrie<PointBucket> buckets(
        LongTrie<PointBucket> from, Map<Long, PointBucket.Edit> edits) {
      if (edits.isEmpty()) {
        return from;
      }
      LongTrie.Editor<PointBucket> ed = from.edit();
      edits.forEach(
          (key, edit) -> {
            PointBucket b = edit.applyTo(from.get(key));
            if (b == null) {
              ed.remove(key);
            } else {
              ed.put(key, b);
            }
          });
      return ed.build();
    }
  }

  // ---- building from scratch ----

  private void buildFrom(LayerIndex li, long now) {
    int n = li.size();
    if (n >= (1 << ORDINAL_BITS)) {
      throw new IllegalArgumentException(
          "layer " + li.name() + " has " + n + " points; tiles pack ordinals into 24 bits");
    }
    int w = shape.width;
    byte[] kind = new byte[n];
    double[] xs = new double[n];
    double[] ys = new double[n];
    IntStream.range(0, n)
        .parallel()
        .forEach(
            o -> {
              Feature f = li.feature(o);
              kind[o] = rules.kind(f, now);
              if (kind[o] != PointRules.HIDDEN) {
                Geometry g = f.geometry();
                Point p = g instanceof Point pt ? pt : g.getInteriorPoint();
                xs[o] = WebMercator.x(p.getX());
                ys[o] = WebMercator.y(p.getY());
              }
            });
    // value ids in ordinal order, one thread: the dictionary is the same on every build
    int[] attrs = new int[n * w];
    List<Expiry> timed = new ArrayList<>();
    for (int o = 0; o < n; o++) {
      if (kind[o] == PointRules.HIDDEN) {
        continue;
      }
      Feature f = li.feature(o);
      for (int k = 0; k < w; k++) {
        Object v = f.value(shape.fields[k]);
        attrs[o * w + k] = v == null ? -1 : shape.dict.idOf(v);
      }
      long at = rules.expiresAt(f);
      if (at != Long.MAX_VALUE) {
        timed.add(new Expiry(at, o));
      }
    }
    int[] dx = new int[n];
    int[] dy = new int[n];
    for (int o = 0; o < n; o++) {
      dx[o] = PointClusters.deepX(xs[o]);
      dy[o] = PointClusters.deepY(ys[o]);
    }
    LongTrie<PointBucket> all =
        bulkBuckets(li, kind, xs, ys, attrs, dx, dy, PointRules.CLUSTERED, PointRules.INDIVIDUAL);
    LongTrie<PointBucket> individuals =
        bulkBuckets(li, kind, xs, ys, attrs, dx, dy, PointRules.INDIVIDUAL, PointRules.INDIVIDUAL);
    int zooms = Math.max(0, shape.clusterMax - shape.clusterMin + 1);
    @SuppressWarnings("unchecked")
    LongTrie<CellBlock>[] cells = new LongTrie[zooms];
    IntStream.range(0, zooms)
        .parallel()
        .forEach(i -> cells[i] = bulkCells(li, shape.clusterMin + i, kind, xs, ys, attrs, dx, dy));
    this.index = li;
    this.kinds = kind;
    this.expiries.clear();
    this.expiries.addAll(timed);
    this.current = new PointLayer(shape, all, individuals, cells);
  }

  /** Buckets of the points whose kind is {@code a} or {@code b}, each bucket by ordinal. */
  private LongTrie<PointBucket> bulkBuckets(
      LayerIndex li,
      byte[] kind,
      double[] xs,
      double[] ys,
      int[] attrs,
      int[] dx,
      int[] dy,
      byte a,
      byte b) {
    int n = kind.length;
    long[] keyed = new long[n];
    int m = 0;
    for (int o = 0; o < n; o++) {
      if (kind[o] == a || kind[o] == b) {
        long key =
            LongTrie.cellKey(
                dx[o] >> PointClusters.BUCKET_SHIFT,
                dy[o] >> PointClusters.BUCKET_SHIFT,
                PointClusters.BUCKET_LEVELS);
        keyed[m++] = (key << ORDINAL_BITS) | o;
      }
    }
    keyed = Arrays.copyOf(keyed, m);
    Arrays.parallelSort(keyed);
    LongTrie.Editor<PointBucket> ed =
        LongTrie.<PointBucket>empty(PointClusters.BUCKET_LEVELS).edit();
    int w = shape.width;
    for (int i = 0; i < m; ) {
      long key = keyed[i] >>> ORDINAL_BITS;
      int j = i;
      while (j < m && (keyed[j] >>> ORDINAL_BITS) == key) {
        j++;
      }
      PointBucket.Builder bb = new PointBucket.Builder(w, j - i);
      for (int k = i; k < j; k++) {
        int o = (int) (keyed[k] & ORDINAL_MASK);
        bb.add(o, xs[o], ys[o], li.feature(o).id(), attrs, o * w);
      }
      ed.put(key, bb.build());
      i = j;
    }
    return ed.build();
  }

  /** The cells of one zoom from the clustered points, summed from scratch. */
  private LongTrie<CellBlock> bulkCells(
      LayerIndex li,
      int z,
      byte[] kind,
      double[] xs,
      double[] ys,
      int[] attrs,
      int[] dx,
      int[] dy) {
    int n = kind.length;
    int shift = PointClusters.CELL_SHIFT;
    int levels = PointClusters.tileLevels(z);
    long[] keyed = new long[n];
    int m = 0;
    for (int o = 0; o < n; o++) {
      if (kind[o] == PointRules.CLUSTERED) {
        int cx = dx[o] >> (PointClusters.LAST_ZOOM - z);
        int cy = dy[o] >> (PointClusters.LAST_ZOOM - z);
        long tile = LongTrie.cellKey(cx >> shift, cy >> shift, levels);
        long local = ((cy & 15) << shift) | (cx & 15);
        keyed[m++] = (((tile << 8) | local) << ORDINAL_BITS) | o;
      }
    }
    keyed = Arrays.copyOf(keyed, m);
    Arrays.sort(keyed);
    int w = shape.width;
    int catAt = shape.categoryAttr;
    LongTrie.Editor<CellBlock> ed = LongTrie.<CellBlock>empty(levels).edit();
    CellBlock.Builder block = new CellBlock.Builder(w, shape.dict);
    long blockTile = -1;
    int[] sums = new int[w];
    int[] cats = new int[16];
    int[] catList = new int[16];
    int[] counts = new int[16];
    for (int i = 0; i < m; ) {
      long cell = keyed[i] >>> ORDINAL_BITS;
      long tile = cell >>> 8;
      if (tile != blockTile) {
        if (!block.isEmpty()) {
          ed.put(blockTile, block.build());
        }
        block = new CellBlock.Builder(w, shape.dict);
        blockTile = tile;
      }
      int j = i;
      while (j < m && (keyed[j] >>> ORDINAL_BITS) == cell) {
        j++;
      }
      long sx = 0;
      long sy = 0;
      long sid = 0;
      Arrays.fill(sums, 0);
      if (cats.length < j - i) {
        cats = new int[(j - i) * 2];
      }
      int nc = 0;
      for (int k = i; k < j; k++) {
        int o = (int) (keyed[k] & ORDINAL_MASK);
        sx += CellBlock.fixed(xs[o]);
        sy += CellBlock.fixed(ys[o]);
        sid += li.feature(o).id();
        for (int q = 0; q < w; q++) {
          sums[q] += attrs[o * w + q];
        }
        if (catAt >= 0 && attrs[o * w + catAt] >= 0) {
          cats[nc++] = attrs[o * w + catAt];
        }
      }
      Arrays.sort(cats, 0, nc);
      int h = 0;
      for (int k = 0; k < nc; k++) {
        if (k == 0 || cats[k] != cats[k - 1]) {
          if (h == catList.length) {
            catList = Arrays.copyOf(catList, h * 2);
            counts = Arrays.copyOf(counts, h * 2);
          }
          catList[h] = cats[k];
          counts[h++] = 0;
        }
        counts[h - 1]++;
      }
      block.cell((int) (cell & 0xFF), j - i, sx, sy, sid, sums, 0, catList, counts, h);
      i = j;
    }
    if (!block.isEmpty()) {
      ed.put(blockTile, block.build());
    }
    return ed.build();
  }
}
