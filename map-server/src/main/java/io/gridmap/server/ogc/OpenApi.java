package io.gridmap.server.ogc;

import static io.gridmap.server.web.OpenApiDoc.*;

import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.query.crs.SupportedCrs;
import io.gridmap.server.content.Content;
import io.gridmap.server.web.ApiPaths;
import io.gridmap.server.web.Params;
import io.gridmap.server.web.RouteModule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code /api}: the OpenAPI 3.0 definition of everything this package and the domain queries serve.
 * Items paths are listed per collection ({@code /collections/events/items}, ...) so that each lists
 * its own property parameters, which is where GDAL's OAPIF driver looks for the attributes it may
 * filter on server-side.
 */
public final class OpenApi {
  /** The one tile matrix set, as OGC API - Tiles names it (see tiles/OgcTiles). */
  static final String TILE_MATRIX_SET = "WebMercatorQuad";

  public static final String MEDIA_TYPE = "application/vnd.oai.openapi+json;version=3.0";

  private final OgcApi api;
  private final List<RouteModule> modules;

  /**
   * @param modules the route modules whose operations the document lists besides this package's
   */
  OpenApi(OgcApi api, List<RouteModule> modules) {
    this.api = api;
    this.modules = List.copyOf(modules);
  }

  void handle(RoutingContext ctx) {
    Params.jsonOnly(ctx);
    Content c = api.content();
    JsonObject doc = document(c, api.baseUrl(ctx));
    ctx.response()
        .putHeader("Content-Type", MEDIA_TYPE)
        .putHeader("Cache-Control", "public, max-age=300")
        .end(doc.encode());
  }

  JsonObject document(Content c, String base) {
    JsonObject paths = new JsonObject();
    // one document for every caller, cached publicly: the collections the public sees
    List<LayerIndex> collections = c.collections(io.gridmap.server.security.Visibility.PUBLIC);
    paths.put(
        "/",
        get(
            "landing page",
            "The landing page: JSON (Accept: application/json or f=json) or HTML for browsers.",
            List.of(ref("f")),
            json("the landing page", "text/html")));
    paths.put(
        "/conformance",
        get(
            "conformance classes",
            "The conformance classes the server declares.",
            List.of(),
            json("conformance classes")));
    paths.put(
        "/api",
        get(
            "this API definition",
            "OpenAPI 3.0 in JSON.",
            List.of(),
            response("the API definition", MEDIA_TYPE)));
    paths.put(
        "/collections",
        get(
            "the collections",
            "Every layer as a feature collection.",
            List.of(ref("f")),
            json("the collections")));
    for (LayerIndex li : collections) {
      String id = li.name();
      String p = "/collections/" + id;
      paths.put(
          p,
          get(
              id + ": metadata",
              "The collection " + id + ": extent, CRS list and links.",
              List.of(ref("f")),
              json("the collection")));
      paths.put(
          p + "/queryables",
          get(
              id + ": queryables",
              "The properties a CQL2 filter may use (JSON Schema).",
              List.of(ref("f")),
              response("queryables", "application/schema+json")));
      JsonArray params = new JsonArray();
      for (String s :
          List.of(
              "bbox",
              "bbox-crs",
              "crs",
              "limit",
              "offset",
              "datetime",
              AsOf.PARAM,
              "properties",
              "filter",
              "filter-lang",
              "filter-crs",
              "f")) {
        params.add(ref(s));
      }
      for (Field f : ItemsRequest.propertyParameters(li.def())) {
        JsonObject schema = new JsonObject();
        CollectionDocs.schemaType(schema, f.type());
        params.add(
            new JsonObject()
                .put("name", f.name())
                .put("in", "query")
                .put("required", false)
                .put("description", "equality on " + f.name() + ": " + f.description())
                .put("schema", schema)
                .put("style", "form")
                .put("explode", false));
      }
      JsonObject items =
          get(
              id + ": features",
              "Features of "
                  + id
                  + " as GeoJSON, a page at a time (numberMatched, numberReturned, next and prev links).",
              params.getList(),
              geojson("a page of features"));
      items.getJsonObject("get").getJsonObject("responses").put("400", ref400());
      paths.put(p + "/items", items);
      JsonObject one =
          get(
              id + ": one feature",
              "One feature by id.",
              List.of(
                  new JsonObject()
                      .put("name", "featureId")
                      .put("in", "path")
                      .put("required", true)
                      .put(
                          "description",
                          "The feature's id, the id member of its GeoJSON and its id in the"
                              + " tiles: an integer below 2^52, so JavaScript reads it exactly."
                              + " Key sites and forces also answer to their 17-digit code"
                              + " property, which was their id in older stores.")
                      .put(
                          "schema",
                          new JsonObject()
                              .put("type", "integer")
                              .put("format", "int64")
                              .put("minimum", 0)),
                  ref("crs"),
                  ref("f")),
              geojson("the feature"));
      one.getJsonObject("get")
          .getJsonObject("responses")
          .put("404", new JsonObject().put("$ref", "#/components/responses/NotFound"));
      paths.put(p + "/items/{featureId}", one);
    }
    for (RouteModule m : modules) {
      m.describe(new ApiPaths(paths, collections));
    }

    return new JsonObject()
        .put("openapi", "3.0.3")
        .put(
            "info",
            new JsonObject()
                .put("title", LandingPage.TITLE)
                .put("version", "0.1.0")
                .put(
                    "description",
                    "OGC API - Features (Parts 1, 2 and 3) and OGC API - Tiles over the city's layers, and domain queries for grid governance. "
                        + "Errors are RFC 9457 problem+json whose detail names the parameter, the bad value and the accepted form.")
                .put("license", new JsonObject().put("name", "open source")))
        .put("servers", new JsonArray().add(new JsonObject().put("url", base)))
        .put("paths", paths)
        .put("components", components());
  }

