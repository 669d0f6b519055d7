package io.gridmap.server.content;

import io.gridmap.layers.index.CityIndex;
import io.gridmap.tiler.TileService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The views of the past ({@code as-of}) one server keeps: the {@value #KEPT} asked last of each
 * kind. They belong to the server's {@link Content}, not to a static, so that a server that is
 * closed takes its past cities with it (a JVM running many servers, as the tests do, kept every
 * one's).
 */
public final class PastViews {
  private static final int KEPT = 8;

  private final Map<Object, CityIndex> indexes = recent();
  private final Map<Object, TileService> tiles = recent();

  /** The past index kept under {@code key}, or the one {@code make} builds (outside the lock). */
  public CityIndex index(Object key, Supplier<CityIndex> make) {
    return kept(indexes, key, make);
  }

  /** The past tile service kept under {@code key}, or the one {@code make} builds. */
  public TileService tiles(Object key, Supplier<TileService> make) {
    return kept(tiles, key, make);
  }

  private static <V> V kept(Map<Object, V> map, Object key, Supplier<V> make) {
    synchronized (map) {
      V v = map.get(key);
      if (v != null) {
        return v;
      }
    }
    // built unlocked: a past view reads the store, and two requests for the same instant at once
    // build it twice rather than one waiting behind the other's reads
    V v = make.get();
    synchronized (map) {
      map.put(key, v);
    }
    return v;
  }

  private static <V> Map<Object, V> recent() {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Object, V> e) {
        return size() > KEPT;
      }
    };
  }
}
