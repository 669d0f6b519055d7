package io.gridmap.layers.edit;

import io.gridmap.layers.edit.EditRefused.Rule;
import io.gridmap.layers.generalise.LocalCoverageGeneraliser;
import io.gridmap.layers.geo.GroundMeasure;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.locationtech.jts.coverage.CoverageUnion;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.valid.IsValidOp;

/**
 * A village is tiled exactly by its grids: when a redraw moves a boundary between grids of two
 * villages, the villages' outlines move with it, in the same write. Each changed village's new
 * outline is the union of its grids as they are after the change (JTS {@code CoverageUnion}: the
 * grids form a coverage, so their union is exact), with the generalised polygons tiles draw of it.
 * A village whose outline stays (a redraw inside it) is left alone.
 */
public final class VillageOutlines {
  /** The villages layer. */
  public static final String LAYER = "villages";

  private VillageOutlines() {}

  /**
   * The villages' change that a grid change brings with it; empty when no village outline moves.
   *
   * @throws EditRefused when a village would not be a valid polygon, or tiles could not draw it
   */
  public static List<Change> after(CityIndex current, Change gridChange) {
    if (!GridRedraw.LAYER.equals(gridChange.layer())) {
      return List.of();
    }
    LayerIndex villages = current.findLayer(LAYER).orElse(null);
    if (villages == null) {
      return List.of();
    }
    LayerIndex grids = current.layer(GridRedraw.LAYER);
    int villageField = grids.def().requireField("village_code");
    Map<Long, Feature> after = new LinkedHashMap<>();
    Set<Long> gone = new java.util.HashSet<>(); // retired grids: no longer part of any village
    Set<String> touched = new LinkedHashSet<>();
    for (Change.Replacement r : gridChange.replacements()) {
      if (!r.geometryChanged()) {
        continue;
      }
      if (r.after() == null) {
        gone.add(r.id());
      }
      if (r.before() != null) {
        touched.add(r.before().string(villageField));
      }
      if (r.after() != null) {
        after.put(r.id(), r.after());
        touched.add(r.after().string(villageField));
      }
    }
    Map<Long, Geometry> outlines = new LinkedHashMap<>();
    Map<Long, Feature> before = new LinkedHashMap<>();
    for (String code : touched) {
      Feature village = villages.byId(Long.parseLong(code)).orElse(null);
      if (village == null) {
        continue;
      }
      List<Geometry> parts = new ArrayList<>();
      grids.queryOrdinals(
          expanded(village, after, villageField, code),
          o -> {
            Feature g = grids.feature(o);
            if (code.equals(g.string(villageField))
                && !after.containsKey(g.id())
                && !gone.contains(g.id())) {
              parts.add(g.geometry());
            }
          });
      after.values().stream()
          .filter(g -> code.equals(g.string(villageField)))
          .forEach(g -> parts.add(g.geometry()));
      if (parts.isEmpty()) {
        continue;
      }
      Geometry outline = CoverageUnion.union(parts.toArray(Geometry[]::new));
      if (unchanged(village.geometry(), outline)) {
        continue;
      }
      if (!new IsValidOp(outline).isValid()
          || !(outline instanceof Polygon || outline instanceof MultiPolygon)) {
        throw new EditRefused(
            Rule.VALID_POLYGON,
            null,
            "village "
                + code
                + " would not be a valid polygon after the redraw: its grids no longer join"
                + " into one outline",
            outline);
      }
      outlines.put(village.id(), shaped(village.geometry(), outline));
      before.put(village.id(), village);
    }
    if (outlines.isEmpty()) {
      return List.of();
    }
    LocalCoverageGeneraliser.Result gen =
        LocalCoverageGeneraliser.regeneralise(current, LAYER, outlines);
    if (!gen.consistent()) {
      throw new EditRefused(
          Rule.TILES,
          null,
          "the villages' new outlines cannot be generalised for tiles consistently with the"
              + " villages around them ("
              + gen.failure()
              + "); move the boundary by more than a few metres");
    }
    List<Change.Replacement> replacements = new ArrayList<>();
    outlines.forEach(
        (id, g) -> {
          Feature v = before.get(id);
          replacements.add(
              new Change.Replacement(v, new Feature(id, g, v.values().clone(), v.personal())));
        });
    return List.of(new Change(LAYER, replacements, gen.polygons()));
  }

  /** Where a village's grids are, before and after: its outline and the moved grids of it. */
  private static org.locationtech.jts.geom.Envelope expanded(
      Feature village, Map<Long, Feature> after, int villageField, String code) {
    org.locationtech.jts.geom.Envelope e =
        new org.locationtech.jts.geom.Envelope(village.geometry().getEnvelopeInternal());
    after.values().stream()
        .filter(g -> code.equals(g.string(villageField)))
        .forEach(g -> e.expandToInclude(g.geometry().getEnvelopeInternal()));
    return e;
  }

  /**
   * The same outline within the redraw tolerance: a redraw inside a village leaves it, even when
   * the stored village and the union of its grids differ by rounding.
   */
  private static boolean unchanged(Geometry old, Geometry now) {
    Geometry diff = OverlayNG.overlay(old, now, OverlayNG.SYMDIFFERENCE, GridRedraw.PRECISION);
    return GroundMeasure.areaM2(diff) <= GridRedraw.AREA_TOLERANCE_M2;
  }

  /** Shaped like the stored one: a MultiPolygon column keeps a one-part MultiPolygon. */
  private static Geometry shaped(Geometry old, Geometry now) {
    if (old instanceof MultiPolygon && now instanceof Polygon p) {
      return now.getFactory().createMultiPolygon(new Polygon[] {p});
    }
    return now;
  }
}
