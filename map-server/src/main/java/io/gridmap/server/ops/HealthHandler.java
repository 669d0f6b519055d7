package io.gridmap.server.ops;

import io.gridmap.server.content.Content;
import io.gridmap.server.security.SecurityHandler;
import io.gridmap.server.security.Visibility;
import io.gridmap.server.web.Loaded;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code /health}: 200 when the content is loaded and every route answers (503 before), with the
 * store's state when the server writes to one.
 */
final class HealthHandler implements Handler<RoutingContext> {
  private final Loaded<Content> content;
  private final List<String> warnings;
  private final Loaded<StoreProbe> store;

  HealthHandler(Loaded<Content> content, List<String> warnings, Loaded<StoreProbe> store) {
    this.content = content;
    this.warnings = warnings;
    this.store = store;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonObject body = health(ctx);
    if (!warnings.isEmpty()) {
      body.put("warnings", new JsonArray(warnings));
    }
    ctx.response()
        .setStatusCode("ready".equals(body.getString("status")) ? 200 : 503)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .putHeader("Vary", Visibility.VARY)
        .end(body.encode());
  }

  /** Ready with content counts, or loading / failed. */
  JsonObject health(RoutingContext ctx) {
    Content c = content.getOrNull();
    if (c != null) {
      Visibility v = SecurityHandler.principal(ctx).role().visibility();
      JsonObject ready = new JsonObject().put("status", "ready").put("dataset", c.summary(v));
      StoreProbe probe = store.getOrNull();
      if (probe != null) {
        // still 200 while the store is away: the map is served from memory, only writes wait
        ready.put("store", probe.json());
      }
      return ready;
    }
    if (content.error() != null) {
      return new JsonObject().put("status", "failed").put("error", content.error());
    }
    return new JsonObject().put("status", "loading");
  }
}
