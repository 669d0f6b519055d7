package io.gridmap.layers.index;

import io.gridmap.layers.model.Feature;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.index.hprtree.HPRtree;

/**
 * The polygons of one polygon layer as drawn at one zoom: generalised EPSG:3857 geometries with the
 * features they belong to, under a packed R-tree of their projected envelopes.
 *
 * <p>Entries are addressed by ordinal; the arrays are in feature-id order so that queries and
 * everything rendered from them are deterministic across runs and nodes.
 */
public final class GeneralisedIndex {
  private final String layer;
  private final int zoom;
  private final Feature[] features;
  private final Geometry[] geometries;
  private final HPRtree tree;
  private final boolean fallback;

  GeneralisedIndex(
      String layer, int zoom, Feature[] features, Geometry[] geometries, boolean fallback) {
    this.layer = layer;
    this.zoom = zoom;
    this.features = features;
    this.geometries = geometries;
    this.fallback = fallback;
    this.tree = new HPRtree();
    for (int i = 0; i < geometries.length; i++) {
      Envelope env = geometries[i].getEnvelopeInternal();
      if (!env.isNull()) {
        tree.insert(env, i);
      }
    }
    tree.build();
  }

  /**
   * This zoom's polygons with features replaced: every entry of a replaced feature gets its new
   * version, and each id in {@code polygons} gets that polygon (added when the feature had none at
   * this zoom, removed when the polygon is empty). Entries stay in id order.
   */
  GeneralisedIndex withReplaced(
      java.util.Map<Long, Feature> replaced, java.util.Map<Long, Geometry> polygons) {
    return withReplaced(replaced, polygons, java.util.Set.of());
  }

  /**
   * As {@link #withReplaced(java.util.Map, java.util.Map)}, and the entries of {@code retired}
   * features dropped: a retired feature is drawn at no zoom, whatever polygon it had here.
   */
  GeneralisedIndex withReplaced(
      java.util.Map<Long, Feature> replaced,
      java.util.Map<Long, Geometry> polygons,
      java.util.Set<Long> retired) {
    // the ids the change names, ascending; every other entry is copied as it is, in runs: a map
    // of the whole zoom's 65,000 grids built for an edit of one or two was most of a planner's
    // edit in memory (about 80 ms an edit over the fifteen zooms, wall-clock profile, issue 14)
    long[] ids = touchedIds(replaced.keySet(), polygons.keySet(), retired);
    Feature[] nf = new Feature[features.length + ids.length];
    Geometry[] ng = new Geometry[nf.length];
    int n = 0;
    int i = 0;
    for (long id : ids) {
      int at = lowerBound(id, i);
      System.arraycopy(features, i, nf, n, at - i);
      System.arraycopy(geometries, i, ng, n, at - i);
      n += at - i;
      i = at;
      Feature f = null;
      Geometry g = null;
      if (i < features.length && features[i].id() == id) {
        f = features[i];
        g = geometries[i];
        i++;
      }
      Feature newer = replaced.get(id);
      if (f != null && newer != null) {
        f = newer;
      }
      if (polygons.containsKey(id)) {
        Geometry polygon = polygons.get(id);
        if (polygon == null || polygon.isEmpty()) {
          f = null;
        } else if (f != null || newer != null) {
          f = newer != null ? newer : f;
          g = polygon;
        }
      }
      if (f != null && !retired.contains(id)) {
        nf[n] = f;
        ng[n] = g;
        n++;
      }
    }
    System.arraycopy(features, i, nf, n, features.length - i);
    System.arraycopy(geometries, i, ng, n, features.length - i);
    n += features.length - i;
    return new GeneralisedIndex(
        layer, zoom, java.util.Arrays.copyOf(nf, n), java.util.Arrays.copyOf(ng, n), fallback);
  }

  /** The ids of {@code a}, {@code b} and {@code c}, ascending, each once. */
  private static long[] touchedIds(
      java.util.Set<Long> a, java.util.Set<Long> b, java.util.Set<Long> c) {
    long[] ids = new long[a.size() + b.size() + c.size()];
    int k = 0;
    for (java.util.Set<Long> set : java.util.List.of(a, b, c)) {
      for (Long id : set) {
        ids[k++] = id;
      }
    }
    java.util.Arrays.sort(ids);
    int m = 0;
    for (int j = 0; j < ids.length; j++) {
      if (m == 0 || ids[m - 1] != ids[j]) {
        ids[m++] = ids[j];
      }
    }
    return java.util.Arrays.copyOf(ids, m);
  }

  /** The first ordinal at or after {@code from} whose feature's id is {@code >= id}. */
  private int lowerBound(long id, int from) {
    int lo = from;
    int hi = features.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (features[mid].id() < id) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  public String layer() {
    return layer;
  }

  /** The zoom these geometries were generalised for. */
  public int zoom() {
    return zoom;
  }

  public int size() {
    return geometries.length;
  }

  public Feature feature(int ordinal) {
    return features[ordinal];
  }

  /**
   * The ordinal of the entry of the feature with this id, or -1 when it has no polygon at this
   * zoom.
   */
  public int ordinalOf(long id) {
    int at = lowerBound(id, 0); // entries are in id order
    return at < features.length && features[at].id() == id ? at : -1;
  }

  /** The EPSG:3857 geometry of an entry. */
  public Geometry geometry(int ordinal) {
    return geometries[ordinal];
  }

  /**
   * True when the dataset had no generalised geometries for this zoom and the index fell back to
   * another zoom's or to the projected originals (see {@link CityIndex}).
   */
  public boolean fallback() {
    return fallback;
  }

  /** Visits the ordinals of entries whose EPSG:3857 envelope intersects {@code mercator}. */
  public void queryOrdinals(Envelope mercator, IntVisitor visitor) {
    tree.query(mercator, item -> visitor.visit((Integer) item));
  }
}
