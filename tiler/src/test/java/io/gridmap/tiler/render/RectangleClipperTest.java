package io.gridmap.tiler.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.valid.IsValidOp;

class RectangleClipperTest {
  static final GeometryFactory GF = new GeometryFactory();

  /** Clips the ring (x, y interleaved) to [0, 100] and splits its bridges. */
  static RectangleClipper clipped(double... xy) {
    RectangleClipper c = new RectangleClipper(0, 100);
    c.reset();
    for (int i = 0; i < xy.length; i += 2) {
      c.add(xy[i], xy[i + 1]);
    }
    c.clip();
    c.splitBridges();
    return c;
  }

  static List<Polygon> polygons(RectangleClipper c) {
    List<Polygon> out = new ArrayList<>();
    for (int r = 0; r < c.rings(); r++) {
      int from = c.ringStart(r);
      int to = c.ringEnd(r);
      if (to - from < 3) {
        continue; // nothing left, or a line without area
      }
      double[] xy = new double[2 * (to - from)];
      for (int i = from; i < to; i++) {
        xy[2 * (i - from)] = c.x(i);
        xy[2 * (i - from) + 1] = c.y(i);
      }
      out.add(polygon(xy, 0, to - from));
    }
    return out;
  }

  @Test
  void aUShapeLeavingAndReEnteringAcrossOneEdgeSplitsIntoItsTwoArmsWithoutABridge() {
    RectangleClipper c =
        clipped(-50, 10, 80, 10, 80, 20, -40, 20, -40, 60, 80, 60, 80, 70, -50, 70);
    List<Polygon> arms = polygons(c);
    assertThat(arms).hasSize(2);
    assertThat(arms).allSatisfy(p -> assertThat(IsValidOp.isValid(p)).isTrue());
    assertThat(arms).allSatisfy(p -> assertThat(p.getArea()).isEqualTo(800.0));
    assertThat(arms).allSatisfy(p -> assertThat(p.getNumPoints()).isEqualTo(5));
  }

  @Test
  void aRingCrossingTheSquareOnceStaysOneRing() {
    RectangleClipper c = clipped(-10, 10, 50, 10, 50, 50, -10, 50);
    assertThat(c.rings()).isEqualTo(1);
    assertThat(polygons(c).get(0).getArea()).isEqualTo(2000.0);
  }

  @Test
  void aRingWithAnEdgeAlongTheSquareKeepsItEitherWayRound() {
    double[] ring = {0, 20, 50, 20, 50, 80, 0, 80};
    for (double[] r : List.of(ring, reversed(ring))) {
      RectangleClipper c = clipped(r);
      assertThat(c.rings()).isEqualTo(1);
      assertThat(polygons(c).get(0).getArea()).isEqualTo(3000.0);
    }
  }

  @Test
  void aRingAroundTheWholeSquareComesOutAsTheSquare() {
    RectangleClipper c = clipped(-10, -10, 110, -10, 110, 110, -10, 110);
    assertThat(c.rings()).isEqualTo(1);
    assertThat(polygons(c).get(0).getArea()).isEqualTo(10_000.0);
  }

  @Test
  void aCombWhoseBackLiesOutsideTheSquareComesOutAsItsTeethEitherWayRound() {
    // teeth 10 wide at x = 0, 20, ..., 80 reaching in from a back at x < 0, corners included
    List<Double> xy = new ArrayList<>();
    xy.add(-30.0);
    xy.add(-20.0);
    for (int t = 0; t < 5; t++) {
      double y0 = t * 25.0 - 5;
      xy.addAll(List.of(-20.0, y0, 120.0, y0, 120.0, y0 + 10, -20.0, y0 + 10));
    }
    xy.addAll(List.of(-30.0, 120.0));
    double[] ring = xy.stream().mapToDouble(Double::doubleValue).toArray();
    for (double[] r : List.of(ring, reversed(ring))) {
      List<Polygon> teeth = polygons(clipped(r));
      assertThat(teeth).hasSize(5);
      assertThat(teeth).allSatisfy(p -> assertThat(IsValidOp.isValid(p)).isTrue());
      // teeth at y -5..5 and 95..105 are cut in half
      assertThat(teeth.stream().mapToDouble(Geometry::getArea).sum())
          .isEqualTo(3 * 1000.0 + 2 * 500);
    }
  }

