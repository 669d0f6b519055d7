package io.gridmap.server.ops;

import io.gridmap.server.content.Content;
import io.gridmap.server.web.Loaded;
import io.gridmap.server.web.RouteModule;
import io.gridmap.server.web.Routes;

/** {@code /health} (readiness) and {@code /metrics} (Prometheus text). */
public final class OpsRoutes implements RouteModule {
  private final Loaded<Content> content;
  private final ServerMetrics metrics;

  public OpsRoutes(Loaded<Content> content, ServerMetrics metrics) {
    this.content = content;
    this.metrics = metrics;
  }

  @Override
  public void mount(Routes router) {
    router.get("/health").setName("/health").handler(new HealthHandler(content));
    router.get("/metrics").setName("/metrics").handler(metrics.endpoint());
  }
}
