package io.gridmap.bench.cluster;

import io.gridmap.bench.live.Samples;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Another program writing the store: a plain SQL {@code UPDATE} of one force's position in its own
 * session (autocommit), as a work-order system would (docs/postgis.md), timed from its commit to
 * the change's arrival on each node's live stream. No node wrote it, so no node announces it on the
 * event bus: each finds it in the change log at its own poll. The updates are spaced by a random
 * gap (uniform, mean {@code meanGapMs}) so that they fall at every phase of the nodes' polls; they
 * are not waited for one by one, and each goes to a force of its own set, apart from the API's.
 */
final class ExternalWrites {
  private ExternalWrites() {}

  /**
   * The figures of a run, in microseconds from the commit.
   *
   * @param perNode each subscriber's latencies, in the order given
   * @param missing updates that did not reach a stream within {@link Propagation#WAIT_MS} of the
   *     last
   * @param firstMissing the first of them, or null
   * @param moves the updates, in order
   */
  record Result(
      List<Samples.Sorted> perNode, long missing, String firstMissing, List<Move> moves) {}

  static Result run(
      Connection c,
      ForcePool forces,
      List<LiveSubscriber> streams,
      int count,
      double meanGapMs,
      double maxSeconds)
      throws Exception {
    List<Move> moves = new ArrayList<>();
    List<Long> committed = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(11);
    long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
    c.setAutoCommit(true);
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE forces SET geom = ST_SetSRID(ST_MakePoint(?, ?), 4326) WHERE fid = ?")) {
      for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
        Move move = forces.nextExternal();
        update.setDouble(1, move.lon());
        update.setDouble(2, move.lat());
        update.setLong(3, move.force());
        if (update.executeUpdate() != 1) {
          throw new IllegalStateException("UPDATE of " + move + " changed no row");
        }
        committed.add(System.nanoTime());
        moves.add(move);
        Thread.sleep((long) (random.nextDouble() * 2 * meanGapMs));
      }
    }
    List<Samples.Sorted> perNode = new ArrayList<>();
    long missing = 0;
    String firstMissing = null;
    for (LiveSubscriber s : streams) {
      Samples.Sorted.Builder b = new Samples.Sorted.Builder();
      // one wait for all: the last update has the whole of it, the earlier ones had more already
      long until = System.nanoTime() + Propagation.WAIT_MS * 1_000_000;
      for (int i = 0; i < moves.size(); i++) {
        long at = s.await(moves.get(i), Math.max(1, (until - System.nanoTime()) / 1_000_000));
        if (at < 0) {
          missing++;
          firstMissing = firstMissing != null ? firstMissing : moves.get(i) + " not on " + s.node;
          continue;
        }
        b.add((at - committed.get(i)) / 1_000);
      }
      perNode.add(b.build());
    }
    return new Result(perNode, missing, firstMissing, moves);
  }
}
