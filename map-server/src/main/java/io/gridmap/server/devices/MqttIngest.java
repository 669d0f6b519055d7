package io.gridmap.server.devices;

import io.gridmap.server.config.MqttSettings;
import io.gridmap.server.devices.DeviceSink.Outcome;
import io.gridmap.server.ops.ServerMetrics;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.messages.MqttConnAckMessage;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubAckMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes device alarms and positions from an MQTT broker (MQTT 3.1.1) and hands them to a {@link
 * DeviceSink}, losing nothing the broker was told is done:
 *
 * <ul>
 *   <li>One fixed client id with a persistent session ({@code cleanSession=false}): the broker
 *       keeps the subscriptions and queues QoS 1 messages while the server is away, and delivers
 *       them when it comes back under the same id.
 *   <li>Subscriptions at QoS 1 with the client's automatic acknowledgement off: a message's PUBACK
 *       is sent only once the sink's future for it has completed normally (committed). Acks go out
 *       in the order the messages arrived, as MQTT 3.1.1 (4.6) asks: a message that commits early
 *       waits for the ones before it.
 *   <li>When the sink fails (the store is down) nothing more is acknowledged on that connection:
 *       the ingest disconnects and connects again after a backoff, and the broker redelivers every
 *       unacknowledged message (MQTT 3.1.1 redelivers only on a new connection, and Mosquitto sends
 *       at most {@code max_inflight_messages}, 20 by default, before waiting for acks, so waiting
 *       on the same connection would stall it).
 *   <li>A malformed message (bad topic, payload, member) is acknowledged, so that the broker does
 *       not deliver it forever, counted and logged with its topic; the next message is read as
 *       usual.
 *   <li>A lost connection is made again after 1 s, doubling to at most 30 s while attempts fail.
 * </ul>
 *
 * Duplicates are the sink's to judge ({@link DeviceSink}, {@link DedupingSink}). Everything here
 * runs on one Vert.x event-loop context; see docs/devices.md.
 */
public final class MqttIngest {
  private static final Logger LOG = LoggerFactory.getLogger(MqttIngest.class);

  /** The first wait before connecting again. */
  public static final Duration MIN_BACKOFF = Duration.ofSeconds(1);

  /** The longest wait before connecting again. */
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /** How long {@link #close()} waits for messages being stored, to acknowledge them. */
  public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(5);

  /** Seconds between PINGREQs on a quiet connection; a missing PINGRESP drops the connection. */
  static final int KEEP_ALIVE_S = 30;

  /** How long a connection may take from the TCP connect to the CONNACK. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * The largest packet the client decodes: MQTT's own limit. A smaller one would not refuse an
   * oversized message, it would break the connection's decoder for good, and the broker would send
   * the same message again on every reconnect: the parser refuses big payloads instead ({@link
   * DeviceMessageParser#MAX_PAYLOAD_BYTES}); a broker should bound them ({@code
   * message_size_limit}).
   */
  static final int MAX_PACKET_BYTES = 268_435_455;

  /** Malformed messages logged per minute; the rest are counted, and the count logged. */
  static final int MALFORMED_LOGS_PER_MINUTE = 20;

  private final Vertx vertx;
  private final Context ctx;
  private final MqttSettings settings;
  private final DeviceMessageParser parser;
  private final DeviceSink sink;
  private final Stats stats;
  private final Promise<Void> subscribedOnce = Promise.promise();

  // the state below is touched on ctx only
  private Session current;
  private long reconnectTimer = -1;
  private int connectFailures;
  private int sinkFailures;
  private boolean started;
  private Promise<Void> closed;
  private long malformedWindowStart;
  private int malformedLogged;
  private long malformedUnlogged;

  /**
   * @param settings the broker, client id and topic prefix; must be {@linkplain
   *     MqttSettings#enabled() enabled}
   * @param sink where well-formed messages go; wrap it in a {@link DedupingSink} to drop recent
   *     duplicates without asking it
   */
  public MqttIngest(Vertx vertx, MqttSettings settings, DeviceSink sink) {
    this(vertx, settings, sink, new Stats());
  }

  /**
   * @param stats the counters to add to: one set across the connections of several ingests in turn
   *     ({@link WriterIngest})
   */
  public MqttIngest(Vertx vertx, MqttSettings settings, DeviceSink sink, Stats stats) {
    if (!settings.enabled()) {
      throw new IllegalArgumentException("mqtt_url is empty: MQTT ingest is off");
    }
    this.vertx = vertx;
    this.ctx = vertx.getOrCreateContext();
    this.settings = settings;
    this.parser = new DeviceMessageParser(new DeviceTopics(settings.topicPrefix()));
    this.sink = sink;
    this.stats = stats;
  }

