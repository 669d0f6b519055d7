package io.gridmap.bench.tracks;

import io.gridmap.bench.BenchCity;
import io.gridmap.layers.edit.Change;
import io.gridmap.layers.edit.Provenance;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Point;

/**
 * Storage per force per day of the position tracks (docs/benchmarks.md, "Tracks"): feeds a working
 * day of fixes (one every {@code --interval-s}, {@code --hours} long) for {@code --forces} forces
 * through a GeoPackage store's {@code applyAll}, one transaction per round of fixes (a gateway's
 * batch: every force moves once), then measures the bytes the tracks take. Baseline in the same
 * run: the same fixes as one row per move ({@code force_id, t, lon, lat}, unique on force and
 * time), the design the chunks replace. Each is copied into an SQLite file of its own with its
 * indexes, vacuumed, and measured as a file. The feed also runs against a copy of the store with
 * recording off, so the cost of the chunk writes to the writer shows as transactions per second.
 *
 * <pre>
 * java -cp benchmarks.jar io.gridmap.bench.tracks.TrackStorage [--forces 100] [--hours 8]
 *     [--interval-s 5] [--out DIR]
 * java -cp benchmarks.jar io.gridmap.bench.tracks.TrackStorage --tiny     (seconds: CI)
 * </pre>
 */
public final class TrackStorage {
  /** What one run measured. */
  public record Result(
      int forces,
      long fixes,
      long chunks,
      long chunkFileBytes,
      long chunkPayloadBytes,
      long rowFileBytes,
      double txPerSecondRecording,
      double txPerSecondOff,
      long storeGrowthOn,
      long storeGrowthOff) {
    /** Bytes per force per day (the fed hours counted as the day: nothing moves off duty). */
    public double chunkBytesPerForceDay() {
      return (double) chunkFileBytes / forces;
    }

    public double rowBytesPerForceDay() {
      return (double) rowFileBytes / forces;
    }
  }

  private TrackStorage() {}

