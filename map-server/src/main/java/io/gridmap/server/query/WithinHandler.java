package io.gridmap.server.query;

import io.gridmap.layers.model.Feature;
import io.gridmap.layers.query.cql2.BoundFilter;
import io.gridmap.layers.query.cql2.Cql2;
import io.gridmap.layers.query.cql2.DistanceUnit;
import io.gridmap.layers.query.cql2.Filter;
import io.gridmap.layers.query.cql2.Operand;
import io.gridmap.layers.query.cql2.Queryables;
import io.gridmap.layers.query.cql2.SpatialOperator;
import io.gridmap.server.content.Content;
import io.gridmap.server.ogc.ItemsHandler;
import io.gridmap.server.ogc.ItemsRequest;
import io.gridmap.server.ogc.OgcApi;
import io.gridmap.server.security.Visibility;
import io.gridmap.server.web.Params;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.function.Predicate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygonal;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKTReader;

/**
 * {@code GET /query/within?collection=&lon=&lat=&radius=} or {@code ...&polygon=WKT}: features of
 * any collection within a radius (metres on the ellipsoid, as CQL2's S_DWITHIN) of a point, or
 * intersecting a polygon, as a GeoJSON page like items (limit, offset, crs, properties, filter,
 * datetime and property parameters apply too). The area is built as a CQL2 tree, never as text.
 * Personal features and fields are selected and written for the staff visibility class only.
 */
final class WithinHandler {
  static final double MAX_RADIUS = 50_000;

  /**
   * As {@code Cql2Limits} for filter literals. A polygon in a GET arrives in the request line,
   * which the HTTP server caps at 4 KiB (414 beyond): at 4 decimals, about 200 vertices. The check
   * stands for any other way in.
   */
  static final int MAX_VERTICES = 10_000;

  static final String POLYGON_FORM =
      "a WKT POLYGON or MULTIPOLYGON in WGS84 longitude latitude, at most "
          + MAX_VERTICES
          + " vertices, e.g. POLYGON((106.55 29.55, 106.58 29.55, 106.58 29.57, 106.55 29.55))";
  private final OgcApi api;

  WithinHandler(OgcApi api) {
    this.api = api;
  }

  void handle(RoutingContext ctx) {
    Content c = api.content();
    var q = ctx.queryParams();
    QueryArea limit = QueryArea.of(api);
    Selection sel =
        Selection.parse(api, c, ctx, "events", Set.of("lon", "lat", "radius", "polygon"))
            .limitArea(limit, q);
    String wkt = Params.single(q, "polygon");
    Filter area;
    if (wkt != null) {
      if (q.contains("lon") || q.contains("lat") || q.contains("radius")) {
        throw Params.bad("polygon", wkt, "either polygon, or lon, lat and radius, not both");
      }
      Geometry g = polygon(wkt, limit);
      area =
          new Filter.Spatial(
              SpatialOperator.S_INTERSECTS,
              new Operand.Property(Queryables.GEOMETRY),
              new Operand.GeometryLiteral(g));
    } else {
      double[] p = QueryRoutes.point(ctx);
      double r = Params.number(q, "radius", "metres, 0.." + (int) MAX_RADIUS);
      if (Double.isNaN(r) || r < 0 || r > MAX_RADIUS) {
        throw Params.bad(
            "radius",
            String.valueOf(q.get("radius")),
            "metres, 0.." + (int) MAX_RADIUS + " (or a polygon parameter instead)");
      }
      limit.check("radius", q.get("radius"), QueryArea.circleKm2(r));
      area =
          new Filter.DWithin(
              new Operand.Property(Queryables.GEOMETRY),
              new Operand.GeometryLiteral(
                  new GeometryFactory()
                      .createPoint(new org.locationtech.jts.geom.Coordinate(p[0], p[1]))),
              r,
              DistanceUnit.METERS);
    }
    BoundFilter bound = Cql2.bind(area, Queryables.withoutPersonal(sel.layer().def()));
    ItemsRequest r = sel.request();
    Predicate<Feature> filter =
        r.filter() == null ? bound.toPredicate() : bound.toPredicate().and(r.filter());
    Envelope hint = bound.indexEnvelope().orElse(null);
    if (r.indexHint() != null) {
      hint = hint == null ? r.indexHint() : hint.intersection(r.indexHint());
    }
    ItemsRequest req =
        new ItemsRequest(
            r.layer(), r.bbox(), r.crs(), r.limit(), r.offset(), r.properties(), filter, hint);
    String url = api.baseUrl(ctx) + "/query/within";
    String query = ctx.request().query();
    Visibility v = QueryRoutes.visibility(ctx);
    boolean staff = v == Visibility.STAFF;
    int[] fields = ItemsHandler.fields(req, q, staff);
    api.work(() -> ItemsHandler.page(req, staff, fields, url, query))
        .onSuccess(b -> QueryRoutes.geojson(ctx, v, req.crs(), b))
        .onFailure(ctx::fail);
  }

  /**
   * The polygon parameter, checked: WKT, polygonal, at most {@link #MAX_VERTICES}, valid, in range,
   * within the area limit.
   */
  static Geometry polygon(String wkt, QueryArea limit) {
    String problem = WktCheck.problem(wkt);
    if (problem != null) {
      throw Params.bad("polygon", wkt, POLYGON_FORM + " (" + problem + ")");
    }
    Geometry g;
    try {
      g = new WKTReader(new GeometryFactory()).read(wkt);
    } catch (ParseException | IllegalArgumentException e) {
      // WktCheck reads what JTS reads; its words, not JTS's, go to the client
      throw Params.bad("polygon", wkt, POLYGON_FORM);
    }
    if (!(g instanceof Polygonal) || g.isEmpty()) {
      throw Params.bad("polygon", wkt, "a valid " + POLYGON_FORM);
    }
    // counted before the validity test, whose work grows with the vertices
    if (g.getNumPoints() > MAX_VERTICES) {
      throw Params.bad(
          "polygon",
          wkt,
          "at most " + MAX_VERTICES + " vertices; this one has " + g.getNumPoints());
    }
    if (!g.isValid() || !new Envelope(-180, 180, -90, 90).contains(g.getEnvelopeInternal())) {
      throw Params.bad("polygon", wkt, "a valid " + POLYGON_FORM);
    }
    limit.check("polygon", wkt, QueryArea.km2(g));
    return g;
  }
}
