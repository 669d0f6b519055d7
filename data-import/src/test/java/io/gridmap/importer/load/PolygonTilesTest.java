package io.gridmap.importer.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.gridmap.importer.read.FeatureReader;
import io.gridmap.importer.read.ReadOptions;
import io.gridmap.importer.read.Readers;
import io.gridmap.importer.read.SourceFeature;
import io.gridmap.layers.generalise.CoverageGeneraliser;
import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.model.Feature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.coverage.CoverageUnion;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineSegment;
import org.locationtech.jts.geom.Polygon;

class PolygonTilesTest {
  @TempDir Path dir;

  @AfterEach
  void blocksAsShipped() {
    PolygonTiles.blockSize = io.gridmap.layers.generalise.BlockCoverageSimplifier.BLOCK;
  }

  /** 900 lattice cells read from GeoJSON, ids 1000 down to 101 (not in file order). */
  private List<Feature> cells() throws Exception {
    Path file = dir.resolve("cells.geojson");
    LatticeGrids.write(file, 900);
    List<Feature> out = new ArrayList<>();
    try (FeatureReader r = Readers.open(file, ReadOptions.NONE)) {
      SourceFeature sf;
      while ((sf = r.next()) != null) {
        out.add(new Feature(1000 - out.size(), sf.geometry(), new Object[0], false));
      }
    }
    return out;
  }

  @Test
  void inBlocksEveryZoomIsACoverageWithSharedEdgesVertexForVertex() throws Exception {
    List<Feature> cells = cells();
    PolygonTiles.blockSize = 60; // 15 blocks: most cells on a seam
    int[][] blocks = PolygonTiles.blocks(cells);
    assertThat(blocks.length).isGreaterThanOrEqualTo(15);
    assertThat(PolygonTiles.isCoverage(cells, blocks)).isTrue();
    PolygonTiles.Result r = PolygonTiles.generalise(cells, blocks, true, 8, 14);

    List<Long> ids = cells.stream().map(Feature::id).toList();
    List<Geometry> projected = cells.stream().map(f -> WebMercator.project(f.geometry())).toList();
    Map<Integer, Map<Long, Geometry>> whole = CoverageGeneraliser.chain(ids, projected, 14, 8);
    assertThat(r.byZoom().keySet()).containsExactly(14, 13, 12, 11, 10, 9, 8);
    for (int z = 14; z >= 8; z--) {
      Map<Long, Geometry> byId = r.byZoom().get(z);
      // held compactly: every simplified ring found as a subsequence of its original
      assertThat(((PackedPolygons) byId).heldAsDoubles()).as("zoom " + z).isZero();
      assertThat(byId.keySet())
          .as("zoom " + z)
          .containsExactlyInAnyOrderElementsOf(whole.get(z).keySet());
      Geometry[] polygons = byId.values().toArray(Geometry[]::new);
      assertThat(polygons).allMatch(Geometry::isValid);
      assertThat(CoverageValidator.hasInvalidResult(CoverageValidator.validate(polygons, 1.0)))
          .as("zoom " + z + ": no overlap, no gap")
          .isFalse();
      // a segment inside the coverage is drawn by both its cells: none kept a vertex the other
      // dropped; those drawn once are exactly the outline
      Geometry union = CoverageUnion.union(polygons);
      double once = 0;
      for (Map.Entry<LineSegment, Integer> e : segmentCounts(polygons).entrySet()) {
        assertThat(e.getValue()).isBetween(1, 2);
        once += e.getValue() == 1 ? e.getKey().getLength() : 0;
      }
      assertThat(once).as("zoom " + z).isCloseTo(union.getLength(), withinPercentage(1e-9));
      // simplified as far as the whole-layer run: seams were not left at full detail
      int vertices = byId.values().stream().mapToInt(Geometry::getNumPoints).sum();
      int wholeVertices = whole.get(z).values().stream().mapToInt(Geometry::getNumPoints).sum();
      assertThat((double) vertices).as("zoom " + z).isCloseTo(wholeVertices, withinPercentage(2));
    }
  }

  @Test
  void aLayerOfOneBlockIsSimplifiedExactlyAsBefore() throws Exception {
    List<Feature> cells = cells();
    int[][] blocks = PolygonTiles.blocks(cells);
    assertThat(blocks).hasNumberOfRows(1);
    PolygonTiles.Result r = PolygonTiles.generalise(cells, blocks, true, 8, 14);
    List<Long> ids = cells.stream().map(Feature::id).toList();
    List<Geometry> projected = cells.stream().map(f -> WebMercator.project(f.geometry())).toList();
    Map<Integer, Map<Long, Geometry>> whole = CoverageGeneraliser.chain(ids, projected, 14, 8);
    for (int z = 14; z >= 8; z--) {
      Map<Long, Geometry> byId = r.byZoom().get(z);
      assertThat(byId).hasSameSizeAs(whole.get(z));
      List<Long> order = new ArrayList<>(byId.keySet());
      assertThat(order).isSorted();
      for (Map.Entry<Long, Geometry> e : whole.get(z).entrySet()) {
        assertThat(byId.get(e.getKey()).equalsExact(e.getValue()))
            .as("zoom " + z + " id " + e.getKey())
            .isTrue();
      }
    }
  }

  @Test
  void anOverlapIsNoCoverageAcrossBlocks() throws Exception {
    List<Feature> cells = new ArrayList<>(cells());
    // cell 0 (lower left) grown over its neighbours: they lie in other blocks than some of it
    Feature first = cells.get(0);
    cells.set(0, new Feature(first.id(), first.geometry().buffer(0.0005), new Object[0], false));
    PolygonTiles.blockSize = 60;
    assertThat(PolygonTiles.isCoverage(cells, PolygonTiles.blocks(cells))).isFalse();
  }

  private static Map<LineSegment, Integer> segmentCounts(Geometry[] gs) {
    Map<LineSegment, Integer> out = new HashMap<>();
    for (Geometry g : gs) {
      Coordinate[] ring = ((Polygon) g).getExteriorRing().getCoordinates();
      for (int i = 0; i + 1 < ring.length; i++) {
        LineSegment s = new LineSegment(ring[i], ring[i + 1]);
        s.normalize();
        out.merge(s, 1, Integer::sum);
      }
    }
    return out;
  }
}
