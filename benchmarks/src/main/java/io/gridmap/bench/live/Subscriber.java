package io.gridmap.bench.live;

import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One staff subscriber of {@code /live/ws?layers=forces,events&unit=<area>} that reads everything
 * as it comes (Vert.x's WebSocket client, on its event loop), and notes for each change it receives
 * when it arrived. A change is known by its feature id and the time the load put into it: a force's
 * {@code updated_at}, or the epoch milliseconds after {@value #NOTE} in an incident's {@code note}.
 * Anything else on the stream (the reports made before the load, a message of another kind) is
 * counted, not timed.
 */
final class Subscriber {
  /** How a transition's note starts; the send time (epoch ms) follows. */
  static final String NOTE = "load t=";

  final int area;
  final String unit;
  final Samples samples = new Samples();
  final Set<Ledger.Key> received = ConcurrentHashMap.newKeySet();
  final CompletableFuture<Void> subscribed = new CompletableFuture<>();
  private final Positions positions;

  /** Told of every force position received. */
  interface Positions {
    /**
     * @return how the force is moved: over HTTP or MQTT (each force is moved one way only)
     */
    Ledger.Source received(long forceId, long time);
  }

  final AtomicLong messages = new AtomicLong();
  final AtomicLong duplicates = new AtomicLong();
  final AtomicLong other = new AtomicLong();
  final AtomicLong catchUps = new AtomicLong();
  final AtomicLong reloads = new AtomicLong();

  /** When it first fell behind or ended (a catch-up, a reload, a close, an error); 0: never. */
  volatile long troubleAt;

  volatile int closeStatus = -1;
  volatile String closeReason;
  volatile Throwable error;

  /**
   * @param positions told of every force position received
   */
  Subscriber(int area, String unit, Positions positions) {
    this.area = area;
    this.unit = unit;
    this.positions = positions;
  }

  /** Reads {@code ws}'s messages from now on. */
  void attach(WebSocket ws) {
    ws.textMessageHandler(this::message);
    ws.closeHandler(v -> closed(ws.closeStatusCode(), ws.closeReason()));
    ws.exceptionHandler(this::failed);
  }

  void message(String text) {
    long now = System.currentTimeMillis();
    try {
      handle(text, now);
    } catch (RuntimeException e) {
      error = e;
      trouble(now);
    }
  }

  private void handle(String text, long now) {
    messages.incrementAndGet();
    JsonObject m = new JsonObject(text);
    String type = m.getString("type");
    if ("subscribed".equals(type)) {
      subscribed.complete(null);
      return;
    }
    if ("reload".equals(type)) {
      reloads.incrementAndGet();
      trouble(now);
      return;
    }
    if (!"FeatureCollection".equals(type)) {
      other.incrementAndGet();
      return;
    }
    if (m.getBoolean("catch_up", false)) {
      // it lagged behind: the server caught it up from the change log (docs/live.md)
      catchUps.incrementAndGet();
      trouble(now);
    }
    boolean events = "events".equals(m.getString("layer"));
    JsonArray features = m.getJsonArray("features");
    for (int i = 0; i < features.size(); i++) {
      JsonObject f = features.getJsonObject(i);
      JsonObject p = f.getJsonObject("properties");
      Long id = f.getLong("id");
      long time = p == null || id == null ? -1 : changeTime(p, events);
      if (time < 0) {
        other.incrementAndGet();
        continue;
      }
      Ledger.Key key = new Ledger.Key(id, time);
      if (!received.add(key)) {
        duplicates.incrementAndGet();
        continue;
      }
      // the stream's message may come before the write's answer: the latency needs only the time
      // carried in the change, the same clock (one machine) as the receive time
      Ledger.Source source = events ? Ledger.Source.TRANSITION : positions.received(id, time);
      samples.add(time, now - time, source);
    }
  }

  /** The time the load put into a change, or -1 for a change the load did not make. */
  private static long changeTime(JsonObject p, boolean events) {
    if (events) {
      String note = p.getString("note");
      if (note == null || !note.startsWith(NOTE)) {
        return -1;
      }
      try {
        return Long.parseLong(note.substring(NOTE.length()).trim());
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    String t = p.getString("updated_at");
    return t == null ? -1 : Instant.parse(t).toEpochMilli();
  }

  private void trouble(long now) {
    if (troubleAt == 0) {
      troubleAt = now;
    }
  }

  private void closed(Short statusCode, String reason) {
    closeStatus = statusCode == null ? 1006 : statusCode; // 1006: closed without a close frame
    closeReason = reason;
    trouble(System.currentTimeMillis());
  }

  private void failed(Throwable e) {
    error = e;
    trouble(System.currentTimeMillis());
    subscribed.completeExceptionally(e);
  }
}
