package io.gridmap.layers.index;

import io.gridmap.layers.model.Feature;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.index.hprtree.HPRtree;

/**
 * The polygons of one coverage layer as drawn at one zoom: generalised EPSG:3857 geometries with
 * the features they belong to, under a packed R-tree of their projected envelopes.
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

  GeneralisedIndex(String layer, int zoom, Feature[] features, Geometry[] geometries, boolean fallback) {
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
