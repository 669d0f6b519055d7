package io.gridmap.tiler;

import io.gridmap.tiler.encode.Gzip;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A tile ready to send: its gzipped bytes, their ETag and what the HTTP layer needs to answer.
 *
 * <p>A class, not a record, for one field that is not a component: the direct copy of the bytes
 * that {@link #forSocket} hands out once a tile is served again from the cache.
 */
public final class EncodedTile {
  private final byte[] gzipped;
  private final String etag;
  private final boolean empty;
  private final boolean live;
  private final int rawSize;

  /** Answers from the cache so far, to the second (racy: a lost count delays the copy). */
  private int served;

  private volatile ByteBuffer direct;

  /**
   * @param gzipped the MVT bytes, gzipped: send with {@code Content-Encoding: gzip}
   * @param etag strong ETag, quoted: a 64-bit hash of the uncompressed MVT bytes, so equal content
   *     gets the same tag on every node and after restarts
   * @param empty true when the tile has no features (the HTTP layer may answer 204)
   * @param live true when the tile holds a live layer (forces, events): cache it briefly
   * @param rawSize size of the uncompressed MVT in bytes
   */
  public EncodedTile(byte[] gzipped, String etag, boolean empty, boolean live, int rawSize) {
    this.gzipped = Objects.requireNonNull(gzipped);
    this.etag = Objects.requireNonNull(etag);
    this.empty = empty;
    this.live = live;
    this.rawSize = rawSize;
  }

  public byte[] gzipped() {
    return gzipped;
  }

  public String etag() {
    return etag;
  }

  public boolean empty() {
    return empty;
  }

  public boolean live() {
    return live;
  }

  public int rawSize() {
    return rawSize;
  }

  /** The uncompressed MVT, for the rare client that does not accept gzip. */
  public byte[] uncompressed() {
    return Gzip.decompress(gzipped);
  }

  /**
   * The gzipped bytes to write to a socket, never to be written into: the array itself the first
   * time, then a read-only view of a copy in direct memory, made once. Netty's epoll transport
   * writes only direct memory and copies a heap array into a pooled direct buffer on every write:
   * 8% of the event loop's CPU on cached tiles (async-profiler, issue 14), where nginx sends a
   * file's pages. A tile asked for once does not pay for a copy it would not reuse; the copy is
   * freed with the tile, by the GC's cleaner.
   */
  public ByteBuffer forSocket() {
    ByteBuffer d = direct;
    if (d == null) {
      if (served++ < 1) {
        return ByteBuffer.wrap(gzipped); // a read-only heap view would make Netty read it slowly
      }
      d = ByteBuffer.allocateDirect(gzipped.length).put(gzipped).flip().asReadOnlyBuffer();
      direct = d;
    }
    return d.duplicate();
  }

  /** Whether the direct copy has been made (for tests). */
  boolean hasDirectCopy() {
    return direct != null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncodedTile t
        && Arrays.equals(gzipped, t.gzipped)
        && etag.equals(t.etag)
        && empty == t.empty
        && live == t.live
        && rawSize == t.rawSize;
  }

  @Override
  public int hashCode() {
    return etag.hashCode();
  }

  @Override
  public String toString() {
    return "EncodedTile["
        + gzipped.length
        + " bytes gzipped, etag="
        + etag
        + ", live="
        + live
        + "]";
  }
}
