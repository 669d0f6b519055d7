package io.gridmap.tiler.geo;

import io.gridmap.layers.geo.WebMercator;
import org.locationtech.jts.geom.Envelope;

/**
 * A tile of the Web Mercator quad tree (XYZ: x grows east, y grows south, as in OGC
 * WebMercatorQuad's col and row).
 *
 * <p>Validated on construction, naming the bad value and the accepted range, so a tile that exists
 * is always a real one. {@link #encoded()} packs it into one {@code long} (5 bits of zoom, 29 bits
 * each of x and y), used as a cache key.
 */
public record TileCoord(int z, int x, int y) {
  /** The deepest zoom the packed form can hold. */
  public static final int MAX_ZOOM = 29;

  public TileCoord {
    if (z < 0 || z > MAX_ZOOM) {
      throw new IllegalArgumentException("zoom " + z + " is out of range; expected 0.." + MAX_ZOOM);
    }
    int max = (1 << z) - 1;
    if (x < 0 || x > max) {
      throw new IllegalArgumentException(
          "x " + x + " is out of range at zoom " + z + "; expected 0.." + max);
    }
    if (y < 0 || y > max) {
      throw new IllegalArgumentException(
          "y " + y + " is out of range at zoom " + z + "; expected 0.." + max);
    }
  }

  public static TileCoord ofXYZ(int x, int y, int z) {
    return new TileCoord(z, x, y);
  }

  /** The tile at {@code z} that contains an EPSG:3857 point (clamped to the world). */
  public static TileCoord containing(double mercatorX, double mercatorY, int z) {
    int n = 1 << z;
    double world = 2 * WebMercator.HALF_WORLD;
    int x = (int) Math.floor((mercatorX + WebMercator.HALF_WORLD) / world * n);
    int y = (int) Math.floor((WebMercator.HALF_WORLD - mercatorY) / world * n);
    return new TileCoord(z, Math.max(0, Math.min(n - 1, x)), Math.max(0, Math.min(n - 1, y)));
  }

  /** Packs into one long: zoom in bits 58-62, x in 29-57, y in 0-28. */
  public long encoded() {
    return ((long) z << 58) | ((long) x << 29) | y;
  }

  public static TileCoord decode(long encoded) {
    return new TileCoord(
        (int) (encoded >>> 58),
        (int) ((encoded >>> 29) & 0x1FFFFFFF),
        (int) (encoded & 0x1FFFFFFF));
  }

  /** Width (and height) of a tile at zoom {@code z} in EPSG:3857 metres. */
  public static double size(int z) {
    return 2 * WebMercator.HALF_WORLD / (1L << z);
  }

  public double minX() {
    return -WebMercator.HALF_WORLD + x * size(z);
  }

  public double maxX() {
    return -WebMercator.HALF_WORLD + (x + 1) * size(z);
  }

  public double minY() {
    return WebMercator.HALF_WORLD - (y + 1) * size(z);
  }

  public double maxY() {
    return WebMercator.HALF_WORLD - y * size(z);
  }

  /** The tile's square in EPSG:3857 metres. */
  public Envelope bounds() {
    return new Envelope(minX(), maxX(), minY(), maxY());
  }

  /** The tile's square grown on every side by {@code units} of a tile of {@code extent} units. */
  public Envelope bufferedBounds(int units, int extent) {
    Envelope e = bounds();
    e.expandBy(size(z) * units / extent);
    return e;
  }

  /** The tile's square in lon/lat degrees: west, south, east, north. */
  public Envelope lonLatBounds() {
    return new Envelope(
        WebMercator.lon(minX()),
        WebMercator.lon(maxX()),
        WebMercator.lat(minY()),
        WebMercator.lat(maxY()));
  }

  @Override
  public String toString() {
    return z + "/" + x + "/" + y;
  }
}
