package io.gridmap.server.query;

import io.gridmap.layers.model.GeometryKind;
import io.gridmap.layers.query.crs.SupportedCrs;
import io.gridmap.layers.query.nearest.NearestPoints;
import io.gridmap.server.content.Content;
import io.gridmap.server.ogc.ItemsHandler;
import io.gridmap.server.ogc.OgcApi;
import io.gridmap.server.security.Visibility;
import io.gridmap.server.web.GeoJsonWriter;
import io.gridmap.server.web.Params;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /query/nearest?lon=&lat=&k=&role=&on_duty=}: the k nearest features of a point layer
 * (forces by default) to a point, nearest first, each with {@code distance_m} (metres on the WGS84
 * ellipsoid). Role, on-duty and any other property parameter, datetime or CQL2 filter narrow the
 * candidates. The staff visibility class also gets personal fields (names).
 */
final class NearestHandler {
  static final int MAX_K = 100;
  static final double MAX_DISTANCE = 100_000;
  private final OgcApi api;

  NearestHandler(OgcApi api) {
    this.api = api;
  }

  void handle(RoutingContext ctx) {
    Content c = api.content();
    double[] p = QueryRoutes.point(ctx);
    int k =
        Params.integer(
            ctx.queryParams(), "k", 5, 1, MAX_K, "an integer 1.." + MAX_K + " (default 5)");
    double max =
        Params.number(
            ctx.queryParams(),
            "max_distance",
            "metres, 1.." + (int) MAX_DISTANCE + " (default 20000)");
    if (Double.isNaN(max)) {
      max = 20_000;
    } else if (max < 1 || max > MAX_DISTANCE) {
      throw Params.bad(
          "max_distance",
          ctx.queryParams().get("max_distance"),
          "metres, 1.." + (int) MAX_DISTANCE + " (default 20000)");
    }
    Selection sel =
        Selection.parse(api, c, ctx, "forces", Set.of("lon", "lat", "k", "max_distance"));
    if (sel.layer().def().kind() != GeometryKind.POINT) {
      throw Params.bad(
          "collection", sel.layer().name(), "a point collection: key_sites, forces or events");
    }
    if (sel.request().bbox() != null) {
      throw Params.bad(
          "bbox", ctx.queryParams().get("bbox"), "no bbox on nearest (use max_distance)");
    }
    double maxMetres = max;
    var req = sel.request();
    Visibility v = QueryRoutes.visibility(ctx);
    int[] fields = ItemsHandler.fields(req, ctx.queryParams(), v == Visibility.STAFF);
    api.work(
            () -> {
              // the staff class gets personal features (homes of vulnerable residents) and fields
              // (names)
              List<NearestPoints.Neighbour> found =
                  NearestPoints.nearest(
                      sel.layer(), p[0], p[1], k, req.filter(), maxMetres, v == Visibility.STAFF);
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              GeoJsonWriter w = new GeoJsonWriter(out, sel.layer().def(), req.crs(), fields);
              var g = w.json();
              g.writeStartObject();
              g.writeStringField("type", "FeatureCollection");
              g.writeArrayFieldStart("point");
              g.writeNumber(p[0]);
              g.writeNumber(p[1]);
              g.writeEndArray();
              g.writeArrayFieldStart("features");
              for (NearestPoints.Neighbour n : found) {
                w.feature(
                    n.feature(),
                    j -> j.writeNumberField("distance_m", Math.round(n.metres() * 100) / 100.0));
              }
              g.writeEndArray();
              g.writeNumberField("numberReturned", found.size());
              g.writeEndObject();
              g.flush();
              return out.toByteArray();
            })
        .onSuccess(b -> QueryRoutes.geojson(ctx, v, req.crs(), b))
        .onFailure(ctx::fail);
  }

  static SupportedCrs crs() {
    return SupportedCrs.CRS84;
  }
}
