package io.gridmap.tiler;

import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.GeometryKind;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.tiler.cache.TileCache;
import io.gridmap.tiler.cache.TileCacheStats;
import io.gridmap.tiler.encode.ContentHash;
import io.gridmap.tiler.encode.Gzip;
import io.gridmap.tiler.encode.MvtLayerWriter;
import io.gridmap.tiler.geo.TileCoord;
import io.gridmap.tiler.render.CoverageLayer;
import io.gridmap.tiler.render.LabelLayer;
import io.gridmap.tiler.render.PointLayer;
import io.gridmap.tiler.render.RenderContext;
import io.gridmap.tiler.render.RenderStats;
import io.gridmap.tiler.render.SourceLayer;
import io.gridmap.tiler.tilejson.TileJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.locationtech.jts.geom.Envelope;

/**
 * The tileset {@code cq}: what the HTTP layer calls for tiles, TileJSON and tile metrics.
 *
 * <p>A request: whole-tile cache hit -> bytes. Miss: for each source layer drawn at the zoom,
 * its cached bytes or query index -> clip -> encode; concatenate the layers; gzip; hash for the
 * ETag; cache. A tile outside the data's bounds (plus buffer), or one whose layers are all empty,
 * is the shared {@link #EMPTY} without any encoding. Concurrent requests for the same uncached
 * tile render it once.
 *
 * <p>Thread-safe. Rendering is CPU work: call it from a worker pool, never an event loop.
 */
public final class TileService {
  public static final int EXTENT = MvtLayerWriter.EXTENT;
  /** Buffer around each tile, in tile units (1/64 of a tile). */
  public static final int BUFFER = 64;
  public static final int MIN_ZOOM = 0;
  public static final int MAX_ZOOM = 14;

  /** The tile with no features: shared, never encoded. */
  public static final EncodedTile EMPTY =
      new EncodedTile(Gzip.compress(new byte[0], 6), ContentHash.etag(new byte[0]), true, false, 0);

  private final CityIndex index;
  private final TileServiceConfig config;
  private final List<SourceLayer> layers;
  private final TileCache cache;
  private final RenderStats stats = new RenderStats();
  private final Envelope dataBounds;
  private final ConcurrentHashMap<Long, CompletableFuture<EncodedTile>> inFlight = new ConcurrentHashMap<>();

  private TileService(CityIndex index, TileServiceConfig config, List<SourceLayer> layers) {
    this.index = index;
    this.config = config;
    this.layers = List.copyOf(layers);
    this.cache = new TileCache(config.cacheMaxBytes(), config.liveTtl());
    this.dataBounds = index.mercatorBounds();
  }

  /**
   * Builds the source layers over an index: the coverage layers, the labels, and the point
   * layers with their per-zoom cluster cells (built in parallel).
   */
  public static TileService create(CityIndex index, TileServiceConfig config) {
    List<SourceLayer> out = new ArrayList<>();
    List<LayerIndex> pointLayers = new ArrayList<>();
    List<LayerIndex> ordered = new ArrayList<>(index.layers());
    ordered.sort(java.util.Comparator.comparingInt(TileService::catalogueOrder));
    for (LayerIndex li : ordered) {
      if (li.def().coverage()) {
        out.add(new CoverageLayer(li.def(), index, config.personal()));
      } else if (li.def().kind() == GeometryKind.POINT) {
        pointLayers.add(li);
      }
    }
    out.add(new LabelLayer(index, config.personal()));
    SourceLayer[] points = new SourceLayer[pointLayers.size()];
    java.util.stream.IntStream.range(0, points.length)
        .parallel()
        .forEach(i -> points[i] = new PointLayer(pointLayers.get(i).def(), pointLayers.get(i), neverClustered(pointLayers.get(i).def()), config.personal()));
    out.addAll(List.of(points));
    return new TileService(index, config, out);
  }

  /** Drawing order: the catalogue's (admin levels top down, then key sites, forces, events). */
  private static int catalogueOrder(LayerIndex li) {
    int i = io.gridmap.layers.model.Catalogue.ALL.stream().map(LayerDef::name).toList().indexOf(li.name());
    return i < 0 ? Integer.MAX_VALUE : i;
  }

  /** Urgent events (urgency = "urgent") are never hidden in a cluster; nothing else is exempt. */
  static Predicate<Feature> neverClustered(LayerDef def) {
    int urgency = def.fieldIndex("urgency");
    if (urgency < 0) {
      return f -> false;
    }
    return f -> "urgent".equals(f.value(urgency));
  }

  public TileServiceConfig config() {
    return config;
  }

  public CityIndex index() {
    return index;
  }

  /** Source layers in drawing order (polygons, labels, points). */
  public List<SourceLayer> layers() {
    return layers;
  }

  /**
   * The tile at {@code c}.
   *
   * @throws IllegalArgumentException when {@code c.z()} is beyond {@link #MAX_ZOOM} (clients
   *     overzoom past it); the message names the zoom and the range
   */
  public EncodedTile tile(TileCoord c) {
    EncodedTile hit = cached(c);
    return hit != null ? hit : renderMissing(c);
  }

  /**
   * Renders a tile that {@link #cached(TileCoord)} did not have, and caches it. Concurrent
   * requests for the same tile render it once; the others wait for that result. CPU work: call
   * it on a worker thread.
   */
  public EncodedTile renderMissing(TileCoord c) {
    checkZoom(c);
    CompletableFuture<EncodedTile> mine = new CompletableFuture<>();
    CompletableFuture<EncodedTile> other = inFlight.putIfAbsent(c.encoded(), mine);
    if (other != null) {
      return other.join();
    }
    try {
      // another thread may have finished it between our lookup and here
      EncodedTile t = cache.peekTile(c);
      if (t == null) {
        t = render(c);
        cache.putTile(c, t);
      }
      mine.complete(t);
      return t;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(c.encoded(), mine);
    }
  }

