package io.gridmap.server.tiles;

import io.gridmap.server.cluster.WriteForwarder;
import io.gridmap.server.content.Content;
import io.gridmap.server.ops.AccessLog;
import io.gridmap.server.ops.ServerMetrics;
import io.gridmap.server.security.AccessPolicy;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.RateLimiter;
import io.gridmap.server.security.ScheduledCallers;
import io.gridmap.server.security.Visibility;
import io.gridmap.server.web.ConditionalResponse;
import io.gridmap.server.web.Cors;
import io.gridmap.server.web.Loaded;
import io.gridmap.server.web.RequestGuard;
import io.gridmap.server.web.RequestIds;
import io.gridmap.tiler.EncodedTile;
import io.gridmap.tiler.TileService;
import io.gridmap.tiler.geo.TileCoord;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The way in for the request a map client sends most: an anonymous {@code GET
 * /tiles/cq/{z}/{x}/{y}.mvt} of a tile in the public cache. It answers such a request from the
 * cache with what the router's chain would answer (the same gate, headers, metrics and access log
 * line), without the chain: Vert.x Web's routing context, its walk over every route before the
 * tile's, six handlers' hops and their end-handler closures were about half the CPU of such a
 * request (JFR, issue 14), and nginx serves the same bytes with none of it.
 *
 * <p>Everything else goes to the router untouched: another method (HEAD included), a query string,
 * credentials of any kind, a request another node forwarded, a Host the guard would refuse, a tile
 * not cached yet (it is rendered on a worker), a tile's bytes for a client that does not take gzip
 * (an empty tile's 204 and a 304 need no encoding: the lane's), a client over its rate (the router
 * answers the 429 and charges nothing more: an empty bucket is not drawn from), and every request
 * while the content loads. With {@code cors_origins} other than {@code *} (an allow-list, whose
 * responses vary by Origin) the lane stays shut. {@code TileLaneTest} compares its answers with the
 * router's, header for header.
 *
 * <p>On HTTP/1.1 connections most of these requests never reach Vert.x's request objects: {@link
 * SocketTileLane} reads them from the socket's bytes and decides with {@link #tile}, {@link
 * #status} and {@link #answered} here. This lane answers the rest: requests on connections left to
 * Vert.x (pipelined requests, a client whose first request asked for an upgrade).
 */
public final class TileLane {
  static final String PREFIX = "/tiles/" + TileRoutes.TILESET + "/";
  private static final String ROUTE = "/tiles/cq/{z}/{x}/{y}.mvt";
  // Header names and values as Netty's AsciiStrings (HttpHeaders.createOptimized): hashed once and
  // written to the wire as they are, where a String is hashed and encoded on every response (the
  // lane's header sets were 14% of its CPU; async-profiler, issue 14)
  private static final CharSequence REQUEST_ID = optimized(RequestIds.HEADER);
  private static final CharSequence ETAG = optimized("ETag");
  private static final CharSequence CACHE_CONTROL = optimized("Cache-Control");
  private static final CharSequence VARY = optimized("Vary");
  private static final CharSequence ALLOW_ORIGIN = optimized("Access-Control-Allow-Origin");
  private static final CharSequence CONTENT_TYPE = optimized("Content-Type");
  private static final CharSequence CONTENT_ENCODING = optimized("Content-Encoding");
  private static final CharSequence EXPOSE_HEADERS = optimized("access-control-expose-headers");
  private static final CharSequence ANY = optimized("*");
  private static final CharSequence GZIP = optimized("gzip");
  private static final CharSequence MVT = optimized(TileResponse.MVT);
  private static final CharSequence VARY_EMPTY = optimized(Visibility.VARY);
  private static final CharSequence VARY_GZIP = optimized("Accept-Encoding, " + Visibility.VARY);
  private static final CharSequence CACHE_LIVE =
      optimized(TileResponse.cacheControl(Visibility.PUBLIC, true));
  private static final CharSequence CACHE_STATIC =
      optimized(TileResponse.cacheControl(Visibility.PUBLIC, false));
  // what Vert.x's CORS handler adds to a request with Origin under cors_origins = * (Cors.handler)
  private static final CharSequence EXPOSE = optimized(String.join(",", Cors.EXPOSED));

