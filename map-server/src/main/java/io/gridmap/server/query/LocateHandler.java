package io.gridmap.server.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.query.locate.GridLocation;
import io.gridmap.layers.query.locate.GridLocator;
import io.gridmap.server.content.Content;
import io.gridmap.server.ogc.OgcApi;
import io.gridmap.server.security.Visibility;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.GeoJsonReader;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.locationtech.jts.geom.Coordinate;

/**
 * {@code GET /query/locate?lon=&lat=}: the grid holding a point and its chain (village, street,
 * district), the grid's full-time worker (id, role, on duty; the name only for the staff visibility
 * class) and the street's command centre. {@code POST /query/locate} with {@code {"points": [[lon,
 * lat], ...]}} does up to {@value #MAX_BATCH} points at once, answering {@code null} for a point in
 * no grid.
 *
 * <p>Border rule (see {@link GridLocator}): inside a grid means that grid; on a border shared by
 * several grids (an edge or a vertex) means the one with the smallest grid code.
 */
final class LocateHandler {
  static final int MAX_BATCH = 10_000;
  static final String BODY_FORM =
      "a JSON object {\"points\": [[lon, lat], ...]} with 1 to "
          + MAX_BATCH
          + " WGS84 longitude, latitude pairs";

  private final OgcApi api;

  LocateHandler(OgcApi api) {
    this.api = api;
  }

  void single(RoutingContext ctx) {
    QueryRoutes.only(ctx, "lon", "lat", io.gridmap.server.ogc.AsOf.PARAM);
    double[] p = QueryRoutes.point(ctx);
    Content c = api.content();
    Visibility v = QueryRoutes.visibility(ctx);
    java.time.Instant asOf = io.gridmap.server.ogc.AsOf.parse(ctx.queryParams());
    if (asOf == null) {
      // the present: a locate on the cell index is about a microsecond (the first in a cell builds
      // it, a fraction of a millisecond), less than the hop to a worker and back costs
      QueryRoutes.json(ctx, v, locate(c, null, p, v));
      return;
    }
    // the past reads the store's history: on a worker, never the event loop
    api.work(() -> locate(c, asOf, p, v))
        .onSuccess(doc -> QueryRoutes.json(ctx, v, doc))
        .onFailure(ctx::fail);
  }

  private JsonObject locate(Content c, java.time.Instant asOf, double[] p, Visibility v) {
    GridLocator locator = locator(c, asOf);
    GridLocation loc = locator.locate(p[0], p[1]);
    if (loc == null) {
      throw ApiException.notFound(
          "no grid holds the point lon="
              + p[0]
              + ", lat="
              + p[1]
              + "; the city's grids lie within "
              + QueryRoutes.bounds(locator.grids()));
    }
    return json(loc, p[0], p[1], v);
  }

  void batch(RoutingContext ctx) {
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    JsonNode points =
        GeoJsonReader.object(body == null ? null : body.getBytes(), BODY_FORM).get("points");
    if (!(points instanceof ArrayNode)) {
      throw GeoJsonReader.bad("points", points, "is not an array", BODY_FORM);
    }
    if (points.isEmpty() || points.size() > MAX_BATCH) {
      throw ApiException.badRequest(
          "points has " + points.size() + " points; expected " + BODY_FORM);
    }
    double[] lons = new double[points.size()];
    double[] lats = new double[points.size()];
    String form = GeoJsonReader.POSITION + ", as in " + BODY_FORM;
    for (int i = 0; i < points.size(); i++) {
      Coordinate p =
          GeoJsonReader.position(
              points.get(i), "points[" + i + "]", GeoJsonReader.Bounds.WGS84, form);
      lons[i] = p.x;
      lats[i] = p.y;
    }
    Content c = api.content();
    Visibility v = QueryRoutes.visibility(ctx);
    java.time.Instant asOf = io.gridmap.server.ogc.AsOf.parse(ctx.queryParams());
    api.work(
            () -> {
              GridLocator locator = locator(c, asOf);
              JsonArray results = new JsonArray();
              int found = 0;
              for (int i = 0; i < lons.length; i++) {
                GridLocation loc = locator.locate(lons[i], lats[i]);
                results.add(loc == null ? null : json(loc, lons[i], lats[i], v));
                found += loc == null ? 0 : 1;
              }
              return new JsonObject()
                  .put("numberLocated", found)
                  .put("numberNotLocated", lons.length - found)
                  .put("results", results);
            })
        .onSuccess(doc -> QueryRoutes.json(ctx, v, doc))
        .onFailure(ctx::fail);
  }

  /** The admin layers a location names, as they were at a past instant. */
  private static final java.util.List<String> UNITS =
      java.util.List.of("grids", "villages", "streets", "districts");

  /**
   * The locator of the present, or of the admin units as they were at {@code asOf} (built from the
   * history; the forces named as workers are today's).
   */
  private GridLocator locator(Content c, java.time.Instant asOf) {
    return asOf == null
        ? api.locator(c)
        : GridLocator.build(io.gridmap.server.ogc.AsOf.index(c, asOf, UNITS));
  }

  /** A location; the staff class also gets the worker's name (a personal field of forces). */
  static JsonObject json(GridLocation loc, double lon, double lat, Visibility v) {
    JsonObject out =
        new JsonObject()
            .put("point", new JsonArray().add(lon).add(lat))
            .put("onBorder", loc.onBorder());
    out.put("grid", unit(loc.grid(), "population", "households"));
    out.put("village", loc.village() == null ? null : unit(loc.village(), "kind"));
    JsonObject street = loc.street() == null ? null : unit(loc.street(), "kind");
    if (street != null) {
      LayerDef d = io.gridmap.layers.model.Catalogue.STREETS;
      Object clon = value(loc.street(), d, "centre_lon");
      Object clat = value(loc.street(), d, "centre_lat");
      street.put(
          "commandCentre",
          clon == null || clat == null ? null : new JsonObject().put("lon", clon).put("lat", clat));
    }
    out.put("street", street);
    out.put("district", loc.district() == null ? null : unit(loc.district()));
    Feature w = loc.worker();
    JsonObject worker =
        w == null
            ? null
            : new JsonObject()
                .put("id", w.id())
                .put("role", value(w, io.gridmap.layers.model.Catalogue.FORCES, "role"))
                .put("on_duty", value(w, io.gridmap.layers.model.Catalogue.FORCES, "on_duty"));
    if (worker != null && v == Visibility.STAFF) {
      int name = io.gridmap.layers.model.Catalogue.FORCES.fieldIndex("name");
      worker.put("name", name < 0 || name >= w.values().length ? null : w.value(name));
    }
    out.put("worker", worker);
    return out;
  }

  private static JsonObject unit(Feature f, String... extra) {
    JsonObject o =
        new JsonObject().put("id", f.id()).put("code", f.value(0)).put("name", f.value(1));
    LayerDef def = defOf(f);
    for (String e : extra) {
      o.put(e, def == null ? null : value(f, def, e));
    }
    return o;
  }

  /** The admin layer a unit belongs to, from the length of its code. */
  private static LayerDef defOf(Feature f) {
    return io.gridmap.layers.index.AdminLevel.ofCode(String.valueOf(f.value(0)))
        .flatMap(level -> io.gridmap.layers.model.Catalogue.byName(level.layerName()))
        .orElse(null);
  }

  private static Object value(Feature f, LayerDef def, String field) {
    int i = def.fieldIndex(field);
    return i < 0 || i >= f.values().length || def.fields().get(i).personal() ? null : f.value(i);
  }

  static String layerName(LayerIndex li) {
    return li.name();
  }
}
