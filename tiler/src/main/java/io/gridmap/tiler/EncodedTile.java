package io.gridmap.tiler;

import io.gridmap.tiler.encode.Gzip;

/**
 * A tile ready to send.
 *
 * @param gzipped the MVT bytes, gzipped: send with {@code Content-Encoding: gzip}
 * @param etag strong ETag, quoted: a 64-bit hash of the uncompressed MVT bytes, so equal content
 *     gets the same tag on every node and after restarts
 * @param empty true when the tile has no features (the HTTP layer may answer 204)
 * @param live true when the tile holds a live layer (forces, events): cache it briefly
 * @param rawSize size of the uncompressed MVT in bytes
 */
public record EncodedTile(byte[] gzipped, String etag, boolean empty, boolean live, int rawSize) {
  /** The uncompressed MVT, for the rare client that does not accept gzip. */
  public byte[] uncompressed() {
    return Gzip.decompress(gzipped);
  }
}
