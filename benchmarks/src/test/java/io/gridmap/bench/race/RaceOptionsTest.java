package io.gridmap.bench.race;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RaceOptionsTest {
  private static final String[] BASE = {
    "--ours",
    "http://127.0.0.1:1",
    "--postgis",
    "http://127.0.0.1:2",
    "--store",
    "postgresql://postgres@127.0.0.1:5432/postgres?schema=s"
  };

  private static String[] with(String... more) {
    String[] all = new String[BASE.length + more.length];
    System.arraycopy(BASE, 0, all, 0, BASE.length);
    System.arraycopy(more, 0, all, BASE.length, more.length);
    return all;
  }

  @Test
  void zoomsAreRangesOrLists() {
    assertThat(RaceOptions.range("6-9")).containsExactly(6, 7, 8, 9);
    assertThat(RaceOptions.range("6,10,14")).containsExactly(6, 10, 14);
    assertThat(RaceOptions.range("6-7,14")).containsExactly(6, 7, 14);
  }

  @Test
  void timedZoomsDefaultToTheComparedOnes() {
    RaceOptions o = RaceOptions.parse(with("--zooms", "6-8"));

    assertThat(o.timeZooms()).containsExactly(6, 7, 8);
    assertThat(o.connections()).containsExactly(1, 2);
  }

  @Test
  void timedZoomsMustBeCompared() {
    assertThatThrownBy(() -> RaceOptions.parse(with("--zooms", "6-8", "--time-zooms", "14")))
        .hasMessageContaining("--time-zooms [14]");
  }

  @Test
  void bothSidesAndTheStoreAreNeeded() {
    assertThatThrownBy(() -> RaceOptions.parse(new String[] {"--ours", "http://127.0.0.1:1"}))
        .hasMessageContaining("--postgis");
  }

  @Test
  void theWholeMapTileIsMeasuredInThreeRoundsUnlessToldOtherwise() {
    assertThat(RaceOptions.parse(BASE).wholeRounds()).isEqualTo(3);
    assertThat(RaceOptions.parse(with("--whole-rounds", "5")).wholeRounds()).isEqualTo(5);
    assertThatThrownBy(() -> RaceOptions.parse(with("--whole-rounds", "0")))
        .hasMessageContaining("--whole-rounds 0");
  }
}
