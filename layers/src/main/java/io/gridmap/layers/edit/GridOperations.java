package io.gridmap.layers.edit;

import io.gridmap.layers.edit.EditRefused.Rule;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.LayerDef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.locationtech.jts.coverage.CoverageUnion;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateList;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineSegment;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.polygonize.Polygonizer;

/**
 * The grid operations that add and retire grids, each planned as a {@link GridRedraw.Rewrite} so
 * that every rule of a redraw holds for them too: split a grid by a line, merge neighbouring grids
 * of one village, create grids by redrawing a village's grids with one more.
 *
 * <p>New grids get new codes: the village code and the next 3-digit number after the largest the
 * village ever used, retired grids included ({@link Codes}), so a retired code is never given to
 * another grid and a revert brings a grid back under its own code. Their residents and households
 * are estimated by area from the grids they are drawn over (areal weighting, rounded so the totals
 * stay). Their full-time worker is the one the request names, else the worker of the grid they take
 * most of their area from; a force serving a retired grid is handed to its successor.
 *
 * <p>What is hand-written: cutting a polygon by a line (JTS {@code OverlayNG} nodes the line with
 * the outline on the store's precision grid, JTS {@code Polygonizer} forms the parts) and putting
 * the points where the line meets the outline into the neighbours' boundaries, which a coverage
 * needs vertex for vertex and no library does for one edit.
 */
public final class GridOperations {
  private GridOperations() {}

  /** Where the codes ever given come from: the store's history, retired grids included. */
  @FunctionalInterface
  public interface Codes {
    /** The largest id the history holds from {@code from} to {@code to}, or -1. */
    long maxHistoric(long from, long to);
  }

  /**
   * What a planner may say of a new grid; every member may be null (then it is derived).
   *
   * @param name its name; by default 第N网格 with N its number in the village
   * @param workerId its full-time worker (a force with role grid_worker)
   */
  public record NewGrid(String name, Long workerId) {
    public static final NewGrid DERIVED = new NewGrid(null, null);
  }

  /** A new grid of a create: its outline and what the planner says of it. */
  public record NewOutline(Geometry outline, NewGrid given) {}

  /** The greatest distance (degrees) at which a point of a split line counts as on an outline. */
  private static final double ON_BOUNDARY = 1e-6;

  /**
   * Plans the split of a grid by a line into two new grids with new codes; the grid is retired.
   *
   * @param line lon/lat line from outside (or on) the grid's boundary across it to the other side
   * @param given what the request says of the two parts, larger part first (0 to 2 entries)
   * @param forcesTo which part (0, the larger, or 1) takes over the forces serving the grid
   */
  public static GridRedraw.Plan split(
      CityIndex current,
      long gridId,
      LineString line,
      List<NewGrid> given,
      int forcesTo,
      Codes codes,
      GridRedraw.Limits limits) {
    LayerIndex grids = current.layer(GridRedraw.LAYER);
    Feature grid = existing(grids, gridId);
    if (line.getNumPoints() > limits.maxVerticesPerPolygon()) {
      throw new EditRefused(
          Rule.VERTEX_CAP,
          gridId,
          "the split line has "
              + line.getNumPoints()
              + " vertices; at most "
              + limits.maxVerticesPerPolygon()
              + " are accepted",
          null);
    }
    List<Polygon> parts = cut(grid.geometry(), line);
    if (parts.size() != 2) {
      Geometry where =
          parts.size() > 2
              ? line.getFactory().createMultiPolygon(parts.toArray(Polygon[]::new))
              : line;
      throw new EditRefused(
          Rule.SPLIT_LINE,
          gridId,
          parts.size() < 2
              ? "the split line does not cut grid "
                  + gridId
                  + " in two: it must run across the grid from one point of its boundary (or"
                  + " outside it) to another"
              : "the split line cuts grid "
                  + gridId
                  + " into "
                  + parts.size()
                  + " parts; draw a line that crosses it once, making two",
          where);
    }
    parts.sort(Comparator.comparingDouble(Polygon::getArea).reversed());
    if (forcesTo < 0 || forcesTo > 1) {
      throw new IllegalArgumentException("forcesTo is 0 or 1");
    }
    long[] ids = newCodes(current, grid, 2, codes);
    List<Feature> added = new ArrayList<>();
    Map<Long, Geometry> outlines = new LinkedHashMap<>();
    for (int i = 0; i < 2; i++) {
      outlines.put(ids[i], shaped(parts.get(i), grid.geometry()));
    }
    Map<Long, Map<Long, Double>> shares = shares(outlines, List.of(grid));
    Map<String, Map<Long, Long>> counts = counts(grids.def(), List.of(grid), shares);
    for (int i = 0; i < 2; i++) {
      NewGrid g = i < given.size() && given.get(i) != null ? given.get(i) : NewGrid.DERIVED;
      added.add(newGrid(current, ids[i], outlines.get(ids[i]), grid, g, counts));
    }
    Map<Long, Geometry> neighbours =
        insertCrossings(grids, List.of(grid), List.copyOf(parts), Set.of());
    return GridRedraw.plan(
        current,
        new GridRedraw.Rewrite(neighbours, Set.of(gridId), added, Map.of(gridId, ids[forcesTo])),
        limits);
  }

