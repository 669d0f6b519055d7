package io.gridmap.server.ogc;

import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.FieldType;
import io.gridmap.layers.model.GeometryKind;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.query.cql2.Queryables;
import io.gridmap.layers.query.crs.SupportedCrs;
import io.gridmap.server.content.Content;
import io.gridmap.server.security.Visibility;
import io.gridmap.server.web.JsonResponse;
import io.gridmap.server.web.Links;
import io.gridmap.server.web.Params;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.locationtech.jts.geom.Envelope;

/** {@code /collections}, {@code /collections/{id}} and {@code /collections/{id}/queryables}. */
final class CollectionDocs {
  private final OgcApi api;

  CollectionDocs(OgcApi api) {
    this.api = api;
  }

  void list(RoutingContext ctx) {
    Params.jsonOnly(ctx);
    Content c = api.content();
    String base = api.baseUrl(ctx);
    JsonArray colls = new JsonArray();
    for (LayerIndex li : api.collections(c, ctx)) {
      colls.add(collection(c, li, base));
    }
    JsonObject doc =
        new JsonObject()
            .put(
                "links",
                new JsonArray()
                    .add(
                        Links.of(
                            base + "/collections", "self", "application/json", "the collections"))
                    .add(Links.of(base + "/", "root", "application/json", "the landing page")))
            .put("crs", new JsonArray(SupportedCrs.uris()))
            .put("collections", colls);
    JsonResponse.send(ctx, doc, cacheControl(ctx));
  }

  /**
   * The collections differ by class (staff-only layers are listed for staff alone), so a shared
   * cache keeps the two apart and never holds the staff class's copy.
   */
  private static String cacheControl(RoutingContext ctx) {
    ctx.response().putHeader("Vary", Visibility.VARY);
    return OgcApi.visibility(ctx) == Visibility.STAFF
        ? "private, max-age=60"
        : "public, max-age=60";
  }

  void one(RoutingContext ctx) {
    Params.jsonOnly(ctx);
    Content c = api.content();
    LayerIndex li = api.collection(c, ctx.pathParam("collectionId"), ctx);
    JsonResponse.send(ctx, collection(c, li, api.baseUrl(ctx)), cacheControl(ctx));
  }

  void queryables(RoutingContext ctx) {
    Content c = api.content();
    LayerIndex li = api.collection(c, ctx.pathParam("collectionId"), ctx);
    String f = Params.single(ctx.queryParams(), "f");
    if (f != null && !f.equals("json")) {
      throw Params.bad("f", f, "json");
    }
    String base = api.baseUrl(ctx);
    LayerDef def = li.def();
    JsonObject props = new JsonObject();
    Queryables q = Queryables.withoutPersonal(def);
    for (String name : q.names()) {
      if (name.equals(Queryables.GEOM)) {
        continue; // an alias of geometry
      }
      Queryables.Queryable qq = q.require(name);
      JsonObject p = new JsonObject().put("title", name);
      switch (qq.source()) {
        case GEOMETRY ->
            p.put(
                    "format",
                    def.kind() == GeometryKind.POINT ? "geometry-point" : "geometry-multipolygon")
                .put(
                    "description",
                    "the feature's geometry (WGS84 longitude, latitude); 'geom' is an alias");
        case ID -> p.put("type", "integer").put("description", "the feature id");
        case FIELD -> {
          Field field = def.fields().get(qq.fieldIndex());
          p.put("description", field.description());
          schemaType(p, field.type());
        }
      }
      props.put(name, p);
    }
    JsonObject doc =
        new JsonObject()
            .put("$schema", "https://json-schema.org/draft/2020-12/schema")
            .put("$id", base + "/collections/" + def.name() + "/queryables")
            .put("type", "object")
            .put("title", def.title())
            .put("properties", props)
            .put("additionalProperties", false);
    ctx.response()
        .putHeader("Content-Type", "application/schema+json")
        .putHeader("Cache-Control", cacheControl(ctx))
        .end(doc.encode());
  }

  static void schemaType(JsonObject p, FieldType t) {
    switch (t) {
      case STRING -> p.put("type", "string");
      case INTEGER -> p.put("type", "integer");
      case REAL -> p.put("type", "number");
      case BOOLEAN -> p.put("type", "boolean");
      case TIMESTAMP -> p.put("type", "string").put("format", "date-time");
    }
  }

  JsonObject collection(Content c, LayerIndex li, String base) {
    LayerDef def = li.def();
    String self = base + "/collections/" + def.name();
    Envelope b = li.bounds();
    JsonObject extent = new JsonObject();
    if (!b.isNull()) {
      extent.put(
          "spatial",
          new JsonObject()
              .put(
                  "bbox",
                  new JsonArray()
                      .add(
                          new JsonArray()
                              .add(b.getMinX())
                              .add(b.getMinY())
                              .add(b.getMaxX())
                              .add(b.getMaxY())))
              .put("crs", SupportedCrs.CRS84.uri()));
    }
    long[] t = api.temporalExtent(c, li);
    if (t != null && t.length == 2) {
      extent.put(
          "temporal",
          new JsonObject()
              .put(
                  "interval",
                  new JsonArray().add(new JsonArray().add(Params.iso(t[0])).add(Params.iso(t[1]))))
              .put("trs", "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"));
    }
    return new JsonObject()
        .put("id", def.name())
        .put("title", def.title())
        .put("description", description(def))
        .put("itemType", "feature")
        .put("extent", extent)
        .put("crs", new JsonArray(SupportedCrs.uris()))
        .put("storageCrs", SupportedCrs.CRS84.uri())
        .put(
            "links",
            new JsonArray()
                .add(Links.of(self, "self", "application/json", "this collection"))
                .add(
                    Links.of(
                        self + "/items",
                        "items",
                        ItemsHandler.GEOJSON,
                        def.title() + " as GeoJSON"))
                .add(
                    Links.of(
                        self + "/queryables",
                        "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                        "application/schema+json",
                        "queryables"))
                .add(
                    Links.of(
                        self + "/tiles",
                        "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector",
                        "application/json",
                        "vector tilesets")));
  }

  static String description(LayerDef def) {
    String temporal =
        OgcApi.temporalField(def) >= 0
            ? "; datetime filters " + def.fields().get(OgcApi.temporalField(def)).name()
            : "";
    return def.title()
        + ": "
        + def.kind().name().toLowerCase(java.util.Locale.ROOT)
        + "s"
        + temporal
        + (def.live() ? "; live layer" : "");
  }
}
