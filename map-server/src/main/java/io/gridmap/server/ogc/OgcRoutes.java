package io.gridmap.server.ogc;

import io.gridmap.server.http.MapServer;
import io.gridmap.server.query.QueryRoutes;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Mounts the OGC APIs (landing page, conformance, OpenAPI, Features with CRS and CQL2, Tiles) and
 * the domain queries. One call from {@link MapServer}: {@code OgcRoutes.mount(router, this)}.
 */
public final class OgcRoutes {
  private OgcRoutes() {}

  /** Largest request body (a batch of 10,000 points as JSON is ~400 kB). */
  public static final long MAX_BODY_BYTES = 2 << 20;

  public static void mount(Router router, MapServer server) {
    OgcApi api =
        new OgcApi(server, Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
    LandingPage landing = new LandingPage(api);
    CollectionDocs collections = new CollectionDocs(api);
    ItemsHandler items = new ItemsHandler(api);
    OpenApi openApi = new OpenApi(api);
    OgcTiles tiles = new OgcTiles(api);

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
    tiles.mount(router);
    router.post("/query/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    QueryRoutes.mount(router, api);
  }

  static void conformance(RoutingContext ctx) {
    CollectionDocs.jsonOnly(ctx);
    json(
        ctx,
        new JsonObject().put("conformsTo", new io.vertx.core.json.JsonArray(Conformance.CLASSES)),
        "public, max-age=3600");
  }

  /** Writes a JSON document. */
  public static void json(RoutingContext ctx, JsonObject doc, String cacheControl) {
    ctx.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", cacheControl)
        .end(doc.encode());
  }
}
