package io.gridmap.bench.race;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load: {@code connections} keep-alive HTTP/1.1 connections, each sending its next
 * request when the last one's body has arrived, cycling through the paths (each connection from its
 * own offset), for a warm-up and then a measured window. Requests that complete inside the window
 * are counted, with their latency from send to the last byte of the body. Tiles are asked for with
 * {@code Accept-Encoding: gzip}, as MapLibre asks, and not inflated.
 *
 * <p>A window is stretched until at least {@value #MIN_REQUESTS} requests completed in it (a side
 * whose tiles take seconds), by a minute at most; the rate is over the window as it ran.
 *
 * <p>Vert.x's client on one event loop: a few tens of microseconds per request, far below what
 * either side takes for an uncached tile; it adds the same to both sides' latencies.
 */
final class LoadRun {
  static final int MIN_REQUESTS = 5;
  private static final long MAX_STRETCH_NANOS = 60_000_000_000L;

  /** How long a request may hear nothing before it fails: far beyond any tile's time. */
  static final long REQUEST_IDLE_MS = 30_000;

  private LoadRun() {}

  /**
   * What one run measured.
   *
   * @param requests completed inside the window with a 200 or 204
   * @param errors failed connections or requests, and any other status, warm-up included
   * @param firstError the first of them, or null
   * @param p50Ms median latency, milliseconds
   * @param p99Ms 99th percentile, milliseconds
   * @param perSecond requests per second of the window
   */
  record Result(
      long requests,
      long errors,
      String firstError,
      double p50Ms,
      double p99Ms,
      double perSecond) {}

  /**
   * Loads {@code side} with {@code paths} in turn over {@code connections} for the warm-up then the
   * measured seconds; a request that hears nothing for {@code requestIdleMs} fails (the race gives
   * {@link #REQUEST_IDLE_MS}).
   */
  static Result run(
      Vertx vertx,
      Side side,
      List<String> paths,
      boolean gzip,
      int connections,
      double warmupSeconds,
      double seconds,
      long requestIdleMs)
      throws InterruptedException {
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("no paths to load " + side.name() + " with");
    }
    HttpClientAgent client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setDefaultHost(side.host())
                .setDefaultPort(side.port())
                .setKeepAlive(true)
                .setPipelining(false)
                .setDecompressionSupported(false),
            new PoolOptions().setHttp1MaxSize(connections));
    long from = System.nanoTime() + (long) (warmupSeconds * 1e9);
    Window w = new Window(from, from + (long) (seconds * 1e9), new CountDownLatch(connections));
    Connection[] loops = new Connection[connections];
    for (int k = 0; k < connections; k++) {
      loops[k] =
          new Connection(
              vertx, client, paths, gzip, k * paths.size() / connections, w, requestIdleMs);
      loops[k].next();
    }
    long waitSeconds = (long) (warmupSeconds + seconds) + MAX_STRETCH_NANOS / 1_000_000_000L + 60;
    if (!w.done.await(waitSeconds, TimeUnit.SECONDS)) {
      throw new IllegalStateException(
          side.name() + ": a request did not finish within " + waitSeconds + " s");
    }
    client.close().toCompletionStage().toCompletableFuture().join();
    long n = 0;
    long errors = 0;
    long last = from;
    String firstError = null;
    for (Connection c : loops) {
      n += c.count;
      errors += c.errors;
      last = Math.max(last, c.lastCompleted);
      if (firstError == null) {
        firstError = c.firstError;
      }
    }
    long[] all = new long[(int) n];
    int at = 0;
    for (Connection c : loops) {
      System.arraycopy(c.latencies, 0, all, at, c.count);
      at += c.count;
    }
    Arrays.sort(all);
    double window = Math.max(seconds, (last - from) / 1e9);
    return new Result(
        n, errors, firstError, percentile(all, 0.50), percentile(all, 0.99), n / window);
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, i)] / 1e6;
  }

  /** The measured window, shared by the connections of a run. */
  private record Window(long from, long end, CountDownLatch done, AtomicLong measured) {
    Window(long from, long end, CountDownLatch done) {
      this(from, end, done, new AtomicLong());
    }

    boolean over(long now) {
      return now >= end && (measured.get() >= MIN_REQUESTS || now >= end + MAX_STRETCH_NANOS);
    }
  }

  /**
   * One connection's loop; its callbacks follow one another (each request is sent from the last
   * one's callback), and the run reads its fields after the latch, so it needs no locking.
   */
  private static final class Connection {
    private final Vertx vertx;
    private final HttpClientAgent client;
    private final List<String> paths;
    private final boolean gzip;
    private final Window window;
    private final long idleMs;
    private int next;
    private long[] latencies = new long[1024];
    private int count;
    private long errors;
    private long lastCompleted;
    private String firstError;

    Connection(
        Vertx vertx,
        HttpClientAgent client,
        List<String> paths,
        boolean gzip,
        int offset,
        Window window,
        long idleMs) {
      this.idleMs = idleMs;
      this.vertx = vertx;
      this.client = client;
      this.paths = paths;
      this.gzip = gzip;
      this.next = offset;
      this.window = window;
    }

    void next() {
      long sent = System.nanoTime();
      if (window.over(sent)) {
        window.done().countDown();
        return;
      }
      String path = paths.get(next);
      next = (next + 1) % paths.size();
      // a request that hears nothing for this long fails, named with its path, and the loop goes
      // on: once, in CI, one request waited until the run's own deadline and the whole run was lost
      RequestOptions r =
          new RequestOptions().setMethod(HttpMethod.GET).setURI(path).setIdleTimeout(idleMs);
      if (gzip) {
        r.putHeader("Accept-Encoding", "gzip");
      }
      client
          .request(r)
          .compose(req -> req.send())
          .compose(resp -> resp.body().map(body -> resp.statusCode()))
          .onComplete(
              ar -> {
                long now = System.nanoTime();
                if (ar.succeeded() && (ar.result() == 200 || ar.result() == 204)) {
                  if (sent >= window.from()) {
                    record(now - sent);
                    lastCompleted = now;
                    window.measured().incrementAndGet();
                  }
                  next();
                  return;
                }
                // counted in the warm-up too: a side that fails is broken, not slow
                errors++;
                if (firstError == null) {
                  firstError =
                      path
                          + ": "
                          + (ar.succeeded() ? "status " + ar.result() : ar.cause().toString());
                }
                // a refused connection fails at once: go on from a timer, not from this stack
                vertx.setTimer(1, id -> next());
              });
    }

    private void record(long nanos) {
      if (count == latencies.length) {
        latencies = Arrays.copyOf(latencies, count * 2);
      }
      latencies[count++] = nanos;
    }
  }
}
