package io.gridmap.bench.cluster;

import io.gridmap.bench.live.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Position writes to one node from {@code clients} closed-loop clients: each sends its next write
 * when the last was answered, one move of one force per write (a phone's position). First an
 * untimed warm-up of a few writes, then the timed ones; a write's latency is from send to the whole
 * answer. The timed part stops after {@code count} writes or {@code maxSeconds}, whichever comes
 * first. Every write must be answered 200 with its position accepted; those that are go into the
 * ledger of acknowledged moves, the others are counted as errors (warm-up included).
 */
final class WriteRun {
  private WriteRun() {}

  /**
   * One case's figures.
   *
   * @param node the node written to
   * @param clients concurrent clients
   * @param latencyMicros the timed writes' latencies, microseconds
   * @param seconds the timed part's wall time
   * @param errors writes not acknowledged as written, warm-up included
   * @param firstError the first of them, or null
   */
  record Result(
      Node node,
      int clients,
      Samples.Sorted latencyMicros,
      double seconds,
      long errors,
      String firstError) {
    double perSecond() {
      return latencyMicros.count() / seconds;
    }
  }

  static Result run(
      Node node,
      ForcePool forces,
      List<Move> acknowledged,
      int clients,
      int warmup,
      int count,
      double maxSeconds)
      throws Exception {
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    Samples.Sorted.Builder latencies = new Samples.Sorted.Builder();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      phase(
          pool,
          clients,
          warmup,
          Long.MAX_VALUE,
          node,
          forces,
          acknowledged,
          null,
          errors,
          firstError);
      long start = System.nanoTime();
      long deadline = start + (long) (maxSeconds * 1e9);
      phase(
          pool,
          clients,
          count,
          deadline,
          node,
          forces,
          acknowledged,
          latencies,
          errors,
          firstError);
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Result(node, clients, latencies.build(), seconds, errors.get(), firstError.get());
    } finally {
      pool.shutdownNow();
    }
  }

  private static void phase(
      ExecutorService pool,
      int clients,
      int count,
      long deadline,
      Node node,
      ForcePool forces,
      List<Move> acknowledged,
      Samples.Sorted.Builder latencies,
      AtomicLong errors,
      AtomicReference<String> firstError)
      throws Exception {
    AtomicInteger left = new AtomicInteger(count);
    List<Future<?>> running = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      running.add(
          pool.submit(
              () -> {
                while (left.getAndDecrement() > 0 && System.nanoTime() < deadline) {
                  Move move = forces.next();
                  long sent = System.nanoTime();
                  Node.Answer a = node.write(move);
                  long answered = System.nanoTime();
                  if (!a.written()) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(
                        null, node.name + ": " + move + ": " + a.status() + " " + a.body());
                    continue;
                  }
                  synchronized (acknowledged) {
                    acknowledged.add(move);
                  }
                  if (latencies != null) {
                    synchronized (latencies) {
                      latencies.add((answered - sent) / 1_000);
                    }
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : running) {
      f.get();
    }
  }
}
