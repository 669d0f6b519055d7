package io.gridmap.tiler.render;

import io.gridmap.layers.model.Feature;

/**
 * Feature ids of clusters: {@code 2^52 + zoom * 2^40 + cellY * 2^20 + cellX}, with the cell counted
 * over the whole world at 256 tile units per cell. Stored ids stay below 2^52 ({@link
 * Feature#ID_LIMIT}), so a cluster id never collides with a feature's, and every id stays below
 * 2^53, exact in JavaScript numbers.
 */
public final class ClusterIds {
  private ClusterIds() {}

  public static final long BASE = Feature.ID_LIMIT;

  public static long of(int zoom, int cellX, int cellY) {
    return BASE | ((long) zoom << 40) | ((long) cellY << 20) | cellX;
  }

  public static boolean isCluster(long id) {
    return id >= BASE && id < (BASE << 1);
  }

  public static int zoom(long id) {
    return (int) ((id >>> 40) & 0xFFF);
  }

  public static int cellY(long id) {
    return (int) ((id >>> 20) & 0xFFFFF);
  }

  public static int cellX(long id) {
    return (int) (id & 0xFFFFF);
  }

  /** log2 of the cells across a tile: a cell's tile column is {@code cellX >> cellShift()}. */
  public static int cellShift() {
    return PointClusters.CELL_SHIFT;
  }
}
