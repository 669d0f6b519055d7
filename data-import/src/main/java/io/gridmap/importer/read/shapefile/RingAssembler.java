package io.gridmap.importer.read.shapefile;

import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.algorithm.Area;
import org.locationtech.jts.algorithm.PointLocation;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.geom.Polygon;

/**
 * Turns a Shapefile polygon's rings, which the format stores flat without saying which hole belongs
 * to which shell, into a Polygon or MultiPolygon.
 *
 * <p>The ESRI rule: a clockwise ring (y up) is a shell, a counter-clockwise one a hole. A hole
 * belongs to the smallest shell containing it, tested with a vertex of the hole that is not on the
 * shell's boundary (holes may touch their shell at a point). A hole no shell contains, which files
 * written with the rings the wrong way round have, becomes a shell of its own rather than being
 * dropped: the importer's validity check then sees the geometry as the file drew it.
 */
final class RingAssembler {
  private final GeometryFactory factory;

  RingAssembler(GeometryFactory factory) {
    this.factory = factory;
  }

  /** The polygon(s) of {@code rings}, each closed, at least 4 points: see the class comment. */
  Geometry assemble(List<Coordinate[]> rings) {
    List<Shell> shells = new ArrayList<>();
    List<Coordinate[]> holes = new ArrayList<>();
    for (Coordinate[] ring : rings) {
      // JTS's signed area is positive for a clockwise ring; a degenerate (zero-area) ring is kept
      // as a shell so that validation reports it
      if (Area.ofRingSigned(ring) >= 0) {
        shells.add(new Shell(ring));
      } else {
        holes.add(ring);
      }
    }
    for (Coordinate[] hole : holes) {
      Shell owner = null;
      for (Shell s : shells) {
        if (s.contains(hole) && (owner == null || s.area < owner.area)) {
          owner = s;
        }
      }
      if (owner == null) {
        shells.add(new Shell(hole));
      } else {
        owner.holes.add(hole);
      }
    }
    Polygon[] polygons = new Polygon[shells.size()];
    for (int i = 0; i < polygons.length; i++) {
      Shell s = shells.get(i);
      LinearRing[] holeRings = new LinearRing[s.holes.size()];
      for (int h = 0; h < holeRings.length; h++) {
        holeRings[h] = factory.createLinearRing(s.holes.get(h));
      }
      polygons[i] = factory.createPolygon(factory.createLinearRing(s.ring), holeRings);
    }
    return polygons.length == 1 ? polygons[0] : factory.createMultiPolygon(polygons);
  }

  /** A shell ring with the holes found inside it. */
  private static final class Shell {
    final Coordinate[] ring;
    final double area;
    final Envelope envelope = new Envelope();
    final List<Coordinate[]> holes = new ArrayList<>();

    Shell(Coordinate[] ring) {
      this.ring = ring;
      this.area = Math.abs(Area.ofRingSigned(ring));
      for (Coordinate c : ring) {
        envelope.expandToInclude(c);
      }
    }

    /** Whether the hole lies inside: the envelope first, then the first vertex off the boundary. */
    boolean contains(Coordinate[] hole) {
      for (Coordinate c : hole) {
        if (!envelope.covers(c)) {
          return false;
        }
      }
      for (Coordinate c : hole) {
        int location = PointLocation.locateInRing(c, ring);
        if (location != Location.BOUNDARY) {
          return location == Location.INTERIOR;
        }
      }
      return false;
    }
  }
}
