package io.gridmap.server;

import io.gridmap.layers.store.FeatureStore;
import io.gridmap.server.admin.AdminRoutes;
import io.gridmap.server.cluster.ChangeNotices;
import io.gridmap.server.cluster.ClusterVertx;
import io.gridmap.server.cluster.ForwardProof;
import io.gridmap.server.cluster.WriteForwarder;
import io.gridmap.server.config.ServerConfig;
import io.gridmap.server.content.Content;
import io.gridmap.server.devices.DedupingSink;
import io.gridmap.server.devices.DeviceWrites;
import io.gridmap.server.devices.WriterIngest;
import io.gridmap.server.edit.EditRoutes;
import io.gridmap.server.edit.schedule.EditScheduler;
import io.gridmap.server.edit.schedule.ScheduledEditRoutes;
import io.gridmap.server.imports.ImportRoutes;
import io.gridmap.server.incidents.Deadlines;
import io.gridmap.server.incidents.IncidentRoutes;
import io.gridmap.server.incidents.Incidents;
import io.gridmap.server.incidents.OverdueSweep;
import io.gridmap.server.incidents.ResponderRoles;
import io.gridmap.server.live.LiveStream;
import io.gridmap.server.live.PositionRoutes;
import io.gridmap.server.ogc.OgcApi;
import io.gridmap.server.ogc.OgcRoutes;
import io.gridmap.server.open311.Open311Routes;
import io.gridmap.server.ops.AccessLog;
import io.gridmap.server.ops.OpsRoutes;
import io.gridmap.server.ops.ServerMetrics;
import io.gridmap.server.ops.StoreProbe;
import io.gridmap.server.query.QueryRoutes;
import io.gridmap.server.security.AccessPolicy;
import io.gridmap.server.security.ApiKeys;
import io.gridmap.server.security.AuditLog;
import io.gridmap.server.security.LiveTickets;
import io.gridmap.server.security.RateLimiter;
import io.gridmap.server.security.ScheduledCallers;
import io.gridmap.server.security.SecurityHandler;
import io.gridmap.server.security.TokenKeys;
import io.gridmap.server.security.Tokens;
import io.gridmap.server.style.StyleRoutes;
import io.gridmap.server.tiles.SocketTileLane;
import io.gridmap.server.tiles.TileLane;
import io.gridmap.server.tiles.TileRoutes;
import io.gridmap.server.tracks.TrackRetention;
import io.gridmap.server.tracks.TrackRoutes;
import io.gridmap.server.viewer.ViewerRoutes;
import io.gridmap.server.web.ConnectionTimeouts;
import io.gridmap.server.web.Cors;
import io.gridmap.server.web.Loaded;
import io.gridmap.server.web.ProblemHandler;
import io.gridmap.server.web.RequestGuard;
import io.gridmap.server.web.RequestIds;
import io.gridmap.server.web.RouteModule;
import io.gridmap.server.web.Routes;
import io.gridmap.server.write.ExternalChanges;
import io.gridmap.server.write.Writer;
import io.gridmap.server.write.WriterTurn;
import io.gridmap.styles.glyphs.GlyphService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds the server's parts (Vert.x, the worker pools, the security gate, the
 * audit log, the content once loaded, the one writer) and hands each route module exactly the parts
 * it uses; no module sees the server. It listens at once and loads its content on a thread of its
 * own: {@code /health} answers 503 until the content is in memory, then 200.
 *
 * <p>With {@code cluster = true} it is one node of several serving one PostGIS store: its Vert.x
 * joins theirs ({@link ClusterVertx}), it hears of their changes at once ({@link ChangeNotices})
 * and forwards the writes it may not make to the node whose turn it is ({@link WriteForwarder}).
 */