  /**
   * Plans the merge of two or more neighbouring grids of one village into one new grid with a new
   * code; the grids are retired and their forces go to it.
   */
  public static GridRedraw.Plan merge(
      CityIndex current, List<Long> gridIds, NewGrid given, Codes codes, GridRedraw.Limits limits) {
    LayerIndex grids = current.layer(GridRedraw.LAYER);
    int villageField = grids.def().requireField("village_code");
    if (gridIds.size() < 2) {
      throw new EditRefused(
          Rule.MERGE_NEIGHBOURS, null, "a merge names two or more grids of one village");
    }
    List<Feature> merged = new ArrayList<>();
    for (long id : new java.util.TreeSet<>(gridIds)) {
      Feature f = existing(grids, id);
      if (!merged.isEmpty() && !f.string(villageField).equals(merged.get(0).string(villageField))) {
        throw new EditRefused(
            Rule.MERGE_NEIGHBOURS,
            id,
            "grid "
                + id
                + " lies in village "
                + f.string(villageField)
                + ", grid "
                + merged.get(0).id()
                + " in "
                + merged.get(0).string(villageField)
                + "; a merge joins grids of one village (move the village boundary first)",
            f.geometry());
      }
      merged.add(f);
    }
    Geometry union =
        CoverageUnion.union(merged.stream().map(Feature::geometry).toArray(Geometry[]::new));
    if (!(union instanceof Polygon) && union.getNumGeometries() != 1) {
      throw new EditRefused(
          Rule.MERGE_NEIGHBOURS,
          null,
          "grids "
              + gridIds
              + " do not make one piece together ("
              + union.getNumGeometries()
              + " parts); a merge joins neighbours that share a boundary",
          union);
    }
    Polygon outline = (Polygon) union.getGeometryN(0);
    // the merged grid takes its village, street and worker from the largest grid
    Feature largest =
        merged.stream().max(Comparator.comparingDouble(f -> f.geometry().getArea())).orElseThrow();
    long id = newCodes(current, largest, 1, codes)[0];
    Geometry shaped = shaped(outline, largest.geometry());
    Map<Long, Map<Long, Double>> shares = shares(Map.of(id, shaped), merged);
    Map<String, Map<Long, Long>> counts = counts(grids.def(), merged, shares);
    Feature added = newGrid(current, id, shaped, largest, given, counts);
    Map<Long, Long> successors = new TreeMap<>();
    merged.forEach(f -> successors.put(f.id(), id));
    return GridRedraw.plan(
        current,
        new GridRedraw.Rewrite(Map.of(), successors.keySet(), List.of(added), successors),
        limits);
  }

