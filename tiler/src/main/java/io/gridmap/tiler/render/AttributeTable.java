package io.gridmap.tiler.render;

import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.tiler.encode.MvtLayerWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tiled attributes of every feature of a layer, dictionary-encoded once at start-up: per
 * feature one int per attribute (the value's id, -1 for null) in one flat array, and per distinct
 * value its encoded {@code Tile.Value} message.
 *
 * <p>Why: profiling uncached z10 tiles of the full city showed about 70% of the time in writing
 * point attributes, most of it hashing values and cache misses while chasing Feature -> Object[] ->
 * String across 500k objects scattered over the heap. Reading ints from one array in ordinal order
 * and copying pre-encoded bytes removes both. Costs about 4 bytes per (feature, attribute): 4 MB
 * for 250k events with 4 attributes.
 */
final class AttributeTable {
  private final String[] keys;
  private final int width;
  private final int[] valueIds;
  private final byte[][] encoded;

  private AttributeTable(String[] keys, int[] valueIds, byte[][] encoded) {
    this.keys = keys;
    this.width = keys.length;
    this.valueIds = valueIds;
    this.encoded = encoded;
  }

  /**
   * Encodes the fields a tile may carry ({@link Field#inTiles()}, never personal) of {@code
   * features}.
   */
  static AttributeTable build(LayerDef def, List<Feature> features) {
    List<Integer> fieldIdx = new ArrayList<>();
    for (int i = 0; i < def.fields().size(); i++) {
      Field f = def.fields().get(i);
      if (f.inTiles() && !f.personal()) {
        fieldIdx.add(i);
      }
    }
    String[] keys = fieldIdx.stream().map(i -> def.fields().get(i).name()).toArray(String[]::new);
    int w = keys.length;
    int[] ids = new int[features.size() * w];
    Map<Object, Integer> dict = new HashMap<>();
    List<byte[]> encoded = new ArrayList<>();
    for (int o = 0; o < features.size(); o++) {
      Feature f = features.get(o);
      for (int k = 0; k < w; k++) {
        Object v = f.value(fieldIdx.get(k));
        if (v == null) {
          ids[o * w + k] = -1;
          continue;
        }
        Integer id = dict.get(v);
        if (id == null) {
          id = encoded.size();
          dict.put(v, id);
          encoded.add(MvtLayerWriter.encodeValue(v));
        }
        ids[o * w + k] = id;
      }
    }
    return new AttributeTable(keys, ids, encoded.toArray(byte[][]::new));
  }

  /** Distinct values, each an encoded {@code Tile.Value}; ids index this array. */
  byte[][] encoded() {
    return encoded;
  }

  /** This table's keys registered in a layer writer, in attribute order. */
  int[] keyIndexes(MvtLayerWriter out) {
    int[] k = new int[width];
    for (int i = 0; i < width; i++) {
      k[i] = out.keyIndex(keys[i]);
    }
    return k;
  }

  /** Tags the feature being written with the attributes of the feature at {@code ordinal}. */
  void write(int ordinal, int[] keyIndexes, MvtLayerWriter out, byte[][] dictionary) {
    int base = ordinal * width;
    for (int k = 0; k < width; k++) {
      int id = valueIds[base + k];
      if (id >= 0) {
        out.tagShared(keyIndexes[k], id, dictionary);
      }
    }
  }
}
