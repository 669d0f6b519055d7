package io.gridmap.tiler.encode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The few protocol-buffer primitives an MVT needs, written into a growable byte array.
 *
 * <p>Hand-written rather than through protobuf-java's generated builders: one tile holds up to tens
 * of thousands of features, and building a message object per feature (and per value) only to
 * serialise it at once is most of the cost of a builder-based encoder. Writing varints straight
 * into one array is what Planetiler does too.
 */
public final class ProtoBuffer {
  public static final int VARINT = 0;
  public static final int FIXED64 = 1;
  public static final int LEN = 2;
  public static final int FIXED32 = 5;

  private byte[] buf;
  private int size;

  public ProtoBuffer(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  private void ensure(int extra) {
    if (size + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
    }
  }

  public int size() {
    return size;
  }

  public void reset() {
    size = 0;
  }

  public void tag(int field, int wireType) {
    varint(((long) field << 3) | wireType);
  }

  /** An unsigned varint (negative longs take ten bytes, as protobuf's int64 does). */
  public void varint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[size++] = (byte) v;
  }

  public void fixed64(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[size++] = (byte) (v >>> (8 * i));
    }
  }

  public void fixed32(int v) {
    ensure(4);
    for (int i = 0; i < 4; i++) {
      buf[size++] = (byte) (v >>> (8 * i));
    }
  }

  public void bytes(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
  }

  /** Appends another buffer's bytes as they are. */
  public void append(ProtoBuffer other) {
    bytes(other.buf, 0, other.size);
  }

  /** Field {@code field} as a length-delimited UTF-8 string. */
  public void string(int field, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    tag(field, LEN);
    varint(b.length);
    bytes(b, 0, b.length);
  }

  /** Field {@code field} as a length-delimited copy of another buffer. */
  public void message(int field, ProtoBuffer m) {
    tag(field, LEN);
    varint(m.size);
    bytes(m.buf, 0, m.size);
  }

  /** Field {@code field} as packed varints of {@code ints} (read as unsigned 32-bit). */
  public void packed(int field, IntList ints) {
    packed(field, ints, packedSize(ints));
  }

  /** As {@link #packed(int, IntList)} with the bytes of the varints, {@link #packedSize}, known. */
  public void packed(int field, IntList ints, int len) {
    tag(field, LEN);
    varint(len);
    ensure(len);
    byte[] b = buf;
    int at = size;
    for (int i = 0; i < ints.size(); i++) {
      int v = ints.get(i);
      while ((v & ~0x7F) != 0) {
        b[at++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      b[at++] = (byte) v;
    }
    size = at;
  }

  public int capacity() {
    return buf.length;
  }

  /** This buffer as the length-delimited field {@code field} of a message, in one exact array. */
  public byte[] toByteArrayAsMessage(int field) {
    byte[] out = new byte[varintSize(((long) field << 3) | LEN) + varintSize(size) + size];
    int at = writeVarint(out, 0, ((long) field << 3) | LEN);
    at = writeVarint(out, at, size);
    System.arraycopy(buf, 0, out, at, size);
    return out;
  }

  private static int writeVarint(byte[] b, int at, long v) {
    while ((v & ~0x7FL) != 0) {
      b[at++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    b[at++] = (byte) v;
    return at;
  }

  public static int varintSize(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      n++;
      v >>>= 7;
    }
    return n;
  }

  public static int packedSize(IntList ints) {
    int len = 0;
    for (int i = 0; i < ints.size(); i++) {
      // bytes of an unsigned 32-bit varint: one per started group of 7 bits
      len += (38 - Integer.numberOfLeadingZeros(ints.get(i) | 1)) / 7;
    }
    return len;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }
}
