package io.gridmap.layers.edit;

import io.gridmap.layers.edit.EditRefused.Rule;
import io.gridmap.layers.generalise.LocalCoverageGeneraliser;
import io.gridmap.layers.geo.GroundMeasure;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.locationtech.jts.coverage.CoverageUnion;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateArrays;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;

/**
 * Plans a redraw of grid boundaries inside one village against the current index: new outlines for
 * some grids, checked against the topology rules, with the generalised polygons tiles need. The
 * rules, in the order they are checked (each refusal is an {@link EditRefused} naming the rule and
 * the grid):
 *
 * <ol>
 *   <li>at most {@link Limits#maxGrids} grids and {@link Limits#maxVerticesPerRequest} vertices
 *       (request-cap), every id a grid (unknown-feature), all in one village or in two neighbouring
 *       villages of one street (one-village; the villages' outlines then follow, {@link
 *       VillageOutlines});
 *   <li>per grid: at most {@link Limits#maxVerticesPerPolygon} vertices (vertex-cap); positions
 *       snapped to the store's 1e-7 degree grid, a ring that collapses there is invalid; not empty
 *       (not-empty); valid by JTS {@code IsValidOp} (valid-polygon, with JTS's reason and where);
 *   <li>the new grids cover exactly what the old ones covered, within {@link #AREA_TOLERANCE_M2}
 *       (same-outline for area added outside, no-gap for area left uncovered): the village stays
 *       tiled exactly and its neighbours keep their outlines;
 *   <li>with the grids around them (any village), the new grids form a valid coverage by JTS {@code
 *       CoverageValidator} with a {@link #GAP_WIDTH_DEGREES} gap width: no overlap (no-overlap),
 *       shared boundaries vertex for vertex (shared-edges);
 *   <li>the tiles can draw it without slivers: {@link LocalCoverageGeneraliser} (tiles).
 * </ol>
 *
 * An edit that changes no outline is refused with {@link Rule#NO_CHANGE}, which callers answer as a
 * success without writing. Attributes are not touched here: a redraw moves boundaries only.
 */
public final class GridRedraw {
  /** The grids layer. */
  public static final String LAYER = "grids";

  /** The store's precision model: 1e-7 degrees, about 1 cm. */
  public static final PrecisionModel PRECISION = new PrecisionModel(1e7);

  /**
   * Area by which the new grids' union may differ from the old one's (square metres): a tenth of a
   * square metre.
   */
  public static final double AREA_TOLERANCE_M2 = 0.1;

  /**
   * Gaps narrower than this between a new grid and its neighbours are refused (degrees, about 10
   * cm).
   */
  public static final double GAP_WIDTH_DEGREES = 1e-6;

  /**
   * The smallest grid an edit may leave (square metres): a tenth of the smallest grid of the
   * generated city (20,000 m², measured with {@code ogrinfo -dialect SQLite -sql "select
   * min(ST_Area(geom))..." } on a full {@code mapserver generate}; see docs/editing.md). Smaller is
   * a sliver left by a careless boundary, not a grid a worker walks.
   */
  public static final double MIN_AREA_M2 = 2_000;

  /** The largest grid (square metres): four times the largest generated grid (24.9 km²). */
  public static final double MAX_AREA_M2 = 100_000_000;

  private GridRedraw() {}

  /**
   * Caps on one redraw.
   *
   * @param maxGrids grids per request
   * @param maxVerticesPerPolygon vertices per grid outline
   * @param maxVerticesPerRequest vertices of all outlines together
   */
  public record Limits(int maxGrids, int maxVerticesPerPolygon, int maxVerticesPerRequest) {
    /** 100 grids (a village holds 2-15), 20,000 vertices a grid, 200,000 a request. */
    public static Limits standard() {
      return new Limits(100, 20_000, 200_000);
    }
  }

