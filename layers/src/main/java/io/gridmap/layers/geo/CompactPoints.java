package io.gridmap.layers.geo;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.CoordinateSequenceFactory;
import org.locationtech.jts.geom.Coordinates;
import org.locationtech.jts.geom.impl.CoordinateArraySequenceFactory;
import org.locationtech.jts.geom.impl.PackedCoordinateSequenceFactory;

/**
 * JTS's default coordinate sequences, but a {@link PointXY} for a sequence of one 2D coordinate (a
 * point's): the factory of the geometries a store reads, so that its million-point layers take two
 * objects a point instead of four.
 */
public final class CompactPoints implements CoordinateSequenceFactory {
  public static final CompactPoints INSTANCE = new CompactPoints();

  /** The factory of the lon/lat geometries every store reads (EPSG:4326, floating precision). */
  public static final org.locationtech.jts.geom.GeometryFactory WGS84 =
      new org.locationtech.jts.geom.GeometryFactory(
          new org.locationtech.jts.geom.PrecisionModel(), 4326, INSTANCE);

  /**
   * The factory of the EPSG:3857 polygons generalised per zoom that stores read: each ring's
   * coordinates packed in one array of doubles (JTS's {@link PackedCoordinateSequenceFactory})
   * instead of an object per vertex. 16 bytes a vertex instead of 44, millions of objects fewer in
   * the full city, and the tile renderer, which reads each drawn polygon's every vertex, reads them
   * in order from one array instead of chasing a pointer per vertex.
   */
  public static final org.locationtech.jts.geom.GeometryFactory WEB_MERCATOR =
      new org.locationtech.jts.geom.GeometryFactory(
          new org.locationtech.jts.geom.PrecisionModel(),
          3857,
          PackedCoordinateSequenceFactory.DOUBLE_FACTORY);

  private static final CoordinateArraySequenceFactory JTS =
      CoordinateArraySequenceFactory.instance();

  private CompactPoints() {}

  @Override
  public CoordinateSequence create(Coordinate[] coordinates) {
    if (coordinates != null
        && coordinates.length == 1
        && Coordinates.dimension(coordinates[0]) == 2
        && Coordinates.measures(coordinates[0]) == 0) {
      return new PointXY(coordinates[0].x, coordinates[0].y);
    }
    return JTS.create(coordinates);
  }

  @Override
  public CoordinateSequence create(CoordinateSequence seq) {
    if (seq.size() == 1 && seq.getDimension() == 2 && seq.getMeasures() == 0) {
      return new PointXY(seq.getX(0), seq.getY(0));
    }
    return JTS.create(seq);
  }

  @Override
  public CoordinateSequence create(int size, int dimension) {
    return size == 1 && dimension == 2 ? new PointXY() : JTS.create(size, dimension);
  }

  @Override
  public CoordinateSequence create(int size, int dimension, int measures) {
    return size == 1 && dimension == 2 && measures == 0
        ? new PointXY()
        : JTS.create(size, dimension, measures);
  }
}
