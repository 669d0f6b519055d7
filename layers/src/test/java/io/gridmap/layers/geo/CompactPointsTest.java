package io.gridmap.layers.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateXY;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.io.WKBReader;
import org.locationtech.jts.io.WKBWriter;
import org.locationtech.jts.io.WKTReader;

class CompactPointsTest {
  private final GeometryFactory compact =
      new GeometryFactory(new PrecisionModel(), 4326, CompactPoints.INSTANCE);
  private final GeometryFactory jts = new GeometryFactory(new PrecisionModel(), 4326);

  @Test
  void aPointReadFromWkbIsItsOwnSequenceAndAllocatesNothingToBeRead() throws Exception {
    byte[] wkb = new WKBWriter().write(jts.createPoint(new CoordinateXY(106.55, 29.56)));
    Point p = (Point) new WKBReader(compact).read(wkb);
    assertThat(p.getCoordinateSequence()).isInstanceOf(PointXY.class);
    assertThat(p.getCoordinate()).isSameAs(p.getCoordinateSequence());
    assertThat(p.getX()).isEqualTo(106.55);
    assertThat(p.getY()).isEqualTo(29.56);
    assertThat(Double.isNaN(p.getCoordinate().getZ())).isTrue();
    assertThat(p.getSRID()).isEqualTo(4326);
    assertThat(new WKBWriter().write(p)).isEqualTo(wkb);
  }

  @Test
  void behavesAsJtsOwnPointInTheOperationsTheServerUses() throws Exception {
    Point ours = compact.createPoint(new CoordinateXY(1, 2));
    Point theirs = jts.createPoint(new CoordinateXY(1, 2));
    assertThat(ours.getCoordinateSequence()).isInstanceOf(PointXY.class);
    Geometry square = new WKTReader(jts).read("POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))");
    assertThat(ours.equalsExact(theirs)).isTrue();
    assertThat(theirs.equalsExact(ours)).isTrue();
    assertThat(square.contains(ours)).isTrue();
    assertThat(ours.distance(compact.createPoint(new CoordinateXY(4, 6)))).isEqualTo(5.0);
    assertThat(ours.getEnvelopeInternal()).isEqualTo(theirs.getEnvelopeInternal());
    assertThat(ours.buffer(1).getArea()).isEqualTo(theirs.buffer(1).getArea());
    assertThat(ours.getInteriorPoint().equalsExact(theirs)).isTrue();
    Geometry copy = ours.copy();
    assertThat(copy.equalsExact(ours)).isTrue();
    assertThat(((Point) copy).getCoordinateSequence()).isNotSameAs(ours.getCoordinateSequence());
    // the projection to Web Mercator edits a copy's sequence in place
    Point moved = (Point) WebMercator.project(ours);
    assertThat(moved.getX()).isEqualTo(WebMercator.x(1));
    assertThat(moved.getY()).isEqualTo(WebMercator.y(2));
    assertThat(ours.getX()).isEqualTo(1.0);
  }

  @Test
  void otherSequencesAreJtsOwn() throws Exception {
    Geometry line = new WKTReader(compact).read("LINESTRING (0 0, 1 1)");
    assertThat(line.getFactory().getCoordinateSequenceFactory()).isSameAs(CompactPoints.INSTANCE);
    assertThat(((org.locationtech.jts.geom.LineString) line).getCoordinateSequence())
        .isNotInstanceOf(PointXY.class);
    Point withZ = compact.createPoint(new Coordinate(1, 2, 3));
    assertThat(withZ.getCoordinateSequence()).isNotInstanceOf(PointXY.class);
    assertThat(withZ.getCoordinate().getZ()).isEqualTo(3.0);
    assertThat(compact.createPoint().isEmpty()).isTrue();
  }

  @Test
  void aPointHasOneCoordinateAndTwoOrdinates() {
    PointXY p = new PointXY(3, 4);
    assertThat(p.size()).isEqualTo(1);
    assertThat(p.toCoordinateArray()).containsExactly(p);
    assertThat(p.getCoordinateCopy(0)).isEqualTo(p).isNotSameAs(p);
    assertThatThrownBy(() -> p.getX(1)).isInstanceOf(ArrayIndexOutOfBoundsException.class);
    assertThatThrownBy(() -> p.setOrdinate(0, 2, 1.0)).isInstanceOf(IllegalArgumentException.class);
  }
}
