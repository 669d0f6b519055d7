package io.gridmap.layers.edit;

import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.IncidentState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;

/**
 * What follows a grid whose outline moved, in the same write: a key site or an open incident now
 * inside another grid takes that grid's code, so counts per grid and locate agree the moment the
 * boundary moves. An open incident assigned to the old grid's full-time worker goes to the new
 * grid's, and its revision (its ETag) goes up: what a client holds of it is stale.
 *
 * <p>What does not follow: a force keeps the grid it serves (its {@code grid_code} is an
 * assignment, not a location) unless the change retires that grid, when it goes to the grid the
 * change names as its successor, and a closed or rejected incident keeps the grid it was handled in
 * (the record of who handled what).
 */
public final class OwnershipFollow {
  private OwnershipFollow() {}

  /**
   * The changes to key sites and events that a grid change brings with it; empty when no outline
   * moved or nothing changes side.
   *
   * @param current the index the grid change was planned against (before it)
   */
  public static List<Change> after(CityIndex current, Change grids) {
    if (!Catalogue.GRIDS.name().equals(grids.layer())) {
      return List.of();
    }
    int codeField = Catalogue.GRIDS.requireField("code");
    int workerField = Catalogue.GRIDS.requireField("worker_id");
    List<Feature> moved = new ArrayList<>();
    Envelope area = new Envelope();
    for (Change.Replacement r : grids.replacements()) {
      if (!r.geometryChanged()) {
        continue;
      }
      if (r.before() != null) {
        area.expandToInclude(r.before().geometry().getEnvelopeInternal());
      }
      if (r.after() != null) {
        moved.add(r.after());
        area.expandToInclude(r.after().geometry().getEnvelopeInternal());
      }
    }
    if (moved.isEmpty()) {
      return List.of();
    }
    List<PreparedGeometry> outlines = new ArrayList<>(moved.size());
    moved.forEach(f -> outlines.add(PreparedGeometryFactory.prepare(f.geometry())));
    // the worker of each grid before the change, for incidents assigned to it
    Map<String, Long> workerBefore = new LinkedHashMap<>();
    for (Change.Replacement r : grids.replacements()) {
      if (r.before() != null && r.before().value(workerField) instanceof Long w) {
        workerBefore.put(r.before().string(codeField), w);
      }
    }

    List<Change> out = new ArrayList<>(3);
    forces(current, grids, codeField).ifPresent(out::add);
    current
        .findLayer(Catalogue.KEY_SITES.name())
        .ifPresent(
            sites -> {
              int grid = sites.def().requireField("grid_code");
              List<Change.Replacement> changed = new ArrayList<>();
              for (Feature f : sites.query(area)) {
                String now = gridOf(f, moved, outlines, codeField);
                if (now != null && !now.equals(f.string(grid))) {
                  Object[] v = f.values().clone();
                  v[grid] = now;
                  changed.add(
                      new Change.Replacement(
                          f, new Feature(f.id(), f.geometry(), v, f.personal())));
                }
              }
              if (!changed.isEmpty()) {
                out.add(Change.of(sites.name(), changed));
              }
            });
    current
        .findLayer(Catalogue.EVENTS.name())
        .ifPresent(
            events -> {
              List<Change.Replacement> changed =
                  incidents(events, moved, outlines, codeField, workerField, workerBefore);
              if (!changed.isEmpty()) {
                out.add(Change.of(events.name(), changed));
              }
            });
    return out;
  }

  /**
   * Forces serving a grid the change retires go to its successor (a split grid's to the part the
   * request names, a merged grid's to the merged one): a force keeps its grid unless that grid is
   * gone. A scan of the layer, once per split or merge: forces are indexed by where they are, not
   * by the grid they serve.
   */
  private static java.util.Optional<Change> forces(CityIndex current, Change grids, int codeField) {
    if (grids.successors().isEmpty()) {
      return java.util.Optional.empty();
    }
    Map<String, String> handedTo = new LinkedHashMap<>();
    Map<Long, Change.Replacement> byId = new LinkedHashMap<>();
    grids.replacements().forEach(r -> byId.put(r.id(), r));
    grids
        .successors()
        .forEach(
            (from, to) ->
                handedTo.put(
                    byId.get(from).before().string(codeField),
                    byId.get(to).after().string(codeField)));
    return current
        .findLayer(Catalogue.FORCES.name())
        .flatMap(
            forces -> {
              int grid = forces.def().requireField("grid_code");
              List<Change.Replacement> changed = new ArrayList<>();
              for (int o = 0; o < forces.size(); o++) {
                Feature f = forces.feature(o);
                String to = handedTo.get(f.string(grid));
                if (to != null) {
                  Object[] v = f.values().clone();
                  v[grid] = to;
                  changed.add(
                      new Change.Replacement(
                          f, new Feature(f.id(), f.geometry(), v, f.personal())));
                }
              }
              return changed.isEmpty()
                  ? java.util.Optional.empty()
                  : java.util.Optional.of(Change.of(forces.name(), changed));
            });
  }

  private static List<Change.Replacement> incidents(
      LayerIndex events,
      List<Feature> moved,
      List<PreparedGeometry> outlines,
      int codeField,
      int workerField,
      Map<String, Long> workerBefore) {
    int grid = events.def().requireField("grid_code");
    int status = events.def().requireField("status");
    int assignee = events.def().fieldIndex("assignee_id");
    int revision = events.def().fieldIndex("revision");
    Envelope area = new Envelope();
    moved.forEach(f -> area.expandToInclude(f.geometry().getEnvelopeInternal()));
    List<Change.Replacement> changed = new ArrayList<>();
    for (Feature f : events.query(area)) {
      boolean open = IncidentState.ofCode(f.string(status)).map(s -> !s.terminal()).orElse(false);
      if (!open) {
        continue; // a closed incident keeps the grid it was handled in
      }
      String was = f.string(grid);
      int at = indexOf(f, outlines);
      if (at < 0) {
        continue;
      }
      Feature newGrid = moved.get(at);
      String now = newGrid.string(codeField);
      if (now.equals(was)) {
        continue;
      }
      Object[] v = f.values().clone();
      v[grid] = now;
      if (assignee >= 0
          && v[assignee] != null
          && Objects.equals(v[assignee], workerBefore.get(was))
          && newGrid.value(workerField) instanceof Long worker) {
        v[assignee] = worker; // the old grid's worker had it: the new grid's worker takes it
      }
      if (revision >= 0 && v[revision] instanceof Long r) {
        v[revision] = r + 1; // its ETag changes with it
      }
      changed.add(new Change.Replacement(f, new Feature(f.id(), f.geometry(), v, f.personal())));
    }
    return changed;
  }

  /** The code of the moved grid that now holds a point feature, or null when none of them does. */
  private static String gridOf(
      Feature f, List<Feature> moved, List<PreparedGeometry> outlines, int codeField) {
    int at = indexOf(f, outlines);
    return at < 0 ? null : moved.get(at).string(codeField);
  }

  private static int indexOf(Feature f, List<PreparedGeometry> outlines) {
    Geometry g = f.geometry();
    if (!(g instanceof Point p) || p.isEmpty()) {
      return -1;
    }
    for (int i = 0; i < outlines.size(); i++) {
      if (outlines.get(i).covers(p)) {
        return i;
      }
    }
    return -1;
  }
}
