package io.gridmap.bench.race;

import io.gridmap.layers.store.pg.PostgisUrl;
import io.gridmap.tiler.TileServiceConfig;
import io.gridmap.tiler.encode.Gzip;
import io.gridmap.tiler.geo.TileCoord;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The PostGIS side of the race: a thin HTTP front over {@code ST_AsMVT}, as martin or pg_tileserv
 * put one over a database, so that both sides pay for HTTP. Vert.x on one event loop, each request
 * run on a worker thread that holds its own JDBC connection and prepared statements (one statement
 * per zoom and layer, the tile as parameters; see {@link TileSql}).
 *
 * <ul>
 *   <li>{@code /{z}/{x}/{y}}: every layer our whole-map tile draws at z, in one tile;
 *   <li>{@code /{layer}/{z}/{x}/{y}}: one layer (our {@code /collections/{id}/tiles/...});
 *   <li>{@code /locate?lon=&lat=}: the grid holding the point by {@code ST_Covers} over the GiST
 *       index on {@code grids}, the smallest code on a shared border (our rule), with its village,
 *       street (and command centre), district and full-time worker, as JSON built by PostgreSQL:
 *       what our {@code /query/locate} answers;
 *   <li>{@code /health}: 200.
 * </ul>
 *
 * Tiles are answered as ours are: 204 when empty; gzipped by our own {@link Gzip} for a client that
 * accepts it, as ours are ({@link Gzip#FAST}, our tile service's default, for whole-map and layer
 * tiles alike), so both sides pay the same for compression.
 *
 * <p>{@code PostgisTileFront --store postgresql://...?schema=S --port P [--threads 2] [--host
 * 127.0.0.1]}. The tables are {@link RaceTables}'.
 */
public final class PostgisTileFront {
  static final String MVT = "application/vnd.mapbox-vector-tile";
  private static final int GZIP_LEVEL = TileServiceConfig.defaults().gzipLevel();

  private final PostgisUrl url;
  private final WorkerExecutor pool;
  private final Map<String, TileQuery> queries = new HashMap<>();
  private final ThreadLocal<FrontSession> sessions = new ThreadLocal<>();
  private final AtomicLong failures = new AtomicLong();

  private PostgisTileFront(PostgisUrl url, TileSql sql, WorkerExecutor pool) {
    this.url = url;
    this.pool = pool;
    for (int z = 0; z <= io.gridmap.tiler.TileService.MAX_ZOOM; z++) {
      queries.put(key(null, z), sql.whole(z));
      for (RaceLayer l : RaceLayer.all()) {
        queries.put(key(l.name(), z), sql.single(l, z));
      }
    }
  }

  private static String key(String layer, int z) {
    return (layer == null ? "" : layer) + "/" + z;
  }

  public static void main(String[] args) throws Exception {
    String store = null;
    String host = "127.0.0.1";
    int port = -1;
    int threads = 2;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--store" -> store = args[++i];
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--host" -> host = args[++i];
        default ->
            throw new IllegalArgumentException(
                "unknown argument "
                    + args[i]
                    + "; usage: PostgisTileFront --store postgresql://...?schema=S --port P"
                    + " [--threads 2] [--host 127.0.0.1]");
      }
    }
    if (store == null || port < 0) {
      throw new IllegalArgumentException("PostgisTileFront needs --store and --port");
    }
    PostgisUrl url = PostgisUrl.parse(store);
    TileSql sql;
    try (Connection c = RaceDb.open(url)) {
      sql = TileSql.load(c);
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    WorkerExecutor pool = vertx.createSharedWorkerExecutor("postgis", threads);
    PostgisTileFront front = new PostgisTileFront(url, sql, pool);
    vertx
        .createHttpServer(
            new HttpServerOptions().setHost(host).setPort(port).setCompressionSupported(false))
        .requestHandler(front::handle)
        .listen()
        .toCompletionStage()
        .toCompletableFuture()
        .get();
    System.err.println(
        "front: ST_AsMVT over "
            + url.display()
            + " at http://"
            + host
            + ":"
            + port
            + ", "
            + threads
            + " connections");
  }

  private void handle(HttpServerRequest req) {
    String[] parts = req.path().split("/");
    try {
      if (parts.length == 2 && parts[1].equals("health")) {
        req.response().end("ok");
      } else if (parts.length == 2 && parts[1].equals("locate")) {
        locate(req);
      } else if (parts.length == 4) {
        tile(req, null, parts[1], parts[2], parts[3]);
      } else if (parts.length == 5) {
        tile(req, parts[1], parts[2], parts[3], parts[4]);
      } else {
        req.response().setStatusCode(404).end("no route " + req.path());
      }
    } catch (IllegalArgumentException e) {
      req.response().setStatusCode(400).end(e.getMessage());
    }
  }

  private void tile(HttpServerRequest req, String layer, String z, String x, String y) {
    TileCoord t =
        new TileCoord(number("z", z), number("x", x), number("y", y.replaceFirst("\\.mvt$", "")));
    TileQuery q = queries.get(key(layer, t.z()));
    if (q == null) {
      req.response().setStatusCode(404).end("no layer " + layer + " or zoom " + t.z());
      return;
    }
    boolean gzip = acceptsGzip(req.headers());
    pool.<byte[]>executeBlocking(
            () -> {
              byte[] mvt = session().tile(q, t);
              return mvt.length > 0 && gzip ? Gzip.compress(mvt, GZIP_LEVEL) : mvt;
            },
            false)
        .onSuccess(
            body -> {
              if (body.length == 0) {
                req.response().setStatusCode(204).end();
                return;
              }
              req.response().putHeader("Content-Type", MVT);
              if (gzip) {
                req.response().putHeader("Content-Encoding", "gzip");
              }
              req.response().end(Buffer.buffer(body));
            })
        .onFailure(e -> fail(req, e));
  }

  private void locate(HttpServerRequest req) {
    double lon = coordinate(req.getParam("lon"), "lon");
    double lat = coordinate(req.getParam("lat"), "lat");
    pool.<String>executeBlocking(() -> session().locate(lon, lat), false)
        .onSuccess(
            json -> {
              req.response().putHeader("Content-Type", "application/json");
              if (json == null) {
                req.response().setStatusCode(404).end("{\"detail\":\"no grid holds the point\"}");
              } else {
                req.response().end(json);
              }
            })
        .onFailure(e -> fail(req, e));
  }

  private void fail(HttpServerRequest req, Throwable e) {
    // a failing query is a broken race, not a slow one: the race counts every 500 as an error
    if (failures.incrementAndGet() <= 20) {
      System.err.println("front: " + req.path() + ": " + e);
    }
    req.response().setStatusCode(500).end(String.valueOf(e.getMessage()));
  }

  private FrontSession session() throws SQLException {
    FrontSession s = sessions.get();
    if (s == null) {
      s = new FrontSession(RaceDb.open(url));
      sessions.set(s);
    }
    return s;
  }

  private static boolean acceptsGzip(MultiMap headers) {
    String a = headers.get("Accept-Encoding");
    return a != null && a.contains("gzip");
  }

  private static int number(String name, String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " '" + v + "' is not an integer");
    }
  }

  private static double coordinate(String v, String name) {
    if (v == null) {
      throw new IllegalArgumentException("missing " + name);
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " '" + v + "' is not a number");
    }
  }
}
