package io.gridmap.server.http;

import io.gridmap.server.ops.ServerMetrics;
import io.gridmap.server.security.SecurityHandler;
import io.gridmap.server.security.Visibility;
import io.gridmap.tiler.EncodedTile;
import io.gridmap.tiler.TileService;
import io.gridmap.tiler.geo.TileCoord;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code /tiles/cq/{z}/{x}/{y}.mvt} and {@code /tiles/cq.json}; the response itself is {@link
 * TileResponse}.
 *
 * <p>A cache hit is answered on the event loop (a map lookup and a write); a miss renders on the
 * {@code tile-render} worker pool. Tiles are stored gzipped and sent as they are to clients that
 * accept gzip, which is every browser and MapLibre.
 */
final class TileRoutes {
  static final String TILESET = "cq";
  static final int MAX_ZOOM = 14;
  private static final Pattern INT = Pattern.compile("-?\\d{1,10}");

  private final MapServer server;

  private TileRoutes(MapServer server) {
    this.server = server;
  }

  static void mount(Router router, MapServer server) {
    TileRoutes routes = new TileRoutes(server);
    router
        .getWithRegex("/tiles/" + TILESET + "/([^/]+)/([^/]+)/([^/]+)")
        .setName("/tiles/cq/{z}/{x}/{y}.mvt")
        .handler(routes::tile);
    router.get("/tiles/" + TILESET + ".json").setName("/tiles/cq.json").handler(routes::tileJson);
  }

  private void tile(RoutingContext ctx) {
    Content content = server.content();
    if (content == null) {
      ctx.fail(ApiException.unavailable("the map is still loading; /health says when it is ready"));
      return;
    }
    TileCoord coord;
    try {
      coord = parse(ctx.pathParam("param0"), ctx.pathParam("param1"), ctx.pathParam("param2"));
    } catch (ApiException e) {
      ctx.fail(e);
      return;
    }
    ctx.put(ServerMetrics.ZOOM, coord.z());
    // tiles are cached per visibility class, never per user
    Visibility visibility = SecurityHandler.principal(ctx).role().visibility();
    TileService tiles = content.tilesIfBuilt(visibility);
    EncodedTile cached = tiles == null ? null : tiles.cached(coord);
    if (cached != null) {
      TileResponse.send(ctx, cached, visibility);
      return;
    }
    server
        .renderPool()
        .executeBlocking(
            () ->
                tiles != null ? tiles.renderMissing(coord) : content.tiles(visibility).tile(coord),
            false)
        .onSuccess(t -> TileResponse.send(ctx, t, visibility))
        .onFailure(ctx::fail);
  }

  /** Parses z/x/y.mvt; every refusal names the part, the value and what is accepted. */
  static TileCoord parse(String zs, String xs, String ys) {
    if (!ys.endsWith(".mvt")) {
      throw ApiException.notFound(
          "tile path must end in {y}.mvt, got '" + ys + "'; e.g. /tiles/cq/12/3260/1695.mvt");
    }
    ys = ys.substring(0, ys.length() - 4);
    int z = integer("z", zs);
    int x = integer("x", xs);
    int y = integer("y", ys);
    if (z < 0 || z > MAX_ZOOM) {
      throw ApiException.notFound(
          "zoom z="
              + z
              + " is outside the tileset's range 0.."
              + MAX_ZOOM
              + "; clients overzoom z"
              + MAX_ZOOM
              + " tiles");
    }
    int n = 1 << z;
    if (x < 0 || x >= n) {
      throw ApiException.badRequest("x=" + x + " is outside 0.." + (n - 1) + " at zoom " + z);
    }
    if (y < 0 || y >= n) {
      throw ApiException.badRequest("y=" + y + " is outside 0.." + (n - 1) + " at zoom " + z);
    }
    return TileCoord.ofXYZ(x, y, z);
  }

  private static int integer(String name, String value) {
    if (INT.matcher(value).matches()) {
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException tooBig) {
        // falls through to the refusal below
      }
    }
    throw ApiException.badRequest(name + " must be a non-negative integer, got '" + value + "'");
  }

  private void tileJson(RoutingContext ctx) {
    Content content = server.content();
    if (content == null) {
      ctx.fail(ApiException.unavailable("the map is still loading; /health says when it is ready"));
      return;
    }
    String base = BaseUrl.of(ctx, server.config().publicUrl());
    Map<String, Object> doc =
        content.tiles().tileJson(base + "/tiles/" + TILESET + "/{z}/{x}/{y}.mvt");
    ctx.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "public, max-age=300")
        .end(new JsonObject(doc).encode());
  }
}
