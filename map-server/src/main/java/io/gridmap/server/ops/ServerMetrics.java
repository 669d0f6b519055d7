package io.gridmap.server.ops;

import io.gridmap.tiler.TileService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus metrics: requests by route, status and zoom with latency histograms, tile cache
 * figures and JVM memory. Served at {@code /metrics} in the Prometheus text format.
 */
public final class ServerMetrics implements Handler<RoutingContext> {
  /** Context key under which a tile handler records the zoom it served. */
  public static final String ZOOM = "metrics.zoom";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

  public ServerMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Times every request; installed first on the router. */
  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(
        ignored -> {
          Route route = ctx.currentRoute();
          String path =
              route == null
                  ? "unmatched"
                  : route.getName() != null
                      ? route.getName()
                      : route.getPath() != null ? route.getPath() : "unmatched";
          Object zoom = ctx.get(ZOOM);
          timer(path, ctx.response().getStatusCode(), zoom)
              .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        });
    ctx.next();
  }

  /** The timer of a route, status and tile zoom (null when the request was no tile). */
  public Timer timer(String route, int status, Object zoom) {
    String key = route + '|' + status + '|' + zoom;
    return timers.computeIfAbsent(
        key,
        k ->
            Timer.builder("http_server_requests")
                .description("HTTP requests by route, status and tile zoom")
                .tags(
                    Tags.of(
                        "route",
                        route,
                        "status",
                        Integer.toString(status),
                        "zoom",
                        zoom == null ? "" : zoom.toString()))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry));
  }

  /** A monotonically increasing count read from another object (e.g. cache hits). */
  public <T> void counter(String name, String description, T obj, ToDoubleFunction<T> f) {
    FunctionCounter.builder(name, obj, f).description(description).register(registry);
  }

  /** A value read from another object when scraped (e.g. cache bytes). */
  public <T> void gauge(String name, String description, T obj, ToDoubleFunction<T> f) {
    Gauge.builder(name, obj, f).description(description).register(registry);
  }

  /** The {@code /metrics} endpoint. */
  public Handler<RoutingContext> endpoint() {
    return ctx ->
        ctx.response()
            .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            .putHeader("Cache-Control", "no-store")
            .end(registry.scrape());
  }

  /** Counters and gauges of the public tile cache, read when scraped. */
  public void tileCache(TileService tiles) {
    counter("tile_cache_hits", "tile cache hits", tiles, s -> s.cacheStats().hits());
    counter("tile_cache_misses", "tile cache misses", tiles, s -> s.cacheStats().misses());
    gauge("tile_cache_bytes", "bytes held by the tile cache", tiles, s -> s.cacheStats().bytes());
    gauge(
        "tile_cache_max_bytes",
        "the tile cache's bound in bytes",
        tiles,
        s -> s.cacheStats().maxBytes());
    gauge("tile_cache_entries", "entries in the tile cache", tiles, s -> s.cacheStats().entries());
    gauge(
        "tile_cache_hit_ratio",
        "hits / (hits + misses) since start",
        tiles,
        s -> hitRatio(s.cacheStats().hits(), s.cacheStats().misses()));
    counter(
        "tiles_rendered",
        "tiles rendered (cache misses that drew)",
        tiles,
        s -> s.renderStats().tilesRendered());
  }

  private static double hitRatio(long hits, long misses) {
    return hits + misses == 0 ? 0 : (double) hits / (hits + misses);
  }
}
