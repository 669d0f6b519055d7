package io.gridmap.bench.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A staff subscriber of one node's live stream ({@code /live/ws?layers=forces}, the whole city, the
 * admin token), as a command centre connects: it notes when each force position first arrived
 * ({@link System#nanoTime()}, the clock the writes are timed with), whether the benchmark waits for
 * it or not. A catch-up, a reload or a close means the subscriber fell behind or was dropped: the
 * benchmark reports it and fails.
 */
final class LiveSubscriber extends io.gridmap.bench.TextMessages {
  final String node;
  private final Map<Move, CompletableFuture<Long>> arrivals = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
  final AtomicLong messages = new AtomicLong();
  final AtomicLong catchUps = new AtomicLong();
  final AtomicLong reloads = new AtomicLong();
  volatile String closed;
  private WebSocket socket;

  private LiveSubscriber(String node) {
    this.node = node;
  }

  /** Connects to {@code base}'s stream and waits (10 s at most) for its "subscribed". */
  static LiveSubscriber connect(String node, String base, String token) throws Exception {
    LiveSubscriber s = new LiveSubscriber(node);
    s.socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .header("Authorization", "Bearer " + token)
            .buildAsync(URI.create(base.replace("http:", "ws:") + "/live/ws?layers=forces"), s)
            .get(10, TimeUnit.SECONDS);
    s.subscribed.get(10, TimeUnit.SECONDS);
    return s;
  }

  /**
   * When {@code move} arrived, waiting for it up to {@code timeoutMs}; -1 if it did not.
   *
   * @return a {@link System#nanoTime()} value
   */
  long await(Move move, long timeoutMs) throws InterruptedException {
    try {
      return arrival(move).get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return -1;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /** When {@code move} arrived, or -1 if it has not. */
  long arrived(Move move) {
    CompletableFuture<Long> f = arrivals.get(move);
    return f == null || !f.isDone() ? -1 : f.join();
  }

  private CompletableFuture<Long> arrival(Move move) {
    return arrivals.computeIfAbsent(move, k -> new CompletableFuture<>());
  }

  /** What went wrong on the stream, or null. */
  String trouble() {
    if (closed != null) {
      return node + "'s stream closed: " + closed;
    }
    if (catchUps.get() > 0 || reloads.get() > 0) {
      return node
          + "'s subscriber fell behind: "
          + catchUps.get()
          + " catch-ups, "
          + reloads.get()
          + " reloads";
    }
    return null;
  }

  void close() {
    socket.abort();
  }

  @Override
  protected void message(String text) {
    long now = System.nanoTime();
    try {
      handle(new JsonObject(text), now);
    } catch (RuntimeException e) {
      closed = "a message it could not read (" + e + "): " + text;
    }
  }

  private void handle(JsonObject m, long now) {
    messages.incrementAndGet();
    String type = m.getString("type");
    if ("subscribed".equals(type)) {
      subscribed.complete(null);
      return;
    }
    if ("reload".equals(type)) {
      reloads.incrementAndGet();
      return;
    }
    if (!"FeatureCollection".equals(type)) {
      return;
    }
    if (m.getBoolean("catch_up", false)) {
      catchUps.incrementAndGet();
    }
    JsonArray features = m.getJsonArray("features");
    for (int i = 0; i < features.size(); i++) {
      JsonObject f = features.getJsonObject(i);
      JsonObject g = f.getJsonObject("geometry");
      if (g == null || f.getLong("id") == null) {
        continue;
      }
      JsonArray xy = g.getJsonArray("coordinates");
      arrival(Move.of(f.getLong("id"), xy.getDouble(0), xy.getDouble(1))).complete(now);
    }
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closed = statusCode + " " + reason;
    subscribed.completeExceptionally(new IllegalStateException(node + " closed: " + closed));
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable e) {
    closed = e.toString();
    subscribed.completeExceptionally(e);
  }
}
