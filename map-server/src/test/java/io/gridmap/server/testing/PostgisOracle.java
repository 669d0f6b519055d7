package io.gridmap.server.testing;

import io.gridmap.layers.model.Feature;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.locationtech.jts.io.WKBWriter;

/**
 * PostGIS as an independent oracle: features loaded into temporary tables, questions asked in
 * hand-written SQL (never SQL translated by our CQL2 package). The tests that use it fail, not
 * skip, without a reachable PostGIS: {@code ./mapserver test} installs and starts one.
 */
public final class PostgisOracle implements AutoCloseable {
  public final Connection db;

  public PostgisOracle() {
    String url = System.getenv("GRIDMAP_TEST_POSTGIS_URL");
    if (url == null || url.isBlank()) {
      url = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    }
    try {
      db = DriverManager.getConnection(url);
      try (Statement s = db.createStatement()) {
        s.execute("CREATE EXTENSION IF NOT EXISTS postgis");
      }
    } catch (SQLException e) {
      throw new AssertionError(
          "this test needs PostgreSQL with PostGIS at "
              + url
              + " (set GRIDMAP_TEST_POSTGIS_URL for another);"
              + " apt-get install postgresql-15-postgis-3 and start it, or run ./mapserver test which does: "
              + e.getMessage(),
          e);
    }
  }

  /**
   * A temp table {@code name(id bigint, geom geometry(4326), v0 text, v1 text, ...)} holding
   * features with their values as text.
   */
  public void load(String name, List<Feature> features, int columns) throws SQLException {
    StringBuilder ddl =
        new StringBuilder(
            "CREATE TEMP TABLE " + name + " (id bigint PRIMARY KEY, geom geometry(Geometry, 4326)");
    StringBuilder ins =
        new StringBuilder(
            "INSERT INTO " + name + " VALUES (?, ST_SetSRID(ST_GeomFromWKB(?), 4326)");
    for (int i = 0; i < columns; i++) {
      ddl.append(", v").append(i).append(" text");
      ins.append(", ?");
    }
    try (Statement s = db.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + name);
      s.execute(ddl.append(")").toString());
    }
    WKBWriter wkb = new WKBWriter();
    try (PreparedStatement ps = db.prepareStatement(ins.append(")").toString())) {
      int n = 0;
      for (Feature f : features) {
        ps.setLong(1, f.id());
        ps.setBytes(2, wkb.write(f.geometry()));
        for (int i = 0; i < columns; i++) {
          Object v = f.value(i);
          ps.setString(3 + i, v == null ? null : v.toString());
        }
        ps.addBatch();
        if (++n % 2000 == 0) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
    }
    try (Statement s = db.createStatement()) {
      s.execute("CREATE INDEX ON " + name + " USING gist (geom)");
      s.execute("ANALYZE " + name);
    }
  }

  /** The ids a hand-written query returns (its first column). */
  public Set<Long> ids(String sql, Object... params) throws SQLException {
    Set<Long> out = new HashSet<>();
    try (PreparedStatement ps = db.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
    }
    return out;
  }

  public double[] xy(String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = db.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new double[] {rs.getDouble(1), rs.getDouble(2)};
      }
    }
  }

  @Override
  public void close() throws SQLException {
    db.close();
  }
}
