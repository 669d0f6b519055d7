package io.gridmap.tiler.pack;

import io.gridmap.tiler.geo.TileCoord;

/**
 * PMTiles v3 TileIDs: a tile's position on the series of Hilbert curves, one per zoom, starting at
 * z0 (spec/v3/spec.md, 4.1). All tiles of zoom z come after those of every lower zoom, and within a
 * zoom neighbours on the curve are neighbours on the map, so a reader fetching a small area reads
 * few, nearby byte ranges.
 */
public final class TileId {
  private TileId() {}

  /** The highest zoom whose TileIDs stay below 2^63: 4^31 / 3 tiles come before z31. */
  public static final int MAX_ZOOM = 30;

  /** The TileID of z/x/y. */
  public static long of(int z, int x, int y) {
    if (z < 0 || z > MAX_ZOOM) {
      throw new IllegalArgumentException("zoom " + z + " is outside 0.." + MAX_ZOOM);
    }
    long n = 1L << z;
    if (x < 0 || x >= n || y < 0 || y >= n) {
      throw new IllegalArgumentException(
          "tile " + z + "/" + x + "/" + y + " is outside the zoom's 0.." + (n - 1));
    }
    return firstOfZoom(z) + hilbert(n, x, y);
  }

  public static long of(TileCoord c) {
    return of(c.z(), c.x(), c.y());
  }

  /** How many tiles the lower zooms hold: (4^z - 1) / 3. */
  static long firstOfZoom(int z) {
    return ((1L << (2 * z)) - 1) / 3;
  }

  /**
   * The distance along the Hilbert curve of order {@code n} (a power of two) to x/y: per bit from
   * the top, the quadrant adds its share, then the point is turned into that quadrant's frame.
   */
  private static long hilbert(long n, long x, long y) {
    long d = 0;
    for (long s = n / 2; s > 0; s /= 2) {
      int rx = (x & s) > 0 ? 1 : 0;
      int ry = (y & s) > 0 ? 1 : 0;
      d += s * s * ((3 * rx) ^ ry);
      x &= s - 1; // the bits below this quadrant's, in its frame
      y &= s - 1;
      if (ry == 0) {
        if (rx == 1) {
          x = s - 1 - x;
          y = s - 1 - y;
        }
        long t = x;
        x = y;
        y = t;
      }
    }
    return d;
  }

  /** The tile of a TileID: the inverse of {@link #of(int, int, int)}. */
  public static TileCoord toTile(long id) {
    if (id < 0) {
      throw new IllegalArgumentException("TileID " + id + " is negative");
    }
    int z = 0;
    while (z < MAX_ZOOM && firstOfZoom(z + 1) <= id) {
      z++;
    }
    long d = id - firstOfZoom(z);
    long n = 1L << z;
    long x = 0;
    long y = 0;
    for (long s = 1; s < n; s *= 2) {
      long rx = 1 & (d / 2);
      long ry = 1 & (d ^ rx);
      if (ry == 0) {
        if (rx == 1) {
          x = s - 1 - x;
          y = s - 1 - y;
        }
        long t = x;
        x = y;
        y = t;
      }
      x += s * rx;
      y += s * ry;
      d /= 4;
    }
    return new TileCoord(z, (int) x, (int) y);
  }
}
