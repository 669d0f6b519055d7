package io.gridmap.tiler.encode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A fast 64-bit content hash (MurmurHash3's mixing over 8-byte words) for ETags: several GB/s, so
 * hashing a 100 KB tile costs tens of microseconds, where SHA-256 would cost a few hundred. Not
 * cryptographic; an ETag only has to change when content does.
 */
public final class ContentHash {
  private ContentHash() {}

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  public static long hash64(byte[] b) {
    long h = 0x9E3779B97F4A7C15L ^ b.length;
    int i = 0;
    for (; i + 8 <= b.length; i += 8) {
      h ^= mixK((long) LONGS.get(b, i));
      h = Long.rotateLeft(h, 27) * 5 + 0x52dce729;
    }
    long k = 0;
    for (int s = 0; i < b.length; i++, s += 8) {
      k |= (b[i] & 0xFFL) << s;
    }
    h ^= mixK(k);
    return fmix(h);
  }

  private static long mixK(long k) {
    k *= C1;
    k = Long.rotateLeft(k, 31);
    return k * C2;
  }

  private static long fmix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /** A quoted strong ETag of the bytes. */
  public static String etag(byte[] b) {
    return quoted(hash64(b));
  }

  /**
   * A quoted strong ETag of the concatenation of parts, from their {@link #hash64}es and lengths in
   * order: a tile's, from its layers' hashes taken once when each was encoded, so that a tile
   * re-assembled after a live change hashes only the changed layer (hashing whole 100 KB tiles was
   * most of such a re-assembly once the gzip was done per layer).
   */
  public static String etagOfParts(long[] hashes, int[] lengths) {
    long h = 0x9E3779B97F4A7C15L ^ hashes.length;
    for (int i = 0; i < hashes.length; i++) {
      h ^= mixK(hashes[i]);
      h = Long.rotateLeft(h, 27) * 5 + 0x52dce729;
      h ^= mixK(lengths[i]);
      h = Long.rotateLeft(h, 27) * 5 + 0x52dce729;
    }
    return quoted(fmix(h));
  }

  private static String quoted(long hash) {
    String hex = Long.toHexString(hash);
    return "\"" + "0".repeat(16 - hex.length()) + hex + "\"";
  }
}
