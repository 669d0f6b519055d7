package io.gridmap.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestServer;
import io.gridmap.server.write.Writer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Point;

/**
 * A live-stream client on the JDK's WebSocket, queueing every text message; it reads as fast as
 * messages come unless {@link #pause paused} (then the JDK stops reading the socket and TCP pushes
 * back on the server). Also the writes the live tests make.
 */
final class LiveClient implements WebSocket.Listener, AutoCloseable {
  static final Principal GATEWAY = new Principal("gateway", Role.ADMIN, "", "test");

  final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
  private final StringBuilder partial = new StringBuilder();
  private volatile boolean paused;
  private volatile boolean owed;
  volatile int closeStatus = -1;
  WebSocket socket;

  /**
   * Connects to {@code /live/ws} + {@code query}; the {@code subscribed} message is left queued.
   */
  static LiveClient connect(TestServer server, String query, String authorization)
      throws Exception {
    LiveClient c = new LiveClient();
    WebSocket.Builder b = server.client().newWebSocketBuilder();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    c.socket =
        b.buildAsync(URI.create("ws://127.0.0.1:" + server.server().port() + "/live/ws" + query), c)
            .get(10, TimeUnit.SECONDS);
    return c;
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      messages.add(new JsonObject(partial.toString()));
      partial.setLength(0);
    }
    if (paused) {
      owed = true;
    } else {
      ws.request(1);
    }
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closeStatus = statusCode;
    return null;
  }

  /** Stops taking messages: the JDK stops reading the socket. */
  void pause() {
    paused = true;
  }

  void resume() {
    paused = false;
    if (owed) {
      owed = false;
      socket.request(1);
    }
  }

  JsonObject next() throws InterruptedException {
    JsonObject m = messages.poll(10, TimeUnit.SECONDS);
    assertThat(m).as("a message within 10 s").isNotNull();
    return m;
  }

  /** Messages until one with {@code version} (a change or a catch-up), that one included. */
  List<JsonObject> until(long version) throws InterruptedException {
    List<JsonObject> out = new ArrayList<>();
    JsonObject m;
    do {
      m = next();
      out.add(m);
    } while (m.getLong("version", -1L) < version);
    return out;
  }

  @Override
  public void close() {
    socket.abort();
  }

  /** The ids of a message's features, in order. */
  static List<Long> ids(JsonObject collection) {
    List<Long> out = new ArrayList<>();
    JsonArray features = collection.getJsonArray("features");
    for (int i = 0; i < features.size(); i++) {
      out.add(features.getJsonObject(i).getLong("id"));
    }
    return out;
  }

  /**
   * Moves forces in one write through the writer, as a positions gateway would.
   *
   * @param to force id -> [lon, lat]
   * @return the write's position in the change log
   */
  static long move(TestServer server, Map<Long, double[]> to) throws Exception {
    return submit(server, to).get(30, TimeUnit.SECONDS).seq();
  }

  static java.util.concurrent.CompletableFuture<Writer.Written> submit(
      TestServer server, Map<Long, double[]> to) {
    Writer writer = server.server().writer();
    Writer.Latest latest = writer.latest();
    return writer.submit(
        new Writer.Write(
            GATEWAY,
            "positions",
            "forces",
            current -> {
              List<Change.Replacement> moved = new ArrayList<>();
              to.forEach(
                  (id, lonLat) -> {
                    Feature f = latest.feature(current, "forces", id);
                    Point p =
                        f.geometry().getFactory().createPoint(new Coordinate(lonLat[0], lonLat[1]));
                    moved.add(
                        new Change.Replacement(f, new Feature(id, p, f.values(), f.personal())));
                  });
              return Change.of("forces", moved);
            }));
  }
}
