package io.gridmap.server.devices;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request keys ({@link DeviceMessage#requestKey()}) of the last {@code capacity} messages
 * committed, oldest forgotten first. Memory only: it saves a store lookup for the usual duplicates
 * (a device's quick retry, the broker's redelivery after a reconnect) but is empty after a restart,
 * so the store must still recognise what it wrote. Not thread-safe; {@link DedupingSink} guards it.
 */
public final class MsgIds {
  private final int capacity;
  private final LinkedHashMap<String, Boolean> keys;

  /**
   * @param capacity how many keys to remember; about 100 bytes each
   */
  public MsgIds(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.capacity = capacity;
    this.keys =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MsgIds.this.capacity;
          }
        };
  }

  /** Whether the key was added and not yet forgotten; counts as a use (kept longer). */
  public boolean contains(String key) {
    return keys.get(key) != null;
  }

  public void add(String key) {
    keys.put(key, Boolean.TRUE);
  }

  public int size() {
    return keys.size();
  }

  public int capacity() {
    return capacity;
  }
}
