package io.gridmap.importer.load;

import io.gridmap.layers.generalise.CoverageGeneraliser;
import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.model.Feature;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.simplify.TopologyPreservingSimplifier;

/**
 * The per-zoom polygons tiles draw for an imported polygon layer, in EPSG:3857 metres, made once at
 * import so the server starts without simplifying. Polygons that form a coverage (no overlaps,
 * edges shared exactly: a grid layer from a survey bureau) are simplified together with JTS {@code
 * CoverageSimplifier}, exactly as the generated city's, so neighbours never part; others (sites'
 * outlines, which may overlap) each on their own with {@code TopologyPreservingSimplifier} at the
 * same tolerance, leaving out a polygon smaller than a tile unit at that zoom.
 */
final class PolygonTiles {
  private PolygonTiles() {}

  /** The zooms' polygons, and whether the layer is a coverage. */
  record Result(boolean coverage, Map<Integer, Map<Long, Geometry>> byZoom) {}

  /** The polygons in EPSG:3857 metres, in order. */
  static Geometry[] projected(List<Feature> features) {
    Geometry[] projected = new Geometry[features.size()];
    IntStream.range(0, projected.length)
        .parallel()
        .forEach(i -> projected[i] = WebMercator.project(features.get(i).geometry()));
    return projected;
  }

  /**
   * True when the polygons form a coverage: no overlaps, shared edges matched vertex for vertex.
   */
  static boolean isCoverage(Geometry[] projected) {
    return CoverageValidator.isValid(projected);
  }

  /**
   * Simplifies each zoom from {@code maxZoom} down.
   *
   * @param projected the features' polygons, {@link #projected}
   * @param coverage {@link #isCoverage} of them
   */
  static Result generalise(
      List<Feature> features, Geometry[] projected, boolean coverage, int minZoom, int maxZoom) {
    List<Long> ids = new ArrayList<>(features.size());
    features.forEach(f -> ids.add(f.id()));
    if (coverage) {
      return new Result(true, CoverageGeneraliser.chain(ids, List.of(projected), maxZoom, minZoom));
    }
    Map<Integer, Map<Long, Geometry>> out = new LinkedHashMap<>();
    Geometry[] current = projected;
    for (int z = maxZoom; z >= minZoom; z--) {
      double tolerance = CoverageGeneraliser.toleranceMetres(z);
      double unit = CoverageGeneraliser.unitMetres(z);
      Geometry[] from = current;
      Geometry[] next = new Geometry[from.length];
      IntStream.range(0, from.length)
          .parallel()
          .forEach(
              i -> {
                Geometry g = from[i];
                if (g == null) {
                  return;
                }
                org.locationtech.jts.geom.Envelope e = g.getEnvelopeInternal();
                if (e.getWidth() < unit && e.getHeight() < unit) {
                  return; // below a tile unit: nothing to draw here or at any zoom below
                }
                Geometry s = TopologyPreservingSimplifier.simplify(g, tolerance);
                next[i] = s.isEmpty() ? null : CoverageGeneraliser.packed(s);
              });
      Map<Long, Geometry> byId = new HashMap<>();
      for (int i = 0; i < next.length; i++) {
        if (next[i] != null) {
          byId.put(ids.get(i), next[i]);
        }
      }
      out.put(z, byId);
      current = next;
    }
    return new Result(false, out);
  }
}
