package io.gridmap.layers.store.gpkg;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.locationtech.jts.shape.fractal.HilbertCode;

/**
 * Fills an empty SQLite R-tree with a packed tree built here, writing its three shadow tables
 * ({@code _node}, {@code _rowid}, {@code _parent}) directly: SQLite's R-tree has no bulk load, and
 * inserting a million points one by one costs about 10 us each in its split and choose-leaf code
 * (15-18 s for the full city's forces, in id or Hilbert order alike; 3.2 s packed, reading the rows
 * included). Hand-written because no served library writes SQLite's R-tree format; the format is
 * SQLite's documented on-disk one (ext/rtree/rtree.c, stable as every SQLite file format is),
 * checked in the tests by SQLite's own {@code rtreecheck()} and by GDAL filtering through the tree.
 *
 * <p>The format, for a two-dimensional {@code rtree} (GeoPackage's): node 1 is the root; every node
 * is a blob of the same size (the root's, chosen by SQLite when the table was created: 4 + 24 x 51
 * bytes on 4 KiB pages); its first two bytes hold the tree's depth in the root (0: the root is a
 * leaf) and are unused elsewhere, the next two its number of cells; a cell is an 8-byte id (a row's
 * in a leaf, a child node's above) and four float32 coordinates (minx, maxx, miny, maxy), all
 * big-endian. Leaf boxes are rounded outwards to float32, as SQLite rounds them. {@code _rowid}
 * maps each row to its leaf, {@code _parent} each node but the root to its parent.
 *
 * <p>The tree is packed in the order the entries are given (a Hilbert curve's, {@link
 * #hilbertOrder}): runs of full leaves, then runs of full nodes above them, up to one root, as the
 * Hilbert-packed R-tree of Kamel and Faloutsos. Later inserts and deletes (the GeoPackage triggers)
 * work on it as on any tree SQLite built. Used for every R-tree the store writes whole: a new
 * store's ({@code generate}, {@code import}), an imported layer's, and the forces' at a clean stop.
 */
final class PackedRTree {
  private static final int CELL_BYTES = 8 + 4 * 4;

  private PackedRTree() {}

