package io.gridmap.server.query;

import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.query.crs.SupportedCrs;
import io.gridmap.server.ogc.OgcApi;
import io.gridmap.server.security.SecurityHandler;
import io.gridmap.server.security.Visibility;
import io.gridmap.server.web.ApiPaths;
import io.gridmap.server.web.JsonResponse;
import io.gridmap.server.web.OpenApiDoc;
import io.gridmap.server.web.Params;
import io.gridmap.server.web.RouteModule;
import io.gridmap.server.web.Routes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Arrays;
import java.util.List;
import org.locationtech.jts.geom.Envelope;

/**
 * The domain queries under {@code /query/...}: locate, nearest, within, counts, hotspots.
 *
 * <p>Each answers the caller's visibility class ({@link Visibility}): the staff class gets personal
 * features (homes of elderly people living alone) and personal fields (names); the public class
 * gets neither, and a personal feature is not counted in any of its numbers.
 */
public final class QueryRoutes implements RouteModule {
  /** Largest request body (a batch of 10,000 points as JSON is ~400 kB). */
  public static final long MAX_BODY_BYTES = 2 << 20;

  private final OgcApi api;

  /**
   * @param api what the query handlers share with OGC API - Features: content, the query pool,
   *     collections, the grid locator
   */
  public QueryRoutes(OgcApi api) {
    this.api = api;
  }

  @Override
  public void mount(Routes router) {
    router
        .router()
        .post("/query/*")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    LocateHandler locate = new LocateHandler(api);
    router.get("/query/locate").setName("/query/locate").handler(locate::single);
    router.post("/query/locate").setName("/query/locate (batch)").handler(locate::batch);
    router.get("/query/nearest").setName("/query/nearest").handler(new NearestHandler(api)::handle);
    router.get("/query/within").setName("/query/within").handler(new WithinHandler(api)::handle);
    router.get("/query/counts").setName("/query/counts").handler(new CountsHandler(api)::handle);
    router
        .get("/query/hotspots")
        .setName("/query/hotspots")
        .handler(new HotspotsHandler(api)::handle);
    // the viewer's search box: units by name or code
    UnitSearchHandler search = new UnitSearchHandler(api);
    router.get("/viewer/search").setName("/viewer/search").handler(search::handle);
    search.buildWhenLoaded();
  }

  /** The caller's visibility class, read on the event loop before the work is handed off. */
  static Visibility visibility(RoutingContext ctx) {
    return SecurityHandler.principal(ctx).role().visibility();
  }

  /**
   * Answers differ by visibility class, so every one varies by Authorization, and the staff class's
   * is {@code private}: no shared cache ever keeps personal data. {@code no-cache} as before: live
   * layers change within seconds and the answers carry no validator.
   */
  static String cacheControl(Visibility v) {
    return v == Visibility.STAFF ? "private, no-cache" : "no-cache";
  }

  /** Writes a JSON answer of a visibility class. */
  static void json(RoutingContext ctx, Visibility v, JsonObject doc) {
    ctx.response().putHeader("Vary", Visibility.VARY);
    JsonResponse.send(ctx, doc, cacheControl(v));
  }

  /** Writes a GeoJSON answer of a visibility class; {@code crs} (nullable) becomes Content-Crs. */
  static void geojson(RoutingContext ctx, Visibility v, SupportedCrs crs, byte[] body) {
    var res = ctx.response().putHeader("Content-Type", "application/geo+json");
    if (crs != null) {
      res.putHeader("Content-Crs", "<" + crs.uri() + ">");
    }
    res.putHeader("Cache-Control", cacheControl(v))
        .putHeader("Vary", Visibility.VARY)
        .end(Buffer.buffer(body));
  }

