package io.gridmap.importer.load;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * Every feature's values, one row after another, encoded in pages of bytes: a row is decoded into a
 * new {@code Object[]} when asked. A million-point roster's names, codes and phone numbers took 200
 * MB as Strings, Longs and one array a row (some 200 bytes a feature: a String is 24 bytes and its
 * array 16 before any character); here they take the characters and a tag, some 60.
 *
 * <p>Lossless: text is kept as Latin-1 when every char fits in a byte, else as its UTF-16 chars (a
 * lone surrogate survives); a Long, a Double and a Boolean come back equal; any other value (an
 * Integer, a BigDecimal a reader made) is kept as the object it is. Written by one thread, then
 * read by any number.
 *
 * <p>{@link #sharing} makes a column's repeated values come back as one instance each (roles,
 * categories, parents' codes), as {@link io.gridmap.layers.store.ValuePool} does when a store reads
 * a layer: the server holds a layer it imported as it holds one it read.
 */
final class ValueRows {
  private static final int PAGE_BITS = 20;
  private static final int PAGE = 1 << PAGE_BITS;

  private static final byte NULL = 0;
  private static final byte LATIN1 = 1;
  private static final byte UTF16 = 2;
  private static final byte LONG = 3;
  private static final byte DOUBLE = 4;
  private static final byte TRUE = 5;
  private static final byte FALSE = 6;
  private static final byte OTHER = 7;

  /**
   * Distinct values past which a column is not shared. A quarter of ValuePool's: while it grows,
   * the map holds every distinct value as an object (a million codes' first 65,536 take 7 MB a
   * column, its 262,144 would take 28), and an import's peak is what this is for.
   */
  static final int MAX_SHARED = 1 << 16;

  private final List<byte[]> pages = new ArrayList<>();
  private long end;
  private long[] starts = new long[1024];
  private int rows;
  private final List<Object> others = new ArrayList<>();

  /** Per column, each distinct value once, or null when the column is not shared. */
  private List<HashMap<Object, Object>> shared;

  /** Rows that {@link #add} adds share each column's repeated values (up to MAX_SHARED). */
  static ValueRows sharing(int columns) {
    ValueRows v = new ValueRows();
    v.shared = new ArrayList<>(columns);
    for (int i = 0; i < columns; i++) {
      v.shared.add(new HashMap<>());
    }
    return v;
  }

  int size() {
    return rows;
  }

  void add(Object[] values) {
    if (rows == starts.length) {
      starts = java.util.Arrays.copyOf(starts, rows * 2);
    }
    starts[rows++] = end;
    writeCount(values.length);
    for (int i = 0; i < values.length; i++) {
      write(values[i]);
      see(i, values[i]);
    }
  }

  /**
   * These rows, each through {@code convert}, into new rows that {@link #sharing} {@code columns};
   * these rows are emptied as it goes (a page at a time), so that the two are never held whole at
   * once. These rows are not to be read after.
   */
  ValueRows convert(int columns, java.util.function.UnaryOperator<Object[]> convert) {
    ValueRows out = sharing(columns);
    int freed = 0;
    for (int r = 0; r < rows; r++) {
      out.add(convert.apply(get(r)));
      int page = (int) ((r + 1 < rows ? starts[r + 1] : end) >>> PAGE_BITS);
      for (; freed < page; freed++) {
        pages.set(freed, null);
      }
    }
    pages.clear();
    others.clear();
    starts = new long[0];
    rows = 0;
    end = 0;
    return out;
  }

  /** Row {@code r}'s values, a new array. */
  Object[] get(int r) {
    java.util.Objects.checkIndex(r, rows);
    long[] at = {starts[r]};
    int n = readCount(at);
    Object[] out = new Object[n];
    for (int i = 0; i < n; i++) {
      Object v = read(at);
      if (shared != null && i < shared.size() && shared.get(i) != null && v != null) {
        v = shared.get(i).getOrDefault(v, v);
      }
      out[i] = v;
    }
    return out;
  }

  private void see(int column, Object v) {
    if (shared == null || v == null || v instanceof Boolean) {
      return;
    }
    while (shared.size() <= column) {
      shared.add(new HashMap<>());
    }
    HashMap<Object, Object> seen = shared.get(column);
    if (seen != null) {
      seen.putIfAbsent(v, v);
      if (seen.size() > MAX_SHARED) {
        shared.set(column, null); // mostly distinct: sharing costs more than it saves
      }
    }
  }

  private void write(Object v) {
    if (v == null) {
      put(NULL);
    } else if (v instanceof String s) {
      boolean latin1 = true;
      for (int i = 0; i < s.length() && latin1; i++) {
        latin1 = s.charAt(i) < 256;
      }
      put(latin1 ? LATIN1 : UTF16);
      writeCount(s.length());
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (!latin1) {
          put((byte) (c >>> 8));
        }
        put((byte) c);
      }
    } else if (v instanceof Long l) {
      put(LONG);
      writeLong(l);
    } else if (v instanceof Double d) {
      put(DOUBLE);
      long bits = Double.doubleToRawLongBits(d);
      for (int i = 0; i < 8; i++) {
        put((byte) (bits >>> (8 * i)));
      }
    } else if (v instanceof Boolean b) {
      put(b ? TRUE : FALSE);
    } else {
      put(OTHER);
      writeCount(others.size());
      others.add(v);
    }
  }

  private Object read(long[] at) {
    byte tag = get(at);
    switch (tag) {
      case NULL:
        return null;
      case LATIN1:
      case UTF16:
        {
          int n = readCount(at);
          if (tag == LATIN1) {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
              b[i] = get(at);
            }
            return new String(b, StandardCharsets.ISO_8859_1);
          }
          char[] c = new char[n];
          for (int i = 0; i < n; i++) {
            c[i] = (char) (((get(at) & 0xff) << 8) | (get(at) & 0xff));
          }
          return new String(c);
        }
      case LONG:
        return readLong(at);
      case DOUBLE:
        {
          long bits = 0;
          for (int i = 0; i < 8; i++) {
            bits |= (get(at) & 0xffL) << (8 * i);
          }
          return Double.longBitsToDouble(bits);
        }
      case TRUE:
        return Boolean.TRUE;
      case FALSE:
        return Boolean.FALSE;
      case OTHER:
        return others.get(readCount(at));
      default:
        throw new IllegalStateException("value tag " + tag + " at byte " + (at[0] - 1));
    }
  }

  /** A count, 7 bits a byte. */
  private void writeCount(int n) {
    while ((n & ~0x7f) != 0) {
      put((byte) ((n & 0x7f) | 0x80));
      n >>>= 7;
    }
    put((byte) n);
  }

  private int readCount(long[] at) {
    int n = 0;
    for (int shift = 0; ; shift += 7) {
      byte b = get(at);
      n |= (b & 0x7f) << shift;
      if (b >= 0) {
        return n;
      }
    }
  }

  /** A long, zigzag and 7 bits a byte: a phone number in 6 bytes, a small count in 1. */
  private void writeLong(long v) {
    long z = (v << 1) ^ (v >> 63);
    while ((z & ~0x7fL) != 0) {
      put((byte) ((z & 0x7f) | 0x80));
      z >>>= 7;
    }
    put((byte) z);
  }

  private long readLong(long[] at) {
    long z = 0;
    for (int shift = 0; ; shift += 7) {
      byte b = get(at);
      z |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return (z >>> 1) ^ -(z & 1);
      }
    }
  }

  private void put(byte b) {
    int page = (int) (end >>> PAGE_BITS);
    if (page == pages.size()) {
      pages.add(new byte[PAGE]);
    }
    pages.get(page)[(int) (end & (PAGE - 1))] = b;
    end++;
  }

  private byte get(long[] at) {
    long p = at[0]++;
    return pages.get((int) (p >>> PAGE_BITS))[(int) (p & (PAGE - 1))];
  }
}
