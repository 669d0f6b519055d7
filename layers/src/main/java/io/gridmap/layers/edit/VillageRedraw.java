package io.gridmap.layers.edit;

import io.gridmap.layers.edit.EditRefused.Rule;
import io.gridmap.layers.geo.GroundMeasure;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.UnaryUnionNG;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;

/**
 * Plans a redraw of the boundary two neighbouring villages of one street share, given as the two
 * villages' new outlines: their grids follow, and the result is planned as the cross-village grid
 * redraw it amounts to ({@link GridRedraw#plan}), so every grid rule, the generalisation for tiles
 * and the villages' outlines ({@link VillageOutlines}) apply exactly as there.
 *
 * <p>The checks, in order (each refusal an {@link EditRefused} naming the rule and the village):
 *
 * <ol>
 *   <li>exactly two villages, both known (unknown-feature), of one street and sharing a stretch of
 *       boundary (one-village); at most {@link GridRedraw.Limits#maxVerticesPerRequest} vertices
 *       (request-cap);
 *   <li>per outline: a Polygon or MultiPolygon (polygon), snapped to {@link GridRedraw#PRECISION}
 *       without collapsing, valid by JTS {@code IsValidOp} (valid-polygon), with area (not-empty);
 *   <li>together they cover what the two villages covered, within {@link
 *       GridRedraw#AREA_TOLERANCE_M2}: nothing outside (same-outline), nothing left out (no-gap),
 *       and they do not overlap each other (no-overlap);
 *   <li>each grid keeps at least some area (not-empty, with the grid's old outline).
 * </ol>
 *
 * <p>How the grids follow. The first village's new outline (the lower code) is the cutter: every
 * grid of either village is split by it with one JTS {@code OverlayNG} call per grid on the store's
 * precision model, the part inside it and the part outside it coming from the same noding, so the
 * two sides of every new boundary carry the same vertices. A grid keeps the part that lies in its
 * own village's new outline. Each connected piece a village gains (the parts of the other village's
 * grids that now lie in it, joined) goes to:
 *
 * <ol>
 *   <li>the grid of the gaining village that shares the longest boundary with the piece;
 *   <li>on a tie (lengths equal to the centimetre), the one with the lowest code;
 *   <li>when no grid of the gaining village shares a boundary with it (a sliver left where an
 *       outline strays from the old one by less than the tolerance, or a part of the new outline
 *       that touches the village nowhere), it stays in the grids it came from; the last check
 *       refuses the redraw (same-outline) when that leaves the village more than {@link
 *       GridRedraw#AREA_TOLERANCE_M2} away from its requested outline.
 * </ol>
 *
 * <p>Stretches of an outline that do not move must be given as read (vertex for vertex): they are
 * the boundary with the villages around, whose grids must still match vertex for vertex (rule
 * shared-edges).
 *
 * <p>Each village's stored outline is then derived by {@link VillageOutlines} as the union of its
 * grids; {@link #plan} checks that this union equals the requested outline within {@link
 * GridRedraw#AREA_TOLERANCE_M2} (same-outline otherwise). The union has the requested shape, and
 * may carry more vertices than the request: where grid boundaries meet it.
 */
public final class VillageRedraw {
  /** The villages layer. */
  public static final String LAYER = VillageOutlines.LAYER;

  private VillageRedraw() {}

  /**
   * A planned village redraw.
   *
   * @param grids the grid redraw it amounts to: the grids' change, the generalised polygons, and
   *     the ids of the grids whose outline changed
   * @param villages the two village codes, in code order
   */
  public record Plan(GridRedraw.Plan grids, List<String> villages) {}

