package io.gridmap.layers.index;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.GeometryKind;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.index.hprtree.HPRtree;

/**
 * One layer held in memory: its features, a lookup by id, and a spatial index over their lon/lat
 * envelopes. A version never changes: {@link #withReplaced} makes the next one, and readers holding
 * this one keep a consistent view.
 *
 * <p>Features are addressed by their ordinal (position in {@link #features()}); an added feature
 * takes the next ordinal. The id lookup is a sorted {@code long[]} searched by bisection (for 500k
 * points 6 MB instead of about 40 MB for a {@code HashMap<Long, Feature>}), plus a {@link LongTrie}
 * of the ids added since the layer was built.
 *
 * <p>Two spatial indexes, one per kind of layer:
 *
 * <ul>
 *   <li><b>Point layers</b> (forces, events, key sites: live, and a million each at the seed's
 *       volumes) keep a persistent grid: cells of 360/2^16 degrees of longitude by 180/2^16 of
 *       latitude (about 550 × 300 m at Chongqing) in a {@link LongTrie}, each cell a small bucket
 *       of ordinals and coordinates. A moved point copies its feature's chunk of the list, its two
 *       buckets and their paths in the trie; a batch of moves costs microseconds per point however
 *       large the layer. (The packed R-tree they had before was rebuilt for every batch: 150 ms for
 *       200k forces.)
 *   <li><b>Polygon layers</b> (the admin levels, edited rarely) keep a packed {@link HPRtree},
 *       rebuilt by a change. {@link #packed(Layer)} gives a point layer that index too: the
 *       mechanism before the grid, kept as the baseline that benchmarks measure against.
 * </ul>
 *
 * <p>Both answer the same queries: the features whose envelope intersects a lon/lat envelope. A
 * version made by changes answers exactly as a layer built from scratch over the same features.
 */
public final class LayerIndex {
  /** Grid cells across the world on each axis, as a power of two. */
  private static final int GRID_BITS = 16;

  private static final int GRID_CELLS = 1 << GRID_BITS;
  private static final int GRID_LEVELS = LongTrie.levelsForAxisBits(GRID_BITS);

  /** Feature ids are below 2^52: nine 6-bit digits. */
  private static final int ID_LEVELS = 9;

  /** Ordinals pack into the low bits of a sort key with a grid cell. */
  private static final int ORDINAL_BITS = 24;

  private final LayerDef def;
  private final ChunkedList<Feature> features;
  private final List<Feature> view;
  private final long[] sortedIds;
  private final int[] ordinalBySortedId;
  private final LongTrie<Integer> addedIds;
  private final long maxId;

  /** Packed index (polygon layers, and {@link #packed}): null for a grid. */
  private final HPRtree tree;

  private final Envelope packedBounds;

  /** Grid index of point layers: null when packed. */
  private final LongTrie<Bucket> grid;

  /** Ordinals, ascending, of features in a grid layer that are neither points nor empty. */
  private final int[] odd;

  /** The grid layer's bounds, worked out on first use. */
  private volatile Envelope gridBounds;

  /** Which polygon holds a point (polygon layers), made on first use; see {@link #cells()}. */
  private volatile CellIndex cells;

  private LayerIndex(
      LayerDef def,
      ChunkedList<Feature> features,
      long[] sortedIds,
      int[] ordinalBySortedId,
      LongTrie<Integer> addedIds,
      long maxId,
      HPRtree tree,
      Envelope packedBounds,
      LongTrie<Bucket> grid,
      int[] odd) {
    this.def = def;
    this.features = features;
    this.view = features.asList();
    this.sortedIds = sortedIds;
    this.ordinalBySortedId = ordinalBySortedId;
    this.addedIds = addedIds;
    this.maxId = maxId;
    this.tree = tree;
    this.packedBounds = packedBounds;
    this.grid = grid;
    this.odd = odd;
  }

  /**
   * The points of one grid cell: ordinals ascending, their coordinates, and the cell's envelope.
   */
  private static final class Bucket {
    final int[] ord;
    final double[] lon;
    final double[] lat;
    final double minLon;
    final double maxLon;
    final double minLat;
    final double maxLat;

