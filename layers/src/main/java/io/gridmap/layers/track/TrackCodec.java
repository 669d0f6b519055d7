package io.gridmap.layers.track;

import java.util.ArrayList;
import java.util.List;

/**
 * Packs a run of fixes into bytes: a format byte, then per fix the zigzag varints of its time (ms),
 * longitude and latitude (1e-7 degrees), the first fix absolute and every later one as the
 * difference to the one before.
 *
 * <p>Why this and not a row per fix or a library: a fix every 5 s moves a walking worker about 7 m,
 * so each difference fits in two bytes and a fix costs about 6 bytes, where a row per fix costs
 * 40-60 bytes with its key and row header (docs/benchmarks.md has the measured figures). Google's
 * encoded polyline does positions only and to 1e-5 degrees, with no times; protobuf's packed
 * varints would need a generated schema and still this delta step; none of the libraries served
 * here packs (time, lon, lat) triples, and the whole format is these forty lines. Zigzag because
 * differences are negative as often as positive (a worker walks west as often as east).
 *
 * <p>Appending needs only the last fix ({@link Appender}), so an open chunk grows without decoding
 * it.
 */
public final class TrackCodec {
  /** The first byte of every packed run: the format, so that a later one can be told apart. */
  static final byte FORMAT = 1;

  private TrackCodec() {}

  /** The bytes of {@code points}, in the order given. */
  public static byte[] encode(List<TrackPoint> points) {
    Appender a = new Appender();
    points.forEach(a::add);
    return a.bytes();
  }

  /**
   * The fixes packed in {@code bytes}, in the order they were packed.
   *
   * @throws IllegalArgumentException when the bytes are not a packed run (truncated, another
   *     format)
   */
  public static List<TrackPoint> decode(byte[] bytes) {
    if (bytes.length == 0 || bytes[0] != FORMAT) {
      throw new IllegalArgumentException(
          "a packed track starts with format byte "
              + FORMAT
              + " but found "
              + (bytes.length == 0 ? "no bytes" : "byte " + bytes[0]));
    }
    List<TrackPoint> out = new ArrayList<>();
    int[] at = {1};
    long t = 0;
    long x = 0;
    long y = 0;
    while (at[0] < bytes.length) {
      t += unzigzag(varint(bytes, at));
      x += unzigzag(varint(bytes, at));
      y += unzigzag(varint(bytes, at));
      out.add(new TrackPoint(t, Math.toIntExact(x), Math.toIntExact(y)));
    }
    return out;
  }

  private static long varint(byte[] b, int[] at) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at[0] >= b.length) {
        throw new IllegalArgumentException(
            "a packed track ends inside a number at byte " + at[0] + " of " + b.length);
      }
      byte next = b[at[0]++];
      v |= (long) (next & 0x7f) << shift;
      if (next >= 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("a packed track has a number longer than 10 bytes");
  }

  static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  static long unzigzag(long v) {
    return (v >>> 1) ^ -(v & 1);
  }

  /** A packed run that grows one fix at a time; copies nothing already packed. */
  public static final class Appender {
    private byte[] buf;
    private int size;
    private int count;
    private TrackPoint first;
    private TrackPoint last;

    public Appender() {
      buf = new byte[64];
      buf[0] = FORMAT;
      size = 1;
    }

    /** Continues a run packed earlier, whose first and last fixes and count are known. */
    private Appender(byte[] packed, int count, TrackPoint first, TrackPoint last) {
      this.buf = java.util.Arrays.copyOf(packed, Math.max(64, packed.length * 2));
      this.size = packed.length;
      this.count = count;
      this.first = first;
      this.last = last;
    }

    /** An appender that continues {@code packed}. */
    public static Appender continuing(byte[] packed) {
      List<TrackPoint> points = decode(packed);
      return new Appender(
          packed,
          points.size(),
          points.isEmpty() ? null : points.get(0),
          points.isEmpty() ? null : points.get(points.size() - 1));
    }

    public void add(TrackPoint p) {
      if (size + 30 > buf.length) {
        buf = java.util.Arrays.copyOf(buf, buf.length * 2);
      }
      long t = p.time();
      long x = p.lonE7();
      long y = p.latE7();
      if (last != null) {
        t -= last.time();
        x -= last.lonE7();
        y -= last.latE7();
      } else {
        first = p;
      }
      put(zigzag(t));
      put(zigzag(x));
      put(zigzag(y));
      last = p;
      count++;
    }

    private void put(long v) {
      while ((v & ~0x7fL) != 0) {
        buf[size++] = (byte) ((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      buf[size++] = (byte) v;
    }

    /** A copy of the bytes packed so far. */
    public byte[] bytes() {
      return java.util.Arrays.copyOf(buf, size);
    }

    public int count() {
      return count;
    }

    public int size() {
      return size;
    }

    /** The first fix, or null before any. */
    public TrackPoint first() {
      return first;
    }

    /** The last fix, or null before any. */
    public TrackPoint last() {
      return last;
    }

    /** An independent copy: the open chunk stays as it was until a transaction commits. */
    public Appender copy() {
      Appender a = new Appender(bytes(), count, first, last);
      return a;
    }
  }
}