  private static JsonObject components() {
    JsonObject p = new JsonObject();
    p.put(
        "f",
        query(
            "f",
            "encoding: json (or html on the landing page)",
            new JsonObject()
                .put("type", "string")
                .put("enum", new JsonArray().add("json").add("html"))));
    p.put(
        "bbox",
        query(
                "bbox",
                "features whose geometry intersects this box: minx,miny,maxx,maxy in the axis order of bbox-crs (CRS84: lon,lat; EPSG:4326/4490: lat,lon; EPSG:3857: metres)",
                new JsonObject()
                    .put("type", "array")
                    .put("minItems", 4)
                    .put("maxItems", 6)
                    .put("items", new JsonObject().put("type", "number")))
            .put("style", "form")
            .put("explode", false));
    JsonArray crsEnum = new JsonArray(SupportedCrs.uris());
    p.put(
        "bbox-crs",
        query(
            "bbox-crs",
            "CRS of bbox (default CRS84)",
            new JsonObject().put("type", "string").put("format", "uri").put("enum", crsEnum)));
    p.put(
        "crs",
        query(
            "crs",
            "CRS of the response's coordinates, in that CRS's axis order (latitude first for EPSG:4326 and EPSG:4490); the response's Content-Crs header names it",
            new JsonObject().put("type", "string").put("format", "uri").put("enum", crsEnum)));
    p.put(
        "limit",
        query(
            "limit",
            "features per page; default "
                + OgcApi.DEFAULT_LIMIT
                + ", at most "
                + OgcApi.MAX_LIMIT
                + " (a larger limit is answered with "
                + OgcApi.MAX_LIMIT
                + "); a page also stops after "
                + (OgcApi.MAX_PAGE_BYTES >> 20)
                + " MiB of JSON and its next link continues from there",
            new JsonObject()
                .put("type", "integer")
                .put("minimum", 1)
                .put("maximum", OgcApi.MAX_LIMIT)
                .put("default", OgcApi.DEFAULT_LIMIT)));
    p.put(
        "offset",
        query(
            "offset",
            "matches to skip (the next and prev links carry it)",
            new JsonObject().put("type", "integer").put("minimum", 0).put("default", 0)));
    p.put(
        "datetime",
        query(
            "datetime",
            "an instant or interval (RFC 3339, '..' for an open end) that the collection's time (events: reported_at; forces: updated_at) must fall in; ignored by collections without time",
            new JsonObject().put("type", "string")));
    p.put(
        AsOf.PARAM,
        query(
            AsOf.PARAM,
            "the map as it was at this instant (RFC 3339 with its offset): every feature changed since as it was then, from the history; the present when absent or not in the past. Not the same as datetime, which filters by the features' own times",
            new JsonObject().put("type", "string").put("format", "date-time")));
    p.put(
        "properties",
        query(
                "properties",
                "comma-separated property names to return (default: all public properties)",
                new JsonObject()
                    .put("type", "array")
                    .put("items", new JsonObject().put("type", "string")))
            .put("style", "form")
            .put("explode", false));
    p.put(
        "filter",
        query(
            "filter",
            "a CQL2 filter (OGC API - Features Part 3) over the collection's queryables",
            new JsonObject().put("type", "string")));
    p.put(
        "filter-lang",
        query(
            "filter-lang",
            "the filter's encoding",
            new JsonObject()
                .put("type", "string")
                .put("enum", new JsonArray().add("cql2-text").add("cql2-json"))
                .put("default", "cql2-text")));
    p.put(
        "filter-crs",
        query(
            "filter-crs",
            "CRS of geometry literals in the filter: CRS84 only",
            new JsonObject()
                .put("type", "string")
                .put("enum", new JsonArray().add(SupportedCrs.CRS84.uri()))));
    p.put(
        "tileMatrixSetId",
        path(
            "tileMatrixSetId",
            new JsonObject()
                .put("type", "string")
                .put("enum", new JsonArray().add(TILE_MATRIX_SET))));
    p.put(
        "tileMatrix",
        path(
            "tileMatrix", new JsonObject().put("type", "string").put("description", "zoom 0..14")));
    p.put("tileRow", path("tileRow", new JsonObject().put("type", "integer").put("minimum", 0)));
    p.put("tileCol", path("tileCol", new JsonObject().put("type", "integer").put("minimum", 0)));
    JsonObject problem =
        new JsonObject()
            .put("type", "object")
            .put(
                "properties",
                new JsonObject()
                    .put("type", new JsonObject().put("type", "string"))
                    .put("title", new JsonObject().put("type", "string"))
                    .put("status", new JsonObject().put("type", "integer"))
                    .put(
                        "detail",
                        new JsonObject()
                            .put("type", "string")
                            .put(
                                "description",
                                "names the parameter, the bad value and the accepted form"))
                    .put("instance", new JsonObject().put("type", "string")));
    JsonObject responses =
        new JsonObject()
            .put("BadRequest", problem("a parameter is malformed"))
            .put("NotFound", problem("no such resource"));
    return new JsonObject()
        .put("parameters", p)
        .put("schemas", new JsonObject().put("Problem", problem))
        .put("responses", responses);
  }
}
