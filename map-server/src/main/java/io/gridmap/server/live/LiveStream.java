package io.gridmap.server.live;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.query.crs.SupportedCrs;
import io.gridmap.server.security.LiveTickets;
import io.gridmap.server.security.SecurityHandler;
import io.gridmap.server.security.Visibility;
import io.gridmap.server.web.GeoJsonWriter;
import io.gridmap.server.web.Loaded;
import io.gridmap.server.web.Params;
import io.gridmap.server.web.RouteModule;
import io.gridmap.server.web.Routes;
import io.gridmap.server.write.Writer;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.locationtech.jts.geom.Envelope;

/**
 * {@code GET /live/ws}: a WebSocket on which a command centre receives every change to the live
 * layers (staff positions, events) inside its area, as it becomes visible on the map.
 *
 * <p>Parameters: {@code layers} (comma-separated live layers; default all), and one area: {@code
 * bbox} (WGS84 lon/lat, as in OGC API Features) or {@code unit} (an admin code: district, street,
 * village or grid; a feature is in it when its {@code grid_code} starts with the code); neither
 * means the whole city. Bad parameters are refused with 400 problem+json before the upgrade. A
 * browser, which cannot send {@code Authorization} on a WebSocket, first gets a one-time {@code
 * ticket} with {@code POST /live/tickets} and passes it as a parameter.
 *
 * <p>Messages are JSON text. First {@code {"type":"subscribed", ...}} echoing the subscription;
 * then per change a GeoJSON FeatureCollection with {@code layer} and {@code version} (the change's
 * position in the store's change log) members, holding each changed feature whose old or new
 * position is in the area, with an {@code in_area} member that is false when it just left. What a
 * subscriber sees is its role's visibility class, exactly as in tiles and items: the public never
 * receives a personal feature or field.
 *
 * <p>Changes are encoded on one thread of the stream's own, never on the writer's, in the order
 * they became visible. A subscriber that cannot keep up (its socket's write queue is full) is
 * closed with status 1013 and must reconnect and re-read what it shows: a stream never silently
 * drops a change and keeps going.
 *
 * <p>Every {@code ws_ping_s} the server sends each subscriber a ping; a subscriber that leaves two
 * pings in a row unanswered (browsers and WebSocket libraries answer pongs by themselves) is closed
 * with status 1001, about three intervals after its last pong. A subscriber that answers may stay
 * quiet for as long as it likes: the HTTP idle timeout does not apply to WebSockets.
 */
