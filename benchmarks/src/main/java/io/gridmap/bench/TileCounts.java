package io.gridmap.bench;

/**
 * What an MVT tile holds, counted from its bytes: features by geometry type and vertices (every
 * MoveTo and LineTo point). What a tile's render time scales with, for the benchmark's notes on a
 * zoom that misses its target.
 */
record TileCounts(int points, int polygons, int vertices, int bytes) {
  static TileCounts of(byte[] mvt) {
    int[] c = new int[3];
    Reader tile = new Reader(mvt, 0, mvt.length);
    while (tile.more()) {
      int key = (int) tile.varint();
      if (key >>> 3 == 3 && (key & 7) == 2) {
        int len = (int) tile.varint();
        layer(new Reader(mvt, tile.at, tile.at + len), c);
        tile.at += len;
      } else {
        tile.skip(key & 7);
      }
    }
    return new TileCounts(c[0], c[1], c[2], mvt.length);
  }

  private static void layer(Reader l, int[] c) {
    while (l.more()) {
      int key = (int) l.varint();
      if (key >>> 3 == 2 && (key & 7) == 2) {
        int len = (int) l.varint();
        feature(new Reader(l.b, l.at, l.at + len), c);
        l.at += len;
      } else {
        l.skip(key & 7);
      }
    }
  }

  private static void feature(Reader f, int[] c) {
    while (f.more()) {
      int key = (int) f.varint();
      if (key >>> 3 == 3 && (key & 7) == 0) {
        long type = f.varint();
        if (type == 1) {
          c[0]++;
        } else if (type == 3) {
          c[1]++;
        }
      } else if (key >>> 3 == 4 && (key & 7) == 2) {
        int len = (int) f.varint();
        Reader g = new Reader(f.b, f.at, f.at + len);
        while (g.more()) {
          int cmd = (int) g.varint();
          int id = cmd & 7;
          int n = cmd >>> 3;
          if (id == 1 || id == 2) {
            c[2] += n;
            for (int i = 0; i < 2 * n; i++) {
              g.varint();
            }
          }
        }
        f.at += len;
      } else {
        f.skip(key & 7);
      }
    }
  }

  private static final class Reader {
    final byte[] b;
    int at;
    final int end;

    Reader(byte[] b, int at, int end) {
      this.b = b;
      this.at = at;
      this.end = end;
    }

    boolean more() {
      return at < end;
    }

    long varint() {
      long v = 0;
      for (int s = 0; ; s += 7) {
        byte x = b[at++];
        v |= (long) (x & 0x7F) << s;
        if (x >= 0) {
          return v;
        }
      }
    }

    void skip(int wire) {
      switch (wire) {
        case 0 -> varint();
        case 1 -> at += 8;
        case 2 -> {
          int len = (int) varint();
          at += len;
        }
        case 5 -> at += 4;
        default -> throw new IllegalStateException("wire type " + wire);
      }
    }
  }
}