  public static void main(String[] args) throws Exception {
    int forces = 100;
    double hours = 8;
    int interval = 5;
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--tiny" -> {
          forces = 5;
          hours = 0.25;
        }
        case "--forces" -> forces = Integer.parseInt(args[++i]);
        case "--hours" -> hours = Double.parseDouble(args[++i]);
        case "--interval-s" -> interval = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> {
          System.err.println(
              "TrackStorage: unknown argument "
                  + args[i]
                  + "; usage: [--tiny] [--forces N] [--hours H] [--interval-s S] [--out DIR]");
          System.exit(2);
        }
      }
    }
    Path dir = out != null ? out : Files.createTempDirectory("track-storage");
    Files.createDirectories(dir);
    Result r = run(BenchCity.load(), forces, hours, interval, dir);
    System.out.println(report(r, hours, interval));
  }

  public static String report(Result r, double hours, int interval) {
    return String.format(
        java.util.Locale.ROOT,
        "TrackStorage forces=%d hours=%.2f interval_s=%d fixes=%d chunks=%d%n"
            + "TrackStorage chunks: %d bytes file (%.0f bytes per force per day, %.2f bytes per fix;"
            + " packed payload %.2f bytes per fix)%n"
            + "TrackStorage row per move (baseline): %d bytes file (%.0f bytes per force per day,"
            + " %.2f bytes per fix)%n"
            + "TrackStorage ratio: chunks take %.1f%% of the rows%n"
            + "TrackStorage writer: %.0f transactions/s recording tracks, %.0f with recording off"
            + " (%d forces moved per transaction)%n"
            + "TrackStorage whole store grew %d bytes recording tracks, %d with recording off"
            + " (%.0f and %.0f bytes per force per day: the rest is feature_history and change_log)",
        r.forces(),
        hours,
        interval,
        r.fixes(),
        r.chunks(),
        r.chunkFileBytes(),
        r.chunkBytesPerForceDay(),
        (double) r.chunkFileBytes() / r.fixes(),
        (double) r.chunkPayloadBytes() / r.fixes(),
        r.rowFileBytes(),
        r.rowBytesPerForceDay(),
        (double) r.rowFileBytes() / r.fixes(),
        100.0 * r.chunkFileBytes() / r.rowFileBytes(),
        r.txPerSecondRecording(),
        r.txPerSecondOff(),
        r.forces(),
        r.storeGrowthOn(),
        r.storeGrowthOff(),
        (double) r.storeGrowthOn() / r.forces(),
        (double) r.storeGrowthOff() / r.forces());
  }

  /** Feeds the day into two stores (recording on and off) under {@code dir} and measures. */
  public static Result run(Dataset city, int forces, double hours, int intervalS, Path dir)
      throws Exception {
    List<Feature> moving =
        city.layer(Catalogue.FORCES.name()).features().stream().limit(forces).toList();
    if (moving.size() < forces) {
      throw new IllegalArgumentException(
          "the city has " + moving.size() + " forces, fewer than --forces " + forces);
    }
    int rounds = (int) Math.round(hours * 3600 / intervalS);
    Path on = dir.resolve("tracks-on.gpkg");
    Path off = dir.resolve("tracks-off.gpkg");
    for (Path p : List.of(on, off)) {
      Files.deleteIfExists(p);
      try (FeatureStore s = Stores.open(p.toString())) {
        s.write(city);
      }
    }
    long before = Files.size(on);
    double onRate = feed(on, moving, rounds, intervalS, true);
    double offRate = feed(off, moving, rounds, intervalS, false);
    long growthOn = Files.size(on) - before;
    long growthOff = Files.size(off) - before;

    Path chunkFile = dir.resolve("chunks-only.sqlite");
    Path rowFile = dir.resolve("rows-only.sqlite");
    Files.deleteIfExists(chunkFile);
    Files.deleteIfExists(rowFile);
    long chunks;
    long payload;
    long fixes = (long) rounds * forces;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + chunkFile);
        Statement s = c.createStatement()) {
      // the editor's own table and index (GeoPackageEditor), copied alone
      s.execute(
          "CREATE TABLE position_tracks (id INTEGER PRIMARY KEY, force_id INTEGER NOT NULL,"
              + " start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL, points INTEGER NOT NULL,"
              + " data BLOB NOT NULL, UNIQUE (force_id, start_ms))");
      s.execute("CREATE INDEX position_tracks_end ON position_tracks (end_ms)");
      s.execute("ATTACH DATABASE '" + on + "' AS store");
      s.execute(
          "INSERT INTO position_tracks SELECT id, force_id, start_ms, end_ms, points, data FROM"
              + " store.position_tracks");
      try (var rs =
          s.executeQuery("SELECT count(*), sum(length(data)), sum(points) FROM position_tracks")) {
        rs.next();
        chunks = rs.getLong(1);
        payload = rs.getLong(2);
        if (rs.getLong(3) != fixes) {
          throw new IllegalStateException(
              "the tracks hold " + rs.getLong(3) + " fixes, expected " + fixes);
        }
      }
      s.execute("DETACH DATABASE store");
      s.execute("VACUUM");
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + rowFile)) {
      rowsPerMove(c, moving, rounds, intervalS);
    }
    return new Result(
        forces,
        fixes,
        chunks,
        Files.size(chunkFile),
        payload,
        Files.size(rowFile),
        onRate,
        offRate,
        growthOn,
        growthOff);
  }

  /** The walk of force {@code k} at round {@code i}: ~1.4 m/s with turns, deterministic. */
  private static Coordinate[] walks(List<Feature> moving) {
    Coordinate[] at = new Coordinate[moving.size()];
    for (int k = 0; k < at.length; k++) {
      at[k] = ((Point) moving.get(k).geometry()).getCoordinate().copy();
    }
    return at;
  }

  private static final long DAY_START = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();

  private static double feed(
      Path store, List<Feature> moving, int rounds, int intervalS, boolean recording) {
    SplittableRandom rnd = new SplittableRandom(7);
    Coordinate[] at = walks(moving);
    double[] heading = new double[at.length];
    Feature[] current = moving.toArray(new Feature[0]);
    int updatedAt = Catalogue.FORCES.fieldIndex("updated_at");
    Provenance who = new Provenance("bench", "commander", "positions", Instant.now());
    long started;
    long elapsed;
    try (FeatureStore s = Stores.open(store.toString())) {
      s.tracks().orElseThrow().recording(recording);
      started = System.nanoTime();
      for (int i = 0; i < rounds; i++) {
        long t = DAY_START + (long) i * intervalS * 1000 + rnd.nextInt(400);
        List<Change.Replacement> moves = new ArrayList<>(at.length);
        for (int k = 0; k < at.length; k++) {
          heading[k] += (rnd.nextDouble() - 0.5) * 0.6;
          double metres = 1.4 * intervalS * (0.5 + rnd.nextDouble());
          at[k].x += Math.cos(heading[k]) * metres / 97_000.0;
          at[k].y += Math.sin(heading[k]) * metres / 111_000.0;
          Feature f = current[k];
          Object[] v = f.values().clone();
          v[updatedAt] = t + k;
          Point p =
              f.geometry()
                  .getFactory()
                  .createPoint(
                      new Coordinate(
                          Math.round(at[k].x * 1e7) / 1e7, Math.round(at[k].y * 1e7) / 1e7));
          Feature next = new Feature(f.id(), p, v, f.personal());
          moves.add(new Change.Replacement(f, next));
          current[k] = next;
        }
        s.applyAll(List.of(Change.of(Catalogue.FORCES.name(), moves)), Collections.nCopies(1, who));
      }
      elapsed = System.nanoTime() - started;
    }
    return rounds / (elapsed / 1e9);
  }

  /** The baseline: the same walk, a row per move, with the index a per-force read needs. */
  private static void rowsPerMove(Connection c, List<Feature> moving, int rounds, int intervalS)
      throws SQLException {
    SplittableRandom rnd = new SplittableRandom(7);
    Coordinate[] at = walks(moving);
    double[] heading = new double[at.length];
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE positions (id INTEGER PRIMARY KEY, force_id INTEGER NOT NULL,"
              + " t INTEGER NOT NULL, lon REAL NOT NULL, lat REAL NOT NULL, UNIQUE (force_id, t))");
    }
    c.setAutoCommit(false);
    try (var ps =
        c.prepareStatement("INSERT INTO positions (force_id, t, lon, lat) VALUES (?, ?, ?, ?)")) {
      for (int i = 0; i < rounds; i++) {
        long t = DAY_START + (long) i * intervalS * 1000 + rnd.nextInt(400);
        for (int k = 0; k < at.length; k++) {
          heading[k] += (rnd.nextDouble() - 0.5) * 0.6;
          double metres = 1.4 * intervalS * (0.5 + rnd.nextDouble());
          at[k].x += Math.cos(heading[k]) * metres / 97_000.0;
          at[k].y += Math.sin(heading[k]) * metres / 111_000.0;
          ps.setLong(1, moving.get(k).id());
          ps.setLong(2, t + k);
          ps.setDouble(3, Math.round(at[k].x * 1e7) / 1e7);
          ps.setDouble(4, Math.round(at[k].y * 1e7) / 1e7);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    c.commit();
    c.setAutoCommit(true);
    try (Statement s = c.createStatement()) {
      s.execute("VACUUM");
    }
  }
}
