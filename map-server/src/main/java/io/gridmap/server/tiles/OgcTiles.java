package io.gridmap.server.tiles;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.query.crs.SupportedCrs;
import io.gridmap.server.content.Content;
import io.gridmap.server.security.SecurityHandler;
import io.gridmap.server.security.Visibility;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.BaseUrl;
import io.gridmap.server.web.JsonResponse;
import io.gridmap.server.web.Links;
import io.gridmap.server.web.Loaded;
import io.gridmap.server.web.Params;
import io.gridmap.server.web.Representation;
import io.gridmap.server.web.Routes;
import io.gridmap.tiler.EncodedTile;
import io.gridmap.tiler.TileService;
import io.gridmap.tiler.encode.ContentHash;
import io.gridmap.tiler.encode.Gzip;
import io.gridmap.tiler.geo.TileCoord;
import io.gridmap.tiler.render.SourceLayer;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;
import org.locationtech.jts.geom.Envelope;

/**
 * OGC API - Tiles over the tileset {@code cq} in the WebMercatorQuad tile matrix set.
 *
 * <ul>
 *   <li>{@code /tiles}, {@code /tiles/WebMercatorQuad}: the map's (dataset) tileset; its tiles
 *       {@code /tiles/WebMercatorQuad/{z}/{row}/{col}} are the very bytes of {@code
 *       /tiles/cq/{z}/{col}/{row}.mvt} (row = y, col = x), from the same cache.
 *   <li>{@code /collections/{id}/tiles...}: one collection's (geodata) tileset; its tiles hold that
 *       collection's layer only: the layer message that the map tile concatenates, byte for byte
 *       ({@link TileService#layerTile}).
 *   <li>{@code /tileMatrixSets}, {@code /tileMatrixSets/WebMercatorQuad}: the tiling scheme.
 * </ul>
 *
 * An empty tile is 204, as at {@code /tiles/cq}. Tiles are those of the caller's visibility class,
 * as at {@code /tiles/cq}: the staff class's hold the homes of vulnerable residents.
 */
final class OgcTiles {
  static final String TMS = "WebMercatorQuad";
  static final String TMS_URI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad";
  static final String MVT = "application/vnd.mapbox-vector-tile";
  private static final Pattern INT = Pattern.compile("\\d{1,9}");

  private final Loaded<Content> content;
  private final WorkerExecutor renderPool;
  private final String publicUrl;

  OgcTiles(Loaded<Content> content, WorkerExecutor renderPool, String publicUrl) {
    this.content = content;
    this.renderPool = renderPool;
    this.publicUrl = publicUrl;
  }

  void mount(Routes router) {
    router.get("/tileMatrixSets").setName("/tileMatrixSets").handler(this::matrixSets);
    router.get("/tileMatrixSets/:tms").setName("/tileMatrixSets/{id}").handler(this::matrixSet);
    router.get("/tiles").setName("/tiles").handler(ctx -> tilesets(ctx, null));
    router.get("/tiles/:tms").setName("/tiles/{tms}").handler(ctx -> tileset(ctx, null));
    router
        .get("/tiles/:tms/:z/:row/:col")
        .setName("/tiles/{tms}/{z}/{row}/{col}")
        .handler(ctx -> tile(ctx, null));
    router
        .get("/collections/:collectionId/tiles")
        .setName("/collections/{id}/tiles")
        .handler(ctx -> tilesets(ctx, collection(ctx)));
    router
        .get("/collections/:collectionId/tiles/:tms")
        .setName("/collections/{id}/tiles/{tms}")
        .handler(ctx -> tileset(ctx, collection(ctx)));
    router
        .get("/collections/:collectionId/tiles/:tms/:z/:row/:col")
        .setName("/collections/{id}/tiles/{tms}/{z}/{row}/{col}")
        .handler(ctx -> tile(ctx, collection(ctx)));
  }

  /** The collection's layer, which must be a source layer of the tileset. */
  private LayerIndex collection(RoutingContext ctx) {
    Content c = content.get();
    // a staff-only layer is, to the public, a collection that does not exist (the same 404)
    LayerIndex li =
        c.collection(
            ctx.pathParam("collectionId"), SecurityHandler.principal(ctx).role().visibility());
    // the public tiles name every layer the public sees; a staff-only one is in the staff class's
    boolean tiled =
        li.def().staffOnly()
            || c.tiles().layers().stream().map(SourceLayer::name).anyMatch(li.name()::equals);
    if (!tiled) {
      throw ApiException.notFound("collection " + li.name() + " has no vector tiles");
    }
    return li;
  }

  /**
   * A staff-only layer's tileset is for staff alone: never in a shared cache. Every other one is
   * the same for every caller.
   */
  private static String cacheControl(RoutingContext ctx, LayerIndex layer) {
    if (layer != null && layer.def().staffOnly()) {
      ctx.response().putHeader("Vary", Visibility.VARY);
      return "private, max-age=300";
    }
    return "public, max-age=300";
  }

