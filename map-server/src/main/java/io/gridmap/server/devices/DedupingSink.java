package io.gridmap.server.devices;

import io.gridmap.server.devices.DeviceSink.Outcome;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link DeviceSink} in front of another that answers {@link Outcome#DUPLICATE} for a message
 * whose request key it has seen committed recently ({@link MsgIds}), without asking the one behind.
 * A key is remembered only once the sink behind has committed it: a copy that arrives while the
 * first is still being written waits for that write and shares its fate (a duplicate if it commits,
 * a failure if it fails), so a redelivery is never acknowledged for a write that did not happen.
 */
public final class DedupingSink implements DeviceSink {
  /** The default memory: about 6 MB of keys, hours of alarms and positions of a city's devices. */
  public static final int DEFAULT_CAPACITY = 65_536;

  private final DeviceSink next;
  private final MsgIds committed;
  private final Map<String, CompletableFuture<Outcome>> writing = new HashMap<>();

  public DedupingSink(DeviceSink next, int capacity) {
    this.next = next;
    this.committed = new MsgIds(capacity);
  }

  public DedupingSink(DeviceSink next) {
    this(next, DEFAULT_CAPACITY);
  }

  @Override
  public CompletableFuture<Outcome> accept(DeviceMessage message) {
    String key = message.requestKey();
    CompletableFuture<Outcome> mine = new CompletableFuture<>();
    synchronized (this) {
      if (committed.contains(key)) {
        return CompletableFuture.completedFuture(Outcome.DUPLICATE);
      }
      CompletableFuture<Outcome> first = writing.get(key);
      if (first != null) {
        return first.thenApply(o -> Outcome.DUPLICATE);
      }
      writing.put(key, mine);
    }
    CompletableFuture<Outcome> written;
    try {
      written = next.accept(message);
    } catch (RuntimeException e) {
      written = CompletableFuture.failedFuture(e);
    }
    written.whenComplete(
        (outcome, failure) -> {
          synchronized (this) {
            writing.remove(key);
            if (failure == null) {
              committed.add(key);
            }
          }
          if (failure == null) {
            mine.complete(outcome);
          } else {
            mine.completeExceptionally(failure);
          }
        });
    return mine;
  }
}
