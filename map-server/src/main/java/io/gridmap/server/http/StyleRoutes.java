package io.gridmap.server.http;

import io.gridmap.styles.StyleDocument;
import io.gridmap.styles.glyphs.GlyphService;
import io.gridmap.styles.glyphs.InvalidGlyphRequestException;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/**
 * {@code /styles/{id}.json} (MapLibre styles over our TileJSON) and {@code
 * /fonts/{fontstack}/{start}-{end}.pbf} (SDF glyphs drawn from the server's fonts).
 */
final class StyleRoutes {
  private final MapServer server;
  private final GlyphService glyphs;

  private StyleRoutes(MapServer server, GlyphService glyphs) {
    this.server = server;
    this.glyphs = glyphs;
  }

  static void mount(Router router, MapServer server, GlyphService glyphs) {
    StyleRoutes routes = new StyleRoutes(server, glyphs);
    router
        .getWithRegex("/styles/([^/]+)\\.json")
        .setName("/styles/{id}.json")
        .handler(routes::style);
    router
        .getWithRegex("/fonts/([^/]+)/([^/]+)")
        .setName("/fonts/{fontstack}/{range}.pbf")
        .handler(routes::glyphs);
  }

  private void style(RoutingContext ctx) {
    String id = ctx.pathParam("param0");
    String base = BaseUrl.of(ctx, server.config().publicUrl());
    StyleDocument.byId(id, base)
        .ifPresentOrElse(
            doc ->
                ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "public, max-age=300")
                    .end(doc.toString()),
            () ->
                ctx.fail(
                    ApiException.notFound(
                        "no style '"
                            + id
                            + "'; styles are "
                            + String.join(", ", StyleDocument.ids()))));
  }

  private void glyphs(RoutingContext ctx) {
    String fontstack = ctx.pathParam("param0");
    String range = ctx.pathParam("param1");
    String inm = ctx.request().getHeader("If-None-Match");
    server
        .renderPool()
        .executeBlocking(() -> gzip(glyphs.range(fontstack, range)), false)
        .onSuccess(
            gz -> {
              String etag =
                  "\"g"
                      + Integer.toHexString(java.util.Arrays.hashCode(gz))
                      + "-"
                      + gz.length
                      + "\"";
              var res =
                  ctx.response()
                      .putHeader("ETag", etag)
                      .putHeader("Cache-Control", "public, max-age=86400");
              if (etag.equals(inm)) {
                res.setStatusCode(304).end();
                return;
              }
              res.putHeader("Content-Type", "application/x-protobuf")
                  .putHeader("Content-Encoding", "gzip")
                  .end(Buffer.buffer(gz));
            })
        .onFailure(
            e -> {
              if (e instanceof InvalidGlyphRequestException bad) {
                ctx.fail(ApiException.badRequest(bad.getMessage()));
              } else {
                ctx.fail(e);
              }
            });
  }

  private static byte[] gzip(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