  @Test
  void thePiecesCoverWhatJtsIntersectionCoversEachPlaceOnceForRandomStars() {
    SplittableRandom rnd = new SplittableRandom(3);
    Polygon square =
        GF.createPolygon(
            new Coordinate[] {
              new Coordinate(0, 0),
              new Coordinate(100, 0),
              new Coordinate(100, 100),
              new Coordinate(0, 100),
              new Coordinate(0, 0)
            });
    int split = 0;
    for (int trial = 0; trial < 2_000; trial++) {
      // a star around a point near the square's edges: a simple ring that leaves and comes back
      double[] ring =
          star(
              rnd,
              rnd.nextDouble(-40, 140),
              rnd.nextDouble(-40, 140),
              rnd.nextInt(3, 40),
              120,
              5.0 / 120);
      if (rnd.nextBoolean()) {
        ring = reversed(ring);
      }
      double expected = polygon(ring, 0, ring.length / 2).intersection(square).getArea();
      List<Polygon> pieces = polygons(clipped(ring));
      split += pieces.size() > 1 ? 1 : 0;
      double sum = 0;
      for (Polygon p : pieces) {
        if (p.getArea() > 0) {
          assertThat(IsValidOp.isValid(p)).as("trial %d: %s", trial, p).isTrue();
        }
        sum += p.getArea();
      }
      Geometry union = GF.buildGeometry(pieces).union();
      assertThat(sum).as("trial %d", trial).isCloseTo(expected, within(1e-6 * (1 + expected)));
      assertThat(union.getArea()).as("trial %d", trial).isCloseTo(sum, within(1e-6 * (1 + sum)));
    }
    assertThat(split).isGreaterThan(200);
  }

  @Test
  void pointsDroppedBeyondAnEdgeWhileAddingLeaveTheSameAreaForRandomStarsAndRingsAround() {
    SplittableRandom rnd = new SplittableRandom(5);
    long added = 0;
    long kept = 0;
    for (int trial = 0; trial < 2_000; trial++) {
      // stars around points near and beyond the square, some wide enough to go round it
      double[] ring =
          star(
              rnd,
              rnd.nextDouble(-150, 250),
              rnd.nextDouble(-150, 250),
              rnd.nextInt(3, 200),
              rnd.nextDouble(5, 300),
              0.6);
      int n = ring.length / 2;
      RectangleClipper all = new RectangleClipper(0, 100);
      RectangleClipper far = new RectangleClipper(0, 100);
      all.reset();
      far.reset();
      for (int i = 0; i < n; i++) {
        all.add(ring[2 * i], ring[2 * i + 1]);
        far.addFar(ring[2 * i], ring[2 * i + 1]);
      }
      added += n;
      kept += far.size();
      for (RectangleClipper c : List.of(all, far)) {
        c.clip();
        c.splitBridges();
      }
      Geometry a = GF.buildGeometry(polygons(all)).union();
      Geometry b = GF.buildGeometry(polygons(far)).union();
      assertThat(b.getArea()).as("trial %d", trial).isCloseTo(a.getArea(), within(1e-6));
      assertThat(a.symDifference(b).getArea()).as("trial %d", trial).isLessThan(1e-6);
    }
    assertThat(kept).isLessThan(added / 2);
  }

  /** The polygon of the ring of {@code n} points (x, y interleaved) at point {@code from}. */
  static Polygon polygon(double[] xy, int from, int n) {
    Coordinate[] cs = new Coordinate[n + 1];
    for (int i = 0; i < n; i++) {
      cs[i] = new Coordinate(xy[2 * (from + i)], xy[2 * (from + i) + 1]);
    }
    cs[n] = cs[0].copy();
    return GF.createPolygon(cs);
  }

  /**
   * A star of {@code n} points round (cx, cy), radii drawn between {@code least} times {@code
   * radius} and {@code radius}: a simple ring that, near the square, leaves and comes back.
   */
  static double[] star(
      SplittableRandom rnd, double cx, double cy, int n, double radius, double least) {
    double[] ring = new double[2 * n];
    for (int i = 0; i < n; i++) {
      double a = 2 * Math.PI * i / n;
      double r = radius * rnd.nextDouble(least, 1.0);
      ring[2 * i] = cx + r * Math.cos(a);
      ring[2 * i + 1] = cy + r * Math.sin(a);
    }
    return ring;
  }

  static double[] reversed(double[] xy) {
    double[] r = new double[xy.length];
    int n = xy.length / 2;
    for (int i = 0; i < n; i++) {
      r[2 * i] = xy[2 * (n - 1 - i)];
      r[2 * i + 1] = xy[2 * (n - 1 - i) + 1];
    }
    return r;
  }
}
