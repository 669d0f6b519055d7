package io.gridmap.tiler.encode;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;

/**
 * Gzip at zlib's levels with one reused {@link Deflater} per thread (creating a Deflater allocates
 * native zlib state, about 256 KB, which for small tiles costs more than compressing them), or at
 * {@link #FAST} with our own single-pass encoder ({@link FastDeflate}), for tiles drawn on request.
 */
public final class Gzip {
  private Gzip() {}

  /**
   * The level of {@link FastDeflate}: greedy matching and Huffman codes per call; on the full
   * city's tiles 2.0-2.3 times zlib's level 4 in speed for 4-6% more bytes, and faster than zlib's
   * level 1 for as many (GzipBenchmark, docs/benchmarks.md). Levels 1-9 are zlib's.
   */
  public static final int FAST = 0;

  private static final ThreadLocal<FastDeflate> FAST_DEFLATE =
      ThreadLocal.withInitial(FastDeflate::new);

  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
  private static final ThreadLocal<Deflater[]> DEFLATERS =
      ThreadLocal.withInitial(() -> new Deflater[10]);

  private static final byte[] NOTHING = new byte[0];

  /**
   * An empty final deflate block (fixed Huffman codes, end-of-block only), closing a stream of
   * {@link #segment}s.
   */
  private static final byte[] FINAL_BLOCK = {0x03, 0x00};

  private static Deflater deflater(int level) {
    Deflater[] perLevel = DEFLATERS.get();
    Deflater d = perLevel[level];
    if (d == null) {
      d = new Deflater(level, true);
      perLevel[level] = d;
    }
    d.reset();
    return d;
  }

  /**
   * Deflates {@code data} into a segment that {@link #join} can put beside others: raw deflate
   * ending in a full flush, so it ends on a byte boundary, is not the final block, and refers to
   * nothing before its start (the technique pigz uses to compress a file's parts apart). An MVT
   * tile is the concatenation of its layers, so a tile can be gzipped from its layers' cached
   * segments: after a live change only the changed layer is deflated again, not the static polygons
   * beside it. Empty data gives an empty segment.
   */
  public static byte[] segment(byte[] data, int level) {
    if (data.length == 0) {
      return NOTHING;
    }
    int[] n = new int[1];
    byte[] out = rawDeflate(data, level, false, n);
    return Arrays.copyOf(out, n[0]);
  }

  /**
   * One gzip member of {@link #segment}s in order: the gzip header, the segments, an empty final
   * block, and the trailer ({@code crc32} and the length of the data the segments hold, in order).
   */
  public static byte[] join(byte[][] segments, long crc32, int rawLength) {
    int n = HEADER.length + FINAL_BLOCK.length + 8;
    for (byte[] s : segments) {
      n += s == null ? 0 : s.length;
    }
    byte[] gz = new byte[n];
    System.arraycopy(HEADER, 0, gz, 0, HEADER.length);
    int at = HEADER.length;
    for (byte[] s : segments) {
      if (s != null) {
        System.arraycopy(s, 0, gz, at, s.length);
        at += s.length;
      }
    }
    gz[at++] = FINAL_BLOCK[0];
    gz[at++] = FINAL_BLOCK[1];
    writeIntLe(gz, at, (int) crc32);
    writeIntLe(gz, at + 4, rawLength);
    return gz;
  }

  /**
   * Gzips {@code data} at a zlib level (1 fastest .. 9 smallest; 6 is zlib's default) or at {@link
   * #FAST}.
   */
  public static byte[] compress(byte[] data, int level) {
    int[] length = new int[1];
    byte[] out = rawDeflate(data, level, true, length);
    int n = length[0];
    CRC32 crc = new CRC32();
    crc.update(data);
    byte[] gz = new byte[HEADER.length + n + 8];
    System.arraycopy(HEADER, 0, gz, 0, HEADER.length);
    System.arraycopy(out, 0, gz, HEADER.length, n);
    writeIntLe(gz, HEADER.length + n, (int) crc.getValue());
    writeIntLe(gz, HEADER.length + n + 4, data.length);
    return gz;
  }

  /**
   * Deflates {@code data} at {@code level} (zlib's or {@link #FAST}) into the thread's scratch
   * (grown as needed) and returns it, the bytes in {@code [0, length[0])}: the final block of a
   * stream when {@code last}, else ending in a full flush. The caller copies them out once, into an
   * array of the exact size: sizing a fresh array by guess and trimming it made two or three per
   * tile.
   */
  private static byte[] rawDeflate(byte[] data, int level, boolean last, int[] length) {
    if (level == FAST) {
      byte[] out = scratch(FastDeflate.bound(data.length));
      length[0] = FAST_DEFLATE.get().deflate(data, 0, data.length, last, out, 0);
      return out;
    }
    Deflater d = deflater(level);
    d.setInput(data);
    if (last) {
      d.finish();
    }
    byte[] out = scratch(data.length / 2 + 64);
    int flush = last ? Deflater.NO_FLUSH : Deflater.FULL_FLUSH;
    int n = 0;
    // a full flush that fills the space given must be called again (Deflater#deflate)
    do {
      if (n == out.length) {
        out = Arrays.copyOf(out, out.length * 2);
      }
      n += d.deflate(out, n, out.length - n, flush);
    } while (last ? !d.finished() : n == out.length);
    if (out.length <= SCRATCH_MAX) {
      SCRATCH.get()[0] = out;
    }
    length[0] = n;
    return out;
  }

  /** The thread's scratch, grown to at least {@code n} bytes (and kept unless huge). */
  private static byte[] scratch(int n) {
    byte[][] scratch = SCRATCH.get();
    byte[] out = scratch[0];
    if (out.length < n) {
      out = new byte[n];
      if (n <= SCRATCH_MAX) {
        scratch[0] = out;
      }
    }
    return out;
  }

  private static final ThreadLocal<byte[][]> SCRATCH =
      ThreadLocal.withInitial(() -> new byte[][] {new byte[16 << 10]});

  /** A scratch grown past this (a huge tile) is not kept. */
  private static final int SCRATCH_MAX = 4 << 20;

  private static void writeIntLe(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
    b[off + 2] = (byte) (v >>> 16);
    b[off + 3] = (byte) (v >>> 24);
  }

  /** Gunzips; for clients that do not accept gzip, and for tests. */
  public static byte[] decompress(byte[] gzipped) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("not gzip data", e);
    }
  }

  /** True when the bytes start with the gzip magic number. */
  public static boolean isGzipped(byte[] b) {
    return b.length >= 2 && b[0] == 0x1f && b[1] == (byte) 0x8b;
  }
}
