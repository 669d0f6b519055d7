package io.gridmap.server.http;

import io.gridmap.server.security.Visibility;
import io.gridmap.tiler.EncodedTile;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
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
    HttpServerResponse res = ctx.response();
    String etag = tile.etag();
    // Live layers (forces, events) change within seconds; the rest only when planners edit.
    String maxAge = tile.live() ? "max-age=10" : "max-age=3600";
    res.putHeader("ETag", etag)
        .putHeader(
            "Cache-Control", (visibility == Visibility.PUBLIC ? "public, " : "private, ") + maxAge)
        .putHeader("Vary", "Accept-Encoding, " + Visibility.VARY);
    String inm = ctx.request().getHeader("If-None-Match");
    if (inm != null && (inm.equals(etag) || inm.equals("*"))) {
      res.setStatusCode(304).end();
      return;
    }
    if (tile.empty()) {
      res.setStatusCode(204).end();
      return;
    }
    res.putHeader("Content-Type", MVT);
    String ae = ctx.request().getHeader("Accept-Encoding");
    if (ae != null && ae.contains("gzip")) {
      res.putHeader("Content-Encoding", "gzip").end(Buffer.buffer(tile.gzipped()));
    } else {
      ctx.vertx()
          .executeBlocking(tile::uncompressed, false)
          .onSuccess(raw -> res.end(Buffer.buffer(raw)))
          .onFailure(ctx::fail);
    }
  }
}
