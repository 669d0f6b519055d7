package io.gridmap.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.testing.TestDatasets;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that hold a connection without doing their part are closed after the configured bounds,
 * through the real stack with raw sockets: one that sends nothing, one that trickles its headers
 * (slowloris), one whose body never arrives (408), one that stays idle after a response. A client
 * that does its part keeps its connection, and a WebSocket subscriber that answers pings stays
 * connected long past the idle timeout. Bounds are 2 s (pings 1 s); the tests wait up to 10 s.
 */
class ConnectionTimeoutsTest {
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        TestServer.start(
            TestDatasets.tiny(),
            Map.of(
                "header_timeout_s", "2",
                "body_timeout_s", "2",
                "idle_timeout_s", "2",
                "ws_ping_s", "1"));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static int port() {
    return server.server().port();
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port() + "\r\n\r\n";
  }

  private static String locateBatch(String body, int contentLength) {
    return "POST /query/locate HTTP/1.1\r\nHost: 127.0.0.1:"
        + port()
        + "\r\nAuthorization: "
        + server.analyst()
        + "\r\nContent-Type: application/json\r\nContent-Length: "
        + contentLength
        + "\r\n\r\n"
        + body;
  }

  /** Connections closed so far for {@code reason} ("header", "body", "idle"), from /metrics. */
  private static double closedFor(String reason) throws IOException {
    return counter("gridmap_http_" + reason + "_timeouts_total");
  }

