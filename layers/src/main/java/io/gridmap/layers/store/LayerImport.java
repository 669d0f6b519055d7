package io.gridmap.layers.store;

import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.model.LayerNames;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.locationtech.jts.geom.Geometry;

/**
 * An imported layer as a store writes it whole: its definition, every feature it holds after the
 * import (those the import kept, changed and added), and for a polygon layer its per-zoom
 * generalised polygons. {@link FeatureStore#replaceLayer} writes it in one transaction: a crash
 * leaves the layer as it was before.
 *
 * @param def the layer's definition; its name passes {@link LayerNames#checkImportable}
 *     <p>{@code features} may be a view that makes each feature when asked (an importer holds a
 *     million points as arrays of coordinates and values, not as a million Feature objects): a
 *     store iterates it and keeps no feature, and never copies it whole (a {@link
 *     io.gridmap.layers.model.Layer Layer} copies its list: build one only to hold the layer).
 * @param features the layer's features, ids unique; iterated, perhaps more than once
 * @param generalised for a polygon layer: zoom -> feature id -> EPSG:3857 polygon, every zoom of
 *     the layer's range; empty for a point layer
 * @param audit the audit entry recorded in the same transaction (who imported what, from where)
 */
public record LayerImport(
    LayerDef def,
    List<Feature> features,
    Map<Integer, Map<Long, Geometry>> generalised,
    String audit) {
  public LayerImport {
    Objects.requireNonNull(def, "def");
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(generalised, "generalised");
    Objects.requireNonNull(audit, "audit");
    LayerNames.checkImportable(def.name());
  }
}
