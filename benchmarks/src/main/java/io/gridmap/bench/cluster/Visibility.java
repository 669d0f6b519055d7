package io.gridmap.bench.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The check that makes the timing count: every write acknowledged is visible on both nodes. For the
 * API's writes: each one arrived on both live streams; each force's last acknowledged position is
 * what both nodes serve at {@code /collections/forces/items/{id}}; and each is a version in the
 * store's {@code feature_history}. For the SQL updates: each force's last position is what both
 * nodes serve (their arrival on the streams is checked where they are timed). Problems are listed,
 * the first {@value #SHOWN} in full.
 */
final class Visibility {
  static final int SHOWN = 10;

  private final List<String> problems = new ArrayList<>();
  private int problemCount;
  private final List<String> checked = new ArrayList<>();

  List<String> problems() {
    return problems;
  }

  int problemCount() {
    return problemCount;
  }

  /** What was checked, one line each, for the report. */
  List<String> checked() {
    return checked;
  }

  private void problem(String p) {
    problemCount++;
    if (problems.size() < SHOWN) {
      problems.add(p);
    }
  }

  /** Checks the API's acknowledged moves, in the order they were acknowledged. */
  void api(List<Move> acknowledged, List<Node> nodes, List<LiveSubscriber> streams, Connection c)
      throws Exception {
    long until = System.nanoTime() + Propagation.WAIT_MS * 1_000_000;
    for (LiveSubscriber s : streams) {
      int missing = 0;
      for (Move m : acknowledged) {
        if (s.await(m, Math.max(1, (until - System.nanoTime()) / 1_000_000)) < 0) {
          missing++;
          problem(m + ": acknowledged, never on " + s.node + "'s live stream");
        }
      }
      checked.add(
          String.format(
              "%d of %d acknowledged API writes arrived on %s's live stream",
              acknowledged.size() - missing, acknowledged.size(), s.node));
    }
    Map<Long, Move> last = lastPerForce(acknowledged);
    items(last, nodes, "API");
    Set<Move> history = new HashSet<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT fid, round(ST_X(geom) * 1e7)::bigint, round(ST_Y(geom) * 1e7)::bigint"
                + " FROM feature_history WHERE layer = 'forces' AND fid = ANY(?)")) {
      s.setArray(1, c.createArrayOf("bigint", last.keySet().toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          history.add(new Move(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
        }
      }
    }
    int inHistory = 0;
    for (Move m : acknowledged) {
      if (history.contains(m)) {
        inHistory++;
      } else {
        problem(m + ": acknowledged, not in the store's feature_history");
      }
    }
    checked.add(
        String.format(
            "%d of %d acknowledged API writes are versions in the store's feature_history",
            inHistory, acknowledged.size()));
  }

  /** Checks that both nodes serve each force's last SQL update. */
  void external(List<Move> updates, List<Node> nodes) throws Exception {
    items(lastPerForce(updates), nodes, "SQL");
  }

  private void items(Map<Long, Move> last, List<Node> nodes, String what) throws Exception {
    for (Node n : nodes) {
      int same = 0;
      for (Move m : last.values()) {
        Move shown = n.position(m.force());
        if (shown.equals(m)) {
          same++;
        } else {
          problem(m + " last written (" + what + "), but " + n.name + " serves " + shown);
        }
      }
      checked.add(
          String.format(
              "%s serves the last %s position of %d of %d forces written",
              n.name, what, same, last.size()));
    }
  }

  private static Map<Long, Move> lastPerForce(List<Move> moves) {
    Map<Long, Move> last = new LinkedHashMap<>();
    for (Move m : moves) {
      last.put(m.force(), m);
    }
    return last;
  }
}
