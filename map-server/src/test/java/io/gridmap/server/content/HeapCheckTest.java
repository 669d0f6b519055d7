package io.gridmap.server.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  void theFullCityFitsTheLaunchersTwoGibibytesWithATileCacheNearTheDefault() {
    long need = HeapCheck.needed(CITY);
    // the server measured 1,131 MiB after load on this city, and the locate cells take up to 34
    // MiB more once built
    assertThat(need).isBetween(1_160 * MIB, 1_280 * MIB);
    HeapCheck.require(CITY, 2048 * MIB);
    // what is left beside the store and a tenth to work in, under the default 512 MiB
    assertThat(HeapCheck.tileCacheBytes(CITY, 512 * MIB, 2048 * MIB))
        .isBetween(400 * MIB, 512 * MIB);
  }

  @Test
  void aHeapTooSmallIsRefusedNamingWhatTheStoreHoldsAndTheOptionsToStartWith() {
    assertThatThrownBy(() -> HeapCheck.require(CITY, 1024 * MIB))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("65,000 grids")
        .hasMessageContaining("1,077,285 forces")
        .hasMessageContaining("this JVM may use 1.0 GiB")
        // the launcher's own 2 GiB: the store, the default tile cache and a tenth to work in
        .hasMessageContaining("MAPSERVER_JAVA_OPTS=\"-Xms2g -Xmx2g -XX:+UseG1GC");
  }

  @Test
  void theOptionsNamedForAStoreAreTheLaunchersWithTheHeapSizeOnly() throws IOException {
    // the default in ./mapserver's java_opts: a user told to start with these gets the collector
    // the launcher chose, not an older one
    Path launcher = Path.of("..", "mapserver");
    String script = Files.readString(launcher);
    Matcher m = Pattern.compile("MAPSERVER_JAVA_OPTS:-([^}]*)}").matcher(script);
    assertThat(m.find()).as("the default options in %s", launcher.toAbsolutePath()).isTrue();
    String launchers = m.group(1);
    assertThat(launchers).startsWith("-Xms2g -Xmx2g ");
    assertThat(HeapCheck.options(1_300 * MIB)).isEqualTo(launchers);
    assertThat(HeapCheck.options(3_000 * MIB))
        .isEqualTo(launchers.replace("-Xms2g -Xmx2g", "-Xms4g -Xmx4g"));
  }

  @Test
  void aHeapThatHoldsTheStoreButNotTheTileCacheGetsASmallerCache() {
    long heap = 1700 * MIB;
    HeapCheck.require(CITY, heap);
    long cache = HeapCheck.tileCacheBytes(CITY, 512 * MIB, heap);
    assertThat(cache).isLessThan(512 * MIB).isGreaterThanOrEqualTo(HeapCheck.MIN_TILE_CACHE);
    assertThat(cache).isEqualTo(heap - heap / 10 - HeapCheck.needed(CITY));
    assertThat(HeapCheck.tileCacheBytes(CITY, 8 * MIB, heap)).isEqualTo(8 * MIB);
  }

  @Test
  void anImportedLayerCountsAsPoints() {
    Map<String, Integer> withRoster = new LinkedHashMap<>(CITY);
    withRoster.put("staff_roster", 1_000_000);
    assertThat(HeapCheck.needed(withRoster) - HeapCheck.needed(CITY))
        .isCloseTo(
            (long) (1_000_000L * HeapCheck.OTHER_BYTES_PER_FEATURE * HeapCheck.SERVER_FACTOR),
            org.assertj.core.data.Offset.offset(2L));
  }

  @Test
  void runningOutWhileLoadingAsksForMoreThanTheHeapItHad() {
    String m = HeapCheck.outOfMemory(CITY, 3L << 30);
    assertThat(m).contains("ran out while loading").contains("-Xmx4g");
  }
}
