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
        // bringing a retired grid back means undoing the split or merge that retired it, with the
        // grids it added: the operation that plans those will revert them
        throw new EditRefused(
            Rule.NOT_REVERTIBLE,
            id,
            "change " + seq + " retired grid " + id + "; a retirement is not reverted yet");
      }
      if (s.previous() == null) {
        throw new EditRefused(
            Rule.NOT_REVERTIBLE,
            id,
            "change "
                + seq
                + " added grid "
                + id
                + "; there is no version before it to go back to");
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
      if (workerField >= 0 && back.value(workerField) instanceof Long worker) {
        String role = workerRole(current, worker);
        if (!FULL_TIME.equals(role)) {
          throw new EditRefused(
              Rule.WORKER,
              id,
              "grid "
                  + id
                  + " would go back to worker "
                  + worker
                  + ", who is "
                  + (role == null
                      ? "no longer a force"
                      : "now a " + role + ", not a full-time grid worker")
                  + "; assign a grid worker with PATCH /collections/grids/items/"
                  + id
                  + " instead");
        }
      }
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
