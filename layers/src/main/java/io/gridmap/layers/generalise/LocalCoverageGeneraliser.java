package io.gridmap.layers.generalise;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.GeneralisedIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.LayerDef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineSegment;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.operation.valid.IsValidOp;

/**
 * Generalises again only the neighbourhood of features whose outline changed, so that tiles show a
 * redrawn grid at every zoom without slivers, in milliseconds rather than the minute a whole-layer
 * {@link CoverageGeneraliser} run takes for 65k grids.
 *
 * <p>What JTS does: {@code CoverageSimplifier} (topology-preserving Visvalingam-Whyatt on the edges
 * between nodes of the coverage), {@code CoverageValidator}, {@code IsValidOp} and {@code
 * PreparedGeometry} for the neighbour search. What is hand-written here: choosing the rings of
 * neighbours, running {@link CoverageGeneraliser#chain} on them, and the check that the result fits
 * what the index already draws around it.
 *
 * <p>Why rings. Let S be the changed features, N1 the features touching S and N2 those touching N1
 * (outside S and N1). The polygons of S and N1 are recomputed by running the whole-layer chain on S
 * ∪ N1 ∪ N2 (new full-resolution outlines, in id order like the whole-layer run) and kept; N2 is
 * only context. In a coverage the edges of S and N1 end at the same nodes in both runs (a node is a
 * vertex of three or more rings, or where an inner edge meets the boundary), and each edge is
 * simplified on its own, so the N1-N2 edges usually come out as the stored ones. Not always: the
 * simplifier refuses to remove a vertex whose triangle holds a vertex of another edge, and the
 * edges of N3 (absent here) can decide that near a node; the order in which edges are simplified
 * matters for the same reason. Hence the check, per zoom:
 *
 * <ol>
 *   <li>every kept polygon is valid;
 *   <li>the kept polygons and the polygons the index draws for the context form a valid coverage
 *       (JTS {@code CoverageValidator}: no overlap, no crossing);
 *   <li>every boundary segment a context polygon shared with the old polygons of the kept features
 *       is shared, vertex for vertex, with the new ones (no gap opens between them).
 * </ol>
 *
 * When a zoom fails, the ring widens (keep S..N2, context N3), at most {@link #MAX_RINGS} times.
 * Boundary edges of the whole layer may come out different from the stored ones (their split into
 * edges moves with the redrawn nodes); nothing lies beyond them, so that is no sliver.
 */
public final class LocalCoverageGeneraliser {
  /** How many rings of neighbours are kept at most before giving up. */
  public static final int MAX_RINGS = 4;

  private LocalCoverageGeneraliser() {}

  /**
   * What a local run produced.
   *
   * @param polygons zoom -> feature id -> new EPSG:3857 polygon, only where it differs from what
   *     the index draws (an empty polygon removes one); empty when the layer has no generalised
   *     polygons (the index then draws projected originals)
   * @param rings how many rings of neighbours were kept (1 = S and N1)
   * @param recomputed how many features were generalised again (kept), context excluded
   * @param context how many features served as context
   * @param failure why no ring up to {@link #MAX_RINGS} fitted, or null
   */
  public record Result(
      Map<Integer, Map<Long, Geometry>> polygons,
      int rings,
      int recomputed,
      int context,
      String failure) {
    public boolean consistent() {
      return failure == null;
    }
  }

  /**
   * Regeneralises the neighbourhood of {@code changed}.
   *
   * @param index what tiles draw now (old outlines and their generalised polygons)
   * @param layer a coverage layer of the index
   * @param changed feature id -> new lon/lat outline, for features of the layer
   */
  public static Result regeneralise(CityIndex index, String layer, Map<Long, Geometry> changed) {
    return regeneralise(index, layer, changed, Set.of());
  }

