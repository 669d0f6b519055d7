package io.gridmap.layers.edit;

import io.gridmap.layers.edit.EditRefused.Rule;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.geom.Geometry;

/**
 * Plans the revert of one grid edit against the current index: every grid the edit made a version
 * of goes back to the version before it, as a new version (history is never rewritten). The revert
 * is checked like any edit:
 *
 * <ol>
 *   <li>only grid edits are reverted (not-revertible): incidents move along their loop, positions
 *       are superseded by the next fix;
 *   <li>each grid must still be as the edit left it (edited-since): a later edit is reverted first,
 *       so no one's later work is silently undone;
 *   <li>outlines that move back are planned as a {@link GridRedraw} of those grids, with every rule
 *       and the generalisation tiles need: a boundary that neighbours have since moved against is
 *       refused with the rule it would break;
 *   <li>a worker the old version names must still be a force (worker).
 * </ol>
 *
 * A split, a merge or a grid created is reverted too: the grids it added are retired (each must
 * still be as it made them), the grids it retired come back under their own codes as they last
 * were, and forces follow back; the codes of the retired grids stay used, so they are never given
 * to another grid.
 */
public final class Revert {
  private Revert() {}

  /**
   * One grid of the edit.
   *
   * @param made the version the edit made
   * @param previous the version before it, which the revert puts back
   */
  public record Step(String layer, FeatureVersion made, FeatureVersion previous) {}

  /**
   * A planned revert.
   *
   * @param change the grids' new versions (the old values and outlines), with generalised polygons
   *     when an outline moves back
   * @param redrawn ids of the grids whose outline moves back
   */
  public record Plan(Change change, List<Long> redrawn) {}

  /**
   * Plans the revert of the edit at change-log position {@code seq}.
   *
   * @param steps what the edit made, one step per feature, with the version before
   * @throws EditRefused naming the rule the revert would break
   */
  public static Plan plan(CityIndex current, long seq, List<Step> steps, GridRedraw.Limits limits) {
    if (steps.isEmpty()) {
      throw new EditRefused(
          Rule.UNKNOWN_FEATURE, null, "the history holds no version made by change " + seq);
    }
    LayerIndex grids = current.layer(GridRedraw.LAYER);
    int workerField = grids.def().fieldIndex("worker_id");
    Map<Long, Feature> now = new LinkedHashMap<>();
    Map<Long, Geometry> outlines = new LinkedHashMap<>();
    java.util.Set<Long> retire = new java.util.TreeSet<>();
    List<Feature> broughtBack = new ArrayList<>();
    for (Step s : steps) {
      long id = s.made().feature().id();
      if (!GridRedraw.LAYER.equals(s.layer())) {
        throw new EditRefused(
            Rule.NOT_REVERTIBLE,
            id,
            "change "
                + seq
                + " changed "
                + s.layer()
                + " feature "
                + id
                + "; only grid edits are reverted (incidents move along their loop, positions are"
                + " superseded by the next fix)");
      }
      if (s.made().retired()) {
        // a split or merge retired it: it comes back under its own code, as it last was
        if (grids.byId(id).isPresent()) {
          throw new EditRefused(
              Rule.EDITED_SINCE,
              id,
              "grid " + id + ", which change " + seq + " retired, is on the map again");
        }
        Feature back = s.made().feature();
        checkWorker(current, back, workerField);
        broughtBack.add(back);
        continue;
      }
      if (s.previous() == null || s.previous().retired()) {
        // the change added it (or brought it back after a retirement, as a revert of a split
        // does): the revert retires it, if no one has changed it since
        Feature f = grids.byId(id).orElse(null);
        if (f == null) {
          throw new EditRefused(
              Rule.EDITED_SINCE,
              id,
              "grid " + id + ", which change " + seq + " added, is no longer on the map");
        }
        if (!same(f, s.made().feature())) {
          throw new EditRefused(
              Rule.EDITED_SINCE,
              id,
              "grid "
                  + id
                  + " was changed again after change "
                  + seq
                  + " added it; revert the later edits first (GET /history/grids/"
                  + id
                  + " lists them)");
        }
        retire.add(id);
        continue;
      }
      Feature f =
          grids
              .byId(id)
              .orElseThrow(
                  () ->
                      new EditRefused(
                          Rule.UNKNOWN_FEATURE, id, "grid " + id + " is no longer on the map"));
      if (!same(f, s.made().feature())) {
        throw new EditRefused(
            Rule.EDITED_SINCE,
            id,
            "grid "
                + id
                + " was changed again after change "
                + seq
                + "; revert the later edits first (GET /history/grids/"
                + id
                + " lists them)");
      }
      now.put(id, f);
      Feature back = s.previous().feature();
      if (!sameGeometry(back.geometry(), f.geometry())) {
        outlines.put(id, back.geometry());
      }
      checkWorker(current, back, workerField);
    }

    if (!retire.isEmpty() || !broughtBack.isEmpty()) {
      return rewrite(current, seq, now, steps, outlines, retire, broughtBack, limits);
    }
    Map<Integer, Map<Long, Geometry>> generalised = Map.of();
    Map<Long, Geometry> moved = new LinkedHashMap<>();
    if (!outlines.isEmpty()) {
      GridRedraw.Plan redraw = GridRedraw.plan(current, outlines, limits);
      generalised = redraw.change().generalised();
      redraw.change().replacements().forEach(r -> moved.put(r.id(), r.after().geometry()));
    }
    List<Change.Replacement> replacements = new ArrayList<>();
    for (Step s : steps) {
      Feature f = now.get(s.made().feature().id());
      Feature back = s.previous().feature();
      Feature after =
          new Feature(
              f.id(),
              moved.getOrDefault(f.id(), f.geometry()),
              back.values().clone(),
              back.personal());
      if (!same(after, f)) {
        replacements.add(new Change.Replacement(f, after));
      }
    }
    if (replacements.isEmpty()) {
      throw new EditRefused(
          Rule.NO_CHANGE, null, "the grids of change " + seq + " already are as before it");
    }
    return new Plan(
        new Change(GridRedraw.LAYER, replacements, generalised), List.copyOf(moved.keySet()));
  }

