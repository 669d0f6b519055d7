package io.gridmap.server.web;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writes a JSON document. */
public final class JsonResponse {
  private JsonResponse() {}

  /** Writes {@code doc} as {@code application/json} with the given Cache-Control. */
  public static void send(RoutingContext ctx, JsonObject doc, String cacheControl) {
    ctx.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", cacheControl)
        .end(doc.encode());
  }
}
