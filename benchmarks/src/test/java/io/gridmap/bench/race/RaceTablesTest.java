package io.gridmap.bench.race;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RaceTablesTest {
  @Test
  void theCellsMatchOurTilersGrid() {
    // 2^17 cells across the world at z13: 16 per tile of 4096 units, each 256 units wide
    assertThat(RaceTables.DEEP_BITS).isEqualTo(17);
    assertThat(RaceTables.LAST_CELL_ZOOM).isEqualTo(13);
  }
}
