package io.gridmap.tiler.encode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one MVT 2.1 layer: features as they come, with shared key and value tables.
 *
 * <p>{@link #finish()} returns the layer already wrapped as field 3 ({@code layers}) of a {@code
 * Tile} message, so a tile is the plain concatenation of its layers' bytes. That is what lets the
 * cache keep bytes per (tile, layer) and a live change re-encode one layer only.
 *
 * <p>Values: strings as {@code string_value}, non-negative integers as {@code uint_value}, negative
 * ones as {@code sint_value}, doubles as {@code double_value}, floats as {@code float_value},
 * booleans as {@code bool_value}. A null value writes no tag. Not thread-safe: one writer per layer
 * per tile.
 */
public final class MvtLayerWriter {
  /** Default extent: 4096 units across a tile. */
  public static final int EXTENT = 4096;

  /**
   * The largest feature id written: 2^53 - 1, JavaScript's {@code Number.MAX_SAFE_INTEGER}. MVT ids
   * are uint64, but pbf (under MapLibre GL JS, OpenLayers and {@code @mapbox/vector-tile}) reads a
   * varint into a double, so a larger id reaches the page rounded, often to another feature's id.
   * Stored ids stay below 2^52 and cluster ids below 2^53; this refuses any other.
   */
  public static final long MAX_ID = (1L << 53) - 1;

  /** Layer fields (vector_tile.proto). */
  static final int LAYER_NAME = 1;

  static final int LAYER_FEATURES = 2;
  static final int LAYER_KEYS = 3;
  static final int LAYER_VALUES = 4;
  static final int LAYER_EXTENT = 5;
  static final int LAYER_VERSION = 15;
  static final int TILE_LAYERS = 3;

  private final String name;
  private final int extent;

  /**
   * Each thread keeps the features buffer of its last finished writer: a writer is made per layer
   * per tile, and growing a fresh buffer to a tile's size each time (and copying the layer twice in
   * {@link #finish}) was a quarter of a z12 tile's allocation. A writer takes the spare when it
   * starts and gives it back once finished, so two writers alive on one thread never share one.
   */
  private static final ThreadLocal<ProtoBuffer[]> SPARE =
      ThreadLocal.withInitial(() -> new ProtoBuffer[2]);

  /** A buffer grown past this is not kept: one huge tile should not pin its memory. */
  private static final int SPARE_MAX = 4 << 20;

  private final ProtoBuffer features;
  private final Map<String, Integer> keys = new HashMap<>();
  private final List<String> keyList = new ArrayList<>();
  private final Map<Object, Integer> values = new HashMap<>();
  private final List<Object> valueList = new ArrayList<>();
  private final IntList tags = new IntList(32);

  /**
   * Each thread keeps the shared-value table of its last finished writer too, emptied: grown from
   * 64 slots by doubling in every layer of every tile, it was 2.6% of a z10 tile's render
   * (async-profiler, issue 14). A table grown past {@link #SHARED_SPARE_MAX} slots is not kept.
   */
  private static final ThreadLocal<int[][]> SHARED_SPARE =
      ThreadLocal.withInitial(() -> new int[2][]);

  private static final int SHARED_SPARE_MAX = 1 << 16;

  /** Open-addressing map from a shared dictionary's value id to this layer's value index. */
  private int[] sharedKeys;

  private int[] sharedVals;
  private int sharedSize;

  /** The slots of {@link #sharedKeys} in use, to empty them before the table is kept. */
  private final IntList sharedSlots = new IntList(64);

  private int count;

  public MvtLayerWriter(String name, int extent) {
    this.name = name;
    this.extent = extent;
    ProtoBuffer[] spare = SPARE.get();
    ProtoBuffer f = spare[0];
    spare[0] = null;
    this.features = f != null ? f : new ProtoBuffer(4096);
    this.features.reset();
    int[][] table = SHARED_SPARE.get();
    if (table[0] != null) {
      sharedKeys = table[0];
      sharedVals = table[1];
      table[0] = null;
      table[1] = null;
    } else {
      sharedKeys = new int[64];
      sharedVals = new int[64];
    }
  }

