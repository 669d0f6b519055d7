package io.gridmap.server.devices;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A sink that hands each message to the test with the future the ingest waits on: the test decides
 * when (and whether) the "write" commits. By default every message commits at once.
 */
final class RecordingSink implements DeviceSink {
  /** A message taken, and the future that stands for its write. */
  record Taken(DeviceMessage message, CompletableFuture<Outcome> write) {}

  private final BlockingQueue<Taken> taken = new LinkedBlockingQueue<>();
  private volatile Function<DeviceMessage, CompletableFuture<Outcome>> behaviour =
      m -> CompletableFuture.completedFuture(Outcome.APPLIED);

  /** Every later message's write stays open until the test completes it. */
  RecordingSink holding() {
    behaviour = m -> new CompletableFuture<>();
    return this;
  }

  RecordingSink behaving(Function<DeviceMessage, CompletableFuture<Outcome>> b) {
    behaviour = b;
    return this;
  }

  @Override
  public CompletableFuture<Outcome> accept(DeviceMessage message) {
    CompletableFuture<Outcome> write = behaviour.apply(message);
    taken.add(new Taken(message, write));
    return write;
  }

  /** The next message taken, waiting up to 10 s. */
  Taken next() throws InterruptedException {
    Taken t = taken.poll(10, TimeUnit.SECONDS);
    if (t == null) {
      throw new AssertionError("no device message reached the sink within 10 s");
    }
    return t;
  }

  /** Null when no message arrives within {@code millis}. */
  Taken nextWithin(long millis) throws InterruptedException {
    return taken.poll(millis, TimeUnit.MILLISECONDS);
  }
}
