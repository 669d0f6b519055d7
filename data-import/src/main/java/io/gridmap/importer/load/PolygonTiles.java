package io.gridmap.importer.load;

import io.gridmap.layers.generalise.BlockCoverageSimplifier;
import io.gridmap.layers.generalise.CoverageGeneraliser;
import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.model.Feature;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.locationtech.jts.coverage.CoveragePolygonValidator;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.index.strtree.STRtree;
import org.locationtech.jts.simplify.TopologyPreservingSimplifier;

/**
 * The per-zoom polygons tiles draw for an imported polygon layer, in EPSG:3857 metres, made once at
 * import so the server starts without simplifying. Polygons that form a coverage (no overlaps,
 * edges shared exactly: a grid layer from a survey bureau) are simplified together with JTS {@code
 * CoverageSimplifier}, as the generated city's, so neighbours never part; others (sites' outlines,
 * which may overlap) each on their own with {@code TopologyPreservingSimplifier} at the same
 * tolerance, leaving out a polygon smaller than a tile unit at that zoom.
 *
 * <p>Memory: a file may be larger than the heap. The features are held once (lon/lat, packed);
 * their projections are made a block at a time and dropped; the coverage check and the
 * simplification run block by block ({@link BlockCoverageSimplifier}: JTS's coverage structures
 * take some 200 bytes a vertex, 530 MB for a 65,000-cell grid layer at once); each zoom is kept as
 * numbers ({@link PackedPolygons}) for the store's one transaction.
 */
final class PolygonTiles {
  private PolygonTiles() {}

  /** The zooms' polygons, and whether the layer is a coverage. */
  record Result(boolean coverage, Map<Integer, Map<Long, Geometry>> byZoom) {}

  /** Polygons a block: {@link BlockCoverageSimplifier#BLOCK}; tests set fewer. */
  static int blockSize = BlockCoverageSimplifier.BLOCK;

  /** The blocks of the features, by their lon/lat envelopes (the projection keeps their order). */
  static int[][] blocks(List<Feature> features) {
    return BlockCoverageSimplifier.blocks(
        features.size(), i -> features.get(i).geometry().getEnvelopeInternal(), blockSize);
  }

  /** Feature i's polygon in EPSG:3857 metres, made anew. */
  private static Geometry projected(List<Feature> features, int i) {
    return WebMercator.project(features.get(i).geometry());
  }

  /**
   * True when the polygons form a coverage: no overlaps, shared edges matched vertex for vertex.
   * The check of JTS {@code CoverageValidator.isValid} (each polygon against those whose envelope
   * meets its own, with JTS {@link CoveragePolygonValidator}), run block by block so that only a
   * block's projections and those of its neighbours exist at once.
   */
  static boolean isCoverage(List<Feature> features, int[][] blocks) {
    int n = features.size();
    STRtree index = new STRtree();
    for (int i = 0; i < n; i++) {
      index.insert(WebMercator.project(features.get(i).geometry().getEnvelopeInternal()), i);
    }
    for (int[] block : blocks) {
      Map<Integer, Geometry> projections = new HashMap<>();
      IntFunction<Geometry> p = i -> projections.computeIfAbsent(i, k -> projected(features, k));
      for (int i : block) {
        Geometry target = p.apply(i);
        @SuppressWarnings("unchecked")
        List<Integer> near = index.query(new Envelope(target.getEnvelopeInternal()));
        Geometry[] adjacent =
            near.stream().filter(j -> j != i).map(p::apply).toArray(Geometry[]::new);
        if (!CoveragePolygonValidator.validate(target, adjacent).isEmpty()) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Simplifies each zoom from {@code maxZoom} down, each from the one above.
   *
   * @param coverage {@link #isCoverage} of them
   */
  static Result generalise(
      List<Feature> features, int[][] blocks, boolean coverage, int minZoom, int maxZoom) {
    int n = features.size();
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = features.get(i).id();
    }
    int[] byId = PackedPolygons.orderById(ids);
    Map<Integer, Map<Long, Geometry>> out = new LinkedHashMap<>();
    PackedPolygons above = null;
    for (int z = maxZoom; z >= minZoom; z--) {
      PackedPolygons from = above;
      IntFunction<Geometry> current = from == null ? i -> projected(features, i) : from::polygon;
      PackedPolygons zoom = new PackedPolygons(ids, byId, i -> projected(features, i));
      double tolerance = CoverageGeneraliser.toleranceMetres(z);
      if (coverage) {
        // a polygon simplified away is left out of this zoom and every zoom below, as
        // CoverageGeneraliser.chain does
        BlockCoverageSimplifier.simplify(current, blocks, tolerance, zoom::put);
      } else {
        simplifyEach(n, current, tolerance, CoverageGeneraliser.unitMetres(z), zoom);
      }
      out.put(z, zoom);
      above = zoom;
    }
    return new Result(coverage, out);
  }

  /** Each polygon on its own, in parallel a chunk at a time (a chunk's results held at once). */
  private static void simplifyEach(
      int n, IntFunction<Geometry> current, double tolerance, double unit, PackedPolygons into) {
    int chunk = 4096;
    for (int start = 0; start < n; start += chunk) {
      int from = start;
      Geometry[] next = new Geometry[Math.min(chunk, n - start)];
      IntStream.range(0, next.length)
          .parallel()
          .forEach(
              k -> {
                Geometry g = current.apply(from + k);
                if (g == null) {
                  return;
                }
                Envelope e = g.getEnvelopeInternal();
                if (e.getWidth() < unit && e.getHeight() < unit) {
                  return; // below a tile unit: nothing to draw here or at any zoom below
                }
                Geometry s = TopologyPreservingSimplifier.simplify(g, tolerance);
                next[k] = s.isEmpty() ? null : s;
              });
      for (int k = 0; k < next.length; k++) {
        into.put(from + k, next[k]);
      }
    }
  }
}