  /** A worker the version going back names must still be a full-time grid worker. */
  private static void checkWorker(CityIndex current, Feature back, int workerField) {
    if (workerField < 0 || !(back.value(workerField) instanceof Long worker)) {
      return;
    }
    String role = workerRole(current, worker);
    if (!FULL_TIME.equals(role)) {
      throw new EditRefused(
          Rule.WORKER,
          back.id(),
          "grid "
              + back.id()
              + " would go back to worker "
              + worker
              + ", who is "
              + (role == null
                  ? "no longer a force"
                  : "now a " + role + ", not a full-time grid worker")
              + "; assign a grid worker with PATCH /collections/grids/items/"
              + back.id()
              + " instead");
    }
  }

  /**
   * The revert of a split or merge (or of a grid created): the grids it added are retired, the ones
   * it retired come back under their own codes, the others go back to their outlines, all planned
   * as one {@link GridRedraw.Rewrite} with every rule. Forces of a grid retired again go to the
   * grid brought back that covers most of it.
   */
  private static Plan rewrite(
      CityIndex current,
      long seq,
      Map<Long, Feature> now,
      List<Step> steps,
      Map<Long, Geometry> outlines,
      java.util.Set<Long> retire,
      List<Feature> broughtBack,
      GridRedraw.Limits limits) {
    LayerIndex grids = current.layer(GridRedraw.LAYER);
    Map<Long, Object[]> values = new LinkedHashMap<>();
    Map<Long, Geometry> kept = new LinkedHashMap<>();
    for (Step s : steps) {
      long id = s.made().feature().id();
      if (now.containsKey(id)) {
        // every grid kept goes back to its old outline and values, moved or not
        kept.put(id, outlines.getOrDefault(id, now.get(id).geometry()));
        values.put(id, s.previous().feature().values().clone());
      }
    }
    Map<Long, Long> successors = new LinkedHashMap<>();
    for (long id : retire) {
      Geometry g = grids.byId(id).orElseThrow().geometry();
      Feature best = null;
      double most = -1;
      for (Feature b : broughtBack) {
        double a =
            b.geometry().getEnvelopeInternal().intersects(g.getEnvelopeInternal())
                ? b.geometry().intersection(g).getArea()
                : 0;
        if (a > most) {
          most = a;
          best = b;
        }
      }
      if (best != null) {
        successors.put(id, best.id());
      }
    }
    GridRedraw.Plan redraw =
        GridRedraw.plan(
            current, new GridRedraw.Rewrite(kept, retire, broughtBack, successors, values), limits);
    List<Long> moved = new ArrayList<>();
    for (Change.Replacement r : redraw.change().replacements()) {
      if (r.after() != null && r.geometryChanged()) {
        moved.add(r.id());
      }
    }
    return new Plan(redraw.change(), moved);
  }

  /** The role of a full-time grid worker, the force every grid keeps. */
  public static final String FULL_TIME = io.gridmap.layers.model.ForceRole.GRID_WORKER.code();

  /** A force's role, or null when no force has that id. */
  public static String workerRole(CityIndex current, long force) {
    return current
        .findLayer("forces")
        .flatMap(l -> l.byId(force).map(f -> f.string(l.def().requireField("role"))))
        .orElse(null);
  }

  private static boolean same(Feature a, Feature b) {
    return a.personal() == b.personal()
        && Arrays.equals(a.values(), b.values())
        && sameGeometry(a.geometry(), b.geometry());
  }

  /**
   * Equal vertex for vertex, a one-part MultiPolygon equal to its Polygon: a store whose column is
   * MultiPolygon keeps a Polygon promoted, and its history hands it back that way.
   */
  private static boolean sameGeometry(Geometry a, Geometry b) {
    return single(a).equalsExact(single(b));
  }

  private static Geometry single(Geometry g) {
    return g.getNumGeometries() == 1 ? g.getGeometryN(0) : g;
  }
}