  private final Loaded<Content> content;
  private final RateLimiter limiter;
  private final RequestIds ids;
  private final RequestGuard guard;
  private final ServerMetrics metrics;
  private final AccessLog accessLog;
  private final boolean open;
  private final LongAdder answered = new LongAdder();
  private final LongAdder answeredAtSocket = new LongAdder();

  /** Timers by status (200, 204, 304) and zoom: the router's keys, without a string per request. */
  private final Timer[][] timers = new Timer[3][TileRoutes.MAX_ZOOM + 1];

  /**
   * @param accessLog null when off
   * @param anyOrigin whether {@code cors_origins} is {@code *}; the lane stays shut otherwise
   */
  public TileLane(
      Loaded<Content> content,
      RateLimiter limiter,
      AccessPolicy policy,
      RequestIds ids,
      RequestGuard guard,
      ServerMetrics metrics,
      AccessLog accessLog,
      boolean anyOrigin) {
    this.content = content;
    this.limiter = limiter;
    this.ids = ids;
    this.guard = guard;
    this.metrics = metrics;
    this.accessLog = accessLog;
    // the policy's rules go by path prefix: one tile's answer is every tile's
    this.open =
        anyOrigin
            && policy.decide(HttpMethod.GET, PREFIX + "0/0/0.mvt", Principal.ANONYMOUS)
                == AccessPolicy.Decision.ALLOW;
    metrics.counter(
        "tile_lane_responses",
        "cached public tiles answered before the router (TileLane)",
        answered,
        LongAdder::sum);
    metrics.counter(
        "tile_lane_socket_responses",
        "of those, answered at the socket, before Vert.x's HTTP decoder (SocketTileLane)",
        answeredAtSocket,
        LongAdder::sum);
  }

  /** The lane, then {@code router} for whatever it does not answer. */
  public Handler<HttpServerRequest> before(Handler<HttpServerRequest> router) {
    if (!open) {
      return router;
    }
    return req -> {
      boolean answered;
      try {
        answered = answer(req);
      } catch (RuntimeException e) {
        if (req.response().headWritten()) {
          throw e; // the exception handler counts and logs it, as any handler's
        }
        // nothing sent: the router answers, problem+json and all, from a clean response
        req.response().headers().clear();
        answered = false;
      }
      if (!answered) {
        router.handle(req);
      }
    };
  }

  /** Answers {@code req} when it is the lane's; false (nothing written) when it is the router's. */
  boolean answer(HttpServerRequest req) {
    long start = System.nanoTime();
    if (req.method() != HttpMethod.GET) {
      return false;
    }
    String uri = req.uri();
    if (!uri.startsWith(PREFIX) || uri.indexOf('?') >= 0) {
      return false;
    }
    TileCoord coord = parse(uri);
    if (coord == null) {
      return false;
    }
    MultiMap in = req.headers();
    if (in.contains("Authorization")
        || in.contains("X-API-Key")
        || in.contains(ScheduledCallers.HEADER)
        || in.contains(WriteForwarder.FORWARDED_BY)
        || guard.problem(req) != null) {
      return false;
    }
    String ifNoneMatch = in.get("If-None-Match");
    String remote = req.remoteAddress() == null ? "?" : req.remoteAddress().hostAddress();
    EncodedTile tile = tile(coord, ifNoneMatch, in.get("Accept-Encoding"), remote, start);
    if (tile == null) {
      return false;
    }
    int status = status(tile, ifNoneMatch);
    HttpServerResponse res = req.response();
    MultiMap out = res.headers();
    String id = ids.assign(req);
    out.set(REQUEST_ID, id);
    if (in.contains("Origin")) {
      out.set(EXPOSE_HEADERS, EXPOSE);
    }
    out.set(ETAG, tile.etag());
    out.set(CACHE_CONTROL, tile.live() ? CACHE_LIVE : CACHE_STATIC);
    // as the router's TileResponse: a tile with bytes varies by encoding too, an empty one not
    out.set(VARY, tile.empty() ? VARY_EMPTY : VARY_GZIP);
    out.set(ALLOW_ORIGIN, ANY);
    if (status == 200) {
      out.set(CONTENT_TYPE, MVT);
      out.set(CONTENT_ENCODING, GZIP);
      res.end(ConditionalResponse.wrap(tile.forSocket()));
    } else {
      res.setStatusCode(status).end();
    }
    answered(coord, uri, status, tile, remote, id, start, false);
    return true;
  }