  private static void checkTms(String tms) {
    if (!TMS.equals(tms)) {
      throw ApiException.notFound(
          "tile matrix set " + Params.quote(tms) + " does not exist; the only one is " + TMS);
    }
  }

  void matrixSets(RoutingContext ctx) {
    String base = BaseUrl.of(ctx, publicUrl);
    JsonObject doc =
        new JsonObject()
            .put(
                "tileMatrixSets",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("id", TMS)
                            .put("title", "Google Maps Compatible for the World")
                            .put("uri", TMS_URI)
                            .put(
                                "links",
                                new JsonArray()
                                    .add(
                                        Links.of(
                                            base + "/tileMatrixSets/" + TMS,
                                            "self",
                                            "application/json",
                                            TMS)))));
    JsonResponse.send(ctx, doc, "public, max-age=86400");
  }

  void matrixSet(RoutingContext ctx) {
    checkTms(ctx.pathParam("tms"));
    JsonArray matrices = new JsonArray();
    double world = 2 * WebMercator.HALF_WORLD;
    for (int z = 0; z <= TileService.MAX_ZOOM; z++) {
      double cell = world / 256 / (1L << z);
      matrices.add(
          new JsonObject()
              .put("id", Integer.toString(z))
              .put("scaleDenominator", cell / 0.00028)
              .put("cellSize", cell)
              .put("cornerOfOrigin", "topLeft")
              .put(
                  "pointOfOrigin",
                  new JsonArray().add(-WebMercator.HALF_WORLD).add(WebMercator.HALF_WORLD))
              .put("tileWidth", 256)
              .put("tileHeight", 256)
              .put("matrixWidth", 1L << z)
              .put("matrixHeight", 1L << z));
    }
    JsonObject doc =
        new JsonObject()
            .put("id", TMS)
            .put("title", "Google Maps Compatible for the World")
            .put("uri", TMS_URI)
            .put("crs", SupportedCrs.EPSG_3857.uri())
            .put("orderedAxes", new JsonArray().add("E").add("N"))
            .put(
                "wellKnownScaleSet", "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible")
            .put("tileMatrices", matrices);
    JsonResponse.send(ctx, doc, "public, max-age=86400");
  }

  void tilesets(RoutingContext ctx, LayerIndex layer) {
    Content c = content.get();
    String base = BaseUrl.of(ctx, publicUrl);
    String prefix =
        layer == null ? base + "/tiles" : base + "/collections/" + layer.name() + "/tiles";
    JsonObject ts =
        new JsonObject()
            .put("title", layer == null ? "the map (tileset cq)" : layer.def().title())
            .put("dataType", "vector")
            .put("crs", SupportedCrs.EPSG_3857.uri())
            .put("tileMatrixSetURI", TMS_URI)
            .put(
                "links",
                new JsonArray()
                    .add(
                        Links.of(
                            prefix + "/" + TMS,
                            "self",
                            "application/json",
                            "the tileset in " + TMS))
                    .add(
                        Links.of(
                            base + "/tileMatrixSets/" + TMS,
                            "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme",
                            "application/json",
                            TMS)));
    JsonObject doc =
        new JsonObject()
            .put(
                "links",
                new JsonArray().add(Links.of(prefix, "self", "application/json", "tilesets")))
            .put("tilesets", new JsonArray().add(ts));
    if (c.tiles() == null) {
      throw ApiException.unavailable("no tile service");
    }
    JsonResponse.send(ctx, doc, cacheControl(ctx, layer));
  }

  void tileset(RoutingContext ctx, LayerIndex layer) {
    checkTms(ctx.pathParam("tms"));
    Content c = content.get();
    String base = BaseUrl.of(ctx, publicUrl);
    String prefix =
        layer == null
            ? base + "/tiles/" + TMS
            : base + "/collections/" + layer.name() + "/tiles/" + TMS;
    JsonArray layers = new JsonArray();
    // a staff-only layer is drawn in the staff class's tiles only (built on first use: until then
    // its tileset lists no layer rather than building them here, on the event loop)
    TileService drawn =
        layer != null && layer.def().staffOnly() && c.tilesIfBuilt(Visibility.STAFF) != null
            ? c.tilesIfBuilt(Visibility.STAFF)
            : c.tiles();
    for (SourceLayer sl : drawn.layers()) {
      if (layer != null && !sl.name().equals(layer.name())) {
        continue;
      }
      LayerDef def = c.index().findLayer(sl.name()).map(LayerIndex::def).orElse(null);
      int min = 0;
      int max = TileService.MAX_ZOOM;
      while (min < max && !sl.visibleAt(min)) {
        min++;
      }
      while (max > min && !sl.visibleAt(max)) {
        max--;
      }
      JsonObject l =
          new JsonObject()
              .put("id", sl.name())
              .put("dataType", "vector")
              .put("minTileMatrix", Integer.toString(min))
              .put("maxTileMatrix", Integer.toString(max));
      if (def != null) {
        l.put("title", def.title())
            .put(
                "geometryDimension",
                def.kind() == io.gridmap.layers.model.GeometryKind.POINT ? 0 : 2);
      } else {
        l.put("geometryDimension", 0);
      }
      layers.add(l);
    }
    Envelope b = c.index().lonLatBounds();
    JsonObject doc =
        new JsonObject()
            .put("title", layer == null ? "the map (tileset cq)" : layer.def().title())
            .put("dataType", "vector")
            .put("crs", SupportedCrs.EPSG_3857.uri())
            .put("tileMatrixSetURI", TMS_URI)
            .put("layers", layers)
            .put(
                "links",
                new JsonArray()
                    .add(Links.of(prefix, "self", "application/json", "this tileset"))
                    .add(
                        Links.of(
                            base + "/tileMatrixSets/" + TMS,
                            "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme",
                            "application/json",
                            TMS))
                    .add(
                        Links.of(
                                prefix + "/{tileMatrix}/{tileRow}/{tileCol}", "item", MVT, "a tile")
                            .put("templated", true)));
    if (!b.isNull()) {
      doc.put(
          "boundingBox",
          new JsonObject()
              .put("lowerLeft", new JsonArray().add(b.getMinX()).add(b.getMinY()))
              .put("upperRight", new JsonArray().add(b.getMaxX()).add(b.getMaxY()))
              .put("crs", SupportedCrs.CRS84.uri()));
    }
    JsonResponse.send(ctx, doc, cacheControl(ctx, layer));
  }

  /** Parses {z}/{row}/{col}: non-integers are 400, coordinates outside the matrix 404. */
  static TileCoord coord(String zs, String rows, String cols) {
    int z = part("tileMatrix", zs);
    int row = part("tileRow", rows);
    int col = part("tileCol", cols);
    if (z > TileService.MAX_ZOOM) {
      throw ApiException.notFound(
          "tileMatrix "
              + z
              + " is not in "
              + TMS
              + " for this tileset; expected 0.."
              + TileService.MAX_ZOOM);
    }
    long n = 1L << z;
    if (row >= n || col >= n) {
      throw ApiException.notFound(
          "tile row "
              + row
              + ", col "
              + col
              + " is outside tile matrix "
              + z
              + "; expected 0.."
              + (n - 1)
              + " for both");
    }
    return TileCoord.ofXYZ(col, row, z);
  }

  private static int part(String name, String v) {
    if (!INT.matcher(v).matches()) {
      throw Params.bad(name, v, "a non-negative integer");
    }
    return Integer.parseInt(v);
  }

  void tile(RoutingContext ctx, LayerIndex layer) {
    checkTms(ctx.pathParam("tms"));
    Content c = content.get();
    TileCoord coord = coord(ctx.pathParam("z"), ctx.pathParam("row"), ctx.pathParam("col"));
    if (!ctx.queryParams().isEmpty()
        && !(ctx.queryParams().size() == 1 && "mvt".equals(ctx.queryParams().get("f")))) {
      String name = ctx.queryParams().names().iterator().next();
      throw Params.bad(
          name, ctx.queryParams().get(name), "no parameters on a tile (f=mvt at most)");
    }
    // tiles are cached per visibility class, never per user; the staff class's tile service is
    // built on first use, so it is asked for only on the worker pool
    Visibility visibility = SecurityHandler.principal(ctx).role().visibility();
    if (layer == null) {
      TileService built = c.tilesIfBuilt(visibility);
      EncodedTile hit = built == null ? null : built.cached(coord);
      if (hit != null) {
        TileResponse.send(ctx, hit, visibility);
      } else {
        renderPool
            .executeBlocking(
                () -> built != null ? built.renderMissing(coord) : c.tiles(visibility).tile(coord),
                false)
            .onSuccess(t -> TileResponse.send(ctx, t, visibility))
            .onFailure(ctx::fail);
      }
      return;
    }
    String name = layer.name();
    renderPool
        .executeBlocking(
            () -> layerTile(c.tiles(visibility).layerTile(coord, name), visibility), false)
        .onSuccess(t -> TileResponse.send(ctx, t.body(), t.empty(), layer.def().live(), visibility))
        .onFailure(ctx::fail);
  }

  /**
   * A collection's tile, made on the worker pool: gzipped like every tile drawn on request ({@link
   * Gzip#FAST}), its ETag of the content and, for the staff class, starting with {@code staff-}, so
   * a tag of one class never revalidates the other's copy.
   */
  private static LayerTile layerTile(byte[] bytes, Visibility visibility) {
    String etag = ContentHash.etag(bytes);
    if (visibility == Visibility.STAFF) {
      etag = "\"staff-" + etag.substring(1);
    }
    return new LayerTile(
        Representation.ofGzipped(MVT, Gzip.compress(bytes, Gzip.FAST), etag), bytes.length == 0);
  }

  private record LayerTile(Representation body, boolean empty) {}
}
