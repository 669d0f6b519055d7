package io.gridmap.server.live;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the live stream is in the store's change log: the newest position it has published, and
 * which positions were published more than once.
 *
 * <p>The writer swaps a group of point-layer writes in layer by layer, and each layer's message
 * carries the position of the group's newest write: when one group changed forces and events, two
 * messages share a version, and the second may come 150 ms after the first (the forces index
 * rebuild between them). A client cut off between the two holds the first and reconnects with
 * {@code since} = that version; the second's changes are at or before it. So a catch-up {@code
 * since} a position that was published twice starts at the group's beginning, the distinct position
 * published before it ({@link #groupStart}); re-sending a group's features is harmless, missing one
 * is not.
 *
 * <p>Updated on the stream's encoder thread, in the order the writer made changes visible (but
 * {@link #visible(long)}, on the writer's); a reading of {@link #published()} from any thread is a
 * position every earlier message carried.
 */
final class StreamPosition {
  /**
   * Groups remembered for {@link #groupStart}: at one shared group a second, almost three hours.
   */
  static final int REMEMBERED_GROUPS = 10_000;

  /** -1 until {@link #start}. */
  private volatile long last = -1;

  /** The newest position the writer has announced, perhaps not yet through the encoder. */
  private volatile long visible = -1;

  private long previous;

  private final Map<Long, Long> sharedFrom =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
          return size() > REMEMBERED_GROUPS;
        }
      };

  /**
   * The position the index was loaded at: every change up to it is in memory, none after it has
   * been published yet.
   */
  void start(long baseline) {
    last = baseline;
    previous = baseline;
  }

  /**
   * On the writer's thread, as it announces a change, before the encoder sees it: a client that
   * learnt of a position (its write's answer) may ask {@code since} it at once. Also the baseline,
   * before the writer is listened to.
   */
  void visible(long seq) {
    if (seq > visible) {
      visible = seq;
    }
  }

  /** The newest position the writer has announced; any thread. */
  long visible() {
    return visible;
  }

  /** A change became visible at position {@code seq} (never lower than the one before). */
  void published(long seq) {
    if (seq > last) {
      previous = last;
      last = seq;
    } else if (seq == last && previous < last) {
      sharedFrom.put(seq, previous);
    }
  }

  /** The newest position published, -1 before {@link #start}; any thread. */
  long published() {
    return last;
  }

  /**
   * Where a catch-up for a client that last saw {@code since} must start: {@code since}, or the
   * position before its group when {@code since} was published for more than one layer.
   */
  long groupStart(long since) {
    Long from = sharedFrom.get(since);
    return from == null ? since : from;
  }
}
