package io.gridmap.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.testing.TestDatasets;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestServer;
import java.io.IOException;
import java.util.Map;
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
 * that does its part keeps its connection. Bounds are 2 s; the tests wait up to 10 s.
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
    Matcher m =
        Pattern.compile("(?m)^gridmap_http_" + reason + "_timeouts_total (\\S+)$")
            .matcher(metrics.text());
    assertThat(m.find()).as("gridmap_http_%s_timeouts_total in /metrics", reason).isTrue();
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
}