  /**
   * Plans a village redraw against {@code current}.
   *
   * @param requested 12-digit village code -> new outline (lon/lat Polygon or MultiPolygon)
   * @throws EditRefused naming the rule broken; {@link Rule#NO_CHANGE} when no grid moves
   */
  public static Plan plan(
      CityIndex current, Map<String, Geometry> requested, GridRedraw.Limits limits) {
    LayerIndex villages =
        current
            .findLayer(LAYER)
            .orElseThrow(
                () ->
                    new EditRefused(
                        Rule.UNKNOWN_FEATURE, null, "this map has no villages layer to redraw"));
    Map<String, Geometry> asked = new TreeMap<>(requested);
    if (asked.size() != 2) {
      throw new EditRefused(
          Rule.ONE_VILLAGE,
          null,
          "the redraw names "
              + asked.size()
              + " village(s); a village redraw moves the boundary two neighbouring villages of one"
              + " street share: expected exactly 2");
    }
    long vertices = asked.values().stream().mapToLong(Geometry::getNumPoints).sum();
    if (vertices > limits.maxVerticesPerRequest()) {
      throw new EditRefused(
          Rule.REQUEST_CAP,
          null,
          "the redraw holds "
              + vertices
              + " vertices; at most "
              + limits.maxVerticesPerRequest()
              + " are accepted in one request");
    }
    List<String> codes = new ArrayList<>(asked.keySet());
    String first = codes.get(0);
    String second = codes.get(1);
    Map<String, Feature> before = new LinkedHashMap<>();
    for (String code : codes) {
      Feature v =
          (code.matches("\\d{12}")
                  ? villages.byId(Long.parseLong(code))
                  : java.util.Optional.<Feature>empty())
              .orElseThrow(
                  () ->
                      new EditRefused(
                          Rule.UNKNOWN_FEATURE,
                          null,
                          "village "
                              + code
                              + " does not exist; a village redraw names existing villages by their"
                              + " 12-digit code"));
      before.put(code, v);
    }
    neighbours(first, second, before.get(first).geometry(), before.get(second).geometry());

    GeometryFactory factory = before.get(first).geometry().getFactory();
    Map<String, Geometry> outlines = new LinkedHashMap<>();
    List<EditRefused.Violation> problems = new ArrayList<>();
    for (String code : codes) {
      try {
        outlines.put(code, checkedOutline(code, asked.get(code), factory));
      } catch (EditRefused r) {
        problems.addAll(r.violations());
      }
    }
    if (!problems.isEmpty()) {
      throw new EditRefused(problems);
    }
    checkSameOutline(before, outlines);

    Map<Long, Geometry> grids = followingGrids(current, first, second, outlines);
    checkVillagesAsRequested(current, outlines, grids);
    if (grids.isEmpty()) {
      throw new EditRefused(
          Rule.NO_CHANGE, null, "both villages already have the outlines given: no grid moves");
    }
    return new Plan(GridRedraw.plan(current, grids, limits), List.copyOf(codes));
  }

  /** Two villages of one street that share a stretch of boundary (not a point only). */
  private static void neighbours(String a, String b, Geometry ga, Geometry gb) {
    if (!a.regionMatches(0, b, 0, 9)) {
      throw new EditRefused(
          Rule.ONE_VILLAGE,
          Long.parseLong(b),
          "village "
              + b
              + " lies in another street than village "
              + a
              + "; a village redraw moves the boundary two neighbouring villages of one street share"
              + " (the street's outline stays)");
    }
    if (!ga.getEnvelopeInternal().intersects(gb.getEnvelopeInternal())
        || ga.relate(gb).get(Location.BOUNDARY, Location.BOUNDARY) < 1) {
      throw new EditRefused(
          Rule.ONE_VILLAGE,
          Long.parseLong(b),
          "villages "
              + a
              + " and "
              + b
              + " share no stretch of boundary; a village redraw moves the boundary two neighbours"
              + " share");
    }
  }

  /** The outline snapped to 1e-7 degrees and checked: polygonal, valid, with area. */
  private static Geometry checkedOutline(String code, Geometry g, GeometryFactory factory) {
    long id = Long.parseLong(code);
    if (!(g instanceof Polygon) && !(g instanceof MultiPolygon)) {
      throw new EditRefused(
          Rule.POLYGON,
          id,
          "village "
              + code
              + " has a "
              + g.getGeometryType()
              + "; expected a Polygon or MultiPolygon",
          g);
    }
    Geometry snapped = GridRedraw.snap("village", id, g, factory);
    if (snapped instanceof MultiPolygon m && m.getNumGeometries() == 1) {
      snapped = m.getGeometryN(0);
    }
    if (snapped.isEmpty()) {
      throw new EditRefused(
          Rule.NOT_EMPTY,
          id,
          "village " + code + "'s new outline is empty; a village keeps area",
          g);
    }
    IsValidOp valid = new IsValidOp(snapped);
    if (!valid.isValid()) {
      TopologyValidationError err = valid.getValidationError();
      throw new EditRefused(
          Rule.VALID_POLYGON,
          id,
          "village "
              + code
              + "'s new outline is not a valid polygon: "
              + err.getMessage()
              + " at "
              + lonLat(err.getCoordinate())
              + " (JTS IsValidOp, after snapping to 1e-7 degrees); rings must be closed, not"
              + " self-intersecting, holes inside their shell",
          err.getCoordinate() == null ? snapped : factory.createPoint(err.getCoordinate()));
    }
    if (snapped.getArea() == 0) {
      throw new EditRefused(
          Rule.NOT_EMPTY,
          id,
          "village " + code + "'s new outline has no area; a village keeps area",
          snapped);
    }
    return snapped;
  }

