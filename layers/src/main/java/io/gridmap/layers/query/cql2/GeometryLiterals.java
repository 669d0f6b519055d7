package io.gridmap.layers.query.cql2;

import java.util.List;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.Polygonal;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;

/**
 * Builds geometry literals for both parsers with the same checks: WGS84 coordinate ranges, closed
 * rings, enough points, valid polygons, and a vertex budget per filter ({@link
 * Cql2Limits#maxVertices()}). Invalid polygons are refused up front because predicates on them mean
 * different things in JTS and in PostGIS.
 */
final class GeometryLiterals {
  /** Floating precision, SRID 4326 (CRS84 axis order: longitude, latitude). */
  static final GeometryFactory FACTORY = new GeometryFactory(new PrecisionModel(), 4326);

  /** Makes an exception at the position the caller is reading. */
  interface Errors {
    Cql2Exception at(Cql2Exception.Kind kind, String message);
  }

  private final int maxVertices;
  private int vertices;

  GeometryLiterals(int maxVertices) {
    this.maxVertices = maxVertices;
  }

  /** Checks a coordinate and counts it against the vertex budget. */
  Coordinate coordinate(double x, double y, double z, Errors errors) {
    if (++vertices > maxVertices) {
      throw errors.at(
          Cql2Exception.Kind.LIMIT,
          "geometry literals have more than "
              + maxVertices
              + " vertices in total (limit maxVertices)");
    }
    checkLonLat(x, y, errors);
    return Double.isNaN(z) ? new Coordinate(x, y) : new Coordinate(x, y, z);
  }

  static void checkLonLat(double x, double y, Errors errors) {
    if (!(x >= -180 && x <= 180) || !(y >= -90 && y <= 90)) {
      throw errors.at(
          Cql2Exception.Kind.SYNTAX,
          "coordinate ("
              + x
              + " "
              + y
              + ") is outside WGS84 longitude/latitude; expected -180 <= longitude <= 180 and -90 <= latitude <= 90 (CRS84 axis order: longitude first)");
    }
  }

  static LineString lineString(List<Coordinate> coords, Errors errors) {
    if (coords.size() < 2) {
      throw errors.at(
          Cql2Exception.Kind.SYNTAX,
          "a linestring needs at least 2 points, found " + coords.size());
    }
    return FACTORY.createLineString(coords.toArray(new Coordinate[0]));
  }

  static LinearRing ring(List<Coordinate> coords, Errors errors) {
    if (coords.size() < 4) {
      throw errors.at(
          Cql2Exception.Kind.SYNTAX,
          "a polygon ring needs at least 4 points (the last repeating the first), found "
              + coords.size());
    }
    Coordinate first = coords.get(0);
    Coordinate last = coords.get(coords.size() - 1);
    if (!first.equals2D(last)) {
      throw errors.at(
          Cql2Exception.Kind.SYNTAX,
          "a polygon ring must be closed: it starts at ("
              + first.x
              + " "
              + first.y
              + ") but ends at ("
              + last.x
              + " "
              + last.y
              + ")");
    }
    return FACTORY.createLinearRing(coords.toArray(new Coordinate[0]));
  }

  static Polygon polygon(List<LinearRing> rings) {
    LinearRing shell = rings.get(0);
    LinearRing[] holes = rings.subList(1, rings.size()).toArray(new LinearRing[0]);
    return FACTORY.createPolygon(shell, holes);
  }

  /** Refuses invalid polygons with JTS's reason and location. */
  static Geometry validated(Geometry g, Errors errors) {
    if (g instanceof Polygonal) {
      TopologyValidationError err = new IsValidOp(g).getValidationError();
      if (err != null) {
        Coordinate c = err.getCoordinate();
        throw errors.at(
            Cql2Exception.Kind.SYNTAX,
            "invalid "
                + g.getGeometryType()
                + ": "
                + err.getMessage()
                + (c == null ? "" : " at or near (" + c.x + " " + c.y + ")"));
      }
    }
    return g;
  }
}
