package io.gridmap.server.query;

import io.gridmap.layers.index.LayerIndex;
import io.gridmap.server.ogc.OgcApi;
import io.gridmap.server.ogc.OpenApi;
import io.gridmap.server.ogc.Params;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.List;
import org.locationtech.jts.geom.Envelope;

/** The domain queries under {@code /query/...}: locate, nearest, within, counts, hotspots. */
public final class QueryRoutes {
  private QueryRoutes() {}

  public static void mount(Router router, OgcApi api) {
    LocateHandler locate = new LocateHandler(api);
    router.get("/query/locate").setName("/query/locate").handler(locate::single);
    router.post("/query/locate").setName("/query/locate (batch)").handler(locate::batch);
  }

  /** Refuses parameters other than the named ones. */
  static void only(RoutingContext ctx, String... names) {
    List<String> allowed = Arrays.asList(names);
    for (String n : ctx.queryParams().names()) {
      if (!allowed.contains(n)) {
        throw Params.bad(n, ctx.queryParams().get(n), "only the parameters " + String.join(", ", names) + " (see /api)");
      }
    }
  }

  static final String LON_FORM = "a WGS84 longitude in degrees, -180..180 (e.g. lon=106.57)";
  static final String LAT_FORM = "a WGS84 latitude in degrees, -90..90 (e.g. lat=29.56)";

  /** The required lon and lat parameters. */
  static double[] point(RoutingContext ctx) {
    double lon = Params.number(ctx.queryParams(), "lon", LON_FORM);
    double lat = Params.number(ctx.queryParams(), "lat", LAT_FORM);
    if (Double.isNaN(lon) || lon < -180 || lon > 180) {
      throw Params.bad("lon", String.valueOf(ctx.queryParams().get("lon")), LON_FORM);
    }
    if (Double.isNaN(lat) || lat < -90 || lat > 90) {
      throw Params.bad("lat", String.valueOf(ctx.queryParams().get("lat")), LAT_FORM);
    }
    return new double[] {lon, lat};
  }

  static String bounds(LayerIndex li) {
    Envelope e = li.bounds();
    return "lon " + e.getMinX() + ".." + e.getMaxX() + ", lat " + e.getMinY() + ".." + e.getMaxY();
  }

  /** Adds the domain queries' paths to the OpenAPI document. */
  public static void openApiPaths(JsonObject paths) {
    JsonObject lon = new JsonObject().put("name", "lon").put("in", "query").put("required", true).put("description", LON_FORM).put("schema", new JsonObject().put("type", "number").put("minimum", -180).put("maximum", 180));
    JsonObject lat = new JsonObject().put("name", "lat").put("in", "query").put("required", true).put("description", LAT_FORM).put("schema", new JsonObject().put("type", "number").put("minimum", -90).put("maximum", 90));
    JsonObject locate = OpenApi.get(
        "locate a point",
        "The grid holding a WGS84 point and its village, street and district (codes, names), the grid's full-time worker (id, role, on duty) and the street's command centre. "
            + "Border rule: a point inside a grid is in that grid; a point on a border shared by several grids (an edge or a vertex) is in the one with the smallest grid code. "
            + "404 when no grid holds the point.",
        List.of(lon, lat),
        OpenApi.json("the location"));
    locate.put("post", OpenApi.operation(
            "locate many points",
            "Up to " + LocateHandler.MAX_BATCH + " points in one request, by the same border rule; results in the order of the points, null for a point in no grid.",
            List.of(),
            OpenApi.json("the locations"))
        .put("requestBody", new JsonObject().put("required", true).put("content", new JsonObject().put("application/json", new JsonObject().put("schema",
            new JsonObject().put("type", "object").put("required", new JsonArray().add("points")).put("properties", new JsonObject().put("points",
                new JsonObject().put("type", "array").put("minItems", 1).put("maxItems", LocateHandler.MAX_BATCH)
                    .put("items", new JsonObject().put("type", "array").put("minItems", 2).put("maxItems", 2).put("items", new JsonObject().put("type", "number"))))))))));
    paths.put("/query/locate", locate);
  }
}
