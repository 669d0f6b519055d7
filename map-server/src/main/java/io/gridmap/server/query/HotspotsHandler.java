package io.gridmap.server.query;

import com.fasterxml.jackson.core.JsonGenerator;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.GeometryKind;
import io.gridmap.layers.query.crs.SupportedCrs;
import io.gridmap.layers.query.hotspot.HotspotDetector;
import io.gridmap.layers.query.select.FeatureSelector;
import io.gridmap.server.content.Content;
import io.gridmap.server.ogc.ItemsRequest;
import io.gridmap.server.ogc.OgcApi;
import io.gridmap.server.security.Visibility;
import io.gridmap.server.web.GeoJsonWriter;
import io.gridmap.server.web.Params;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * {@code GET
 * /query/hotspots?collection=events&category=manhole_cover&datetime=2026-03-01/2026-04-30}:
 * density-based clusters (DBSCAN, {@link HotspotDetector}) of the selected points, ranked by how
 * far each exceeds its neighbourhood's background. Each is a GeoJSON feature: the members' convex
 * hull, with rank, count, score, expected count, centre, radius, time span and member ids. Personal
 * features are clustered (and their ids listed) for the staff visibility class only.
 */
final class HotspotsHandler {
  static final int MAX_POINTS = 200_000;
  private final OgcApi api;

  HotspotsHandler(OgcApi api) {
    this.api = api;
  }

  void handle(RoutingContext ctx) {
    Content c = api.content();
    var q = ctx.queryParams();
    Selection sel =
        Selection.parse(
                api,
                c,
                ctx,
                "events",
                Set.of("eps", "min_points", "background", "limit", "offset", "crs", "properties"))
            .limitArea(QueryArea.of(api), q);
    LayerIndex layer = sel.layer();
    if (layer.def().kind() != GeometryKind.POINT) {
      throw Params.bad(
          "collection", layer.name(), "a point collection: key_sites, forces or events");
    }
    HotspotDetector.Settings settings = settings(q);
    int limit =
        Params.integer(
            q, "limit", 20, 1, 1000, "an integer 1..1000 (default 20): the top clusters to return");
    var req = sel.request();
    Visibility vis = QueryRoutes.visibility(ctx);
    api.work(
            () -> {
              int[] points = points(layer, req, vis, q.get("filter"));
              List<HotspotDetector.Cluster> clusters =
                  HotspotDetector.detect(layer, points, settings);
              return write(layer, points.length, clusters, limit);
            })
        .onSuccess(b -> QueryRoutes.geojson(ctx, vis, null, b))
        .onFailure(ctx::fail);
  }

  /**
   * eps, min_points and background, each defaulting to {@link HotspotDetector.Settings#DEFAULTS}.
   */
  static HotspotDetector.Settings settings(MultiMap q) {
    HotspotDetector.Settings d = HotspotDetector.Settings.DEFAULTS;
    String epsForm = "metres, 10..1000 (default " + (int) d.epsMetres() + ")";
    double eps = Params.number(q, "eps", epsForm);
    eps = Double.isNaN(eps) ? d.epsMetres() : eps;
    if (eps < 10 || eps > 1000) {
      throw Params.bad("eps", q.get("eps"), epsForm);
    }
    int minPoints =
        Params.integer(
            q,
            "min_points",
            d.minPoints(),
            2,
            1000,
            "an integer 2..1000 (default " + d.minPoints() + ")");
    String bgForm =
        "metres, more than eps and at most 20000 (default " + (int) d.backgroundMetres() + ")";
    double bg = Params.number(q, "background", bgForm);
    bg = Double.isNaN(bg) ? d.backgroundMetres() : bg;
    if (bg <= eps || bg > 20_000) {
      throw Params.bad("background", String.valueOf(q.get("background")), bgForm);
    }
    return new HotspotDetector.Settings(eps, minPoints, bg);
  }

  /**
   * The selected points, at most {@link #MAX_POINTS}; personal features (homes) take part in the
   * staff class's clusters only.
   */
  private static int[] points(LayerIndex layer, ItemsRequest req, Visibility vis, String filter) {
    int[] points =
        FeatureSelector.matches(
            layer, req.bbox(), req.indexHint(), req.filter(), vis == Visibility.STAFF);
    if (points.length > MAX_POINTS) {
      throw Params.bad(
          "filter",
          String.valueOf(filter),
          "a selection of at most "
              + MAX_POINTS
              + " points (narrow it with category, datetime or bbox; this one has "
              + points.length
              + ")");
    }
    return points;
  }

  /** The clusters, best first, as a GeoJSON FeatureCollection of their shapes. */
  private static byte[] write(
      LayerIndex layer, int selected, List<HotspotDetector.Cluster> clusters, int limit)
      throws IOException {
    int tf = OgcApi.temporalField(layer.def());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    GeoJsonWriter w = new GeoJsonWriter(out, layer.def(), SupportedCrs.CRS84, new int[0]);
    var g = w.json();
    g.writeStartObject();
    g.writeStringField("type", "FeatureCollection");
    g.writeNumberField("numberOfPoints", selected);
    g.writeNumberField("numberMatched", clusters.size());
    int n = Math.min(limit, clusters.size());
    g.writeNumberField("numberReturned", n);
    g.writeArrayFieldStart("features");
    for (int i = 0; i < n; i++) {
      HotspotDetector.Cluster cl = clusters.get(i);
      g.writeStartObject();
      g.writeStringField("type", "Feature");
      g.writeNumberField("id", i + 1);
      g.writeFieldName("geometry");
      w.geometry(cl.shape());
      g.writeObjectFieldStart("properties");
      g.writeNumberField("rank", i + 1);
      g.writeNumberField("count", cl.count());
      g.writeNumberField("score", Math.round(cl.score() * 100) / 100.0);
      g.writeNumberField("expected", Math.round(cl.expected() * 1000) / 1000.0);
      g.writeArrayFieldStart("centre");
      g.writeNumber(Math.round(cl.centreLon() * 1e7) / 1e7);
      g.writeNumber(Math.round(cl.centreLat() * 1e7) / 1e7);
      g.writeEndArray();
      g.writeNumberField("radius_m", Math.round(cl.radiusMetres() * 10) / 10.0);
      if (tf >= 0) {
        writeTimeSpan(g, layer, cl, tf);
      }
      g.writeArrayFieldStart("members");
      for (int o : cl.members()) {
        g.writeNumber(layer.feature(o).id());
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
    g.flush();
    return out.toByteArray();
  }

  /** {@code from} and {@code to}: the first and last time among the cluster's members. */
  private static void writeTimeSpan(
      JsonGenerator g, LayerIndex layer, HotspotDetector.Cluster cl, int tf) throws IOException {
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (Feature f : HotspotDetector.features(layer, cl)) {
      Object v = f.value(tf);
      if (v != null) {
        lo = Math.min(lo, (Long) v);
        hi = Math.max(hi, (Long) v);
      }
    }
    if (lo <= hi) {
      g.writeStringField("from", Params.iso(lo));
      g.writeStringField("to", Params.iso(hi));
    }
  }
}
