package io.gridmap.layers.index;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.GeometryKind;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.index.hprtree.HPRtree;

/**
 * One layer held in memory: its features, a lookup by id, and a packed R-tree over their lon/lat
 * envelopes.
 *
 * <p>Features are addressed by their ordinal (position in {@link #features()}). The id lookup is a
 * sorted {@code long[]} searched by bisection rather than a {@code HashMap<Long, Feature>}: for
 * 500k points that is 6 MB instead of about 40 MB, and about 20 comparisons per look-up.
 *
 * <p>Point layers also keep every point projected to EPSG:3857 once, at build time, so that tile
 * rendering never projects on the hot path.
 */
public final class LayerIndex {
  private final LayerDef def;
  private final List<Feature> features;
  private final long[] sortedIds;
  private final int[] ordinalBySortedId;
  private final HPRtree tree;
  private final Envelope bounds;
  private final double[] mercatorX;
  private final double[] mercatorY;

  private LayerIndex(
      LayerDef def,
      List<Feature> features,
      long[] sortedIds,
      int[] ordinalBySortedId,
      HPRtree tree,
      Envelope bounds,
      double[] mercatorX,
      double[] mercatorY) {
    this.def = def;
    this.features = features;
    this.sortedIds = sortedIds;
    this.ordinalBySortedId = ordinalBySortedId;
    this.tree = tree;
    this.bounds = bounds;
    this.mercatorX = mercatorX;
    this.mercatorY = mercatorY;
  }

