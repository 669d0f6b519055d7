package io.gridmap.tiler.geo;

/**
 * Maps EPSG:3857 metres to the integer grid of one tile: {@code extent} units across, origin at the
 * tile's north-west corner, y down (MVT 2.1, section 4.3.1).
 */
public final class TileTransform {
  private final double originX;
  private final double originY;
  private final double scale;

  public TileTransform(TileCoord tile, int extent) {
    this.originX = tile.minX();
    this.originY = tile.maxY();
    this.scale = extent / TileCoord.size(tile.z());
  }

  /** Tile x of an EPSG:3857 x, unrounded. */
  public double x(double mercatorX) {
    return (mercatorX - originX) * scale;
  }

  /** Tile y (down) of an EPSG:3857 y, unrounded. */
  public double y(double mercatorY) {
    return (originY - mercatorY) * scale;
  }
}