    Bucket(int[] ord, double[] lon, double[] lat) {
      this.ord = ord;
      this.lon = lon;
      this.lat = lat;
      double a = Double.POSITIVE_INFINITY;
      double b = Double.NEGATIVE_INFINITY;
      double c = Double.POSITIVE_INFINITY;
      double d = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < ord.length; i++) {
        a = Math.min(a, lon[i]);
        b = Math.max(b, lon[i]);
        c = Math.min(c, lat[i]);
        d = Math.max(d, lat[i]);
      }
      this.minLon = a;
      this.maxLon = b;
      this.minLat = c;
      this.maxLat = d;
    }
  }

  /** Indexes a layer (a grid for points, a packed R-tree otherwise); fails on a duplicate id. */
  public static LayerIndex build(Layer layer) {
    return build(layer, layer.def().kind() != GeometryKind.POINT);
  }

  /**
   * Indexes a layer with a packed R-tree whatever its kind: the way point layers were indexed
   * before the grid, rebuilt by every change. For benchmarks that measure the grid against it.
   */
  public static LayerIndex packed(Layer layer) {
    return build(layer, true);
  }

  private static LayerIndex build(Layer layer, boolean packed) {
    List<Feature> list = layer.features();
    int n = list.size();
    long[][] lookup = lookup(list, layer.name());
    long[] ids = lookup[0];
    int[] ordinals = new int[n];
    for (int i = 0; i < n; i++) {
      ordinals[i] = (int) lookup[1][i];
    }
    ChunkedList<Feature> features = ChunkedList.of(list);
    long maxId = n == 0 ? -1 : ids[n - 1];
    LongTrie<Integer> added = LongTrie.empty(ID_LEVELS);
    if (packed) {
      HPRtree tree = new HPRtree();
      Envelope bounds = new Envelope();
      for (int i = 0; i < n; i++) {
        Envelope env = list.get(i).geometry().getEnvelopeInternal();
        if (!env.isNull()) {
          tree.insert(env, i);
          bounds.expandToInclude(env);
        }
      }
      tree.build();
      return new LayerIndex(
          layer.def(), features, ids, ordinals, added, maxId, tree, bounds, null, null);
    }
    if (n >= (1 << ORDINAL_BITS)) {
      throw new IllegalArgumentException(
          "layer " + layer.name() + " has " + n + " points; the grid packs ordinals into 24 bits");
    }
    // sort (cell, ordinal) pairs and cut them into buckets: each bucket's ordinals ascending
    long[] keyed = new long[n];
    int m = 0;
    List<Integer> odd = new ArrayList<>();
    for (int o = 0; o < n; o++) {
      Geometry g = list.get(o).geometry();
      if (g instanceof Point p && !p.isEmpty()) {
        keyed[m++] = (cellKey(p.getX(), p.getY()) << ORDINAL_BITS) | o;
      } else if (!g.isEmpty()) {
        odd.add(o);
      }
    }
    keyed = Arrays.copyOf(keyed, m);
    Arrays.parallelSort(keyed);
    LongTrie.Editor<Bucket> grid = LongTrie.<Bucket>empty(GRID_LEVELS).edit();
    for (int i = 0; i < m; ) {
      long key = keyed[i] >>> ORDINAL_BITS;
      int j = i;
      while (j < m && (keyed[j] >>> ORDINAL_BITS) == key) {
        j++;
      }
      int[] ord = new int[j - i];
      double[] lon = new double[j - i];
      double[] lat = new double[j - i];
      for (int k = i; k < j; k++) {
        int o = (int) (keyed[k] & ((1 << ORDINAL_BITS) - 1));
        Point p = (Point) list.get(o).geometry();
        ord[k - i] = o;
        lon[k - i] = p.getX();
        lat[k - i] = p.getY();
      }
      grid.put(key, new Bucket(ord, lon, lat));
      i = j;
    }
    return new LayerIndex(
        layer.def(),
        features,
        ids,
        ordinals,
        added,
        maxId,
        null,
        null,
        grid.build(),
        odd.stream().mapToInt(Integer::intValue).toArray());
  }

  /** Grid column of a longitude, clamped to the world. */
  private static int cellX(double lon) {
    return clampCell((int) Math.floor((lon + 180.0) / 360.0 * GRID_CELLS));
  }

  /** Grid row of a latitude (north first), clamped to the world. */
  private static int cellY(double lat) {
    return clampCell((int) Math.floor((90.0 - lat) / 180.0 * GRID_CELLS));
  }

  private static int clampCell(int c) {
    return Math.max(0, Math.min(GRID_CELLS - 1, c));
  }

  private static long cellKey(double lon, double lat) {
    return LongTrie.cellKey(cellX(lon), cellY(lat), GRID_LEVELS);
  }

  /**
   * This index with some features replaced by new versions of the same ids, and features of ids it
   * does not hold yet added at the end. A point layer's grid is patched where the features were and
   * are; a packed index is rebuilt. This version is unchanged.
   */
  public LayerIndex withReplaced(Collection<Feature> replacements) {
    ChunkedList.Editor<Feature> next = features.edit();
    LongTrie.Editor<Integer> ids = null;
    long max = maxId;
    Map<Long, BucketEdit> edits = grid == null ? null : new HashMap<>();
    List<Envelope> touched = new ArrayList<>();
    List<Integer> touchedOrdinals = new ArrayList<>();
    java.util.TreeSet<Integer> oddNext = null;
    for (Feature f : replacements) {
      int o = ordinalOf(f.id());
      Feature old = null;
      if (o < 0) {
        o = next.size();
        if (grid != null && o >= (1 << ORDINAL_BITS)) {
          throw new IllegalArgumentException(
              "layer " + name() + " is full: the grid packs ordinals into 24 bits");
        }
        next.add(f);
        if (ids == null) {
          ids = addedIds.edit();
        }
        ids.put(f.id(), o);
        max = Math.max(max, f.id());
      } else {
        old = next.get(o);
        next.set(o, f);
      }
      if (grid == null) {
        // where the cell index must look again: a geometry that moved, came or went
        if (old == null || old.geometry() != f.geometry()) {
          touchedOrdinals.add(o);
          touched.add(f.geometry().getEnvelopeInternal());
          if (old != null) {
            touched.add(old.geometry().getEnvelopeInternal());
          }
        }
        continue;
      }
      if (old != null && old.geometry() instanceof Point p && !p.isEmpty()) {
        edits.computeIfAbsent(cellKey(p.getX(), p.getY()), k -> new BucketEdit()).remove(o);
      }
      if (f.geometry() instanceof Point p && !p.isEmpty()) {
        edits
            .computeIfAbsent(cellKey(p.getX(), p.getY()), k -> new BucketEdit())
            .insert(o, p.getX(), p.getY());
      }
      boolean wasOdd =
          old != null && !(old.geometry() instanceof Point) && !old.geometry().isEmpty();
      boolean isOdd = !(f.geometry() instanceof Point) && !f.geometry().isEmpty();
      if (wasOdd != isOdd) {
        if (oddNext == null) {
          oddNext = new java.util.TreeSet<>();
          for (int x : odd) {
            oddNext.add(x);
          }
        }
        if (isOdd) {
          oddNext.add(o);
        } else {
          oddNext.remove(o);
        }
      }
    }
    ChunkedList<Feature> list = next.build();
    LongTrie<Integer> addedNext = ids == null ? addedIds : ids.build();
    if (grid == null) {
      HPRtree t = new HPRtree();
      Envelope b = new Envelope();
      for (int i = 0; i < list.size(); i++) {
        Envelope env = list.get(i).geometry().getEnvelopeInternal();
        if (!env.isNull()) {
          t.insert(env, i);
          b.expandToInclude(env);
        }
      }
      t.build();
      LayerIndex packedNext =
          new LayerIndex(def, list, sortedIds, ordinalBySortedId, addedNext, max, t, b, null, null);
      CellIndex c = cells;
      if (c != null) {
        packedNext.cells = c.withChanged(packedNext, touched, touchedOrdinals);
      }
      return packedNext;
    }
    LongTrie.Editor<Bucket> g = grid.edit();
    edits.forEach(
        (key, e) -> {
          Bucket merged = e.applyTo(grid.get(key));
          if (merged == null) {
            g.remove(key);
          } else {
            g.put(key, merged);
          }
        });
    int[] oddArray = oddNext == null ? odd : oddNext.stream().mapToInt(Integer::intValue).toArray();
    return new LayerIndex(
        def, list, sortedIds, ordinalBySortedId, addedNext, max, null, null, g.build(), oddArray);
  }

  /** What one batch does to one bucket: ordinals leaving it, points entering it. */
  private static final class BucketEdit {
    private int[] removed = new int[2];
    private int nRemoved;
    private int[] inOrd = new int[2];
    private double[] inLon = new double[2];
    private double[] inLat = new double[2];
    private int nIn;

    void remove(int ordinal) {
      if (nRemoved == removed.length) {
        removed = Arrays.copyOf(removed, nRemoved * 2);
      }
      removed[nRemoved++] = ordinal;
    }

    void insert(int ordinal, double lon, double lat) {
      if (nIn == inOrd.length) {
        inOrd = Arrays.copyOf(inOrd, nIn * 2);
        inLon = Arrays.copyOf(inLon, nIn * 2);
        inLat = Arrays.copyOf(inLat, nIn * 2);
      }
      inOrd[nIn] = ordinal;
      inLon[nIn] = lon;
      inLat[nIn] = lat;
      nIn++;
    }

    /** The bucket after this edit, ordinals ascending; null when it is left empty. */
    Bucket applyTo(Bucket old) {
      int[] rem = Arrays.copyOf(removed, nRemoved);
      Arrays.sort(rem);
      Integer[] order = new Integer[nIn];
      for (int i = 0; i < nIn; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Integer.compare(inOrd[a], inOrd[b]));
      int oldSize = old == null ? 0 : old.ord.length;
      int[] ord = new int[oldSize + nIn];
      double[] lon = new double[ord.length];
      double[] lat = new double[ord.length];
      int n = 0;
      int k = 0;
      for (int i = 0; i <= oldSize; i++) {
        int bound = i < oldSize ? old.ord[i] : Integer.MAX_VALUE;
        // insertions before this old entry (an ordinal is never both kept and inserted)
        while (k < nIn && inOrd[order[k]] < bound) {
          ord[n] = inOrd[order[k]];
          lon[n] = inLon[order[k]];
          lat[n] = inLat[order[k]];
          n++;
          k++;
        }
        if (i < oldSize && Arrays.binarySearch(rem, old.ord[i]) < 0) {
          ord[n] = old.ord[i];
          lon[n] = old.lon[i];
          lat[n] = old.lat[i];
          n++;
        }
      }
      if (n == 0) {
        return null;
      }
      return new Bucket(Arrays.copyOf(ord, n), Arrays.copyOf(lon, n), Arrays.copyOf(lat, n));
    }
  }

  /** Ids in ascending order and the ordinal of each; fails on a duplicate id, naming it. */
  private static long[][] lookup(List<Feature> features, String layer) {
    int n = features.size();
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = features.get(i).id();
    }
    // ids below 2^52 and ordinals below 2^23 do not fit one long together: sort an index
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(ids[a], ids[b]));
    long[] sorted = new long[n];
    long[] keyed = new long[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = ids[order[i]];
      keyed[i] = order[i];
      if (i > 0 && sorted[i] == sorted[i - 1]) {
        throw new IllegalArgumentException(
            "layer " + layer + " has two features with id " + sorted[i] + "; ids must be unique");
      }
    }
    return new long[][] {sorted, keyed};
  }

  /**
   * This index without the features of these ids, built anew from the features that remain (in
   * their order; ordinals after a retired feature's move down, so nothing may keep ordinals across
   * versions): retirements are rare planner operations (a grid split or merged), and a rebuild
   * keeps every structure as a fresh build would make it instead of leaving holes for queries to
   * skip. The whole change costs about 100 ms more than a rename on the 68k grids of the full city
   * (CityIndexRetireTest logs both). {@link #maxId} stays: an id this layer gave out is not the
   * next one to give. This version is unchanged.
   *
   * @throws IllegalArgumentException for an id the layer lacks
   */
  public LayerIndex withRetired(java.util.Set<Long> retired) {
    for (long id : retired) {
      if (ordinalOf(id) < 0) {
        throw new IllegalArgumentException(
            "layer " + name() + " has no feature " + id + " to retire");
      }
    }
    List<Feature> kept = new ArrayList<>(view.size() - retired.size());
    for (Feature f : view) {
      if (!retired.contains(f.id())) {
        kept.add(f);
      }
    }
    LayerIndex built = build(new Layer(def, kept), tree != null);
    return new LayerIndex(
        def,
        built.features,
        built.sortedIds,
        built.ordinalBySortedId,
        built.addedIds,
        Math.max(maxId, built.maxId),
        built.tree,
        built.packedBounds,
        built.grid,
        built.odd);
  }

  public LayerDef def() {
    return def;
  }

  /**
   * Which polygon holds a point, from a tree of cells ({@link CellIndex}): made on first use and
   * carried to the next version by {@link #withReplaced} (the cells the change touches are built
   * again); {@link #withRetired}, which renumbers ordinals, starts a new one. Null for a point
   * layer's grid index.
   */
  public CellIndex cells() {
    if (tree == null) {
      return null;
    }
    CellIndex c = cells;
    if (c == null) {
      synchronized (this) {
        c = cells;
        if (c == null) {
          cells = c = CellIndex.of(this);
        }
      }
    }
    return c;
  }

  public String name() {
    return def.name();
  }

  /** Features in ordinal order (read-only). */
  public List<Feature> features() {
    return view;
  }

  public int size() {
    return features.size();
  }

  public Feature feature(int ordinal) {
    return features.get(ordinal);
  }

  /** Ordinal of the feature with this id, or -1. */
  public int ordinalOf(long id) {
    int i = Arrays.binarySearch(sortedIds, id);
    if (i >= 0) {
      return ordinalBySortedId[i];
    }
    if (addedIds.isEmpty() || id < 0) {
      return -1;
    }
    Integer o = addedIds.get(id);
    return o == null ? -1 : o;
  }

  /**
   * The largest feature id, or -1 when the layer is empty; a retired feature's id counts until the
   * layer is built anew from its store.
   */
  public long maxId() {
    return maxId;
  }

  public Optional<Feature> byId(long id) {
    int o = ordinalOf(id);
    return o < 0 ? Optional.empty() : Optional.of(features.get(o));
  }

  /** Lon/lat envelope of all features (null envelope when the layer is empty). */
  public Envelope bounds() {
    if (grid == null) {
      return new Envelope(packedBounds);
    }
    Envelope b = gridBounds;
    if (b == null) {
      Envelope e = new Envelope();
      grid.forEach(
          (key, bucket) -> {
            e.expandToInclude(bucket.minLon, bucket.minLat);
            e.expandToInclude(bucket.maxLon, bucket.maxLat);
          });
      for (int o : odd) {
        e.expandToInclude(features.get(o).geometry().getEnvelopeInternal());
      }
      gridBounds = b = e;
    }
    return new Envelope(b);
  }

  /**
   * Visits the ordinals of features whose lon/lat envelope intersects {@code lonLat}, in no
   * particular order. This is an envelope test only: callers refine with an exact predicate when
   * they need one.
   */
  public void queryOrdinals(Envelope lonLat, IntVisitor visitor) {
    if (grid == null) {
      tree.query(lonLat, item -> visitor.visit((Integer) item));
      return;
    }
    if (lonLat.isNull()) {
      return;
    }
    double minX = lonLat.getMinX();
    double maxX = lonLat.getMaxX();
    double minY = lonLat.getMinY();
    double maxY = lonLat.getMaxY();
    // cells are monotone in lon and lat, so the cells of the corners bound every match
    grid.forEachInRect(
        cellX(minX),
        cellY(maxY),
        cellX(maxX),
        cellY(minY),
        (x, y, b) -> {
          if (b.minLon >= minX && b.maxLon <= maxX && b.minLat >= minY && b.maxLat <= maxY) {
            for (int o : b.ord) {
              visitor.visit(o);
            }
            return;
          }
          for (int i = 0; i < b.ord.length; i++) {
            double lon = b.lon[i];
            double lat = b.lat[i];
            if (lon >= minX && lon <= maxX && lat >= minY && lat <= maxY) {
              visitor.visit(b.ord[i]);
            }
          }
        });
    for (int o : odd) {
      if (features.get(o).geometry().getEnvelopeInternal().intersects(lonLat)) {
        visitor.visit(o);
      }
    }
  }

  /** Features whose lon/lat envelope intersects {@code lonLat}, in no particular order. */
  public List<Feature> query(Envelope lonLat) {
    List<Feature> out = new ArrayList<>();
    queryOrdinals(lonLat, o -> out.add(features.get(o)));
    return out;
  }

  /** True for point layers. */
  public boolean isPointLayer() {
    return def.kind() == GeometryKind.POINT;
  }

  /**
   * EPSG:3857 x of a point feature (a non-point's interior point); NaN for an empty geometry.
   * Projected on each call: the tiler keeps its own projected copy for rendering.
   */
  public double mercatorX(int ordinal) {
    Point p = point(features.get(ordinal).geometry());
    return p == null ? Double.NaN : WebMercator.x(p.getX());
  }

  /** EPSG:3857 y of a point feature; NaN for an empty geometry. */
  public double mercatorY(int ordinal) {
    Point p = point(features.get(ordinal).geometry());
    return p == null ? Double.NaN : WebMercator.y(p.getY());
  }

  private static Point point(Geometry g) {
    if (g.isEmpty()) {
      return null;
    }
    return g instanceof Point p ? p : g.getInteriorPoint();
  }
}
