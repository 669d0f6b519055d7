package io.gridmap.server.tiles;

import static io.gridmap.server.web.OpenApiDoc.*;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.server.content.Content;
import io.gridmap.server.ops.ServerMetrics;
import io.gridmap.server.security.SecurityHandler;
import io.gridmap.server.security.Visibility;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.ApiPaths;
import io.gridmap.server.web.BaseUrl;
import io.gridmap.server.web.ConditionalResponse;
import io.gridmap.server.web.Loaded;
import io.gridmap.server.web.Representation;
import io.gridmap.server.web.RouteModule;
import io.gridmap.server.web.Routes;
import io.gridmap.tiler.EncodedTile;
import io.gridmap.tiler.TileService;
import io.gridmap.tiler.geo.TileCoord;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
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
public final class TileRoutes implements RouteModule {
  static final String TILESET = "cq";
  static final int MAX_ZOOM = 14;
  private static final Pattern INT = Pattern.compile("-?\\d{1,10}");

  private final Loaded<Content> content;
  private final WorkerExecutor renderPool;
  private final String publicUrl;
  private final OgcTiles ogc;

  /**
   * TileJSON per base URL: links come from the configured public URL or the request's Host, and a
   * copy made for one Host is never sent for another. Bounded, so a client sending many Host values
   * cannot grow it.
   */
  private final Cache<String, Representation> tileJsons =
      Caffeine.newBuilder().maximumSize(64).build();

  /**
   * @param renderPool the {@code tile-render} pool cache misses are drawn on
   * @param publicUrl the configured public URL, or null to take links from the request
   */
  public TileRoutes(Loaded<Content> content, WorkerExecutor renderPool, String publicUrl) {
    this.content = content;
    this.renderPool = renderPool;
    this.publicUrl = publicUrl;
    this.ogc = new OgcTiles(content, renderPool, publicUrl);
  }

  @Override
  public void mount(Routes router) {
    TileRoutes routes = this;
    router
        .getWithRegex("/tiles/" + TILESET + "/([^/]+)/([^/]+)/([^/]+)")
        .setName("/tiles/cq/{z}/{x}/{y}.mvt")
        .handler(routes::tile);
    router.get("/tiles/" + TILESET + ".json").setName("/tiles/cq.json").handler(routes::tileJson);
    ogc.mount(router);
  }

  /** OGC API - Tiles: the map's tileset and each collection's, and the tile matrix sets. */
  @Override
  public void describe(ApiPaths api) {
    JsonObject paths = api.paths();
    for (LayerIndex li : api.collections()) {
      String id = li.name();
      String p = "/collections/" + id;
      paths.put(
          p + "/tiles",
          get(id + ": tilesets", "Vector tilesets of " + id + ".", List.of(), json("tilesets")));
      paths.put(
          p + "/tiles/{tileMatrixSetId}",
          get(
              id + ": tileset",
              "The tileset of " + id + " in WebMercatorQuad.",
              List.of(ref("tileMatrixSetId")),
              json("tileset")));
      paths.put(
          p + "/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}",
          get(
              id + ": a tile",
              "A Mapbox vector tile holding the layer " + id + " only; 204 when empty.",
              List.of(ref("tileMatrixSetId"), ref("tileMatrix"), ref("tileRow"), ref("tileCol")),
              response("a vector tile", OgcTiles.MVT)));
    }
    paths.put(
        "/tileMatrixSets",
        get(
            "tile matrix sets",
            "The tiling schemes (WebMercatorQuad).",
            List.of(),
            json("tile matrix sets")));
    paths.put(
        "/tileMatrixSets/{tileMatrixSetId}",
        get(
            "a tile matrix set",
            "A tiling scheme's definition.",
            List.of(ref("tileMatrixSetId")),
            json("tile matrix set")));
    paths.put(
        "/tiles",
        get(
            "the map's tilesets",
            "Vector tilesets of the whole map.",
            List.of(),
            json("tilesets")));
    paths.put(
        "/tiles/{tileMatrixSetId}",
        get(
            "the map's tileset",
            "The map's tileset in WebMercatorQuad.",
            List.of(ref("tileMatrixSetId")),
            json("tileset")));
    paths.put(
        "/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}",
        get(
            "a map tile",
            "A Mapbox vector tile of every layer: the same bytes as /tiles/cq/{z}/{x}/{y}.mvt with x = tileCol and y = tileRow; 204 when empty.",
            List.of(ref("tileMatrixSetId"), ref("tileMatrix"), ref("tileRow"), ref("tileCol")),
            response("a vector tile", OgcTiles.MVT)));
  }

  private void tile(RoutingContext ctx) {
    Content content = this.content.getOrNull();
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
    java.time.Instant asOf;
    try {
      asOf = io.gridmap.server.ogc.AsOf.parse(ctx.queryParams());
    } catch (ApiException e) {
      ctx.fail(e);
      return;
    }
    if (asOf != null) {
      // the map as it was: tiles of their own, never the present's cache
      renderPool
          .executeBlocking(
              () -> io.gridmap.server.ogc.AsOf.tiles(content, asOf, visibility).tile(coord), false)
          .onSuccess(t -> TileResponse.send(ctx, t, visibility))
          .onFailure(ctx::fail);
      return;
    }
    TileService tiles = content.tilesIfBuilt(visibility);
    EncodedTile cached = tiles == null ? null : tiles.cached(coord);
    if (cached != null) {
      TileResponse.send(ctx, cached, visibility);
      return;
    }
    renderPool
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
    Content content = this.content.getOrNull();
    if (content == null) {
      ctx.fail(ApiException.unavailable("the map is still loading; /health says when it is ready"));
      return;
    }
    String base = BaseUrl.of(ctx, publicUrl);
    // per class: the staff class's vector_layers name its staff-only layers (imported rosters),
    // the public's do not, so a shared cache must keep them apart
    Visibility visibility = SecurityHandler.principal(ctx).role().visibility();
    String cacheControl =
        visibility == Visibility.STAFF ? "private, max-age=300" : "public, max-age=300";
    // an import adds a layer to vector_layers: a document made before it is not used again
    String key = visibility + " " + content.layersVersion() + " " + base;
    Representation hit = tileJsons.getIfPresent(key);
    if (hit != null) {
      ConditionalResponse.send(ctx, hit, cacheControl, Visibility.VARY);
      return;
    }
    // the staff class's tiles are built on first use: off the event loop
    renderPool
        .executeBlocking(
            () ->
                tileJsons.get(
                    key,
                    k -> {
                      Map<String, Object> json =
                          content
                              .tiles(visibility)
                              .tileJson(base + "/tiles/" + TILESET + "/{z}/{x}/{y}.mvt");
                      return Representation.ofText(
                          "application/json", new JsonObject(json).encode());
                    }),
            false)
        .onSuccess(doc -> ConditionalResponse.send(ctx, doc, cacheControl, Visibility.VARY))
        .onFailure(ctx::fail);
  }
}
