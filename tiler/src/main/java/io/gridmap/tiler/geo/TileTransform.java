package io.gridmap.tiler.geo;

import io.gridmap.layers.geo.WebMercator;

/**
 * Maps EPSG:3857 metres to the integer grid of one tile: {@code extent} units across, origin at the
 * tile's north-west corner, y down (MVT 2.1, section 4.3.1).
 *
 * <p>A coordinate is first placed on the zoom's world grid ({@code extent << z} units across) and
 * the tile's whole-unit offset then subtracted. The subtraction of an integer from a double of at
 * most 2^26 is exact, so a vertex rounds to the same world-grid unit in every tile it is drawn in:
 * a polygon lying wholly inside two tiles rounds to the same rings, moved by whole units, in both.
 * {@link io.gridmap.tiler.render.RingMemo} relies on it to decide a polygon's validity once per
 * zoom.
 */
public final class TileTransform {
  private final double scale;
  private final long offsetX;
  private final long offsetY;

  public TileTransform(TileCoord tile, int extent) {
    this.scale = extent / TileCoord.size(tile.z());
    this.offsetX = (long) tile.x() * extent;
    this.offsetY = (long) tile.y() * extent;
  }

  /** Tile x of an EPSG:3857 x, unrounded. */
  public double x(double mercatorX) {
    return (mercatorX + WebMercator.HALF_WORLD) * scale - offsetX;
  }

  /** Tile y (down) of an EPSG:3857 y, unrounded. */
  public double y(double mercatorY) {
    return (WebMercator.HALF_WORLD - mercatorY) * scale - offsetY;
  }

  /** World-grid x of the tile's west edge: tile x plus this is world-grid x. */
  public long offsetX() {
    return offsetX;
  }

  /** World-grid y of the tile's north edge. */
  public long offsetY() {
    return offsetY;
  }
}
