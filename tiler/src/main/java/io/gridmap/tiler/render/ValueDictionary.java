package io.gridmap.tiler.render;

import io.gridmap.tiler.encode.MvtLayerWriter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The distinct attribute values of a layer, each encoded once as a {@code Tile.Value} message:
 * tiles copy the bytes instead of hashing values per feature (profiling uncached z10 tiles of the
 * full city showed about 70% of the time in writing point attributes before this).
 *
 * <p>Append-only and shared by every version of the layer, so a change never re-encodes what is
 * there: a new value (a category never seen) gets the next id. A point layer's ids are handed out
 * by the one thread that builds and changes the layer; readers take {@link #encoded()} after
 * reading the version they render, and every id of that version was added before the version was
 * published. A polygon layer's are handed out by the rendering threads as they first draw each
 * polygon ({@link PolygonValues}), who read the bytes with {@link #bytes}.
 */
final class ValueDictionary {
  /** Ids from here on name cluster counts (see {@link #count}), never attribute values. */
  static final int COUNT_BASE = 1 << 30;

  private static final byte[][] SMALL_COUNTS = new byte[4096][];

  static {
    for (int c = 0; c < SMALL_COUNTS.length; c++) {
      SMALL_COUNTS[c] = MvtLayerWriter.encodeValue((long) c);
    }
  }

  private final Map<Object, Integer> ids = new HashMap<>();
  private volatile byte[][] encoded = new byte[64][];
  private volatile Object[] values = new Object[64];
  private int size;

  /** The id of a value (not null), adding it when new. */
  synchronized int idOf(Object value) {
    Integer id = ids.get(value);
    if (id != null) {
      return id;
    }
    if (size == COUNT_BASE) {
      throw new IllegalStateException("more than 2^30 distinct attribute values in one layer");
    }
    byte[] bytes = MvtLayerWriter.encodeValue(value);
    byte[][] e = encoded;
    Object[] v = values;
    if (size == e.length) {
      e = Arrays.copyOf(e, size * 2);
      v = Arrays.copyOf(v, size * 2);
    }
    e[size] = bytes;
    v[size] = value;
    encoded = e;
    values = v;
    ids.put(value, size);
    return size++;
  }

  /** Every value's encoded bytes by id (at least the ids handed out before this call). */
  byte[][] encoded() {
    return encoded;
  }

  /**
   * The encoded bytes of an id, whichever thread handed it out: an id read without ordering (from
   * {@link PolygonValues}) may be newer than the array this thread sees, and then the lock finds
   * it.
   */
  byte[] bytes(int id) {
    byte[][] e = encoded;
    if (id < e.length) {
      byte[] b = e[id];
      if (b != null) {
        return b;
      }
    }
    synchronized (this) {
      return encoded[id];
    }
  }

  /** The value of an id. */
  Object value(int id) {
    return values[id];
  }

  /** The encoded value of a cluster count. */
  static byte[] count(int count) {
    return count < SMALL_COUNTS.length
        ? SMALL_COUNTS[count]
        : MvtLayerWriter.encodeValue((long) count);
  }
}
