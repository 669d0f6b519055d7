package io.gridmap.tiler.cache;

/**
 * Counters of the tile cache, for /metrics.
 *
 * @param hits whole-tile hits
 * @param misses whole-tile misses (each one rendered or assembled a tile)
 * @param layerHits (tile, layer) hits: a layer reused while its tile was re-assembled
 * @param layerMisses (tile, layer) misses: a layer encoded
 * @param evictions entries evicted for size or expired
 * @param bytes weighted size held (bytes of tiles and layers plus a per-entry overhead)
 * @param maxBytes the bound on {@code bytes}
 * @param entries entries held (tiles and layers)
 */
public record TileCacheStats(
    long hits,
    long misses,
    long layerHits,
    long layerMisses,
    long evictions,
    long bytes,
    long maxBytes,
    long entries) {}
