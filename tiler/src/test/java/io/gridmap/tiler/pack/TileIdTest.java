package io.gridmap.tiler.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.tiler.geo.TileCoord;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hilbert TileIDs against the values the PMTiles v3 spec lists (spec/v3/spec.md, 4.1). */
class TileIdTest {
  @Test
  void matchesTheSpecsTable() {
    assertThat(TileId.of(0, 0, 0)).isZero();
    assertThat(TileId.of(1, 0, 0)).isEqualTo(1);
    assertThat(TileId.of(1, 0, 1)).isEqualTo(2);
    assertThat(TileId.of(1, 1, 1)).isEqualTo(3);
    assertThat(TileId.of(1, 1, 0)).isEqualTo(4);
    assertThat(TileId.of(2, 0, 0)).isEqualTo(5);
    assertThat(TileId.of(12, 3423, 1763)).isEqualTo(19_078_479);
  }

  @Test
  void zoomsFollowEachOther() {
    // (4^z - 1) / 3 tiles come before zoom z: the last tile of z13 is just before z14's first
    assertThat(TileId.of(14, 0, 0)).isEqualTo(89_478_485);
    assertThat(TileId.of(20, 0, 0)).isEqualTo(366_503_875_925L);
  }

  @Test
  void toTileInvertsOfAndEveryTileOfAZoomGetsItsOwnId() {
    for (int z = 0; z <= 6; z++) {
      Set<Long> ids = new HashSet<>();
      for (int x = 0; x < (1 << z); x++) {
        for (int y = 0; y < (1 << z); y++) {
          long id = TileId.of(z, x, y);
          assertThat(TileId.toTile(id)).isEqualTo(new TileCoord(z, x, y));
          ids.add(id);
        }
      }
      // a permutation of the zoom's range
      assertThat(ids).hasSize(1 << (2 * z));
      assertThat(ids.stream().mapToLong(Long::longValue).min().getAsLong())
          .isEqualTo(TileId.firstOfZoom(z));
    }
    assertThat(TileId.toTile(19_078_479)).isEqualTo(new TileCoord(12, 3423, 1763));
    TileCoord deep = new TileCoord(14, 13_044, 6_783);
    assertThat(TileId.toTile(TileId.of(deep))).isEqualTo(deep);
  }

  @Test
  void consecutiveIdsAreNeighboursOnTheMap() {
    // the point of the curve: each step moves to an edge-adjacent tile
    for (long id = TileId.of(5, 0, 0); id < TileId.of(6, 0, 0) - 1; id++) {
      TileCoord a = TileId.toTile(id);
      TileCoord b = TileId.toTile(id + 1);
      assertThat(Math.abs(a.x() - b.x()) + Math.abs(a.y() - b.y())).as("%s -> %s", a, b).isOne();
    }
  }

  @Test
  void refusesTilesOutsideTheirZoom() {
    assertThatThrownBy(() -> TileId.of(2, 4, 0)).hasMessageContaining("2/4/0");
    assertThatThrownBy(() -> TileId.of(31, 0, 0)).hasMessageContaining("zoom 31");
  }
}
