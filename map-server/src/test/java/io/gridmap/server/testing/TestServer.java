package io.gridmap.server.testing;

import io.gridmap.layers.model.Dataset;
import io.gridmap.server.config.ServerConfig;
import io.gridmap.server.http.Content;
import io.gridmap.server.http.MapServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real server on a free loopback port over a dataset, with a small HTTP client for tests. */
public final class TestServer implements AutoCloseable {
  private final MapServer server;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private TestServer(MapServer server) {
    this.server = server;
  }

  /** Starts a server over {@code dataset} and waits (10 s at most) until it is ready. */
  public static TestServer start(Dataset dataset) throws Exception {
    return start(dataset, Map.of());
  }

  /** As {@link #start(Dataset)} with extra settings (config keys as in {@code mapserver config}). */
  public static TestServer start(Dataset dataset, Map<String, String> settings) throws Exception {
    Map<String, String> s = new HashMap<>(Map.of("host", "127.0.0.1", "port", "0", "access_log", "off"));
    s.putAll(settings);
    ServerConfig config = ServerConfig.of(s);
    MapServer server = MapServer.start(config, () -> Content.of(dataset, config.tileCacheBytes(), "test city"));
    server.ready().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return new TestServer(server);
  }

  public MapServer server() {
    return server;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  /** GET with optional header pairs ("Accept-Encoding", "gzip", ...). */
  public HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30)).GET();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** GET returning the body as UTF-8 text. */
  public HttpResponse<String> getText(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30)).GET();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpClient client() {
    return http;
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