  /**
   * Plans a redraw that also creates grids: the existing grids' new outlines and the new grids',
   * which together cover what the existing ones covered. Residents are estimated again by area for
   * all of them.
   */
  public static GridRedraw.Plan create(
      CityIndex current,
      Map<Long, Geometry> outlines,
      List<NewOutline> created,
      Codes codes,
      GridRedraw.Limits limits) {
    LayerIndex grids = current.layer(GridRedraw.LAYER);
    List<Feature> old = new ArrayList<>();
    for (long id : outlines.keySet()) {
      old.add(existing(grids, id));
    }
    if (old.isEmpty()) {
      throw new EditRefused(
          Rule.SAME_OUTLINE,
          null,
          "a new grid takes its area from existing grids: send it with the new outlines of the"
              + " grids of its village it is drawn over",
          created.isEmpty() ? null : created.get(0).outline());
    }
    // each new grid belongs to the village of the grid it takes most of its area from
    Map<Long, Geometry> news = new LinkedHashMap<>();
    List<Feature> sources = new ArrayList<>();
    Map<Feature, Integer> perSource = new LinkedHashMap<>();
    for (NewOutline n : created) {
      Feature source = mostOverlapped(n.outline(), old);
      sources.add(source);
      perSource.merge(source, 1, Integer::sum);
    }
    Map<Feature, long[]> codesBySource = new LinkedHashMap<>();
    perSource.forEach((f, n) -> codesBySource.put(f, newCodes(current, f, n, codes)));
    Map<Feature, Integer> taken = new LinkedHashMap<>();
    long[] ids = new long[created.size()];
    for (int i = 0; i < created.size(); i++) {
      Feature source = sources.get(i);
      int k = taken.merge(source, 1, Integer::sum) - 1;
      ids[i] = codesBySource.get(source)[k];
      news.put(ids[i], created.get(i).outline());
    }
    Map<Long, Geometry> all = new LinkedHashMap<>(outlines);
    all.putAll(news);
    Map<Long, Map<Long, Double>> shares = shares(all, old);
    Map<String, Map<Long, Long>> counts = counts(grids.def(), old, shares);
    List<Feature> added = new ArrayList<>();
    for (int i = 0; i < created.size(); i++) {
      added.add(
          newGrid(
              current,
              ids[i],
              created.get(i).outline(),
              sources.get(i),
              created.get(i).given(),
              counts));
    }
    List<Geometry> drawnNow = new ArrayList<>(all.values());
    Map<Long, Geometry> neighbours = insertCrossings(grids, old, drawnNow, outlines.keySet());
    Map<Long, Geometry> redrawn = new LinkedHashMap<>(outlines);
    redrawn.putAll(neighbours);
    Map<Long, Object[]> values = new LinkedHashMap<>();
    for (Feature f : old) {
      Object[] v = f.values().clone();
      counts.forEach((field, byId) -> v[grids.def().requireField(field)] = byId.get(f.id()));
      values.put(f.id(), v);
    }
    return GridRedraw.plan(
        current, new GridRedraw.Rewrite(redrawn, Set.of(), added, Map.of(), values), limits);
  }

