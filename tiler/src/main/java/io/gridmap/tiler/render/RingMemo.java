package io.gridmap.tiler.render;

import io.gridmap.layers.index.GeneralisedIndex;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What rounding to one zoom's integer grid does to each polygon of a {@link GeneralisedIndex},
 * decided the first time the polygon is drawn wholly inside a tile and recalled every time after:
 * its rounded rings are valid as they are, were repaired (the repaired rings are kept, on the
 * zoom's world grid), or no repair saved them.
 *
 * <p>Why: the exact validity test and, for the few rings rounding breaks, JTS's repair were a third
 * of a low-zoom tile's time (JFR, z7), spent again on every render of the same polygons. A polygon
 * drawn unclipped rounds to the same rings, moved by whole units, in every tile ({@link
 * io.gridmap.tiler.geo.TileTransform}), so the answer holds for every tile of the zoom. Clipped
 * polygons depend on the tile and are still checked each time.
 *
 * <p>Bound to one index: an edit makes a new index and so a new memo. Thread-safe: verdicts are
 * written once per entry and any thread deciding the same entry decides the same, so a racing write
 * is harmless.
 */
public final class RingMemo {
  static final byte UNKNOWN = 0;
  static final byte VALID = 1;
  static final byte REPAIRED = 2;
  static final byte DROPPED = 3;

  private final GeneralisedIndex index;
  private final byte[] verdicts;

  /**
   * Repaired rings by ordinal: {@code [parts, rings, (part, points) per ring, x, y ...]} with x and
   * y on the zoom's world grid.
   */
  private final ConcurrentHashMap<Integer, int[]> repaired = new ConcurrentHashMap<>();

  RingMemo(GeneralisedIndex index) {
    this.index = index;
    this.verdicts = new byte[index.size()];
  }

  /** A memo of {@code size} entries bound to no index, for tests. */
  RingMemo(int size) {
    this.index = null;
    this.verdicts = new byte[size];
  }

  GeneralisedIndex index() {
    return index;
  }

  byte verdict(int ordinal) {
    return verdicts[ordinal];
  }

  int[] repairedRings(int ordinal) {
    return repaired.get(ordinal);
  }

  void valid(int ordinal) {
    verdicts[ordinal] = VALID;
  }

  void dropped(int ordinal) {
    verdicts[ordinal] = DROPPED;
  }

  /** Keeps the repaired rings first, so a thread that reads REPAIRED finds them. */
  void repaired(int ordinal, int[] rings) {
    repaired.put(ordinal, rings);
    verdicts[ordinal] = REPAIRED;
  }

  /** Entries decided so far, for tests. */
  int decided() {
    int n = 0;
    for (byte v : verdicts) {
      n += v == UNKNOWN ? 0 : 1;
    }
    return n;
  }

  /**
   * The memos of one polygon layer, a memo per zoom, each replaced when the zoom's index is: kept
   * by the tile service across the updates that rebuild its layer views (a live point change
   * rebuilds them, and leaves the polygons' indexes as they were).
   */
  public static final class PerZoom {
    private final java.util.concurrent.atomic.AtomicReferenceArray<RingMemo> memos =
        new java.util.concurrent.atomic.AtomicReferenceArray<>(32);

    /** The memo of this index, made (empty) when the zoom's index changed or was never drawn. */
    public RingMemo of(GeneralisedIndex gi) {
      int z = gi.zoom();
      RingMemo m = memos.get(z);
      if (m == null || m.index() != gi) {
        m = new RingMemo(gi);
        memos.set(z, m);
      }
      return m;
    }
  }
}
