package io.gridmap.bench.race;

import io.gridmap.layers.store.pg.PostgisUrl;
import io.gridmap.tiler.geo.TileCoord;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The race (issue 11, point 5): our server with its tile cache off against {@code ST_AsMVT} behind
 * {@link PostgisTileFront}, over the same city in one PostGIS schema, both over HTTP.
 *
 * <ol>
 *   <li>Samples: per zoom the tiles holding randomly drawn grids, and incident positions for
 *       locate, with fixed seeds ({@link RaceSample}).
 *   <li>Same answers first ({@link SameAnswers}): every sampled tile from both sides, whole-map and
 *       each layer's, decoded, feature ids and attributes compared per layer; every point located
 *       by both. Any difference or error: the differences are printed and the race exits 1 without
 *       timing anything. (A polygon of at most one square unit that one side draws and the other
 *       drops is listed, not counted: see {@link SameAnswers}.)
 *   <li>Timing ({@link LoadRun}): per zoom, the whole-map tile and each layer's tile (the labels
 *       only inside the whole-map tile: they are no collection of ours), at each connection count,
 *       the two sides one after the other, which goes first alternating from one measurement to the
 *       next; then locate the same way. Our {@code /metrics} is read before and after, when a token
 *       is given, to show that no tile came from the cache.
 *   <li>The report ({@link RaceReport}) on standard output; exit 1 if any request failed.
 * </ol>
 *
 * Run it on a core of its own, the servers on another ({@code scripts/bench.sh --race-only}).
 */
public final class Race {
  private Race() {}

  public static void main(String[] args) {
    try {
      race(args);
    } catch (IllegalArgumentException e) {
      System.err.println("race: " + e.getMessage());
      System.exit(2);
    } catch (Throwable e) {
      // any failure, an Error too: the HTTP client's threads would keep this JVM, and the harness
      // waiting on it, alive
      e.printStackTrace();
      System.err.println("race: stopped: " + e.getMessage());
      System.exit(1);
    }
  }

  private static void race(String[] args) throws Exception {
    RaceOptions o = RaceOptions.parse(args);
    Side ours = Side.ours(o.ours());
    Side postgis = Side.postgis(o.postgis());
    Map<Integer, List<TileCoord>> tiles = new LinkedHashMap<>();
    double[][] points;
    try (Connection c = RaceDb.open(PostgisUrl.parse(o.store()))) {
      double[][] grids = RaceSample.gridPoints(c);
      for (int z : o.zooms()) {
        tiles.put(z, RaceSample.tiles(grids, z, o.perZoom()));
      }
      points = RaceSample.points(c, o.points());
    }
    RaceReport report = new RaceReport(o, tiles, points.length);

    SameAnswers same = new SameAnswers(ours, postgis);
    for (Map.Entry<Integer, List<TileCoord>> e : tiles.entrySet()) {
      for (TileCoord t : e.getValue()) {
        same.tile(t, null);
        for (RaceLayer l : RaceLayer.all()) {
          if (l.visibleAt(t.z()) && l.singleOnOurs()) {
            same.tile(t, l);
          }
        }
      }
    }
    for (double[] p : points) {
      same.locate(p[0], p[1]);
    }
    report.sameAnswers(same);
    if (!same.differences().isEmpty()) {
      report.print();
      System.err.println(
          "race: the two sides answered differently "
              + same.differences().size()
              + " times (above); nothing was timed");
      System.exit(1);
    }

    CacheCounters before = CacheCounters.read(ours, o.oursToken());
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    warmClient(vertx, ours, postgis, tiles.get(o.timeZooms().get(0)));
    int turn = 0;
    for (int z : o.timeZooms()) {
      List<RaceLayer> targets = new ArrayList<>();
      targets.add(null); // the whole-map tile
      if (!o.wholeOnly()) {
        for (RaceLayer l : RaceLayer.all()) {
          if (l.visibleAt(z) && l.singleOnOurs()) {
            targets.add(l);
          }
        }
      }
      for (RaceLayer target : targets) {
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (TileCoord t : tiles.get(z)) {
          a.add(ours.tile(t, target));
          b.add(postgis.tile(t, target));
        }
        String name = target == null ? "whole" : target.name();
        int rounds = target == null ? o.wholeRounds() : 1;
        for (int conns : o.connections()) {
          List<LoadRun.Result[]> measured = new ArrayList<>();
          for (int round = 0; round < rounds; round++) {
            measured.add(pair(vertx, o, turn++, ours, a, postgis, b, true, conns));
          }
          report.add(z, name, conns, measured);
        }
      }
    }
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    for (double[] p : points) {
      a.add(ours.locate(p[0], p[1]));
      b.add(postgis.locate(p[0], p[1]));
    }
    for (int conns : o.connections()) {
      report.add(
          -1,
          "locate",
          conns,
          List.<LoadRun.Result[]>of(pair(vertx, o, turn++, ours, a, postgis, b, false, conns)));
    }
    vertx.close().toCompletionStage().toCompletableFuture().join();
    report.cache(before, CacheCounters.read(ours, o.oursToken()));
    report.print();
    if (report.failedRequests() > 0) {
      System.err.println("race: " + report.failedRequests() + " requests failed (above)");
      System.exit(1);
    }
  }

