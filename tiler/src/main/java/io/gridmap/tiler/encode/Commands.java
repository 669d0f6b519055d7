package io.gridmap.tiler.encode;

/** MVT 2.1 geometry command integers (section 4.3). */
public final class Commands {
  private Commands() {}

  public static final int MOVE_TO = 1;
  public static final int LINE_TO = 2;
  public static final int CLOSE_PATH = 7;

  /** Geometry types of {@code Tile.GeomType}. */
  public static final int POINT = 1;

  public static final int LINESTRING = 2;
  public static final int POLYGON = 3;

  /** A command integer: id in the low 3 bits, count above. */
  public static int command(int id, int count) {
    return (id & 0x7) | (count << 3);
  }

  public static int zigzag(int n) {
    return (n << 1) ^ (n >> 31);
  }

  public static int unzigzag(int n) {
    return (n >>> 1) ^ -(n & 1);
  }

  /** Appends a single point at tile coordinates (x, y). */
  public static void point(IntList out, int x, int y) {
    out.add(command(MOVE_TO, 1));
    out.add(zigzag(x));
    out.add(zigzag(y));
  }
}
