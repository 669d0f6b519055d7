package io.gridmap.layers.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateFilter;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;

/**
 * Moves the boundary two neighbouring polygons share, for edit tests: one vertex in the middle of
 * the shared stretch goes a given distance into the second polygon, in both outlines at once, on
 * the store's 1e-7 degree grid. The area between the old and the new boundary passes from the
 * second polygon to the first.
 */
public final class SharedBoundary {
  private static final PrecisionModel GRID = new PrecisionModel(1e7);
  private static final double METRES_PER_DEGREE = 111_319.49;

  private SharedBoundary() {}

  /**
   * A moved boundary.
   *
   * @param first the first polygon with the vertex moved
   * @param second the second polygon with the vertex moved
   * @param from where the vertex was
   * @param to where it is now
   * @param probe a point that was in the second polygon and is now in the first
   */
  public record Move(
      Geometry first, Geometry second, Coordinate from, Coordinate to, Coordinate probe) {}

  /**
   * Moves a vertex shared by {@code a} and {@code b} (and whose neighbours along {@code a}'s
   * outline are shared too, so it is no node) by {@code metres} into {@code b}; empty when no such
   * vertex gives two valid polygons.
   */
  public static Optional<Move> move(Geometry a, Geometry b, double metres) {
    Set<Coordinate> inB = new HashSet<>(List.of(b.getCoordinates()));
    Coordinate[] ring = ((Polygon) a.getGeometryN(0)).getExteriorRing().getCoordinates();
    int n = ring.length - 1;
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Coordinate prev = ring[(i + n - 1) % n];
      Coordinate next = ring[(i + 1) % n];
      if (inB.contains(ring[i]) && inB.contains(prev) && inB.contains(next)) {
        candidates.add(i);
      }
    }
    // the middle of the shared stretch first
    List<Integer> order = new ArrayList<>();
    for (int k = 0; k < candidates.size(); k++) {
      int mid = candidates.size() / 2;
      int idx = mid + ((k % 2 == 0) ? k / 2 : -(k / 2 + 1));
      if (idx >= 0 && idx < candidates.size()) {
        order.add(candidates.get(idx));
      }
    }
    for (int i : order) {
      Coordinate v = ring[i];
      Coordinate prev = ring[(i + n - 1) % n];
      Coordinate next = ring[(i + 1) % n];
      double cos = Math.cos(Math.toRadians(v.y));
      // perpendicular to prev -> next, in metres, then back to degrees
      double ex = (next.x - prev.x) * cos;
      double ey = next.y - prev.y;
      double len = Math.hypot(ex, ey);
      for (int sign : new int[] {1, -1}) {
        double nx = -ey / len * sign;
        double ny = ex / len * sign;
        double dx = nx * metres / (METRES_PER_DEGREE * cos);
        double dy = ny * metres / METRES_PER_DEGREE;
        Coordinate to = new Coordinate(GRID.makePrecise(v.x + dx), GRID.makePrecise(v.y + dy));
        Coordinate probe =
            new Coordinate(GRID.makePrecise(v.x + dx / 2), GRID.makePrecise(v.y + dy / 2));
        if (!b.contains(b.getFactory().createPoint(to))) {
          continue;
        }
        Geometry a2 = replaced(a, v, to);
        Geometry b2 = replaced(b, v, to);
        if (a2.isValid()
            && b2.isValid()
            && a2.contains(a2.getFactory().createPoint(probe))
            && b.contains(b.getFactory().createPoint(probe))) {
          return Optional.of(new Move(a2, b2, v, to, probe));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Slides the node where {@code a}, {@code b} and {@code c} meet one vertex along the boundary of
   * {@code b} and {@code c}: {@code a} takes the triangle between the node, the next vertex of the
   * a|b boundary and the next vertex of the b|c boundary from {@code b}. Outlines of {@code a} and
   * {@code b} change; {@code c}'s stays, but its boundary is split at a new node, so its
   * generalised polygon changes too. Empty when no such triangle lies inside {@code b}.
   */
  public static Optional<Move> slideNode(Geometry a, Geometry b, Geometry c) {
    Set<Coordinate> inA = new HashSet<>(List.of(a.getCoordinates()));
    Set<Coordinate> inB = new HashSet<>(List.of(b.getCoordinates()));
    Set<Coordinate> inC = new HashSet<>(List.of(c.getCoordinates()));
    Coordinate[] ringA = ((Polygon) a.getGeometryN(0)).getExteriorRing().getCoordinates();
    Coordinate[] ringB = ((Polygon) b.getGeometryN(0)).getExteriorRing().getCoordinates();
    for (int i = 0; i < ringA.length - 1; i++) {
      Coordinate p = ringA[i];
      if (!inB.contains(p) || !inC.contains(p)) {
        continue;
      }
      for (Coordinate x : neighbours(ringA, p)) {
        if (!inB.contains(x) || inC.contains(x)) {
          continue;
        }
        for (Coordinate q : neighbours(ringB, p)) {
          if (!inC.contains(q) || inA.contains(q)) {
            continue;
          }
          Geometry t = a.getFactory().createPolygon(new Coordinate[] {p, q, x, p});
          if (t.getArea() == 0 || !b.covers(t)) {
            continue;
          }
          Geometry a2 =
              org.locationtech.jts.operation.overlayng.OverlayNG.overlay(
                  a, t, org.locationtech.jts.operation.overlayng.OverlayNG.UNION, GRID);
          Geometry b2 =
              org.locationtech.jts.operation.overlayng.OverlayNG.overlay(
                  b, t, org.locationtech.jts.operation.overlayng.OverlayNG.DIFFERENCE, GRID);
          Coordinate probe = t.getInteriorPoint().getCoordinate();
          probe = new Coordinate(GRID.makePrecise(probe.x), GRID.makePrecise(probe.y));
          var pt = a.getFactory().createPoint(probe);
          if (a2 instanceof Polygon
              && b2 instanceof Polygon
              && a2.isValid()
              && b2.isValid()
              && a2.contains(pt)
              && b.contains(pt)
              && !b2.intersects(pt)) {
            return Optional.of(new Move(a2, b2, p, q, probe));
          }
        }
      }
    }
    return Optional.empty();
  }

  /** The vertices before and after {@code p} along a closed ring. */
  private static List<Coordinate> neighbours(Coordinate[] ring, Coordinate p) {
    int n = ring.length - 1;
    List<Coordinate> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (ring[i].equals2D(p)) {
        out.add(ring[(i + n - 1) % n]);
        out.add(ring[(i + 1) % n]);
      }
    }
    return out;
  }

  /** A copy of {@code g} with every vertex at {@code from} moved to {@code to}. */
  public static Geometry replaced(Geometry g, Coordinate from, Coordinate to) {
    Geometry c = g.copy();
    c.apply(
        (CoordinateFilter)
            p -> {
              if (p.equals2D(from)) {
                p.x = to.x;
                p.y = to.y;
              }
            });
    c.geometryChanged();
    return c;
  }
}
