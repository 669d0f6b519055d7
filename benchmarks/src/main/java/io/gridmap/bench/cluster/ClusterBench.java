package io.gridmap.bench.cluster;

import io.gridmap.bench.race.RaceDb;
import io.gridmap.layers.store.pg.PostgisUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster benchmark (issue 11, point 6): two nodes of {@code serve --cluster} on one PostGIS
 * schema, node A holding the turn to write and node B forwarding writes to it, measured from one
 * client machine with a baseline in the same run.
 *
 * <ol>
 *   <li>Checked before timing: A holds the turn (the store's {@code writer_turn} and {@code
 *       nodes}); writes through B are answered only once B serves them (read back on B at once);
 *       writes through A reach B's live stream and items. These writes also warm both nodes.
 *   <li>Write latency ({@link WriteRun}): one force's position per write, closed loop, at each
 *       client count, to A (the baseline) and through B (forwarded), alternating.
 *   <li>Propagation ({@link Propagation}): writes to A spaced at random, from A's answer until B's
 *       live stream delivers each, A's own stream as the baseline.
 *   <li>Another program's write ({@link ExternalWrites}): SQL updates of forces, from the commit
 *       until each node's stream delivers them.
 *   <li>Visible on both nodes at the end ({@link Visibility}): every acknowledged write on both
 *       streams, in both nodes' items and in the store's history.
 * </ol>
 *
 * The report ({@link ClusterReport}) goes to standard output; the exit status is 1 when a write
 * failed, a write did not arrive, a check failed or a subscriber fell behind. Run it on a core of
 * its own, the nodes on another ({@code scripts/bench.sh --cluster-only}).
 */
public final class ClusterBench {
  /** Writes through B, and to A, checked before the timing. */
  private static final int FIRST_CHECKS = 5;

  private ClusterBench() {}

  public static void main(String[] args) throws Exception {
    ClusterOptions o = ClusterOptions.parse(args);
    String token = Files.readString(Path.of(o.tokenFile())).strip();
    Node a = new Node("A (writer)", o.writer(), token);
    Node b = new Node("B (forwards)", o.other(), token);
    PostgisUrl url = PostgisUrl.parse(o.store());
    List<Move> acknowledged = new ArrayList<>();
    try (Connection db = RaceDb.open(url, "gridmap-cluster-bench");
        Connection otherProgram = RaceDb.open(url, "another-program")) {
      ForcePool forces = ForcePool.read(db, 1_000, 500);
      ClusterReport report = new ClusterReport(o, forces, a);
      report.before(writerTurn(db, o.writer()));
      LiveSubscriber streamA = LiveSubscriber.connect("A", o.writer(), token);
      LiveSubscriber streamB = LiveSubscriber.connect("B", o.other(), token);
      try {
        firstChecks(report, a, b, streamB, forces, acknowledged);
        for (int clients : o.clients()) {
          for (Node n : List.of(a, b)) {
            report.write(
                WriteRun.run(
                    n, forces, acknowledged, clients, o.warmup(), o.writes(), o.maxSeconds()));
          }
        }
        report.propagation(
            Propagation.run(
                a,
                streamA,
                streamB,
                forces,
                acknowledged,
                o.propagation(),
                o.propagationGapMs(),
                o.maxSeconds()));
        List<LiveSubscriber> both = List.of(streamA, streamB);
        ExternalWrites.Result external =
            ExternalWrites.run(
                otherProgram, forces, both, o.external(), o.externalGapMs(), o.maxSeconds());
        report.external(external, both);
        Visibility v = new Visibility();
        v.api(acknowledged, List.of(a, b), both, db);
        v.external(external.moves(), List.of(a, b));
        report.visibility(v);
        report.stream(streamA);
        report.stream(streamB);
      } catch (CheckFailed e) {
        report.print();
        System.err.println("cluster: " + e.getMessage() + "; nothing was timed");
        System.exit(1);
      } finally {
        streamA.close();
        streamB.close();
      }
      report.print();
      if (report.failed()) {
        System.err.println("cluster: FAILED: see the report's ERRORS");
        System.exit(1);
      }
    }
  }

  /** A check before the timing that failed: the run stops. */
  private static final class CheckFailed extends Exception {
    CheckFailed(String message) {
      super(message);
    }
  }

  /** Says who holds the turn to write; throws unless it is the node given as the writer. */
  private static String writerTurn(Connection db, String writerUrl) throws Exception {
    try (Statement s = db.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT t.holder, t.epoch, n.url FROM writer_turn t LEFT JOIN nodes n"
                    + " ON n.name = t.holder")) {
      if (!rs.next() || !writerUrl.equals(rs.getString(3))) {
        throw new IllegalStateException(
            "the node at "
                + writerUrl
                + " does not hold the turn to write: writer_turn "
                + (rs.getRow() == 0
                    ? "is empty"
                    : "names " + rs.getString(1) + " at " + rs.getString(3)));
      }
      return "A holds the turn to write: writer_turn names "
          + rs.getString(1)
          + " (epoch "
          + rs.getLong(2)
          + ") at "
          + rs.getString(3);
    }
  }

  /**
   * Read-your-write through B and news of A's writes on B, {@value #FIRST_CHECKS} writes each; any
   * failure stops the run before the timing.
   */
  private static void firstChecks(
      ClusterReport report,
      Node a,
      Node b,
      LiveSubscriber streamB,
      ForcePool forces,
      List<Move> acknowledged)
      throws Exception {
    for (int i = 0; i < FIRST_CHECKS; i++) {
      Move m = forces.next();
      Node.Answer answer = b.write(m);
      if (!answer.written()) {
        throw new CheckFailed(
            "a write through B was not taken: " + m + ": " + answer.status() + " " + answer.body());
      }
      acknowledged.add(m);
      Move shown = b.position(m.force());
      if (!shown.equals(m)) {
        throw new CheckFailed(
            "B answered a forwarded write before it served it: wrote " + m + ", B serves " + shown);
      }
    }
    report.before(
        FIRST_CHECKS
            + " writes through B: each answered 200 and served by B at once (read your own write)");
    List<Move> toB = new ArrayList<>();
    for (int i = 0; i < FIRST_CHECKS; i++) {
      Move m = forces.next();
      Node.Answer answer = a.write(m);
      if (!answer.written()) {
        throw new CheckFailed(
            "a write to A was not taken: " + m + ": " + answer.status() + " " + answer.body());
      }
      acknowledged.add(m);
      toB.add(m);
    }
    for (Move m : toB) {
      if (streamB.await(m, Propagation.WAIT_MS) < 0) {
        throw new CheckFailed(m + " written to A never reached B's live stream in 10 s");
      }
      Move shown = b.position(m.force());
      if (!shown.equals(m)) {
        throw new CheckFailed(
            m + " written to A reached B's stream, but B serves " + shown + " after it");
      }
    }
    report.before(
        FIRST_CHECKS
            + " writes to A: each on B's live stream within 10 s, and served by B once it was");
  }
}
