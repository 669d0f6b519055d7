package io.gridmap.server.tiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The socket lane's reader takes the plain heads map clients send and nothing else: anything
 * unusual is null, and goes to Vert.x's decoder.
 */
class TileRequestHeadTest {
  private static TileRequestHead parse(String head) {
    byte[] b = head.getBytes(StandardCharsets.ISO_8859_1);
    return TileRequestHead.parse(b, b.length);
  }

  @Test
  void readsWrksAndABrowsersRequest() {
    TileRequestHead wrk =
        parse(
            "GET /tiles/cq/14/13398/6858.mvt HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
                + "Accept-Encoding: gzip\r\n\r\n");
    assertThat(wrk)
        .isEqualTo(
            new TileRequestHead(
                "/tiles/cq/14/13398/6858.mvt", "127.0.0.1:8080", "gzip", null, null, false, false));
    TileRequestHead browser =
        parse(
            "GET /tiles/cq/9/418/214.mvt HTTP/1.1\r\n"
                + "host: map.example.org\r\n"
                + "Connection: Keep-Alive\r\n"
                + "User-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\n"
                + "Accept: */*\r\n"
                + "origin: https://wall.example.org\r\n"
                + "ACCEPT-ENCODING:gzip, deflate, br  \r\n"
                + "If-None-Match: \t\"abc\"\r\n"
                + "X-Request-Id: edge-1\r\n"
                + "Cookie: a=b; c=d\r\n\r\n");
    assertThat(browser)
        .isEqualTo(
            new TileRequestHead(
                "/tiles/cq/9/418/214.mvt",
                "map.example.org",
                "gzip, deflate, br",
                "\"abc\"",
                "edge-1",
                true,
                false));
    // no Host: read (the router's guard answers 400 for it)
    assertThat(parse("GET /x HTTP/1.1\r\n\r\n").host()).isNull();
  }

  @Test
  void credentialsAndMarksAreReadAsNotAnonymous() {
    for (String h :
        List.of(
            "Authorization: Bearer x",
            "x-api-key: k",
            "Gridmap-Scheduled-Edit: 1",
            "Gridmap-Forwarded-By: node-a")) {
      TileRequestHead head =
          parse("GET /tiles/cq/1/0/0.mvt HTTP/1.1\r\nHost: a\r\n" + h + "\r\n\r\n");
      assertThat(head).as(h).isNotNull();
      assertThat(head.credentials()).as(h).isTrue();
    }
  }

  @Test
  void anythingButOneWholePlainGetIsNull() {
    String ok = "GET /tiles/cq/1/0/0.mvt HTTP/1.1\r\nHost: a\r\n\r\n";
    assertThat(parse(ok)).isNotNull();
    for (String bad :
        List.of(
            "HEAD /tiles/cq/1/0/0.mvt HTTP/1.1\r\nHost: a\r\n\r\n",
            "get /tiles/cq/1/0/0.mvt HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET /tiles/cq/1/0/0.mvt HTTP/1.0\r\nHost: a\r\n\r\n",
            "GET /tiles/cq/1/0/0.mvt HTTP/1.1 \r\nHost: a\r\n\r\n",
            "GET  /tiles/cq/1/0/0.mvt HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET /tiles/cq/1/0/\u00e90.mvt HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET /tiles/cq/1/0/0.mvt\tHTTP/1.1\r\nHost: a\r\n\r\n",
            // cut short, or more after the head (pipelined, a body)
            "GET /tiles/cq/1/0/0.mvt HTTP/1.1\r\nHost: a\r\n",
            "GET /tiles/cq/1/0/0.mvt HTTP/1.1\r\nHost: a\r\n\r",
            ok + ok,
            ok + "x",
            // bare LF, folded line, space before the colon, no name, not a token, a control byte
            "GET /tiles/cq/1/0/0.mvt HTTP/1.1\nHost: a\n\n",
            "GET /tiles/cq/1/0/0.mvt HTTP/1.1\r\nHost: a\nX: b\r\n\r\n",
            "GET /tiles/cq/1/0/0.mvt HTTP/1.1\r\nHost: a\r\n b\r\n\r\n",
            "GET /tiles/cq/1/0/0.mvt HTTP/1.1\r\nHost : a\r\n\r\n",
            "GET /tiles/cq/1/0/0.mvt HTTP/1.1\r\n: a\r\nHost: a\r\n\r\n",
            "GET /tiles/cq/1/0/0.mvt HTTP/1.1\r\nX(y): a\r\nHost: a\r\n\r\n",
            "GET /tiles/cq/1/0/0.mvt HTTP/1.1\r\nX: a\u0000b\r\nHost: a\r\n\r\n",
            "GET /tiles/cq/1/0/0.mvt HTTP/1.1\r\nX: caf\u00e9\r\nHost: a\r\n\r\n",
            // twice what is read once
            "GET /tiles/cq/1/0/0.mvt HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "GET /tiles/cq/1/0/0.mvt HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n"
                + "accept-encoding: br\r\n\r\n",
            "GET /tiles/cq/1/0/0.mvt HTTP/1.1\r\nHost: a\r\nIf-None-Match: *\r\n"
                + "If-None-Match: *\r\n\r\n",
            "GET /tiles/cq/1/0/0.mvt HTTP/1.1\r\nHost: a\r\nX-Request-Id: a\r\n"
                + "X-Request-Id: b\r\n\r\n",
            // a body, an upgrade, an expectation, a close
            "GET /tiles/cq/1/0/0.mvt HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
            "GET /tiles/cq/1/0/0.mvt HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
            "GET /tiles/cq/1/0/0.mvt HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n",
            "GET /tiles/cq/1/0/0.mvt HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n",
            "GET /tiles/cq/1/0/0.mvt HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
            "GET /tiles/cq/1/0/0.mvt HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n\r\n")) {
      assertThat(parse(bad)).as(bad.replace("\r", "\\r").replace("\n", "\\n")).isNull();
    }
    // longer than Vert.x's header limit
    String big =
        "GET /tiles/cq/1/0/0.mvt HTTP/1.1\r\nHost: a\r\nX: " + "a".repeat(8200) + "\r\n\r\n";
    assertThat(parse(big)).isNull();
  }
}
