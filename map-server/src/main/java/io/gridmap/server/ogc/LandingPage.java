package io.gridmap.server.ogc;

import io.gridmap.server.content.Content;
import io.gridmap.server.web.JsonResponse;
import io.gridmap.server.web.Links;
import io.gridmap.server.web.Params;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /}: the OGC API landing page, JSON for {@code Accept: application/json} or {@code
 * ?f=json}, HTML for browsers (linking to the viewer, the collections, the TileJSON and the API).
 */
final class LandingPage {
  static final String TITLE = "gridmap: Chongqing grid-governance map";

  private final OgcApi api;

  LandingPage(OgcApi api) {
    this.api = api;
  }

  void handle(RoutingContext ctx) {
    for (String name : ctx.queryParams().names()) {
      if (!name.equals("f")) {
        throw Params.bad(
            name, ctx.queryParams().get(name), "only f=json or f=html on the landing page");
      }
    }
    String f = Params.single(ctx.queryParams(), "f");
    boolean html;
    if (f != null) {
      if (!f.equals("json") && !f.equals("html")) {
        throw Params.bad("f", f, "json or html");
      }
      html = f.equals("html");
    } else {
      html = prefersHtml(ctx.request().getHeader("Accept"));
    }
    String base = api.baseUrl(ctx);
    JsonObject doc = document(base);
    if (html) {
      ctx.response()
          .putHeader("Content-Type", "text/html; charset=utf-8")
          .putHeader("Cache-Control", "public, max-age=60")
          .putHeader("Vary", "Accept")
          .end(html(doc));
    } else {
      ctx.response().putHeader("Vary", "Accept");
      JsonResponse.send(ctx, doc, "public, max-age=60");
    }
  }

  /**
   * HTML when the client lists text/html before any JSON type; JSON otherwise (and for no Accept).
   */
  static boolean prefersHtml(String accept) {
    if (accept == null) {
      return false;
    }
    int h = accept.indexOf("text/html");
    int j = accept.indexOf("json");
    return h >= 0 && (j < 0 || h < j);
  }

  JsonObject document(String base) {
    Content c = api.contentOrNull();
    String desc =
        "Districts, streets, villages and management grids of Chongqing with key sites, grid forces and events, "
            + "as OGC API - Features (with CRS and CQL2 filtering) and OGC API - Tiles (Mapbox vector tiles), plus domain queries: "
            + "locate, nearest forces, within, counts and hotspots."
            + (c == null ? " The map is still loading." : "");
    return new JsonObject()
        .put("title", TITLE)
        .put("description", desc)
        .put(
            "links",
            new JsonArray()
                .add(Links.of(base + "/?f=json", "self", "application/json", "this document"))
                .add(Links.of(base + "/?f=html", "alternate", "text/html", "this document as HTML"))
                .add(
                    Links.of(
                        base + "/api",
                        "service-desc",
                        OpenApi.MEDIA_TYPE,
                        "the API definition (OpenAPI 3.0)"))
                .add(
                    Links.of(
                        base + "/conformance",
                        "conformance",
                        "application/json",
                        "conformance classes"))
                .add(
                    Links.of(
                        base + "/collections",
                        "data",
                        "application/json",
                        "the collections (layers)"))
                .add(
                    Links.of(
                        base + "/tiles",
                        "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector",
                        "application/json",
                        "vector tilesets (OGC API - Tiles)"))
                .add(
                    Links.of(
                        base + "/tiles/cq.json",
                        "describedby",
                        "application/json",
                        "TileJSON 3.0.0 of the tileset cq"))
                .add(
                    Links.of(
                        base + "/tileMatrixSets",
                        "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes",
                        "application/json",
                        "tile matrix sets"))
                .add(Links.of(base + "/viewer/", "alternate", "text/html", "the map viewer")));
  }

  static String html(JsonObject doc) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(escape(doc.getString("title")))
        .append("</title><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append(
            "<style>body{font-family:system-ui,sans-serif;max-width:46em;margin:2em auto;padding:0 1em;line-height:1.5}")
        .append("code{background:#f3f3f3;padding:0 .2em}</style></head><body>\n<h1>")
        .append(escape(doc.getString("title")))
        .append("</h1>\n<p>")
        .append(escape(doc.getString("description")))
        .append("</p>\n<ul>\n");
    for (Object o : doc.getJsonArray("links")) {
      JsonObject l = (JsonObject) o;
      if (l.getString("rel").equals("self")) {
        continue;
      }
      sb.append("<li><a href=\"")
          .append(escape(l.getString("href")))
          .append("\">")
          .append(escape(l.getString("title")))
          .append("</a> <code>")
          .append(escape(l.getString("type")))
          .append("</code></li>\n");
    }
    sb.append("</ul>\n<p>GDAL: <code>ogrinfo OAPIF:")
        .append(
            escape(
                doc.getJsonArray("links")
                    .getJsonObject(0)
                    .getString("href")
                    .replace("/?f=json", "/")))
        .append("</code></p>\n</body></html>\n");
    return sb.toString();
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
