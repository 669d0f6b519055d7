package io.gridmap.tiler;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.GeometryKind;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.tiler.cache.TileCache;
import io.gridmap.tiler.cache.TileCacheStats;
import io.gridmap.tiler.encode.ContentHash;
import io.gridmap.tiler.encode.Gzip;
import io.gridmap.tiler.encode.MvtLayerWriter;
import io.gridmap.tiler.geo.TileCoord;
import io.gridmap.tiler.render.LabelLayer;
import io.gridmap.tiler.render.LabelValues;
import io.gridmap.tiler.render.LivePoints;
import io.gridmap.tiler.render.PointLayer;
import io.gridmap.tiler.render.PointRules;
import io.gridmap.tiler.render.PolygonLayer;
import io.gridmap.tiler.render.PolygonValues;
import io.gridmap.tiler.render.RenderContext;
import io.gridmap.tiler.render.RenderStats;
import io.gridmap.tiler.render.RingMemo;
import io.gridmap.tiler.render.SourceLayer;
import io.gridmap.tiler.tilejson.TileJson;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
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
   * What tiles are drawn from: swapped whole by a change, so a render sees one index and the layers
   * built over it, never a mix.
   */
  private record State(CityIndex index, List<SourceLayer> layers, Envelope dataBounds) {}

  private static final System.Logger LOG = System.getLogger(TileService.class.getName());

  private final TileServiceConfig config;
  private final Clock clock;
  private final TileCache cache;
  private final RenderStats stats = new RenderStats();
  private volatile State state;
  /*
   * Renders put into the cache under the read lock, after checking that the state they rendered
   * from is still current; a change swaps the state and invalidates under the write lock. So a tile
   * rendered from the old state is either put before the invalidation (and dropped by it) or not
   * put at all: the cache never keeps a stale layer past a change.
   */
  private final java.util.concurrent.locks.ReentrantReadWriteLock swap =
      new java.util.concurrent.locks.ReentrantReadWriteLock();

  /*
   * The writer side: changes and expiries run one at a time under this lock, which guards the live
   * point layers' bookkeeping. Readers never take it.
   */
  private final ReentrantLock update = new ReentrantLock();

  /** Per point layer, what keeps its tiles up to date. Guarded by {@link #update}. */
  private final Map<String, LivePoints> live = new HashMap<>();

  /**
   * Per polygon layer, what rounding does to its polygons at each zoom (see {@link RingMemo}).
   * Guarded by {@link #update}.
   */
  private final Map<String, RingMemo.PerZoom> ringMemos = new HashMap<>();

  /** Each polygon layer's value ids and dictionary, kept across layer views as the memos are. */
  private final Map<String, PolygonValues.PerZoom> polygonValues = new HashMap<>();

  /** The label layer's value ids, kept across its views as {@link #polygonValues} are. */
  private final LabelValues labelValues = new LabelValues();

  /** The earliest moment a shown point leaves by age alone (epoch ms); read without the lock. */
  private volatile long nextExpiry = Long.MAX_VALUE;

  private final ConcurrentHashMap<Long, CompletableFuture<EncodedTile>> inFlight =
      new ConcurrentHashMap<>();

  private TileService(CityIndex index, TileServiceConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.cache = new TileCache(config.cacheMaxBytes(), config.liveTtl());
    update.lock();
    try {
      List<SourceLayer> layers = sourceLayers(index, null, clock.millis());
      this.state = new State(index, List.copyOf(layers), index.mercatorBounds());
      refreshExpiry();
    } finally {
      update.unlock();
    }
  }

  /**
   * Builds the source layers over an index: the polygon layers, the labels, and the point layers
   * with their per-zoom cluster cells (built in parallel). Time-bound points (finished incidents)
   * are judged by the system clock.
   */
  public static TileService create(CityIndex index, TileServiceConfig config) {
    return create(index, config, Clock.systemUTC());
  }

  /**
   * As {@link #create(CityIndex, TileServiceConfig)}, judging time-bound points by {@code clock}.
   */
  public static TileService create(CityIndex index, TileServiceConfig config, Clock clock) {
    return new TileService(index, config, clock);
  }

  /**
   * The source layers over an index, in drawing order. Point layers are kept as they are except
   * {@code rebuilt} (and any not built yet), which is built from scratch (in parallel); polygon and
   * label layers are thin views of the index and always made anew. Staff-only layers are left out
   * of the public class's. Under {@link #update}.
   */
  private List<SourceLayer> sourceLayers(CityIndex index, String rebuilt, long now) {
    List<SourceLayer> out = new ArrayList<>();
    List<LayerIndex> pointLayers = new ArrayList<>();
    List<LayerIndex> ordered = new ArrayList<>(index.layers());
    ordered.sort(java.util.Comparator.comparingInt(TileService::catalogueOrder));
    for (LayerIndex li : ordered) {
      if (li.def().staffOnly() && !config.personal()) {
        continue; // a staff-only layer (an imported roster) is not even named in public tiles
      }
      if (li.def().kind() == GeometryKind.POLYGON) {
        RingMemo.PerZoom memos = ringMemos.computeIfAbsent(li.name(), n -> new RingMemo.PerZoom());
        PolygonValues.PerZoom values =
            polygonValues.computeIfAbsent(li.name(), n -> new PolygonValues.PerZoom());
        out.add(new PolygonLayer(li.def(), index, config.personal(), memos, values));
      } else if (li.def().kind() == GeometryKind.POINT) {
        pointLayers.add(li);
      }
    }
    out.add(new LabelLayer(index, config.personal(), labelValues));
    LivePoints[] points = new LivePoints[pointLayers.size()];
    java.util.stream.IntStream.range(0, points.length)
        .parallel()
        .forEach(
            i -> {
              LayerIndex li = pointLayers.get(i);
              LivePoints kept = li.name().equals(rebuilt) ? null : live.get(li.name());
              points[i] =
                  kept != null && kept.index() == li
                      ? kept
                      : LivePoints.build(li.def(), li, rules(li), BUFFER, now);
            });
    for (LivePoints lp : points) {
      live.put(lp.layer().name(), lp);
      out.add(lp.layer());
    }
    return out;
  }

  private PointRules rules(LayerIndex li) {
    return new PointRules(li.def(), config.personal(), config.closedWindow());
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
   * are forgotten, not every tile of the rectangle around them all.
   *
   * <p>A point layer is rebuilt from scratch here (150 ms for 200k forces): {@link
   * #apply(CityIndex, Change, List)} updates it instead. This is the path for coverage layers, and
   * the baseline the live benchmark measures against.
   */
  public void apply(CityIndex next, String layer, List<Envelope> changed) {
    update.lock();
    try {
      long now = clock.millis();
      boolean points =
          next.findLayer(layer).map(li -> li.def().kind() == GeometryKind.POINT).orElse(false);
      // a point layer's cluster is drawn by tiles whose ring of buffer cells holds its cell, up to
      // a cell (256 units) beyond their edge; polygons and labels reach only the buffer
      int reach = points ? Math.max(BUFFER, PointLayer.CELL_UNITS) + 1 : BUFFER;
      java.util.function.LongPredicate touched = touchedTiles(changed, reach);
      List<SourceLayer> layers = sourceLayers(next, layer, now);
      List<SourceLayer> before = state.layers();
      java.util.concurrent.locks.Lock w = swap.writeLock();
      w.lock();
      try {
        state = new State(next, List.copyOf(layers), next.mercatorBounds());
        renumber(before, layers);
        if (layers.stream().noneMatch(l -> l.name().equals(layer))) {
          // the layer left this class (made staff only): forget the finished tiles that drew it
          cache.invalidate(-1, touched);
        }
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
      expireDue(now);
    } finally {
      update.unlock();
    }
  }

  /**
   * Cached layer bytes are keyed by the layer's position in the drawing order: when a layer was
   * added (an import) or left, the layers after it move, and so must their bytes. Under the swap's
   * write lock.
   */
  private void renumber(List<SourceLayer> before, List<SourceLayer> after) {
    List<String> names = after.stream().map(SourceLayer::name).toList();
    int[] newSlot = new int[before.size()];
    boolean same = before.size() == after.size();
    for (int i = 0; i < newSlot.length; i++) {
      newSlot[i] = names.indexOf(before.get(i).name());
      same &= newSlot[i] == i;
    }
    if (!same) {
      cache.renumberLayers(newSlot);
    }
  }

  /**
   * Moves the tiles onto {@code next}, which is the current index with {@code change} applied. A
   * point layer is updated, not rebuilt: the change's points move, restyle, appear or leave, the
   * cluster cells they left and entered are summed anew, and exactly the tiles that draw what
   * changed forget this layer's bytes (every other layer of those tiles, and every other tile, stay
   * cached; the next request re-encodes this one layer). Points whose time is up leave as well. A
   * coverage layer is rebuilt as by {@link #apply(CityIndex, String, List)} over {@code areas}.
   *
   * @param areas where the change redraws a coverage layer (EPSG:3857); unused for a point layer
   */
  public void apply(CityIndex next, Change change, List<Envelope> areas) {
    LivePoints lp;
    update.lock();
    try {
      lp = live.get(change.layer());
      State old = state;
      LayerIndex before = old.index().findLayer(change.layer()).orElse(null);
      if (lp == null || lp.index() != before || change.retiresAny()) {
        // not a point layer, or not the version this layer reflects, or a retirement, which
        // renumbers the layer's ordinals (LayerIndex#withRetired): rebuild
        lp = null;
      } else {
        long now = clock.millis();
        LayerIndex after = next.layer(change.layer());
        List<Long> ids = new ArrayList<>(change.replacements().size());
        change.replacements().forEach(r -> ids.add(r.id()));
        LivePoints.Update u;
        try {
          u = lp.apply(after, ids, now);
        } catch (RuntimeException bug) {
          // the bookkeeping cannot be trusted after this: build the layer anew, correct if slow
          LOG.log(
              System.Logger.Level.ERROR,
              "tiles: the live update of " + change.layer() + " failed; rebuilding it",
              bug);
          live.remove(change.layer());
          lp = null;
          u = null;
        }
        if (u != null) {
          Map<String, LivePoints.Update> updates = new HashMap<>();
          updates.put(change.layer(), u);
          expireOthers(now, change.layer(), updates);
          publish(next, updates);
          return;
        }
      }
    } finally {
      if (update.isHeldByCurrentThread()) {
        update.unlock();
      }
    }
    apply(next, change.layer(), areas);
  }

  /**
   * Takes out of the tiles the points whose time is up (finished incidents past their window), as
   * changes of their own: their tiles forget this layer's bytes. Cheap when none is due. Tile
   * requests call it when the time has come, so no caller has to; a server may also call it
   * periodically.
   */
  public void expire() {
    update.lock();
    try {
      expireDue(clock.millis());
    } finally {
      update.unlock();
    }
  }

  /** When the next shown point leaves the tiles by age alone (epoch ms); MAX_VALUE for never. */
  public long nextExpiry() {
    return nextExpiry;
  }

  /** Under {@link #update}. */
  private void expireDue(long now) {
    if (now < nextExpiry) {
      return;
    }
    Map<String, LivePoints.Update> updates = new HashMap<>();
    expireOthers(now, null, updates);
    if (updates.values().stream().allMatch(u -> u.touchedTiles().length == 0)) {
      refreshExpiry(); // nothing drawn changed: keep the state, so renders in flight are cached
      return;
    }
    publish(state.index(), updates);
  }

  private void expireOthers(long now, String except, Map<String, LivePoints.Update> into) {
    for (LivePoints lp : live.values()) {
      String name = lp.layer().name();
      if (!name.equals(except) && lp.nextExpiry() <= now) {
        into.put(name, lp.expire(now));
      }
    }
  }

  /** Swaps in {@code index} and the updated point layers, forgetting what they touched. */
  private void publish(CityIndex index, Map<String, LivePoints.Update> updates) {
    List<SourceLayer> layers = new ArrayList<>(state.layers());
    for (int i = 0; i < layers.size(); i++) {
      LivePoints.Update u = updates.get(layers.get(i).name());
      if (u != null) {
        layers.set(i, u.layer());
      }
    }
    java.util.concurrent.locks.Lock w = swap.writeLock();
    w.lock();
    try {
      state = new State(index, List.copyOf(layers), index.mercatorBounds());
      for (int i = 0; i < layers.size(); i++) {
        LivePoints.Update u = updates.get(layers.get(i).name());
        if (u != null) {
          cache.invalidateTiles(i, u.touchedTiles());
        }
      }
    } finally {
      w.unlock();
    }
    refreshExpiry();
  }

  private void refreshExpiry() {
    long next = Long.MAX_VALUE;
    for (LivePoints lp : live.values()) {
      next = Math.min(next, lp.nextExpiry());
    }
    nextExpiry = next;
  }

  /** Before serving: if a shown point's time is up, take it out first (blocking). */
  private void expireIfDue() {
    if (nextExpiry != Long.MAX_VALUE && clock.millis() >= nextExpiry) {
      expire();
    }
  }

  /** More tiles than this in one change and the test falls back to the areas' common envelope. */
  private static final int MAX_LISTED_TILES = 1 << 20;

  /**
   * Which tiles (by {@link TileCoord#encoded()}) an EPSG:3857 area touches at any zoom, {@code
   * reach} tile units around it included: listed per zoom from each area's tile range, so the test
   * per cached key is one hash lookup however many areas there are.
   */
  static java.util.function.LongPredicate touchedTiles(List<Envelope> areas, int reach) {
    Envelope all = new Envelope();
    areas.forEach(
        a -> {
          if (a != null) {
            all.expandToInclude(a);
          }
        });
    java.util.function.LongPredicate inAll =
        encoded -> TileCoord.decode(encoded).bufferedBounds(reach, EXTENT).intersects(all);
    java.util.Set<Long> tiles = new java.util.HashSet<>();
    for (Envelope a : areas) {
      if (a == null || a.isNull()) {
        continue;
      }
      for (int z = MIN_ZOOM; z <= MAX_ZOOM; z++) {
        // the reach, plus a centimetre so that an area on a tile edge counts on both sides
        double grow = TileCoord.size(z) * reach / EXTENT + 0.01;
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

  /**
   * Drawing order: the catalogue's (admin levels top down, then key sites, forces, events), then
   * layers outside it (imported ones) after them all. The sort is stable and the index keeps the
   * dataset's order, so imported layers are drawn in the order the dataset lists them.
   */
  private static int catalogueOrder(LayerIndex li) {
    int i =
        io.gridmap.layers.model.Catalogue.ALL.stream()
            .map(LayerDef::name)
            .toList()
            .indexOf(li.name());
    return i < 0 ? Integer.MAX_VALUE : i;
  }

  public TileServiceConfig config() {
    return config;
  }

  /** The index tiles are drawn from now. */
  public CityIndex index() {
    return state.index();
  }

  /**
   * Decides once what rounding does to every polygon of every zoom ({@link RingMemo}), so that no
   * tile's first render pays for it; a later edit's new polygons are decided as they are drawn.
   * Takes seconds on a city; meant for a background thread after start.
   *
   * @return the polygons decided
   */
  public int decidePolygonRings() {
    int decided = 0;
    for (SourceLayer sl : state.layers()) {
      if (sl instanceof PolygonLayer pl) {
        decided += pl.decideRings(EXTENT, BUFFER, new RenderStats()); // not counted in /metrics
      }
    }
    return decided;
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
    expireIfDue();
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
    return cached(c, true);
  }

  /**
   * {@link #cached(TileCoord)} counting a hit but not a miss: for a look that, when it misses,
   * hands the request to one that looks again and counts it (the tile lane, before the router).
   */
  public EncodedTile cachedIfHit(TileCoord c) {
    return cached(c, false);
  }

  private EncodedTile cached(TileCoord c, boolean countMiss) {
    checkZoom(c);
    if (nextExpiry != Long.MAX_VALUE && clock.millis() >= nextExpiry) {
      return null; // a point's time is up: renderMissing takes it out first, off the event loop
    }
    EncodedTile hit = countMiss ? cache.tile(c) : cache.tileIfHit(c);
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
    TileCache.EncodedLayer[] parts = new TileCache.EncodedLayer[layers.size()];
    int total = 0;
    int reused = 0;
    boolean live = false;
    for (int i = 0; i < layers.size(); i++) {
      SourceLayer layer = layers.get(i);
      if (!layer.visibleAt(c.z())) {
        continue;
      }
      TileCache.EncodedLayer encoded = cache.layer(c, i);
      if (encoded == null) {
        if (ctx == null) {
          ctx = new RenderContext(c, EXTENT, BUFFER, stats);
        }
        encoded = encodeLayer(layer, ctx);
        int slot = i;
        TileCache.EncodedLayer put = encoded;
        putIfCurrent(from, () -> cache.putLayer(c, slot, put));
        stats.layerEncoded();
      } else {
        reused++;
      }
      parts[i] = encoded;
      total += encoded.bytes().length;
      live |= layer.live() && encoded.bytes().length > 0;
    }
    EncodedTile result;
    if (total == 0) {
      result = EMPTY;
    } else {
      long[] hashes = new long[parts.length];
      int[] lengths = new int[parts.length];
      for (int i = 0; i < parts.length; i++) {
        if (parts[i] != null) {
          hashes[i] = parts[i].hash();
          lengths[i] = parts[i].bytes().length;
        }
      }
      String etag = ContentHash.etagOfParts(hashes, lengths);
      if (config.personal()) {
        etag = "\"staff-" + etag.substring(1); // never equal to the public class's tag
      }
      byte[] gz = reused == 0 ? gzipWhole(parts, total) : gzipFromSegments(c, from, parts, total);
      result = new EncodedTile(gz, etag, false, live, total);
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
    expireIfDue();
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
    TileCache.EncodedLayer encoded = cache.layer(c, i);
    if (encoded == null) {
      encoded = encodeLayer(sl, new RenderContext(c, EXTENT, BUFFER, stats));
      int slot = i;
      TileCache.EncodedLayer put = encoded;
      putIfCurrent(from, () -> cache.putLayer(c, slot, put));
      stats.layerEncoded();
    }
    return encoded.bytes();
  }

  /** One layer of a tile drawn and encoded; deflated only when a re-assembly needs it. */
  private TileCache.EncodedLayer encodeLayer(SourceLayer layer, RenderContext ctx) {
    MvtLayerWriter w = new MvtLayerWriter(layer.name(), EXTENT);
    layer.render(ctx, w);
    byte[] bytes = w.finish();
    return new TileCache.EncodedLayer(bytes, null, ContentHash.hash64(bytes), layer.live());
  }

  /**
   * A tile drawn whole in this render: its layers gzipped in one deflate stream, as before segments
   * existed. No layer needs a segment until a re-assembly reuses it, and most tiles never are
   * re-assembled (only those a live change touches), so none is made here.
   */
  private byte[] gzipWhole(TileCache.EncodedLayer[] parts, int total) {
    byte[] raw = new byte[total];
    int off = 0;
    for (TileCache.EncodedLayer p : parts) {
      if (p != null) {
        System.arraycopy(p.bytes(), 0, raw, off, p.bytes().length);
        off += p.bytes().length;
      }
    }
    return Gzip.compress(raw, config.gzipLevel());
  }

  /**
   * A tile re-assembled from layers of which some were cached (after a live change, every static
   * layer): gzipped from the layers' deflate segments, each made once and kept in the cache beside
   * the layer's bytes, so that a re-assembly deflates only the layers that changed instead of the
   * whole tile again (1-3 ms a 100 KB tile, most of a re-assembly's CPU under live load).
   */
  private byte[] gzipFromSegments(
      TileCoord c, State from, TileCache.EncodedLayer[] parts, int total) {
    byte[][] segments = new byte[parts.length][];
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    for (int i = 0; i < parts.length; i++) {
      TileCache.EncodedLayer p = parts[i];
      if (p == null) {
        continue;
      }
      crc.update(p.bytes()); // the CRC of the concatenation, part by part
      if (p.deflated() == null) {
        TileCache.EncodedLayer withSegment =
            new TileCache.EncodedLayer(
                p.bytes(), Gzip.segment(p.bytes(), config.gzipLevel()), p.hash(), p.live());
        int slot = i;
        putIfCurrent(from, () -> cache.putLayer(c, slot, withSegment));
        p = withSegment;
      }
      segments[i] = p.deflated();
    }
    return Gzip.join(segments, crc.getValue(), total);
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
