package io.gridmap.tiler.render;

import io.gridmap.layers.index.AdminLevel;
import io.gridmap.layers.index.LabelIndex;
import io.gridmap.layers.index.LabelPoint;
import io.gridmap.tiler.encode.MvtLayerWriter;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The label layer's values (level, code, name) as ids in one {@link ValueDictionary}, looked up the
 * first time each label is drawn and recalled after, as {@link PolygonValues} does for polygons:
 * the labels were written through {@link MvtLayerWriter#tag}, which hashes each value into the
 * tile's table and encodes each new one, 3-4% of an uncached z11 tile (async-profiler), where
 * nearly every name is new to the tile.
 *
 * <p>Held by the tile service across the views of the label layer; each level's ids are bound to
 * its {@link LabelIndex} and replaced with it. Thread-safe as {@link PolygonValues} is: an id is
 * written once per label and field, any thread looking it up finds the same.
 *
 * <p>Memory: the dictionary keeps each code and name once drawn, with its encoded bytes (estimated,
 * not measured: about 100 bytes a value, 15 MB per visibility class once all 77,069 labels of the
 * full city have been drawn), and 8 bytes of ids a label per level's index.
 */
public final class LabelValues {
  private static final int UNKNOWN = -2;
  private static final int NULL = -1;

  private final ValueDictionary dictionary = new ValueDictionary();
  private final int[] levelIds = new int[AdminLevel.values().length];
  private final AtomicReferenceArray<Ids> byLevel =
      new AtomicReferenceArray<>(AdminLevel.values().length);

  /** A level's ids: code and name of each label point, in that order. */
  private record Ids(LabelIndex index, int[] ids) {}

  public LabelValues() {
    for (AdminLevel level : AdminLevel.values()) {
      levelIds[level.ordinal()] = dictionary.idOf(level.code());
    }
  }

  /**
   * Tags label {@code ordinal} of {@code labels} with its level, code and name, {@code keys} being
   * the key indexes of level, code and name in {@code out}.
   */
  void write(LabelIndex labels, int ordinal, int[] keys, MvtLayerWriter out) {
    AdminLevel level = labels.level();
    int levelId = levelIds[level.ordinal()];
    out.tagShared(keys[0], levelId, dictionary.bytes(levelId));
    int[] ids = of(labels);
    int at = 2 * ordinal;
    LabelPoint p = null;
    for (int k = 0; k < 2; k++) {
      int id = ids[at + k];
      if (id == UNKNOWN) {
        p = p == null ? labels.point(ordinal) : p;
        String v = k == 0 ? p.code() : p.name();
        id = v == null ? NULL : dictionary.idOf(v);
        ids[at + k] = id;
      }
      if (id != NULL) {
        out.tagShared(keys[1 + k], id, dictionary.bytes(id));
      }
    }
  }

  private int[] of(LabelIndex labels) {
    int l = labels.level().ordinal();
    Ids ids = byLevel.get(l);
    if (ids == null || ids.index() != labels) {
      int[] fresh = new int[2 * labels.size()];
      Arrays.fill(fresh, UNKNOWN);
      ids = new Ids(labels, fresh);
      byLevel.set(l, ids);
    }
    return ids.ids();
  }
}