  /** Indexes a layer; fails on a duplicate feature id, naming it. */
  public static LayerIndex build(Layer layer) {
    List<Feature> features = layer.features();
    int n = features.size();
    // sort ordinals by id: pack (id, ordinal) pairs would overflow for 15-digit codes, so sort an
    // index
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(features.get(a).id(), features.get(b).id()));
    long[] ids = new long[n];
    int[] ordinals = new int[n];
    for (int i = 0; i < n; i++) {
      ordinals[i] = order[i];
      ids[i] = features.get(order[i]).id();
      if (i > 0 && ids[i] == ids[i - 1]) {
        throw new IllegalArgumentException(
            "layer "
                + layer.name()
                + " has two features with id "
                + ids[i]
                + "; ids must be unique");
      }
    }
    HPRtree tree = new HPRtree();
    Envelope bounds = new Envelope();
    boolean points = layer.def().kind() == GeometryKind.POINT;
    double[] mx = points ? new double[n] : null;
    double[] my = points ? new double[n] : null;
    for (int i = 0; i < n; i++) {
      Feature f = features.get(i);
      Envelope env = f.geometry().getEnvelopeInternal();
      if (env.isNull()) {
        if (points) {
          mx[i] = Double.NaN;
          my[i] = Double.NaN;
        }
        continue;
      }
      tree.insert(env, i);
      bounds.expandToInclude(env);
      if (points) {
        Point p = f.geometry() instanceof Point pt ? pt : f.geometry().getInteriorPoint();
        mx[i] = WebMercator.x(p.getX());
        my[i] = WebMercator.y(p.getY());
      }
    }
    tree.build();
    return new LayerIndex(layer.def(), features, ids, ordinals, tree, bounds, mx, my);
  }

  /**
   * This index with some features replaced by new versions of the same ids, and features of ids it
   * does not hold yet added at the end: the id lookup is shared unless features were added, the
   * feature list and projected points are copied and patched, the R-tree is packed anew (a packed
   * tree cannot move an entry). The original is unchanged: readers holding it keep a consistent
   * view while the new one is built.
   */
  public LayerIndex withReplaced(Collection<Feature> replacements) {
    List<Feature> next = new ArrayList<>(features);
    List<Feature> added = new ArrayList<>();
    for (Feature f : replacements) {
      int o = ordinalOf(f.id());
      if (o < 0) {
        added.add(f);
      } else {
        next.set(o, f);
      }
    }
    next.addAll(added);
    double[] mx = mercatorX == null ? null : Arrays.copyOf(mercatorX, next.size());
    double[] my = mercatorY == null ? null : Arrays.copyOf(mercatorY, next.size());
    long[] ids = sortedIds;
    int[] ordinals = ordinalBySortedId;
    if (!added.isEmpty()) {
      long[][] lookup = lookup(next);
      ids = lookup[0];
      ordinals = new int[ids.length];
      for (int i = 0; i < ids.length; i++) {
        ordinals[i] = (int) lookup[1][i];
      }
    }
    if (mx != null) {
      for (Feature f : replacements) {
        int o = ordinal(ids, ordinals, f.id());
        if (f.geometry().isEmpty()) {
          mx[o] = Double.NaN;
          my[o] = Double.NaN;
        } else {
          Point p = f.geometry() instanceof Point pt ? pt : f.geometry().getInteriorPoint();
          mx[o] = WebMercator.x(p.getX());
          my[o] = WebMercator.y(p.getY());
        }
      }
    }
    HPRtree t = new HPRtree();
    Envelope b = new Envelope();
    for (int i = 0; i < next.size(); i++) {
      Envelope env = next.get(i).geometry().getEnvelopeInternal();
      if (!env.isNull()) {
        t.insert(env, i);
        b.expandToInclude(env);
      }
    }
    t.build();
    return new LayerIndex(
        def, java.util.Collections.unmodifiableList(next), ids, ordinals, t, b, mx, my);
  }

  /** Ids in ascending order and the ordinal of each, for a list of features with unique ids. */
  private static long[][] lookup(List<Feature> features) {
    int n = features.size();
    long[] keyed = new long[n];
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = features.get(i).id();
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(ids[a], ids[b]));
    long[] sorted = new long[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = ids[order[i]];
      keyed[i] = order[i];
    }
    return new long[][] {sorted, keyed};
  }

  private static int ordinal(long[] sortedIds, int[] ordinals, long id) {
    int i = Arrays.binarySearch(sortedIds, id);
    return i < 0 ? -1 : ordinals[i];
  }

  public LayerDef def() {
    return def;
  }

  public String name() {
    return def.name();
  }

  /** Features in dataset order; a feature's position here is its ordinal. */
  public List<Feature> features() {
    return features;
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
    return i < 0 ? -1 : ordinalBySortedId[i];
  }

  /** The largest feature id, or -1 when the layer is empty. */
  public long maxId() {
    return sortedIds.length == 0 ? -1 : sortedIds[sortedIds.length - 1];
  }

  public Optional<Feature> byId(long id) {
    int o = ordinalOf(id);
    return o < 0 ? Optional.empty() : Optional.of(features.get(o));
  }

  /** Lon/lat envelope of all features (null envelope when the layer is empty). */
  public Envelope bounds() {
    return new Envelope(bounds);
  }

  /**
   * Visits the ordinals of features whose lon/lat envelope intersects {@code lonLat}. This is an
   * envelope test only: callers refine with an exact predicate when they need one.
   */
  public void queryOrdinals(Envelope lonLat, IntVisitor visitor) {
    tree.query(lonLat, item -> visitor.visit((Integer) item));
  }

  /** Features whose lon/lat envelope intersects {@code lonLat}, in no particular order. */
  public List<Feature> query(Envelope lonLat) {
    List<Feature> out = new ArrayList<>();
    queryOrdinals(lonLat, o -> out.add(features.get(o)));
    return out;
  }

  /** True for point layers, which carry projected coordinates. */
  public boolean isPointLayer() {
    return mercatorX != null;
  }

  /** EPSG:3857 x of a point feature, projected at build time; NaN for an empty geometry. */
  public double mercatorX(int ordinal) {
    return mercatorX[ordinal];
  }

  /** EPSG:3857 y of a point feature, projected at build time. */
  public double mercatorY(int ordinal) {
    return mercatorY[ordinal];
  }
}