  /**
   * A planned redraw.
   *
   * @param change the grids' new versions and the generalised polygons that changed
   * @param village the village code, or the two villages' codes comma-separated
   * @param redrawn ids of the grids whose outline changed
   * @param generalised what the local generalisation did
   */
  public record Plan(
      Change change,
      String village,
      List<Long> redrawn,
      LocalCoverageGeneraliser.Result generalised) {}

  /**
   * A rewrite of some grids of one village (or of two neighbouring villages of one street): the
   * general form of every boundary edit. A redraw only moves outlines; a split retires a grid and
   * adds two; a merge retires some and adds one; creating a grid moves some outlines and adds one.
   *
   * @param outlines existing grid id -> its new outline (any precision; snapped here)
   * @param retired existing grids the rewrite removes
   * @param added new grids with their outline (any precision) and every attribute; their ids are
   *     chosen by the operation (new codes, or a retired grid's own code brought back by a revert)
   * @param successors retired id -> the grid of the rewrite that takes over its assignments
   * @param values existing grid id -> its new attribute values, for grids of {@code outlines} whose
   *     counts an operation estimates again; the others keep theirs
   */
  public record Rewrite(
      Map<Long, Geometry> outlines,
      java.util.Set<Long> retired,
      List<Feature> added,
      Map<Long, Long> successors,
      Map<Long, Object[]> values) {
    public Rewrite {
      outlines = new LinkedHashMap<>(outlines);
      retired = new java.util.TreeSet<>(retired);
      added = List.copyOf(added);
      successors = Map.copyOf(successors);
      values = Map.copyOf(values);
    }

    /** A rewrite in which the grids kept keep their attributes. */
    public Rewrite(
        Map<Long, Geometry> outlines,
        java.util.Set<Long> retired,
        List<Feature> added,
        Map<Long, Long> successors) {
      this(outlines, retired, added, successors, Map.of());
    }

    /** A redraw: outlines move, no grid comes or goes. */
    public static Rewrite redraw(Map<Long, Geometry> outlines) {
      return new Rewrite(outlines, java.util.Set.of(), List.of(), Map.of());
    }

    int size() {
      return outlines.size() + retired.size() + added.size();
    }
  }

  /**
   * Plans a redraw against {@code current}.
   *
   * @param requested grid id -> new outline (lon/lat Polygon or MultiPolygon, any precision)
   * @throws EditRefused naming the rule a grid breaks
   */
  public static Plan plan(CityIndex current, Map<Long, Geometry> requested, Limits limits) {
    return plan(current, Rewrite.redraw(requested), limits);
  }

