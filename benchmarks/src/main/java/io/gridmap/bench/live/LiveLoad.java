package io.gridmap.bench.live;

import io.gridmap.bench.live.Ledger.Key;
import io.gridmap.bench.live.Ledger.Sent;
import io.gridmap.bench.live.Ledger.Source;
import io.gridmap.bench.live.LiveCity.Force;
import io.gridmap.bench.live.LoadDriver.Incident;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The live load benchmark (docs/benchmarks.md, "Live load"): a server on 127.0.0.1 takes a mixed
 * stream of changes while staff subscribers of its live stream, one per busy street, measure how
 * long each change takes to reach them and whether any is lost, with and without a subscriber
 * beside them that stopped reading.
 *
 * <pre>
 * java -cp benchmarks.jar io.gridmap.bench.live.LiveLoad --url http://127.0.0.1:PORT \
 *     --token-file FILE --store CITY.gpkg --mqtt-prefix PREFIX [--rate 5000] [--seconds 60] \
 *     [--warmup 10] [--areas 50] [--incidents-per-area 20] [--ws-stall-s 30] [--gc-log FILE] [--check]
 * </pre>
 *
 * Bounded: the server and the broker must be on the loopback interface, the rate is at most {@value
 * #MAX_RATE} changes a second and a phase at most {@value #MAX_SECONDS} s. With {@code --check} it
 * exits 1 when a subscriber that kept up lost a change, a subscriber fell behind, the stalled
 * subscriber was not disconnected by the server, a write failed, or nothing was sent: the tiny run
 * of {@code scripts/bench.sh --tiny} is a test.
 */
public final class LiveLoad {
  static final int MAX_RATE = 20_000;
  static final int MAX_SECONDS = 300;

  /** The phases: warm-up, then without the extra subscriber, with it, and without it again. */
  static final int WARMUP = 0, BEFORE = 1, WITH = 2, AFTER = 3, PHASES = 4;

  private final Map<String, String> opts;
  private final URI base;
  private final String token;
  private final double rate;
  private final int seconds;
  private final int warmup;
  private final int wsStallS;
  private final boolean check;
  private final String extra;

  /** The server's GC log (-Xlog:gc:file=F:utctime), read after the load; null: none. */
  private final Path gcLog;

  private final List<String> failures = new ArrayList<>();

  /** The set-up's requests (readiness, metrics, the incidents reported before the load). */
  private final HttpClient http;

  /**
   * The load's clients, held here for the whole run: Vert.x closes a client that is no longer
   * reachable, and a local the code after it no longer reads may be collected at any GC (the 50
   * subscribers were closed, status 1000, within the first phase of one run).
   */
  private WebSocketClient streams;

  private HttpClientAgent posts;

  private LiveLoad(Map<String, String> opts) throws IOException {
    this.opts = opts;
    this.base = URI.create(require(opts, "url") + "/");
    loopbackOnly("--url", base.getHost());
    this.token = Files.readString(Path.of(require(opts, "token-file"))).strip();
    this.rate = Double.parseDouble(opts.getOrDefault("rate", "5000"));
    this.seconds = Integer.parseInt(opts.getOrDefault("seconds", "60"));
    this.warmup = Integer.parseInt(opts.getOrDefault("warmup", "10"));
    this.wsStallS = Integer.parseInt(opts.getOrDefault("ws-stall-s", "30"));
    this.check = opts.containsKey("check");
    // phase 2's extra subscriber of the whole city: one that stops reading (the benchmark), or, as
    // controls, one that reads everything (--extra reading) or none (--extra none)
    this.extra = opts.getOrDefault("extra", "stalled");
    this.gcLog = opts.containsKey("gc-log") ? Path.of(opts.get("gc-log")) : null;
    if (!List.of("stalled", "reading", "none").contains(extra)) {
      throw new IllegalArgumentException("--extra must be stalled, reading or none");
    }
    if (rate <= 0 || rate > MAX_RATE) {
      throw new IllegalArgumentException("--rate must be in (0, " + MAX_RATE + "], got " + rate);
    }
    if (seconds < 1 || seconds > MAX_SECONDS || warmup < 0 || warmup > 120) {
      throw new IllegalArgumentException(
          "--seconds must be 1 to " + MAX_SECONDS + " and --warmup 0 to 120");
    }
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        usage("unexpected argument " + a);
      }
      String name = a.substring(2);
      if (name.equals("check")) {
        opts.put(name, "yes");
      } else if (i + 1 < args.length) {
        opts.put(name, args[++i]);
      } else {
        usage(a + " needs a value");
      }
    }
    int status;
    try {
      status = new LiveLoad(opts).run();
    } catch (IllegalArgumentException e) {
      usage(e.getMessage());
      return;
    } catch (IllegalStateException e) {
      System.out.flush();
      System.err.println("live-load: " + e.getMessage());
      System.exit(1);
      return;
    }
    System.out.flush();
    System.exit(status);
  }

  private static void usage(String why) {
    System.err.println("live-load: " + why);
    System.err.println(
        "usage: LiveLoad --url http://127.0.0.1:PORT --token-file FILE --store CITY.gpkg"
            + " --mqtt-prefix PREFIX [--mqtt-url mqtt://127.0.0.1:1883] [--rate 5000] [--seconds 60]"
            + " [--warmup 10] [--areas 50] [--incidents-per-area 20] [--ws-stall-s 30] [--gc-log FILE] [--check]");
    System.exit(2);
  }

  private static String require(Map<String, String> opts, String name) {
    String v = opts.get(name);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return v;
  }

  /** The benchmark loads only this machine: anything else is refused before a byte is sent. */
  private static void loopbackOnly(String option, String host) {
    try {
      if (host == null || !InetAddress.getByName(host).isLoopbackAddress()) {
        throw new IllegalArgumentException(
            option + " must name 127.0.0.1 (this machine's loopback), got " + host);
      }
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(option + ": unknown host " + host);
    }
  }

  private static void log(String format, Object... args) {
    System.err.printf(
        Locale.ROOT, "live-load %s: %s%n", Instant.now(), String.format(Locale.ROOT, format, args));
  }

  private static void out(String format, Object... args) {
    System.out.printf(Locale.ROOT, format + "%n", args);
  }

  // ------------------------------------------------------------------------------------- the run

  private int run() throws Exception {
    String[] mix = opts.getOrDefault("mix", "70,20,10").split(",");
    double[] weights = new double[3];
    double sum = 0;
    for (int i = 0; i < 3; i++) {
      weights[i] = Double.parseDouble(mix[i]);
      sum += weights[i];
    }
    double[] perSecond = new double[3];
    for (int i = 0; i < 3; i++) {
      perSecond[i] = rate * weights[i] / sum;
    }
    int areaCount = Integer.parseInt(opts.getOrDefault("areas", "50"));
    int perArea = Integer.parseInt(opts.getOrDefault("incidents-per-area", "20"));
    int textChars = Integer.parseInt(opts.getOrDefault("description-chars", "0"));
    if (textChars < 0 || textChars > 2000) {
      throw new IllegalArgumentException("--description-chars must be 0 to 2000");
    }
    String prefix = opts.getOrDefault("mqtt-prefix", "gridmap/v1");
    URI broker = URI.create(opts.getOrDefault("mqtt-url", "mqtt://127.0.0.1:1883"));
    loopbackOnly("--mqtt-url", broker.getHost());

    // the store is read while the server loads it (scripts/bench.sh starts both at once)
    long t0 = System.nanoTime();
    LiveCity city = LiveCity.read(require(opts, "store"), areaCount);
    log(
        "read %,d forces in %d areas from the store in %.1f s",
        city.forces().size(), city.areas().size(), (System.nanoTime() - t0) / 1e9);
    awaitReady();

    // each force is moved one way: HTTP or MQTT, in the ratio of their shares
    double mqttShare = perSecond[1] / (perSecond[0] + perSecond[1]);
    List<Force> httpForces = new ArrayList<>();
    List<Force> mqttForces = new ArrayList<>();
    Map<Long, Force> byId = new HashMap<>();
    for (int i = 0; i < city.forces().size(); i++) {
      Force f = city.forces().get(i);
      boolean viaMqtt = Math.floor((i + 1) * mqttShare) > Math.floor(i * mqttShare);
      f.viaMqtt = viaMqtt;
      (viaMqtt ? mqttForces : httpForces).add(f);
      byId.put(f.id, f);
    }

    Vertx vertx = Vertx.vertx();
    Context mqttContext = vertx.getOrCreateContext();
    MqttClient mqtt = connectMqtt(vertx, mqttContext, broker);
    waitForServerMqtt();

    List<Incident> incidents = report(city, perArea, textChars);
    log("reported %d incidents", incidents.size());

    Ledger ledger = new Ledger();
    // a force moved over MQTT is moved again only once its last position has been received
    Subscriber.Positions positions =
        (id, time) -> {
          Force f = byId.get(id);
          if (f == null || !f.viaMqtt) {
            return Source.HTTP_POSITION;
          }
          if (f.lastTime == time) {
            f.busySince = 0;
          }
          return Source.MQTT_POSITION;
        };
    // the load's own requests and the subscribers go through Vert.x, on its event loops: the JDK's
    // client cost the load core about twice as much (see LoadDriver)
    // no limit of the client's below the server's: a subscriber reads whatever the stream sends
    streams =
        vertx.createWebSocketClient(
            new WebSocketClientOptions().setMaxMessageSize(256 << 20).setMaxFrameSize(256 << 20));
    List<Subscriber> subs = subscribe(streams, city, positions);
    posts =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setDefaultHost(base.getHost())
                .setDefaultPort(base.getPort())
                .setKeepAlive(true)
                .setConnectTimeout(5_000),
            // as many connections as requests the load lets be in flight: none waits for one
            new PoolOptions()
                .setHttp1MaxSize(LoadDriver.MAX_BATCHES_IN_FLIGHT + perArea * areaCount)
                .setMaxWaitQueueSize(-1));
    String runId = "load" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    LoadDriver driver =
        new LoadDriver(
            posts,
            token,
            ledger,
            httpForces,
            mqttForces,
            incidents,
            mqtt,
            mqttContext,
            prefix,
            runId,
            perSecond);

    out("$ LiveLoad %s", describeCommand());
    out(
        "# %s, the load generator on %d core(s); target %,.0f changes/s: %,.0f positions/s over HTTP (a batch every 10 ms),"
            + " %,.0f positions/s over MQTT (QoS 1, tracker topic), %,.0f pin/unpin transitions/s over HTTP",
        Instant.now(),
        Runtime.getRuntime().availableProcessors(),
        rate,
        perSecond[0],
        perSecond[1],
        perSecond[2]);
    int[] perAreaForces = city.forcesPerArea();
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (int n : perAreaForces) {
      min = Math.min(min, n);
      max = Math.max(max, n);
    }
    out(
        "# %d subscribers (staff, layers=forces,events, unit=one %s each: %d to %d forces), plus one"
            + " %s subscriber of the whole city in phase 2; %,d forces moved (%,d over HTTP, %,d over MQTT),"
            + " %d incidents pinned and unpinned",
        subs.size(),
        switch (city.codeLength()) {
          case 9 -> "street";
          case 12 -> "village";
          default -> "grid";
        },
        min,
        max,
        extra,
        city.forces().size(),
        httpForces.size(),
        mqttForces.size(),
        incidents.size());
    if (!mqttForces.isEmpty() && perSecond[1] > 0) {
      out(
          "# each force is moved every %.1f s (HTTP) and %.1f s (MQTT) on average",
          httpForces.size() / Math.max(1e-9, perSecond[0]), mqttForces.size() / perSecond[1]);
    }

    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "load-ticks");
              t.setDaemon(true);
              return t;
            });
    Phase[] phases = new Phase[PHASES];
    if (warmup > 0) {
      log("warm-up: %d s", warmup);
      phases[WARMUP] = load(driver, ticker, WARMUP, warmup, warmup, ledger, subs, null);
    }
    // A/B/A: the phase with the extra subscriber between two without it, so that whatever drifts
    // over the run (the server still warming, the store's files growing) does not pass for its
    // effect
    log("phase 1: %d s without the extra subscriber", seconds);
    phases[BEFORE] = load(driver, ticker, BEFORE, seconds, seconds, ledger, subs, null);
    log("phase 2: %d s with the extra subscriber: %s", seconds, extra);
    StalledSubscriber stalled =
        extra.equals("stalled")
            ? StalledSubscriber.open(base.getPort(), "/live/ws?layers=forces,events", token)
            : null;
    WebSocket reading =
        extra.equals("reading")
            ? connect(
                streams,
                "/live/ws?layers=forces,events",
                new Subscriber(-1, "", (id, time) -> Source.HTTP_POSITION))
            : null;
    // at least --seconds, and on until the server has ended the stalled subscriber: its queue
    // fills only after the kernel's send buffer (up to tcp_wmem's 4 MiB), which at a low rate takes
    // longer than the phase; bounded by ws_stall_s + 30 s more
    phases[WITH] =
        load(driver, ticker, WITH, seconds, seconds + wsStallS + 30, ledger, subs, stalled);
    int measured = (int) Math.ceil((phases[WITH].end - phases[WITH].start) / 1e3);
    String stalledLine;
    if (stalled == null) {
      stalledLine =
          "none (--extra "
              + extra
              + ", a control: phase 2 had "
              + (reading != null ? "a subscriber of the whole city that reads" : "no other")
              + ")";
      if (reading != null) {
        reading.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    } else if (stalled.endedAt() != 0) {
      stalledLine =
          String.format(
              Locale.ROOT,
              "receive buffer %,d bytes; ended by the server %.1f s after it connected"
                  + " (ws_stall_s = %d; a probe write failed: %s); %s",
              stalled.receiveBuffer,
              (stalled.endedAt() - stalled.connectedAt) / 1e3,
              wsStallS,
              stalled.endedBy(),
              stalled.drain());
    } else {
      stalledLine =
          String.format(
              Locale.ROOT,
              "NOT ended by the server within %d s of connecting (ws_stall_s = %d); closed by the"
                  + " load",
              (System.currentTimeMillis() - stalled.connectedAt) / 1000,
              wsStallS);
      failures.add("the stalled subscriber was not disconnected by the server");
    }
    long stalledEnd = Long.MAX_VALUE;
    if (stalled != null) {
      stalled.close();
      stalledEnd = stalled.endedAt() == 0 ? Long.MAX_VALUE : stalled.endedAt();
    }

    log("phase 3: %d s without it", measured);
    phases[AFTER] = load(driver, ticker, AFTER, measured, measured, ledger, subs, null);
    ticker.shutdownNow();

    Map<String, String> metrics = mqttMetrics();
    report(city, driver, ledger, subs, phases, stalledLine, stalledEnd, metrics);
    mqtt.disconnect();
    streams.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    posts.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close();
    if (!check) {
      return 0;
    }
    if (failures.isEmpty()) {
      out("check: passed");
      return 0;
    }
    failures.forEach(f -> out("check FAILED: %s", f));
    return 1;
  }

  private String describeCommand() {
    StringBuilder b = new StringBuilder();
    opts.forEach(
        (k, v) -> {
          b.append("--").append(k);
          if (!k.equals("check")) {
            b.append(' ').append(k.equals("store") ? "<the store>" : v);
          }
          b.append(' ');
        });
    return b.toString().strip();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private MqttClient connectMqtt(Vertx vertx, Context ctx, URI broker) throws Exception {
    MqttClientOptions o =
        new MqttClientOptions()
            .setClientId("gridmap-live-load-" + ProcessHandle.current().pid())
            .setAutoGeneratedClientId(false)
            .setCleanSession(true)
            .setMaxInflightQueue(LoadDriver.MAX_PUBLISHES_IN_FLIGHT);
    MqttClient c = MqttClient.create(vertx, o);
    CompletableFuture<Void> done = new CompletableFuture<>();
    ctx.runOnContext(
        v ->
            c.connect(broker.getPort() < 0 ? 1883 : broker.getPort(), broker.getHost())
                .onComplete(
                    ar -> {
                      if (ar.succeeded()) {
                        done.complete(null);
                      } else {
                        done.completeExceptionally(ar.cause());
                      }
                    }));
    try {
      done.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(
          "no MQTT broker at "
              + broker
              + " (Mosquitto: apt-get install mosquitto; mosquitto -d -c /etc/mosquitto/mosquitto.conf): "
              + e,
          e);
    }
    return c;
  }

  /** The server's CPU time (user + system) in clock ticks, or -1 without --server-pid. */
  private long serverCpuTicks() {
    String pid = opts.get("server-pid");
    if (pid == null) {
      return -1;
    }
    try {
      String stat = Files.readString(Path.of("/proc", pid, "stat"));
      // fields after the command, which is in parentheses and may hold spaces
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Waits up to 10 minutes for the server's /health to answer 200 (the map loaded). */
  private void awaitReady() throws Exception {
    long until = System.currentTimeMillis() + 600_000;
    String last = "no answer";
    while (System.currentTimeMillis() < until) {
      String pid = opts.get("server-pid");
      if (pid != null && !Files.exists(Path.of("/proc", pid))) {
        throw new IllegalStateException("the server (pid " + pid + ") exited before it was ready");
      }
      try {
        HttpResponse<String> r = get("/health");
        if (r.statusCode() == 200) {
          return;
        }
        last = r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "the server at " + base + " was not ready in 10 minutes: " + last);
  }

  /** The server's own MQTT session must be up before positions are published to it. */
  private void waitForServerMqtt() throws Exception {
    long until = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < until) {
      String v = mqttMetrics().get("mqtt_connected");
      if (v != null && Double.parseDouble(v) >= 1) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "the server did not connect to the MQTT broker within 30 s (mqtt_connected at /metrics);"
            + " is its mqtt_url set?");
  }

  /** The server's mqtt_* figures at /metrics. */
  private Map<String, String> mqttMetrics() throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    HttpResponse<String> r = get("/metrics");
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET /metrics answered " + r.statusCode() + ": " + r.body());
    }
    for (String line : r.body().split("\n")) {
      if (line.startsWith("mqtt_")) {
        String[] kv = line.split(" ");
        out.put(kv[0], kv[kv.length - 1]);
      }
    }
    return out;
  }

  /**
   * Reports {@code perArea} incidents in each area, at forces' places, 64 at a time (the writer
   * takes what arrives together in one group).
   */
  private List<Incident> report(LiveCity city, int perArea, int textChars) throws Exception {
    // a long description makes every transition's message long (it carries the whole incident):
    // the tiny run's way to fill the stalled subscriber's queue within seconds at a low rate
    String text =
        textChars == 0 ? "load benchmark" : "负载".repeat(textChars / 2 + 1).substring(0, textChars);
    Map<Integer, List<Force>> byArea = new HashMap<>();
    city.forces().forEach(f -> byArea.computeIfAbsent(f.area, k -> new ArrayList<>()).add(f));
    String[] categories = {"road_damage", "street_light_out", "garbage_pileup", "noise_complaint"};
    Semaphore gate = new Semaphore(64);
    List<CompletableFuture<Incident>> all = new ArrayList<>();
    for (int a = 0; a < city.areas().size(); a++) {
      List<Force> in = byArea.getOrDefault(a, List.of());
      for (int k = 0; k < perArea && !in.isEmpty(); k++) {
        Force f = in.get((int) ((long) k * in.size() / perArea));
        String body =
            String.format(
                Locale.ROOT,
                "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.7f,%.7f]},"
                    + "\"properties\":{\"category\":\"%s\",\"urgency\":\"normal\","
                    + "\"description\":\"%s\"}}",
                f.lon + 1e-6,
                f.lat + 1e-6,
                categories[k % categories.length],
                text);
        gate.acquire();
        all.add(
            http.sendAsync(
                    HttpRequest.newBuilder(base.resolve("/collections/events/items"))
                        .timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/geo+json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .whenComplete((r, e) -> gate.release())
                .thenApply(
                    r -> {
                      if (r.statusCode() != 201) {
                        throw new IllegalStateException(
                            "a report was answered " + r.statusCode() + ": " + r.body());
                      }
                      JsonObject j = new JsonObject(r.body());
                      int area = city.areaOf(j.getJsonObject("properties").getString("grid_code"));
                      return area < 0 ? null : new Incident(j.getLong("id"), area);
                    }));
      }
    }
    List<Incident> out = new ArrayList<>();
    for (CompletableFuture<Incident> f : all) {
      Incident i = f.get(120, TimeUnit.SECONDS);
      if (i != null) {
        out.add(i);
      }
    }
    return out;
  }

  private List<Subscriber> subscribe(
      WebSocketClient ws, LiveCity city, Subscriber.Positions positions) throws Exception {
    List<Subscriber> subs = new ArrayList<>();
    for (int a = 0; a < city.areas().size(); a++) {
      Subscriber s = new Subscriber(a, city.areas().get(a), positions);
      connect(ws, "/live/ws?layers=forces,events&unit=" + s.unit, s);
      subs.add(s);
    }
    for (Subscriber s : subs) {
      s.subscribed.get(15, TimeUnit.SECONDS);
    }
    return subs;
  }

  /** Opens the live stream at {@code path} for {@code s}, which reads it from its first frame. */
  private WebSocket connect(WebSocketClient ws, String path, Subscriber s) throws Exception {
    WebSocket socket =
        ws.connect(
                new WebSocketConnectOptions()
                    .setHost(base.getHost())
                    .setPort(base.getPort())
                    .setURI(path)
                    .setConnectTimeout(10_000)
                    .putHeader("Authorization", "Bearer " + token))
            .map(
                w -> {
                  s.attach(w); // on the event loop, before any frame is read
                  return w;
                })
            .toCompletionStage()
            .toCompletableFuture()
            .get(15, TimeUnit.SECONDS);
    return socket;
  }

  // ---------------------------------------------------------------------------------- a phase

  /** What a phase did: its send window and its drain. */
  static final class Phase {
    long start;
    long end;
    long drained;
    double loadCpu;
    double serverCpu = -1;
    long missingAfterDrain;

    /** The server's mqtt_messages_received_total at the start, the end of the load, the drain. */
    double mqttAtStart;

    double mqttAtEnd;
    double mqttAfterDrain;
  }

  private double mqttReceived() throws Exception {
    return Double.parseDouble(mqttMetrics().getOrDefault("mqtt_messages_received_total", "0"));
  }

  private Phase load(
      LoadDriver driver,
      ScheduledExecutorService ticker,
      int p,
      int duration,
      int longest,
      Ledger ledger,
      List<Subscriber> subs,
      StalledSubscriber stalled)
      throws Exception {
    Phase ph = new Phase();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ph.mqttAtStart = mqttReceived();
    long cpu0 = os.getProcessCpuTime();
    long nano0 = System.nanoTime();
    long server0 = serverCpuTicks();
    ticker.submit(() -> driver.startPhase(p)).get();
    ph.start = System.currentTimeMillis();
    ScheduledFuture<?> ticks =
        ticker.scheduleAtFixedRate(
            () -> {
              try {
                driver.tick();
              } catch (RuntimeException e) {
                log("a tick failed: %s", e);
              }
            },
            10,
            10,
            TimeUnit.MILLISECONDS);
    long endAt = ph.start + duration * 1000L;
    long latest = ph.start + longest * 1000L;
    long nextLog = ph.start + 5000;
    while (System.currentTimeMillis() < endAt || stalledOn(stalled, latest)) {
      Thread.sleep(50);
      if (System.currentTimeMillis() >= nextLog) {
        nextLog += 5000;
        long acc = 0;
        for (var x : ledger.acceptedCount[p]) {
          acc += x.sum();
        }
        log(
            "phase %d: %,d accepted, %d batches, %d transitions, %d publishes in flight%s",
            p,
            acc,
            driver.batchesInFlight.get(),
            driver.transitionsInFlight.get(),
            driver.publishesInFlight.get(),
            stalled == null
                ? ""
                : stalled.endedAt() == 0
                    ? "; stalled subscriber connected"
                    : "; stalled one ended");
      }
    }
    ticks.cancel(false);
    ticker.submit(() -> {}).get(); // the last tick has run
    ph.end = System.currentTimeMillis();
    ph.loadCpu = (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - nano0);
    long server1 = serverCpuTicks();
    if (server0 >= 0 && server1 >= 0) {
      // Linux counts in USER_HZ, 100 a second
      ph.serverCpu = (server1 - server0) / 100.0 / ((System.nanoTime() - nano0) / 1e9);
    }
    ph.mqttAtEnd = mqttReceived();

    // every answer in (the server's or the broker's), then every accepted change delivered, or
    // nothing new for 10 s
    long until = System.currentTimeMillis() + 60_000;
    while (driver.busy() && System.currentTimeMillis() < until) {
      Thread.sleep(50);
    }
    long lastMissing = Long.MAX_VALUE;
    long lastProgress = System.currentTimeMillis();
    until = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < until) {
      long missing = missing(ledger, subs, p);
      if (missing == 0) {
        break;
      }
      if (missing < lastMissing) {
        lastMissing = missing;
        lastProgress = System.currentTimeMillis();
      } else if (System.currentTimeMillis() - lastProgress > 10_000) {
        break;
      }
      Thread.sleep(250);
    }
    ph.missingAfterDrain = missing(ledger, subs, p);
    ph.drained = System.currentTimeMillis();
    ph.mqttAfterDrain = mqttReceived();
    log(
        "phase %d drained in %.1f s; %,d accepted changes not received",
        p, (ph.drained - ph.end) / 1e3, ph.missingAfterDrain);
    if (ph.missingAfterDrain > 0) {
      ledger.accepted.entrySet().stream()
          .filter(
              e ->
                  e.getValue().phase() == p
                      && !subs.get(e.getValue().area()).received.contains(e.getKey()))
          .limit(5)
          .forEach(e -> log("  e.g. %s %s", e.getKey(), e.getValue()));
    }
    return ph;
  }

  /**
   * Whether a phase must go on for the stalled subscriber: until 2 s after the server ended it, so
   * that the phase also has changes sent after it, but not past {@code latest}.
   */
  private static boolean stalledOn(StalledSubscriber stalled, long latest) {
    long now = System.currentTimeMillis();
    if (stalled == null || now >= latest) {
      return false;
    }
    return stalled.endedAt() == 0 || now < stalled.endedAt() + 2000;
  }

  private static long missing(Ledger ledger, List<Subscriber> subs, int p) {
    long n = 0;
    for (Map.Entry<Key, Sent> e : ledger.accepted.entrySet()) {
      if (e.getValue().phase() == p
          && !subs.get(e.getValue().area()).received.contains(e.getKey())) {
        n++;
      }
    }
    return n;
  }

  // ---------------------------------------------------------------------------------- the report

  /**
   * p99 by the window the changes were sent in, {@code step} seconds each: when latency rose and
   * fell ("-": nothing sent then was received, a skipped or lost stretch).
   */
  private static String p99Series(List<Subscriber> kept, Phase ph, int step) {
    StringBuilder series = new StringBuilder();
    for (long from = ph.start; from < ph.end; from += step * 1000L) {
      Samples.Sorted.Builder sb = new Samples.Sorted.Builder();
      Samples.Filter f = new Samples.Filter(from, Math.min(ph.end, from + step * 1000L), null);
      kept.forEach(x -> x.samples.collect(f, sb));
      Samples.Sorted window = sb.build();
      series.append(
          window.count() == 0 ? " -" : String.format(Locale.ROOT, " %,d", window.percentile(99)));
    }
    return series.toString();
  }

  private void report(
      LiveCity city,
      LoadDriver driver,
      Ledger ledger,
      List<Subscriber> subs,
      Phase[] phases,
      String stalledLine,
      long stalledEnd,
      Map<String, String> metrics) {
    GcPauses gc = gcLog == null ? GcPauses.none() : GcPauses.read(gcLog);
    if (gcLog != null && gc.count() == 0) {
      // a server always pauses while it loads: none read means the log's format moved
      failures.add("no GC pause could be read from " + gcLog);
    }
    List<Subscriber> kept = subs.stream().filter(s -> s.troubleAt == 0).toList();
    List<Subscriber> behind = subs.stream().filter(s -> s.troubleAt != 0).toList();
    if (!behind.isEmpty()) {
      failures.add(behind.size() + " subscribers fell behind or were closed");
    }
    out("");
    if (phases[WARMUP] != null) {
      Phase w = phases[WARMUP];
      int step = Math.max(1, (int) Math.ceil((w.end - w.start) / 30e3));
      out(
          "warm-up: %.1f s of load (not measured); p99 in ms of the changes sent in each %d s:%s;"
              + " the server's GC pauses: %s",
          (w.end - w.start) / 1e3, step, p99Series(kept, w, step), gc.between(w.start, w.drained));
    }
    out("stalled subscriber (whole city): %s", stalledLine);
    long[] p99 = new long[PHASES];
    for (int p = BEFORE; p <= AFTER; p++) {
      Phase ph = phases[p];
      double secs = (ph.end - ph.start) / 1e3;
      out("");
      out(
          "phase %d, %s: %.1f s of load, drained in %.1f s; CPU: the load generator %.0f%% of one"
              + " core, the server %s",
          p,
          p == WITH
              ? "with the extra subscriber"
              : p == BEFORE ? "without it, before" : "without it, after",
          secs,
          (ph.drained - ph.end) / 1e3,
          ph.loadCpu * 100,
          ph.serverCpu < 0 ? "?" : String.format(Locale.ROOT, "%.0f%%", ph.serverCpu * 100));
      long acceptedAll = 0;
      for (Source s : Source.values()) {
        int i = s.ordinal();
        long acc = ledger.acceptedCount[p][i].sum();
        acceptedAll += acc;
        out(
            "  %-31s due %,9d  skipped %,7d  failed %,6d  left out (not newer) %,5d  accepted %,9d = %,7.0f/s",
            s.label,
            driver.issued[p][i].sum(),
            driver.skipped[p][i].sum(),
            driver.failed[p][i].sum(),
            driver.ignored[p][i].sum(),
            acc,
            acc / secs);
        if (driver.failed[p][i].sum() > 0) {
          failures.add("phase " + p + ": " + driver.failed[p][i].sum() + " " + s.label + " failed");
        }
      }
      out(
          "  all changes accepted: %,d = %,.0f/s (target %,.0f/s)",
          acceptedAll, acceptedAll / secs, rate);
      out(
          "  the server took %,.0f MQTT messages from the broker during the load (%,.0f/s) and %,.0f"
              + " more while the phase drained",
          ph.mqttAtEnd - ph.mqttAtStart,
          (ph.mqttAtEnd - ph.mqttAtStart) / secs,
          ph.mqttAfterDrain - ph.mqttAtEnd);
      out(
          "  the server's GC pauses from the phase's start to its drain: %s",
          gc.between(ph.start, ph.drained));
      if (acceptedAll == 0) {
        failures.add("phase " + p + ": no change was accepted");
      }

      Samples.Filter all = new Samples.Filter(ph.start, ph.end, null);
      Samples.Sorted.Builder b = new Samples.Sorted.Builder();
      kept.forEach(s -> s.samples.collect(all, b));
      Samples.Sorted lat = b.build();
      p99[p] = lat.percentile(99);
      out("  delivery latency, send to receive, %d subscribers that kept up:", kept.size());
      out("    every change: %s", lat.summary());
      for (Source s : Source.values()) {
        Samples.Sorted.Builder bs = new Samples.Sorted.Builder();
        Samples.Filter f = new Samples.Filter(ph.start, ph.end, s);
        kept.forEach(x -> x.samples.collect(f, bs));
        out("    %-31s %s", s.label + ":", bs.build().summary());
      }
      if (p == WITH
          && stalledEnd != Long.MAX_VALUE
          && stalledEnd > ph.start
          && stalledEnd < ph.end) {
        Samples.Sorted.Builder w = new Samples.Sorted.Builder();
        Samples.Filter f = new Samples.Filter(ph.start, stalledEnd, null);
        kept.forEach(x -> x.samples.collect(f, w));
        Samples.Sorted while_ = w.build();
        Samples.Sorted.Builder w2 = new Samples.Sorted.Builder();
        Samples.Filter f2 = new Samples.Filter(stalledEnd, ph.end, null);
        kept.forEach(x -> x.samples.collect(f2, w2));
        out("    sent while the stalled one was connected: %s", while_.summary());
        out("    sent after the server ended it:          %s", w2.build().summary());
      }
      StringBuilder answered = new StringBuilder();
      for (Source s : Source.values()) {
        Samples.Sorted a =
            driver
                .answers
                .collect(new Samples.Filter(ph.start, ph.end, s), new Samples.Sorted.Builder())
                .build();
        answered.append(
            String.format(
                Locale.ROOT,
                "%s%s p50 %,d ms, p99 %,d ms",
                answered.length() == 0 ? "" : "; ",
                s == Source.MQTT_POSITION ? "MQTT PUBACK" : s.label.replace(" over HTTP", ""),
                a.percentile(50),
                a.percentile(99)));
      }
      out("    the writes' answers (send to 200 or PUBACK): %s", answered);
      int step = Math.max(1, (int) Math.ceil(secs / 30));
      out(
          "    p99 in ms of the changes sent in each %d s of the phase:%s",
          step, p99Series(kept, ph, step));
      List<Long> perSub = new ArrayList<>();
      for (Subscriber s : kept) {
        Samples.Sorted one = s.samples.collect(all, new Samples.Sorted.Builder()).build();
        if (one.count() > 0) {
          perSub.add(one.percentile(99));
        }
      }
      perSub.sort(null);
      if (!perSub.isEmpty()) {
        out(
            "    p99 per subscriber: lowest %,d ms, median %,d ms, highest %,d ms",
            perSub.get(0), perSub.get(perSub.size() / 2), perSub.get(perSub.size() - 1));
      }

      // lost: accepted, meant for a subscriber that kept up, never received
      long[] lost = new long[Source.values().length];
      long[] expected = new long[Source.values().length];
      int[] lostBy = new int[subs.size()];
      for (Map.Entry<Key, Sent> e : ledger.accepted.entrySet()) {
        Sent sent = e.getValue();
        Subscriber s = subs.get(sent.area());
        if (sent.phase() != p || s.troubleAt != 0) {
          continue;
        }
        expected[sent.source().ordinal()]++;
        if (!s.received.contains(e.getKey())) {
          lost[sent.source().ordinal()]++;
          lostBy[sent.area()]++;
        }
      }
      long lostAll = 0;
      StringBuilder line = new StringBuilder();
      for (Source s : Source.values()) {
        lostAll += lost[s.ordinal()];
        line.append(
            String.format(
                Locale.ROOT,
                "%s%s %,d of %,d",
                line.length() == 0 ? "" : "; ",
                s.label,
                lost[s.ordinal()],
                expected[s.ordinal()]));
      }
      int withLoss = 0;
      for (int n : lostBy) {
        withLoss += n > 0 ? 1 : 0;
      }
      out(
          "  lost (accepted, never received by a subscriber that kept up): %,d (%s), at %d subscribers",
          lostAll, line, withLoss);
      if (lostAll > 0) {
        failures.add(
            "phase " + p + ": " + lostAll + " changes lost at " + withLoss + " subscribers");
      }
    }

    out("");
    out("subscribers: %d kept up, %d fell behind or were closed", kept.size(), behind.size());
    for (Subscriber s : behind) {
      out(
          "  %s: %d catch-ups, %d reloads, close %d %s, error %s",
          s.unit, s.catchUps.get(), s.reloads.get(), s.closeStatus, s.closeReason, s.error);
    }
    long dup = subs.stream().mapToLong(s -> s.duplicates.get()).sum();
    long msgs = subs.stream().mapToLong(s -> s.messages.get()).sum();
    out("  %,d messages received in all, %,d changes received twice", msgs, dup);
    if (p99[BEFORE] > 0 && p99[WITH] > 0 && p99[AFTER] > 0) {
      double without = (p99[BEFORE] + p99[AFTER]) / 2.0;
      long worst = Math.max(p99[WITH], Math.max(p99[BEFORE], p99[AFTER]));
      out(
          "p99 of the subscribers that kept up: %,d ms with the %s subscriber; without it %,d ms"
              + " before and %,d ms after, mean %,.0f ms (%+.0f%% against the mean; target within"
              + " 20%%); target p99 <= 500 ms in every phase: %s",
          p99[WITH],
          extra,
          p99[BEFORE],
          p99[AFTER],
          without,
          (p99[WITH] - without) * 100.0 / without,
          worst <= 500 ? "met" : "missed");
    }
    out(
        "(due: the changes the rate asked for; skipped: not sent, because every force or incident of"
            + " the source had a change on its way (HTTP: unanswered; MQTT: not yet received by its"
            + " subscriber) or %d position batches were unanswered; failed: not answered 200, or no"
            + " PUBACK)",
        LoadDriver.MAX_BATCHES_IN_FLIGHT);
    out(
        "HTTP requests: %,d in phase 1, %,d in phase 2, %,d in phase 3; not answered 200:",
        driver.requests[BEFORE].sum(), driver.requests[WITH].sum(), driver.requests[AFTER].sum());
    if (driver.errors.isEmpty()) {
      out("  none");
    }
    driver.errors.forEach((k, v) -> out("  %s: %,d", k, v.sum()));
    driver.errorSamples.forEach(e -> out("  e.g. %s", e));
    long published = 0;
    for (int p = WARMUP; p <= AFTER; p++) {
      published += ledger.acceptedCount[p][Source.MQTT_POSITION.ordinal()].sum();
    }
    double received = Double.parseDouble(metrics.getOrDefault("mqtt_messages_received_total", "0"));
    out(
        "MQTT: %,d positions acknowledged by the broker to the load (warm-up included), %,.0f taken by"
            + " the server: %,.0f never reached it (a broker queues at most max_queued_messages for a"
            + " client beyond its max_inflight_messages and drops the rest: Mosquitto's defaults are"
            + " 1,000 and 20)",
        published, received, published - received);
    out("  the server's /metrics: %s", metrics);
  }
}
