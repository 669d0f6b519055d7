package io.gridmap.layers.generalise;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.coverage.CoverageSimplifier;
import org.locationtech.jts.geom.Geometry;

/**
 * Simplifies a coverage layer (districts, streets, villages, grids) once per zoom, as one coverage,
 * so that no zoom shows a gap or an overlap between neighbours.
 *
 * <p>Geometries are projected to EPSG:3857 and simplified with JTS {@link CoverageSimplifier}
 * (Visvalingam-Whyatt on shared edges) at {@link #TOLERANCE_UNITS} tile units. A tile is 4096 units
 * wide, so one unit at zoom z is 2·{@link WebMercator#HALF_WORLD} / (4096·2^z) metres: 9.8 km at
 * z0, 0.6 m at z14, and the tolerance is 39 km at z0 and 2.4 m at z14. Four units are a quarter of
 * a pixel on a 256-pixel tile: no visible change, yet the densified borders (a vertex every 40 m,
 * off the straight line by under a centimetre) fall to a handful of vertices per edge.
 *
 * <p>Zooms are simplified from the most detailed down, each from the one above it: the tolerance
 * doubles per zoom, so the error adds up to at most twice the zoom's own tolerance, and each step
 * starts from a coverage that is already small (the full city's grids at z12 start from z13's).
 */
public final class CoverageGeneraliser {
  /** Simplification tolerance in tile units (4096 per tile). */
  public static final double TOLERANCE_UNITS = 4;

  /** Tile extent in units. */
  public static final int EXTENT = 4096;

  private CoverageGeneraliser() {}

  /** Metres of EPSG:3857 per tile unit at a zoom. */
  public static double unitMetres(int zoom) {
    return 2 * WebMercator.HALF_WORLD / (EXTENT * Math.pow(2, zoom));
  }

  /** The simplification tolerance at a zoom, EPSG:3857 metres. */
  public static double toleranceMetres(int zoom) {
    return TOLERANCE_UNITS * unitMetres(zoom);
  }

  /**
   * Generalises every zoom of a coverage layer's range into {@code into}.
   *
   * @throws IllegalArgumentException when the layer is not a coverage layer
   */
  public static void generalise(Layer layer, Generalised into) {
    generalise(layer).forEach((zoom, byId) -> into.put(layer.name(), zoom, byId));
  }

  /** The layer's polygons by zoom and feature id, in EPSG:3857 metres. */
  public static Map<Integer, Map<Long, Geometry>> generalise(Layer layer) {
    LayerDef def = layer.def();
    if (!def.coverage()) {
      throw new IllegalArgumentException("layer " + def.name() + " is not a coverage layer");
    }
    List<Long> ids = new ArrayList<>(layer.size());
    List<Geometry> current = new ArrayList<>(layer.size());
    for (Feature f : layer.features()) {
      ids.add(f.id());
      current.add(WebMercator.project(f.geometry()));
    }
    return chain(ids, current, def.maxZoom(), def.minZoom());
  }

  /**
   * Simplified polygons are kept with their coordinates packed: 16 bytes a vertex against the 48 of
   * JTS's Coordinate objects. The chain holds every zoom of the layer at once (the full city's
   * grids at seven zooms), so this is most of the memory generalising takes.
   */
  private static final org.locationtech.jts.geom.GeometryFactory PACKED =
      new org.locationtech.jts.geom.GeometryFactory(
          new org.locationtech.jts.geom.PrecisionModel(),
          0,
          org.locationtech.jts.geom.impl.PackedCoordinateSequenceFactory.DOUBLE_FACTORY);

  /** {@code g} with packed coordinates (null stays null). */
  public static Geometry packed(Geometry g) {
    if (g == null
        || g.isEmpty()
        || g.getFactory().getCoordinateSequenceFactory() == PACKED.getCoordinateSequenceFactory()) {
      return g;
    }
    return PACKED.createGeometry(g);
  }

  /**
   * The per-zoom chain on a set of EPSG:3857 polygons that form a coverage: {@code maxZoom} from
   * the polygons given, each lower zoom from the one above; a polygon that simplifies to nothing is
   * left out of its zoom and of every zoom below. {@link LocalCoverageGeneraliser} runs the same
   * chain on the neighbourhood of an edit.
   *
   * @param ids feature ids, parallel to {@code projected}
   * @param projected the polygons in EPSG:3857 metres
   * @return zoom -> feature id -> simplified polygon
   */
  public static Map<Integer, Map<Long, Geometry>> chain(
      List<Long> ids, List<Geometry> projected, int maxZoom, int minZoom) {
    List<Long> currentIds = ids;
    List<Geometry> current = projected;
    Map<Integer, Map<Long, Geometry>> out = new LinkedHashMap<>();
    for (int zoom = maxZoom; zoom >= minZoom; zoom--) {
      Geometry[] simplified =
          CoverageSimplifier.simplify(current.toArray(Geometry[]::new), toleranceMetres(zoom));
      List<Long> keptIds = new ArrayList<>(currentIds.size());
      List<Geometry> kept = new ArrayList<>(currentIds.size());
      Map<Long, Geometry> byId = new HashMap<>();
      for (int i = 0; i < simplified.length; i++) {
        Geometry g = packed(simplified[i]);
        if (g != null && !g.isEmpty()) {
          keptIds.add(currentIds.get(i));
          kept.add(g);
          byId.put(currentIds.get(i), g);
        }
      }
      out.put(zoom, byId);
      currentIds = keptIds;
      current = kept;
    }
    return out;
  }
}
