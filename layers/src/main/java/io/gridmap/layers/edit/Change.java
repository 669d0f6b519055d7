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
 * A change to one layer: new versions of existing features (same ids), features added, features
 * retired, and for a coverage layer the new generalised polygons of the features whose tile
 * geometry changed. Every write (a grid redrawn, a grid renamed, a batch of positions) is one of
 * these; the store applies it in one transaction, the index swaps it in, the tiles forget what it
 * touched.
 *
 * <p>A retired feature is gone from the layer after the change: its row, its generalised polygons
 * at every zoom and its place in the index; the store's history keeps it as it last was, in a
 * version flagged retired. Splitting a grid is one change that retires it and adds two grids with
 * new codes; merging retires two and adds one. Whether an id may be given again after it was
 * retired is the business of the operation that plans the change (grid codes never are), not of the
 * change, the store or the index.
 *
 * @param layer the layer's name
 * @param replacements old and new version of each changed feature, at most one per id
 * @param generalised for coverage layers: zoom -> feature id -> EPSG:3857 polygon, for the zooms
 *     and features whose tile geometry changed (empty when only attributes changed); a retired
 *     feature's polygons are dropped at every zoom without being named here
 * @param successors for a retired feature, the feature of the change that takes over what was
 *     assigned to it (a split grid's forces go to one of its parts, a merged grid's to the merged
 *     one); empty when nothing is handed over
 */
public record Change(
    String layer,
    List<Replacement> replacements,
    Map<Integer, Map<Long, Geometry>> generalised,
    Map<Long, Long> successors) {

  /** A change that hands nothing over from retired features. */
  public Change(
      String layer, List<Replacement> replacements, Map<Integer, Map<Long, Geometry>> generalised) {
    this(layer, replacements, generalised, Map.of());
  }

  /**
   * One feature's version before and after; {@code before} is null for a feature the change adds (a
   * reported incident), {@code after} null for a feature it retires (never both).
   */
  public record Replacement(Feature before, Feature after) {
    public Replacement {
      if (before == null && after == null) {
        throw new IllegalArgumentException("a replacement needs a version before or after");
      }
      if (before != null && after != null && before.id() != after.id()) {
        throw new IllegalArgumentException(
            "a replacement keeps the feature id: " + before.id() + " -> " + after.id());
      }
    }

    /** A feature the change adds: it has no version before. */
    public static Replacement added(Feature after) {
      return new Replacement(null, after);
    }

    /** A feature the change retires: {@code before} is how it last was. */
    public static Replacement retired(Feature before) {
      return new Replacement(Objects.requireNonNull(before, "before"), null);
    }

    public long id() {
      return after == null ? before.id() : after.id();
    }

    /** True when the change adds the feature. */
    public boolean isAdded() {
      return before == null;
    }

    /** True when the change retires the feature: it has no version after. */
    public boolean isRetired() {
      return after == null;
    }

    /** True when tiles draw the feature differently: moved, added or retired. */
    public boolean geometryChanged() {
      return before == null || after == null || !before.geometry().equalsExact(after.geometry());
    }
  }

  public Change {
    Objects.requireNonNull(layer, "layer");
    replacements = List.copyOf(replacements);
    Map<Integer, Map<Long, Geometry>> copy = new LinkedHashMap<>();
    generalised.forEach((z, byId) -> copy.put(z, Map.copyOf(byId)));
    generalised = java.util.Collections.unmodifiableMap(copy);
    successors = Map.copyOf(successors);
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (Replacement r : replacements) {
      if (!seen.add(r.id())) {
        throw new IllegalArgumentException(
            "layer " + layer + ": feature " + r.id() + " is replaced twice in one change");
      }
      if (r.isRetired()) {
        for (Map.Entry<Integer, Map<Long, Geometry>> z : generalised.entrySet()) {
          Geometry g = z.getValue().get(r.id());
          if (g != null && !g.isEmpty()) {
            throw new IllegalArgumentException(
                "layer "
                    + layer
                    + ": feature "
                    + r.id()
                    + " is retired but has a generalised polygon at z"
                    + z.getKey());
          }
        }
      }
    }
    Map<Long, Replacement> byId = new java.util.HashMap<>();
    replacements.forEach(r -> byId.put(r.id(), r));
    successors.forEach(
        (from, to) -> {
          Replacement f = byId.get(from);
          Replacement t = byId.get(to);
          if (f == null || !f.isRetired() || t == null || t.isRetired()) {
            throw new IllegalArgumentException(
                "layer "
                    + layer
                    + ": successor "
                    + from
                    + " -> "
                    + to
                    + " must go from a feature the change retires to one it keeps or adds");
          }
        });
  }

  /** A change of attributes or point positions: no generalised geometry. */
  public static Change of(String layer, List<Replacement> replacements) {
    return new Change(layer, replacements, Map.of());
  }

  public boolean isEmpty() {
    return replacements.isEmpty();
  }

  /** The new versions of the features that exist after the change, in the order given. */
  public List<Feature> after() {
    List<Feature> out = new ArrayList<>(replacements.size());
    for (Replacement r : replacements) {
      if (!r.isRetired()) {
        out.add(r.after());
      }
    }
    return out;
  }

  /** Whether the change retires any feature. */
  public boolean retiresAny() {
    for (Replacement r : replacements) {
      if (r.isRetired()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The lon/lat area the change touches: old and new geometries of every replaced feature (an
   * attribute change redraws the feature where it is; a move redraws both places; a retirement
   * clears where the feature was).
   */
  public Envelope lonLatArea() {
    Envelope e = new Envelope();
    for (Replacement r : replacements) {
      if (r.before() != null) {
        e.expandToInclude(r.before().geometry().getEnvelopeInternal());
      }
      if (r.after() != null) {
        e.expandToInclude(r.after().geometry().getEnvelopeInternal());
      }
    }
    return e;
  }

  /**
   * The places the change touches, one by one, in EPSG:3857: each replaced feature's old and new
   * envelope (only the old one for a retired feature), and each new generalised polygon's. A
   * retired feature's generalised polygons lie inside its old envelope, so they need no entry. A
   * batch of moves over the whole city is many small areas, not one rectangle around them all.
   */
  public List<Envelope> mercatorAreas() {
    List<Envelope> out = new ArrayList<>();
    for (Replacement r : replacements) {
      if (r.before() != null) {
        out.add(
            io.gridmap.layers.geo.WebMercator.project(r.before().geometry().getEnvelopeInternal()));
      }
      if (r.after() != null && r.geometryChanged()) {
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