  /** Positions rounded to 1e-7 degrees, repeats dropped; a ring that collapses is refused. */
  /**
   * The new outlines cover what the old ones did, within the tolerance, and do not overlap: the
   * street's outline and every other village stay as they are.
   */
  private static void checkSameOutline(
      Map<String, Feature> before, Map<String, Geometry> outlines) {
    List<Geometry> old = before.values().stream().map(Feature::geometry).toList();
    Geometry oldUnion = union(old);
    Geometry newUnion = union(outlines.values());
    List<EditRefused.Violation> problems = new ArrayList<>();
    Geometry outside =
        OverlayNG.overlay(newUnion, oldUnion, OverlayNG.DIFFERENCE, GridRedraw.PRECISION);
    double outsideM2 = GroundMeasure.areaM2(outside);
    if (outsideM2 > GridRedraw.AREA_TOLERANCE_M2) {
      String code = GridRedraw.largestOverlap(outside, outlines);
      problems.add(
          new EditRefused.Violation(
              Rule.SAME_OUTLINE,
              Long.parseLong(code),
              String.format(
                  Locale.ROOT,
                  "village %s's new outline covers %.1f m² outside the two villages, near %s; the"
                      + " two new outlines together must cover exactly what the villages covered"
                      + " (the street's outline and the villages around stay as they are)",
                  code,
                  outsideM2,
                  lonLat(outside.getInteriorPoint().getCoordinate())),
              outside));
    }
    Geometry gap =
        OverlayNG.overlay(oldUnion, newUnion, OverlayNG.DIFFERENCE, GridRedraw.PRECISION);
    double gapM2 = GroundMeasure.areaM2(gap);
    if (gapM2 > GridRedraw.AREA_TOLERANCE_M2) {
      Map<String, Geometry> was = new LinkedHashMap<>();
      before.forEach((k, f) -> was.put(k, f.geometry()));
      String code = GridRedraw.largestOverlap(gap, was);
      problems.add(
          new EditRefused.Violation(
              Rule.NO_GAP,
              Long.parseLong(code),
              String.format(
                  Locale.ROOT,
                  "the new outlines leave %.1f m² of village %s's old area in neither village, near"
                      + " %s; every part of the two villages must stay in exactly one of them",
                  gapM2,
                  code,
                  lonLat(gap.getInteriorPoint().getCoordinate())),
              gap));
    }
    List<Geometry> both = new ArrayList<>(outlines.values());
    Geometry overlap =
        OverlayNG.overlay(both.get(0), both.get(1), OverlayNG.INTERSECTION, GridRedraw.PRECISION);
    double overlapM2 = GroundMeasure.areaM2(overlap);
    if (overlapM2 > GridRedraw.AREA_TOLERANCE_M2) {
      List<String> codes = new ArrayList<>(outlines.keySet());
      problems.add(
          new EditRefused.Violation(
              Rule.NO_OVERLAP,
              Long.parseLong(codes.get(0)),
              String.format(
                  Locale.ROOT,
                  "villages %s and %s would overlap by %.1f m² near %s; villages may share a"
                      + " boundary but not area",
                  codes.get(0),
                  codes.get(1),
                  overlapM2,
                  lonLat(overlap.getInteriorPoint().getCoordinate())),
              overlap));
    }
    if (!problems.isEmpty()) {
      throw new EditRefused(problems);
    }
  }

  /** A part of a grid that changes village, and the grid it comes from. */
  private record Fragment(long from, Geometry area) {}