  /** The topic scheme in use. */
  public DeviceTopics topics() {
    return parser.topics();
  }

  public Stats stats() {
    return stats;
  }

  /**
   * Starts connecting, and keeps trying until {@link #close()}.
   *
   * @return completes when the first connection's subscriptions are granted; a server need not wait
   *     for it (an unreachable broker is retried with backoff and logged)
   */
  public Future<Void> start() {
    ctx.runOnContext(
        v -> {
          if (!started && closed == null) {
            started = true;
            LOG.info(
                "MQTT: connecting to {} as client id {}, topics {}",
                settings.url(),
                settings.clientId(),
                topics().filters());
            connect();
          }
        });
    return subscribedOnce.future();
  }

  /** Closes after waiting up to {@link #DEFAULT_DRAIN} for messages being stored. */
  public Future<Void> close() {
    return close(DEFAULT_DRAIN);
  }

  /**
   * Stops taking messages, waits up to {@code drain} for those being stored and acknowledges those
   * committed in time, then disconnects (the session stays at the broker, with every message not
   * acknowledged). Later completions of the sink are ignored.
   */
  public Future<Void> close(Duration drain) {
    Promise<Void> done = Promise.promise();
    ctx.runOnContext(
        v -> {
          if (closed != null) {
            closed.future().onComplete(done);
            return;
          }
          closed = done;
          if (reconnectTimer >= 0) {
            vertx.cancelTimer(reconnectTimer);
            reconnectTimer = -1;
          }
          Session s = current;
          if (s == null) {
            finishClose();
          } else if (s.pending.isEmpty()) {
            drop(s, null);
          } else {
            vertx.setTimer(
                Math.max(1, drain.toMillis()),
                t -> {
                  if (!s.dead) {
                    LOG.warn(
                        "MQTT: closing with {} message(s) not yet stored; the broker keeps them for the next start",
                        s.pending.size());
                    drop(s, null);
                  }
                });
          }
        });
    return done.future();
  }

  /** Registers the counters at {@code /metrics}. */
  public void bindMetrics(ServerMetrics metrics) {
    stats.bind(metrics);
  }

  // ---------------------------------------------------------------- connection

  /** One connection: its client and the messages taken on it, in arrival order. */
  private static final class Session {
    final MqttClient client;
    final ArrayDeque<Pending> pending = new ArrayDeque<>();
    boolean connected;
    boolean dead;

    Session(MqttClient client) {
      this.client = client;
    }
  }

  /** A message taken and not yet acknowledged. */
  private static final class Pending {
    final MqttPublishMessage message;
    boolean done;

    Pending(MqttPublishMessage message) {
      this.message = message;
    }
  }

  private void connect() {
    reconnectTimer = -1;
    if (closed != null) {
      return;
    }
    MqttClientOptions o =
        new MqttClientOptions()
            .setClientId(settings.clientId())
            .setAutoGeneratedClientId(false)
            .setCleanSession(false)
            .setKeepAliveInterval(KEEP_ALIVE_S)
            .setMaxMessageSize(MAX_PACKET_BYTES);
    o.setAutoAck(false);
    o.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
    MqttClient client = MqttClient.create(vertx, o);
    Session s = new Session(client);
    current = s;
    client.publishHandler(m -> onMessage(s, m));
    client.subscribeCompletionHandler(ack -> onSubscribed(s, ack));
    client.closeHandler(v -> onClosed(s));
    client.exceptionHandler(
        e -> LOG.warn("MQTT: connection to {}: {}", settings.url(), String.valueOf(e)));
    long timeout =
        vertx.setTimer(
            CONNECT_TIMEOUT.toMillis() + 1000,
            t -> {
              if (!s.connected && !s.dead) {
                connectFailures++;
                drop(s, "no CONNACK within " + CONNECT_TIMEOUT.toSeconds() + " s");
              }
            });
    client
        .connect(settings.port(), settings.host())
        .onComplete(
            ar -> {
              vertx.cancelTimer(timeout);
              if (s.dead) {
                return;
              }
              if (ar.failed()) {
                connectFailures++;
                drop(s, "cannot connect: " + ar.cause().getMessage());
                return;
              }
              MqttConnAckMessage ack = ar.result();
              if (ack.code() != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                connectFailures++;
                drop(s, "connection refused: " + ack.code());
                return;
              }
              s.connected = true;
              LOG.info(
                  "MQTT: connected to {} as {}, {}",
                  settings.url(),
                  settings.clientId(),
                  ack.isSessionPresent()
                      ? "session resumed"
                      : "new session (nothing was queued for this client id)");
              // subscribing on every connection, not only to a new session: a changed prefix or
              // a broker that lost its store still ends up subscribed
              Map<String, Integer> filters = new LinkedHashMap<>();
              for (String f : topics().filters()) {
                filters.put(f, MqttQoS.AT_LEAST_ONCE.value());
              }
              client
                  .subscribe(filters)
                  .onFailure(e -> drop(s, "cannot subscribe: " + e.getMessage()));
            });
  }

