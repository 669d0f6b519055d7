package io.gridmap.server.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code /health}: 200 when the content is loaded and every route answers; 503 before. */
final class HealthHandler implements Handler<RoutingContext> {
  private final MapServer server;

  HealthHandler(MapServer server) {
    this.server = server;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonObject body = MapServer.health(server);
    ctx.response()
        .setStatusCode("ready".equals(body.getString("status")) ? 200 : 503)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }
}