  /**
   * The new outline of every grid of the two villages whose outline changes.
   *
   * @throws EditRefused not-empty for each grid left without area
   */
  private static Map<Long, Geometry> followingGrids(
      CityIndex current, String first, String second, Map<String, Geometry> outlines) {
    LayerIndex grids = current.layer(GridRedraw.LAYER);
    int villageField = grids.def().requireField("village_code");
    Geometry cutter = outlines.get(first);
    Map<String, Map<Long, Feature>> byVillage = new LinkedHashMap<>();
    for (String code : List.of(first, second)) {
      Map<Long, Feature> of = new TreeMap<>();
      Feature village = current.layer(LAYER).byId(Long.parseLong(code)).orElseThrow();
      grids.queryOrdinals(
          village.geometry().getEnvelopeInternal(),
          o -> {
            Feature g = grids.feature(o);
            if (code.equals(g.string(villageField))) {
              of.put(g.id(), g);
            }
          });
      byVillage.put(code, of);
    }
    // every grid split by the cutter once: its two sides come from one noding
    Map<Long, Geometry> kept = new TreeMap<>();
    Map<String, List<Fragment>> gained = new LinkedHashMap<>();
    gained.put(first, new ArrayList<>());
    gained.put(second, new ArrayList<>());
    for (String code : List.of(first, second)) {
      boolean isFirst = code.equals(first);
      String other = isFirst ? second : first;
      for (Feature g : byVillage.get(code).values()) {
        Geometry inside =
            polygonal(
                OverlayNG.overlay(
                    g.geometry(), cutter, OverlayNG.INTERSECTION, GridRedraw.PRECISION));
        Geometry outside =
            polygonal(
                OverlayNG.overlay(
                    g.geometry(), cutter, OverlayNG.DIFFERENCE, GridRedraw.PRECISION));
        Geometry own = isFirst ? inside : outside;
        Geometry lost = isFirst ? outside : inside;
        kept.put(g.id(), own);
        if (!lost.isEmpty()) {
          gained.get(other).add(new Fragment(g.id(), lost));
        }
      }
    }
    // each connected piece a village gains, to the grid that takes it
    Map<Long, List<Geometry>> parts = new TreeMap<>();
    kept.forEach(
        (id, g) -> {
          parts.put(id, new ArrayList<>());
          if (!g.isEmpty()) {
            parts.get(id).add(g);
          }
        });
    for (String code : List.of(first, second)) {
      List<Fragment> fragments = gained.get(code);
      if (fragments.isEmpty()) {
        continue;
      }
      Geometry pieces = union(fragments.stream().map(Fragment::area).toList());
      for (int i = 0; i < pieces.getNumGeometries(); i++) {
        Geometry piece = pieces.getGeometryN(i);
        Long to = taker(piece, byVillage.get(code).keySet(), kept);
        if (to != null) {
          parts.get(to).add(piece);
          continue;
        }
        // no grid of the gaining village borders it: it stays where it was
        PreparedGeometry in = PreparedGeometryFactory.prepare(piece);
        for (Fragment f : fragments) {
          if (in.covers(f.area().getInteriorPoint())) {
            parts.get(f.from()).add(f.area());
          }
        }
      }
    }
    Map<Long, Geometry> changed = new LinkedHashMap<>();
    List<EditRefused.Violation> empty = new ArrayList<>();
    for (Map.Entry<Long, List<Geometry>> e : parts.entrySet()) {
      long id = e.getKey();
      Feature old = grids.byId(id).orElseThrow();
      if (e.getValue().isEmpty()) {
        empty.add(
            new EditRefused.Violation(
                Rule.NOT_EMPTY,
                id,
                "grid "
                    + id
                    + " of village "
                    + old.string(villageField)
                    + " would be left without area: the new outline gives all of it to the other"
                    + " village; every grid keeps a part of its village (retire or merge it first,"
                    + " or draw the boundary so it keeps some)",
                old.geometry()));
        continue;
      }
      Geometry now =
          e.getValue().size() == 1 && e.getValue().get(0).equalsExact(old.geometry())
              ? old.geometry()
              : polygonal(union(e.getValue()));
      if (!(now.getNumPoints() == old.geometry().getNumPoints()
          && now.norm().equalsExact(old.geometry().norm()))) {
        changed.put(id, now);
      }
    }
    if (!empty.isEmpty()) {
      throw new EditRefused(empty);
    }
    return changed;
  }