  /**
   * Empties the shared-value table (only its used slots) and keeps it for the thread's next writer.
   */
  private void giveBackShared() {
    int[] k = sharedKeys;
    if (k.length > SHARED_SPARE_MAX) {
      return;
    }
    for (int i = 0; i < sharedSlots.size(); i++) {
      k[sharedSlots.get(i)] = 0;
    }
    sharedSlots.clear();
    sharedSize = 0;
    int[][] table = SHARED_SPARE.get();
    table[0] = k;
    table[1] = sharedVals;
  }

  private static ProtoBuffer takeScratch() {
    ProtoBuffer[] spare = SPARE.get();
    ProtoBuffer b = spare[1];
    spare[1] = null;
    if (b == null) {
      b = new ProtoBuffer(4096);
    }
    b.reset();
    return b;
  }

  private static void giveBack(int slot, ProtoBuffer b) {
    if (b.capacity() <= SPARE_MAX) {
      SPARE.get()[slot] = b;
    }
  }

  public String name() {
    return name;
  }

  /** Adds an attribute to the feature being built; null values are left out. */
  public void tag(String key, Object value) {
    if (value == null) {
      return;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      value = ((Number) value).longValue();
    } else if (!(value instanceof String
        || value instanceof Long
        || value instanceof Double
        || value instanceof Float
        || value instanceof Boolean)) {
      throw new IllegalArgumentException(
          "attribute "
              + key
              + " has a value of type "
              + value.getClass().getSimpleName()
              + "; expected String, Long, Integer, Double, Float or Boolean");
    }
    Integer k = keys.get(key);
    if (k == null) {
      k = keyList.size();
      keys.put(key, k);
      keyList.add(key);
    }
    Integer v = values.get(value);
    if (v == null) {
      v = valueList.size();
      values.put(value, v);
      valueList.add(value);
    }
    tags.add(k);
    tags.add(v);
  }

  /** Index of a key in this layer's key table, adding it if new. */
  public int keyIndex(String key) {
    Integer k = keys.get(key);
    if (k == null) {
      k = keyList.size();
      keys.put(key, k);
      keyList.add(key);
    }
    return k;
  }

  /**
   * Adds an attribute whose value comes from a dictionary shared by every tile of the layer (see
   * {@link #encodeValue}): no hashing of the value, no touching the feature, only a primitive map
   * from the dictionary's id to this layer's index.
   *
   * @param keyIndex from {@link #keyIndex}
   * @param valueId the value's id in {@code encodedValues}
   * @param encodedValues the dictionary: each value as an encoded {@code Tile.Value} message
   */
  public void tagShared(int keyIndex, int valueId, byte[][] encodedValues) {
    tagShared(keyIndex, valueId, encodedValues[valueId]);
  }

  /**
   * As {@link #tagShared(int, int, byte[][])} with the value's encoded bytes given directly: for
   * values from more than one dictionary (attribute values and cluster counts), each with its own
   * range of ids.
   *
   * @param valueId the value's id, unique across every dictionary used in this layer, below {@code
   *     Integer.MAX_VALUE}
   * @param encodedValue its encoded {@code Tile.Value} message, written on first use in this layer
   */
  public void tagShared(int keyIndex, int valueId, byte[] encodedValue) {
    int mask = sharedKeys.length - 1;
    int h = (valueId * 0x9E3779B9) >>> 7 & mask;
    while (true) {
      int k = sharedKeys[h];
      if (k == 0) {
        break;
      }
      if (k == valueId + 1) {
        tags.add(keyIndex);
        tags.add(sharedVals[h]);
        return;
      }
      h = (h + 1) & mask;
    }
    int local = valueList.size();
    valueList.add(encodedValue);
    sharedKeys[h] = valueId + 1;
    sharedVals[h] = local;
    sharedSlots.add(h);
    if (++sharedSize * 2 > sharedKeys.length) {
      growShared();
    }
    tags.add(keyIndex);
    tags.add(local);
  }

