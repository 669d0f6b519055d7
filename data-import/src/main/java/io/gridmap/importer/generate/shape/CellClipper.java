package io.gridmap.importer.generate.shape;

import io.gridmap.importer.geo.CanonicalDensifier;
import io.gridmap.importer.geo.FixedGrid;
import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.algorithm.Area;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateArrays;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;

/**
 * Cuts cells that tile the plane (Voronoi cells, a disc and its complement) down to a parent, so
 * that the pieces tile the parent exactly and share identical vertices with each other and with the
 * parent's neighbours' pieces.
 *
 * <p>The intersection itself runs in floating precision; then every vertex is placed by {@link
 * ParentBoundary#place} (parent vertex, or rounded to {@link FixedGrid}), and the new inner edges
 * are densified canonically so the next level down can cut them at vertices too.
 */
final class CellClipper {
  private static final GeometryFactory F = FixedGrid.FACTORY;

  private final ParentBoundary parent;
  private final CanonicalDensifier densifier;

  /**
   * @param densifyMetres longest inner edge segment; 0 leaves inner edges as they are (the last
   *     level, whose edges nobody cuts)
   */
  CellClipper(ParentBoundary parent, double densifyMetres) {
    this.parent = parent;
    this.densifier =
        densifyMetres > 0 ? new CanonicalDensifier(densifyMetres, parent::isBoundarySegment) : null;
  }

  /** The cell's polygons inside the parent, placed on the grid; empty when nothing is left. */
  List<Polygon> clip(Geometry cell) {
    Geometry inside;
    if (parent.prepared().containsProperly(cell)) {
      inside = cell;
    } else if (!parent.prepared().intersects(cell)) {
      return List.of();
    } else {
      inside = intersection(cell, parent.geometry());
    }
    List<Polygon> out = new ArrayList<>();
    for (int i = 0; i < inside.getNumGeometries(); i++) {
      if (inside.getGeometryN(i) instanceof Polygon p) {
        Polygon placed = place(p);
        if (placed != null) {
          Geometry dense = densifier == null ? placed : densifier.densify(placed);
          out.add((Polygon) dense);
        }
      }
    }
    return out;
  }

  /** The area-weighted centre of the cell's part inside the parent, without placing vertices. */
  Coordinate centreInside(Geometry cell) {
    Geometry inside =
        parent.prepared().containsProperly(cell) ? cell : intersection(cell, parent.geometry());
    if (inside.isEmpty()) {
      return null;
    }
    Coordinate c = inside.getCentroid().getCoordinate();
    return parent.prepared().contains(F.createPoint(c))
        ? c
        : inside.getInteriorPoint().getCoordinate();
  }

  private static Geometry intersection(Geometry a, Geometry b) {
    try {
      return OverlayNG.overlay(a, b, OverlayNG.INTERSECTION);
    } catch (RuntimeException e) {
      return OverlayNGRobust.overlay(a, b, OverlayNG.INTERSECTION);
    }
  }

  private Polygon place(Polygon p) {
    LinearRing shell = placeRing(p.getExteriorRing().getCoordinates());
    if (shell == null) {
      return null;
    }
    List<LinearRing> holes = new ArrayList<>();
    for (int h = 0; h < p.getNumInteriorRing(); h++) {
      LinearRing hole = placeRing(p.getInteriorRingN(h).getCoordinates());
      if (hole != null) {
        holes.add(hole);
      }
    }
    return F.createPolygon(shell, holes.toArray(LinearRing[]::new));
  }

  private LinearRing placeRing(Coordinate[] cs) {
    Coordinate[] placed = new Coordinate[cs.length];
    for (int i = 0; i < cs.length; i++) {
      placed[i] = parent.place(cs[i]);
    }
    placed = CoordinateArrays.removeRepeatedPoints(placed);
    if (placed.length < 4) {
      return null;
    }
    // a ring whose crossings all moved to the same parent vertices can fold flat
    return Area.ofRing(placed) > 0 ? F.createLinearRing(placed) : null;
  }
}
