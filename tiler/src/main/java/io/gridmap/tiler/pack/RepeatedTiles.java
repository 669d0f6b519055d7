package io.gridmap.tiler.pack;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The bytes a package has stored already, so that a tile equal to one written before points at it
 * instead of being stored again. Only small tiles are remembered: repeats are tiles inside one
 * unit's polygon (a rural grid covers several z14 tiles with the same square, ids and attributes),
 * a few hundred bytes each, while tiles with real detail are kilobytes and unique. Keys are the
 * bytes themselves, so two different tiles are never confused (a hash alone could collide).
 */
final class RepeatedTiles {
  /** Tiles larger than this are never looked up: measured repeats in the city are all smaller. */
  static final int MAX_REMEMBERED = 4096;

  private record Bytes(byte[] b, int hash) {
    static Bytes of(byte[] b) {
      return new Bytes(b, Arrays.hashCode(b));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Bytes other && other.hash == hash && Arrays.equals(other.b, b);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private final Map<Bytes, Long> seen = new HashMap<>();

  /** Where {@code tile} was stored before, or -1. */
  long find(byte[] tile) {
    if (tile.length > MAX_REMEMBERED) {
      return -1;
    }
    Long at = seen.get(Bytes.of(tile));
    return at == null ? -1 : at;
  }

  /** Remembers that {@code tile} is stored at {@code where} (an offset, a row id). */
  void remember(byte[] tile, long where) {
    if (tile.length <= MAX_REMEMBERED) {
      seen.put(Bytes.of(tile), where);
    }
  }
}
