package io.gridmap.server.ogc;

import io.gridmap.server.web.JsonResponse;
import io.gridmap.server.web.Params;
import io.gridmap.server.web.RouteModule;
import io.gridmap.server.web.Routes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * OGC API - Features: the landing page, conformance, the OpenAPI document, collections, queryables
 * and items (with CRS and CQL2). The document at {@code /api} also lists the operations of the
 * other route modules, each described by the module itself.
 */
public final class OgcRoutes implements RouteModule {
  private final OgcApi api;
  private final List<RouteModule> described;

  /**
   * @param api what the handlers share (content, worker pool, collections)
   * @param described the other modules whose operations {@code /api} lists
   */
  public OgcRoutes(OgcApi api, List<RouteModule> described) {
    this.api = api;
    this.described = List.copyOf(described);
  }

  @Override
  public void mount(Routes router) {
    LandingPage landing = new LandingPage(api);
    CollectionDocs collections = new CollectionDocs(api);
    ItemsHandler items = new ItemsHandler(api);
    OpenApi openApi = new OpenApi(api, described);

    router.get("/").setName("/").handler(landing::handle);
    router.get("/conformance").setName("/conformance").handler(OgcRoutes::conformance);
    router.get("/api").setName("/api").handler(openApi::handle);
    router.get("/collections").setName("/collections").handler(collections::list);
    router.get("/collections/:collectionId").setName("/collections/{id}").handler(collections::one);
    router
        .get("/collections/:collectionId/queryables")
        .setName("/collections/{id}/queryables")
        .handler(collections::queryables);
    router
        .get("/collections/:collectionId/items")
        .setName("/collections/{id}/items")
        .handler(items::items);
    router
        .get("/collections/:collectionId/items/:featureId")
        .setName("/collections/{id}/items/{fid}")
        .handler(items::item);
  }

  static void conformance(RoutingContext ctx) {
    Params.jsonOnly(ctx);
    JsonResponse.send(
        ctx,
        new JsonObject().put("conformsTo", new JsonArray(Conformance.CLASSES)),
        "public, max-age=3600");
  }
}
