package io.gridmap.server.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.List;
import java.util.Set;

/** CORS for everything a map client fetches, and for the writes a command centre's page sends. */
public final class Cors {
  private Cors() {}

  /** The response headers a page on another origin may read (the tile lane sends the same). */
  public static final List<String> EXPOSED = List.of("ETag", "Dry-Run", "Content-Encoding");

  /** Vert.x's CORS handler for the configured origins ({@code *} for any). */
  public static CorsHandler handler(List<String> origins) {
    CorsHandler cors = CorsHandler.create();
    for (String origin : origins) {
      cors.addOrigin(origin);
    }
    // writes too: a page of a command centre on another origin posts positions and edits with the
    // bearer token it holds (no cookies, so no request forgery to guard against here)
    return cors.allowedMethods(
            Set.of(
                HttpMethod.GET,
                HttpMethod.HEAD,
                HttpMethod.OPTIONS,
                HttpMethod.POST,
                HttpMethod.PATCH,
                HttpMethod.PUT))
        .allowedHeader("If-None-Match")
        // optimistic locking: a page names the version it edits (grids, incident transitions)
        .allowedHeader("If-Match")
        .allowedHeader("Authorization")
        .allowedHeader("X-API-Key")
        .allowedHeader("Content-Type")
        .exposedHeaders(new java.util.LinkedHashSet<>(EXPOSED))
        .maxAgeSeconds(86_400);
  }

  /**
   * The CORS handler answers only requests that carry {@code Origin}; a response cached by a
   * same-origin page (no Origin) would then be reused by an embedding page on another origin and
   * fail its CORS check. So with {@code cors_origins = *} every response carries {@code
   * Access-Control-Allow-Origin: *}, and with a list every response varies by Origin.
   */
  public static Handler<RoutingContext> forCaches(List<String> origins) {
    boolean anyOrigin = origins.contains("*");
    return ctx -> {
      ctx.addHeadersEndHandler(
          v -> {
            var headers = ctx.response().headers();
            if (anyOrigin) {
              headers.set("Access-Control-Allow-Origin", "*");
            } else {
              String vary = headers.get("Vary");
              if (vary == null || vary.isBlank()) {
                headers.set("Vary", "Origin");
              } else if (!vary.contains("Origin")) {
                headers.set("Vary", vary + ", Origin");
              }
            }
          });
      ctx.next();
    };
  }
}
