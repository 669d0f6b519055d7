package io.gridmap.layers.generalise;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Layer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.coverage.CoverageSimplifier;
import org.locationtech.jts.coverage.CoverageUnion;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineSegment;
import org.locationtech.jts.geom.Polygon;

class BlockCoverageSimplifierTest {
  /** 30 x 30 wiggly cells, EPSG:3857, in blocks of 50: 18 blocks, most cells near a seam. */
  private static Geometry[] cells() {
    Layer grids = CoverageGeneraliserTest.wigglyGrids(30, 7);
    return grids.features().stream()
        .map(Feature::geometry)
        .map(WebMercator::project)
        .toArray(Geometry[]::new);
  }

  private static Geometry[] blockwise(Geometry[] in, int blockSize, double tolerance) {
    int[][] blocks =
        BlockCoverageSimplifier.blocks(in.length, i -> in[i].getEnvelopeInternal(), blockSize);
    Geometry[] out = new Geometry[in.length];
    BlockCoverageSimplifier.simplify(i -> in[i], blocks, tolerance, (i, g) -> out[i] = g);
    return out;
  }

  @Test
  void blocksPartitionThePolygonsIntoNearbyGroups() {
    Geometry[] in = cells();
    int[][] blocks =
        BlockCoverageSimplifier.blocks(in.length, i -> in[i].getEnvelopeInternal(), 50);
    assertThat(blocks.length).isGreaterThanOrEqualTo(18);
    boolean[] seen = new boolean[in.length];
    for (int[] b : blocks) {
      assertThat(b.length).isBetween(1, 50);
      for (int i : b) {
        assertThat(seen[i]).as("polygon " + i + " in two blocks").isFalse();
        seen[i] = true;
      }
    }
    for (boolean s : seen) {
      assertThat(s).isTrue();
    }
  }

  @Test
  void blockwiseSimplificationIsAValidCoverageWithEdgesSharedVertexForVertex() {
    Geometry[] in = cells();
    double tolerance = CoverageGeneraliser.toleranceMetres(13);
    Geometry[] out = blockwise(in, 50, tolerance);

    assertThat(out).doesNotContainNull().allMatch(Geometry::isValid);
    assertThat(CoverageValidator.hasInvalidResult(CoverageValidator.validate(out, tolerance)))
        .as("no overlap, no gap narrower than the tolerance")
        .isFalse();
    // every segment is drawn by two cells, or lies on the outline of the whole: no cell keeps a
    // vertex its neighbour dropped (that would leave a segment drawn once inside the coverage)
    Geometry union = CoverageUnion.union(out);
    assertThat(union.getNumGeometries()).isEqualTo(1);
    assertThat(((Polygon) union).getNumInteriorRing()).isZero();
    double once = 0;
    for (Map.Entry<LineSegment, Integer> e : segmentCounts(out).entrySet()) {
      assertThat(e.getValue()).as("segment " + e.getKey() + " drawn by").isBetween(1, 2);
      if (e.getValue() == 1) {
        once += e.getKey().getLength();
      }
    }
    assertThat(once).isCloseTo(union.getLength(), org.assertj.core.api.Assertions.within(1e-6));
    // the area is kept: nothing lost between blocks
    double before = 0;
    double after = 0;
    for (int i = 0; i < in.length; i++) {
      before += in[i].getArea();
      after += out[i].getArea();
    }
    assertThat(after).isCloseTo(before, org.assertj.core.api.Assertions.withinPercentage(0.5));
  }

  @Test
  void seamsAndTheOuterBoundaryAreSimplifiedLikeEveryOtherEdge() {
    // z11's tolerance (19 m) is above the cells' 11 m wiggles: most vertices go
    Geometry[] in = cells();
    double tolerance = CoverageGeneraliser.toleranceMetres(11);
    Geometry[] whole = CoverageSimplifier.simplify(in, tolerance);
    Geometry[] blocks = blockwise(in, 50, tolerance);
    int original = vertices(in);
    int wholeVertices = vertices(whole);
    int blockVertices = vertices(blocks);
    // seams held fixed would keep their 12 wiggle vertices: far more than 2 % over the whole run
    assertThat(wholeVertices).isLessThan(original / 2);
    assertThat((double) blockVertices)
        .isCloseTo(wholeVertices, org.assertj.core.api.Assertions.withinPercentage(2));
    for (int i = 0; i < in.length; i++) {
      // no cell moves further from its original than the whole run moves cells
      assertThat(
              org.locationtech.jts.algorithm.distance.DiscreteHausdorffDistance.distance(
                  in[i], blocks[i]))
          .isLessThan(2 * tolerance);
    }
  }

  @Test
  void oneBlockIsTheWholeCoverageRunOfJts() {
    Geometry[] in = cells();
    double tolerance = CoverageGeneraliser.toleranceMetres(13);
    Geometry[] whole = CoverageSimplifier.simplify(in, tolerance);
    Geometry[] one = blockwise(in, in.length, tolerance);
    for (int i = 0; i < in.length; i++) {
      assertThat(one[i].equalsExact(whole[i])).isTrue();
    }
  }

  private static int vertices(Geometry[] gs) {
    int n = 0;
    for (Geometry g : gs) {
      n += g.getNumPoints();
    }
    return n;
  }

  private static Map<LineSegment, Integer> segmentCounts(Geometry[] gs) {
    Map<LineSegment, Integer> out = new HashMap<>();
    for (Geometry g : gs) {
      Polygon p = (Polygon) g;
      Coordinate[] ring = p.getExteriorRing().getCoordinates();
      for (int i = 0; i + 1 < ring.length; i++) {
        LineSegment s = new LineSegment(ring[i], ring[i + 1]);
        s.normalize();
        out.merge(s, 1, Integer::sum);
      }
    }
    return out;
  }
}
