package io.gridmap.bench.live;

import io.gridmap.bench.live.Ledger.Key;
import io.gridmap.bench.live.Ledger.Sent;
import io.gridmap.bench.live.Ledger.Source;
import io.gridmap.bench.live.LiveCity.Force;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends the mixed load, a slice every 10 ms: positions over HTTP (one batch a slice), positions
 * over MQTT (one QoS 1 publish each, on the force's tracker topic) and pin/unpin transitions of the
 * incidents over HTTP. Each source keeps to its share of the rate over the phase's elapsed time, so
 * a late slice catches up. What cannot be sent when due is counted as skipped, not queued: a
 * position batch when {@link #MAX_BATCHES_IN_FLIGHT} are unanswered, a transition when every
 * incident has one in flight (each incident's transitions are sequential), a publish when {@link
 * #MAX_PUBLISHES_IN_FLIGHT} wait for the broker's PUBACK.
 *
 * <p>Every change carries its send time: a position's {@code time} (milliseconds, strictly rising
 * per force), a transition's {@code note}. A force is moved one way only (HTTP or MQTT) and is not
 * in two unanswered batches, so no position is older than the force's (the server would leave it
 * out) and no two positions of a force meet in one of the writer's groups (the stream would carry
 * only the newer).
 *
 * <p>The posts go through Vert.x's client, on its event loops: with the JDK's client (its selector
 * thread's HTTP/1 response path the largest part) the load generator took a fifth to a third of the
 * load core at 1,000 changes a second, about twice as much (docs/benchmarks.md, "The load
 * generator's own cost"), and wrk beside it had that much less. Positions are formatted by hand for
 * the same reason ({@link #decimal7}; Formatter was a third of the ticking thread).
 */
final class LoadDriver {
  static final int MAX_BATCHES_IN_FLIGHT = 256;
  static final int MAX_PUBLISHES_IN_FLIGHT = 10_000;

  /** A force whose MQTT position has not reached its subscriber in this long is moved again. */
  static final long MQTT_GIVE_UP_MS = 30_000;

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  /** An incident the load pins and unpins. */
  static final class Incident {
    final long id;
    final int area;
    boolean pinned;
    long lastTime;

    Incident(long id, int area) {
      this.id = id;
      this.area = area;
    }
  }

  /** Per phase and source. */
  final LongAdder[][] issued = Ledger.perPhaseAndSource();

  final LongAdder[][] skipped = Ledger.perPhaseAndSource();
  final LongAdder[][] ignored = Ledger.perPhaseAndSource();
  final LongAdder[][] failed = Ledger.perPhaseAndSource();
  final LongAdder[] requests =
      java.util.stream.Stream.generate(LongAdder::new)
          .limit(LiveLoad.PHASES)
          .toArray(LongAdder[]::new);

  /** "source status" -> count, and the first few answers of each. */
  final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

  final List<String> errorSamples = new CopyOnWriteArrayList<>();

  /** How long the server (HTTP) or the broker (MQTT) took to answer, by send time. */
  final Samples answers = new Samples();

  final AtomicInteger batchesInFlight = new AtomicInteger();
  final AtomicInteger transitionsInFlight = new AtomicInteger();
  final AtomicInteger publishesInFlight = new AtomicInteger();

  private final HttpClientAgent http;
  private final String authorization;
  private final Ledger ledger;
  private final List<Force> httpForces;
  private final List<Force> mqttForces;
  private final Queue<Incident> free = new ConcurrentLinkedQueue<>();
  private final MqttClient mqtt;
  private final Context mqttContext;
  private final String topicPrefix;
  private final String runId;
  private final double[] perSecond;
  private final SplittableRandom random = new SplittableRandom(20261203L);

  /** On the MQTT context only: packet id -> the change it carries, or {@link #ACKED}. */
  private final Map<Integer, Object> publishes = new HashMap<>();

  private static final Object ACKED = new Object();
  private int httpCursor;
  private int mqttCursor;
  private long mqttSeq;

  private volatile int phase;
  private long phaseStart;
  private final long[] issuedInPhase = new long[Source.values().length];

  /**
   * @param perSecond changes a second per source, in {@link Source} order
   */
  LoadDriver(
      HttpClientAgent http,
      String token,
      Ledger ledger,
      List<Force> httpForces,
      List<Force> mqttForces,
      List<Incident> incidents,
      MqttClient mqtt,
      Context mqttContext,
      String topicPrefix,
      String runId,
      double[] perSecond) {
    this.http = http;
    this.authorization = "Bearer " + token;
    this.ledger = ledger;
    this.httpForces = httpForces;
    this.mqttForces = mqttForces;
    this.free.addAll(incidents);
    this.mqtt = mqtt;
    this.mqttContext = mqttContext;
    this.topicPrefix = topicPrefix;
    this.runId = runId;
    this.perSecond = perSecond;
    if (mqtt != null) {
      mqttContext.runOnContext(
          v -> {
            mqtt.publishCompletionHandler(this::acked);
            mqtt.publishCompletionExpirationHandler(
                id -> {
                  Object sent = publishes.remove(id);
                  publishesInFlight.decrementAndGet();
                  if (sent instanceof Sent s) {
                    failed[s.phase()][Source.MQTT_POSITION.ordinal()].increment();
                  }
                  error(Source.MQTT_POSITION, "no PUBACK (expired)", "packet " + id);
                });
          });
    }
  }

  /** Starts counting a phase's shares from now. Called by the ticking thread only. */
  void startPhase(int p) {
    phase = p;
    phaseStart = System.nanoTime();
    java.util.Arrays.fill(issuedInPhase, 0);
  }

  /** One slice: what each source is due since the phase began. Called every 10 ms. */
  void tick() {
    double elapsed = (System.nanoTime() - phaseStart) / 1e9;
    int p = phase;
    for (Source s : Source.values()) {
      long due = (long) (perSecond[s.ordinal()] * elapsed) - issuedInPhase[s.ordinal()];
      if (due <= 0) {
        continue;
      }
      issuedInPhase[s.ordinal()] += due;
      issued[p][s.ordinal()].add(due);
      switch (s) {
        case HTTP_POSITION -> positions(p, (int) due);
        case MQTT_POSITION -> publish(p, (int) due);
        case TRANSITION -> transitions(p, (int) due);
      }
    }
  }

  private static long nextTime(long last) {
    return Math.max(System.currentTimeMillis(), last + 1);
  }

  /** A position a few metres from the force's own, so it stays in its grid. */
  private double[] near(Force f) {
    return new double[] {
      f.lon + (random.nextDouble() - 0.5) * 2e-4, f.lat + (random.nextDouble() - 0.5) * 2e-4
    };
  }

  private void positions(int p, int n) {
    int s = Source.HTTP_POSITION.ordinal();
    if (batchesInFlight.get() >= MAX_BATCHES_IN_FLIGHT || httpForces.isEmpty()) {
      skipped[p][s].add(n);
      return;
    }
    List<Force> batch = new ArrayList<>(n);
    long[] times = new long[n];
    StringBuilder body = new StringBuilder(64 + n * 160);
    body.append("{\"type\":\"FeatureCollection\",\"features\":[");
    for (int tries = 0; batch.size() < n && tries < httpForces.size(); tries++) {
      Force f = httpForces.get(httpCursor);
      httpCursor = (httpCursor + 1) % httpForces.size();
      if (f.busySince != 0) {
        continue;
      }
      f.busySince = System.currentTimeMillis();
      long t = nextTime(f.lastTime);
      f.lastTime = t;
      double[] at = near(f);
      if (!batch.isEmpty()) {
        body.append(',');
      }
      times[batch.size()] = t;
      batch.add(f);
      body.append("{\"type\":\"Feature\",\"id\":")
          .append(f.id)
          .append(",\"geometry\":{\"type\":\"Point\",\"coordinates\":[")
          .append(decimal7(at[0]))
          .append(',')
          .append(decimal7(at[1]))
          .append("]},\"properties\":{\"time\":\"")
          .append(TIME.format(java.time.Instant.ofEpochMilli(t)))
          .append("\"}}");
    }
    skipped[p][s].add(n - batch.size());
    if (batch.isEmpty()) {
      return;
    }
    body.append("]}");
    batchesInFlight.incrementAndGet();
    requests[p].increment();
    long sentAt = System.currentTimeMillis();
    post(
        "/live/positions",
        "application/geo+json",
        body.toString(),
        (r, e) -> {
          answers.add(sentAt, System.currentTimeMillis() - sentAt, Source.HTTP_POSITION);
          try {
            if (e != null || r.status() != 200) {
              failed[p][s].add(batch.size());
              error(Source.HTTP_POSITION, e != null ? e : r);
              return;
            }
            Set<Integer> left = new HashSet<>();
            JsonArray ig = new JsonObject(r.body()).getJsonArray("ignored");
            for (int i = 0; ig != null && i < ig.size(); i++) {
              left.add(ig.getJsonObject(i).getInteger("feature"));
            }
            ignored[p][s].add(left.size());
            for (int i = 0; i < batch.size(); i++) {
              if (!left.contains(i)) {
                Force f = batch.get(i);
                ledger.accept(
                    new Key(f.id, times[i]), new Sent(Source.HTTP_POSITION, f.area, times[i], p));
              }
            }
          } finally {
            batch.forEach(f -> f.busySince = 0);
            batchesInFlight.decrementAndGet();
          }
        });
  }

  private void publish(int p, int n) {
    int s = Source.MQTT_POSITION.ordinal();
    if (mqtt == null || mqttForces.isEmpty()) {
      skipped[p][s].add(n);
      return;
    }
    int room = MAX_PUBLISHES_IN_FLIGHT - publishesInFlight.get();
    int send = Math.max(0, Math.min(n, room));
    skipped[p][s].add(n - send);
    if (send == 0) {
      return;
    }
    List<String> topics = new ArrayList<>(send);
    List<Buffer> payloads = new ArrayList<>(send);
    List<Sent> sents = new ArrayList<>(send);
    List<Key> keys = new ArrayList<>(send);
    long now = System.currentTimeMillis();
    for (int tries = 0; keys.size() < send && tries < mqttForces.size(); tries++) {
      Force f = mqttForces.get(mqttCursor);
      mqttCursor = (mqttCursor + 1) % mqttForces.size();
      long since = f.busySince;
      if (since != 0 && now - since < MQTT_GIVE_UP_MS) {
        continue; // its last position has not reached its subscriber yet
      }
      f.busySince = now;
      long t = nextTime(f.lastTime);
      f.lastTime = t;
      double[] at = near(f);
      topics.add(topicPrefix + "/devices/force-" + f.id + "/position");
      payloads.add(
          Buffer.buffer(
              "{\"msg_id\":\""
                  + runId
                  + '-'
                  + ++mqttSeq
                  + "\",\"time\":\""
                  + TIME.format(java.time.Instant.ofEpochMilli(t))
                  + "\",\"lon\":"
                  + decimal7(at[0])
                  + ",\"lat\":"
                  + decimal7(at[1])
                  + '}'));
      keys.add(new Key(f.id, t));
      sents.add(new Sent(Source.MQTT_POSITION, f.area, t, p));
    }
    skipped[p][s].add(send - keys.size());
    int sending = keys.size();
    if (sending == 0) {
      return;
    }
    publishesInFlight.addAndGet(sending);
    mqttContext.runOnContext(
        v -> {
          for (int i = 0; i < sending; i++) {
            Key key = keys.get(i);
            Sent sent = sents.get(i);
            mqtt.publish(topics.get(i), payloads.get(i), MqttQoS.AT_LEAST_ONCE, false, false)
                .onComplete(
                    ar -> {
                      if (ar.failed()) {
                        publishesInFlight.decrementAndGet();
                        failed[p][s].increment();
                        error(Source.MQTT_POSITION, "publish failed", ar.cause().toString());
                        return;
                      }
                      int id = ar.result();
                      if (publishes.remove(id) == ACKED) {
                        acked(key, sent);
                      } else {
                        publishes.put(id, new Object[] {key, sent});
                      }
                    });
          }
        });
  }

  /** On the MQTT context: the broker's PUBACK for packet {@code id}. */
  private void acked(int id) {
    Object waiting = publishes.remove(id);
    if (waiting instanceof Object[] ks) {
      acked((Key) ks[0], (Sent) ks[1]);
    } else {
      publishes.put(id, ACKED); // before the publish's own callback ran
    }
  }

  private void acked(Key key, Sent sent) {
    publishesInFlight.decrementAndGet();
    answers.add(sent.sentAt(), System.currentTimeMillis() - sent.sentAt(), Source.MQTT_POSITION);
    ledger.accept(key, sent);
  }

  private void transitions(int p, int n) {
    int s = Source.TRANSITION.ordinal();
    for (int i = 0; i < n; i++) {
      Incident inc = free.poll();
      if (inc == null) {
        skipped[p][s].add(n - i);
        return;
      }
      long t = nextTime(inc.lastTime);
      inc.lastTime = t;
      String action = inc.pinned ? "unpin" : "pin";
      transitionsInFlight.incrementAndGet();
      requests[p].increment();
      post(
          "/collections/events/items/" + inc.id + "/transitions",
          "application/json",
          "{\"action\":\"" + action + "\",\"note\":\"" + Subscriber.NOTE + t + "\"}",
          (r, e) -> {
            answers.add(t, System.currentTimeMillis() - t, Source.TRANSITION);
            try {
              if (e == null && r.status() == 200) {
                inc.pinned = !inc.pinned;
                ledger.accept(new Key(inc.id, t), new Sent(Source.TRANSITION, inc.area, t, p));
              } else {
                failed[p][s].increment();
                error(Source.TRANSITION, e != null ? e : r);
                if (e == null && r.status() == 409) {
                  inc.pinned = !inc.pinned; // out of step with the server: take its word
                }
              }
            } finally {
              transitionsInFlight.decrementAndGet();
              free.add(inc);
            }
          });
    }
  }

  /** A server's answer: its status and body. */
  record Answer(int status, String body) {}

  /** What is done with an answer, or with the failure to get one; on the client's event loop. */
  interface Answered {
    void answered(Answer answer, Throwable failure);
  }

  private void post(String path, String type, String body, Answered then) {
    http.request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setURI(path)
                .setTimeout(60_000)
                .putHeader("Authorization", authorization)
                .putHeader("Content-Type", type))
        .compose(req -> req.send(body))
        .compose(res -> res.body().map(b -> new Answer(res.statusCode(), b.toString())))
        .onComplete(ar -> then.answered(ar.result(), ar.cause()));
  }

  /**
   * {@code v} with seven decimals, trailing zeros kept, as {@code String.format("%.7f")} writes a
   * coordinate (it may differ from it in the seventh decimal, where a double's binary value lies a
   * hair from the half), at a fraction of Formatter's cost.
   */
  static String decimal7(double v) {
    long scaled = Math.round(Math.abs(v) * 1e7);
    StringBuilder b = new StringBuilder(20);
    if (v < 0 && scaled != 0) {
      b.append('-');
    }
    b.append(scaled / 10_000_000).append('.');
    String frac = Long.toString(scaled % 10_000_000);
    b.append("0000000", frac.length(), 7).append(frac);
    return b.toString();
  }

  private void error(Source s, Object failure) {
    if (failure instanceof Answer r) {
      error(s, "HTTP " + r.status(), String.valueOf(r.body()));
    } else {
      error(s, "no answer", String.valueOf(failure));
    }
  }

  private void error(Source s, String what, String detail) {
    String key = s.label + ": " + what;
    errors.computeIfAbsent(key, k -> new LongAdder()).increment();
    if (errorSamples.size() < 20) {
      errorSamples.add(
          key + ": " + (detail.length() > 300 ? detail.substring(0, 300) + "..." : detail));
    }
  }

  /** Whether anything sent is still unanswered (by the server or the broker). */
  boolean busy() {
    return batchesInFlight.get() > 0
        || transitionsInFlight.get() > 0
        || publishesInFlight.get() > 0;
  }
}
