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
    java.util.TreeMap<Long, Feature> fs = new java.util.TreeMap<>();
    java.util.Map<Long, Geometry> gs = new java.util.HashMap<>();
    for (int i = 0; i < features.length; i++) {
      fs.put(features[i].id(), features[i]);
      gs.put(features[i].id(), geometries[i]);
    }
    replaced.forEach(
        (id, f) -> {
          if (fs.containsKey(id)) {
            fs.put(id, f);
          }
        });
    polygons.forEach(
        (id, g) -> {
          Feature f = replaced.get(id);
          if (g == null || g.isEmpty()) {
            fs.remove(id);
            gs.remove(id);
          } else if (f != null || fs.containsKey(id)) {
            fs.put(id, f != null ? f : fs.get(id));
            gs.put(id, g);
          }
        });
    retired.forEach(fs::remove);
    Feature[] nf = fs.values().toArray(Feature[]::new);
    Geometry[] ng = new Geometry[nf.length];
    for (int i = 0; i < nf.length; i++) {
      ng[i] = gs.get(nf[i].id());
    }
    return new GeneralisedIndex(layer, zoom, nf, ng, fallback);
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
    int lo = 0;
    int hi = features.length - 1;
    while (lo <= hi) { // entries are in id order
      int mid = (lo + hi) >>> 1;
      long m = features[mid].id();
      if (m < id) {
        lo = mid + 1;
      } else if (m > id) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
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
