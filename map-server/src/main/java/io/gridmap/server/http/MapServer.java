package io.gridmap.server.http;

import io.gridmap.layers.store.FeatureStore;
import io.gridmap.server.config.ServerConfig;
import io.gridmap.server.live.LiveStream;
import io.gridmap.server.ogc.OgcRoutes;
import io.gridmap.server.ops.AccessLog;
import io.gridmap.server.ops.ServerMetrics;
import io.gridmap.server.security.AccessPolicy;
import io.gridmap.server.security.ApiKeys;
import io.gridmap.server.security.AuditLog;
import io.gridmap.server.security.LiveTickets;
import io.gridmap.server.security.RateLimiter;
import io.gridmap.server.security.SecurityHandler;
import io.gridmap.server.security.TokenKeys;
import io.gridmap.server.security.Tokens;
import io.gridmap.server.write.Writer;
import io.gridmap.styles.glyphs.GlyphService;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.CorsHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server. It listens at once and loads its content on a worker thread: {@code /health}
 * answers 503 until the content is in memory, then 200. Tile rendering runs on a named worker pool,
 * never on the event loop.
 */
public final class MapServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MapServer.class);

  private final ServerConfig config;
  private final Vertx vertx;
  private final ServerMetrics metrics = new ServerMetrics();
  private final WorkerExecutor renderPool;
  private final AccessLog accessLog;
  private final Promise<Content> loaded = Promise.promise();
  private final Tokens tokens;
  private final ApiKeys apiKeys;
  private final AuditLog audit;
  private final LiveTickets liveTickets = new LiveTickets();
  private volatile Content content;
  private volatile Writer writer;
  private final java.util.concurrent.atomic.LongAdder uncaught =
      new java.util.concurrent.atomic.LongAdder();
  private volatile String loadError;
  private HttpServer http;
  private LiveStream live;

  private MapServer(ServerConfig config, AccessLog accessLog) {
    this.config = config;
    this.accessLog = accessLog;
    this.vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    // an exception no handler caught is a bug: counted (fuzz tests assert none) and logged
    this.vertx.exceptionHandler(
        e -> {
          uncaught.increment();
          LOG.error("uncaught exception", e);
        });
    this.renderPool =
        vertx.createSharedWorkerExecutor(
            "tile-render", config.renderThreads(), 60, TimeUnit.SECONDS);
    this.tokens = new Tokens(vertx, TokenKeys.loadOrCreate(Path.of(config.tokenSecretFile())));
    this.apiKeys = ApiKeys.load(Path.of(config.apiKeysFile()));
    this.audit = AuditLog.open(Path.of(config.auditLog()));
  }

  /**
   * Starts listening, then loads content with {@code loader} in the background.
   *
   * @return the server once it listens (it may still be loading)
   */
  public static MapServer start(ServerConfig config, Callable<Content> loader) throws Exception {
    AccessLog log;
    try {
      log = AccessLog.open(config.accessLog());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot open access_log " + config.accessLog() + ": " + e.getMessage(), e);
    }
    MapServer server = new MapServer(config, log);
    server.listen();
    server.load(loader);
    return server;
  }

  private void listen() throws Exception {
    Router router = Router.router(vertx);
    ProblemHandler problems = new ProblemHandler();
    router.route().handler(metrics);
    if (accessLog != null) {
      router.route().handler(accessLog);
    }
    router.route().handler(cors());
    router.route().handler(this::corsForCaches);
    // the gate every route sits behind: who is calling, at what rate, and may they
    router
        .route()
        .handler(
            new SecurityHandler(
                tokens,
                apiKeys,
                new RateLimiter(config.rateLimitPerSecond(), config.rateLimitBurst()),
                AccessPolicy.standard(),
                liveTickets));

    router.get("/health").setName("/health").handler(new HealthHandler(this));
    router.get("/metrics").setName("/metrics").handler(metrics.endpoint());
    TileRoutes.mount(router, this);
    StyleRoutes.mount(router, this, GlyphService.withDefaults());
    ViewerRoutes.mount(router, this);
    OgcRoutes.mount(router, this);
    AdminRoutes.mount(router, this);
    live = LiveStream.mount(router, this);
    io.gridmap.server.live.PositionRoutes.mount(router, this);
    io.gridmap.server.edit.EditRoutes.mount(router, this);

    router.route().last().handler(ctx -> ctx.fail(404));
    router.route().failureHandler(problems);
    router.errorHandler(404, problems);
    router.errorHandler(405, problems);
    router.errorHandler(500, problems);

    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(config.host())
            .setPort(config.port())
            .setCompressionSupported(false)
            // No h2c upgrade: browsers speak HTTP/2 only over TLS (a proxy's job), and the JDK's
            // HttpClient, which upgrades by default, stalled on large bodies against it.
            .setHttp2ClearTextEnabled(false);
    http =
        vertx
            .createHttpServer(options)
            .requestHandler(router)
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    LOG.info(
        "listening on {}:{} ({} transport)",
        config.host(),
        http.actualPort(),
        vertx.isNativeTransportEnabled() ? "epoll" : "NIO");
  }

  private CorsHandler cors() {
    CorsHandler cors = CorsHandler.create();
    for (String origin : config.corsOrigins()) {
      cors.addOrigin(origin);
    }
    // writes too: a page of a command centre on another origin posts positions and edits with the
    // bearer token it holds (no cookies, so no request forgery to guard against here)
    return cors.allowedMethods(
            Set.of(
                HttpMethod.GET,
                HttpMethod.HEAD,
                HttpMethod.OPTIONS,
                HttpMethod.POST,
                HttpMethod.PATCH))
        .allowedHeader("If-None-Match")
        .allowedHeader("Authorization")
        .allowedHeader("X-API-Key")
        .allowedHeader("Content-Type")
        .exposedHeader("ETag")
        .exposedHeader("Content-Encoding")
        .maxAgeSeconds(86_400);
  }

  /**
   * The CORS handler answers only requests that carry {@code Origin}; a response cached by a
   * same-origin page (no Origin) would then be reused by an embedding page on another origin and
   * fail its CORS check. So with {@code cors_origins = *} every response carries {@code
   * Access-Control-Allow-Origin: *}, and with a list every response varies by Origin.
   */
  private void corsForCaches(io.vertx.ext.web.RoutingContext ctx) {
    boolean anyOrigin = config.corsOrigins().contains("*");
    ctx.addHeadersEndHandler(
        v -> {
          var headers = ctx.response().headers();
          if (anyOrigin) {
            headers.set("Access-Control-Allow-Origin", "*");
          } else {
            String vary = headers.get("Vary");
            headers.set("Vary", vary == null || vary.isBlank() ? "Origin" : vary + ", Origin");
          }
        });
    ctx.next();
  }

  private void load(Callable<Content> loader) {
    long start = System.nanoTime();
    Thread t =
        new Thread(
            () -> {
              try {
                Content c = loader.call();
                var tiles = c.tiles();
                metrics.counter(
                    "tile_cache_hits", "tile cache hits", tiles, s -> s.cacheStats().hits());
                metrics.counter(
                    "tile_cache_misses", "tile cache misses", tiles, s -> s.cacheStats().misses());
                metrics.gauge(
                    "tile_cache_bytes",
                    "bytes held by the tile cache",
                    tiles,
                    s -> s.cacheStats().bytes());
                metrics.gauge(
                    "tile_cache_max_bytes",
                    "the tile cache's bound in bytes",
                    tiles,
                    s -> s.cacheStats().maxBytes());
                metrics.gauge(
                    "tile_cache_entries",
                    "entries in the tile cache",
                    tiles,
                    s -> s.cacheStats().entries());
                metrics.gauge(
                    "tile_cache_hit_ratio",
                    "hits / (hits + misses) since start",
                    tiles,
                    s -> hitRatio(s.cacheStats().hits(), s.cacheStats().misses()));
                metrics.counter(
                    "tiles_rendered",
                    "tiles rendered (cache misses that drew)",
                    tiles,
                    s -> s.renderStats().tilesRendered());
                writer = new Writer(c, audit);
                content = c;
                LOG.info(
                    "ready: loaded {} in {} ms",
                    c.description(),
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
                loaded.complete(c);
              } catch (Throwable e) {
                loadError = e.getMessage() == null ? e.toString() : e.getMessage();
                LOG.error("loading failed: {}", loadError, e);
                loaded.fail(e);
              }
            },
            "content-loader");
    t.setDaemon(true);
    t.start();
  }

  private static double hitRatio(long hits, long misses) {
    return hits + misses == 0 ? 0 : (double) hits / (hits + misses);
  }

  /** Completes when the content is in memory and the server answers every route. */
  public Future<Content> ready() {
    return loaded.future();
  }

  /** The loaded content, or null while loading. */
  public Content content() {
    return content;
  }

  /** The one writer every write path goes through, or a 503 while loading. */
  public Writer writer() {
    Writer w = writer;
    if (w == null) {
      throw ApiException.unavailable("the map is still loading; /health says when it is ready");
    }
    return w;
  }

  /** Exceptions that escaped every handler since start (each also logged); a bug when not zero. */
  public long uncaughtExceptions() {
    return uncaught.sum();
  }

  /** Why loading failed, or null. */
  public String loadError() {
    return loadError;
  }

  public int port() {
    return http.actualPort();
  }

  public ServerConfig config() {
    return config;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Issues and checks this server's tokens. */
  public Tokens tokens() {
    return tokens;
  }

  /** One-time tickets for browsers' live WebSockets. */
  public LiveTickets liveTickets() {
    return liveTickets;
  }

  /** The log every write path records into. */
  public AuditLog audit() {
    return audit;
  }

  WorkerExecutor renderPool() {
    return renderPool;
  }

  /** Stops accepting connections, lets in-flight requests finish, releases everything. */
  @Override
  public void close() throws Exception {
    LOG.info("shutting down");
    try {
      if (http != null) {
        http.shutdown(10, TimeUnit.SECONDS)
            .toCompletionStage()
            .toCompletableFuture()
            .get(15, TimeUnit.SECONDS);
      }
    } finally {
      Writer w = writer;
      if (w != null) {
        w.close(); // queued writes finish before the store closes
      }
      Content c = content;
      if (c != null) {
        c.store().ifPresent(FeatureStore::close);
      }
      if (live != null) {
        live.close();
      }
      renderPool.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
      if (accessLog != null) {
        accessLog.close();
      }
      audit.close();
    }
  }

  /** Health document: ready with content counts, or loading / failed. */
  static JsonObject health(MapServer s) {
    Content c = s.content;
    if (c != null) {
      return new JsonObject().put("status", "ready").put("dataset", c.summary());
    }
    if (s.loadError != null) {
      return new JsonObject().put("status", "failed").put("error", s.loadError);
    }
    return new JsonObject().put("status", "loading");
  }
}
