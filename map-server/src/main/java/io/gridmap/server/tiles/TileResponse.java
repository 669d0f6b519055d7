package io.gridmap.server.tiles;

import io.gridmap.server.security.Visibility;
import io.gridmap.server.web.ConditionalResponse;
import io.gridmap.server.web.Representation;
import io.gridmap.tiler.EncodedTile;
import io.vertx.ext.web.RoutingContext;

/**
 * Writes a tile: ETag with 304 on a matching If-None-Match, 204 for an empty tile, the stored gzip
 * bytes as they are for clients that accept gzip (every browser and MapLibre), decompressed off the
 * event loop for the rare client that does not. Shared by {@code /tiles/cq} and the OGC API - Tiles
 * routes, which serve the same bytes.
 */
public final class TileResponse {
  static final String MVT = "application/vnd.mapbox-vector-tile";

  private TileResponse() {}

  /** A public-class tile. */
  public static void send(RoutingContext ctx, EncodedTile tile) {
    send(ctx, tile, Visibility.PUBLIC);
  }

  /**
   * A tile of a visibility class. The response varies by Authorization in every class; the staff
   * class's is {@code private}, so no shared cache ever keeps personal data.
   */
  public static void send(RoutingContext ctx, EncodedTile tile, Visibility visibility) {
    send(
        ctx,
        Representation.ofGzipped(MVT, tile.gzipped(), tile.etag()),
        tile.empty(),
        tile.live(),
        visibility);
  }

  /** A tile's Cache-Control: live layers change within seconds, the rest when planners edit. */
  static String cacheControl(Visibility v, boolean live) {
    return (v == Visibility.PUBLIC ? "public, " : "private, ")
        + (live ? "max-age=10" : "max-age=3600");
  }

  /**
   * A tile's bytes: 204 when empty. Live layers (forces, events) change within seconds; the rest
   * only when planners edit, so they are cached an hour.
   */
  static void send(
      RoutingContext ctx, Representation tile, boolean empty, boolean live, Visibility v) {
    String cacheControl = cacheControl(v, live);
    if (empty) {
      if (!ConditionalResponse.notModified(ctx, tile.etag(), cacheControl, Visibility.VARY)) {
        ctx.response().setStatusCode(204).end();
      }
      return;
    }
    ConditionalResponse.send(ctx, tile, cacheControl, Visibility.VARY);
  }
}
