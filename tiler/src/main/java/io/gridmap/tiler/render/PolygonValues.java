package io.gridmap.tiler.render;

import io.gridmap.layers.index.GeneralisedIndex;
import io.gridmap.tiler.encode.MvtLayerWriter;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The tiled attribute values of one zoom's polygons as ids in their layer's {@link
 * ValueDictionary}, looked up the first time each polygon is drawn and recalled after: a tile then
 * copies each value's encoded bytes instead of hashing the value into a per-tile table and encoding
 * it again (writing polygon attributes that way was 15-18% of a z7 or z12 tile, JFR).
 *
 * <p>Bound to one index, as a {@link RingMemo} is: an edit makes a new index and so new ids (the
 * dictionary, kept by the layer, still holds every value it has encoded). Thread-safe: an id is
 * written once per entry and field, any thread looking it up finds the same, so a racing write is
 * harmless; a thread reading an id another wrote gets its bytes through {@link
 * ValueDictionary#bytes}, which does not rely on the id's write being ordered.
 */
public final class PolygonValues {
  private static final int UNKNOWN = -2;
  private static final int NULL = -1;

  private final GeneralisedIndex index;
  private final ValueDictionary dictionary;
  private final int[] fields;
  private final int[] ids;

  /**
   * @param fields the tiled fields' indexes in the layer's fields
   */
  PolygonValues(GeneralisedIndex index, ValueDictionary dictionary, int[] fields) {
    this.index = index;
    this.dictionary = dictionary;
    this.fields = fields;
    this.ids = new int[index.size() * fields.length];
    java.util.Arrays.fill(ids, UNKNOWN);
  }

  GeneralisedIndex index() {
    return index;
  }

  /** Tags entry {@code ordinal}'s tiled values, {@code keys[k]} being field k's key index. */
  void write(int ordinal, int[] keys, MvtLayerWriter out) {
    int at = ordinal * fields.length;
    for (int k = 0; k < fields.length; k++) {
      int id = ids[at + k];
      if (id == UNKNOWN) {
        Object v = index.feature(ordinal).value(fields[k]);
        id = v == null ? NULL : dictionary.idOf(v);
        ids[at + k] = id;
      }
      if (id != NULL) {
        out.tagShared(keys[k], id, dictionary.bytes(id));
      }
    }
  }

  /**
   * The value ids of one polygon layer, one {@link PolygonValues} per zoom, each replaced when the
   * zoom's index is, and the layer's dictionary, kept across them: held by the tile service across
   * the updates that rebuild its layer views, as {@link RingMemo.PerZoom} is.
   */
  public static final class PerZoom {
    private final ValueDictionary dictionary = new ValueDictionary();
    private final AtomicReferenceArray<PolygonValues> values = new AtomicReferenceArray<>(32);

    PolygonValues of(GeneralisedIndex gi, int[] fields) {
      int z = gi.zoom();
      PolygonValues v = values.get(z);
      if (v == null || v.index() != gi) {
        v = new PolygonValues(gi, dictionary, fields);
        values.set(z, v);
      }
      return v;
    }
  }
}
