package io.gridmap.server.ops;

import io.gridmap.server.content.Content;
import io.gridmap.server.web.Loaded;
import io.gridmap.server.web.RouteModule;
import io.gridmap.server.web.Routes;
import java.util.List;

/**
 * {@code /health} (readiness: the map is loaded and every route answers), {@code /health/live}
 * (liveness: the process answers, loaded or not) and {@code /metrics} (Prometheus text).
 */
public final class OpsRoutes implements RouteModule {
  private final Loaded<Content> content;
  private final ServerMetrics metrics;
  private final List<String> warnings;
  private final Loaded<StoreProbe> store;

  /**
   * @param warnings what works less well than it should (e.g. no CJK font for the labels), each one
   *     line naming its fix; {@code /health} lists them
   * @param store the store's probe, once the content is loaded from a store
   */
  public OpsRoutes(
      Loaded<Content> content,
      ServerMetrics metrics,
      List<String> warnings,
      Loaded<StoreProbe> store) {
    this.content = content;
    this.metrics = metrics;
    this.warnings = List.copyOf(warnings);
    this.store = store;
  }

  @Override
  public void mount(Routes router) {
    router.get("/health").setName("/health").handler(new HealthHandler(content, warnings, store));
    router
        .get("/health/live")
        .setName("/health/live")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "no-store")
                    .end("{\"status\":\"alive\"}"));
    router.get("/metrics").setName("/metrics").handler(metrics.endpoint());
  }
}
