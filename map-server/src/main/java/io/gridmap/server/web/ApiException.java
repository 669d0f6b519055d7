package io.gridmap.server.web;

/**
 * A request the server refuses, carried to {@link ProblemHandler} through {@code ctx.fail}. The
 * detail names the parameter, the bad value and the accepted form.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String title;

  public ApiException(int status, String title, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(400, "Bad Request", detail);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(404, "Not Found", detail);
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
