package io.gridmap.server.web;

import io.vertx.ext.web.RoutingContext;

/**
 * A request the server refuses, carried to {@link ProblemHandler} through {@code ctx.fail}. The
 * detail names the parameter, the bad value and the accepted form.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String title;

  /** RFC 9457 extension members beside type, title, status and detail; never null. */
  private final transient io.vertx.core.json.JsonObject members;

  public ApiException(int status, String title, String detail) {
    this(status, title, detail, new io.vertx.core.json.JsonObject());
  }

  /**
   * With extension members for the problem document (e.g. {@code problems}: every problem of an
   * import refused, one line each).
   */
  public ApiException(
      int status, String title, String detail, io.vertx.core.json.JsonObject members) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.members = members.copy();
  }

  /** The problem document's extension members (a copy). */
  public io.vertx.core.json.JsonObject members() {
    return members.copy();
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(400, "Bad Request", detail);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(404, "Not Found", detail);
  }

  /**
   * 429 for a client over its rate; sets {@code Retry-After} on the response.
   *
   * @param client the rate limit's key for the client (an address, or a credential's id)
   * @param waitSeconds whole seconds until a request would be let through
   */
  public static ApiException tooManyRequests(RoutingContext ctx, String client, long waitSeconds) {
    ctx.response().putHeader("Retry-After", Long.toString(waitSeconds));
    return new ApiException(
        429,
        "Too Many Requests",
        "request rate above the limit for " + client + "; retry after " + waitSeconds + " s");
  }

  public static ApiException unavailable(String detail) {
    return new ApiException(503, "Service Unavailable", detail);
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }
}
