package io.gridmap.importer.admin;

import io.gridmap.importer.admin.HierarchyProblem.Rule;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.ForceRole;
import io.gridmap.layers.model.IncidentState;
import io.gridmap.layers.model.Layer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.index.strtree.STRtree;

/**
 * Who belongs to which grid once the grids change. A key site and an open incident belong to the
 * grid they stand in, so they follow the new outlines; a closed incident keeps the grid it was
 * closed in (the record of the past). A force's grid is an assignment, not a place: it keeps its
 * grid unless the import maps the old code to a new one ({@code old_code}) or names the force as a
 * grid's worker ({@code worker_id}). Every grid must end with a full-time grid worker.
 */
final class Ownership {
  private Ownership() {}

  /**
   * The point layers after the change, each grid's worker, and what could not hold.
   *
   * @param workers grid code -> its full-time worker (a force)
   * @param sitesMoved key sites whose grid changed
   * @param eventsMoved open incidents whose grid changed (and so their assignee)
   * @param forcesMoved forces whose grid an old code or a worker_id changed
   */
  record Result(
      Layer sites,
      Layer forces,
      Layer events,
      Map<String, Feature> workers,
      List<HierarchyProblem> problems,
      int sitesMoved,
      int eventsMoved,
      int forcesMoved) {}