  /**
   * Plans a rewrite against {@code current}: the same rules as a redraw, over the grids kept,
   * retired and added together (the retired grids' area must be covered by the others exactly).
   *
   * @throws EditRefused naming the rule a grid breaks
   */
  public static Plan plan(CityIndex current, Rewrite rewrite, Limits limits) {
    LayerIndex grids = current.layer(LAYER);
    int villageField = grids.def().requireField("village_code");
    Map<Long, Geometry> asked = new TreeMap<>(rewrite.outlines());
    if (rewrite.size() == 0) {
      throw new EditRefused(
          Rule.REQUEST_CAP,
          null,
          "the redraw holds no grid; expected 1 to " + limits.maxGrids() + " grids of one village");
    }
    if (rewrite.size() > limits.maxGrids()) {
      throw new EditRefused(
          Rule.REQUEST_CAP,
          null,
          "the redraw holds "
              + rewrite.size()
              + " grids; at most "
              + limits.maxGrids()
              + " are accepted in one request");
    }
    long vertices =
        asked.values().stream().mapToLong(Geometry::getNumPoints).sum()
            + rewrite.added().stream().mapToLong(f -> f.geometry().getNumPoints()).sum();
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

    Map<Long, Feature> before = new LinkedHashMap<>();
    // grid id of the first grid seen in each village, in order
    Map<String, Long> villages = new LinkedHashMap<>();
    List<Long> existing = new ArrayList<>(asked.keySet());
    existing.addAll(rewrite.retired());
    for (long id : existing) {
      Feature f =
          grids
              .byId(id)
              .orElseThrow(
                  () ->
                      new EditRefused(
                          Rule.UNKNOWN_FEATURE,
                          id,
                          "grid "
                              + id
                              + " does not exist; a redraw names existing grids by their 15-digit code"));
      if (before.put(id, f) != null) {
        throw new IllegalArgumentException("grid " + id + " is both redrawn and retired");
      }
      if (!asked.containsKey(id) || !pointsOnly(f.geometry(), asked.get(id))) {
        // a neighbour that only takes the points where a new boundary meets its own is no
        // boundary moved: it may lie in any village, of any street
        village(villages, f.string(villageField), id);
      }
    }
    if (before.isEmpty()) {
      Feature f = rewrite.added().get(0);
      throw new EditRefused(
          Rule.SAME_OUTLINE,
          f.id(),
          "new grid "
              + f.id()
              + " takes its area from no grid; a village's grids tile it exactly, so a new grid is"
              + " drawn together with the new outlines of the grids it takes its area from",
          f.geometry());
    }
    for (Feature f : rewrite.added()) {
      if (grids.byId(f.id()).isPresent() || before.containsKey(f.id())) {
        throw new IllegalArgumentException("grid " + f.id() + " is added but exists");
      }
      village(villages, f.string(villageField), f.id());
    }
    String village = String.join(",", villages.keySet());
    if (villages.size() == 2) {
      neighbours(current, villages);
    }

    Map<Long, Geometry> after = new LinkedHashMap<>();
    Map<Long, Geometry> changed = new LinkedHashMap<>();
    // the shape grids of this layer have (Polygon or one-part MultiPolygon), for added grids
    Geometry template = before.values().iterator().next().geometry();
    // every grid's outline is checked before refusing: a planner fixes them all in one round
    List<EditRefused.Violation> problems = new ArrayList<>();
    Map<Long, Geometry> wanted = new LinkedHashMap<>(asked);
    rewrite.added().forEach(f -> wanted.put(f.id(), f.geometry()));
    for (Map.Entry<Long, Geometry> e : wanted.entrySet()) {
      long id = e.getKey();
      Feature was = before.get(id);
      Geometry old = was == null ? template : was.geometry();
      Geometry g;
      try {
        g = checkedOutline(id, e.getValue(), old, limits);
      } catch (EditRefused r) {
        problems.addAll(r.violations());
        continue;
      }
      after.put(id, g);
      if (was == null || !sameShape(old, g)) {
        changed.put(id, g);
        sizeBounds(id, g).ifPresent(problems::add);
      }
    }
    if (!problems.isEmpty()) {
      throw new EditRefused(problems);
    }
    if (changed.isEmpty() && rewrite.retired().isEmpty()) {
      throw new EditRefused(
          Rule.NO_CHANGE, null, "every grid of the redraw already has the outline given");
    }
    if (after.isEmpty()) {
      throw new EditRefused(
          Rule.NOT_EMPTY,
          rewrite.retired().iterator().next(),
          "the edit retires grids and leaves nothing in their place; every part of a village stays"
              + " in a grid");
    }

    Geometry oldUnion =
        CoverageUnion.union(
            before.values().stream().map(Feature::geometry).toArray(Geometry[]::new));
    Geometry newUnion =
        org.locationtech.jts.operation.overlayng.UnaryUnionNG.union(
            collect(after.values()), PRECISION);
    checkSameOutline(oldUnion, newUnion, before, after);
    checkCoverage(grids, oldUnion, after, rewrite.retired());

    LocalCoverageGeneraliser.Result gen =
        LocalCoverageGeneraliser.regeneralise(current, LAYER, changed, rewrite.retired());
    if (!gen.consistent()) {
      throw new EditRefused(
          Rule.TILES,
          changed.isEmpty() ? null : changed.keySet().iterator().next(),
          "the new boundaries cannot be generalised for tiles consistently with the grids around them ("
              + gen.failure()
              + ", with "
              + LocalCoverageGeneraliser.MAX_RINGS
              + " rings of neighbours generalised again); smooth the new"
              + " boundary or move it by more than a few metres");
    }
    List<Change.Replacement> replacements = new ArrayList<>();
    changed.forEach(
        (id, g) -> {
          Feature f = before.get(id);
          if (f != null) {
            Object[] v = rewrite.values().getOrDefault(id, f.values());
            replacements.add(
                new Change.Replacement(f, new Feature(id, g, v.clone(), f.personal())));
          }
        });
    for (Feature f : rewrite.added()) {
      replacements.add(
          Change.Replacement.added(
              new Feature(f.id(), after.get(f.id()), f.values().clone(), f.personal())));
    }
    for (long id : rewrite.retired()) {
      replacements.add(Change.Replacement.retired(before.get(id)));
    }
    return new Plan(
        new Change(LAYER, replacements, gen.polygons(), rewrite.successors()),
        village,
        List.copyOf(changed.keySet()),
        gen);
  }

