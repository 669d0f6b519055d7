package io.gridmap.bench.edits;

import io.gridmap.bench.edits.EditBenchmark.Grid;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.valid.IsValidOp;

/**
 * A boundary two grids share, bent: a new vertex at the middle of one segment they share, placed a
 * few metres into the second grid, in both outlines alike, so the two still match vertex for vertex
 * and cover what they covered (a planner moving a straight boundary onto a path). The smallest real
 * redraw; hand-written here because the benchmark talks to the server only over HTTP (the tests'
 * SharedBoundary is test code).
 *
 * @param a the grid that grows
 * @param b the grid that gives way
 * @param aRing a's new outer ring
 * @param bRing b's new outer ring
 * @param to the new vertex (the tile there is the one the edit must redraw)
 */
record Slide(Grid a, Grid b, Coordinate[] aRing, Coordinate[] bRing, Coordinate to) {
  private static final GeometryFactory F = new GeometryFactory();

  /** About 5 m, in degrees of latitude. */
  private static final double STEP = 5 / 111_000.0;

  /**
   * The first bend found, starting at a grid chosen by {@code seed}: two grids of one village, or
   * with {@code acrossVillages} of two villages of one street; null when there is none.
   */
  static Slide find(List<Grid> grids, boolean acrossVillages, int seed) {
    Map<Coordinate, Set<Integer>> owners = new HashMap<>();
    for (int i = 0; i < grids.size(); i++) {
      for (Coordinate c : grids.get(i).rings()[0]) {
        owners.computeIfAbsent(c, k -> new HashSet<>()).add(i);
      }
    }
    int n = grids.size();
    for (int k = 0; k < n; k++) {
      int ia = (k + seed * 7919) % n;
      Grid a = grids.get(ia);
      Coordinate[] ring = a.rings()[0];
      for (int v = 0; v < ring.length - 1; v++) {
        Set<Integer> both = new HashSet<>(owners.get(ring[v]));
        both.retainAll(owners.get(ring[v + 1]));
        both.remove(ia);
        for (int ib : both) {
          Grid b = grids.get(ib);
          boolean sameVillage = a.village().equals(b.village());
          boolean sameStreet = a.village().regionMatches(0, b.village(), 0, 9);
          if (acrossVillages ? sameVillage || !sameStreet : !sameVillage) {
            continue;
          }
          Slide s = bend(a, b, ring[v], ring[v + 1]);
          if (s != null) {
            return s;
          }
        }
      }
    }
    return null;
  }

  private static Slide bend(Grid a, Grid b, Coordinate p, Coordinate q) {
    Coordinate[] ra = a.rings()[0];
    Coordinate[] rb = b.rings()[0];
    if (segment(rb, p, q) < 0) {
      return null; // they share both ends but not the segment between
    }
    double dx = q.x - p.x;
    double dy = q.y - p.y;
    double len = Math.hypot(dx, dy);
    if (len < 4 * STEP) {
      return null;
    }
    Polygon pb = polygon(rb);
    for (int side : new int[] {1, -1}) {
      Coordinate to =
          new Coordinate(
              round((p.x + q.x) / 2 - side * dy / len * STEP),
              round((p.y + q.y) / 2 + side * dx / len * STEP));
      if (!pb.contains(F.createPoint(to))) {
        continue;
      }
      Coordinate[] na = inserted(ra, p, q, to);
      Coordinate[] nb = inserted(rb, p, q, to);
      if (new IsValidOp(polygon(na)).isValid() && new IsValidOp(polygon(nb)).isValid()) {
        return new Slide(a, b, na, nb, to);
      }
    }
    return null;
  }

  /** The index i where the ring goes p then q or q then p (positions i and i + 1), or -1. */
  private static int segment(Coordinate[] ring, Coordinate p, Coordinate q) {
    for (int i = 0; i < ring.length - 1; i++) {
      if ((ring[i].equals2D(p) && ring[i + 1].equals2D(q))
          || (ring[i].equals2D(q) && ring[i + 1].equals2D(p))) {
        return i;
      }
    }
    return -1;
  }

  private static Coordinate[] inserted(
      Coordinate[] ring, Coordinate p, Coordinate q, Coordinate c) {
    int i = segment(ring, p, q);
    Coordinate[] out = new Coordinate[ring.length + 1];
    System.arraycopy(ring, 0, out, 0, i + 1);
    out[i + 1] = c;
    System.arraycopy(ring, i + 1, out, i + 2, ring.length - i - 1);
    return out;
  }

  private static double round(double d) {
    return Math.round(d * 1e7) / 1e7;
  }

  private static Polygon polygon(Coordinate[] ring) {
    return F.createPolygon(ring);
  }

  /** The redraw's body: both grids with the new vertex (their holes as they were). */
  String body() {
    List<String> features = new ArrayList<>();
    features.add(feature(a, aRing));
    features.add(feature(b, bRing));
    return "{\"type\":\"FeatureCollection\",\"features\":[" + String.join(",", features) + "]}";
  }

  private static String feature(Grid g, Coordinate[] outer) {
    List<String> rings = new ArrayList<>();
    rings.add(ring(outer));
    for (int i = 1; i < g.rings().length; i++) {
      rings.add(ring(g.rings()[i]));
    }
    return "{\"type\":\"Feature\",\"id\":"
        + g.id()
        + ",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["
        + String.join(",", rings)
        + "]}}";
  }

  private static String ring(Coordinate[] ring) {
    List<String> positions = new ArrayList<>();
    for (Coordinate c : ring) {
      positions.add(String.format(Locale.ROOT, "[%.7f,%.7f]", c.x, c.y));
    }
    return "[" + String.join(",", positions) + "]";
  }
}