  /** Refuses parameters other than the named ones. */
  static void only(RoutingContext ctx, String... names) {
    List<String> allowed = Arrays.asList(names);
    for (String n : ctx.queryParams().names()) {
      if (!allowed.contains(n)) {
        throw Params.bad(
            n,
            ctx.queryParams().get(n),
            "only the parameters " + String.join(", ", names) + " (see /api)");
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

  static List<Object> concat(List<?> a, List<?> b) {
    List<Object> out = new java.util.ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  static final String AREA_RULE =
      " An area (bbox, polygon, or radius circle) larger than the server's max_query_area_km2 (250,000 km² by default, more than the whole city) is a 400.";
  static final String PERSONAL_RULE =
      " Staff roles (grid_worker, commander, admin) also get personal features (homes of elderly people living alone) and personal fields (names); other roles neither, nor counted.";

  /** Adds the domain queries' paths to the OpenAPI document. */
  @Override
  public void describe(ApiPaths api) {
    JsonObject paths = api.paths();
    JsonObject lon =
        new JsonObject()
            .put("name", "lon")
            .put("in", "query")
            .put("required", true)
            .put("description", LON_FORM)
            .put(
                "schema",
                new JsonObject().put("type", "number").put("minimum", -180).put("maximum", 180));
    JsonObject lat =
        new JsonObject()
            .put("name", "lat")
            .put("in", "query")
            .put("required", true)
            .put("description", LAT_FORM)
            .put(
                "schema",
                new JsonObject().put("type", "number").put("minimum", -90).put("maximum", 90));
    JsonObject locate =
        OpenApiDoc.get(
            "locate a point",
            "The grid holding a WGS84 point and its village, street and district (codes, names), the grid's full-time worker (id, role, on duty; the name for staff roles) and the street's command centre. "
                + "Border rule: a point inside a grid is in that grid; a point on a border shared by several grids (an edge or a vertex) is in the one with the smallest grid code. "
                + "404 when no grid holds the point.",
            List.of(lon, lat, OpenApiDoc.ref(io.gridmap.server.ogc.AsOf.PARAM)),
            OpenApiDoc.json("the location"));
    locate.put(
        "post",
        OpenApiDoc.operation(
                "locate many points",
                "Up to "
                    + LocateHandler.MAX_BATCH
                    + " points in one request, by the same border rule; results in the order of the points, null for a point in no grid.",
                List.of(OpenApiDoc.ref(io.gridmap.server.ogc.AsOf.PARAM)),
                OpenApiDoc.json("the locations"))
            .put(
                "requestBody",
                new JsonObject()
                    .put("required", true)
                    .put(
                        "content",
                        new JsonObject()
                            .put(
                                "application/json",
                                new JsonObject()
                                    .put(
                                        "schema",
                                        new JsonObject()
                                            .put("type", "object")
                                            .put("required", new JsonArray().add("points"))
                                            .put(
                                                "properties",
                                                new JsonObject()
                                                    .put(
                                                        "points",
                                                        new JsonObject()
                                                            .put("type", "array")
                                                            .put("minItems", 1)
                                                            .put(
                                                                "maxItems", LocateHandler.MAX_BATCH)
                                                            .put(
                                                                "items",
                                                                new JsonObject()
                                                                    .put("type", "array")
                                                                    .put("minItems", 2)
                                                                    .put("maxItems", 2)
                                                                    .put(
                                                                        "items",
                                                                        new JsonObject()
                                                                            .put(
                                                                                "type",
                                                                                "number"))))))))));
    paths.put("/query/locate", locate);
    JsonObject collection =
        OpenApiDoc.query(
            "collection",
            "the collection to query (see /collections)",
            new JsonObject().put("type", "string"));
    List<Object> selection =
        List.of(
            collection,
            OpenApiDoc.ref("bbox"),
            OpenApiDoc.ref("datetime"),
            OpenApiDoc.ref("filter"),
            OpenApiDoc.ref("filter-lang"),
            new JsonObject()
                .put("name", "{property}")
                .put("in", "query")
                .put("required", false)
                .put(
                    "description",
                    "any property parameter of the collection's items (equality), e.g. category=manhole_cover, role=police, on_duty=true")
                .put("schema", new JsonObject().put("type", "string")));
    paths.put(
        "/query/nearest",
        OpenApiDoc.get(
            "nearest features",
            "The k features of a point collection (default forces) nearest to a point, nearest first, each with distance_m: metres on the WGS84 ellipsoid (mid-latitude formula). "
                + "Filter with role=..., on_duty=true|false, or any selection parameter. Staff roles also get personal fields (a force's name).",
            concat(
                List.of(
                    lon,
                    lat,
                    OpenApiDoc.query(
                        "k",
                        "how many, 1.." + NearestHandler.MAX_K + " (default 5)",
                        new JsonObject()
                            .put("type", "integer")
                            .put("minimum", 1)
                            .put("maximum", NearestHandler.MAX_K)
                            .put("default", 5)),
                    OpenApiDoc.query(
                        "max_distance",
                        "search radius in metres, at most "
                            + (int) NearestHandler.MAX_DISTANCE
                            + " (default 20000)",
                        new JsonObject().put("type", "number"))),
                selection),
            OpenApiDoc.response("the nearest features", "application/geo+json")));
    paths.put(
        "/query/within",
        OpenApiDoc.get(
            "features within a radius or a polygon",
            "Features of any collection (default events) within radius metres of lon, lat (as CQL2 S_DWITHIN), or intersecting a WKT polygon; a GeoJSON page like items."
                + PERSONAL_RULE
                + AREA_RULE,
            concat(
                List.of(
                    OpenApiDoc.query("lon", LON_FORM, new JsonObject().put("type", "number")),
                    OpenApiDoc.query("lat", LAT_FORM, new JsonObject().put("type", "number")),
                    OpenApiDoc.query(
                        "radius",
                        "metres, 0.." + (int) WithinHandler.MAX_RADIUS,
                        new JsonObject().put("type", "number")),
                    OpenApiDoc.query(
                        "polygon",
                        WithinHandler.POLYGON_FORM,
                        new JsonObject().put("type", "string")),
                    OpenApiDoc.ref("limit"),
                    OpenApiDoc.ref("offset"),
                    OpenApiDoc.ref("crs"),
                    OpenApiDoc.ref("properties")),
                selection),
            OpenApiDoc.response("a page of features", "application/geo+json")));
    paths.put(
        "/query/counts",
        OpenApiDoc.get(
            "counts by admin unit, attribute or time",
            "Counts of a collection's selected features (default events) grouped by an admin level (district, street, village, grid: the prefixes of the grid code a point carries), "
                + "by an attribute (category, board, status, urgency, role, kind, ...), or by a time bucket of its timestamp (month, week, day, hour_of_day; China Standard Time). "
                + "Use datetime for a time window."
                + PERSONAL_RULE
                + AREA_RULE,
            concat(
                List.of(
                    OpenApiDoc.query(
                        "by",
                        "district, street, village, grid, an attribute name, month, week, day or hour_of_day",
                        new JsonObject().put("type", "string"))),
                selection),
            OpenApiDoc.json("groups with counts")));
    paths.put(
        "/query/hotspots",
        OpenApiDoc.get(
            "hotspots",
            "Density-based clusters (DBSCAN) of the selected points (default events; select a category and a time window with category=... and datetime=...), "
                + "ranked by the Poisson log-likelihood ratio of each cluster's count against its neighbourhood's background; each with its hull, count, centre, radius, time span and member ids."
                + PERSONAL_RULE
                + AREA_RULE,
            concat(
                List.of(
                    OpenApiDoc.query(
                        "eps",
                        "neighbourhood radius in metres, 10..1000 (default 150)",
                        new JsonObject().put("type", "number")),
                    OpenApiDoc.query(
                        "min_points",
                        "points within eps that make a core point, 2..1000 (default 4)",
                        new JsonObject().put("type", "integer")),
                    OpenApiDoc.query(
                        "background",
                        "how far beyond a cluster its background neighbourhood reaches, in metres (default 1000)",
                        new JsonObject().put("type", "number")),
                    OpenApiDoc.query(
                        "limit",
                        "top clusters to return, 1..1000 (default 20)",
                        new JsonObject().put("type", "integer"))),
                selection),
            OpenApiDoc.response("clusters, best first", "application/geo+json")));
  }
}