  /**
   * Whether two outlines of a grid differ only by points on their boundary that the one has and the
   * other lacks, with the same area within {@link #AREA_TOLERANCE_M2}: where a split line meets a
   * neighbour, and the revert of that. Such a change moves no boundary: it may touch a grid of any
   * village or street.
   */
  public static boolean pointsOnly(Geometry a, Geometry b) {
    return (vertexOnly(a, b) || vertexOnly(b, a))
        && Math.abs(GroundMeasure.areaM2(a) - GroundMeasure.areaM2(b)) <= AREA_TOLERANCE_M2;
  }

  /**
   * Whether {@code asked} is {@code old} with points put into its boundary and nothing else: its
   * positions without those {@code old} lacks are {@code old}'s, in order.
   */
  static boolean vertexOnly(Geometry old, Geometry asked) {
    if (asked.getNumPoints() <= old.getNumPoints()
        || asked.getNumGeometries() != old.getNumGeometries()) {
      return false;
    }
    Coordinate[] was = old.getCoordinates();
    java.util.Set<Coordinate> known = new java.util.HashSet<>(java.util.Arrays.asList(was));
    int i = 0;
    for (Coordinate c : asked.getCoordinates()) {
      if (!known.contains(c)) {
        continue;
      }
      if (i >= was.length || !was[i].equals2D(c)) {
        return false;
      }
      i++;
    }
    return i == was.length;
  }

  /** Notes the village of a grid of the edit; a third village is refused. */
  private static void village(Map<String, Long> villages, String v, long id) {
    villages.putIfAbsent(v, id);
    if (villages.size() > 2) {
      throw new EditRefused(
          Rule.ONE_VILLAGE,
          id,
          "grid "
              + id
              + " lies in a third village, "
              + v
              + ", beside "
              + String.join(" and ", new ArrayList<>(villages.keySet()).subList(0, 2))
              + "; one redraw moves boundaries inside one village, or across two neighbouring"
              + " villages of one street");
    }
  }

  /**
   * Two villages one redraw may cross: of one street (their outlines move together inside it) and
   * sharing a boundary.
   */
  private static void neighbours(CityIndex current, Map<String, Long> villages) {
    List<String> codes = new ArrayList<>(villages.keySet());
    String a = codes.get(0);
    String b = codes.get(1);
    long grid = villages.get(b);
    if (!a.regionMatches(0, b, 0, 9)) {
      throw new EditRefused(
          Rule.ONE_VILLAGE,
          grid,
          "grid "
              + grid
              + " lies in village "
              + b
              + ", of another street than village "
              + a
              + "; a redraw across villages stays inside one street (its outline stays)");
    }
    LayerIndex vs = current.findLayer(VillageOutlines.LAYER).orElse(null);
    if (vs == null) {
      return; // a map without villages: nothing to keep tiled but the grids
    }
    Geometry ga = vs.byId(Long.parseLong(a)).map(Feature::geometry).orElse(null);
    Geometry gb = vs.byId(Long.parseLong(b)).map(Feature::geometry).orElse(null);
    if (ga != null && gb != null && !ga.intersects(gb)) {
      throw new EditRefused(
          Rule.ONE_VILLAGE,
          grid,
          "villages "
              + a
              + " and "
              + b
              + " share no boundary; a redraw across villages moves the boundary two neighbours share");
    }
  }

