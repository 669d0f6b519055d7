package io.gridmap.bench.cluster;

import io.gridmap.bench.live.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How long a write takes to reach the other node's live stream: writes to the writer from one
 * client, spaced by a random gap (uniform, mean {@code meanGapMs}, far longer than a write takes)
 * so that each is a lone change on a quiet cluster and they fall at every phase of the nodes' one
 * second polls. Measured from the writer's answer (the client knows its write is in) to the
 * message's arrival; the writer's own stream, timed the same way, is the baseline. The arrivals are
 * collected as they come and read after the last write. A stream may deliver before the answer has
 * reached the client: those samples are negative, kept as they are.
 */
final class Propagation {
  /** How long after the last write a write may still arrive before it counts as missing. */
  static final long WAIT_MS = 10_000;

  private Propagation() {}

  /**
   * The figures of a run, in microseconds.
   *
   * @param otherFromAnswer the other node's stream, from the writer's answer
   * @param otherFromSend the other node's stream, from the send
   * @param ownFromAnswer the writer's own stream, from its answer (the baseline)
   * @param missing deliveries missing, on either stream, {@link #WAIT_MS} after the last write
   * @param errors writes not acknowledged as written
   * @param firstProblem the first missing or failed write, or null
   */
  record Result(
      Samples.Sorted otherFromAnswer,
      Samples.Sorted otherFromSend,
      Samples.Sorted ownFromAnswer,
      long missing,
      long errors,
      String firstProblem) {}

  /** One write acknowledged: what and when. */
  private record Sent(Move move, long sent, long answered) {}

  static Result run(
      Node writer,
      LiveSubscriber own,
      LiveSubscriber other,
      ForcePool forces,
      List<Move> acknowledged,
      int count,
      double meanGapMs,
      double maxSeconds)
      throws Exception {
    List<Sent> written = new ArrayList<>();
    long errors = 0;
    String firstProblem = null;
    SplittableRandom random = new SplittableRandom(7);
    long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
    for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
      Move move = forces.next();
      long sent = System.nanoTime();
      Node.Answer a = writer.write(move);
      long answered = System.nanoTime();
      if (a.written()) {
        written.add(new Sent(move, sent, answered));
        synchronized (acknowledged) {
          acknowledged.add(move);
        }
      } else {
        errors++;
        firstProblem =
            firstProblem != null ? firstProblem : move + ": " + a.status() + " " + a.body();
      }
      Thread.sleep((long) (random.nextDouble() * 2 * meanGapMs));
    }
    Samples.Sorted.Builder otherFromAnswer = new Samples.Sorted.Builder();
    Samples.Sorted.Builder otherFromSend = new Samples.Sorted.Builder();
    Samples.Sorted.Builder ownFromAnswer = new Samples.Sorted.Builder();
    long missing = 0;
    long until = System.nanoTime() + WAIT_MS * 1_000_000;
    for (Sent s : written) {
      long there = other.await(s.move(), Math.max(1, (until - System.nanoTime()) / 1_000_000));
      long here = own.await(s.move(), Math.max(1, (until - System.nanoTime()) / 1_000_000));
      if (there < 0 || here < 0) {
        missing++;
        firstProblem =
            firstProblem != null
                ? firstProblem
                : s.move() + " not on " + (there < 0 ? other.node : own.node) + "'s stream";
        continue;
      }
      otherFromAnswer.add((there - s.answered()) / 1_000);
      otherFromSend.add((there - s.sent()) / 1_000);
      ownFromAnswer.add((here - s.answered()) / 1_000);
    }
    return new Result(
        otherFromAnswer.build(),
        otherFromSend.build(),
        ownFromAnswer.build(),
        missing,
        errors,
        firstProblem);
  }
}
