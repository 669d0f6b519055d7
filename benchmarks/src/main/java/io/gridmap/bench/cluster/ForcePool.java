package io.gridmap.bench.cluster;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The forces the benchmark moves, read from the store, in two sets that never meet: those moved
 * through the API ({@link #next()}) and those moved by plain SQL as another program would ({@link
 * #nextExternal()}). Moves go round each set: the k-th move of a set takes force {@code k mod n} to
 * its generated position shifted by {@code (k div n + 1)} times 1e-6 degrees (about 10 cm a round),
 * east for the API and north for SQL, so every move is at a position of its own and stays in its
 * grid. Two moves of one force are a whole round apart: with hundreds of forces a set, no two
 * clients ever move one force at once, and a position write is never "not newer" than the last.
 */
final class ForcePool {
  private static final double STEP = 1e-6;

  private final List<Move> api;
  private final List<Move> external;
  private final AtomicLong apiMoves = new AtomicLong();
  private final AtomicLong externalMoves = new AtomicLong();

  private ForcePool(List<Move> api, List<Move> external) {
    this.api = api;
    this.external = external;
  }

  /**
   * Reads up to {@code apiForces + externalForces} forces by id (the first for the API, the rest
   * for SQL); fewer when the city has fewer, two thirds of them for the API.
   */
  static ForcePool read(Connection c, int apiForces, int externalForces) throws SQLException {
    List<Move> all = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT fid, ST_X(geom), ST_Y(geom) FROM forces ORDER BY fid LIMIT "
                    + (apiForces + externalForces))) {
      while (rs.next()) {
        all.add(Move.of(rs.getLong(1), rs.getDouble(2), rs.getDouble(3)));
      }
    }
    if (all.size() < 30) {
      throw new IllegalStateException(
          "the store has " + all.size() + " forces; the benchmark needs at least 30");
    }
    int forApi =
        all.size() == apiForces + externalForces ? apiForces : Math.max(20, all.size() * 2 / 3);
    return new ForcePool(
        List.copyOf(all.subList(0, forApi)), List.copyOf(all.subList(forApi, all.size())));
  }

  int apiForces() {
    return api.size();
  }

  int externalForces() {
    return external.size();
  }

  /** The next move through the API. Thread-safe. */
  Move next() {
    return shifted(api, apiMoves.getAndIncrement(), true);
  }

  /** The next move by plain SQL. Thread-safe. */
  Move nextExternal() {
    return shifted(external, externalMoves.getAndIncrement(), false);
  }

  private static Move shifted(List<Move> set, long k, boolean east) {
    Move origin = set.get((int) (k % set.size()));
    double by = (k / set.size() + 1) * STEP;
    return Move.of(origin.force(), origin.lon() + (east ? by : 0), origin.lat() + (east ? 0 : by));
  }
}