  /** A violation when a changed grid's area on the ground lies outside the size bounds. */
  static java.util.Optional<EditRefused.Violation> sizeBounds(long id, Geometry g) {
    double m2 = GroundMeasure.areaM2(g);
    if (m2 >= MIN_AREA_M2 && m2 <= MAX_AREA_M2) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        new EditRefused.Violation(
            Rule.SIZE_BOUNDS,
            id,
            String.format(
                Locale.ROOT,
                "grid %d would cover %.0f m²; a grid covers %.0f to %.0f m² (a tenth of the smallest"
                    + " and four times the largest grid of the generated city)",
                id,
                m2,
                MIN_AREA_M2,
                MAX_AREA_M2),
            g));
  }

  /**
   * The outline snapped, checked and shaped like the old one (a one-part MultiPolygon stays one).
   */
  private static Geometry checkedOutline(long id, Geometry g, Geometry old, Limits limits) {
    if (!(g instanceof Polygon) && !(g instanceof MultiPolygon)) {
      throw new EditRefused(
          Rule.POLYGON,
          id,
          "grid " + id + " has a " + g.getGeometryType() + "; expected a Polygon or MultiPolygon",
          g);
    }
    if (g.getNumPoints() > limits.maxVerticesPerPolygon()) {
      throw new EditRefused(
          Rule.VERTEX_CAP,
          id,
          "grid "
              + id
              + " has "
              + g.getNumPoints()
              + " vertices; at most "
              + limits.maxVerticesPerPolygon()
              + " are accepted per grid");
    }
    Geometry snapped = snap(id, g, old.getFactory());
    String empty =
        "grid " + id + " would be left without area; every grid keeps a part of its village";
    if (snapped.isEmpty()) {
      throw new EditRefused(Rule.NOT_EMPTY, id, empty, g);
    }
    IsValidOp valid = new IsValidOp(snapped);
    if (!valid.isValid()) {
      TopologyValidationError err = valid.getValidationError();
      throw new EditRefused(
          Rule.VALID_POLYGON,
          id,
          "grid "
              + id
              + " is not a valid polygon: "
              + err.getMessage()
              + " at "
              + lonLat(err.getCoordinate())
              + " (JTS IsValidOp, after snapping to 1e-7 degrees); rings must be closed, not"
              + " self-intersecting, holes inside their shell",
          err.getCoordinate() == null
              ? snapped
              : snapped.getFactory().createPoint(err.getCoordinate()));
    }
    if (snapped.getArea() == 0) {
      throw new EditRefused(Rule.NOT_EMPTY, id, empty, snapped);
    }
    if (old instanceof MultiPolygon && snapped instanceof Polygon p) {
      return old.getFactory().createMultiPolygon(new Polygon[] {p});
    }
    if (old instanceof Polygon && snapped instanceof MultiPolygon m && m.getNumGeometries() == 1) {
      return m.getGeometryN(0);
    }
    return snapped;
  }

  /**
   * Every position rounded to the 1e-7 degree grid, repeated positions dropped. Hand-written rather
   * than JTS {@code GeometryPrecisionReducer}, which repairs what rounding breaks: a redraw must be
   * refused, not silently changed, when its rings collapse or cross on the grid.
   */
  static Geometry snap(long id, Geometry g, GeometryFactory factory) {
    return snap("grid", id, g, factory);
  }

  /**
   * {@link #snap(long, Geometry, GeometryFactory)} for a feature of any admin layer, named {@code
   * what} in refusals ("village").
   */
  static Geometry snap(String what, long id, Geometry g, GeometryFactory factory) {
    List<Polygon> parts = new ArrayList<>();
    for (int i = 0; i < g.getNumGeometries(); i++) {
      Polygon p = (Polygon) g.getGeometryN(i);
      if (p.isEmpty()) {
        continue;
      }
      LinearRing shell = snapRing(what, id, p.getExteriorRing(), factory);
      LinearRing[] holes = new LinearRing[p.getNumInteriorRing()];
      for (int h = 0; h < holes.length; h++) {
        holes[h] = snapRing(what, id, p.getInteriorRingN(h), factory);
      }
      parts.add(factory.createPolygon(shell, holes));
    }
    if (g instanceof Polygon) {
      return parts.isEmpty() ? factory.createPolygon() : parts.get(0);
    }
    return factory.createMultiPolygon(parts.toArray(Polygon[]::new));
  }

  private static LinearRing snapRing(
      String what, long id, LinearRing ring, GeometryFactory factory) {
    Coordinate[] cs = ring.getCoordinates();
    Coordinate[] out = new Coordinate[cs.length];
    for (int i = 0; i < cs.length; i++) {
      out[i] = new Coordinate(PRECISION.makePrecise(cs[i].x), PRECISION.makePrecise(cs[i].y));
    }
    out = CoordinateArrays.removeRepeatedPoints(out);
    if (out.length < 4 || !out[0].equals2D(out[out.length - 1])) {
      throw new EditRefused(
          Rule.VALID_POLYGON,
          id,
          what
              + " "
              + id
              + " has a ring near "
              + lonLat(cs[0])
              + " that collapses to fewer than 3 distinct positions on the 1e-7 degree grid; a ring needs at least 4 positions, the last equal to the first",
          factory.createPoint(cs[0].copy()));
    }
    return factory.createLinearRing(out);
  }

  private static boolean sameShape(Geometry a, Geometry b) {
    return a.getNumPoints() == b.getNumPoints() && a.norm().equalsExact(b.norm());
  }

  private static Geometry collect(java.util.Collection<Geometry> gs) {
    return gs.iterator().next().getFactory().buildGeometry(gs);
  }

  /**
   * Area added outside the old grids, or left uncovered inside them, refused with the grid that has
   * most of it.
   */
  private static void checkSameOutline(
      Geometry oldUnion, Geometry newUnion, Map<Long, Feature> before, Map<Long, Geometry> after) {
    List<EditRefused.Violation> problems = new ArrayList<>();
    Geometry outside = OverlayNG.overlay(newUnion, oldUnion, OverlayNG.DIFFERENCE, PRECISION);
    double outsideM2 = GroundMeasure.areaM2(outside);
    if (outsideM2 > AREA_TOLERANCE_M2) {
      long id = largestOverlap(outside, after);
      problems.add(
          new EditRefused.Violation(
              Rule.SAME_OUTLINE,
              id,
              String.format(
                  Locale.ROOT,
                  "grid %d covers %.1f m² outside the grids being redrawn, near %s; the redrawn grids together must cover exactly what they"
                      + " covered before (the village's outline and its neighbours stay as they are)",
                  id,
                  outsideM2,
                  lonLat(outside.getInteriorPoint().getCoordinate())),
              outside));
    }
    Geometry gap = OverlayNG.overlay(oldUnion, newUnion, OverlayNG.DIFFERENCE, PRECISION);
    double gapM2 = GroundMeasure.areaM2(gap);
    if (gapM2 > AREA_TOLERANCE_M2) {
      Map<Long, Geometry> old = new LinkedHashMap<>();
      before.forEach((k, f) -> old.put(k, f.geometry()));
      long id = largestOverlap(gap, old);
      problems.add(
          new EditRefused.Violation(
              Rule.NO_GAP,
              id,
              String.format(
                  Locale.ROOT,
                  "the redraw leaves %.1f m² of grid %d's old area in no grid, near %s; every part of the village must stay in exactly one grid",
                  gapM2,
                  id,
                  lonLat(gap.getInteriorPoint().getCoordinate())),
              gap));
    }
    if (!problems.isEmpty()) {
      throw new EditRefused(problems);
    }
  }

  /** With the grids around them, the new grids must form a valid coverage. */
  private static void checkCoverage(
      LayerIndex grids, Geometry oldUnion, Map<Long, Geometry> after, java.util.Set<Long> retired) {
    List<Long> ids = new ArrayList<>(after.keySet());
    List<Geometry> polygons = new ArrayList<>(after.values());
    PreparedGeometry area = PreparedGeometryFactory.prepare(oldUnion);
    grids.queryOrdinals(
        oldUnion.getEnvelopeInternal(),
        o -> {
          Feature f = grids.feature(o);
          if (!after.containsKey(f.id())
              && !retired.contains(f.id())
              && area.intersects(f.geometry())) {
            ids.add(f.id());
            polygons.add(f.geometry());
          }
        });
    Geometry[] invalid =
        CoverageValidator.validate(polygons.toArray(Geometry[]::new), GAP_WIDTH_DEGREES);
    List<EditRefused.Violation> problems = new ArrayList<>();
    grids:
    for (int i = 0; i < after.size(); i++) {
      if (invalid[i] == null || invalid[i].isEmpty()) {
        continue;
      }
      long id = ids.get(i);
      Geometry g = polygons.get(i);
      Coordinate where = invalid[i].getCoordinate();
      for (int j = 0; j < polygons.size(); j++) {
        if (j == i || !g.getEnvelopeInternal().intersects(polygons.get(j).getEnvelopeInternal())) {
          continue;
        }
        Geometry both = OverlayNG.overlay(g, polygons.get(j), OverlayNG.INTERSECTION, PRECISION);
        double m2 = GroundMeasure.areaM2(both);
        if (m2 > AREA_TOLERANCE_M2) {
          problems.add(
              new EditRefused.Violation(
                  Rule.NO_OVERLAP,
                  id,
                  String.format(
                      Locale.ROOT,
                      "grid %d overlaps grid %d by %.1f m² near %s; grids may share boundaries but not area",
                      id,
                      ids.get(j),
                      m2,
                      lonLat(both.getInteriorPoint().getCoordinate())),
                  both));
          continue grids;
        }
      }
      long other = nearest(polygons, ids, i, where);
      problems.add(
          new EditRefused.Violation(
              Rule.SHARED_EDGES,
              id,
              "grid "
                  + id
                  + "'s boundary near "
                  + lonLat(where)
                  + " does not match grid "
                  + other
                  + "'s vertex for vertex (or leaves a gap narrower than "
                  + GAP_WIDTH_DEGREES
                  + " degrees); neighbours must share"
                  + " the same positions along their common boundary (JTS CoverageValidator)",
              invalid[i]));
    }
    if (!problems.isEmpty()) {
      throw new EditRefused(problems);
    }
  }

  private static long nearest(List<Geometry> polygons, List<Long> ids, int self, Coordinate where) {
    Geometry p = polygons.get(self).getFactory().createPoint(where);
    long best = ids.get(self);
    double d = Double.MAX_VALUE;
    for (int j = 0; j < polygons.size(); j++) {
      if (j != self && polygons.get(j).distance(p) < d) {
        d = polygons.get(j).distance(p);
        best = ids.get(j);
      }
    }
    return best;
  }

  /** The key of the candidate that shares most area with {@code area} (the first on a tie). */
  static <K> K largestOverlap(Geometry area, Map<K, Geometry> candidates) {
    K best = candidates.keySet().iterator().next();
    double most = -1;
    for (Map.Entry<K, Geometry> e : candidates.entrySet()) {
      if (!e.getValue().getEnvelopeInternal().intersects(area.getEnvelopeInternal())) {
        continue;
      }
      double a = OverlayNG.overlay(area, e.getValue(), OverlayNG.INTERSECTION, PRECISION).getArea();
      if (a > most) {
        most = a;
        best = e.getKey();
      }
    }
    return best;
  }

  private static String lonLat(Coordinate c) {
    return c == null ? "(unknown)" : String.format(Locale.ROOT, "(%.7f, %.7f)", c.x, c.y);
  }
}
