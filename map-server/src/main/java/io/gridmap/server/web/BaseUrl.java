package io.gridmap.server.web;

import io.vertx.ext.web.RoutingContext;

/** Where the server is, as its clients reach it: the base of every link it writes. */
public final class BaseUrl {
  private BaseUrl() {}

  /**
   * The server's base URL as the client sees it, for links in responses: the configured public URL,
   * else the scheme (or X-Forwarded-Proto) and the Host header.
   */
  public static String of(RoutingContext ctx, String publicUrl) {
    if (publicUrl != null && !publicUrl.isEmpty()) {
      return publicUrl;
    }
    String host = ctx.request().authority() == null ? null : ctx.request().authority().toString();
    if (host == null || host.isBlank()) {
      host = "127.0.0.1:" + ctx.request().localAddress().port();
    }
    String proto = ctx.request().getHeader("X-Forwarded-Proto");
    return (proto == null ? ctx.request().scheme() : proto) + "://" + host;
  }
}