  /**
   * Regeneralises the neighbourhood of a change that also adds and retires features (a split, a
   * merge, a grid created).
   *
   * @param changed feature id -> new lon/lat outline: features of the layer that move, and features
   *     the change adds (not in the index yet)
   * @param retired ids of features of the layer the change removes: the added and moved ones cover
   *     their area; their polygons are no one's neighbour, and the boundaries the context shared
   *     with them must be shared with the new polygons
   */
  public static Result regeneralise(
      CityIndex index, String layer, Map<Long, Geometry> changed, Set<Long> retired) {
    LayerIndex li = index.layer(layer);
    LayerDef def = li.def();
    if (!def.coverage()) {
      throw new IllegalArgumentException("layer " + layer + " is not a coverage layer");
    }
    boolean drawnFromGeneralised = false;
    for (int z = def.minZoom(); z <= def.maxZoom(); z++) {
      Optional<GeneralisedIndex> gi = index.generalised(layer, z);
      drawnFromGeneralised |= gi.isPresent() && !gi.get().fallback();
    }
    if (!drawnFromGeneralised) {
      // the index draws projected originals at every zoom and projects the new ones itself
      return new Result(Map.of(), 0, 0, 0, null);
    }

    List<Set<Long>> rings = new ArrayList<>();
    rings.add(new TreeSet<>(changed.keySet()));
    Set<Long> seen = new HashSet<>(changed.keySet());
    seen.addAll(retired);
    String failure = null;
    for (int k = 1; k <= MAX_RINGS; k++) {
      while (rings.size() <= k + 1) {
        Set<Long> next = neighbours(li, rings.get(rings.size() - 1), changed, seen);
        seen.addAll(next);
        rings.add(next);
      }
      Set<Long> keep = new TreeSet<>();
      for (int i = 0; i <= k; i++) {
        keep.addAll(rings.get(i));
      }
      Set<Long> context = rings.get(k + 1);
      List<Long> ids = new ArrayList<>(new TreeSet<>(union(keep, context)));
      List<Geometry> projected = new ArrayList<>(ids.size());
      for (long id : ids) {
        projected.add(WebMercator.project(outline(li, changed, id)));
      }
      Map<Integer, Map<Long, Geometry>> local =
          CoverageGeneraliser.chain(ids, projected, def.maxZoom(), def.minZoom());
      failure = null;
      for (int z = def.maxZoom(); z >= def.minZoom() && failure == null; z--) {
        failure = misfit(index, layer, z, local.get(z), keep, retired, context);
      }
      if (failure == null) {
        return new Result(
            differences(index, layer, def, local, keep), k, keep.size(), context.size(), null);
      }
      if (context.isEmpty()) {
        break; // nothing left to widen into
      }
    }
    return new Result(Map.of(), MAX_RINGS, 0, 0, failure);
  }

  private static Set<Long> union(Set<Long> a, Set<Long> b) {
    Set<Long> u = new HashSet<>(a);
    u.addAll(b);
    return u;
  }

  /** A feature's outline with the change applied. */
  private static Geometry outline(LayerIndex li, Map<Long, Geometry> changed, long id) {
    Geometry g = changed.get(id);
    return g != null ? g : li.byId(id).orElseThrow().geometry();
  }

  /**
   * Features whose outline (old or new) intersects that of a feature of {@code ring}, and which are
   * not in {@code seen}. In a coverage, intersecting is touching.
   */
  private static Set<Long> neighbours(
      LayerIndex li, Set<Long> ring, Map<Long, Geometry> changed, Set<Long> seen) {
    Set<Long> out = new TreeSet<>();
    for (long id : ring) {
      List<Geometry> shapes = new ArrayList<>(2);
      li.byId(id).ifPresent(f -> shapes.add(f.geometry()));
      if (changed.containsKey(id)) {
        shapes.add(changed.get(id));
      }
      for (Geometry shape : shapes) {
        PreparedGeometry p = PreparedGeometryFactory.prepare(shape);
        li.queryOrdinals(
            shape.getEnvelopeInternal(),
            o -> {
              Feature f = li.feature(o);
              if (!seen.contains(f.id())
                  && !out.contains(f.id())
                  && p.intersects(outline(li, changed, f.id()))) {
                out.add(f.id());
              }
            });
      }
    }
    return out;
  }

  /** What the index draws at a zoom for some features (those it draws there). */
  private static Map<Long, Geometry> drawn(
      CityIndex index, String layer, int zoom, Collection<Long> ids) {
    Map<Long, Geometry> out = new LinkedHashMap<>();
    GeneralisedIndex gi = index.generalised(layer, zoom).orElse(null);
    if (gi == null) {
      return out;
    }
    for (long id : ids) {
      int o = gi.ordinalOf(id);
      if (o >= 0) {
        out.put(id, gi.geometry(o));
      }
    }
    return out;
  }