  private void growShared() {
    int[] oldKeys = sharedKeys;
    int[] oldVals = sharedVals;
    sharedKeys = new int[oldKeys.length * 2];
    sharedVals = new int[oldKeys.length * 2];
    int mask = sharedKeys.length - 1;
    sharedSlots.clear();
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0) {
        int h = ((oldKeys[i] - 1) * 0x9E3779B9) >>> 7 & mask;
        while (sharedKeys[h] != 0) {
          h = (h + 1) & mask;
        }
        sharedKeys[h] = oldKeys[i];
        sharedVals[h] = oldVals[i];
        sharedSlots.add(h);
      }
    }
  }

  /** A value as an encoded {@code Tile.Value} message, for dictionaries shared across tiles. */
  public static byte[] encodeValue(Object value) {
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      value = ((Number) value).longValue();
    }
    ProtoBuffer b = new ProtoBuffer(16);
    writeValue(b, value);
    if (b.size() == 0) {
      throw new IllegalArgumentException(
          "cannot encode a value of type " + value.getClass().getSimpleName());
    }
    return b.toByteArray();
  }

  /**
   * Ends the feature whose attributes were just tagged, with its geometry commands.
   *
   * @param id feature id up to {@link #MAX_ID}, or a negative number for none
   * @param type {@link Commands#POINT}, {@link Commands#LINESTRING} or {@link Commands#POLYGON}
   * @param geometry command integers (see {@link Commands})
   * @throws IllegalArgumentException for an id above {@link #MAX_ID}
   */
  public void feature(long id, int type, IntList geometry) {
    if (id > MAX_ID) {
      tags.clear();
      throw new IllegalArgumentException(
          "layer "
              + name
              + ": feature id "
              + id
              + " is above 2^53 - 1, where JavaScript decoders round ids; expected at most "
              + MAX_ID);
    }
    int size = 0;
    if (id >= 0) {
      size += 1 + ProtoBuffer.varintSize(id);
    }
    int tagBytes = ProtoBuffer.packedSize(tags);
    if (!tags.isEmpty()) {
      size += 1 + ProtoBuffer.varintSize(tagBytes) + tagBytes;
    }
    size += 2;
    int geomBytes = ProtoBuffer.packedSize(geometry);
    size += 1 + ProtoBuffer.varintSize(geomBytes) + geomBytes;

    features.tag(LAYER_FEATURES, ProtoBuffer.LEN);
    features.varint(size);
    if (id >= 0) {
      features.tag(1, ProtoBuffer.VARINT);
      features.varint(id);
    }
    if (!tags.isEmpty()) {
      features.packed(2, tags, tagBytes);
    }
    features.tag(3, ProtoBuffer.VARINT);
    features.varint(type);
    features.packed(4, geometry, geomBytes);
    tags.clear();
    count++;
  }

  /** The layer as field 3 of a Tile message, or an empty array when it has no features. */
  public byte[] finish() {
    giveBackShared();
    if (count == 0) {
      giveBack(0, features);
      return new byte[0];
    }
    ProtoBuffer layer = takeScratch();
    layer.tag(LAYER_VERSION, ProtoBuffer.VARINT);
    layer.varint(2);
    layer.string(LAYER_NAME, name);
    layer.append(features);
    for (String k : keyList) {
      layer.string(LAYER_KEYS, k);
    }
    ProtoBuffer value = null;
    for (Object v : valueList) {
      if (v instanceof byte[] encoded) {
        layer.tag(LAYER_VALUES, ProtoBuffer.LEN);
        layer.varint(encoded.length);
        layer.bytes(encoded, 0, encoded.length);
        continue;
      }
      if (value == null) {
        value = new ProtoBuffer(32);
      }
      value.reset();
      writeValue(value, v);
      layer.message(LAYER_VALUES, value);
    }
    layer.tag(LAYER_EXTENT, ProtoBuffer.VARINT);
    layer.varint(extent);
    giveBack(0, features);

    // the Tile message around the layer, written once into an array of its exact size
    byte[] tile = layer.toByteArrayAsMessage(TILE_LAYERS);
    giveBack(1, layer);
    return tile;
  }

  private static void writeValue(ProtoBuffer out, Object v) {
    if (v instanceof String s) {
      out.string(1, s);
    } else if (v instanceof Long l) {
      if (l >= 0) {
        out.tag(5, ProtoBuffer.VARINT);
        out.varint(l);
      } else {
        out.tag(6, ProtoBuffer.VARINT);
        out.varint((l << 1) ^ (l >> 63));
      }
    } else if (v instanceof Double d) {
      out.tag(3, ProtoBuffer.FIXED64);
      out.fixed64(Double.doubleToRawLongBits(d));
    } else if (v instanceof Float f) {
      out.tag(2, ProtoBuffer.FIXED32);
      out.fixed32(Float.floatToRawIntBits(f));
    } else if (v instanceof Boolean b) {
      out.tag(7, ProtoBuffer.VARINT);
      out.varint(b ? 1 : 0);
    }
  }
}
