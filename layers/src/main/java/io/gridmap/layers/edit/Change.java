package io.gridmap.layers.edit;

import io.gridmap.layers.model.Feature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;

/**
 * A change to one layer: new versions of existing features (same ids), and for a coverage layer the
 * new generalised polygons of the features whose tile geometry changed. Every write (a grid
 * redrawn, a grid renamed, a batch of positions) is one of these; the store applies it in one
 * transaction, the index swaps it in, the tiles forget what it touched.
 *
 * <p>Features are replaced or added, never removed: the hierarchy's codes are fixed by the city and
 * points keep their ids for life. Points are added (a reported incident); retiring features is a
 * later step.
 *
 * @param layer the layer's name
 * @param replacements old and new version of each changed feature, at most one per id
 * @param generalised for coverage layers: zoom -> feature id -> EPSG:3857 polygon, for the zooms
 *     and features whose tile geometry changed (empty when only attributes changed)
 */
public record Change(
    String layer, List<Replacement> replacements, Map<Integer, Map<Long, Geometry>> generalised) {

  /**
   * One feature's version before and after; {@code before} is null for a feature the change adds (a
   * reported incident).
   */
  public record Replacement(Feature before, Feature after) {
    public Replacement {
      Objects.requireNonNull(after, "after");
      if (before != null && before.id() != after.id()) {
        throw new IllegalArgumentException(
            "a replacement keeps the feature id: " + before.id() + " -> " + after.id());
      }
    }

    /** A feature the change adds: it has no version before. */
    public static Replacement added(Feature after) {
      return new Replacement(null, after);
    }

    public long id() {
      return after.id();
    }

    /** True when the change adds the feature. */
    public boolean isAdded() {
      return before == null;
    }

    public boolean geometryChanged() {
      return before == null || !before.geometry().equalsExact(after.geometry());
    }
  }

  public Change {
    Objects.requireNonNull(layer, "layer");
    replacements = List.copyOf(replacements);
    Map<Integer, Map<Long, Geometry>> copy = new LinkedHashMap<>();
    generalised.forEach((z, byId) -> copy.put(z, Map.copyOf(byId)));
    generalised = java.util.Collections.unmodifiableMap(copy);
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (Replacement r : replacements) {
      if (!seen.add(r.id())) {
        throw new IllegalArgumentException(
            "layer " + layer + ": feature " + r.id() + " is replaced twice in one change");
      }
    }
  }

  /** A change of attributes or point positions: no generalised geometry. */
  public static Change of(String layer, List<Replacement> replacements) {
    return new Change(layer, replacements, Map.of());
  }

  public boolean isEmpty() {
    return replacements.isEmpty();
  }

  /** The new versions, in the order given. */
  public List<Feature> after() {
    List<Feature> out = new ArrayList<>(replacements.size());
    replacements.forEach(r -> out.add(r.after()));
    return out;
  }

  /**
   * The lon/lat area the change touches: old and new geometries of every replaced feature (an
   * attribute change redraws the feature where it is; a move redraws both places).
   */
  public Envelope lonLatArea() {
    Envelope e = new Envelope();
    for (Replacement r : replacements) {
      if (r.before() != null) {
        e.expandToInclude(r.before().geometry().getEnvelopeInternal());
      }
      e.expandToInclude(r.after().geometry().getEnvelopeInternal());
    }
    return e;
  }

  /**
   * The places the change touches, one by one, in EPSG:3857: each replaced feature's old and new
   * envelope, and each new generalised polygon's. A batch of moves over the whole city is many
   * small areas, not one rectangle around them all.
   */
  public List<Envelope> mercatorAreas() {
    List<Envelope> out = new ArrayList<>();
    for (Replacement r : replacements) {
      if (r.before() != null) {
        out.add(
            io.gridmap.layers.geo.WebMercator.project(r.before().geometry().getEnvelopeInternal()));
      }
      if (r.geometryChanged()) {
        out.add(
            io.gridmap.layers.geo.WebMercator.project(r.after().geometry().getEnvelopeInternal()));
      }
    }
    generalised
        .values()
        .forEach(byId -> byId.values().forEach(g -> out.add(g.getEnvelopeInternal())));
    return out;
  }
}
