package io.gridmap.tiler;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.model.Feature;
import io.gridmap.tiler.TestTiles.Decoded;
import io.gridmap.tiler.geo.TileCoord;
import io.gridmap.tiler.render.ClusterIds;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Point;

/**
 * A tile reads the ring of cluster cells around its own because their clusters may lie in its
 * 64-unit buffer; a cell is 256 units wide, so most of the ring lies beyond the buffer. A cluster
 * of the ring is drawn only where it lies in the buffer, like a single point; its own tile always
 * draws it.
 */
class ClusterBufferTest {
  private static final int BUFFER = 64;
  private static final int EXTENT = 4096;

  @Test
  void aClusterOfTheRingIsDrawnInTheBufferAndNotBeyondIt() {
    TileService tiles = TestTiles.service();
    int inBuffer = 0;
    int beyondBuffer = 0;
    for (int z = 9; z <= 13; z++) {
      // every tile holding a force, and its eight neighbours
      Set<TileCoord> seen = new HashSet<>();
      for (Feature f : TestTiles.index().layer("forces").features()) {
        Point p = (Point) f.geometry();
        TileCoord t = TileCoord.containing(WebMercator.x(p.getX()), WebMercator.y(p.getY()), z);
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            seen.add(TileCoord.ofXYZ(t.x() + dx, t.y() + dy, z));
          }
        }
      }
      // where each cluster is drawn by the tile owning its cell
      Map<Long, Coordinate> owned = new HashMap<>();
      Map<TileCoord, List<Decoded>> clusters = new HashMap<>();
      for (TileCoord t : seen) {
        EncodedTile e = tiles.tile(t);
        List<Decoded> cs =
            e.empty()
                ? List.of()
                : TestTiles.decode(e.gzipped()).getOrDefault("forces", List.of()).stream()
                    .filter(d -> ClusterIds.isCluster(d.id()))
                    .toList();
        clusters.put(t, cs);
        int shift = ClusterIds.cellShift();
        for (Decoded d : cs) {
          if (ClusterIds.cellX(d.id()) >> shift == t.x()
              && ClusterIds.cellY(d.id()) >> shift == t.y()) {
            owned.put(d.id(), d.geometry().getCoordinate());
          }
        }
      }
      for (Map.Entry<TileCoord, List<Decoded>> e : clusters.entrySet()) {
        TileCoord t = e.getKey();
        Set<Long> drawn = new HashSet<>();
        for (Decoded d : e.getValue()) {
          Coordinate c = d.geometry().getCoordinate();
          assertThat(inBuffered(c)).as("cluster %d drawn at %s in %s", d.id(), c, t).isTrue();
          drawn.add(d.id());
        }
        // each cluster of a neighbouring cell: drawn here exactly when its place lies in the buffer
        for (Map.Entry<Long, Coordinate> o : owned.entrySet()) {
          int shift = ClusterIds.cellShift();
          int tx = ClusterIds.cellX(o.getKey()) >> shift;
          int ty = ClusterIds.cellY(o.getKey()) >> shift;
          int dx = tx - t.x();
          int dy = ty - t.y();
          if ((dx == 0 && dy == 0) || Math.abs(dx) > 1 || Math.abs(dy) > 1) {
            continue;
          }
          // its place in this tile's units: the owner's, shifted by a tile per step
          Coordinate here =
              new Coordinate(o.getValue().x + dx * EXTENT, o.getValue().y + dy * EXTENT);
          if (inBuffered(here)) {
            assertThat(drawn)
                .as("cluster %d at %s in %s", o.getKey(), here, t)
                .contains(o.getKey());
            inBuffer++;
          } else {
            assertThat(drawn)
                .as("cluster %d at %s in %s", o.getKey(), here, t)
                .doesNotContain(o.getKey());
            beyondBuffer++;
          }
        }
      }
    }
    assertThat(inBuffer).as("neighbours' clusters in a buffer").isPositive();
    assertThat(beyondBuffer).as("neighbours' clusters beyond a buffer").isPositive();
  }

  private static boolean inBuffered(Coordinate c) {
    return c.x >= -BUFFER && c.y >= -BUFFER && c.x <= EXTENT + BUFFER && c.y <= EXTENT + BUFFER;
  }
}