  /**
   * Why the kept polygons of one zoom do not fit what the index draws around them, or null when
   * they do.
   */
  private static String misfit(
      CityIndex index,
      String layer,
      int zoom,
      Map<Long, Geometry> local,
      Set<Long> keep,
      Set<Long> retired,
      Set<Long> context) {
    List<Long> ids = new ArrayList<>();
    List<Geometry> polygons = new ArrayList<>();
    for (long id : keep) {
      Geometry g = local.get(id);
      if (g == null) {
        continue;
      }
      IsValidOp valid = new IsValidOp(g);
      if (!valid.isValid()) {
        return "zoom "
            + zoom
            + ": the generalised polygon of "
            + id
            + " is invalid ("
            + valid.getValidationError().getMessage()
            + " at "
            + lonLat(valid.getValidationError().getCoordinate())
            + ")";
      }
      ids.add(id);
      polygons.add(g);
    }
    int kept = ids.size();
    Map<Long, Geometry> around = drawn(index, layer, zoom, context);
    around.forEach(
        (id, g) -> {
          ids.add(id);
          polygons.add(g);
        });
    Geometry[] invalid = CoverageValidator.validate(polygons.toArray(Geometry[]::new));
    for (int i = 0; i < invalid.length; i++) {
      if (invalid[i] != null && !invalid[i].isEmpty()) {
        return "zoom "
            + zoom
            + ": the generalised polygon of "
            + ids.get(i)
            + " would overlap or cross a neighbour's near "
            + lonLat(invalid[i].getCoordinate());
      }
    }
    // every segment a context polygon shared with the old kept polygons is shared with the new ones
    Set<LineSegment> before = segments(drawn(index, layer, zoom, union(keep, retired)).values());
    Set<LineSegment> after = segments(polygons.subList(0, kept));
    for (Map.Entry<Long, Geometry> c : around.entrySet()) {
      for (LineSegment s : segments(List.of(c.getValue()))) {
        if (before.contains(s) && !after.contains(s)) {
          return "zoom "
              + zoom
              + ": a gap would open along the generalised boundary of "
              + c.getKey()
              + " near "
              + lonLat(s.midPoint());
        }
      }
    }
    return null;
  }

  /** Every boundary segment of some polygons, each with its ends in a fixed order. */
  private static Set<LineSegment> segments(Collection<Geometry> polygons) {
    Set<LineSegment> out = new HashSet<>();
    for (Geometry g : polygons) {
      for (int i = 0; i < g.getNumGeometries(); i++) {
        Polygon p = (Polygon) g.getGeometryN(i);
        addSegments(p.getExteriorRing().getCoordinates(), out);
        for (int h = 0; h < p.getNumInteriorRing(); h++) {
          addSegments(p.getInteriorRingN(h).getCoordinates(), out);
        }
      }
    }
    return out;
  }

  private static void addSegments(Coordinate[] ring, Set<LineSegment> out) {
    for (int i = 0; i + 1 < ring.length; i++) {
      if (!ring[i].equals2D(ring[i + 1])) {
        LineSegment s =
            new LineSegment(
                new Coordinate(ring[i].x, ring[i].y), new Coordinate(ring[i + 1].x, ring[i + 1].y));
        s.normalize();
        out.add(s);
      }
    }
  }

  /** The kept polygons that differ from what the index draws, per zoom. */
  private static Map<Integer, Map<Long, Geometry>> differences(
      CityIndex index,
      String layer,
      LayerDef def,
      Map<Integer, Map<Long, Geometry>> local,
      Set<Long> keep) {
    Map<Integer, Map<Long, Geometry>> out = new LinkedHashMap<>();
    for (int z = def.maxZoom(); z >= def.minZoom(); z--) {
      Map<Long, Geometry> now = drawn(index, layer, z, keep);
      Map<Long, Geometry> changed = new HashMap<>();
      for (long id : keep) {
        Geometry next = local.get(z).get(id);
        Geometry old = now.get(id);
        if (next == null) {
          if (old != null) {
            changed.put(
                id, old.getFactory().createPolygon()); // simplified away: no longer drawn here
          }
        } else if (old == null || !old.equalsExact(next)) {
          changed.put(id, next);
        }
      }
      if (!changed.isEmpty()) {
        out.put(z, changed);
      }
    }
    return out;
  }

  private static String lonLat(Coordinate mercator) {
    return String.format(
        java.util.Locale.ROOT,
        "(%.7f, %.7f)",
        WebMercator.lon(mercator.x),
        WebMercator.lat(mercator.y));
  }
}
