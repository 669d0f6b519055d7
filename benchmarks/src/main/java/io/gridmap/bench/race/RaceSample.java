package io.gridmap.bench.race;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.tiler.geo.TileCoord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The fixed samples the race runs on, drawn from the city in PostGIS with fixed seeds.
 *
 * <p>Tiles as {@code TileSample} draws them for the other tile benchmarks: per zoom, the tiles
 * holding randomly drawn grids (a point on each grid's surface), so dense urban tiles come up as
 * often as they are looked at and every tile holds data. Points for locate: the positions of
 * randomly drawn incidents, where locate queries land, as {@code LocateBenchmark}'s "events".
 */
final class RaceSample {
  private RaceSample() {}

  /** Up to {@code perZoom} distinct tiles at {@code z}. */
  static List<TileCoord> tiles(double[][] grids, int z, int perZoom) {
    SplittableRandom rnd = new SplittableRandom(20261124L + z);
    LinkedHashSet<TileCoord> tiles = new LinkedHashSet<>();
    int attempts = 0;
    while (tiles.size() < perZoom && attempts++ < perZoom * 20) {
      double[] p = grids[rnd.nextInt(grids.length)];
      tiles.add(TileCoord.containing(WebMercator.x(p[0]), WebMercator.y(p[1]), z));
    }
    return new ArrayList<>(tiles);
  }

  /** A point on each grid's surface (lon, lat), in id order. */
  static double[][] gridPoints(Connection c) throws SQLException {
    return lonLat(
        c,
        "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) AS p FROM grids ORDER BY fid) s");
  }

  /** {@code n} incident positions (lon, lat) drawn with a fixed seed. */
  static double[][] points(Connection c, int n) throws SQLException {
    double[][] events = lonLat(c, "SELECT ST_X(geom), ST_Y(geom) FROM events ORDER BY fid");
    if (events.length == 0) {
      throw new IllegalStateException("the city has no incidents to locate");
    }
    SplittableRandom rnd = new SplittableRandom(7);
    double[][] out = new double[n][];
    for (int i = 0; i < n; i++) {
      out[i] = events[rnd.nextInt(events.length)];
    }
    return out;
  }

  private static double[][] lonLat(Connection c, String sql) throws SQLException {
    List<double[]> out = new ArrayList<>();
    try (Statement s = c.createStatement()) {
      s.setFetchSize(10_000);
      c.setAutoCommit(false); // the driver streams rows by the fetch size only in a transaction
      try (ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          out.add(new double[] {rs.getDouble(1), rs.getDouble(2)});
        }
      } finally {
        c.commit();
        c.setAutoCommit(true);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("no rows for the sample: " + sql);
    }
    return out.toArray(double[][]::new);
  }
}
