package io.gridmap.bench;

import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.query.locate.GridLocator;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.io.WKBWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * DESIGN.md's baseline for locate: the same grids in PostGIS with a GiST index, asked with {@code
 * ST_Covers} and the same border rule (the smallest code among the grids whose boundary holds the
 * point), at the same points as {@link LocateBenchmark}'s "events". Before any timing, the answers
 * for 2,000 of the points are compared with {@link GridLocator}'s, and the run stops if one
 * differs.
 *
 * <p>Two ways a server could use PostGIS: one query per point over loopback ({@code perPoint}, what
 * a locate request backed by the database pays), and 1,000 points in one statement ({@code
 * batched}, the database's own work with the round trip shared). Figures are points per second on
 * one thread. PostgreSQL at {@code -Dgridmap.pg} (default 127.0.0.1:5432, user postgres, trust);
 * the table {@code bench_grids} is made anew at setup.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx3g"})
@Threads(1)
@State(Scope.Benchmark)
public class PostgisLocateBenchmark {
  private static final String LOCATE =
      "SELECT code FROM bench_grids WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint(?, ?), 4326)) ORDER BY code LIMIT 1";
  private static final String LOCATE_MANY =
      "SELECT (SELECT code FROM bench_grids g WHERE ST_Covers(g.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)) ORDER BY code LIMIT 1)"
          + " FROM unnest(?::float8[], ?::float8[]) AS p(lon, lat)";
  private static final int BATCH = 1000;

  private Connection db;
  private PreparedStatement one;
  private PreparedStatement many;
  private double[] lon;
  private double[] lat;
  private int next;

  @Setup(Level.Trial)
  public void load() throws SQLException {
    Dataset city = BenchCity.load();
    String url =
        System.getProperty("gridmap.pg", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
    db = DriverManager.getConnection(url);
    try (Statement s = db.createStatement()) {
      s.execute("CREATE EXTENSION IF NOT EXISTS postgis");
      s.execute("DROP TABLE IF EXISTS bench_grids");
      s.execute(
          "CREATE TABLE bench_grids (code text PRIMARY KEY, geom geometry(MultiPolygon, 4326) NOT NULL)");
    }
    int code = city.layer("grids").def().fieldIndex("code");
    WKBWriter wkb = new WKBWriter();
    db.setAutoCommit(false);
    try (PreparedStatement ins =
        db.prepareStatement(
            "INSERT INTO bench_grids VALUES (?, ST_Multi(ST_GeomFromWKB(?, 4326)))")) {
      int n = 0;
      for (Feature g : city.layer("grids").features()) {
        ins.setString(1, (String) g.value(code));
        ins.setBytes(2, wkb.write(g.geometry()));
        ins.addBatch();
        if (++n % 1000 == 0) {
          ins.executeBatch();
        }
      }
      ins.executeBatch();
    }
    db.commit();
    db.setAutoCommit(true);
    try (Statement s = db.createStatement()) {
      s.execute("CREATE INDEX ON bench_grids USING gist (geom)");
      s.execute("ANALYZE bench_grids");
    }
    one = db.prepareStatement(LOCATE);
    many = db.prepareStatement(LOCATE_MANY);

    // the same points as LocateBenchmark's "events"
    int n = 1 << 16;
    lon = new double[n];
    lat = new double[n];
    SplittableRandom rnd = new SplittableRandom(7);
    List<Feature> events = city.layer("events").features();
    for (int i = 0; i < n; i++) {
      Coordinate c = events.get(rnd.nextInt(events.size())).geometry().getCoordinate();
      lon[i] = c.x;
      lat[i] = c.y;
    }

    // same answers before any timing counts
    GridLocator ours = GridLocator.build(CityIndex.build(city));
    for (int i = 0; i < 2000; i++) {
      int o = ours.locateOrdinal(lon[i], lat[i]);
      String expected = o < 0 ? null : (String) ours.grids().feature(o).value(code);
      String got = locateOne(lon[i], lat[i]);
      if (!Objects.equals(expected, got)) {
        throw new IllegalStateException(
            "PostGIS and GridLocator disagree at "
                + lon[i]
                + " "
                + lat[i]
                + ": "
                + got
                + " vs "
                + expected);
      }
    }
  }

  private String locateOne(double x, double y) throws SQLException {
    one.setDouble(1, x);
    one.setDouble(2, y);
    try (ResultSet rs = one.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** One point, one query, over loopback. */
  @Benchmark
  public String perPoint() throws SQLException {
    int i = next;
    next = (i + 1) & (lon.length - 1);
    return locateOne(lon[i], lat[i]);
  }

  /** 1,000 points in one statement; the score is points per second. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int batched() throws SQLException {
    int from = next;
    next = (from + BATCH) & (lon.length - 1);
    Double[] xs = new Double[BATCH];
    Double[] ys = new Double[BATCH];
    for (int k = 0; k < BATCH; k++) {
      xs[k] = lon[(from + k) & (lon.length - 1)];
      ys[k] = lat[(from + k) & (lon.length - 1)];
    }
    Array ax = db.createArrayOf("float8", xs);
    Array ay = db.createArrayOf("float8", ys);
    many.setArray(1, ax);
    many.setArray(2, ay);
    int found = 0;
    try (ResultSet rs = many.executeQuery()) {
      while (rs.next()) {
        found += rs.getString(1) != null ? 1 : 0;
      }
    }
    return found;
  }

  @TearDown(Level.Trial)
  public void close() throws SQLException {
    try (Statement s = db.createStatement()) {
      s.execute("DROP TABLE IF EXISTS bench_grids");
    }
    db.close();
  }
}