  private void onSubscribed(Session s, MqttSubAckMessage ack) {
    if (s.dead) {
      return;
    }
    for (int q : ack.grantedQoSLevels()) {
      if (q != MqttQoS.AT_LEAST_ONCE.value()) {
        // 0x80: refused (an access rule); 0: the broker would neither queue nor redeliver
        connectFailures++;
        drop(
            s,
            "the broker granted QoS "
                + q
                + " instead of 1 on "
                + topics().filters()
                + " (0x80: refused, check its access rules)");
        return;
      }
    }
    connectFailures = 0;
    stats.connections.incrementAndGet();
    stats.up = true;
    subscribedOnce.tryComplete();
  }

  /** The connection ended without our asking. */
  private void onClosed(Session s) {
    if (!s.dead) {
      drop(s, "connection lost");
    }
  }

  /**
   * Ends a session: nothing more is acknowledged on it. Then connects again after the backoff, or,
   * when closing, completes the close.
   *
   * @param reason logged, or null for a close
   */
  private void drop(Session s, String reason) {
    if (s.dead) {
      return;
    }
    s.dead = true;
    stats.up = false;
    if (current == s) {
      current = null;
    }
    int unacked = s.pending.size();
    s.pending.clear();
    if (reason != null) {
      LOG.warn(
          "MQTT: {} ({}){}",
          reason,
          settings.url(),
          unacked > 0
              ? "; " + unacked + " message(s) not acknowledged, the broker resends them"
              : "");
    }
    s.client
        .disconnect()
        .onComplete(
            v -> {
              if (closed != null) {
                finishClose();
              } else {
                scheduleReconnect();
              }
            });
  }

  private void scheduleReconnect() {
    if (reconnectTimer >= 0 || current != null || closed != null) {
      return;
    }
    Duration wait = backoff(connectFailures + sinkFailures);
    LOG.info("MQTT: connecting again in {} s", wait.toMillis() / 1000.0);
    reconnectTimer = vertx.setTimer(wait.toMillis(), t -> connect());
  }

