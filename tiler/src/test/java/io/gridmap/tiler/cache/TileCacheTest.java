package io.gridmap.tiler.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.gridmap.tiler.EncodedTile;
import io.gridmap.tiler.geo.TileCoord;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TileCacheTest {
  @Test
  void evictsByBytesNotByEntries() {
    long max = 100_000;
    TileCache cache = new TileCache(max, Duration.ofSeconds(10));
    for (int i = 0; i < 100; i++) {
      cache.putLayer(new TileCoord(14, i, 0), 0, encoded(new byte[5_000], false));
      assertThat(cache.stats().bytes()).isLessThanOrEqualTo(max);
    }
    TileCacheStats s = cache.stats();
    assertThat(s.maxBytes()).isEqualTo(max);
    assertThat(s.entries()).isLessThanOrEqualTo(max / 5_000).isGreaterThan(5);
    assertThat(s.evictions()).isGreaterThanOrEqualTo(100 - max / 5_000);
    assertThat(s.bytes()).isEqualTo(s.entries() * (5_000 + TileCache.ENTRY_OVERHEAD));
  }

  @Test
  void manySmallEntriesFitWhereFewLargeOnesDoNot() {
    TileCache cache = new TileCache(200_000, Duration.ofSeconds(10));
    for (int i = 0; i < 500; i++) {
      cache.putLayer(new TileCoord(14, i, 1), 0, encoded(new byte[100], false));
    }
    assertThat(cache.stats().entries()).isEqualTo(500);
    assertThat(cache.stats().evictions()).isZero();
  }

  @Test
  void countsHitsAndMissesOfTilesAndLayersApart() {
    TileCache cache = new TileCache(1 << 20, Duration.ofSeconds(10));
    TileCoord c = new TileCoord(3, 1, 2);
    assertThat(cache.tile(c)).isNull();
    EncodedTile t = new EncodedTile(new byte[10], "\"x\"", false, false, 10);
    cache.putTile(c, t);
    assertThat(cache.tile(c)).isSameAs(t);
    assertThat(cache.layer(c, 0)).isNull();
    cache.putLayer(c, 0, encoded(new byte[] {1}, false));
    assertThat(cache.layer(c, 0).bytes()).containsExactly(1);
    TileCacheStats s = cache.stats();
    assertThat(s.hits()).isEqualTo(1);
    assertThat(s.misses()).isEqualTo(1);
    assertThat(s.layerHits()).isEqualTo(1);
    assertThat(s.layerMisses()).isEqualTo(1);
    assertThat(s.entries()).isEqualTo(2);
  }

  @Test
  void liveEntriesExpireAfterTheirTtlAndStaticOnesStay() {
    AtomicLong now = new AtomicLong();
    Ticker ticker = now::get;
    TileCache cache = new TileCache(1 << 20, Duration.ofSeconds(5), ticker);
    TileCoord c = new TileCoord(10, 5, 5);
    cache.putLayer(c, 0, encoded(new byte[10], false));
    cache.putLayer(c, 1, encoded(new byte[10], true));
    now.addAndGet(Duration.ofSeconds(6).toNanos());
    cache.cleanUp();
    assertThat(cache.layer(c, 0)).isNotNull();
    assertThat(cache.layer(c, 1)).isNull();
  }

  @Test
  void invalidatingALayerKeepsTheOtherLayersOfTheTile() {
    TileCache cache = new TileCache(1 << 20, Duration.ofSeconds(10));
    TileCoord a = new TileCoord(10, 5, 5);
    TileCoord b = new TileCoord(10, 6, 5);
    for (TileCoord c : new TileCoord[] {a, b}) {
      cache.putLayer(c, 0, encoded(new byte[1], false));
      cache.putLayer(c, 1, encoded(new byte[1], false));
      cache.putTile(c, new EncodedTile(new byte[1], "\"e\"", false, false, 1));
    }
    cache.invalidate(1, encoded -> encoded == a.encoded());
    assertThat(cache.layer(a, 0)).isNotNull();
    assertThat(cache.layer(a, 1)).isNull();
    assertThat(cache.tile(a)).isNull();
    assertThat(cache.layer(b, 1)).isNotNull();
    assertThat(cache.tile(b)).isNotNull();
  }

  static TileCache.EncodedLayer encoded(byte[] bytes, boolean live) {
    return new TileCache.EncodedLayer(bytes, new byte[0], 0, live);
  }
}