  /**
   * @param grids the new grids by code
   * @param oldToNew old grid code -> new grid code, from the file's {@code old_code} column
   * @param workerIds grid code -> the force id the file names as its worker ({@code worker_id})
   */
  static Result follow(
      Layer sites,
      Layer forces,
      Layer events,
      Map<String, Geometry> grids,
      Map<String, String> oldToNew,
      Map<String, Long> workerIds) {
    Locator where = new Locator(grids);
    List<HierarchyProblem> problems = new ArrayList<>();

    int forceGrid = Catalogue.FORCES.requireField("grid_code");
    int role = Catalogue.FORCES.requireField("role");
    Map<Long, String> assigned = new HashMap<>();
    for (Map.Entry<String, Long> w : workerIds.entrySet()) {
      String before = assigned.put(w.getValue(), w.getKey());
      if (before != null) {
        problems.add(
            new HierarchyProblem(
                Rule.OLD_CODE,
                "grids",
                w.getKey(),
                before,
                grids.get(w.getKey()),
                0,
                "force "
                    + w.getValue()
                    + " is named the worker of both "
                    + before
                    + " and "
                    + w.getKey(),
                "give each grid its own full-time worker in the worker_id column"));
      }
    }
    List<Feature> forcesAfter = new ArrayList<>(forces.size());
    Map<String, Feature> workers = new TreeMap<>();
    int forcesMoved = 0;
    for (Feature f : forces.features()) {
      String was = f.string(forceGrid);
      String now = was;
      if (assigned.containsKey(f.id())) {
        now = assigned.get(f.id());
        if (!ForceRole.GRID_WORKER.code().equals(f.string(role))) {
          problems.add(
              new HierarchyProblem(
                  Rule.NO_WORKER,
                  "grids",
                  now,
                  String.valueOf(f.id()),
                  grids.get(now),
                  0,
                  "worker_id "
                      + f.id()
                      + " of grid "
                      + now
                      + " is a "
                      + f.string(role)
                      + ", not a full-time grid worker",
                  "name a force whose role is grid_worker"));
        }
      } else if (was != null && oldToNew.containsKey(was)) {
        now = oldToNew.get(was);
      } else if (was != null && !grids.containsKey(was)) {
        problems.add(
            new HierarchyProblem(
                Rule.FORCE_GRID_REMOVED,
                "forces",
                String.valueOf(f.id()),
                was,
                f.geometry(),
                0,
                "force "
                    + f.id()
                    + " ("
                    + f.string(role)
                    + ") serves grid "
                    + was
                    + ", which the file no longer holds",
                "map the old grid to its successor with an old_code column"
                    + " (--map old_code=COLUMN), or name the worker in worker_id"));
      }
      Feature after = now == null || now.equals(was) ? f : with(f, forceGrid, now);
      if (after != f) {
        forcesMoved++;
      }
      forcesAfter.add(after);
    }
    // each grid's worker: the force the file names, else its full-time worker with the lowest id
    Map<Long, Feature> byId = new HashMap<>();
    forcesAfter.forEach(f -> byId.put(f.id(), f));
    for (Feature f : forcesAfter) {
      String grid = f.string(forceGrid);
      if (grid != null
          && !workerIds.containsKey(grid)
          && ForceRole.GRID_WORKER.code().equals(f.string(role))) {
        workers.merge(grid, f, (a, b) -> a.id() <= b.id() ? a : b);
      }
    }
    for (Map.Entry<String, Long> w : new TreeMap<>(workerIds).entrySet()) {
      Feature named = byId.get(w.getValue());
      if (named != null) {
        workers.put(w.getKey(), named);
      } else {
        problems.add(
            new HierarchyProblem(
                Rule.NO_WORKER,
                "grids",
                w.getKey(),
                String.valueOf(w.getValue()),
                grids.get(w.getKey()),
                0,
                "worker_id " + w.getValue() + " of grid " + w.getKey() + " is no force",
                "name the id of a force whose role is grid_worker"));
      }
    }
    for (Map.Entry<String, Geometry> g : new TreeMap<>(grids).entrySet()) {
      if (!workers.containsKey(g.getKey())) {
        problems.add(
            new HierarchyProblem(
                Rule.NO_WORKER,
                "grids",
                g.getKey(),
                null,
                g.getValue(),
                0,
                "grid " + g.getKey() + " has no full-time grid worker",
                "name one in a worker_id column, or map the grid it replaces with an old_code"
                    + " column (--map old_code=COLUMN) so that grid's worker follows"));
      }
    }

    int siteGrid = Catalogue.KEY_SITES.requireField("grid_code");
    List<Feature> sitesAfter = new ArrayList<>(sites.size());
    int sitesMoved = 0;
    for (Feature f : sites.features()) {
      String now = where.grid((Point) f.geometry());
      if (now != null && !now.equals(f.string(siteGrid))) {
        sitesAfter.add(with(f, siteGrid, now));
        sitesMoved++;
      } else {
        sitesAfter.add(f);
      }
    }

    int eventGrid = Catalogue.EVENTS.requireField("grid_code");
    int status = Catalogue.EVENTS.requireField("status");
    int assignee = Catalogue.EVENTS.requireField("assignee_id");
    List<Feature> eventsAfter = new ArrayList<>(events.size());
    int eventsMoved = 0;
    for (Feature f : events.features()) {
      boolean open = IncidentState.ofCode(f.string(status)).map(s -> !s.terminal()).orElse(false);
      String now = open ? where.grid((Point) f.geometry()) : null;
      if (now == null || now.equals(f.string(eventGrid))) {
        eventsAfter.add(f);
        continue;
      }
      Object[] v = f.values().clone();
      v[eventGrid] = now;
      Feature worker = workers.get(now);
      if (v[assignee] != null && worker != null) {
        v[assignee] = worker.id(); // assigned to the grid's worker: now the new grid's
      }
      eventsAfter.add(new Feature(f.id(), f.geometry(), v, f.personal()));
      eventsMoved++;
    }
    return new Result(
        new Layer(sites.def(), sitesAfter),
        new Layer(forces.def(), forcesAfter),
        new Layer(events.def(), eventsAfter),
        workers,
        problems,
        sitesMoved,
        eventsMoved,
        forcesMoved);
  }

  private static Feature with(Feature f, int field, Object value) {
    Object[] v = f.values().clone();
    v[field] = value;
    return new Feature(f.id(), f.geometry(), v, f.personal());
  }

  /** The grid a point stands in: the lowest code of those that cover it, or null. */
  private static final class Locator {
    private final STRtree tree = new STRtree();
    private final Map<String, PreparedGeometry> prepared = new HashMap<>();
    private final Map<String, Geometry> grids;

    Locator(Map<String, Geometry> grids) {
      this.grids = grids;
      grids.forEach((code, g) -> tree.insert(g.getEnvelopeInternal(), code));
    }

    String grid(Point p) {
      String best = null;
      for (Object o : tree.query(p.getEnvelopeInternal())) {
        String code = (String) o;
        PreparedGeometry g =
            prepared.computeIfAbsent(code, c -> PreparedGeometryFactory.prepare(grids.get(c)));
        if ((best == null || code.compareTo(best) < 0) && g.covers(p)) {
          best = code;
        }
      }
      return best;
    }
  }
}
