package io.gridmap.bench.race;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads what the race compares from an MVT 2.1 tile: per layer its extent and, per feature, its id,
 * geometry type, attributes and, for a polygon, its area. A small hand-written protobuf reader: the
 * project's test decoders ({@code mapbox-vector-tile-java}, {@code @mapbox/vector-tile} in Node)
 * live in test scopes and tools, not on the benchmarks' class path, and only these few fields are
 * needed.
 *
 * <p>Integer values of every wire kind (int, uint, sint) are read as {@link Long} and floats as
 * {@link Double}, so that the same attribute written as {@code uint} by one encoder and {@code int}
 * by the other compares equal.
 */
final class MvtReader {
  private MvtReader() {}

  /**
   * One feature as the race compares it.
   *
   * @param area for a polygon, the sum of its rings' areas without sign, in square tile units; 0
   *     for other types
   */
  record Feature(long id, int type, Map<String, Object> tags, double area) {}

  static final int POLYGON = 3;

  /**
   * One layer of a tile.
   *
   * @param features by id, in tile order
   * @param count features in the layer, ids repeated or missing included
   */
  record Layer(String name, int extent, Map<Long, Feature> features, int count) {}

  /** The tile's layers by name; gzipped bytes are inflated first; an empty body has none. */
  static Map<String, Layer> read(byte[] body) {
    byte[] mvt = body;
    if (body.length >= 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b) {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
        mvt = in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException("a gzipped tile does not inflate: " + e.getMessage(), e);
      }
    }
    Map<String, Layer> layers = new LinkedHashMap<>();
    Proto tile = new Proto(mvt, 0, mvt.length);
    while (tile.more()) {
      int key = tile.varint32();
      if (key >>> 3 == 3 && (key & 7) == 2) {
        Layer l = layer(tile.message());
        if (layers.put(l.name(), l) != null) {
          throw new IllegalStateException("the tile holds layer " + l.name() + " twice");
        }
      } else {
        tile.skip(key & 7);
      }
    }
    return layers;
  }

  private static Layer layer(Proto p) {
    String name = null;
    int extent = 4096; // the spec's default
    List<Proto> features = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    while (p.more()) {
      int key = p.varint32();
      switch (key) {
        case (1 << 3) | 2 -> name = p.string();
        case (2 << 3) | 2 -> features.add(p.message());
        case (3 << 3) | 2 -> keys.add(p.string());
        case (4 << 3) | 2 -> values.add(value(p.message()));
        case (5 << 3) -> extent = p.varint32();
        default -> p.skip(key & 7);
      }
    }
    Map<Long, Feature> byId = new LinkedHashMap<>();
    for (Proto f : features) {
      Feature feature = feature(f, keys, values, name);
      byId.put(feature.id(), feature);
    }
    return new Layer(name, extent, byId, features.size());
  }

  private static Feature feature(Proto p, List<String> keys, List<Object> values, String layer) {
    long id = -1;
    int type = 0;
    Proto geometry = null;
    Map<String, Object> tags = new LinkedHashMap<>();
    while (p.more()) {
      int key = p.varint32();
      switch (key) {
        case (1 << 3) -> id = p.varint();
        case (2 << 3) | 2 -> {
          Proto packed = p.message();
          while (packed.more()) {
            int k = packed.varint32();
            int v = packed.varint32();
            if (k >= keys.size() || v >= values.size()) {
              throw new IllegalStateException(
                  "layer " + layer + ": a tag points past the key or value table");
            }
            tags.put(keys.get(k), values.get(v));
          }
        }
        case (3 << 3) -> type = p.varint32();
        case (4 << 3) | 2 -> geometry = p.message();
        default -> p.skip(key & 7);
      }
    }
    return new Feature(id, type, tags, type == POLYGON && geometry != null ? area(geometry) : 0);
  }

  /**
   * The sum of the rings' areas without sign (shoelace), from the geometry commands: MoveTo starts
   * a ring, LineTo continues it, ClosePath ends it; coordinates are zigzag deltas.
   */
  private static double area(Proto g) {
    long x = 0;
    long y = 0;
    long startX = 0;
    long startY = 0;
    long twice = 0; // twice the signed area of the ring being read
    double total = 0;
    while (g.more()) {
      int command = g.varint32();
      int id = command & 7;
      int count = command >>> 3;
      if (id == 7) { // ClosePath
        twice += x * startY - startX * y;
        total += Math.abs(twice) / 2.0;
        twice = 0;
        continue;
      }
      for (int i = 0; i < count; i++) {
        int dx = g.varint32();
        int dy = g.varint32();
        long nx = x + ((dx >>> 1) ^ -(dx & 1));
        long ny = y + ((dy >>> 1) ^ -(dy & 1));
        if (id == 1) { // MoveTo
          startX = nx;
          startY = ny;
        } else {
          twice += x * ny - nx * y;
        }
        x = nx;
        y = ny;
      }
    }
    return total;
  }

  private static Object value(Proto p) {
    Object v = null;
    while (p.more()) {
      int key = p.varint32();
      switch (key) {
        case (1 << 3) | 2 -> v = p.string();
        case (2 << 3) | 5 -> v = (double) Float.intBitsToFloat(p.fixed32());
        case (3 << 3) | 1 -> v = Double.longBitsToDouble(p.fixed64());
        case (4 << 3), (5 << 3) -> v = p.varint();
        case (6 << 3) -> {
          long n = p.varint();
          v = (n >>> 1) ^ -(n & 1);
        }
        case (7 << 3) -> v = p.varint() != 0;
        default -> p.skip(key & 7);
      }
    }
    return v;
  }

  /** A cursor over protobuf bytes. */
  private static final class Proto {
    private final byte[] b;
    private int at;
    private final int end;

    Proto(byte[] b, int from, int end) {
      this.b = b;
      this.at = from;
      this.end = end;
    }

    boolean more() {
      return at < end;
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (at >= end) {
          throw new IllegalStateException("a varint runs past the end of its message");
        }
        byte x = b[at++];
        v |= (long) (x & 0x7f) << shift;
        if (x >= 0) {
          return v;
        }
      }
      throw new IllegalStateException("a varint longer than 10 bytes");
    }

    int varint32() {
      return (int) varint();
    }

    int fixed32() {
      int v = 0;
      for (int i = 0; i < 4; i++) {
        v |= (b[at++] & 0xff) << (8 * i);
      }
      return v;
    }

    long fixed64() {
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v |= (long) (b[at++] & 0xff) << (8 * i);
      }
      return v;
    }

    Proto message() {
      int len = varint32();
      if (len < 0 || at + len > end) {
        throw new IllegalStateException("a field of " + len + " bytes runs past its message");
      }
      Proto m = new Proto(b, at, at + len);
      at += len;
      return m;
    }

    String string() {
      int len = varint32();
      String s = new String(b, at, len, StandardCharsets.UTF_8);
      at += len;
      return s;
    }

    void skip(int wireType) {
      switch (wireType) {
        case 0 -> varint();
        case 1 -> at += 8;
        case 2 -> {
          int len =
              varint32(); // not "at += varint32()": that adds to the position before the length
          at += len;
        }
        case 5 -> at += 4;
        default -> throw new IllegalStateException("unknown protobuf wire type " + wireType);
      }
    }
  }
}
