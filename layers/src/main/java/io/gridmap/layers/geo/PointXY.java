package io.gridmap.layers.geo;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateSequence;
import org.locationtech.jts.geom.CoordinateXY;
import org.locationtech.jts.geom.Envelope;

/**
 * The one coordinate of a 2D point that is also the point's coordinate sequence. JTS keeps a point
 * as a {@code Point}, a {@code CoordinateArraySequence}, a {@code Coordinate[]} and a {@code
 * CoordinateXY}: four objects, 120 bytes. Our two million staff and incident points are held for
 * the server's life, and at start every one of those objects is copied by the young collections (a
 * third of the start was spent in them). As its own sequence, a point is two objects and 72 bytes.
 * JTS has no such sequence (its packed sequences make a new {@code Coordinate} on every {@code
 * Point.getX()}); this one hands out itself, as a {@code CoordinateArraySequence} hands out its
 * stored coordinate, so reading a point allocates nothing.
 *
 * <p>Made by {@link CompactPoints} for sequences of one 2D coordinate; any other size or dimension
 * gets JTS's own sequence.
 */
public final class PointXY extends CoordinateXY implements CoordinateSequence {
  private static final long serialVersionUID = 1L;

  public PointXY() {
    super();
  }

  public PointXY(double x, double y) {
    super(x, y);
  }

  @Override
  public int getDimension() {
    return 2;
  }

  @Override
  public Coordinate getCoordinate(int i) {
    check(i);
    return this;
  }

  @Override
  public Coordinate getCoordinateCopy(int i) {
    check(i);
    return new CoordinateXY(x, y);
  }

  @Override
  public void getCoordinate(int i, Coordinate into) {
    check(i);
    into.setX(x);
    into.setY(y);
  }

  @Override
  public double getX(int i) {
    check(i);
    return x;
  }

  @Override
  public double getY(int i) {
    check(i);
    return y;
  }

  @Override
  public double getOrdinate(int i, int ordinate) {
    check(i);
    return getOrdinate(ordinate);
  }

  @Override
  public int size() {
    return 1;
  }

  @Override
  public void setOrdinate(int i, int ordinate, double value) {
    check(i);
    setOrdinate(ordinate, value);
  }

  @Override
  public Coordinate[] toCoordinateArray() {
    return new Coordinate[] {this};
  }

  @Override
  public Envelope expandEnvelope(Envelope env) {
    env.expandToInclude(x, y);
    return env;
  }

  @Override
  public PointXY copy() {
    return new PointXY(x, y);
  }

  @Override
  public Object clone() {
    return copy();
  }

  private static void check(int i) {
    if (i != 0) {
      throw new ArrayIndexOutOfBoundsException("a point's sequence has one coordinate, not " + i);
    }
  }
}