  /**
   * Writes the entries into the empty R-tree {@code table}, in one pass, in the caller's
   * transaction.
   *
   * @param ids the rows' ids
   * @param boxes minx, maxx, miny, maxy of each row, four doubles per row
   * @param order the rows' indexes in packing order, {@code n} of them
   */
  static void write(Connection c, String table, long[] ids, double[] boxes, long[] order, int n)
      throws SQLException {
    String q = StoreSchema.quote(table + "_node");
    int nodeBytes;
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT length(data), (SELECT count(*) FROM "
                    + StoreSchema.quote(table + "_rowid")
                    + ") FROM "
                    + q
                    + " WHERE nodeno = 1")) {
      if (!rs.next() || rs.getLong(2) != 0) {
        throw new IllegalStateException("R-tree " + table + " is not empty: it is packed only new");
      }
      nodeBytes = rs.getInt(1);
    }
    int capacity = (nodeBytes - 4) / CELL_BYTES;
    if (capacity < 2) {
      throw new IllegalStateException(
          "R-tree " + table + ": its root is " + nodeBytes + " bytes, not an empty 2D tree's");
    }
    if (n == 0) {
      return; // the empty root SQLite made stays
    }
    try (PreparedStatement insertNode =
            c.prepareStatement(
                GeoPackageEditor.NO_GENERATED_KEYS
                    + "INSERT INTO "
                    + q
                    + " (nodeno, data) VALUES (?, ?)");
        PreparedStatement updateRoot =
            c.prepareStatement("UPDATE " + q + " SET data = ? WHERE nodeno = 1");
        PreparedStatement parent =
            c.prepareStatement(
                GeoPackageEditor.NO_GENERATED_KEYS
                    + "INSERT INTO "
                    + StoreSchema.quote(table + "_parent")
                    + " (nodeno, parentnode) VALUES (?, ?)")) {
      // the level being grouped into nodes: its items' ids and float bounds
      int count = n;
      long[] itemIds = new long[count];
      float[] bounds = new float[4 * count];
      for (int k = 0; k < count; k++) {
        int i = (int) order[k];
        itemIds[k] = ids[i];
        bounds[4 * k] = down(boxes[4 * i]);
        bounds[4 * k + 1] = up(boxes[4 * i + 1]);
        bounds[4 * k + 2] = down(boxes[4 * i + 2]);
        bounds[4 * k + 3] = up(boxes[4 * i + 3]);
      }
      long nextNode = 2;
      ByteBuffer node = ByteBuffer.allocate(nodeBytes); // big-endian
      for (int depth = 0; ; depth++) {
        int groups = (count + capacity - 1) / capacity;
        boolean root = groups == 1;
        long[] upIds = new long[groups];
        float[] upBounds = new float[4 * groups];
        for (int g = 0; g < groups; g++) {
          int from = g * capacity;
          int to = Math.min(count, from + capacity);
          long nodeno = root ? 1 : nextNode++;
          java.util.Arrays.fill(node.array(), (byte) 0);
          node.clear();
          node.putShort((short) (root ? depth : 0));
          node.putShort((short) (to - from));
          float minX = Float.POSITIVE_INFINITY;
          float maxX = Float.NEGATIVE_INFINITY;
          float minY = Float.POSITIVE_INFINITY;
          float maxY = Float.NEGATIVE_INFINITY;
          for (int k = from; k < to; k++) {
            node.putLong(itemIds[k]);
            for (int d = 0; d < 4; d++) {
              node.putFloat(bounds[4 * k + d]);
            }
            minX = Math.min(minX, bounds[4 * k]);
            maxX = Math.max(maxX, bounds[4 * k + 1]);
            minY = Math.min(minY, bounds[4 * k + 2]);
            maxY = Math.max(maxY, bounds[4 * k + 3]);
            if (depth > 0) {
              parent.setLong(1, itemIds[k]);
              parent.setLong(2, nodeno);
              parent.executeUpdate();
            }
          }
          byte[] data = node.array().clone();
          if (root) {
            updateRoot.setBytes(1, data);
            updateRoot.executeUpdate();
          } else {
            insertNode.setLong(1, nodeno);
            insertNode.setBytes(2, data);
            insertNode.executeUpdate();
          }
          upIds[g] = nodeno;
          upBounds[4 * g] = minX;
          upBounds[4 * g + 1] = maxX;
          upBounds[4 * g + 2] = minY;
          upBounds[4 * g + 3] = maxY;
        }
        if (depth == 0) {
          writeRowids(c, table, ids, order, n, capacity, root);
        }
        if (root) {
          return;
        }
        itemIds = upIds;
        bounds = upBounds;
        count = groups;
      }
    }
  }

  /** Hilbert curve level the entries are ordered by: a 32,768 x 32,768 grid over the layer. */
  private static final int HILBERT_LEVEL = 15;

  /**
   * The entries' indexes (low 32 bits) sorted by the Hilbert code of their boxes' centres (high
   * bits) on a grid over their extent.
   */
  static long[] hilbertOrder(double[] boxes, int n) {
    double minX = Double.POSITIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      minX = Math.min(minX, boxes[4 * i]);
      maxX = Math.max(maxX, boxes[4 * i + 1]);
      minY = Math.min(minY, boxes[4 * i + 2]);
      maxY = Math.max(maxY, boxes[4 * i + 3]);
    }
    int cells = 1 << HILBERT_LEVEL;
    double sx = maxX > minX ? (cells - 1) / (maxX - minX) : 0;
    double sy = maxY > minY ? (cells - 1) / (maxY - minY) : 0;
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      int x = (int) (((boxes[4 * i] + boxes[4 * i + 1]) / 2 - minX) * sx);
      int y = (int) (((boxes[4 * i + 2] + boxes[4 * i + 3]) / 2 - minY) * sy);
      long code = HilbertCode.encode(HILBERT_LEVEL, x, y);
      keys[i] = code << 32 | i;
    }
    java.util.Arrays.sort(keys);
    for (int i = 0; i < n; i++) {
      keys[i] &= 0xffffffffL;
    }
    return keys;
  }

  /** Rows of {@code _rowid} written per statement. */
  private static final int ROWS_PER_INSERT = 256;

  /**
   * Maps each row to its leaf, in the rows' own order (ascending ids as the table gives them: the
   * {@code _rowid} B-tree is appended to, not split at random), {@value #ROWS_PER_INSERT} rows a
   * statement: a million single-row inserts were most of the build.
   */
  private static void writeRowids(
      Connection c, String table, long[] ids, long[] order, int n, int capacity, boolean rootIsLeaf)
      throws SQLException {
    int[] position = new int[n];
    for (int k = 0; k < n; k++) {
      position[(int) order[k]] = k;
    }
    String insert =
        GeoPackageEditor.NO_GENERATED_KEYS
            + "INSERT INTO "
            + StoreSchema.quote(table + "_rowid")
            + " (rowid, nodeno) VALUES ";
    String many = insert + "(?, ?)" + ", (?, ?)".repeat(ROWS_PER_INSERT - 1);
    try (PreparedStatement batch = c.prepareStatement(many);
        PreparedStatement one = c.prepareStatement(insert + "(?, ?)")) {
      int i = 0;
      for (; i + ROWS_PER_INSERT <= n; i += ROWS_PER_INSERT) {
        for (int j = 0; j < ROWS_PER_INSERT; j++) {
          batch.setLong(2 * j + 1, ids[i + j]);
          batch.setLong(2 * j + 2, leaf(position[i + j], capacity, rootIsLeaf));
        }
        batch.executeUpdate();
      }
      for (; i < n; i++) {
        one.setLong(1, ids[i]);
        one.setLong(2, leaf(position[i], capacity, rootIsLeaf));
        one.executeUpdate();
      }
    }
  }

  /** The leaf holding the entry packed at {@code k}: leaves are numbered first, from 2. */
  private static long leaf(int k, int capacity, boolean rootIsLeaf) {
    return rootIsLeaf ? 1 : 2 + k / capacity;
  }

  /** The largest float32 at or below {@code d}, as SQLite's R-tree stores a minimum. */
  static float down(double d) {
    float f = (float) d;
    return f > d ? Math.nextDown(f) : f;
  }

  /** The smallest float32 at or above {@code d}, as SQLite's R-tree stores a maximum. */
  static float up(double d) {
    float f = (float) d;
    return f < d ? Math.nextUp(f) : f;
  }
}
