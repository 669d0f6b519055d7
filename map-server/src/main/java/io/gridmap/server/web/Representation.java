package io.gridmap.server.web;

import io.gridmap.tiler.encode.ContentHash;
import io.gridmap.tiler.encode.Gzip;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * A response body ready to send as it is, many times: its media type, its bytes gzipped (when that
 * is smaller), a way to the plain bytes, and a strong ETag of the content. Built once per content
 * (a tile, a glyph range, a style for one base URL, a viewer file), so that no request compresses
 * or hashes anything. {@link ConditionalResponse} sends it.
 *
 * @param contentType the media type
 * @param gzipped the gzipped bytes, or null when the content is sent plain only
 * @param plain the uncompressed bytes; called only for a client that does not accept gzip, off the
 *     event loop when {@code plainNeedsWork}
 * @param plainNeedsWork true when {@code plain} decompresses (call it on a worker)
 * @param etag a quoted strong ETag
 */
public record Representation(
    String contentType,
    byte[] gzipped,
    Callable<byte[]> plain,
    boolean plainNeedsWork,
    String etag) {

  /** Below this many bytes gzip gains too little to pay for the header and the work. */
  private static final int GZIP_MIN_BYTES = 256;

  /**
   * A representation of plain bytes, gzipped when the media type compresses (text, JSON, XML,
   * JavaScript, SVG, protobuf) and gzip makes it smaller.
   */
  public static Representation of(String contentType, byte[] plain) {
    byte[] gz = null;
    if (plain.length >= GZIP_MIN_BYTES && compressible(contentType)) {
      byte[] c = Gzip.compress(plain, 6);
      gz = c.length < plain.length ? c : null;
    }
    // "v" + 16 hex digits of a 64-bit content hash; tiles carry their own tags
    String etag = "\"v" + ContentHash.etag(plain).substring(1);
    return new Representation(contentType, gz, () -> plain, false, etag);
  }

  private static boolean compressible(String contentType) {
    String t = contentType.toLowerCase(java.util.Locale.ROOT);
    return t.startsWith("text/")
        || t.contains("json")
        || t.contains("xml")
        || t.contains("javascript")
        || t.contains("protobuf");
  }

  /** A representation of a text document (UTF-8). */
  public static Representation ofText(String contentType, String text) {
    return of(contentType, text.getBytes(StandardCharsets.UTF_8));
  }

  /** A representation stored gzipped (tiles): plain bytes are made only when a client asks. */
  public static Representation ofGzipped(String contentType, byte[] gzipped, String etag) {
    return new Representation(contentType, gzipped, () -> Gzip.decompress(gzipped), true, etag);
  }

  /** The same content under another ETag (e.g. one per visibility class). */
  public Representation withEtag(String otherEtag) {
    return new Representation(contentType, gzipped, plain, plainNeedsWork, otherEtag);
  }
}
