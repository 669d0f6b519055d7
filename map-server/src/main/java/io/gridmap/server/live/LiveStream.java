package io.gridmap.server.live;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.query.crs.SupportedCrs;
import io.gridmap.server.content.Content;
import io.gridmap.server.security.LiveTickets;
import io.gridmap.server.security.SecurityHandler;
import io.gridmap.server.security.Visibility;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.Loaded;
import io.gridmap.server.web.Params;
import io.gridmap.server.web.RouteModule;
import io.gridmap.server.web.Routes;
import io.gridmap.server.write.Writer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.locationtech.jts.geom.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /live/ws}: a WebSocket on which a command centre receives every change to the live
 * layers (staff positions, events) inside its area, as it becomes visible on the map, and on
 * reconnecting what it missed.
 *
 * <p>Parameters: {@code layers} (comma-separated live layers; default all), one area: {@code bbox}
 * (WGS84 lon/lat, as in OGC API Features) or {@code unit} (an admin code: district, street, village
 * or grid; a feature is in it when its {@code grid_code} starts with the code), neither meaning the
 * whole city; and {@code since}, the version of the last message a reconnecting client received.
 * Bad parameters are refused with 400 problem+json before the upgrade. A browser, which cannot send
 * {@code Authorization} on a WebSocket, first gets a one-time {@code ticket} with {@code POST
 * /live/tickets} and passes it as a parameter.
 *
 * <p>Messages are JSON text. First {@code {"type":"subscribed", "version": ...}}: the subscription
 * and the newest change-log position published. With {@code since}, then per layer a catch-up: a
 * FeatureCollection with {@code "catch_up": true} holding the current version of every feature of
 * the layer changed after {@code since} (read from the store's change log, {@link CatchUp}), or a
 * {@code {"type":"reload"}} when the log no longer holds that position or the gap is too large.
 * Then per change a FeatureCollection with {@code layer} and {@code version} (the change's position
 * in the change log) members, holding each changed feature whose old or new position is in the
 * area, with an {@code in_area} member that is false when it just left. What a subscriber sees is
 * its role's visibility class, exactly as in tiles and items: the public never receives a personal
 * feature or field (a feature it may no longer see comes as its id alone, with {@code in_area}
 * false).
 *
 * <p>No gap and no repeat between catch-up and live: the subscriber is registered first, on the
 * encoder thread, so every change published after that point is encoded for it and held in its
 * buffer; the catch-up then reads the log and the index, both of which already hold every change
 * published before that point; the buffer follows the catch-up. A feature whose change falls
 * between the two readings is sent twice, its newer version last; a client that applies messages in
 * order ends with the newest.
 *
 * <p>Changes are encoded on one thread of the stream's own, never on the writer's, in the order
 * they became visible; writes to sockets never block it. Each subscriber has a queue of at most
 * {@link #QUEUE_BYTES} (plus one message): bytes written that Netty has not handed to the kernel
 * yet. When it is full the subscriber is lagging and gets nothing more; once its queue drains to
 * half it is caught up from the change log like a reconnecting client, and when it stays full for
 * {@code ws_stall_s} it is closed with status 1013 naming the {@code since} to reconnect with, and,
 * since a client that reads nothing never reads that close frame either, its TCP connection is
 * reset {@link #CLOSE_GRACE} later.
 *
 * <p>Every {@code ws_ping_s} the server sends each subscriber a ping; a subscriber that leaves two
 * pings in a row unanswered (browsers and WebSocket libraries answer pongs by themselves) is closed
 * with status 1001, about three intervals after its last pong. A subscriber that answers may stay
 * quiet for as long as it likes: the HTTP idle timeout does not apply to WebSockets.
 */
public final class LiveStream implements RouteModule {
  private static final Logger LOG = LoggerFactory.getLogger(LiveStream.class);

  /**
   * A subscriber's queue: 1 MiB is a few seconds of the busiest stream (5,000 positions a second
   * city-wide are about 1.7 MB/s), so a client on a slow link is not cut for a burst.
   */
  static final int QUEUE_BYTES = 1 << 20;

  /** Live messages held for a subscriber while its catch-up is read; beyond, another round. */
  static final int BUFFER_BYTES = 4 << 20;

  /**
   * Between closing a stalled subscriber with a close frame and resetting its TCP connection: a
   * client that still reads gets the frame and its reason; one that does not holds the socket open.
   */
  static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

  /** Pings in a row a subscriber may leave unanswered; at the next ping time it is closed. */
  static final int UNANSWERED_PINGS = 2;

  /** The live layers: those whose features change while the server runs. */
  static final List<String> LIVE =
      Catalogue.ALL.stream().filter(LayerDef::live).map(LayerDef::name).toList();

  /**
   * The admin layers planners edit (grids today): an edit is no stream of features but a notice
   * that the map under the subscriber changed, so its tiles and items there are read again.
   */
  static final List<String> EDITED =
      Catalogue.ALL.stream().filter(LayerDef::coverage).map(LayerDef::name).toList();

  private final LiveTickets tickets;
  private final Loaded<Content> content;
  private final Loaded<Writer> writer;
  private final long pingMillis;
  private final long stallMillis;
  private final CatchUp.Limits limits;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final ExecutorService encoder = daemonThreads("live-stream", 1);
  private final ExecutorService reader = daemonThreads("live-catch-up", 2);
  private final StreamPosition position = new StreamPosition();
  private final LongAdder stalled = new LongAdder();

  /**
   * @param tickets the one-time tickets browsers subscribe with
   * @param content the index catch-ups read the current features from
   * @param writer the writer whose visible changes the stream sends, and whose change log catch-ups
   *     read
   * @param pingInterval time between pings to each subscriber (the {@code ws_ping_s} setting)
   * @param stall how long a subscriber's queue may stay full before it is closed ({@code
   *     ws_stall_s})
   */
  public LiveStream(
      LiveTickets tickets,
      Loaded<Content> content,
      Loaded<Writer> writer,
      Duration pingInterval,
      Duration stall) {
    this(tickets, content, writer, pingInterval, stall, CatchUp.Limits.DEFAULT);
  }

  LiveStream(
      LiveTickets tickets,
      Loaded<Content> content,
      Loaded<Writer> writer,
      Duration pingInterval,
      Duration stall,
      CatchUp.Limits limits) {
    this.tickets = tickets;
    this.content = content;
    this.writer = writer;
    this.pingMillis = pingInterval.toMillis();
    this.stallMillis = stall.toMillis();
    this.limits = limits;
  }

  private static ExecutorService daemonThreads(String name, int n) {
    AtomicInteger count = new AtomicInteger();
    return Executors.newFixedThreadPool(
        n,
        r -> {
          Thread t = new Thread(r, n == 1 ? name : name + "-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
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
                      new JsonObject()
                          .put("ticket", ticket)
                          .put("expires_in", LiveTickets.TTL.toSeconds())
                          .put("use", "/live/ws?ticket=" + ticket)
                          .encode());
            });
    // Runs on the loader thread as the writer is handed over, before a request can have used it:
    // the position read here is the one the index was loaded at.
    writer.ready().onSuccess(w -> stream.start(w));
  }

  private void start(Writer w) {
    long baseline;
    try {
      baseline = w.loadedPosition();
    } catch (RuntimeException e) {
      LOG.error("live stream: cannot read the change log's position; starting from 0", e);
      baseline = 0;
    }
    long b = baseline;
    position.visible(b);
    encoder.execute(() -> position.start(b));
    w.onVisible(this::publish);
  }

  /** How many subscribers are connected now. */
  public int subscribers() {
    return subscribers.size();
  }

  /** Subscribers closed since start because their queue stayed full for {@code ws_stall_s}. */
  public long stalledSubscribers() {
    return stalled.sum();
  }

  private void subscribe(RoutingContext ctx) {
    MultiMap q = ctx.queryParams();
    for (String n : q.names()) {
      if (!Set.of("layers", "bbox", "unit", "since", "ticket").contains(n)) {
        throw Params.bad(n, q.get(n), "only the parameters layers, bbox, unit, since, ticket");
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
    String rawSince = Params.single(q, "since");
    long since = rawSince == null ? -1 : since(rawSince);
    long newest = since < 0 ? -1 : newest();
    if (since > newest) {
      throw Params.bad(
          "since",
          rawSince,
          SINCE
              + "; the newest is "
              + newest
              + " (a version from the future: was the store replaced? Reload the layers and"
              + " subscribe without since)");
    }
    if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
      throw new ApiException(
          426,
          "Upgrade Required",
          "/live/ws is a WebSocket: connect with a WebSocket client (Upgrade: websocket)");
    }
    newest(); // versions and catch-ups need the change log and the index: 503 while loading
    boolean staff = SecurityHandler.principal(ctx).role().visibility() == Visibility.STAFF;
    // the TCP connection under the WebSocket, to reset it when a close frame cannot get through:
    // vertx-web wraps the socket and hides Vert.x's own, but the request's connection is the
    // channel's (an internal class of Vert.x; LiveStreamStallTest fails if that changes)
    Channel channel = ctx.request().connection() instanceof ConnectionBase c ? c.channel() : null;
    ctx.request()
        .toWebSocket()
        .onSuccess(
            ws -> {
              Subscriber s = new Subscriber(ws, channel, ctx.vertx(), layers, bbox, unit, staff);
              Pings pings = new Pings(s);
              ws.pongHandler(pings::answered);
              ws.closeHandler(
                  v -> {
                    pings.stop();
                    detach(s);
                  });
              ws.exceptionHandler(e -> pings.stop());
              ws.textMessageHandler(
                  m -> {}); // clients have nothing to say yet; ignore rather than fail
              onEncoder(() -> open(s, since < 0 ? null : since));
            });
  }

  /**
   * The newest position the writer has made visible, or a 503 while the map (and so the stream) is
   * loading.
   */
  private long newest() {
    writer.get();
    content.get();
    long published = position.published();
    if (published < 0) {
      throw ApiException.unavailable("the live stream is starting; try again in a moment");
    }
    // the encoder may deliver a change before the writer's thread, just past queueing it, records
    // it as visible: a client that got that message and reconnects at once asks since its version
    // (LiveStreamCatchUpTest saw a 400 "from the future" in CI). A published position is past the
    // since check too: its task is on the encoder already, so the subscription queues behind it.
    return Math.max(position.visible(), published);
  }

  private static final String SINCE =
      "the version of the last message received: an integer from 0 to the newest this server has"
          + " sent";

  /** The {@code since} parameter's form: a non-negative integer. */
  private static long since(String raw) {
    try {
      long v = Long.parseLong(raw.trim());
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw Params.bad("since", raw, SINCE);
  }

  // ---- on the encoder thread from here on, unless said otherwise ----

  private void onEncoder(Runnable task) {
    try {
      encoder.execute(task);
    } catch (RejectedExecutionException e) {
      // shutting down: every subscriber is being closed
    }
  }

  /** Says hello, registers the subscriber, and starts its catch-up if it asked for one. */
  private void open(Subscriber s, Long since) {
    if (s.state == Subscriber.State.CLOSED) {
      return;
    }
    long at = position.published();
    write(s, LiveMessage.subscribed(new ArrayList<>(s.layers), s.staff, s.bbox, s.unit, at, since));
    subscribers.add(s);
    if (since == null) {
      s.state = Subscriber.State.LIVE;
    } else {
      catchUp(s, since);
    }
  }

  /**
   * Called by the writer, on its thread, with each change once readers see it: queued for the
   * encoder, which sees changes in the writer's order.
   */
  void publish(Change change, long seq) {
    onEncoder(
        () -> {
          position.published(seq);
          if (LIVE.contains(change.layer()) && !subscribers.isEmpty()) {
            deliver(change, seq);
          } else if (EDITED.contains(change.layer()) && !subscribers.isEmpty()) {
            deliverEdit(change, seq);
          }
        });
    // after queueing: a subscription that passed the since check with this position is queued
    // behind it
    position.visible(seq);
  }

  private void deliver(Change change, long seq) {
    // only the catalogue's live layers reach here (publish checks LIVE); an imported layer is never
    // live, its changes come from a re-import
    LayerDef def = Catalogue.byName(change.layer()).orElse(null);
    if (def == null) {
      return;
    }
    for (Subscriber s : subscribers) {
      if (!s.layers.contains(change.layer())
          || s.state == Subscriber.State.LAGGING
          || s.state == Subscriber.State.CLOSED) {
        continue;
      }
      List<LiveMessage.Entry> entries = new ArrayList<>();
      for (Change.Replacement r : change.replacements()) {
        Feature after = r.after();
        if (after == null) {
          // retired: those that showed it drop it; its id only, since it is nowhere now
          if (s.inArea(def, r.before())) {
            entries.add(LiveMessage.Entry.retired(r.id()));
          }
        } else if (s.inArea(def, after)) {
          entries.add(new LiveMessage.Entry(after, true, true));
        } else if (r.before() != null && s.inArea(def, r.before())) {
          // it left the area (shown where it went), or the subscriber may no longer see it (its id)
          entries.add(new LiveMessage.Entry(after, false, s.sees(after)));
        }
      }
      if (entries.isEmpty()) {
        continue;
      }
      LiveMessage m =
          LiveMessage.features(LiveMessage.Kind.CHANGE, def, seq, seq, entries, s.staff);
      if (s.state == Subscriber.State.CATCHING_UP) {
        hold(s, m);
      } else {
        send(s, m);
      }
    }
  }

  /**
   * An edit of an admin layer, to every subscriber whose area it touches: a unit subscription when
   * a changed feature's code lies under the unit (a street's command centre hears of its grids), a
   * box when a changed outline, old or new, crosses it, the whole city always. Whatever the layers
   * subscribed: the base map changed under every live layer.
   */
  private void deliverEdit(Change change, long seq) {
    LayerDef def = Catalogue.byName(change.layer()).orElse(null);
    if (def == null) {
      return;
    }
    int code = def.fieldIndex("code");
    for (Subscriber s : subscribers) {
      if (s.state == Subscriber.State.LAGGING || s.state == Subscriber.State.CLOSED) {
        continue;
      }
      List<Long> ids = new ArrayList<>();
      org.locationtech.jts.geom.Envelope area = new org.locationtech.jts.geom.Envelope();
      for (Change.Replacement r : change.replacements()) {
        if ((r.after() != null && s.touches(r.after(), code))
            || (r.before() != null && s.touches(r.before(), code))) {
          ids.add(r.id());
          if (r.after() != null) {
            area.expandToInclude(r.after().geometry().getEnvelopeInternal());
          }
          if (r.before() != null) {
            area.expandToInclude(r.before().geometry().getEnvelopeInternal());
          }
        }
      }
      if (ids.isEmpty()) {
        continue;
      }
      LiveMessage m = LiveMessage.edit(def.name(), seq, ids, area);
      if (s.state == Subscriber.State.CATCHING_UP) {
        hold(s, m);
      } else {
        send(s, m);
      }
    }
  }

  /** Keeps a live message for a subscriber that is catching up. */
  private static void hold(Subscriber s, LiveMessage m) {
    if (s.overflowed) {
      return;
    }
    if (s.bufferedBytes + m.bytes() > BUFFER_BYTES) {
      // the catch-up is slower than the stream: drop the buffer, read the log again afterwards
      s.overflowed = true;
      s.buffer.clear();
      s.bufferedBytes = 0;
      return;
    }
    s.buffer.add(m);
    s.bufferedBytes += m.bytes();
  }

  /** Writes a message unless the subscriber's queue is full, in which case it now lags. */
  private boolean send(Subscriber s, LiveMessage m) {
    if (s.pendingBytes.get() >= QUEUE_BYTES) {
      lag(s, s.lastSent);
      return false;
    }
    write(s, m);
    return true;
  }

  private void write(Subscriber s, LiveMessage m) {
    s.pendingBytes.addAndGet(m.bytes());
    s.lastSent = m.version();
    // completes on the socket's event loop once Netty has handed the bytes to the kernel, or failed
    s.socket.writeTextMessage(m.text()).onComplete(ar -> written(s, m.bytes()));
  }

  /** On the socket's event loop: bytes left the queue. */
  private void written(Subscriber s, int bytes) {
    long left = s.pendingBytes.addAndGet(-bytes);
    if (left < QUEUE_BYTES / 2 && s.resumeWhenDrained.compareAndSet(true, false)) {
      onEncoder(() -> resume(s));
    }
  }

  /**
   * The subscriber's queue is full: it gets nothing more until the queue drains to half, then a
   * catch-up from {@code from}, the last version it can have; if the queue stays full for {@code
   * ws_stall_s} it is closed.
   */
  private void lag(Subscriber s, long from) {
    s.state = Subscriber.State.LAGGING;
    s.resumeFrom = from;
    s.buffer.clear();
    s.bufferedBytes = 0;
    int epoch = ++s.lagEpoch;
    s.vertx.setTimer(
        Math.max(1, stallMillis),
        id ->
            onEncoder(
                () -> {
                  if (s.state == Subscriber.State.LAGGING && s.lagEpoch == epoch) {
                    stall(s);
                  }
                }));
    s.resumeWhenDrained.set(true);
    // the queue may have drained between the check and the flag: then nobody else will resume it
    if (s.pendingBytes.get() < QUEUE_BYTES / 2 && s.resumeWhenDrained.compareAndSet(true, false)) {
      resume(s);
    }
  }

  private void resume(Subscriber s) {
    if (s.state == Subscriber.State.LAGGING) {
      catchUp(s, s.resumeFrom);
    }
  }

  /** Closes a subscriber whose queue stayed full: 1013, then the TCP connection itself. */
  private void stall(Subscriber s) {
    stalled.increment();
    detachNow(s);
    LOG.info(
        "live stream: closing {}: its queue stayed full for {} ms",
        s.socket.remoteAddress(),
        stallMillis);
    s.socket.close((short) 1013, "too slow: reconnect with ?since=" + s.resumeFrom);
    resetLater(s);
  }

  /**
   * Starts a catch-up round: live messages wait in the buffer from now on, the log and the index
   * are read on a reader thread, and the encoder sends the result and then the buffer.
   *
   * @param since the last version the client can have
   */
  private void catchUp(Subscriber s, long since) {
    s.state = Subscriber.State.CATCHING_UP;
    s.buffer.clear();
    s.bufferedBytes = 0;
    s.overflowed = false;
    int round = ++s.round;
    long at = position.published();
    long from = position.groupStart(since);
    try {
      reader.execute(
          () -> {
            List<LiveMessage> found = read(s, since, from, at);
            onEncoder(() -> handOver(s, round, since, at, found));
          });
    } catch (RejectedExecutionException e) {
      // shutting down
    }
  }

  /**
   * On a reader thread: what changed in the subscriber's layers after {@code from}, as one catch-up
   * message per layer versioned {@code at}, or a reload message.
   */
  private List<LiveMessage> read(Subscriber s, long since, long from, long at) {
    try {
      Writer w = writer.get();
      CatchUp.Result r =
          CatchUp.read(
              new CatchUp.Log() {
                @Override
                public List<io.gridmap.layers.edit.LoggedChange> changesAfter(
                    long after, int limit) {
                  return w.changesAfter(after, limit);
                }

                @Override
                public io.gridmap.layers.edit.LogRange logRange() {
                  return w.logRange();
                }
              },
              from,
              s.layers,
              limits);
      if (r instanceof CatchUp.Reload reload) {
        return List.of(LiveMessage.reload(reload.reason(), at, since));
      }
      CityIndex index = content.get().index();
      List<LiveMessage> out = new ArrayList<>();
      for (Map.Entry<String, Set<Long>> e : ((CatchUp.Changed) r).ids().entrySet()) {
        // the log may hold changes of layers outside the catalogue (a re-import): no subscriber
        // streams those, so they are passed over rather than failing the whole catch-up
        LayerDef def = Catalogue.byName(e.getKey()).filter(LayerDef::live).orElse(null);
        if (def == null) {
          continue;
        }
        LayerIndex layer = index.findLayer(def.name()).orElse(null);
        List<LiveMessage.Entry> entries = new ArrayList<>();
        for (long id : e.getValue()) {
          Feature f = layer == null ? null : layer.byId(id).orElse(null);
          if (f == null) {
            // retired since (or, rarely, a write the index could not take: it shows after a
            // restart): the log does not say where it was, so every subscriber of the layer drops
            // its id
            entries.add(LiveMessage.Entry.retired(id));
            continue;
          }
          boolean in = s.inArea(def, f);
          entries.add(new LiveMessage.Entry(f, in, in));
        }
        out.add(LiveMessage.features(LiveMessage.Kind.CATCH_UP, def, at, since, entries, s.staff));
      }
      return out;
    } catch (RuntimeException e) {
      LOG.error("live stream: a catch-up since {} failed", since, e);
      return List.of(
          LiveMessage.reload("the change log could not be read: reload the layers", at, since));
    }
  }

  /** Sends a finished catch-up, then the live messages that came meanwhile. */
  private void handOver(Subscriber s, int round, long since, long at, List<LiveMessage> caughtUp) {
    if (s.state != Subscriber.State.CATCHING_UP || s.round != round) {
      return;
    }
    if (s.pendingBytes.get() >= QUEUE_BYTES) {
      lag(s, since); // nothing of this round reached it
      return;
    }
    caughtUp.forEach(m -> write(s, m));
    if (s.overflowed) {
      catchUp(s, at);
      return;
    }
    s.state = Subscriber.State.LIVE;
    while (!s.buffer.isEmpty()) {
      if (!send(s, s.buffer.poll())) {
        return;
      }
    }
    s.bufferedBytes = 0;
  }

  /** Any thread: the subscriber is gone (closed by the client or the server). */
  private void detach(Subscriber s) {
    subscribers.remove(s);
    onEncoder(() -> detachNow(s));
  }

  private void detachNow(Subscriber s) {
    subscribers.remove(s);
    s.state = Subscriber.State.CLOSED;
    s.buffer.clear();
    s.bufferedBytes = 0;
  }

  /**
   * Resets the subscriber's TCP connection after {@link #CLOSE_GRACE} if it is still open. A close
   * frame waits behind everything queued for a client that reads nothing, so Vert.x's own closing
   * timeout, which starts once the frame is written, never starts; and a plain close would leave
   * the kernel sending the queued bytes into a zero window. With SO_LINGER 0 the close is a reset
   * and the send buffer is dropped.
   */
  private static void resetLater(Subscriber s) {
    Channel ch = s.channel;
    if (ch == null) {
      LOG.warn(
          "live stream: cannot reach the TCP connection of {} to reset it",
          s.socket.remoteAddress());
      return;
    }
    s.vertx.setTimer(
        CLOSE_GRACE.toMillis(),
        id -> {
          if (ch.isOpen()) {
            LOG.info("live stream: resetting {}, which did not close", s.socket.remoteAddress());
            ch.config().setOption(ChannelOption.SO_LINGER, 0);
            // from the first handler's context the close goes straight to the transport: Vert.x's
            // handler, further on, would turn it into another close frame and wait for the client
            ChannelHandlerContext first = ch.pipeline().firstContext();
            if (first != null) {
              first.close();
            } else {
              ch.close();
            }
          }
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

    Pings(Subscriber subscriber) {
      this.subscriber = subscriber;
      this.vertx = subscriber.vertx;
      this.timer = vertx.setPeriodic(pingMillis, this);
    }

    void answered(Buffer pong) {
      unanswered = 0;
    }

    @Override
    public void handle(Long id) {
      ServerWebSocket ws = subscriber.socket;
      if (unanswered >= UNANSWERED_PINGS) {
        stop();
        detach(subscriber);
        ws.close((short) 1001, "no pong to " + unanswered + " pings; reconnect");
        resetLater(subscriber);
        return;
      }
      unanswered++;
      ws.writePing(Buffer.buffer());
    }

    /** No more pings: the subscriber is closed or closing. */
    void stop() {
      vertx.cancelTimer(timer);
    }
  }

  /** Closes every subscription (server shutdown). */
  public void close() {
    encoder.shutdown();
    reader.shutdownNow();
    subscribers.forEach(s -> s.socket.close((short) 1001, "server shutting down"));
    subscribers.clear();
  }
}
