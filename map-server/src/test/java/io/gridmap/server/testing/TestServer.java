package io.gridmap.server.testing;

import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.server.MapServer;
import io.gridmap.server.config.ServerConfig;
import io.gridmap.server.content.Content;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.Role;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real server on a free loopback port over a dataset, with a small HTTP client for tests. */
public final class TestServer implements AutoCloseable {
  /**
   * Null once closed: test classes keep their server in a static field, which lives as long as the
   * JVM that runs every test class of the module, so a closed server must not keep its city (and
   * caches) reachable. Holding them all had the last test classes of a 40-minute run allocate
   * against a nearly full heap.
   */
  private volatile MapServer server;

  private final String store;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private TestServer(MapServer server) {
    this.server = server;
    this.store = server.config().store();
  }

  private MapServer running() {
    MapServer s = server;
    if (s == null) {
      throw new IllegalStateException("this test server was closed");
    }
    return s;
  }

  /** Starts a server over {@code dataset} and waits (10 s at most) until it is ready. */
  public static TestServer start(Dataset dataset) throws Exception {
    return start(dataset, Map.of());
  }

  /**
   * As {@link #start(Dataset)} with extra settings (config keys as in {@code mapserver config}).
   */
  public static TestServer start(Dataset dataset, Map<String, String> settings) throws Exception {
    Map<String, String> s = isolatedSettings();
    s.putAll(settings);
    ServerConfig config = ServerConfig.of(s);
    MapServer server =
        MapServer.start(
            config,
            () ->
                Content.of(
                    dataset, config.tileCacheBytes(), config.closedWindow(), "test city", null));
    server.ready().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return new TestServer(server);
  }

  /**
   * Writes {@code dataset} to a fresh GeoPackage and serves it from there, so that writes (edits,
   * positions) go to a real store. The file is {@link #storeFile()}.
   */
  public static TestServer startWithStore(Dataset dataset, Map<String, String> settings)
      throws Exception {
    Map<String, String> s = isolatedSettings();
    s.putAll(settings);
    Path file = Path.of(s.get("audit_log")).resolveSibling("city.gpkg");
    try (FeatureStore store = Stores.open(file.toString())) {
      store.write(dataset);
    }
    return startOnStore(file, s);
  }

  /**
   * Serves a GeoPackage as it is, without writing it first: a restart on the {@link #storeFile()}
   * of a closed server.
   */
  public static TestServer startOnStore(Path file, Map<String, String> settings) throws Exception {
    return startOnStore(file.toString(), settings);
  }

  /** Serves the store at {@code location} (a GeoPackage path or a postgresql:// URL) as it is. */
  public static TestServer startOnStore(String location, Map<String, String> settings)
      throws Exception {
    Map<String, String> s = isolatedSettings();
    s.putAll(settings);
    s.put("store", location);
    ServerConfig config = ServerConfig.of(s);
    MapServer server =
        MapServer.start(
            config,
            () -> {
              FeatureStore store = Stores.open(location);
              return Content.of(
                  store.read(),
                  config.tileCacheBytes(),
                  config.closedWindow(),
                  store.location(),
                  store);
            });
    server.ready().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return new TestServer(server);
  }

  /** The GeoPackage a {@link #startWithStore} server writes to. */
  public Path storeFile() {
    return Path.of(store);
  }

  /** POST (or another method with a body) with optional header pairs; the body is sent as UTF-8. */
  public HttpResponse<String> send(String method, String path, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Loopback, a free port, no access log, and the token secret, API keys and audit log in a fresh
   * temporary folder, so that tests never touch a real server's files.
   */
  public static Map<String, String> isolatedSettings() throws IOException {
    Path dir = Files.createTempDirectory("gridmap-test");
    Map<String, String> s = new HashMap<>();
    s.put("host", "127.0.0.1");
    s.put("port", "0");
    s.put("access_log", "off");
    s.put("token_secret_file", dir.resolve("token.secret").toString());
    s.put("api_keys_file", dir.resolve("api_keys").toString());
    s.put("audit_log", dir.resolve("audit.jsonl").toString());
    return s;
  }

  /** An Authorization header value for a token of {@code role} bound to {@code scope}. */
  public String bearer(Role role, String scope) {
    return bearer("test-" + role.code(), role, scope);
  }

  /**
   * An Authorization header value for a token of {@code subject} with {@code role} bound to {@code
   * scope}.
   */
  public String bearer(String subject, Role role, String scope) {
    return "Bearer "
        + running()
            .tokens()
            .issue(new Principal(subject, role, scope, "test"), Duration.ofHours(1));
  }

  /** An analyst's Authorization header: the role that may run every query. */
  public String analyst() {
    return bearer(Role.ANALYST, "");
  }

  public MapServer server() {
    return running();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + running().port();
  }

  /** GET with optional header pairs ("Accept-Encoding", "gzip", ...). */
  public HttpResponse<byte[]> get(String path, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30)).GET();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** GET returning the body as UTF-8 text. */
  public HttpResponse<String> getText(String path, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30)).GET();
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
    MapServer s = server;
    server = null;
    if (s != null) {
      s.close();
    }
  }
}
