package io.gridmap.server.web;

import io.vertx.ext.web.RoutingContext;

/**
 * The address a request came from, as rate limits, Open311's per-client limits and the access log
 * key it: the connection's peer, or, for a request another node of the cluster forwarded and proved
 * it forwarded, the address of the client that node took it from. Without that, every client of a
 * node that is not the writer would share one bucket on the writer: the forwarding node's.
 */
public final class ClientAddress {
  private ClientAddress() {}

  /** Where a proven forwarded request's client address is kept on the context. */
  public static final String KEY = "gridmap.client-address";

  /** The client's address; "?" when the connection has none (a closed one). */
  public static String of(RoutingContext ctx) {
    String proven = ctx.get(KEY);
    if (proven != null) {
      return proven;
    }
    return ctx.request().remoteAddress() == null
        ? "?"
        : ctx.request().remoteAddress().hostAddress();
  }
}
