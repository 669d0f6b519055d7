package io.gridmap.bench.race;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RaceTablesTest {
  @Test
  void aZoomReadsTheNearestStoredZoomTheHigherOnATie() {
    Set<Integer> stored = Set.of(10, 12, 14);

    assertThat(RaceTables.nearestZoom(stored, 12)).isEqualTo(12);
    assertThat(RaceTables.nearestZoom(stored, 11)).isEqualTo(12);
    assertThat(RaceTables.nearestZoom(stored, 8)).isEqualTo(10);
    assertThat(RaceTables.nearestZoom(Set.of(), 8)).isEqualTo(-1);
  }

  @Test
  void theCellsMatchOurTilersGrid() {
    // 2^17 cells across the world at z13: 16 per tile of 4096 units, each 256 units wide
    assertThat(RaceTables.DEEP_BITS).isEqualTo(17);
    assertThat(RaceTables.LAST_CELL_ZOOM).isEqualTo(13);
  }
}