  /**
   * The grid of the gaining village that shares the longest boundary with the piece, the lowest
   * code on a tie to the centimetre; null when none shares more than a point.
   */
  private static Long taker(Geometry piece, Collection<Long> candidates, Map<Long, Geometry> kept) {
    Geometry edge = piece.getBoundary();
    Long best = null;
    long bestCm = 0;
    for (long id : candidates) {
      Geometry g = kept.get(id);
      if (g.isEmpty() || !g.getEnvelopeInternal().intersects(piece.getEnvelopeInternal())) {
        continue;
      }
      Geometry shared =
          OverlayNG.overlay(edge, g.getBoundary(), OverlayNG.INTERSECTION, GridRedraw.PRECISION);
      long cm = Math.round(groundLength(shared) * 100);
      if (cm > bestCm) { // candidates come in code order: the lowest code wins a tie
        bestCm = cm;
        best = id;
      }
    }
    return best;
  }

  /** Length on the ground, in metres, of lon/lat lines. */
  private static double groundLength(Geometry lines) {
    double m = 0;
    for (int i = 0; i < lines.getNumGeometries(); i++) {
      Coordinate[] cs = lines.getGeometryN(i).getCoordinates();
      for (int k = 1; k < cs.length; k++) {
        m += GroundMeasure.metres(cs[k - 1], cs[k]);
      }
    }
    return m;
  }

  /**
   * Each village as its grids will have it (what {@link VillageOutlines} stores) equals the outline
   * requested, within the tolerance.
   */
  private static void checkVillagesAsRequested(
      CityIndex current, Map<String, Geometry> outlines, Map<Long, Geometry> changed) {
    LayerIndex grids = current.layer(GridRedraw.LAYER);
    int villageField = grids.def().requireField("village_code");
    List<EditRefused.Violation> problems = new ArrayList<>();
    for (Map.Entry<String, Geometry> e : outlines.entrySet()) {
      String code = e.getKey();
      Feature village = current.layer(LAYER).byId(Long.parseLong(code)).orElseThrow();
      List<Geometry> parts = new ArrayList<>();
      changed.forEach(
          (id, g) -> {
            if (code.equals(grids.byId(id).orElseThrow().string(villageField))) {
              parts.add(g);
            }
          });
      grids.queryOrdinals(
          village.geometry().getEnvelopeInternal(),
          o -> {
            Feature g = grids.feature(o);
            if (code.equals(g.string(villageField)) && !changed.containsKey(g.id())) {
              parts.add(g.geometry());
            }
          });
      if (parts.isEmpty()) {
        continue; // a village without grids: nothing follows it, nothing to compare
      }
      Geometry diff =
          OverlayNG.overlay(
              union(parts), e.getValue(), OverlayNG.SYMDIFFERENCE, GridRedraw.PRECISION);
      double m2 = GroundMeasure.areaM2(diff);
      if (m2 > GridRedraw.AREA_TOLERANCE_M2) {
        problems.add(
            new EditRefused.Violation(
                Rule.SAME_OUTLINE,
                Long.parseLong(code),
                String.format(
                    Locale.ROOT,
                    "village %s's grids would cover %.1f m² more or less than its new outline, near"
                        + " %s: a part the village gains touches none of its grids; draw the"
                        + " boundary so every part a village gains borders one of its grids",
                    code,
                    m2,
                    lonLat(diff.getInteriorPoint().getCoordinate())),
                diff));
      }
    }
    if (!problems.isEmpty()) {
      throw new EditRefused(problems);
    }
  }

  private static Geometry union(Collection<Geometry> gs) {
    Geometry all = gs.iterator().next().getFactory().buildGeometry(gs);
    return UnaryUnionNG.union(all, GridRedraw.PRECISION);
  }

  /** The polygonal part of an overlay result (a collapsed sliver may leave lines or points). */
  private static Geometry polygonal(Geometry g) {
    if (g instanceof Polygon || g instanceof MultiPolygon) {
      return g;
    }
    List<Polygon> ps = new ArrayList<>();
    for (int i = 0; i < g.getNumGeometries(); i++) {
      if (g.getGeometryN(i) instanceof Polygon p && !p.isEmpty()) {
        ps.add(p);
      }
    }
    return ps.size() == 1
        ? ps.get(0)
        : g.getFactory().createMultiPolygon(ps.toArray(Polygon[]::new));
  }

  private static String lonLat(Coordinate c) {
    return c == null ? "(unknown)" : String.format(Locale.ROOT, "(%.7f, %.7f)", c.x, c.y);
  }
}
