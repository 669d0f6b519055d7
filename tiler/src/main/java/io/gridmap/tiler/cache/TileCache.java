package io.gridmap.tiler.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.gridmap.tiler.EncodedTile;
import io.gridmap.tiler.geo.TileCoord;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongPredicate;

/**
 * Encoded tiles and encoded layers in one cache bounded in bytes (Caffeine, weighed by array length
 * plus an entry overhead).
 *
 * <p>Two kinds of entry share the budget: the finished gzipped tile, for the hot path, and the
 * uncompressed bytes of each (tile, layer), since an MVT tile is the concatenation of its layers:
 * after a live change only the changed layer is re-encoded and the tile re-assembled. Entries of
 * live layers (and tiles holding one) expire after {@code liveTtl}; static ones only by size.
 *
 * <p>Eviction runs on the calling thread so that the byte bound holds when a put returns.
 */
public final class TileCache {
  /** Rough bytes of a cache entry besides its array: key, node, array header. */
  static final int ENTRY_OVERHEAD = 96;

  /**
   * A tile's key. Not a record: a record of the packed coordinate hashes to {@code y ^ x >> 3 ^
   * ...} (the long's halves xor-ed), whose collisions among nearby tiles turned the map's bins into
   * trees (async-profiler on cached tiles, issue 14); the key mixes the bits first.
   */
  private static final class TileKey {
    final long tile;

    TileKey(long tile) {
      this.tile = tile;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof TileKey k && k.tile == tile;
    }

    @Override
    public int hashCode() {
      return mix(tile);
    }
  }

  /** One layer of a tile's key, mixed as {@link TileKey}. */
  private static final class LayerKey {
    final long tile;
    final int layer;

    LayerKey(long tile, int layer) {
      this.tile = tile;
      this.layer = layer;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof LayerKey k && k.tile == tile && k.layer == layer;
    }

    @Override
    public int hashCode() {
      return mix(tile * 31 + layer);
    }
  }

  /** The high half of a multiplicative hash (Fibonacci hashing): x's and y's bits all move it. */
  private static int mix(long v) {
    return (int) ((v * 0x9E3779B97F4A7C15L) >>> 32);
  }

  /**
   * One layer of one tile: its MVT bytes, their {@link io.gridmap.tiler.encode.ContentHash#hash64}
   * and, once a re-assembly of the tile needed it, their {@link
   * io.gridmap.tiler.encode.Gzip#segment} (null before), from which a tile is gzipped and tagged
   * without deflating or hashing its unchanged layers again.
   */
  public record EncodedLayer(byte[] bytes, byte[] deflated, long hash, boolean live) {}

  private final Cache<Object, Object> cache;
  private final long maxBytes;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder layerHits = new LongAdder();
  private final LongAdder layerMisses = new LongAdder();
  private final LongAdder evictions = new LongAdder();

  public TileCache(long maxBytes, Duration liveTtl) {
    this(maxBytes, liveTtl, com.github.benmanes.caffeine.cache.Ticker.systemTicker());
  }

  /** With a clock of its own, for tests of expiry. */
  TileCache(long maxBytes, Duration liveTtl, com.github.benmanes.caffeine.cache.Ticker ticker) {
    this.maxBytes = maxBytes;
    long liveNanos = liveTtl.toNanos();
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher((Object k, Object v) -> weight(v))
            .expireAfter(
                new Expiry<Object, Object>() {
                  @Override
                  public long expireAfterCreate(Object key, Object value, long currentTime) {
                    return isLive(value) ? liveNanos : Long.MAX_VALUE;
                  }

                  @Override
                  public long expireAfterUpdate(
                      Object key, Object value, long currentTime, long currentDuration) {
                    return expireAfterCreate(key, value, currentTime);
                  }

                  @Override
                  public long expireAfterRead(
                      Object key, Object value, long currentTime, long currentDuration) {
                    return currentDuration;
                  }
                })
            .executor(Runnable::run)
            .ticker(ticker)
            .removalListener(
                (Object k, Object v, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
                  if (cause.wasEvicted()) {
                    evictions.increment();
                  }
                })
            .build();
  }

  private static int weight(Object v) {
    if (v instanceof EncodedTile t) {
      // twice the bytes: a tile served again gets a direct copy (EncodedTile.forSocket), off the
      // heap but memory all the same, freed with the tile
      return ENTRY_OVERHEAD + 2 * t.gzipped().length + 48;
    }
    EncodedLayer l = (EncodedLayer) v;
    return ENTRY_OVERHEAD + l.bytes().length + (l.deflated() == null ? 0 : l.deflated().length);
  }

