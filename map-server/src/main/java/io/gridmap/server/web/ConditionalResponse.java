package io.gridmap.server.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * The one way a cacheable response is written: {@code ETag}, {@code Cache-Control} and {@code
 * Vary}; 304 for a matching {@code If-None-Match}; the stored gzip bytes for a client that accepts
 * gzip, plain bytes for one that does not. Tiles, glyphs, styles, TileJSON, the viewer's files and
 * the OGC documents all go through here, so they agree on every header.
 *
 * <p>{@code Vary} always names {@code Accept-Encoding} when a gzipped form exists, plus whatever
 * the caller adds (Authorization for role-dependent responses). The CORS handler adds Origin.
 */
public final class ConditionalResponse {
  private ConditionalResponse() {}

  /**
   * Sends {@code r}, or 304 when the client's copy is current.
   *
   * @param cacheControl the Cache-Control value, e.g. {@code public, max-age=3600}
   * @param vary extra Vary header names (e.g. {@code Authorization, X-API-Key}), or null
   */
  public static void send(RoutingContext ctx, Representation r, String cacheControl, String vary) {
    if (notModified(ctx, r.etag(), cacheControl, varyOf(r, vary))) {
      return;
    }
    HttpServerResponse res = ctx.response().putHeader("Content-Type", r.contentType());
    if (r.gzipped() != null && acceptsGzip(ctx.request().getHeader("Accept-Encoding"))) {
      res.putHeader("Content-Encoding", "gzip").end(wrap(r.gzipped()));
    } else if (!r.plainNeedsWork()) {
      try {
        res.end(Buffer.buffer(r.plain().call()));
      } catch (Exception e) {
        ctx.fail(e);
      }
    } else {
      ctx.vertx()
          .executeBlocking(r.plain(), false)
          .onSuccess(raw -> res.end(Buffer.buffer(raw)))
          .onFailure(ctx::fail);
    }
  }

  /**
   * Bytes a cache holds, as a body without a copy: {@code Buffer.buffer(byte[])} copies them into a
   * new buffer on every response (11 KB a tile on average, then copied again to the socket). The
   * bytes are never changed once cached, and Netty releasing the wrapper frees nothing of them.
   * {@code BufferInternal} is Vert.x's internal API: the one way it offers to wrap a Netty buffer.
   */
  public static Buffer wrap(byte[] bytes) {
    return io.vertx.core.internal.buffer.BufferInternal.buffer(
        io.netty.buffer.Unpooled.wrappedBuffer(bytes));
  }

  /** {@link #wrap(byte[])} for a heap or direct buffer's remaining bytes, not copied either. */
  public static Buffer wrap(java.nio.ByteBuffer bytes) {
    return io.vertx.core.internal.buffer.BufferInternal.buffer(
        io.netty.buffer.Unpooled.wrappedBuffer(bytes));
  }

  /**
   * Writes the validator headers and, when {@code If-None-Match} names {@code etag} (or is {@code
   * *}), ends the response with 304.
   *
   * @return true when the 304 was sent and the caller must not write a body
   */
  public static boolean notModified(
      RoutingContext ctx, String etag, String cacheControl, String vary) {
    HttpServerResponse res = ctx.response().putHeader("ETag", etag);
    if (cacheControl != null) {
      res.putHeader("Cache-Control", cacheControl);
    }
    if (vary != null && !vary.isEmpty()) {
      res.putHeader("Vary", vary);
    }
    if (matches(ctx.request().getHeader("If-None-Match"), etag)) {
      res.setStatusCode(304).end();
      return true;
    }
    return false;
  }

  private static String varyOf(Representation r, String vary) {
    if (r.gzipped() == null) {
      return vary;
    }
    return vary == null || vary.isEmpty() ? "Accept-Encoding" : "Accept-Encoding, " + vary;
  }

  /**
   * If-None-Match holds {@code *} or a list of entity tags; it matches by the weak comparison (RFC
   * 9110 13.1.2), so a cache that weakened our tag ({@code W/"..."}) still revalidates.
   */
  public static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    String bare = stripWeak(etag);
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.strip();
      if (c.equals("*") || stripWeak(c).equals(bare)) {
        return true;
      }
    }
    return false;
  }

  private static String stripWeak(String tag) {
    return tag.startsWith("W/") ? tag.substring(2) : tag;
  }

  /** True unless the client lists no gzip or gives it {@code q=0}. */
  public static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    // the common case, on every tile: "gzip, deflate, br" and the like, no weights of zero
    if (acceptEncoding.contains("gzip") && acceptEncoding.indexOf("q=0") < 0) {
      return true;
    }
    for (String part : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
      String[] p = part.strip().split(";");
      String coding = p[0].strip();
      if (coding.equals("gzip") || coding.equals("x-gzip") || coding.equals("*")) {
        for (int i = 1; i < p.length; i++) {
          String param = p[i].strip().replace(" ", "");
          if (param.matches("q=0(\\.0{0,3})?")) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  }
}
