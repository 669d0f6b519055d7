package io.gridmap.layers.store;

/**
 * Hands out one instance per distinct value of a column while a layer is read: the city's two
 * million points repeat a few thousand grid codes, a handful of categories, roles and states, and a
 * new String or Long per row cost the server about 500 MB of heap at the seed's volumes. A column
 * with more distinct values than {@link #MAX_DISTINCT} (names, timestamps) stops being pooled: past
 * that, pooling costs more than it saves.
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

  private java.util.HashMap<Object, Object> seen = new java.util.HashMap<>();
  private int looked;

  public Object shared(Object v) {
    if (v == null || seen == null || v instanceof Boolean || isSmallLong(v)) {
      return v;
    }
    Object earlier = seen.putIfAbsent(v, v);
    if (++looked == PROBE && seen.size() > PROBE * 97L / 100) {
      seen = null; // mostly distinct: stop
      return earlier != null ? earlier : v;
    }
    if (earlier != null) {
      return earlier;
    }
    if (seen.size() > MAX_DISTINCT) {
      seen = null; // mostly distinct: stop
    }
    return v;
  }

  /** Long.valueOf already shares these (the JLS caches -128..127). */
  private static boolean isSmallLong(Object v) {
    return v instanceof Long l && l >= -128 && l <= 127;
  }
}