  private void checkZoom(TileCoord c) {
    if (c.z() > MAX_ZOOM) {
      throw new IllegalArgumentException(
          "zoom " + c.z() + " is beyond tileset " + config.tileset() + "'s maxzoom; expected " + MIN_ZOOM + ".." + MAX_ZOOM);
    }
  }

  /**
   * The tile when it can be answered without rendering: a cache hit, or the shared empty tile
   * outside the data. Null when it must be rendered with {@link #tile(TileCoord)}. A lookup
   * only, cheap enough for an event loop.
   */
  public EncodedTile cached(TileCoord c) {
    checkZoom(c);
    EncodedTile hit = cache.tile(c);
    if (hit != null) {
      return hit;
    }
    if (dataBounds.isNull() || !c.bufferedBounds(BUFFER, EXTENT).intersects(dataBounds)) {
      return EMPTY;
    }
    return null;
  }

  /** {@link #tile(TileCoord)} by z/x/y; out-of-range values throw IllegalArgumentException naming them. */
  public EncodedTile tile(int z, int x, int y) {
    return tile(new TileCoord(z, x, y));
  }

  private EncodedTile render(TileCoord c) {
    long t0 = System.nanoTime();
    RenderContext ctx = null;
    byte[][] parts = new byte[layers.size()][];
    int total = 0;
    boolean live = false;
    for (int i = 0; i < layers.size(); i++) {
      SourceLayer layer = layers.get(i);
      if (!layer.visibleAt(c.z())) {
        continue;
      }
      byte[] bytes = cache.layer(c, i);
      if (bytes == null) {
        if (ctx == null) {
          ctx = new RenderContext(c, EXTENT, BUFFER, stats);
        }
        MvtLayerWriter w = new MvtLayerWriter(layer.name(), EXTENT);
        layer.render(ctx, w);
        bytes = w.finish();
        cache.putLayer(c, i, bytes, layer.live());
        stats.layerEncoded();
      }
      parts[i] = bytes;
      total += bytes.length;
      live |= layer.live() && bytes.length > 0;
    }
    EncodedTile result;
    if (total == 0) {
      result = EMPTY;
    } else {
      byte[] raw = new byte[total];
      int off = 0;
      for (byte[] p : parts) {
        if (p != null) {
          System.arraycopy(p, 0, raw, off, p.length);
          off += p.length;
        }
      }
      String etag = ContentHash.etag(raw);
      if (config.personal()) {
        etag = "\"staff-" + etag.substring(1); // never equal to the public class's tag
      }
      result = new EncodedTile(Gzip.compress(raw, config.gzipLevel()), etag, false, live, total);
    }
    stats.tileRendered(System.nanoTime() - t0);
    return result;
  }

  /**
   * The uncompressed MVT bytes of one source layer of a tile: exactly the message that {@link
   * #tile(TileCoord)} concatenates for that layer (an MVT tile is the concatenation of its layer
   * messages), from the per-(tile, layer) cache or rendered and cached. Empty when the layer is
   * not drawn at the zoom or has nothing there. For OGC API - Tiles' per-collection tiles. CPU
   * work: call it on a worker thread.
   *
   * @throws IllegalArgumentException for an unknown layer or a zoom beyond {@link #MAX_ZOOM}
   */
  public byte[] layerTile(TileCoord c, String layer) {
    checkZoom(c);
    int i = 0;
    while (i < layers.size() && !layers.get(i).name().equals(layer)) {
      i++;
    }
    if (i == layers.size()) {
      throw new IllegalArgumentException("no source layer " + layer + " in tileset " + config.tileset());
    }
    SourceLayer sl = layers.get(i);
    if (!sl.visibleAt(c.z()) || dataBounds.isNull() || !c.bufferedBounds(BUFFER, EXTENT).intersects(dataBounds)) {
      return new byte[0];
    }
    byte[] bytes = cache.layer(c, i);
    if (bytes == null) {
      MvtLayerWriter w = new MvtLayerWriter(sl.name(), EXTENT);
      sl.render(new RenderContext(c, EXTENT, BUFFER, stats), w);
      bytes = w.finish();
      cache.putLayer(c, i, bytes, sl.live());
      stats.layerEncoded();
    }
    return bytes;
  }

  /**
   * Forgets one layer's cached bytes, and the assembled tiles, wherever the EPSG:3857 area
   * {@code changed} (plus the buffer) touches a tile: call after changing that layer's features
   * there. Other layers of those tiles stay cached, and tiles elsewhere are untouched.
   */
  public void invalidate(String layer, Envelope changed) {
    int li = -1;
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i).name().equals(layer)) {
        li = i;
      }
    }
    if (li < 0) {
      throw new IllegalArgumentException("no source layer " + layer + " in tileset " + config.tileset());
    }
    Envelope area = new Envelope(changed);
    cache.invalidate(li, encoded -> TileCoord.decode(encoded).bufferedBounds(BUFFER, EXTENT).intersects(area));
  }

  /** A TileJSON 3.0.0 document for this tileset, as a JSON-ready map. */
  public Map<String, Object> tileJson(String tilesUrlTemplate) {
    return TileJson.of(this, tilesUrlTemplate);
  }

  public TileCacheStats cacheStats() {
    return cache.stats();
  }

  public RenderStats.Snapshot renderStats() {
    return stats.snapshot();
  }

  /** The cache, for tests and operational tools. */
  public TileCache cache() {
    return cache;
  }
}