  /** A counter's value in /metrics. */
  private static double counter(String name) throws IOException {
    RawHttp.Response metrics =
        RawHttp.send(
            port(),
            RawHttp.request(
                "GET",
                "/metrics",
                "HTTP/1.1",
                "Host",
                "127.0.0.1:" + port(),
                "Authorization",
                server.bearer(Role.ADMIN, "")));
    Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(metrics.text());
    assertThat(m.find()).as("%s in /metrics", name).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void aClientThatDoesItsPartKeepsItsConnectionAcrossShortPauses() throws Exception {
    try (RawHttp.Conn c = new RawHttp.Conn(port())) {
      for (int i = 0; i < 3; i++) {
        assertThat(c.write(get("/health")).response().status()).isEqualTo(200);
        Thread.sleep(700);
      }
      String body = "{\"points\":[[0.5,0.5]]}";
      RawHttp.Response located = c.write(locateBatch(body, body.length())).response();
      assertThat(located.status()).as(located.text()).isEqualTo(200);
      assertThat(c.write(get("/health")).response().status()).isEqualTo(200);
    }
  }

  @Test
  void aConnectionIdleAfterAResponseIsClosed() throws Exception {
    try (RawHttp.Conn c = new RawHttp.Conn(port())) {
      assertThat(c.write(get("/health")).response().status()).isEqualTo(200);
      assertThat(c.closedByServer()).as("closed within 10 s of idling").isTrue();
    }
  }

  @Test
  void tilesAnsweredAtTheSocketKeepTheConnectionAliveThenItIdlesOut() throws Exception {
    String empty = get("/tiles/cq/14/0/0.mvt");
    try (RawHttp.Conn c = new RawHttp.Conn(port())) {
      assertThat(c.write(empty).response().status()).isEqualTo(204); // cached now
      double before = counter("tile_lane_socket_responses_total");
      // 3.6 s of requests, each well inside the 2 s idle bound of the one before
      for (int i = 0; i < 6; i++) {
        Thread.sleep(600);
        assertThat(c.write(empty).response().status()).as("request %d", i).isEqualTo(204);
      }
      assertThat(counter("tile_lane_socket_responses_total"))
          .as("answered at the socket")
          .isEqualTo(before + 6);
      assertThat(c.closedByServer()).as("closed within 10 s of idling").isTrue();
    }
  }

  @Test
  void aConnectionThatSendsNothingIsClosed() throws Exception {
    double before = closedFor("header");
    try (RawHttp.Conn c = new RawHttp.Conn(port())) {
      assertThat(c.closedByServer()).isTrue();
    }
    assertThat(closedFor("header")).isGreaterThan(before);
  }

  @Test
  void aSlowlorisIsClosedByTheHeaderTimeoutAlthoughItKeepsSending() throws Exception {
    double before = closedFor("header");
    AtomicInteger trickled = new AtomicInteger();
    try (RawHttp.Conn c = new RawHttp.Conn(port())) {
      c.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + port() + "\r\nX-Slow: ");
      Thread trickler =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 150; i++) { // 15 s at most
                    c.write("a");
                    trickled.incrementAndGet();
                    Thread.sleep(100);
                  }
                } catch (IOException | InterruptedException e) {
                  // closed by the server: done
                }
              });
      trickler.start();
      assertThat(c.closedByServer()).as("closed within 10 s although it keeps sending").isTrue();
      trickler.interrupt();
      trickler.join();
    }
    // it was still sending a byte every 0.1 s when the 2 s bound closed it
    assertThat(trickled.get()).isGreaterThanOrEqualTo(10);
    assertThat(closedFor("header")).isGreaterThan(before);
  }

  @Test
  void aBodyThatDoesNotArriveGets408AndTheConnectionIsClosed() throws Exception {
    double before = closedFor("body");
    try (RawHttp.Conn c = new RawHttp.Conn(port())) {
      RawHttp.Response r = c.write(locateBatch("{\"points\":", 100)).response();
      assertThat(r.status()).isEqualTo(408);
      assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
      assertThat(r.text()).contains("\"status\":408", "body_timeout_s", "/query/locate");
      assertThat(r.header("X-Request-Id")).isNotNull();
      assertThat(r.text()).contains("\"request_id\":\"" + r.header("X-Request-Id") + "\"");
      assertThat(c.closedByServer()).isTrue();
    }
    assertThat(closedFor("body")).isGreaterThan(before);
  }

  @Test
  void aClientThatLeavesInTheMiddleOfItsBodyIsNoServerError() throws Exception {
    PrintStream err = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
      try (RawHttp.Conn c = new RawHttp.Conn(port())) {
        c.write(locateBatch("{\"points\":", 100));
        Thread.sleep(300);
      }
      Thread.sleep(500);
    } finally {
      System.setErr(err);
    }
    // once an ERROR with a stack trace ("unexpected failure") per client that left
    assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("ERROR", "\tat ");
  }

  @Test
  void aWebSocketSubscriberAnsweringPingsOutlivesTheIdleTimeoutAndAnIdleHttpConnectionDoesNot()
      throws Exception {
    try (RawWebSocket ws = RawWebSocket.open(port(), "/live/ws");
        RawHttp.Conn http = new RawHttp.Conn(port())) {
      assertThat(http.write(get("/health")).response().status()).isEqualTo(200);
      int pings = 0;
      long until = System.nanoTime() + 5_000_000_000L; // 2.5 idle timeouts, saying nothing
      while (System.nanoTime() < until) {
        RawWebSocket.Frame f = ws.next();
        assertThat(f).as("the subscriber is still connected").isNotNull();
        assertThat(f.opcode()).as("no close frame").isNotEqualTo(RawWebSocket.CLOSE);
        if (f.opcode() == RawWebSocket.PING) {
          pings++;
          ws.send(RawWebSocket.PONG, f.payload());
        }
      }
      assertThat(pings).as("pings in 5 s at one a second").isGreaterThanOrEqualTo(3);
      assertThat(http.closedByServer()).as("the idle HTTP connection is closed").isTrue();
      // still open both ways: the server answers a ping of ours
      ws.send(RawWebSocket.PING, "still-there".getBytes(StandardCharsets.UTF_8));
      RawWebSocket.Frame f;
      do {
        f = ws.next();
        assertThat(f).isNotNull();
        if (f.opcode() == RawWebSocket.PING) {
          ws.send(RawWebSocket.PONG, f.payload());
        }
      } while (f.opcode() != RawWebSocket.PONG);
      assertThat(new String(f.payload(), StandardCharsets.UTF_8)).isEqualTo("still-there");
    }
  }

  @Test
  void aWebSocketSubscriberThatStopsAnsweringPingsIsClosed() throws Exception {
    try (RawWebSocket ws = RawWebSocket.open(port(), "/live/ws")) {
      int pings = 0;
      RawWebSocket.Frame f;
      while ((f = ws.next()) != null && f.opcode() != RawWebSocket.CLOSE) {
        if (f.opcode() == RawWebSocket.PING) {
          pings++; // and no pong
        }
      }
      assertThat(f).as("a close frame within 10 s").isNotNull();
      assertThat(ByteBuffer.wrap(f.payload()).getShort())
          .as("close status")
          .isEqualTo((short) 1001);
      assertThat(pings).isEqualTo(2);
    }
  }

  /** A WebSocket client on a raw socket, so that whether it answers pings is the test's choice. */
  private static final class RawWebSocket implements AutoCloseable {
    static final int TEXT = 1;
    static final int CLOSE = 8;
    static final int PING = 9;
    static final int PONG = 10;

    record Frame(int opcode, byte[] payload) {}

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new DataInputStream(socket.getInputStream());
      this.out = socket.getOutputStream();
    }

    /** Upgrades, then reads the {@code subscribed} message. */
    static RawWebSocket open(int port, String path) throws IOException {
      Socket s = new Socket("127.0.0.1", port);
      s.setSoTimeout(10_000);
      RawWebSocket ws = new RawWebSocket(s);
      ws.out.write(
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: 127.0.0.1:"
                  + port
                  + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      StringBuilder head = new StringBuilder();
      while (head.indexOf("\r\n\r\n") < 0) {
        int b = ws.in.read();
        assertThat(b).as("upgrade response: " + head).isNotNegative();
        head.append((char) b);
      }
      assertThat(head.toString()).startsWith("HTTP/1.1 101");
      Frame hello = ws.next();
      assertThat(hello.opcode()).isEqualTo(TEXT);
      assertThat(new String(hello.payload(), StandardCharsets.UTF_8)).contains("subscribed");
      return ws;
    }

    /** The next frame from the server (unmasked, unfragmented), or null when the socket ends. */
    Frame next() throws IOException {
      int b0 = in.read();
      if (b0 < 0) {
        return null;
      }
      int b1 = in.readUnsignedByte();
      long length = b1 & 0x7f;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      byte[] payload = new byte[Math.toIntExact(length)];
      in.readFully(payload);
      return new Frame(b0 & 0x0f, payload);
    }

    /** Sends a final frame, masked as a client must (payload under 126 bytes). */
    void send(int opcode, byte[] payload) throws IOException {
      byte[] mask = new byte[4];
      ThreadLocalRandom.current().nextBytes(mask);
      byte[] frame = new byte[2 + 4 + payload.length];
      frame[0] = (byte) (0x80 | opcode);
      frame[1] = (byte) (0x80 | payload.length);
      System.arraycopy(mask, 0, frame, 2, 4);
      for (int i = 0; i < payload.length; i++) {
        frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
      }
      out.write(frame);
      out.flush();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
