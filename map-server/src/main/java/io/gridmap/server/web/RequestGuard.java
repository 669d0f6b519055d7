package io.gridmap.server.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

/**
 * Gives every request its id ({@link RequestIds}), then refuses requests that are not well-formed
 * HTTP before anything decodes them: a malformed percent-escape in the path or query ({@code
 * /health?a=%}, {@code /collections/%zz}), a {@code Host} that is no host[:port], several {@code
 * Host} headers, or an HTTP/1.1 request without one (RFC 9112 section 3.2; an HTTP/1.0 health check
 * without {@code Host} is fine). Each is a 400 problem naming what is wrong, logged without a stack
 * trace, and counted against its client's rate like any other request, so a flood of them is
 * answered 429 like any flood.
 */
public final class RequestGuard implements Handler<RoutingContext> {
  /** reg-name, IPv4 or [IPv6] (RFC 3986 section 3.2.2), then an optional port. */
  private static final Pattern HOST =
      Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._~!$&'()*+,;=-]+)(:[0-9]{1,5})?");

  private final ToLongFunction<String> rateLimit;
  private final RequestIds ids = new RequestIds();

  /** The last Host found well-formed: most clients send the same one, and its check is a regex. */
  private volatile String lastGoodHost = "";

  /**
   * @param rateLimit takes one request from a client's bucket (the key is its address); answers 0
   *     when allowed, else the seconds to wait
   */
  public RequestGuard(ToLongFunction<String> rateLimit) {
    this.rateLimit = rateLimit;
  }

  @Override
  public void handle(RoutingContext ctx) {
    ids.assign(ctx);
    String problem = problem(ctx.request(), lastGoodHost);
    if (problem == null) {
      String host = ctx.request().getHeader("Host");
      if (host != null && !host.equals(lastGoodHost)) {
        lastGoodHost = host;
      }
      ctx.next();
      return;
    }
    String remote = ClientAddress.of(ctx);
    long wait = rateLimit.applyAsLong(remote);
    if (wait > 0) {
      ctx.fail(ApiException.tooManyRequests(ctx, remote, wait));
      return;
    }
    ctx.fail(ApiException.badRequest(problem));
  }

  /** What is wrong with the request line or Host, or null. */
  static String problem(RoutingContext ctx) {
    return problem(ctx.request(), null);
  }

  /** What is wrong with the request line or Host, or null (the tile lane asks before answering). */
  public String problem(HttpServerRequest req) {
    return problem(req, lastGoodHost);
  }

  /**
   * @param knownGoodHost a Host value already found well-formed, whose check is skipped, or null
   */
  static String problem(HttpServerRequest req, String knownGoodHost) {
    String uri = req.uri();
    String escape = badEscape(uri);
    if (escape != null) {
      return "the request target has a malformed percent-escape '"
          + escape
          + "'; a % must be followed by two hex digits (write %25 for a literal %)";
    }
    List<String> hosts = req.headers().getAll("Host");
    if (hosts.size() > 1) {
      return "the request has " + hosts.size() + " Host headers; expected one";
    }
    if (hosts.isEmpty()) {
      return req.version() == HttpVersion.HTTP_1_0
          ? null
          : "an HTTP/1.1 request must carry a Host header (RFC 9112 section 3.2), e.g. Host: 127.0.0.1:8080";
    }
    return hostProblem(hosts.get(0), knownGoodHost);
  }

  /**
   * What is wrong with a request's one Host header, or null (the socket's tile lane, which reads
   * the header itself, asks).
   */
  public String hostProblem(String host) {
    return hostProblem(host, lastGoodHost);
  }

  private static String hostProblem(String host, String knownGoodHost) {
    if (host.equals(knownGoodHost)) {
      return null;
    }
    if (!HOST.matcher(host.strip()).matches()) {
      return "header Host='"
          + abbreviate(host.strip())
          + "' is not a host[:port]; expected e.g. Host: map.example.org or Host: 127.0.0.1:8080";
    }
    return null;
  }

  /** The first malformed escape ("%", "%z", "%zz"), or null. */
  static String badEscape(String s) {
    for (int i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) {
      if (i + 2 >= s.length() || !hex(s.charAt(i + 1)) || !hex(s.charAt(i + 2))) {
        return s.substring(i, Math.min(s.length(), i + 3));
      }
    }
    return null;
  }

  private static boolean hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }
}
