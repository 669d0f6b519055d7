package io.gridmap.server.http;

import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import io.gridmap.server.security.Visibility;
import io.gridmap.tiler.TileService;
import io.gridmap.tiler.TileServiceConfig;
import io.vertx.core.json.JsonObject;

/**
 * Everything the server answers from, held in memory: the dataset's metadata, the spatial index
 * and the tile services over it, one per visibility class. Reads never touch the store.
 */
public final class Content {
  private final DatasetMetadata metadata;
  private final CityIndex index;
  private final TileService tiles;
  private final TileServiceConfig tileConfig;
  private final String description;
  private volatile TileService staffTiles;

  public Content(DatasetMetadata metadata, CityIndex index, TileService tiles, String description) {
    this.metadata = metadata;
    this.index = index;
    this.tiles = tiles;
    this.tileConfig = tiles.config();
    this.description = description;
  }

  /** Indexes a dataset and puts a tile service with a cache of {@code tileCacheBytes} over it. */
  public static Content of(Dataset dataset, long tileCacheBytes, String description) {
    CityIndex index = CityIndex.build(dataset);
    TileServiceConfig config = TileServiceConfig.defaults().withCacheMaxBytes(tileCacheBytes);
    return new Content(dataset.metadata(), index, TileService.create(index, config), description);
  }

  public DatasetMetadata metadata() {
    return metadata;
  }

  public CityIndex index() {
    return index;
  }

  /** The public class's tiles: no personal feature. */
  public TileService tiles() {
    return tiles;
  }

  /** What the server says it serves, for logs and /health. */
  public String description() {
    return description;
  }

  /**
   * The tiles of a visibility class if they exist yet; the staff class is built on first use
   * (a public-only deployment never pays for it), so this may be null for it.
   */
  public TileService tilesIfBuilt(Visibility v) {
    return v == Visibility.PUBLIC ? tiles : staffTiles;
  }

  /** The tiles of a visibility class, building the staff class on first use: call off the event loop. */
  public TileService tiles(Visibility v) {
    if (v == Visibility.PUBLIC) {
      return tiles;
    }
    TileService s = staffTiles;
    if (s == null) {
      synchronized (this) {
        s = staffTiles;
        if (s == null) {
          // its own cache, bounded like the public one: tiles of the two classes never mix
          staffTiles = s = TileService.create(index, tileConfig.withPersonal(true));
        }
      }
    }
    return s;
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
