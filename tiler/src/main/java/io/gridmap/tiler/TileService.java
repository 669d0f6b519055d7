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
 * <p>A request: whole-tile cache hit -> bytes. Miss: for each source layer drawn at the zoom, its
 * cached bytes or query index -> clip -> encode; concatenate the layers; gzip; hash for the ETag;
 * cache. A tile outside the data's bounds (plus buffer), or one whose layers are all empty, is the
 * shared {@link #EMPTY} without any encoding. Concurrent requests for the same uncached tile render
 * it once.
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

  /**
   * What tiles are drawn from: swapped whole by {@link #apply}, so a render sees one index and the
   * layers built over it, never a mix.
   */
  private record State(CityIndex index, List<SourceLayer> layers, Envelope dataBounds) {}

  private final TileServiceConfig config;
  private final TileCache cache;
  private final RenderStats stats = new RenderStats();
  private volatile State state;
  /*
   * Renders put into the cache under the read lock, after checking that the state they rendered
   * from is still current; apply swaps the state and invalidates under the write lock. So a tile
   * rendered from the old state is either put before the invalidation (and dropped by it) or not
   * put at all: the cache never keeps a stale layer past a change.
   */
  private final java.util.concurrent.locks.ReentrantReadWriteLock swap =
      new java.util.concurrent.locks.ReentrantReadWriteLock();
  private final ConcurrentHashMap<Long, CompletableFuture<EncodedTile>> inFlight =
      new ConcurrentHashMap<>();

  private TileService(CityIndex index, TileServiceConfig config, List<SourceLayer> layers) {
    this.config = config;
    this.cache = new TileCache(config.cacheMaxBytes(), config.liveTtl());
    this.state = new State(index, List.copyOf(layers), index.mercatorBounds());
  }

  /**
   * Builds the source layers over an index: the coverage layers, the labels, and the point layers
   * with their per-zoom cluster cells (built in parallel).
   */
  public static TileService create(CityIndex index, TileServiceConfig config) {
    return new TileService(index, config, sourceLayers(index, config, null, Map.of()));
  }

  /**
   * The source layers over an index, in drawing order. Point layers found in {@code keep} (by name)
   * are reused as they are, the others built (in parallel); coverage and label layers are thin
   * views of the index and always made anew.
   */
  private static List<SourceLayer> sourceLayers(
      CityIndex index, TileServiceConfig config, String rebuilt, Map<String, SourceLayer> keep) {
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
        .forEach(
            i -> {
              LayerIndex li = pointLayers.get(i);
              SourceLayer kept = li.name().equals(rebuilt) ? null : keep.get(li.name());
              points[i] =
                  kept != null
                      ? kept
                      : new PointLayer(li.def(), li, neverClustered(li.def()), config.personal());
            });
    out.addAll(List.of(points));
    return out;
  }

  /**
   * Moves the tiles onto {@code next}, an index in which {@code layer}'s features changed within
   * the EPSG:3857 area {@code changed}: rebuilds what draws that layer, then forgets exactly that
   * layer's cached bytes (and the labels', for an admin level) in the tiles the area touches, plus
   * those whole tiles. Every other layer of every tile stays cached. Renders in progress finish on
   * the old index and are not cached.
   */
  public void apply(CityIndex next, String layer, Envelope changed) {
    apply(next, layer, List.of(changed));
  }

  /**
   * As {@link #apply(CityIndex, String, Envelope)} with the change's areas given one by one (each
   * moved point's old and new place, each reshaped polygon): only tiles that one of them touches
   * are forgotten, not every tile of the rectangle around them all, so a batch of positions spread
   * over the city re-renders a few tiles per position.
   */
  public void apply(CityIndex next, String layer, List<Envelope> changed) {
    java.util.function.LongPredicate touched = touchedTiles(changed);
    State old = state;
    Map<String, SourceLayer> keep = new java.util.HashMap<>();
    old.layers().forEach(l -> keep.put(l.name(), l));
    List<SourceLayer> layers = sourceLayers(next, config, layer, keep);
    java.util.concurrent.locks.Lock w = swap.writeLock();
    w.lock();
    try {
      state = new State(next, List.copyOf(layers), next.mercatorBounds());
      for (int i = 0; i < layers.size(); i++) {
        String name = layers.get(i).name();
        boolean labels =
            name.equals(LabelLayer.NAME)
                && io.gridmap.layers.model.Catalogue.ADMIN_LEVELS.stream()
                    .anyMatch(d -> d.name().equals(layer));
        if (name.equals(layer) || labels) {
          cache.invalidate(i, touched);
        }
      }
    } finally {
      w.unlock();
    }
  }

  /** More tiles than this in one change and the test falls back to the areas' common envelope. */
  private static final int MAX_LISTED_TILES = 1 << 20;

  /**
   * Which tiles (by {@link TileCoord#encoded()}) an EPSG:3857 area touches at any zoom, buffer
   * included: listed per zoom from each area's tile range, so the test per cached key is one hash
   * lookup however many areas there are.
   */
  static java.util.function.LongPredicate touchedTiles(List<Envelope> areas) {
    Envelope all = new Envelope();
    areas.forEach(
        a -> {
          if (a != null) {
            all.expandToInclude(a);
          }
        });
    java.util.function.LongPredicate inAll =
        encoded -> TileCoord.decode(encoded).bufferedBounds(BUFFER, EXTENT).intersects(all);
    java.util.Set<Long> tiles = new java.util.HashSet<>();
    for (Envelope a : areas) {
      if (a == null || a.isNull()) {
        continue;
      }
      for (int z = MIN_ZOOM; z <= MAX_ZOOM; z++) {
        // the buffer, plus a centimetre so that an area on a tile edge counts on both sides
        double grow = TileCoord.size(z) * BUFFER / EXTENT + 0.01;
        TileCoord nw = TileCoord.containing(a.getMinX() - grow, a.getMaxY() + grow, z);
        TileCoord se = TileCoord.containing(a.getMaxX() + grow, a.getMinY() - grow, z);
        if ((long) (se.x() - nw.x() + 1) * (se.y() - nw.y() + 1) + tiles.size()
            > MAX_LISTED_TILES) {
          return inAll;
        }
        for (int x = nw.x(); x <= se.x(); x++) {
          for (int y = nw.y(); y <= se.y(); y++) {
            tiles.add(new TileCoord(z, x, y).encoded());
          }
        }
      }
    }
    return tiles::contains;
  }

  /**
   * Puts into the cache what was rendered from {@code from}, unless a change has replaced it since.
   */
  private void putIfCurrent(State from, Runnable put) {
    java.util.concurrent.locks.Lock r = swap.readLock();
    r.lock();
    try {
      if (state == from) {
        put.run();
      }
    } finally {
      r.unlock();
    }
  }

  /** Drawing order: the catalogue's (admin levels top down, then key sites, forces, events). */
  private static int catalogueOrder(LayerIndex li) {
    int i =
        io.gridmap.layers.model.Catalogue.ALL.stream()
            .map(LayerDef::name)
            .toList()
            .indexOf(li.name());
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

  /** The index tiles are drawn from now. */
  public CityIndex index() {
    return state.index();
  }

  /** Source layers in drawing order (polygons, labels, points). */
  public List<SourceLayer> layers() {
    return state.layers();
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
   * Renders a tile that {@link #cached(TileCoord)} did not have, and caches it. Concurrent requests
   * for the same tile render it once; the others wait for that result. CPU work: call it on a
   * worker thread.
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
        State from = state;
        EncodedTile rendered = render(c, from);
        putIfCurrent(from, () -> cache.putTile(c, rendered));
        t = rendered;
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
          "zoom "
              + c.z()
              + " is beyond tileset "
              + config.tileset()
              + "'s maxzoom; expected "
              + MIN_ZOOM
              + ".."
              + MAX_ZOOM);
    }
  }

  /**
   * The tile when it can be answered without rendering: a cache hit, or the shared empty tile
   * outside the data. Null when it must be rendered with {@link #tile(TileCoord)}. A lookup only,
   * cheap enough for an event loop.
   */
  public EncodedTile cached(TileCoord c) {
    checkZoom(c);
    EncodedTile hit = cache.tile(c);
    if (hit != null) {
      return hit;
    }
    Envelope dataBounds = state.dataBounds();
    if (dataBounds.isNull() || !c.bufferedBounds(BUFFER, EXTENT).intersects(dataBounds)) {
      return EMPTY;
    }
    return null;
  }

  /**
   * {@link #tile(TileCoord)} by z/x/y; out-of-range values throw IllegalArgumentException naming
   * them.
   */
  public EncodedTile tile(int z, int x, int y) {
    return tile(new TileCoord(z, x, y));
  }

  private EncodedTile render(TileCoord c, State from) {
    List<SourceLayer> layers = from.layers();
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
        int slot = i;
        byte[] encoded = bytes;
        putIfCurrent(from, () -> cache.putLayer(c, slot, encoded, layer.live()));
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
   * messages), from the per-(tile, layer) cache or rendered and cached. Empty when the layer is not
   * drawn at the zoom or has nothing there. For OGC API - Tiles' per-collection tiles. CPU work:
   * call it on a worker thread.
   *
   * @throws IllegalArgumentException for an unknown layer or a zoom beyond {@link #MAX_ZOOM}
   */
  public byte[] layerTile(TileCoord c, String layer) {
    checkZoom(c);
    State from = state;
    List<SourceLayer> layers = from.layers();
    Envelope dataBounds = from.dataBounds();
    int i = 0;
    while (i < layers.size() && !layers.get(i).name().equals(layer)) {
      i++;
    }
    if (i == layers.size()) {
      throw new IllegalArgumentException(
          "no source layer " + layer + " in tileset " + config.tileset());
    }
    SourceLayer sl = layers.get(i);
    if (!sl.visibleAt(c.z())
        || dataBounds.isNull()
        || !c.bufferedBounds(BUFFER, EXTENT).intersects(dataBounds)) {
      return new byte[0];
    }
    byte[] bytes = cache.layer(c, i);
    if (bytes == null) {
      MvtLayerWriter w = new MvtLayerWriter(sl.name(), EXTENT);
      sl.render(new RenderContext(c, EXTENT, BUFFER, stats), w);
      bytes = w.finish();
      int slot = i;
      byte[] encoded = bytes;
      putIfCurrent(from, () -> cache.putLayer(c, slot, encoded, sl.live()));
      stats.layerEncoded();
    }
    return bytes;
  }

  /**
   * Forgets one layer's cached bytes, and the assembled tiles, wherever the EPSG:3857 area {@code
   * changed} (plus the buffer) touches a tile: call after changing that layer's features there.
   * Other layers of those tiles stay cached, and tiles elsewhere are untouched.
   */
  public void invalidate(String layer, Envelope changed) {
    List<SourceLayer> layers = state.layers();
    int li = -1;
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i).name().equals(layer)) {
        li = i;
      }
    }
    if (li < 0) {
      throw new IllegalArgumentException(
          "no source layer " + layer + " in tileset " + config.tileset());
    }
    Envelope area = new Envelope(changed);
    cache.invalidate(
        li, encoded -> TileCoord.decode(encoded).bufferedBounds(BUFFER, EXTENT).intersects(area));
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
