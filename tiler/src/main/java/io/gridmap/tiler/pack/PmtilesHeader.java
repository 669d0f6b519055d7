package io.gridmap.tiler.pack;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The fixed 127-byte PMTiles v3 header (spec/v3/spec.md, 3): where each section is, how many tiles,
 * entries and distinct contents there are, the compressions, the tile type, the zooms and the
 * bounds and centre (degrees times 10^7, little-endian like every field).
 */
public record PmtilesHeader(
    long rootOffset,
    long rootLength,
    long metadataOffset,
    long metadataLength,
    long leavesOffset,
    long leavesLength,
    long tileDataOffset,
    long tileDataLength,
    long addressedTiles,
    long tileEntries,
    long tileContents,
    boolean clustered,
    Compression internalCompression,
    Compression tileCompression,
    int tileType,
    int minZoom,
    int maxZoom,
    double minLon,
    double minLat,
    double maxLon,
    double maxLat,
    int centerZoom,
    double centerLon,
    double centerLat) {

  public static final int LENGTH = 127;

  /** What a latency-optimised reader fetches first: the header and the whole root directory. */
  public static final int FIRST_FETCH = 16_384;

  /** Tile type 1: Mapbox Vector Tile. */
  public static final int TYPE_MVT = 1;

  private static final byte[] MAGIC = "PMTiles".getBytes(StandardCharsets.US_ASCII);

  /** The compression codes of the header (spec 3.3). */
  public enum Compression {
    UNKNOWN(0),
    NONE(1),
    GZIP(2),
    BROTLI(3),
    ZSTD(4);

    public final int code;

    Compression(int code) {
      this.code = code;
    }

    static Compression of(int code) {
      for (Compression c : values()) {
        if (c.code == code) {
          return c;
        }
      }
      throw new IllegalArgumentException("unknown PMTiles compression code " + code);
    }
  }

  public byte[] bytes() {
    ByteBuffer b = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) 3);
    b.putLong(rootOffset).putLong(rootLength);
    b.putLong(metadataOffset).putLong(metadataLength);
    b.putLong(leavesOffset).putLong(leavesLength);
    b.putLong(tileDataOffset).putLong(tileDataLength);
    b.putLong(addressedTiles).putLong(tileEntries).putLong(tileContents);
    b.put((byte) (clustered ? 1 : 0));
    b.put((byte) internalCompression.code).put((byte) tileCompression.code);
    b.put((byte) tileType).put((byte) minZoom).put((byte) maxZoom);
    b.putInt(e7(minLon)).putInt(e7(minLat)).putInt(e7(maxLon)).putInt(e7(maxLat));
    b.put((byte) centerZoom).putInt(e7(centerLon)).putInt(e7(centerLat));
    return b.array();
  }

  /** Reads a header (tests, and checking a written archive). */
  public static PmtilesHeader parse(byte[] bytes) {
    if (bytes.length < LENGTH) {
      throw new IllegalArgumentException(
          "a PMTiles header is " + LENGTH + " bytes, got " + bytes.length);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[7];
    b.get(magic);
    int version = b.get();
    if (!java.util.Arrays.equals(magic, MAGIC) || version != 3) {
      throw new IllegalArgumentException("not a PMTiles v3 header");
    }
    return new PmtilesHeader(
        b.getLong(),
        b.getLong(),
        b.getLong(),
        b.getLong(),
        b.getLong(),
        b.getLong(),
        b.getLong(),
        b.getLong(),
        b.getLong(),
        b.getLong(),
        b.getLong(),
        b.get() == 1,
        Compression.of(b.get()),
        Compression.of(b.get()),
        b.get(),
        b.get() & 0xFF,
        b.get() & 0xFF,
        b.getInt() / 1e7,
        b.getInt() / 1e7,
        b.getInt() / 1e7,
        b.getInt() / 1e7,
        b.get() & 0xFF,
        b.getInt() / 1e7,
        b.getInt() / 1e7);
  }

  private static int e7(double degrees) {
    return (int) Math.round(degrees * 1e7);
  }
}
