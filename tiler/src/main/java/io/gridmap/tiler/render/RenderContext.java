package io.gridmap.tiler.render;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.tiler.encode.IntList;
import io.gridmap.tiler.geo.TileCoord;
import io.gridmap.tiler.geo.TileTransform;
import org.locationtech.jts.geom.Envelope;

/**
 * Everything one tile's rendering shares: the tile, its transform and buffered bounds, scratch
 * space.
 */
public final class RenderContext {
  private final TileCoord tile;
  private final TileTransform transform;
  private final int extent;
  private final int buffer;
  private final Envelope bufferedMercator;
  private final Envelope bufferedLonLat;
  private final PolygonRenderer polygons;
  private final IntList geometry = new IntList(256);

  public RenderContext(TileCoord tile, int extent, int buffer, RenderStats stats) {
    this.tile = tile;
    this.extent = extent;
    this.buffer = buffer;
    this.transform = new TileTransform(tile, extent);
    this.bufferedMercator = tile.bufferedBounds(buffer, extent);
    double h = WebMercator.HALF_WORLD;
    this.bufferedLonLat =
        new Envelope(
            WebMercator.lon(Math.max(-h, bufferedMercator.getMinX())),
            WebMercator.lon(Math.min(h, bufferedMercator.getMaxX())),
            WebMercator.lat(Math.max(-h, bufferedMercator.getMinY())),
            WebMercator.lat(Math.min(h, bufferedMercator.getMaxY())));
    this.polygons = new PolygonRenderer(extent, buffer, stats);
  }

  public TileCoord tile() {
    return tile;
  }

  public TileTransform transform() {
    return transform;
  }

  public int buffer() {
    return buffer;
  }

  /** Tile units across the tile, without the buffer. */
  public int extent() {
    return extent;
  }

  /** The tile grown by the buffer, EPSG:3857. */
  public Envelope bufferedMercator() {
    return bufferedMercator;
  }

  /**
   * The same square in lon/lat: exact, since Web Mercator is monotone in each axis, so querying a
   * lon/lat index with it finds exactly what a projected index would.
   */
  public Envelope bufferedLonLat() {
    return bufferedLonLat;
  }

  public PolygonRenderer polygons() {
    return polygons;
  }

  /** Scratch command list, cleared for each feature. */
  public IntList geometry() {
    geometry.clear();
    return geometry;
  }

  /** Appends a point if it lies in the buffered tile; false otherwise (geometry unchanged). */
  public boolean point(double mercatorX, double mercatorY, IntList out) {
    int x = (int) Math.floor(transform.x(mercatorX) + 0.5);
    int y = (int) Math.floor(transform.y(mercatorY) + 0.5);
    if (x < -buffer || y < -buffer || x > extent + buffer || y > extent + buffer) {
      return false;
    }
    io.gridmap.tiler.encode.Commands.point(out, x, y);
    return true;
  }
}
