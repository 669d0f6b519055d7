package io.gridmap.server.web;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds how long an HTTP/1.1 client may hold a connection without doing its part:
 *
 * <ul>
 *   <li><b>header</b>: a new connection must send a complete request line and headers within {@code
 *       header_timeout_s}, however many bytes it trickles meanwhile (slowloris); else it is closed;
 *   <li><b>body</b>: once the headers are in, the body must arrive in full within {@code
 *       body_timeout_s}; else the client gets 408 problem+json (when no response has started) and
 *       the connection is closed;
 *   <li><b>idle</b>: after a response, the next request's headers must be complete within {@code
 *       idle_timeout_s}, whether the client is silent or trickles them; else it is closed. The
 *       clock starts when the server has handed the whole response to Vert.x, not when the client
 *       has read it ({@link HttpServerResponse#ended()} and every end handler fire on {@code end},
 *       before the bytes leave), so the response's download counts against it: a slow reader is
 *       bounded too, and at 60 s an 8 MiB items page needs about 1.1 Mbit/s.
 * </ul>
 *
 * While the server itself is answering no bound applies here. A connection upgraded to a WebSocket
 * (status 101) is no longer watched: the live stream keeps it alive with pings and closes it when
 * they go unanswered.
 *
 * <p><b>Why hand-written.</b> Vert.x has no header or body timeout. Its idle timeout ({@code
 * HttpServerOptions.setIdleTimeout}) is Netty's {@code IdleStateHandler}: it closes a connection on
 * which no byte moved for a while, so a slowloris sending a byte every few seconds resets it
 * forever; it would also cut a quiet WebSocket subscriber and a response that takes long to
 * compute. The public API shows the moments that matter: a connection opens ({@code
 * connectionHandler}), a request's head is complete ({@code requestHandler}), its body has arrived
 * ({@link HttpServerRequest#isEnded()}) and its response has gone out ({@link
 * HttpServerResponse#ended()}). What it does not show is the first byte of a kept-alive
 * connection's next request, so the header bound there is the idle bound: a client that trickles
 * its second request is closed after {@code idle_timeout_s}, not {@code header_timeout_s}. (The
 * socket's tile lane, a handler in Netty's pipeline, sees bytes but counts only whole requests.)
 *
 * <p><b>Cost.</b> No timer per request: a tile request costs a map lookup, a clock read and two
 * field writes. Each connection has one periodic check, once a second (a quarter of the shortest
 * timeout when that is under four seconds), which reads the state those writes left; so a timeout
 * fires up to one check late. The check polls instead of hooking the response's end because Vert.x
 * Web takes {@code HttpServerResponse.endHandler} for its own end handlers, and a request's {@code
 * endHandler} belongs to {@code BodyHandler}.
 *
 * <p>Every connection is on one event loop: its open, its requests and its checks run on that
 * thread, so a {@link Watch}'s fields need no synchronisation.
 */
public final class ConnectionTimeouts {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionTimeouts.class);

  /** Why a connection was closed. */
  public enum Reason {
    HEADER,
    BODY,
    IDLE
  }

  private final Vertx vertx;
  private final long headerNanos;
  private final long bodyNanos;
  private final long idleNanos;
  private final long checkMillis;
  private final Map<HttpConnection, Watch> watches = new ConcurrentHashMap<>();
  private final Map<Reason, LongAdder> closed = new EnumMap<>(Reason.class);

  /**
   * @param header time for a new connection's first request head
   * @param body time for a request's body once its head is in
   * @param idle time between a response and the next request's complete head
   */
  public ConnectionTimeouts(Vertx vertx, Duration header, Duration body, Duration idle) {
    this.vertx = vertx;
    this.headerNanos = header.toNanos();
    this.bodyNanos = body.toNanos();
    this.idleNanos = idle.toNanos();
    long shortest = Math.min(header.toMillis(), Math.min(body.toMillis(), idle.toMillis()));
    this.checkMillis = Math.max(100, Math.min(1000, shortest / 4));
    for (Reason r : Reason.values()) {
      closed.put(r, new LongAdder());
    }
  }

  /**
   * Watches {@code server}'s connections and hands every request on to {@code requests} (requests
   * Vert.x could not parse to its default handler, which answers 400 and closes).
   */
  public HttpServer install(HttpServer server, Handler<HttpServerRequest> requests) {
    return install(server, requests, (conn, answered) -> {});
  }

  /**
   * {@link #install(HttpServer, Handler)}, and {@code opened} told of every new connection with
   * what to run each time something before Vert.x (the socket's tile lane) has answered a whole
   * request on it: from then on the connection waits for its next request under the idle bound, as
   * after a response of the router's.
   */
  public HttpServer install(
      HttpServer server,
      Handler<HttpServerRequest> requests,
      BiConsumer<HttpConnection, Runnable> opened) {
    return server
        .connectionHandler(
            conn -> {
              Watch w = opened(conn);
              opened.accept(conn, w::answeredBeforeVertx);
            })
        .requestHandler(observing(requests))
        .invalidRequestHandler(observing(HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER));
  }

  /** Connections closed for {@code reason} since start. */
  public long closed(Reason reason) {
    return closed.get(reason).sum();
  }

  /** HTTP connections watched now (WebSockets are not). */
  public int watched() {
    return watches.size();
  }

  private Watch opened(HttpConnection conn) {
    Watch w = new Watch(conn, System.nanoTime());
    watches.put(conn, w);
    conn.closeHandler(v -> w.stop());
    w.timer = vertx.setPeriodic(checkMillis, w);
    return w;
  }

  private Handler<HttpServerRequest> observing(Handler<HttpServerRequest> next) {
    return request -> {
      Watch w = watches.get(request.connection());
      if (w != null) {
        if (request.version() == HttpVersion.HTTP_2) {
          w.stop(); // streams interleave on HTTP/2; these bounds are for one request at a time
        } else {
          w.request = request;
          w.headAt = System.nanoTime();
        }
      }
      next.handle(request);
    };
  }

  /** One connection's state, checked periodically on its event loop. */
  private final class Watch implements Handler<Long> {
    private final HttpConnection conn;
    private long timer = -1;

    /** The request in flight, or null while waiting for the next head. */
    private HttpServerRequest request;

    private long headAt;

    /** When the wait for the next head began, how long it may last, and what it is called. */
    private long waitingSince;

    private long allowance;
    private Reason waitingFor;

    Watch(HttpConnection conn, long openedAt) {
      this.conn = conn;
      this.waitingSince = openedAt;
      this.allowance = headerNanos;
      this.waitingFor = Reason.HEADER;
    }

    @Override
    public void handle(Long timerId) {
      long now = System.nanoTime();
      HttpServerRequest r = request;
      if (r == null) {
        if (now - waitingSince >= allowance) {
          close(
              waitingFor,
              waitingFor == Reason.HEADER
                  ? "no complete request head within header_timeout_s"
                  : "no request within idle_timeout_s");
        }
        return;
      }
      HttpServerResponse response = r.response();
      if (!r.isEnded()) {
        if (now - headAt >= bodyNanos) {
          timeOutBody(r, response);
        }
        return;
      }
      if (!response.ended()) {
        return; // the server is answering
      }
      if (response.getStatusCode() == 101) {
        stop(); // a WebSocket now, kept alive by pings
        return;
      }
      // the response went out since the last check: wait for the next request
      request = null;
      waitingSince = now;
      allowance = idleNanos;
      waitingFor = Reason.IDLE;
    }

    /**
     * A request answered whole before Vert.x saw it (the socket's tile lane answers only once every
     * response of Vert.x's on the connection is written): wait for the next one, as after any.
     */
    void answeredBeforeVertx() {
      request = null;
      waitingSince = System.nanoTime();
      allowance = idleNanos;
      waitingFor = Reason.IDLE;
    }

    private void timeOutBody(HttpServerRequest r, HttpServerResponse response) {
      if (response.headWritten()) {
        close(Reason.BODY, "request body incomplete within body_timeout_s, after the response");
        return;
      }
      stop();
      closed.get(Reason.BODY).increment();
      LOG.debug(
          "408 and closing {} {} from {}: request body incomplete within body_timeout_s",
          r.method(),
          r.path(),
          conn.remoteAddress());
      String detail =
          "the request body did not arrive in full within "
              + Duration.ofNanos(bodyNanos).toSeconds()
              + " s of its headers (body_timeout_s); send it at once and retry";
      response
          .setStatusCode(408)
          .putHeader("Content-Type", "application/problem+json")
          .putHeader("Cache-Control", "no-store")
          .putHeader("Connection", "close")
          .end(
              ProblemHandler.problem(
                      408,
                      "Request Timeout",
                      detail,
                      r.path(),
                      response.headers().get(RequestIds.HEADER))
                  .encode())
          .onComplete(v -> conn.close());
    }

    private void close(Reason reason, String why) {
      stop();
      closed.get(reason).increment();
      LOG.debug("closing connection from {}: {}", conn.remoteAddress(), why);
      conn.close();
    }

    void stop() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
      watches.remove(conn);
    }
  }
}