  private static boolean isLive(Object v) {
    return v instanceof EncodedTile t ? t.live() : ((EncodedLayer) v).live();
  }

  /** The finished tile, or null. */
  public EncodedTile tile(TileCoord c) {
    Object v = cache.getIfPresent(new TileKey(c.encoded()));
    (v == null ? misses : hits).increment();
    return (EncodedTile) v;
  }

  /**
   * The finished tile, or null, counting a hit but no miss: for a first look whose miss the look
   * after it counts (the tile lane's, then the router's), so a request is one hit or one miss.
   */
  public EncodedTile tileIfHit(TileCoord c) {
    Object v = cache.getIfPresent(new TileKey(c.encoded()));
    if (v != null) {
      hits.increment();
    }
    return (EncodedTile) v;
  }

  /** The finished tile, or null, without counting a hit or a miss (for re-checks). */
  public EncodedTile peekTile(TileCoord c) {
    return (EncodedTile) cache.getIfPresent(new TileKey(c.encoded()));
  }

  public void putTile(TileCoord c, EncodedTile tile) {
    cache.put(new TileKey(c.encoded()), tile);
  }

  /** One layer of a tile (bytes empty when it has no features), or null. */
  public EncodedLayer layer(TileCoord c, int layer) {
    Object v = cache.getIfPresent(new LayerKey(c.encoded(), layer));
    (v == null ? layerMisses : layerHits).increment();
    return (EncodedLayer) v;
  }

  public void putLayer(TileCoord c, int layer, EncodedLayer encoded) {
    cache.put(new LayerKey(c.encoded(), layer), encoded);
  }

  /**
   * Drops a layer's bytes for the tiles {@code tiles} accepts (by {@link TileCoord#encoded()}) and
   * those whole tiles, leaving their other layers cached. Scans the keys held, which is bounded by
   * the cache size rather than by the number of tiles an area covers.
   */
  public void invalidate(int layer, LongPredicate tiles) {
    cache
        .asMap()
        .keySet()
        .removeIf(
            k -> {
              if (k instanceof LayerKey lk) {
                return lk.layer == layer && tiles.test(lk.tile);
              }
              return tiles.test(((TileKey) k).tile);
            });
  }

  /**
   * Drops a layer's bytes of each listed tile (by {@link TileCoord#encoded()}) and those whole
   * tiles: one lookup per tile, however much the cache holds. For live point changes, whose touched
   * tiles are known exactly.
   */
  public void invalidateTiles(int layer, long[] tiles) {
    for (long t : tiles) {
      cache.invalidate(new LayerKey(t, layer));
      cache.invalidate(new TileKey(t));
    }
  }

  /**
   * Moves each layer's cached bytes to its new place in the drawing order, when a layer was added
   * or removed before it (an import into a running server): {@code newSlot[old]} is the layer's new
   * position, or -1 to drop its bytes. Finished tiles are left as they are; the caller forgets
   * those the change touches.
   */
  public void renumberLayers(int[] newSlot) {
    java.util.Map<LayerKey, Object> moved = new java.util.HashMap<>();
    cache
        .asMap()
        .entrySet()
        .removeIf(
            e -> {
              if (!(e.getKey() instanceof LayerKey lk)) {
                return false;
              }
              int to = lk.layer < newSlot.length ? newSlot[lk.layer] : -1;
              if (to == lk.layer) {
                return false;
              }
              if (to >= 0) {
                moved.put(new LayerKey(lk.tile, to), e.getValue());
              }
              return true;
            });
    cache.putAll(moved);
  }

  public void invalidateAll() {
    cache.invalidateAll();
  }

  /** Runs pending maintenance (expiry); tests call it to see a deterministic state. */
  public void cleanUp() {
    cache.cleanUp();
  }

  public TileCacheStats stats() {
    long bytes =
        cache
            .policy()
            .eviction()
            .flatMap(
                e -> {
                  var w = e.weightedSize();
                  return w.isPresent()
                      ? java.util.Optional.of(w.getAsLong())
                      : java.util.Optional.empty();
                })
            .orElse(0L);
    return new TileCacheStats(
        hits.sum(),
        misses.sum(),
        layerHits.sum(),
        layerMisses.sum(),
        evictions.sum(),
        bytes,
        maxBytes,
        cache.estimatedSize());
  }
}