public final class LiveStream implements RouteModule {
  private final LiveTickets tickets;
  private final Loaded<Writer> writer;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final ExecutorService encoder =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "live-stream");
            t.setDaemon(true);
            return t;
          });
  private final long pingMillis;

  /** Pings in a row a subscriber may leave unanswered; at the next ping time it is closed. */
  static final int UNANSWERED_PINGS = 2;

  private record Subscriber(
      ServerWebSocket socket, Set<String> layers, Envelope bbox, String unit, boolean staff) {
    boolean inArea(LayerDef def, Feature f) {
      if (f == null || (f.personal() && !staff)) {
        return false;
      }
      if (bbox != null && !bbox.intersects(f.geometry().getEnvelopeInternal())) {
        return false;
      }
      if (unit != null) {
        int code = def.fieldIndex("grid_code");
        Object c = code < 0 ? null : f.value(code);
        return c instanceof String s && s.startsWith(unit);
      }
      return true;
    }
  }

  /** The live layers: those whose features change while the server runs. */
  static final List<String> LIVE =
      Catalogue.ALL.stream().filter(LayerDef::live).map(LayerDef::name).toList();

  /**
   * @param tickets the one-time tickets browsers subscribe with
   * @param writer the writer whose visible changes the stream sends
   * @param pingInterval time between pings to each subscriber (the {@code ws_ping_s} setting)
   */
  public LiveStream(LiveTickets tickets, Loaded<Writer> writer, Duration pingInterval) {
    this.tickets = tickets;
    this.writer = writer;
    this.pingMillis = pingInterval.toMillis();
  }

  @Override
  public void mount(Routes router) {
    LiveStream stream = this;
    router.get("/live/ws").setName("/live/ws").handler(stream::subscribe);
    router
        .post("/live/tickets")
        .setName("/live/tickets")
        .handler(
            ctx -> {
              String ticket = tickets.issue(SecurityHandler.principal(ctx));
              ctx.response()
                  .putHeader("Content-Type", "application/json")
                  .putHeader("Cache-Control", "no-store")
                  .end(
                      new io.vertx.core.json.JsonObject()
                          .put("ticket", ticket)
                          .put("expires_in", LiveTickets.TTL.toSeconds())
                          .put("use", "/live/ws?ticket=" + ticket)
                          .encode());
            });
    writer.ready().onSuccess(w -> w.onVisible(stream::publish));
  }

  /** How many subscribers are connected now. */
  public int subscribers() {
    return subscribers.size();
  }

  private void subscribe(RoutingContext ctx) {
    MultiMap q = ctx.queryParams();
    for (String n : q.names()) {
      if (!Set.of("layers", "bbox", "unit", "ticket").contains(n)) {
        throw Params.bad(n, q.get(n), "only the parameters layers, bbox, unit, ticket");
      }
    }
    Set<String> layers = new LinkedHashSet<>(LIVE);
    String l = Params.single(q, "layers");
    if (l != null) {
      layers.clear();
      for (String name : l.split(",", -1)) {
        if (!LIVE.contains(name.trim())) {
          throw Params.bad(
              "layers", l, "a comma-separated list of live layers: " + String.join(", ", LIVE));
        }
        layers.add(name.trim());
      }
    }
    Envelope bbox = q.contains("bbox") ? Params.bbox(q, SupportedCrs.CRS84) : null;
    String unit = Params.single(q, "unit");
    if (unit != null && !unit.matches("\\d{6}|\\d{9}|\\d{12}|\\d{15}")) {
      throw Params.bad(
          "unit",
          unit,
          "an admin code: a district (6 digits), street (9), village (12) or grid (15)");
    }
    if (bbox != null && unit != null) {
      throw Params.bad("unit", unit, "either bbox or unit, not both");
    }
    if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
      throw new io.gridmap.server.web.ApiException(
          426,
          "Upgrade Required",
          "/live/ws is a WebSocket: connect with a WebSocket client (Upgrade: websocket)");
    }
    boolean staff = SecurityHandler.principal(ctx).role().visibility() == Visibility.STAFF;
    ctx.request()
        .toWebSocket()
        .onSuccess(
            ws -> {
              Subscriber s = new Subscriber(ws, layers, bbox, unit, staff);
              subscribers.add(s);
              Pings pings = new Pings(s, ctx.vertx());
              ws.pongHandler(pings::answered);
              ws.closeHandler(v -> pings.stop());
              ws.exceptionHandler(e -> pings.stop());
              ws.textMessageHandler(
                  m -> {}); // clients have nothing to say yet; ignore rather than fail
              io.vertx.core.json.JsonObject hello =
                  new io.vertx.core.json.JsonObject()
                      .put("type", "subscribed")
                      .put("layers", new io.vertx.core.json.JsonArray(new ArrayList<>(layers)))
                      .put("visibility", staff ? "staff" : "public");
              if (bbox != null) {
                hello.put(
                    "bbox",
                    new io.vertx.core.json.JsonArray(
                        List.of(bbox.getMinX(), bbox.getMinY(), bbox.getMaxX(), bbox.getMaxY())));
              }
              if (unit != null) {
                hello.put("unit", unit);
              }
              ws.writeTextMessage(hello.encode());
            });
  }

  /**
   * Pings a subscriber on each tick and closes it when {@link #UNANSWERED_PINGS} pings in a row
   * went unanswered. Ticks and pongs come on the socket's event loop, so the count is plain.
   */
  private final class Pings implements Handler<Long> {
    private final Subscriber subscriber;
    private final Vertx vertx;
    private final long timer;
    private int unanswered;

    Pings(Subscriber subscriber, Vertx vertx) {
      this.subscriber = subscriber;
      this.vertx = vertx;
      this.timer = vertx.setPeriodic(pingMillis, this);
    }

    void answered(Buffer pong) {
      unanswered = 0;
    }

    @Override
    public void handle(Long id) {
      ServerWebSocket ws = subscriber.socket();
      if (unanswered >= UNANSWERED_PINGS) {
        stop();
        ws.close((short) 1001, "no pong to " + unanswered + " pings; reconnect");
        return;
      }
      unanswered++;
      ws.writePing(Buffer.buffer());
    }

    /** No more pings, no more changes: the subscriber is closed or closing. */
    void stop() {
      vertx.cancelTimer(timer);
      subscribers.remove(subscriber);
    }
  }

  /** Called by the writer with each change once readers see it. */
  void publish(Change change, long seq) {
    if (!LIVE.contains(change.layer()) || subscribers.isEmpty()) {
      return;
    }
    long v = seq;
    encoder.execute(
        () -> {
          LayerDef def = Catalogue.byName(change.layer()).orElseThrow();
          for (Subscriber s : subscribers) {
            if (!s.layers().contains(change.layer())) {
              continue;
            }
            List<Feature> features = new ArrayList<>();
            List<Boolean> inArea = new ArrayList<>();
            for (Change.Replacement r : change.replacements()) {
              boolean now = s.inArea(def, r.after());
              if (now || (r.before() != null && s.inArea(def, r.before()))) {
                features.add(r.after());
                inArea.add(now);
              }
            }
            if (features.isEmpty()) {
              continue;
            }
            if (s.socket().writeQueueFull()) {
              subscribers.remove(s);
              s.socket().close((short) 1013, "too slow: reconnect and re-read the live layers");
              continue;
            }
            s.socket().writeTextMessage(encode(def, v, features, inArea, s.staff()));
          }
        });
  }

  private static String encode(
      LayerDef def, long version, List<Feature> features, List<Boolean> inArea, boolean staff) {
    int[] fields =
        staff
            ? java.util.stream.IntStream.range(0, def.fields().size()).toArray()
            : GeoJsonWriter.publicFields(def);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      GeoJsonWriter w = new GeoJsonWriter(out, def, SupportedCrs.CRS84, fields);
      var g = w.json();
      g.writeStartObject();
      g.writeStringField("type", "FeatureCollection");
      g.writeStringField("layer", def.name());
      g.writeNumberField("version", version);
      g.writeArrayFieldStart("features");
      for (int i = 0; i < features.size(); i++) {
        boolean in = inArea.get(i);
        w.feature(features.get(i), j -> j.writeBooleanField("in_area", in));
      }
      g.writeEndArray();
      g.writeEndObject();
      w.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Closes every subscription (server shutdown). */
  public void close() {
    encoder.shutdown();
    subscribers.forEach(s -> s.socket().close((short) 1001, "server shutting down"));
    subscribers.clear();
  }
}