public final class MapServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MapServer.class);

  /** How often tracks older than track_retention_days are looked for (and once at start). */
  static final Duration TRACK_RETENTION_CHECK = Duration.ofHours(1);

  /** How often open incidents are checked for a step past due. */
  static final Duration OVERDUE_CHECK = Duration.ofSeconds(5);

  /** How often the store's change log is read for what other programs wrote. */
  static final Duration EXTERNAL_CHECK = Duration.ofSeconds(1);

  /** How often the store is asked whether it can be reached (for /health). */
  static final Duration STORE_CHECK = Duration.ofSeconds(2);

  private final ServerConfig config;
  private final Vertx vertx;
  private final ServerMetrics metrics = new ServerMetrics();
  private final WorkerExecutor renderPool;
  private final WorkerExecutor queryPool;
  private final WorkerExecutor editPool;
  private final AccessLog accessLog;
  private final Tokens tokens;
  private final ApiKeys apiKeys;
  private final AuditLog audit;
  private final LiveTickets liveTickets = new LiveTickets();
  private final Loaded<Content> content = new Loaded<>();
  private final Loaded<Writer> writer = new Loaded<>();
  private final Loaded<StoreProbe> storeProbe = new Loaded<>();
  private volatile ExternalChanges external;
  private volatile WriterTurn turn;
  private volatile ChangeNotices notices;
  private final LongAdder uncaught = new LongAdder();
  private final LiveStream live;
  private final Incidents incidents;
  private volatile OverdueSweep overdue;
  private volatile TrackRetention trackRetention;
  private volatile WriterIngest mqtt;
  private final ScheduledCallers scheduledCallers = new ScheduledCallers();
  private volatile EditScheduler scheduler;
  private HttpServer http;

  private MapServer(ServerConfig config, AccessLog accessLog) throws Exception {
    this.config = config;
    this.accessLog = accessLog;
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true);
    this.vertx =
        config.cluster().enabled()
            ? ClusterVertx.start(options, config.cluster())
            : Vertx.vertx(options);
    // an exception no handler caught is a bug: counted (fuzz tests assert none) and logged
    this.vertx.exceptionHandler(
        e -> {
          uncaught.increment();
          LOG.error("uncaught exception", e);
        });
    this.renderPool =
        vertx.createSharedWorkerExecutor(
            "tile-render", config.renderThreads(), 60, TimeUnit.SECONDS);
    this.queryPool =
        vertx.createSharedWorkerExecutor(
            "ogc-query",
            Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())),
            120,
            TimeUnit.SECONDS);
    this.editPool = vertx.createSharedWorkerExecutor("grid-edit", 2);
    this.tokens = new Tokens(vertx, TokenKeys.loadOrCreate(Path.of(config.tokenSecretFile())));
    this.apiKeys = ApiKeys.load(Path.of(config.apiKeysFile()));
    this.audit = AuditLog.open(Path.of(config.auditLog()));
    this.live = new LiveStream(liveTickets, content, writer, config.wsPing(), config.wsStall());
    this.incidents =
        new Incidents(
            content,
            writer,
            Deadlines.defaults(),
            ResponderRoles.parse(config.responderRoles()),
            System::currentTimeMillis);
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

  /**
   * The route modules in the order they are mounted: a module whose routes overlap another's comes
   * first (the unit search at {@code /viewer/search} before the viewer's files).
   */
  private List<RouteModule> modules() {
    String publicUrl = config.publicUrl();
    OgcApi ogc = new OgcApi(content, queryPool, publicUrl, config.maxQueryAreaKm2());
    List<RouteModule> described = new ArrayList<>();
    described.add(new TileRoutes(content, renderPool, publicUrl));
    described.add(new QueryRoutes(ogc));
    described.add(new PositionRoutes(content, writer, config.maxBodyBytes()));
    described.add(
        new EditRoutes(content, writer, editPool, publicUrl, config.editsRequireIfMatch()));
    // after the edits: it describes ?effective= on each of them
    described.add(new ScheduledEditRoutes(content, editPool, publicUrl));
    described.add(new io.gridmap.server.history.HistoryRoutes(content, publicUrl));
    described.add(new TrackRoutes(content, System::currentTimeMillis));
    described.add(
        new ImportRoutes(content, writer, audit, (long) config.importMaxMb() << 20, publicUrl));
    described.add(new IncidentRoutes(incidents, publicUrl));
    described.add(
        new Open311Routes(
            incidents,
            apiKeys,
            TokenKeys.loadOrCreate(Path.of(config.tokenSecretFile())),
            config.open311ApiKeyRequired(),
            config.open311PostsPerMinute(),
            publicUrl));
    GlyphService glyphs = GlyphService.withDefaults();
    List<String> warnings = new ArrayList<>();
    glyphs
        .cjkProblem()
        .ifPresent(
            problem -> {
              LOG.warn(problem);
              warnings.add(problem);
            });
    List<RouteModule> all = new ArrayList<>();
    all.add(new OpsRoutes(content, metrics, warnings, storeProbe));
    all.add(new OgcRoutes(ogc, described));
    all.addAll(described);
    all.add(new StyleRoutes(content, publicUrl, glyphs, renderPool));
    all.add(new ViewerRoutes(renderPool));
    all.add(new AdminRoutes(audit));
    all.add(live);
    return all;
  }

  private void listen() throws Exception {
    Router router = Router.router(vertx);
    Routes routes = new Routes(router);
    ProblemHandler problems = new ProblemHandler(routes);
    router.route().handler(metrics);
    if (config.cluster().enabled()) {
      // a write another node forwarded is limited and logged under its client's address
      ForwardProof proof =
          new ForwardProof(TokenKeys.loadOrCreate(Path.of(config.tokenSecretFile())));
      router.route().handler(proof.handler());
      // several nodes: a write another node forwarded here is answered with the position the
      // forwarding node waits for before it answers its client (read your own writes)
      router
          .route()
          .handler(
              ctx -> {
                WriteForwarder.markPosition(
                    ctx,
                    () -> {
                      Writer w = writer.getOrNull();
                      return w == null ? 0 : w.newestVisible();
                    });
                ctx.next();
              });
      WriteForwarder forwarder =
          new WriteForwarder(
              vertx,
              config.cluster().host() + ":" + config.cluster().port(),
              () -> {
                WriterTurn t = turn;
                return t == null ? null : t.writerUrl();
              },
              () -> external,
              proof);
      routes.sendElsewhere(forwarder::forward);
    }
    if (accessLog != null) {
      router.route().handler(accessLog);
    }
    RateLimiter limiter = new RateLimiter(config.rateLimitPerSecond(), config.rateLimitBurst());
    // every request gets its id; malformed ones are refused before anything decodes them, at the
    // same rate as others
    RequestGuard guard = new RequestGuard(key -> limiter.acquire(key, System.nanoTime()));
    router.route().handler(guard);
    router.route().handler(Cors.handler(config.corsOrigins()));
    router.route().handler(Cors.forCaches(config.corsOrigins()));
    // the gate every route sits behind: who is calling, at what rate, and may they
    AccessPolicy policy = AccessPolicy.standard();
    router
        .route()
        .handler(
            new SecurityHandler(tokens, apiKeys, limiter, policy, liveTickets, scheduledCallers));
    for (RouteModule m : modules()) {
      m.mount(routes);
    }
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
    // header, body and idle bounds per connection; Vert.x's own idle timeout is left off (why: in
    // ConnectionTimeouts)
    ConnectionTimeouts timeouts =
        new ConnectionTimeouts(
            vertx, config.headerTimeout(), config.bodyTimeout(), config.idleTimeout());
    for (ConnectionTimeouts.Reason reason : ConnectionTimeouts.Reason.values()) {
      String name = reason.name().toLowerCase(Locale.ROOT);
      metrics.counter(
          "gridmap_http_" + name + "_timeouts",
          "connections closed by the " + name + "_timeout_s bound",
          timeouts,
          t -> t.closed(reason));
    }
    // a cached public tile is answered before the router, with the same gate and headers
    TileLane lane =
        new TileLane(
            content,
            limiter,
            policy,
            new RequestIds(),
            guard,
            metrics,
            accessLog,
            config.corsOrigins().contains("*"));
    http =
        timeouts
            .install(
                vertx.createHttpServer(options),
                lane.before(router),
                (conn, answered) -> SocketTileLane.install(lane, conn, answered))
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

  /**
   * What an admin-layer change brings with it, in the same write: the villages' outlines a grid
   * change moves (part of the same edit), then the key sites and open incidents that change grid.
   */
  private static List<io.gridmap.layers.edit.Change> follow(
      io.gridmap.layers.index.CityIndex current, io.gridmap.layers.edit.Change change) {
    List<io.gridmap.layers.edit.Change> all =
        new ArrayList<>(io.gridmap.layers.edit.VillageOutlines.after(current, change));
    all.addAll(io.gridmap.layers.edit.OwnershipFollow.after(current, change));
    return all;
  }

  /**
   * Decides the polygons' rounding for every zoom on a thread of low priority, after the server is
   * ready, so that first renders do not pay for it (tiles are served meanwhile).
   */
  private static void decideRingsInBackground(Content c) {
    Thread t =
        new Thread(
            () -> {
              long start = System.nanoTime();
              int n = c.tiles().decidePolygonRings();
              LOG.info(
                  "decided the rounding of {} polygons (all zooms) in {} ms",
                  n,
                  Duration.ofNanos(System.nanoTime() - start).toMillis());
            },
            "ring-memos");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  private void load(Callable<Content> loader) {
    long start = System.nanoTime();
    Thread t =
        new Thread(
            () -> {
              try {
                Content c = loader.call();
                metrics.tileCache(c.tiles());
                // on PostGIS the audit log is a table, written in each write's transaction
                c.store().ifPresent(audit::keepIn);
                // 0 days: record no track (the sweep below deletes those recorded before), decided
                // before the writer takes a position: set after the content was published, the
                // first positions of a quick client were recorded (TrackRetentionTest saw one)
                c.store()
                    .flatMap(FeatureStore::tracks)
                    .ifPresent(k -> k.recording(config.trackRetentionDays() > 0));
                Writer w = new Writer(c, audit, MapServer::follow, config.writeGroupPace());
                metrics.counter(
                    "writer_groups",
                    "groups of writes the writer committed together (write_group_ms)",
                    w,
                    Writer::groups);
                metrics.counter(
                    "writer_group_writes",
                    "writes in those groups: over writer_groups, a group's mean size",
                    w,
                    Writer::groupedWrites);
                writer.complete(w);
                LOG.info(
                    "ready: loaded {} in {} ms",
                    c.description(),
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
                content.complete(c);
                decideRingsInBackground(c);
                if (c.store().isPresent()) {
                  // one node writes at a time: take the turn now (free on a store no other node
                  // writes), then keep it or take it when its holder lets it end
                  FeatureStore store = c.store().get();
                  boolean clustered = config.cluster().enabled();
                  if (clustered) {
                    store.advertise(config.cluster().nodeUrl(config.host(), http.actualPort()));
                  }
                  // what other programs and other nodes write into the store reaches memory and
                  // the live stream
                  if (store.sharedWithOtherPrograms()) {
                    external =
                        new ExternalChanges(
                            vertx,
                            editPool,
                            store,
                            writer.get(),
                            store.readPosition(),
                            EXTERNAL_CHECK.toMillis());
                  }
                  ExternalChanges ext = external;
                  turn =
                      new WriterTurn(
                          vertx,
                          editPool,
                          store,
                          config.cluster().writerTurn(),
                          config.cluster().turnRenewal(),
                          clustered,
                          ext == null ? () -> {} : ext::catchUp);
                  storeProbe.complete(
                      new StoreProbe(vertx, editPool, store, STORE_CHECK.toMillis()));
                  if (ext != null && clustered) {
                    // news of the writer's changes over the event bus: read the log at once
                    WriterTurn held = turn;
                    ChangeNotices n =
                        new ChangeNotices(vertx, store.node(), held::holds, seq -> ext.pollNow());
                    writer.get().onVisible(n);
                    metrics.counter(
                        "cluster_change_notices_received",
                        "news of another node's changes over the event bus (each read the log at"
                            + " once)",
                        n,
                        ChangeNotices::received);
                    notices = n;
                  }
                  overdue = new OverdueSweep(incidents, vertx, OVERDUE_CHECK);
                  if (store.tracks().isPresent()) {
                    WriterTurn held = turn;
                    trackRetention =
                        new TrackRetention(
                            vertx,
                            writer.get(),
                            Duration.ofDays(config.trackRetentionDays()),
                            TRACK_RETENTION_CHECK,
                            System::currentTimeMillis,
                            held::holds);
                  }
                  if (store.scheduledEdits().isPresent()) {
                    // edits scheduled with ?effective=, applied by the node whose turn it is to
                    // write; overdue ones (the server was down) at once, in effective order
                    WriterTurn held = turn;
                    scheduler =
                        new EditScheduler(
                            vertx,
                            editPool,
                            store.scheduledEdits().get(),
                            scheduledCallers,
                            EditScheduler.selfHost(config.host()),
                            http::actualPort,
                            held::holds,
                            config.scheduledEditsPoll());
                  }
                  if (config.mqtt().enabled()) {
                    // device alarms and trackers: acknowledged to the broker once written, taken
                    // by the node whose turn it is to write
                    WriterIngest ingest =
                        new WriterIngest(
                            vertx,
                            config.mqtt(),
                            new DedupingSink(new DeviceWrites(incidents, writer)),
                            metrics);
                    mqtt = ingest;
                    turn.onChange(ingest::writing);
                  }
                }
              } catch (Throwable e) {
                LOG.error("loading failed: {}", e.getMessage(), e);
                content.fail(e);
                writer.fail(e);
              }
            },
            "content-loader");
    t.setDaemon(true);
    t.start();
  }

  /** Completes when the content is in memory and the server answers every route. */
  public Future<Content> ready() {
    return content.ready();
  }

  /** The loaded content, or null while loading. */
  public Content content() {
    return content.getOrNull();
  }

  /** The one writer every write path goes through, or a 503 while loading. */
  public Writer writer() {
    return writer.get();
  }

  /** Exceptions that escaped every handler since start (each also logged); a bug when not zero. */
  public long uncaughtExceptions() {
    return uncaught.sum();
  }

  /** Why loading failed, or null. */
  public String loadError() {
    return content.error();
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
      EditScheduler sched = scheduler;
      if (sched != null) {
        sched.close();
      }
      TrackRetention r = trackRetention;
      if (r != null) {
        r.close();
      }
      OverdueSweep o = overdue;
      if (o != null) {
        o.close();
      }
      StoreProbe probe = storeProbe.getOrNull();
      if (probe != null) {
        probe.close();
      }
      ExternalChanges e = external;
      if (e != null) {
        e.close();
      }
      WriterTurn t = turn;
      if (t != null) {
        t.close();
      }
      ChangeNotices n = notices;
      if (n != null) {
        n.close();
      }
      WriterIngest m = mqtt;
      if (m != null) {
        // writes under way are acknowledged before the writer stops
        m.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
      }
      Writer w = writer.getOrNull();
      if (w != null) {
        w.close(); // queued writes finish before the store closes
      }
      Content c = content.getOrNull();
      if (c != null) {
        // its writes are done: another node may write at once, not when the turn would end
        c.store().ifPresent(FeatureStore::releaseTurn);
        c.store().ifPresent(FeatureStore::close);
      }
      live.close();
      renderPool.close();
      queryPool.close();
      editPool.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
      if (accessLog != null) {
        accessLog.close();
      }
      audit.close();
    }
  }
}
