package io.gridmap.server.query;

import io.gridmap.server.ogc.OgcApi;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** The domain queries under {@code /query/...}: locate, nearest, within, counts, hotspots. */
public final class QueryRoutes {
  private QueryRoutes() {}

  public static void mount(Router router, OgcApi api) {}

  /** Adds the domain queries' paths to the OpenAPI document. */
  public static void openApiPaths(JsonObject paths) {}
}
