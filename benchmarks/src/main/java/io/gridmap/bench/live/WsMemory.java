package io.gridmap.bench.live;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's heap per command centre's live WebSocket (issue 14, point 7): one subscriber per
 * street ({@code /live/ws?layers=forces,events&unit=<street>}, as a street's command centre opens
 * it), the server's heap after a full collection measured before they connect and once all are
 * subscribed, the difference divided by their number. The heap is read with {@code jcmd <pid>
 * GC.heap_info} after {@code jcmd <pid> GC.run} (the lowest of three readings each time).
 *
 * <pre>
 * java -cp benchmarks.jar io.gridmap.bench.live.WsMemory --url http://127.0.0.1:PORT \
 *     --token-file admin.token --server-pid PID [--count 1031]
 * </pre>
 */
public final class WsMemory {
  private WsMemory() {}

  public static void main(String[] args) throws Exception {
    String url = null;
    Path tokenFile = null;
    long pid = -1;
    int count = Integer.MAX_VALUE;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--url" -> url = args[i + 1];
        case "--token-file" -> tokenFile = Path.of(args[i + 1]);
        case "--server-pid" -> pid = Long.parseLong(args[i + 1]);
        case "--count" -> count = Integer.parseInt(args[i + 1]);
        default -> usage("unknown option " + args[i]);
      }
    }
    if (url == null || tokenFile == null || pid < 0 || args.length % 2 != 0) {
      usage("--url, --token-file and --server-pid are required");
    }
    URI base = URI.create(url + "/");
    if (!"127.0.0.1".equals(base.getHost())) {
      usage("--url must be on 127.0.0.1, got " + base.getHost());
    }
    String token = Files.readString(tokenFile).strip();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    List<String> streets = streets(http, base, token, count);
    if (streets.isEmpty()) {
      throw new IllegalStateException("the server lists no streets");
    }
    long before = heapAfterGc(pid);
    List<Quiet> subs = new ArrayList<>();
    List<WebSocket> sockets = new ArrayList<>();
    long t0 = System.nanoTime();
    for (String street : streets) {
      Quiet q = new Quiet();
      sockets.add(
          http.newWebSocketBuilder()
              .header("Authorization", "Bearer " + token)
              .connectTimeout(Duration.ofSeconds(10))
              .buildAsync(
                  URI.create(
                      "ws://127.0.0.1:"
                          + base.getPort()
                          + "/live/ws?layers=forces,events&unit="
                          + street),
                  q)
              .get(30, TimeUnit.SECONDS));
      subs.add(q);
    }
    for (Quiet q : subs) {
      q.subscribed.get(60, TimeUnit.SECONDS);
    }
    double connectS = (System.nanoTime() - t0) / 1e9;
    long after = heapAfterGc(pid);
    long per = (after - before) / streets.size();
    System.out.printf(
        Locale.ROOT,
        "WsMemory %d live WebSockets (one per street, layers forces and events): heap after a full"
            + " GC %,d -> %,d bytes, %,d bytes per connection (%.1f KiB); all subscribed in %.1f"
            + " s%n",
        streets.size(),
        before,
        after,
        per,
        per / 1024.0,
        connectS);
    for (WebSocket ws : sockets) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    }
  }

  /** A subscriber that reads and drops every message, noting when it is subscribed. */
  private static final class Quiet extends io.gridmap.bench.TextMessages {
    final CompletableFuture<Void> subscribed = new CompletableFuture<>();

    @Override
    protected void message(String text) {
      if (text.contains("\"subscribed\"")) {
        subscribed.complete(null);
      }
    }
  }

  /** Up to {@code count} street codes, as the server lists them (page after page). */
  private static List<String> streets(HttpClient http, URI base, String token, int count)
      throws IOException, InterruptedException {
    List<String> codes = new ArrayList<>();
    URI page = base.resolve("collections/streets/items?limit=10000&properties=code");
    while (page != null && codes.size() < count) {
      HttpResponse<String> res =
          http.send(
              HttpRequest.newBuilder(page)
                  .header("Authorization", "Bearer " + token)
                  .header("Accept", "application/geo+json")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (res.statusCode() != 200) {
        throw new IllegalStateException(
            "GET " + page + " answered " + res.statusCode() + ": " + res.body());
      }
      JsonObject doc = new JsonObject(res.body());
      JsonArray features = doc.getJsonArray("features");
      for (int i = 0; i < features.size() && codes.size() < count; i++) {
        codes.add(
            features.getJsonObject(i).getJsonObject("properties").getValue("code").toString());
      }
      page = null;
      JsonArray links = doc.getJsonArray("links", new JsonArray());
      for (int i = 0; i < links.size(); i++) {
        JsonObject l = links.getJsonObject(i);
        if ("next".equals(l.getString("rel")) && !features.isEmpty()) {
          page = base.resolve(l.getString("href"));
        }
      }
    }
    return codes;
  }

  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  /** The server's heap in use after a full collection: the lowest of three readings. */
  static long heapAfterGc(long pid) throws IOException, InterruptedException {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      jcmd(pid, "GC.run");
      String info = jcmd(pid, "GC.heap_info");
      long used = 0;
      // the generations' lines ("PSYoungGen total 1K, used 2K", "ParOldGen total 3K, used 4K");
      // the spaces' lines under them repeat the young generation's parts and are not counted
      for (String line : info.split("\n")) {
        String t = line.strip();
        if (t.startsWith("PSYoungGen")
            || t.startsWith("ParOldGen")
            || t.startsWith("garbage-first")
            || t.startsWith("def new generation")
            || t.startsWith("tenured generation")) {
          Matcher m = USED.matcher(t);
          if (m.find()) {
            used += Long.parseLong(m.group(1)) * 1024;
          }
        }
      }
      if (used == 0) {
        throw new IllegalStateException("no heap figure in jcmd GC.heap_info:\n" + info);
      }
      best = Math.min(best, used);
    }
    return best;
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out);
    }
    return out;
  }

  private static void usage(String why) {
    System.err.println("ws-memory: " + why);
    System.err.println(
        "usage: WsMemory --url http://127.0.0.1:PORT --token-file FILE --server-pid PID [--count"
            + " 1031]");
    System.exit(2);
  }
}
