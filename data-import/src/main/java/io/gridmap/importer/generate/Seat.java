package io.gridmap.importer.generate;

import io.gridmap.importer.clean.District;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.operation.distance.DistanceOp;

/** Where a district's urban core centres. */
final class Seat {
  private Seat() {}

  /** 解放碑, the centre of the main city. */
  static final Coordinate JIEFANGBEI = new Coordinate(106.5775, 29.5587);

  /**
   * The main urban districts grow out of the city centre: their core sits on their point nearest
   * 解放碑. A county's core sits at its centroid (its interior point when the centroid is outside).
   */
  static Coordinate of(District d) {
    Geometry g = d.geometry();
    if (d.mainUrban()) {
      return DistanceOp.nearestPoints(g, new GeometryFactory().createPoint(JIEFANGBEI))[0];
    }
    Coordinate c = g.getCentroid().getCoordinate();
    return g.contains(g.getFactory().createPoint(c)) ? c : g.getInteriorPoint().getCoordinate();
  }
}
