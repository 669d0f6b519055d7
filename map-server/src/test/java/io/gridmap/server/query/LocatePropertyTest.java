package io.gridmap.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.query.locate.GridLocation;
import io.gridmap.layers.query.locate.GridLocator;
import io.gridmap.server.testing.TestCity;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;

/**
 * Locate against a brute-force scan of every grid with JTS's relate predicates (covers, and
 * interior by contains), with the border rule applied to the scan's answer: seeded random points
 * over the city, exact shared vertices, and points on shared edges.
 */
class LocatePropertyTest {
  static Dataset city;
  static GridLocator locator;
  static List<Feature> grids;
  static Envelope[] envelopes;
  static final GeometryFactory GF = new GeometryFactory();

  @BeforeAll
  static void build() {
    city = TestCity.small();
    locator = GridLocator.build(CityIndex.build(city));
    grids = locator.grids().features();
    envelopes =
        grids.stream().map(f -> f.geometry().getEnvelopeInternal()).toArray(Envelope[]::new);
  }

  /**
   * The brute-force answer: the grid whose interior holds p, else the smallest id whose boundary
   * does, else null.
   */
  static Feature bruteForce(Coordinate c) {
    Point p = GF.createPoint(c);
    Feature boundary = null;
    for (int i = 0; i < grids.size(); i++) {
      if (!envelopes[i].covers(c)) {
        continue;
      }
      Geometry g = grids.get(i).geometry();
      if (g.contains(p)) {
        return grids.get(i);
      }
      if (g.covers(p) && (boundary == null || grids.get(i).id() < boundary.id())) {
        boundary = grids.get(i);
      }
    }
    return boundary;
  }

  static void check(Coordinate c, int[] stats) {
    Feature expected = bruteForce(c);
    GridLocation got = locator.locate(c.x, c.y);
    if (expected == null) {
      assertThat(got).as("point " + c + " is in no grid").isNull();
      stats[0]++;
      return;
    }
    assertThat(got).as("point " + c).isNotNull();
    assertThat(got.grid().id()).as("point " + c).isEqualTo(expected.id());
    assertThat(locator.locateOrdinal(c.x, c.y)).isEqualTo(locator.grids().ordinalOf(expected.id()));
    if (got.onBorder()) {
      stats[1]++;
    }
    // the chain follows the code's ancestry
    String code = (String) got.grid().value(0);
    assertThat(got.village().value(0)).isEqualTo(code.substring(0, 12));
    assertThat(got.street().value(0)).isEqualTo(code.substring(0, 9));
    assertThat(got.district().value(0)).isEqualTo(code.substring(0, 6));
  }

  @Test
  void randomPointsOverTheCityAgreeWithBruteForce() {
    Random rng = new Random(20240601L);
    Envelope b = locator.grids().bounds();
    int[] stats = new int[2];
    for (int i = 0; i < 6000; i++) {
      Coordinate c =
          new Coordinate(
              b.getMinX() + rng.nextDouble() * b.getWidth(),
              b.getMinY() + rng.nextDouble() * b.getHeight());
      check(c, stats);
    }
    // the three districts do not fill their bounding box: some points are outside every grid
    assertThat(stats[0]).isGreaterThan(0).isLessThan(6000);
  }

  @Test
  void sharedVerticesAndEdgePointsAgreeWithBruteForceByTheSmallestCodeRule() {
    Random rng = new Random(7L);
    int[] stats = new int[2];
    int sharedVertices = 0;
    for (int i = 0; i < 1500; i++) {
      Feature g = grids.get(rng.nextInt(grids.size()));
      Coordinate[] cs = g.geometry().getCoordinates();
      int k = rng.nextInt(cs.length - 1);
      Coordinate v = cs[k];
      // the vertex itself: on this grid's boundary, usually shared with one or two neighbours
      check(v, stats);
      if (countCovering(v) >= 2) {
        sharedVertices++;
      }
      // a point on the edge to the next vertex (the midpoint, and a point at a random fraction)
      Coordinate w = cs[k + 1];
      check(new Coordinate((v.x + w.x) / 2, (v.y + w.y) / 2), stats);
      double t = rng.nextDouble();
      check(new Coordinate(v.x + (w.x - v.x) * t, v.y + (w.y - v.y) * t), stats);
      // and points exactly on an axis-parallel line through the vertex, a hair inside the
      // neighbours
      check(new Coordinate(v.x, v.y + 1e-9), stats);
    }
    assertThat(sharedVertices).as("vertices shared by two or more grids").isGreaterThan(1000);
    assertThat(stats[1]).as("points the border rule decided").isGreaterThan(1500);
  }

  @Test
  void theRuleIsTheSameWhateverTheOrderOfCandidates() {
    // every shared vertex of one grid resolves to the smallest code among the grids that touch it
    Feature g = grids.get(100);
    for (Coordinate v : g.geometry().getCoordinates()) {
      List<Long> touching = new ArrayList<>();
      Point p = GF.createPoint(v);
      for (Feature f : grids) {
        if (f.geometry().getEnvelopeInternal().covers(v) && f.geometry().covers(p)) {
          touching.add(f.id());
        }
      }
      assertThat(locator.locate(v.x, v.y).grid().id())
          .isEqualTo(touching.stream().min(Long::compare).orElseThrow());
    }
  }

  static int countCovering(Coordinate c) {
    Point p = GF.createPoint(c);
    int n = 0;
    for (int i = 0; i < grids.size(); i++) {
      if (envelopes[i].covers(c) && grids.get(i).geometry().covers(p)) {
        n++;
      }
    }
    return n;
  }
}
