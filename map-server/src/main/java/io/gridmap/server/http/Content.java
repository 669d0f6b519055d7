package io.gridmap.server.http;

import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import io.gridmap.tiler.TileService;
import io.gridmap.tiler.TileServiceConfig;
import io.vertx.core.json.JsonObject;

/**
 * Everything the server answers from, held in memory: the dataset's metadata, the spatial index
 * and the tile service over it. Reads never touch the store.
 */
public record Content(DatasetMetadata metadata, CityIndex index, TileService tiles, String description) {

  /** Indexes a dataset and puts a tile service with a cache of {@code tileCacheBytes} over it. */
  public static Content of(Dataset dataset, long tileCacheBytes, String description) {
    CityIndex index = CityIndex.build(dataset);
    return new Content(dataset.metadata(), index, TileService.create(index, TileServiceConfig.defaults().withCacheMaxBytes(tileCacheBytes)), description);
  }

  /** Counts per layer and the dataset's identity, for {@code /health}. */
  public JsonObject summary() {
    JsonObject counts = new JsonObject();
    metadata.counts().forEach(counts::put);
    return new JsonObject()
        .put("name", metadata.name())
        .put("seed", metadata.seed())
        .put("scale", metadata.scale())
        .put("source", description)
        .put("counts", counts);
  }
}
