package io.gridmap.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.server.cli.Main;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server in a process of its own ({@code mapserver serve} on the test classpath), for tests that
 * kill or pause it as an operator's machine would: SIGKILL, SIGSTOP. Its output goes to a file the
 * test reads; an admin token signed with its secret comes from the {@code token} command.
 */
public final class ServerProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  public final Process process;
  public final Path log;
  public final String base;
  public final String token;

  private ServerProcess(Process process, Path log, String base, String token) {
    this.process = process;
    this.log = log;
    this.base = base;
    this.token = token;
  }

  /**
   * A config file in {@code dir} for server processes: access log off, its secrets and audit log in
   * {@code dir} (processes started with one config share the token secret).
   */
  public static Path config(Path dir) throws IOException {
    Path config = dir.resolve("server.conf");
    Files.writeString(
        config,
        String.join(
            "\n",
            "access_log = off",
            "token_secret_file = " + dir.resolve("token.secret"),
            "api_keys_file = " + dir.resolve("api_keys"),
            "audit_log = " + dir.resolve("audit.jsonl"),
            ""));
    return config;
  }

  /**
   * A config file for one node of a cluster on loopback: the shared settings of {@link
   * #config(Path)} (one token secret for all), this node's cluster port, the others' as members,
   * heartbeats missed for 4 s counting a node gone and turns to write of {@code turnSeconds}.
   */
  public static Path clusterConfig(Path dir, int node, List<Integer> clusterPorts, int turnSeconds)
      throws IOException {
    Path shared = config(dir);
    Path config = dir.resolve("node" + node + ".conf");
    List<String> others = new ArrayList<>();
    for (int i = 0; i < clusterPorts.size(); i++) {
      if (i != node) {
        others.add("127.0.0.1:" + clusterPorts.get(i));
      }
    }
    Files.writeString(
        config,
        Files.readString(shared)
            + String.join(
                "\n",
                "cluster = true",
                "cluster_host = 127.0.0.1",
                "cluster_port = " + clusterPorts.get(node),
                "cluster_members = " + String.join(",", others),
                "cluster_failure_s = 4",
                "writer_turn_s = " + turnSeconds,
                ""));
    return config;
  }

  private static final java.util.regex.Pattern COORDINATES =
      java.util.regex.Pattern.compile("\"coordinates\":\\[([-0-9.]+),([-0-9.]+)\\]");

  /** The path of the city's z tile that holds lon/lat. */
  public static String tilePath(int z, double lon, double lat) {
    int n = 1 << z;
    int x = (int) Math.floor((lon + 180) / 360 * n);
    double r = Math.toRadians(lat);
    int y = (int) Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * n);
    return "/tiles/cq/" + z + "/" + x + "/" + y + ".mvt";
  }

  /** Where this server shows a force now, as "lon,lat" the way it writes them. */
  public String position(long force) throws Exception {
    HttpResponse<String> r = get("/collections/forces/items/" + force);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    java.util.regex.Matcher m = COORDINATES.matcher(r.body());
    assertThat(m.find()).as(r.body()).isTrue();
    return Double.parseDouble(m.group(1)) + "," + Double.parseDouble(m.group(2));
  }

  /** Free loopback ports, for cluster members. */
  public static List<Integer> freePorts(int n) throws IOException {
    List<Integer> ports = new ArrayList<>();
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0);
        held.add(s);
        ports.add(s.getLocalPort());
      }
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
    return ports;
  }

  /**
   * Starts {@code serve --store store} on a free loopback port and waits (60 s at most) until
   * {@code /health} answers 200.
   *
   * @param jvmOptions e.g. {@code -Dgridmap.failpoint=...}
   */
  public static ServerProcess start(String store, Path config, List<String> jvmOptions)
      throws Exception {
    return start(System.getProperty("java.class.path"), store, config, jvmOptions);
  }

  /**
   * As {@link #start(String, Path, List)}, with the server's classes from {@code classpath}:
   * another build of it, such as an older release's jar ({@link OldRelease}). The admin token still
   * comes from the test's own build, signed with the config's secret, which every version reads
   * alike.
   */
  public static ServerProcess start(
      String classpath, String store, Path config, List<String> jvmOptions) throws Exception {
    int port = freePorts(1).get(0);
    Path log = Files.createTempFile(config.getParent(), "server", ".log");
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-cp",
            classpath,
            Main.class.getName(),
            "serve",
            "--store",
            store,
            "--port",
            String.valueOf(port),
            "--host",
            "127.0.0.1",
            "--config",
            config.toString()));
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ServerProcess server = new ServerProcess(p, log, "http://127.0.0.1:" + port, token(config));
    try {
      server.awaitReady();
    } catch (Exception | AssertionError e) {
      p.destroyForcibly();
      throw e;
    }
    return server;
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** An admin token from the token command, signed with the config's secret. */
  private static String token(Path config) throws Exception {
    Process p =
        new ProcessBuilder(
                java(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "token",
                "--role",
                "admin",
                "--subject",
                "process-test",
                "--config",
                config.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    return out;
  }

  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      assertThat(process.isAlive()).as("the server is running; its log:%n%s", log()).isTrue();
      try {
        if (get("/health").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the server was not ready in 60 s; its log:\n" + log());
  }

  /** Waits until the log holds {@code line} (60 s at most). */
  public void awaitLog(String line) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (log().contains(line)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the server never logged '" + line + "'; its log:\n" + log());
  }

  /** SIGKILL (Process.destroyForcibly on Linux), and waits until the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
  }

  /**
   * SIGTERM (Process.destroy on Linux), as an operator stops a node: the server shuts down
   * gracefully; waits (30 s at most) until the process is gone.
   */
  public void stop() throws Exception {
    process.destroy();
    assertThat(process.waitFor(30, TimeUnit.SECONDS))
        .as("the server stops within 30 s of SIGTERM; its log:%n%s", log())
        .isTrue();
  }

  /**
   * A live subscriber with the admin token: every text message of {@code /live/ws?query} goes into
   * {@code into}, whole.
   */
  public java.net.http.WebSocket subscribe(
      String query, java.util.concurrent.BlockingQueue<String> into) throws Exception {
    return HttpClient.newHttpClient()
        .newWebSocketBuilder()
        .header("Authorization", "Bearer " + token)
        .buildAsync(
            URI.create(base.replace("http:", "ws:") + "/live/ws?" + query), new WholeMessages(into))
        .get(10, TimeUnit.SECONDS);
  }

  /** SIGSTOP: the process stops where it is, holding its sockets and sessions. */
  public void pause() throws Exception {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause}. */
  public void resume() throws Exception {
    signal("CONT");
  }

  private void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).as("kill -" + name).isZero();
  }

  /** GET with the admin token. */
  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GET of bytes (a tile) with the admin token. */
  public HttpResponse<byte[]> getBytes(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** POST of a JSON body with the admin token, answered later. */
  public java.util.concurrent.CompletableFuture<HttpResponse<String>> postLater(
      String path, String contentType, String body) {
    return HTTP.sendAsync(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", contentType)
            .timeout(java.time.Duration.ofSeconds(120))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
