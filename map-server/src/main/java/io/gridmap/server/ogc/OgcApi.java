package io.gridmap.server.ogc;

import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.FieldType;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.query.locate.GridLocator;
import io.gridmap.server.content.Content;
import io.gridmap.server.security.SecurityHandler;
import io.gridmap.server.security.Visibility;
import io.gridmap.server.web.BaseUrl;
import io.gridmap.server.web.Loaded;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every OGC and domain-query handler shares: the server's content, a named worker pool for
 * query work (never the event loop), the collections, and things derived once per content (the grid
 * locator, temporal extents).
 */
public final class OgcApi {
  /** Items per page when {@code limit} is absent. */
  public static final int DEFAULT_LIMIT = 100;

  /**
   * The largest {@code limit}; a larger one is answered with this many (OGC API - Features allows
   * either).
   */
  public static final int MAX_LIMIT = 10_000;

  /**
   * A page stops growing past this many bytes of JSON (it keeps whole features, at least one), and
   * its {@code next} link continues where it stopped: a bound on memory per request whatever the
   * limit, so that 10,000 detailed polygons cannot exhaust a small heap.
   */
  public static final int MAX_PAGE_BYTES = 8 << 20;

  private final Loaded<Content> content;
  private final WorkerExecutor workers;
  private final String publicUrl;
  private final int maxQueryAreaKm2;

  /**
   * The locator over the current index: cheap to build (arrays over the grids), rebuilt when a
   * change swaps the index.
   */
  private volatile GridLocator locator;

  /**
   * A layer's temporal extent, for the definition it was computed over: an import replaces the
   * layer with a new definition, and its extent is computed again (a change keeps the definition,
   * and the extent of a live layer is not counted again on every write).
   */
  private record Extent(io.gridmap.layers.model.LayerDef def, long[] range) {}

  private final Map<String, Extent> temporalExtents = new ConcurrentHashMap<>();

  /**
   * @param workers the {@code ogc-query} pool query work runs on
   * @param publicUrl the configured public URL, or null to take links from the request
   * @param maxQueryAreaKm2 the largest area a query may cover (the {@code max_query_area_km2}
   *     setting)
   */
  public OgcApi(
      Loaded<Content> content, WorkerExecutor workers, String publicUrl, int maxQueryAreaKm2) {
    this.content = content;
    this.workers = workers;
    this.publicUrl = publicUrl;
    this.maxQueryAreaKm2 = maxQueryAreaKm2;
  }

  /** The largest area in km² a query may cover. */
  public int maxQueryAreaKm2() {
    return maxQueryAreaKm2;
  }

  /** Completes when the content is in memory. */
  public Future<Content> ready() {
    return content.ready();
  }

  /** The loaded content, or null while loading. */
  public Content contentOrNull() {
    return content.getOrNull();
  }

  /**
   * Runs query work on the {@code ogc-query} pool; the future completes on the request's context.
   */
  public <T> Future<T> work(Callable<T> task) {
    return workers.executeBlocking(task, false);
  }

  /** The loaded content, or a 503 while loading. */
  public Content content() {
    return content.get();
  }

  /**
   * The layers served as collections to the caller's visibility class, in the dataset's order (the
   * catalogue's, then imported layers): staff-only layers for the staff class alone.
   */
  public List<LayerIndex> collections(Content c, RoutingContext ctx) {
    return c.collections(visibility(ctx));
  }

  /**
   * The collection's layer, or a 404 that lists the collections the caller sees; a staff-only layer
   * is to the public exactly a collection that does not exist.
   */
  public LayerIndex collection(Content c, String id, RoutingContext ctx) {
    return c.collection(id, visibility(ctx));
  }

  /** The caller's visibility class, from the principal the security gate put on the request. */
  public static Visibility visibility(RoutingContext ctx) {
    return SecurityHandler.principal(ctx).role().visibility();
  }

  /** The grid locator over the content's current index. */
  public GridLocator locator(Content c) {
    io.gridmap.layers.index.CityIndex index = c.index();
    GridLocator l = locator;
    if (l == null || l.index() != index) {
      locator = l = GridLocator.build(index);
    }
    return l;
  }

  /**
   * The field that {@code datetime} applies to: the first timestamp field (events: reported_at;
   * forces: updated_at), or -1.
   */
  public static int temporalField(LayerDef def) {
    List<Field> fields = def.fields();
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).type() == FieldType.TIMESTAMP && !fields.get(i).personal()) {
        return i;
      }
    }
    return -1;
  }

  /** [min, max] of the temporal field over the layer, or null when it has none. */
  public long[] temporalExtent(Content c, LayerIndex layer) {
    int tf = temporalField(layer.def());
    if (tf < 0) {
      return null;
    }
    String key = System.identityHashCode(c) + "/" + layer.name();
    Extent known = temporalExtents.get(key);
    if (known != null && known.def() == layer.def()) {
      return known.range();
    }
    // made anew for a layer an import replaced
    return temporalExtents
        .compute(
            key,
            (k, was) -> {
              if (was != null && was.def() == layer.def()) {
                return was;
              }
              long lo = Long.MAX_VALUE;
              long hi = Long.MIN_VALUE;
              for (var f : layer.features()) {
                Object v = f.value(tf);
                if (v != null && !f.personal()) {
                  long t = (Long) v;
                  lo = Math.min(lo, t);
                  hi = Math.max(hi, t);
                }
              }
              return new Extent(layer.def(), lo > hi ? new long[0] : new long[] {lo, hi});
            })
        .range();
  }

  /** The base URL as the client sees it (see {@link io.gridmap.server.web.BaseUrl}). */
  public String baseUrl(RoutingContext ctx) {
    return BaseUrl.of(ctx, publicUrl);
  }
}
