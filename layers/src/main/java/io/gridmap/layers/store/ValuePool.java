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
  private java.util.HashMap<Object, Object> seen = new java.util.HashMap<>();

  public Object shared(Object v) {
    if (v == null || seen == null || v instanceof Boolean) {
      return v;
    }
    Object earlier = seen.putIfAbsent(v, v);
    if (earlier != null) {
      return earlier;
    }
    if (seen.size() > MAX_DISTINCT) {
      seen = null; // mostly distinct: stop
    }
    return v;
  }
}
