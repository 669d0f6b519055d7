package io.gridmap.server.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeapCheckTest {
  /** The full generated city at the seed's volumes. */
  private static final Map<String, Integer> CITY = new LinkedHashMap<>();

  static {
    CITY.put("districts", 38);
    CITY.put("streets", 1_031);
    CITY.put("villages", 11_000);
    CITY.put("grids", 65_000);
    CITY.put("key_sites", 96_920);
    CITY.put("forces", 1_077_285);
    CITY.put("events", 1_100_122);
  }

  private static final long MIB = 1L << 20;

  @Test
  void theFullCityFitsTheLaunchersTwoGibibytesWithTheDefaultTileCache() {
    long need = HeapCheck.needed(CITY, 512 * MIB);
    assertThat(need).isBetween(1_700 * MIB, 2_000 * MIB);
    HeapCheck.require(CITY, 512 * MIB, 2048 * MIB);
  }

  @Test
  void aHeapTooSmallIsRefusedNamingWhatTheStoreHoldsAndTheOptionsToStartWith() {
    assertThatThrownBy(() -> HeapCheck.require(CITY, 512 * MIB, 1024 * MIB))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("65,000 grids")
        .hasMessageContaining("1,077,285 forces")
        .hasMessageContaining("this JVM may use 1.0 GiB")
        .hasMessageContaining("MAPSERVER_JAVA_OPTS=\"-Xmx2g -XX:+UseParallelGC")
        .hasMessageContaining("tile_cache_mb");
  }

  @Test
  void aSmallerTileCacheLowersTheNeed() {
    assertThat(HeapCheck.needed(CITY, 0)).isEqualTo(HeapCheck.needed(CITY, 512 * MIB) - 512 * MIB);
    HeapCheck.require(CITY, 0, 1536 * MIB);
  }

  @Test
  void anImportedLayerCountsAsPoints() {
    Map<String, Integer> withRoster = new LinkedHashMap<>(CITY);
    withRoster.put("staff_roster", 1_000_000);
    assertThat(HeapCheck.needed(withRoster, 0) - HeapCheck.needed(CITY, 0))
        .isEqualTo(1_000_000L * HeapCheck.OTHER_BYTES_PER_FEATURE);
  }

  @Test
  void runningOutWhileLoadingAsksForMoreThanTheHeapItHad() {
    String m = HeapCheck.outOfMemory(CITY, 512 * MIB, 3L << 30);
    assertThat(m).contains("ran out while loading").contains("-Xmx4g");
  }
}
