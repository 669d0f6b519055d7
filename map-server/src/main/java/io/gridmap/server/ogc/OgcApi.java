package io.gridmap.server.ogc;

import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.FieldType;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.query.locate.GridLocator;
import io.gridmap.server.http.ApiException;
import io.gridmap.server.http.Content;
import io.gridmap.server.http.MapServer;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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

  private final MapServer server;
  private final WorkerExecutor workers;

  /**
   * The locator over the current index: cheap to build (arrays over the grids), rebuilt when a
   * change swaps the index.
   */
  private volatile GridLocator locator;

  private final Map<String, long[]> temporalExtents = new ConcurrentHashMap<>();

  OgcApi(MapServer server, int threads) {
    this.server = server;
    this.workers =
        server.vertx().createSharedWorkerExecutor("ogc-query", threads, 120, TimeUnit.SECONDS);
  }

  public MapServer server() {
    return server;
  }

  /**
   * Runs query work on the {@code ogc-query} pool; the future completes on the request's context.
   */
  public <T> Future<T> work(Callable<T> task) {
    return workers.executeBlocking(task, false);
  }

  /** The loaded content, or a 503 while loading. */
  public Content content() {
    Content c = server.content();
    if (c == null) {
      throw ApiException.unavailable("the map is still loading; /health says when it is ready");
    }
    return c;
  }

  /** The layers served as collections, in catalogue order. */
  public List<LayerIndex> collections(Content c) {
    return List.copyOf(c.index().layers());
  }

  /** The collection's layer, or a 404 that lists the collections. */
  public LayerIndex collection(Content c, String id) {
    return c.index()
        .findLayer(id)
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "collection "
                        + Params.quote(id)
                        + " does not exist; the collections are: "
                        + String.join(
                            ", ", c.index().layers().stream().map(LayerIndex::name).toList())));
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
    return temporalExtents.computeIfAbsent(
        key,
        k -> {
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
          return lo > hi ? new long[0] : new long[] {lo, hi};
        });
  }

  /** The base URL as the client sees it (see {@link io.gridmap.server.http.BaseUrl}). */
  public String baseUrl(RoutingContext ctx) {
    return io.gridmap.server.http.BaseUrl.of(ctx, server.config().publicUrl());
  }
}