  /**
   * Half a second of load on each side before anything is timed, thrown away: the first run in this
   * JVM would otherwise pay for loading and compiling the HTTP client (measured: no request
   * completed in the first 0.5 s).
   */
  private static void warmClient(Vertx vertx, Side ours, Side postgis, List<TileCoord> tiles)
      throws InterruptedException {
    for (Side side : new Side[] {ours, postgis}) {
      List<String> paths = tiles.stream().map(t -> side.tile(t, null)).toList();
      LoadRun.run(vertx, side, paths, true, 2, 0, 0.5, LoadRun.REQUEST_IDLE_MS);
    }
  }

  /** Both sides on the same paths, one after the other; who goes first alternates by turn. */
  private static LoadRun.Result[] pair(
      Vertx vertx,
      RaceOptions o,
      int turn,
      Side ours,
      List<String> oursPaths,
      Side postgis,
      List<String> postgisPaths,
      boolean gzip,
      int conns)
      throws InterruptedException {
    LoadRun.Result[] r = new LoadRun.Result[2];
    for (int k = 0; k < 2; k++) {
      boolean oursNow = (k == 0) == (turn % 2 == 0);
      r[oursNow ? 0 : 1] =
          LoadRun.run(
              vertx,
              oursNow ? ours : postgis,
              oursNow ? oursPaths : postgisPaths,
              gzip,
              conns,
              o.warmupSeconds(),
              o.seconds(),
              LoadRun.REQUEST_IDLE_MS);
    }
    return r;
  }

  /** Our tile cache's counters from {@code /metrics}, to show it stayed off. */
  record CacheCounters(double hits, double bytes, double maxBytes) {
    static CacheCounters read(Side ours, String tokenFile) throws Exception {
      if (tokenFile == null) {
        return null;
      }
      String token = Files.readString(Path.of(tokenFile)).strip();
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(ours.base() + "/metrics"))
                      .header("Authorization", "Bearer " + token)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(
            "our /metrics answered " + r.statusCode() + " with the token in " + tokenFile);
      }
      return new CacheCounters(
          metric(r.body(), "tile_cache_hits_total"),
          metric(r.body(), "tile_cache_bytes"),
          metric(r.body(), "tile_cache_max_bytes"));
    }

    private static double metric(String text, String name) {
      double sum = 0;
      boolean found = false;
      for (String line : text.split("\n")) {
        if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          found = true;
        }
      }
      if (!found) {
        throw new IllegalStateException("our /metrics has no " + name);
      }
      return sum;
    }
  }
}
