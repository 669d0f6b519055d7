package io.gridmap.layers.store;

/**
 * Hands out one instance per distinct value of a column while a layer is read: the city's two
 * million points repeat a few thousand grid codes, a handful of categories, roles and states, and a
 * new String or Long per row cost the server about 500 MB of heap at the seed's volumes. A column
 * with more distinct values than {@link #MAX_DISTINCT} (names, timestamps) stops being pooled: past
 * that, pooling costs more than it saves.
 *
 * <p>One pool may serve several threads reading parts of one layer at once (a million-point table
 * is read in id ranges, see {@code ParallelRead}): the map is concurrent, looked up before it is
 * written to, and the count that decides whether to stop may lose an increment to a race, which
 * moves the decision by a value or two and changes nothing else.
 */
public final class ValuePool {
  static final int MAX_DISTINCT = 1 << 18;

  /**
   * Values looked at before deciding whether the column repeats at all: a column whose first
   * {@value} values are 97% distinct (ids, codes of their own, timestamps, free text) stops being
   * pooled there rather than at {@link #MAX_DISTINCT}, where filling the map took a third of the
   * server's start (JFR, full city). A column drawn from the 65,000 grid codes is about 88%
   * distinct at this point and stays pooled.
   */
  static final int PROBE = 1 << 14;

  private volatile java.util.concurrent.ConcurrentHashMap<Object, Object> seen =
      new java.util.concurrent.ConcurrentHashMap<>();
  private int looked;

  public Object shared(Object v) {
    java.util.concurrent.ConcurrentHashMap<Object, Object> map = seen;
    if (v == null || map == null || v instanceof Boolean || isSmallLong(v)) {
      return v;
    }
    Object earlier = map.get(v); // a lock-free read: most values were seen before
    return counted(map, earlier != null ? earlier : map.putIfAbsent(v, v), v);
  }

  /**
   * The text of these UTF-8 bytes, the same String for the same bytes while the column is pooled: a
   * repeated value is looked up by its bytes and never decoded again. Reading text as bytes skips
   * the JDBC driver's own decoding (a direct buffer, a copy and a String per value: 2.4 of the 3.8
   * GB a full city's read allocated).
   */
  public String sharedText(byte[] utf8) {
    if (utf8 == null) {
      return null;
    }
    java.util.concurrent.ConcurrentHashMap<Object, Object> map = seen;
    if (map == null) {
      return new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
    }
    Utf8 key = new Utf8(utf8);
    Object earlier = map.get(key);
    if (earlier != null) {
      return (String) counted(map, earlier, null);
    }
    String text = new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
    return (String) counted(map, map.putIfAbsent(key, text), text);
  }

  /** Counts a lookup, stops pooling a mostly distinct column, and returns the value to keep. */
  private Object counted(
      java.util.concurrent.ConcurrentHashMap<Object, Object> map, Object earlier, Object v) {
    if (++looked == PROBE && map.size() > PROBE * 97L / 100) {
      seen = null; // mostly distinct: stop
    } else if (earlier == null && map.size() > MAX_DISTINCT) {
      seen = null; // mostly distinct: stop
    }
    return earlier != null ? earlier : v;
  }

  /** A text's bytes as a key: equal when the bytes are. */
  private record Utf8(byte[] bytes, int hash) {
    Utf8(byte[] bytes) {
      this(bytes, java.util.Arrays.hashCode(bytes));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Utf8 u && u.hash == hash && java.util.Arrays.equals(u.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** Long.valueOf already shares these (the JLS caches -128..127). */
  private static boolean isSmallLong(Object v) {
    return v instanceof Long l && l >= -128 && l <= 127;
  }
}
