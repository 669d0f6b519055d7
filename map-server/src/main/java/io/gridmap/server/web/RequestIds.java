package io.gridmap.server.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when a proxy set a sane one, else a
 * new one. It is sent back in {@code X-Request-Id}, written in the access log and in every
 * problem+json, so a user's error report leads to its log line.
 */
public final class RequestIds implements Handler<RoutingContext> {
  /** The routing-context key the id is kept under. */
  public static final String KEY = "request_id";

  /** The header the id is sent back in. */
  public static final String HEADER = "X-Request-Id";

  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  /** A per-process prefix, so ids of two runs of the server do not collide in one log. */
  private final String prefix =
      Long.toString(
          ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36, 36L * 36 * 36 * 36 * 36), 36);

  private final AtomicLong next = new AtomicLong();

  @Override
  public void handle(RoutingContext ctx) {
    assign(ctx);
    ctx.next();
  }

  /** Gives the request its id (kept in the context, sent in {@code X-Request-Id}). */
  void assign(RoutingContext ctx) {
    String id = assign(ctx.request());
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
  }

  /** The id of a request: the caller's when sane, else a new one. */
  public String assign(io.vertx.core.http.HttpServerRequest req) {
    return assign(req.getHeader("X-Request-Id"));
  }

  /** The id of a request whose {@code X-Request-Id} is {@code given} (null when it sent none). */
  public String assign(String given) {
    return given != null && SANE.matcher(given).matches()
        ? given
        : prefix + "-" + Long.toString(next.incrementAndGet(), 36);
  }

  /** The id of a request, or "-" for one that came before this handler. */
  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "-" : id;
  }
}