  /** The next {@code n} codes of the village of {@code grid}, never one given before. */
  static long[] newCodes(CityIndex current, Feature grid, int n, Codes codes) {
    LayerIndex grids = current.layer(GridRedraw.LAYER);
    String village = grid.string(grids.def().requireField("village_code"));
    long from = Long.parseLong(village) * 1000;
    long to = from + 999;
    long max = Math.max(from, codes.maxHistoric(from, to));
    for (long id = to; id > max; id--) {
      if (grids.byId(id).isPresent()) {
        max = id;
        break;
      }
    }
    if (max + n > to) {
      throw new EditRefused(
          Rule.NEW_CODES,
          grid.id(),
          "village "
              + village
              + " has used codes up to "
              + max
              + "; its grids are numbered 001 to 999 and a code once given (even to a retired grid)"
              + " is never given again, so "
              + n
              + " new grid(s) cannot be numbered here",
          grid.geometry());
    }
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = max + 1 + i;
    }
    return out;
  }

  private static Feature existing(LayerIndex grids, long id) {
    return grids
        .byId(id)
        .orElseThrow(
            () ->
                new EditRefused(
                    Rule.UNKNOWN_FEATURE,
                    id,
                    "grid " + id + " does not exist; grids are named by their 15-digit code"));
  }

  /**
   * The parts a line cuts a polygon into: the outline and the line noded together on the store's
   * precision grid, polygonised, and the faces inside the polygon kept.
   */
  public static List<Polygon> cut(Geometry polygon, LineString line) {
    Geometry noded =
        OverlayNG.overlay(polygon.getBoundary(), line, OverlayNG.UNION, GridRedraw.PRECISION);
    Polygonizer polygonizer = new Polygonizer();
    polygonizer.add(noded);
    List<Polygon> parts = new ArrayList<>();
    for (Object o : polygonizer.getPolygons()) {
      Polygon face = (Polygon) o;
      if (polygon.contains(face.getInteriorPoint())) {
        parts.add(face);
      }
    }
    return parts;
  }

  /** A polygon shaped like the layer's grids: a one-part MultiPolygon where they are. */
  private static Geometry shaped(Polygon p, Geometry like) {
    return like instanceof MultiPolygon
        ? like.getFactory().createMultiPolygon(new Polygon[] {p})
        : p;
  }

  /**
   * The neighbours of changed grids with the new vertices that lie on the changed grids' outer
   * boundary put into their own: where a split line meets a grid's outline, or a new grid's edge
   * meets the village boundary, the new polygons have vertices that the neighbours must share
   * vertex for vertex in a coverage.
   *
   * @param changed the grids retired or redrawn, as they are now
   * @param parts the polygons that replace them
   * @param drawn grids the request redraws itself, which are left as drawn
   */
  private static Map<Long, Geometry> insertCrossings(
      LayerIndex grids, List<Feature> changed, List<Geometry> parts, Set<Long> drawn) {
    Set<Coordinate> old = new HashSet<>();
    Set<Long> ids = new HashSet<>(drawn);
    Envelope area = new Envelope();
    for (Feature grid : changed) {
      ids.add(grid.id());
      area.expandToInclude(grid.geometry().getEnvelopeInternal());
      for (Coordinate c : grid.geometry().getCoordinates()) {
        old.add(new Coordinate(c.x, c.y));
      }
    }
    Geometry boundary =
        CoverageUnion.union(changed.stream().map(Feature::geometry).toArray(Geometry[]::new))
            .getBoundary();
    List<Coordinate> crossings = new ArrayList<>();
    for (Geometry p : parts) {
      for (Coordinate c : p.getCoordinates()) {
        Coordinate k = new Coordinate(c.x, c.y);
        if (!old.contains(k)
            && !crossings.contains(k)
            && boundary.isWithinDistance(boundary.getFactory().createPoint(k), ON_BOUNDARY)) {
          crossings.add(k);
        }
      }
    }
    Map<Long, Geometry> out = new LinkedHashMap<>();
    if (crossings.isEmpty()) {
      return out;
    }
    grids.queryOrdinals(
        area,
        o -> {
          Feature n = grids.feature(o);
          if (!ids.contains(n.id())) {
            Geometry g = withPoints(n.geometry(), crossings);
            if (g != null) {
              out.put(n.id(), g);
            }
          }
        });
    return out;
  }

  /** {@code g} with the points that lie on one of its edges put into it, or null when none does. */
  private static Geometry withPoints(Geometry g, List<Coordinate> points) {
    GeometryFactory f = g.getFactory();
    boolean changed = false;
    Polygon[] polygons = new Polygon[g.getNumGeometries()];
    for (int i = 0; i < polygons.length; i++) {
      Polygon p = (Polygon) g.getGeometryN(i);
      LinearRing[] rings = new LinearRing[p.getNumInteriorRing() + 1];
      for (int r = 0; r < rings.length; r++) {
        LinearRing ring = r == 0 ? p.getExteriorRing() : p.getInteriorRingN(r - 1);
        Coordinate[] next = withPoints(ring.getCoordinates(), points);
        changed |= next != null;
        rings[r] = next == null ? ring : f.createLinearRing(next);
      }
      polygons[i] = f.createPolygon(rings[0], java.util.Arrays.copyOfRange(rings, 1, rings.length));
    }
    if (!changed) {
      return null;
    }
    return g instanceof MultiPolygon ? f.createMultiPolygon(polygons) : polygons[0];
  }

  private static Coordinate[] withPoints(Coordinate[] ring, List<Coordinate> points) {
    CoordinateList out = new CoordinateList();
    boolean changed = false;
    for (int i = 0; i + 1 < ring.length; i++) {
      out.add(ring[i], false);
      LineSegment s = new LineSegment(ring[i], ring[i + 1]);
      List<Coordinate> on = new ArrayList<>();
      for (Coordinate p : points) {
        if (!p.equals2D(ring[i])
            && !p.equals2D(ring[i + 1])
            && s.distance(p) < ON_BOUNDARY
            && s.projectionFactor(p) > 0
            && s.projectionFactor(p) < 1) {
          on.add(p);
        }
      }
      on.sort(Comparator.comparingDouble(s::projectionFactor));
      for (Coordinate p : on) {
        out.add(p.copy(), false);
        changed = true;
      }
    }
    out.add(ring[ring.length - 1], false);
    return changed ? out.toCoordinateArray() : null;
  }

  /** The old grid whose area a new outline overlaps most. */
  private static Feature mostOverlapped(Geometry outline, List<Feature> old) {
    Feature best = old.get(0);
    double most = -1;
    for (Feature f : old) {
      if (!f.geometry().getEnvelopeInternal().intersects(outline.getEnvelopeInternal())) {
        continue;
      }
      double a = overlap(outline, f.geometry());
      if (a > most) {
        most = a;
        best = f;
      }
    }
    return best;
  }

  private static double overlap(Geometry a, Geometry b) {
    try {
      return OverlayNG.overlay(a, b, OverlayNG.INTERSECTION, GridRedraw.PRECISION).getArea();
    } catch (RuntimeException e) {
      return 0; // an invalid outline: the rules refuse it with a reason later
    }
  }

  /** new id -> old id -> the share of the old grid's area that lies in the new one. */
  private static Map<Long, Map<Long, Double>> shares(Map<Long, Geometry> news, List<Feature> old) {
    Map<Long, Map<Long, Double>> out = new LinkedHashMap<>();
    news.forEach(
        (id, g) -> {
          Map<Long, Double> byOld = new LinkedHashMap<>();
          for (Feature f : old) {
            double area = f.geometry().getArea();
            if (area > 0
                && f.geometry().getEnvelopeInternal().intersects(g.getEnvelopeInternal())) {
              byOld.put(f.id(), overlap(g, f.geometry()) / area);
            }
          }
          out.put(id, byOld);
        });
    return out;
  }

  /**
   * Residents and households of the new outlines by areal weighting of the old grids' counts,
   * rounded by largest remainder so the totals stay.
   */
  private static Map<String, Map<Long, Long>> counts(
      LayerDef def, List<Feature> old, Map<Long, Map<Long, Double>> shares) {
    Map<String, Map<Long, Long>> out = new LinkedHashMap<>();
    for (String field : List.of("population", "households")) {
      int i = def.fieldIndex(field);
      if (i < 0) {
        continue;
      }
      long total = 0;
      Map<Long, Double> exact = new LinkedHashMap<>();
      for (Feature f : old) {
        long n = f.longValue(i);
        total += n;
        shares.forEach(
            (id, byOld) -> exact.merge(id, n * byOld.getOrDefault(f.id(), 0.0), Double::sum));
      }
      Map<Long, Long> rounded = new LinkedHashMap<>();
      long sum = 0;
      for (Map.Entry<Long, Double> e : exact.entrySet()) {
        long floor = (long) Math.floor(e.getValue());
        rounded.put(e.getKey(), floor);
        sum += floor;
      }
      List<Long> byRemainder = new ArrayList<>(exact.keySet());
      byRemainder.sort(
          Comparator.comparingDouble((Long id) -> exact.get(id) - Math.floor(exact.get(id)))
              .reversed());
      for (int k = 0; sum < total && !byRemainder.isEmpty(); k = (k + 1) % byRemainder.size()) {
        rounded.merge(byRemainder.get(k), 1L, Long::sum);
        sum++;
      }
      out.put(field, rounded);
    }
    return out;
  }

  /** A new grid: the source grid's place in the hierarchy, a new code, name, counts and worker. */
  private static Feature newGrid(
      CityIndex current,
      long id,
      Geometry outline,
      Feature source,
      NewGrid given,
      Map<String, Map<Long, Long>> counts) {
    LayerDef def = current.layer(GridRedraw.LAYER).def();
    Object[] v = source.values().clone();
    v[def.requireField("code")] = String.valueOf(id);
    v[def.requireField("name")] = given.name() != null ? given.name() : "第" + (id % 1000) + "网格";
    counts.forEach((field, byId) -> v[def.requireField(field)] = byId.get(id));
    int workerField = def.fieldIndex("worker_id");
    if (workerField >= 0) {
      Long worker = given.workerId() != null ? given.workerId() : (Long) source.value(workerField);
      // a map without forces (a grids-only test city) has no one to check against
      if (worker != null && current.findLayer("forces").isPresent()) {
        String role = Revert.workerRole(current, worker);
        if (!Revert.FULL_TIME.equals(role)) {
          throw new EditRefused(
              Rule.WORKER,
              id,
              "new grid "
                  + id
                  + " would have worker "
                  + worker
                  + ", who is "
                  + (role == null ? "no force" : "a " + role + ", not a full-time grid worker")
                  + "; name a force with role "
                  + Revert.FULL_TIME,
              outline);
        }
      }
      v[workerField] = worker;
      int nameField = def.fieldIndex("worker_name");
      if (nameField >= 0 && given.workerId() != null) {
        v[nameField] = workerName(current, worker);
      }
    }
    return new Feature(id, outline, v, source.personal());
  }

  private static String workerName(CityIndex current, long force) {
    return current
        .findLayer("forces")
        .flatMap(
            l ->
                l.byId(force)
                    .map(
                        f ->
                            l.def().fieldIndex("name") < 0
                                ? null
                                : f.string(l.def().fieldIndex("name"))))
        .orElse(null);
  }
}
