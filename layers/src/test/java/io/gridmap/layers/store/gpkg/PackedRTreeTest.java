package io.gridmap.layers.store.gpkg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packed R-tree written into SQLite's shadow tables is one SQLite itself accepts: its own
 * {@code rtreecheck()} finds nothing wrong, a box query answers as a scan of the boxes does, and
 * SQLite goes on inserting into and deleting from it.
 */
class PackedRTreeTest {
  @TempDir Path dir;

  /** Sizes around the node's 51 cells and its powers: a leaf root, two levels, three. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 51, 52, 2601, 2602, 7000})
  void sqliteChecksTheTreeAndQueriesItAsAScan(int n) throws SQLException {
    SplittableRandom rnd = new SplittableRandom(n);
    long[] ids = new long[n];
    double[] boxes = new double[4 * n];
    for (int i = 0; i < n; i++) {
      ids[i] = 1000 + 3L * i; // not 1..n: the tree keeps the rows' own ids
      double x = 106 + rnd.nextDouble();
      double y = 29 + rnd.nextDouble();
      boolean point = rnd.nextBoolean();
      double w = point ? 0 : rnd.nextDouble() * 0.01;
      double h = point ? 0 : rnd.nextDouble() * 0.01;
      boxes[4 * i] = x;
      boxes[4 * i + 1] = x + w;
      boxes[4 * i + 2] = y;
      boxes[4 * i + 3] = y + h;
    }
    long[] order = new long[n];
    for (int i = 0; i < n; i++) {
      order[i] = n - 1 - i; // any order packs a valid tree; a good one packs a tight tree
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"));
        Statement s = c.createStatement()) {
      s.execute("CREATE VIRTUAL TABLE t USING rtree(id, minx, maxx, miny, maxy)");
      c.setAutoCommit(false);
      PackedRTree.write(c, "t", ids, boxes, order, n);
      c.commit();
      c.setAutoCommit(true);
      assertThat(check(s)).isEqualTo("ok");
      assertThat(count(s, "SELECT count(*) FROM t")).isEqualTo(n);
      // each stored box holds its row's box: rounded outwards to float32, as SQLite rounds
      try (ResultSet rs = s.executeQuery("SELECT id, minx, maxx, miny, maxy FROM t")) {
        while (rs.next()) {
          int i = (int) ((rs.getLong(1) - 1000) / 3);
          assertThat(rs.getDouble(2)).as("minx of %d", i).isLessThanOrEqualTo(boxes[4 * i]);
          assertThat(rs.getDouble(3)).as("maxx of %d", i).isGreaterThanOrEqualTo(boxes[4 * i + 1]);
          assertThat(rs.getDouble(4)).as("miny of %d", i).isLessThanOrEqualTo(boxes[4 * i + 2]);
          assertThat(rs.getDouble(5)).as("maxy of %d", i).isGreaterThanOrEqualTo(boxes[4 * i + 3]);
        }
      }

      for (int q = 0; q < 20; q++) {
        double x = 106 + rnd.nextDouble() * 0.9;
        double y = 29 + rnd.nextDouble() * 0.9;
        double size = rnd.nextDouble() * 0.2;
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          // the tree's float32 boxes are the doubles rounded outwards
          if (PackedRTree.up(boxes[4 * i + 1]) >= x
              && PackedRTree.down(boxes[4 * i]) <= x + size
              && PackedRTree.up(boxes[4 * i + 3]) >= y
              && PackedRTree.down(boxes[4 * i + 2]) <= y + size) {
            expected.add(ids[i]);
          }
        }
        assertThat(ids(c, x, y, size))
            .as("query %d", q)
            .containsExactlyInAnyOrderElementsOf(expected);
      }

      // SQLite's own inserts and deletes on the packed tree
      for (int i = 0; i < Math.min(n, 300); i++) {
        s.execute("DELETE FROM t WHERE id = " + ids[i]);
      }
      for (int i = 0; i < 300; i++) {
        double x = 106 + rnd.nextDouble();
        double y = 29 + rnd.nextDouble();
        s.execute(
            "INSERT INTO t VALUES ("
                + (1_000_000 + i)
                + ", "
                + x
                + ", "
                + x
                + ", "
                + y
                + ", "
                + y
                + ")");
      }
      assertThat(check(s)).isEqualTo("ok");
      assertThat(count(s, "SELECT count(*) FROM t")).isEqualTo(n - Math.min(n, 300) + 300);
    }
  }

  @org.junit.jupiter.api.Test
  void aTreeThatHoldsEntriesIsRefused() throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("full.db"));
        Statement s = c.createStatement()) {
      s.execute("CREATE VIRTUAL TABLE t USING rtree(id, minx, maxx, miny, maxy)");
      s.execute("INSERT INTO t VALUES (1, 0, 1, 0, 1)");
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  PackedRTree.write(
                      c, "t", new long[] {2}, new double[] {0, 1, 0, 1}, new long[] {0}, 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("not empty");
      assertThat(check(s)).isEqualTo("ok");
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {106.123456789, -29.987654321, 0.1, 1e-40, 0})
  void boundsAreRoundedOutwardsToFloat32(double d) {
    assertThat((double) PackedRTree.down(d)).isLessThanOrEqualTo(d);
    assertThat((double) PackedRTree.up(d)).isGreaterThanOrEqualTo(d);
    assertThat((double) PackedRTree.up(d) - PackedRTree.down(d))
        .isLessThanOrEqualTo(2.0 * Math.ulp((float) d));
  }

  private static String check(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT rtreecheck('t')")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static int count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static List<Long> ids(Connection c, double x, double y, double size) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id FROM t WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?")) {
      ps.setDouble(1, x);
      ps.setDouble(2, x + size);
      ps.setDouble(3, y);
      ps.setDouble(4, y + size);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
    }
    return out;
  }
}