  /** The wait after {@code failures} failures in a row: 1 s, 1 s, 2 s, 4 s ... 30 s. */
  static Duration backoff(int failures) {
    int doublings = Math.min(Math.max(failures - 1, 0), 5);
    Duration d = MIN_BACKOFF.multipliedBy(1L << doublings);
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  private void finishClose() {
    stats.up = false;
    subscribedOnce.tryFail("the MQTT ingest was closed before it subscribed");
    closed.tryComplete();
  }

  // ---------------------------------------------------------------- messages

  private void onMessage(Session s, MqttPublishMessage m) {
    if (s.dead || closed != null) {
      // not acknowledged: the broker keeps it and delivers it to the next connection
      return;
    }
    stats.received.incrementAndGet();
    if (m.isDup()) {
      stats.redelivered.incrementAndGet();
    }
    Pending p = new Pending(m);
    s.pending.add(p);
    DeviceMessage message;
    try {
      message = parser.parse(m.topicName(), m.payload().getBytes(), Instant.now());
    } catch (DeviceMessageException e) {
      stats.malformed.incrementAndGet();
      logMalformed(m.topicName(), e);
      // acknowledged: sent again it would be just as malformed
      p.done = true;
      flush(s);
      return;
    }
    CompletableFuture<Outcome> stored;
    try {
      stored = sink.accept(message);
    } catch (RuntimeException e) {
      stored = CompletableFuture.failedFuture(e);
    }
    stored.whenComplete(
        (outcome, failure) -> ctx.runOnContext(v -> onStored(s, p, message, outcome, failure)));
  }

  private void onStored(
      Session s, Pending p, DeviceMessage message, Outcome outcome, Throwable failure) {
    if (failure != null) {
      stats.sinkFailures.incrementAndGet();
      if (s.dead) {
        return;
      }
      sinkFailures++;
      drop(
          s,
          "device "
              + message.deviceId()
              + " msg_id "
              + message.msgId()
              + " on "
              + message.topic()
              + " was not stored ("
              + failure
              + "); not acknowledged, reconnecting so the broker delivers it again");
      return;
    }
    switch (outcome == null ? Outcome.APPLIED : outcome) {
      case APPLIED -> stats.applied.incrementAndGet();
      case DUPLICATE -> stats.duplicates.incrementAndGet();
      case IGNORED -> stats.ignored.incrementAndGet();
    }
    if (s.dead) {
      // its connection is gone: an ack now would go to nobody, or name a packet id that the next
      // connection uses for another message. The broker redelivers it; the sink then finds it
      // stored
      return;
    }
    sinkFailures = 0;
    p.done = true;
    flush(s);
  }

  /** Acknowledges, in arrival order, every message from the head that is done. */
  private void flush(Session s) {
    while (!s.dead && !s.pending.isEmpty() && s.pending.peek().done) {
      MqttPublishMessage m = s.pending.poll().message;
      if (m.qosLevel() != MqttQoS.AT_MOST_ONCE) {
        m.ack();
        stats.acked.incrementAndGet();
      }
    }
    if (closed != null && !s.dead && s.pending.isEmpty()) {
      drop(s, null);
    }
  }

  private void logMalformed(String topic, DeviceMessageException e) {
    long now = System.nanoTime();
    if (now - malformedWindowStart > 60_000_000_000L) {
      if (malformedUnlogged > 0) {
        LOG.warn(
            "MQTT: {} more malformed message(s) in the last minute, not logged one by one",
            malformedUnlogged);
      }
      malformedWindowStart = now;
      malformedLogged = 0;
      malformedUnlogged = 0;
    }
    if (malformedLogged < MALFORMED_LOGS_PER_MINUTE) {
      malformedLogged++;
      LOG.warn(
          "MQTT: malformed message on topic {}, acknowledged and dropped: {}",
          topic,
          e.getMessage());
    } else {
      malformedUnlogged++;
    }
  }

  // ---------------------------------------------------------------- counters

  /** What the ingest has done since it started; exported at {@code /metrics}. */
  public static final class Stats {
    final AtomicLong received = new AtomicLong();
    final AtomicLong acked = new AtomicLong();
    final AtomicLong malformed = new AtomicLong();
    final AtomicLong applied = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong ignored = new AtomicLong();
    final AtomicLong redelivered = new AtomicLong();
    final AtomicLong sinkFailures = new AtomicLong();
    final AtomicLong connections = new AtomicLong();
    volatile boolean up;

    /** Messages taken from the broker (at QoS 0 or 1), redeliveries included. */
    public long received() {
      return received.get();
    }

    /** PUBACKs sent. */
    public long acked() {
      return acked.get();
    }

    /** Messages refused by the parser (acknowledged and dropped). */
    public long malformed() {
      return malformed.get();
    }

    /** Messages the sink stored. */
    public long applied() {
      return applied.get();
    }

    /** Messages the sink found stored already. */
    public long duplicates() {
      return duplicates.get();
    }

    /** Messages the sink took and dropped on purpose. */
    public long ignored() {
      return ignored.get();
    }

    /** Messages the broker marked as sent before (DUP). */
    public long redelivered() {
      return redelivered.get();
    }

    /** Messages the sink failed to store (not acknowledged). */
    public long sinkFailures() {
      return sinkFailures.get();
    }

    /** Connections made and subscribed. */
    public long connections() {
      return connections.get();
    }

    /** Whether a connection is up and subscribed. */
    public boolean connected() {
      return up;
    }

    void bind(ServerMetrics m) {
      m.counter(
          "mqtt_messages_received", "device messages taken from the broker", this, Stats::received);
      m.counter(
          "mqtt_messages_acked",
          "device messages acknowledged (PUBACK) after being stored or refused",
          this,
          Stats::acked);
      m.counter(
          "mqtt_messages_malformed",
          "device messages refused as malformed (acknowledged, dropped, logged with the topic)",
          this,
          Stats::malformed);
      m.counter("mqtt_messages_applied", "device messages stored", this, Stats::applied);
      m.counter(
          "mqtt_messages_duplicate",
          "device messages dropped as duplicates by msg_id",
          this,
          Stats::duplicates);
      m.counter(
          "mqtt_messages_ignored",
          "device messages taken and dropped on purpose (e.g. an unregistered device)",
          this,
          Stats::ignored);
      m.counter(
          "mqtt_messages_redelivered",
          "device messages the broker sent again (DUP flag)",
          this,
          Stats::redelivered);
      m.counter(
          "mqtt_sink_failures",
          "device messages that could not be stored (not acknowledged, delivered again)",
          this,
          Stats::sinkFailures);
      m.counter(
          "mqtt_connections",
          "connections to the broker made and subscribed",
          this,
          Stats::connections);
      m.gauge(
          "mqtt_connected", "1 while connected and subscribed", this, s -> s.connected() ? 1 : 0);
    }
  }
}