  /**
   * The cached tile the lane answers {@code coord} with, having drawn on the client's rate; null
   * (nothing drawn, nothing written) when the request is the router's: the content loading, the
   * tile not cached, its bytes for a client that does not take gzip (decompressed off the event
   * loop, by the router), or the client over its rate (the router answers the 429). The caller has
   * checked everything else: the method, the path, the credentials and the Host.
   */
  EncodedTile tile(
      TileCoord coord, String ifNoneMatch, String acceptEncoding, String remote, long start) {
    Content c = content.getOrNull();
    TileService tiles = c == null ? null : c.tilesIfBuilt(Visibility.PUBLIC);
    EncodedTile tile = tiles == null ? null : tiles.cachedIfHit(coord);
    if (tile == null) {
      return null;
    }
    if (!tile.empty()
        && !ConditionalResponse.matches(ifNoneMatch, tile.etag())
        && !ConditionalResponse.acceptsGzip(acceptEncoding)) {
      return null;
    }
    if (limiter.acquire(Principal.ANONYMOUS.rateKey(remote), start) > 0) {
      return null;
    }
    return tile;
  }

  /** 304 when {@code If-None-Match} names the tile, else 204 for an empty tile, else 200. */
  static int status(EncodedTile tile, String ifNoneMatch) {
    if (ConditionalResponse.matches(ifNoneMatch, tile.etag())) {
      return 304;
    }
    return tile.empty() ? 204 : 200;
  }

  /** Counts, times and logs a response the lane (or the socket's lane) has written. */
  void answered(
      TileCoord coord,
      String uri,
      int status,
      EncodedTile tile,
      String remote,
      String id,
      long start,
      boolean atSocket) {
    answered.increment();
    if (atSocket) {
      answeredAtSocket.increment();
    }
    long nanos = System.nanoTime() - start;
    timer(status, coord.z()).record(nanos, TimeUnit.NANOSECONDS);
    if (accessLog != null) {
      accessLog.record(
          remote,
          id,
          HttpMethod.GET,
          uri,
          status,
          status == 200 ? tile.gzipped().length : 0,
          nanos);
    }
  }

  /** Whether the lane is open at all (see the class comment); the socket's lane asks too. */
  boolean open() {
    return open;
  }

  /** The guard's verdict on a request's one Host header: null when well-formed. */
  String hostProblem(String host) {
    return guard.hostProblem(host);
  }

  /** The request id for a caller's {@code X-Request-Id} (null when it sent none). */
  String id(String given) {
    return ids.assign(given);
  }

  private static CharSequence optimized(String s) {
    return io.vertx.core.http.HttpHeaders.createOptimized(s);
  }

  private Timer timer(int status, int z) {
    int s = status == 200 ? 0 : status == 204 ? 1 : 2;
    Timer t = timers[s][z];
    if (t == null) {
      t = metrics.timer(ROUTE, status, z);
      timers[s][z] = t;
    }
    return t;
  }

  /**
   * {@code /tiles/cq/{z}/{x}/{y}.mvt} with plain decimal numbers inside the tileset's range, or
   * null: anything else (a sign, an escape, a zoom out of range) is the router's, which names the
   * problem.
   */
  static TileCoord parse(String uri) {
    int i = PREFIX.length();
    int n = uri.length();
    int[] v = new int[3];
    for (int part = 0; part < 3; part++) {
      int from = i;
      long value = 0;
      while (i < n && i - from < 6) {
        char ch = uri.charAt(i);
        if (ch < '0' || ch > '9') {
          break;
        }
        value = value * 10 + (ch - '0');
        i++;
      }
      if (i == from || i >= n) {
        return null;
      }
      char sep = uri.charAt(i);
      if (part < 2 ? sep != '/' : !uri.startsWith(".mvt", i) || i + 4 != n) {
        return null;
      }
      v[part] = (int) value;
      i++;
    }
    int z = v[0];
    if (z > TileRoutes.MAX_ZOOM || v[1] >= (1 << z) || v[2] >= (1 << z)) {
      return null;
    }
    return TileCoord.ofXYZ(v[1], v[2], z);
  }
}
