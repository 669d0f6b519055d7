package io.gridmap.server.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns failures into responses: RFC 9457 {@code application/problem+json}.
 * Requests the server refuses carry an {@link ApiException}; anything else is a bug, logged with
 * its stack trace and answered 500 without internals.
 */
public final class ProblemHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

  private final Routes routes;

  /** Seconds a client is asked to wait before it writes again while the store is away. */
  static final int STORE_RETRY_AFTER_S = 5;

  /**
   * @param routes the resources, to turn a 404 for a method a resource lacks into a 405 with {@code
   *     Allow}
   */
  public ProblemHandler(Routes routes) {
    this.routes = routes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure != null && routes.sentElsewhere(ctx, failure)) {
      return;
    }
    if (failure instanceof HttpClosedException) {
      // the client closed the connection (or a timeout did) before its request ended: no one is
      // left to answer and the server did nothing wrong, so no 500 and no stack trace in the log
      LOG.debug(
          "{} {}: connection closed before the request ended",
          ctx.request().method(),
          ctx.request().path());
      return;
    }
    int status;
    String title;
    String detail;
    io.vertx.core.json.JsonObject members = null;
    if (failure instanceof ApiException api) {
      status = api.status();
      title = api.title();
      detail = api.getMessage();
      members = api.members();
    } else if (failure instanceof HttpException http) {
      status = http.getStatusCode();
      title = io.netty.handler.codec.http.HttpResponseStatus.valueOf(status).reasonPhrase();
      detail = http.getPayload() != null ? http.getPayload() : defaultDetail(status, ctx);
    } else if (RequestGuard.problem(ctx) != null) {
      // a request Vert.x refused before any handler ran (an HTTP/1.1 request without Host)
      status = 400;
      title = "Bad Request";
      detail = RequestGuard.problem(ctx);
    } else if (ctx.request().decoderResult().isFailure()) {
      status = 400;
      title = "Bad Request";
      detail = "the request could not be parsed as HTTP/1.1; check the request line and headers";
    } else if (io.gridmap.layers.store.StoreUnavailableException.in(failure) != null) {
      // the database went away: nothing was written, reads go on from memory, the write may be
      // sent again once the store is back (/health says when)
      status = 503;
      title = "Service Unavailable";
      detail =
          "the store cannot be reached just now, so nothing was written; reads are still served."
              + " Send the write again after "
              + STORE_RETRY_AFTER_S
              + " s (/health shows the store's state)";
      LOG.warn(
          "{} {}: 503, {}",
          ctx.request().method(),
          ctx.request().path(),
          io.gridmap.layers.store.StoreUnavailableException.in(failure).getMessage());
      ctx.response().putHeader("Retry-After", Integer.toString(STORE_RETRY_AFTER_S));
    } else if (failure == null && ctx.statusCode() >= 400) {
      status = ctx.statusCode();
      title = io.netty.handler.codec.http.HttpResponseStatus.valueOf(status).reasonPhrase();
      detail = defaultDetail(status, ctx);
    } else {
      status = 500;
      title = "Internal Server Error";
      detail =
          "the server failed while answering " + ctx.request().path() + "; the error is in its log";
      LOG.error(
          "unexpected failure on {} {}", ctx.request().method(), ctx.request().uri(), failure);
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    if (status == 404) {
      String method = ctx.request().method().name();
      String allow = routes.allowFor(ctx.normalizedPath(), method);
      if (allow != null) {
        ctx.response().putHeader("Allow", allow);
        if (method.equals("OPTIONS")) {
          String acceptPatch = routes.acceptPatchFor(ctx.normalizedPath());
          if (acceptPatch != null) {
            ctx.response().putHeader("Accept-Patch", acceptPatch);
          }
          // 200 with no body rather than 204: the OGC API - Features Part 4 test of OPTIONS
          // (/conf/update/options) expects 200, and HTTP takes either
          ctx.response().setStatusCode(200).putHeader("Content-Length", "0").end();
          return;
        }
        status = 405;
        title = "Method Not Allowed";
        detail =
            "method "
                + method
                + " is not allowed on "
                + ctx.normalizedPath()
                + "; this resource answers "
                + allow;
      }
    }
    JsonObject body = problem(status, title, detail, ctx.request().path(), RequestIds.of(ctx));
    if (members != null) {
      members.forEach(m -> body.put(m.getKey(), m.getValue()));
    }
    if (status == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"gridmap\"");
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/problem+json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }

  /**
   * An RFC 9457 problem document, for the few answers written outside the router (a request body
   * that timed out).
   *
   * @param requestId the request's id, or null when it has none
   */
  public static JsonObject problem(
      int status, String title, String detail, String instance, String requestId) {
    return new JsonObject()
        .put("type", "about:blank")
        .put("title", title)
        .put("status", status)
        .put("detail", detail)
        .put("instance", instance)
        .put("request_id", requestId == null ? "-" : requestId);
  }

  private static String defaultDetail(int status, RoutingContext ctx) {
    return switch (status) {
      case 404 ->
          "no resource at " + ctx.request().path() + "; the landing page / lists what exists";
      case 405 -> "method " + ctx.request().method() + " is not allowed on " + ctx.request().path();
      case 413 -> "request body too large";
      default -> "request failed with status " + status;
    };
  }
}
