package io.gridmap.server.cluster;

import io.gridmap.layers.edit.Change;
import io.gridmap.server.write.Writer;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * News of changes between the nodes of a cluster, over the event bus: the node whose turn it is to
 * write publishes the newest change-log position it has made visible, and every other node reads
 * the log at once instead of at its next poll ({@code ExternalChanges}). A notice lost (a node
 * paused, cut off, or joining) costs nothing but that second: the log in the store is what counts.
 * At most one notice is in flight at a time, carrying the newest position, so thousands of writes a
 * second cost a few hundred messages.
 */
public final class ChangeNotices implements Writer.Listener, AutoCloseable {
  static final String ADDRESS = "gridmap.changes";

  private final Vertx vertx;
  private final String node;
  private final BooleanSupplier writing;
  private final AtomicLong newest = new AtomicLong();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final MessageConsumer<String> consumer;
  private final AtomicLong received = new AtomicLong();

  /**
   * @param node this node's name (its own notices are not for it)
   * @param writing whether this node holds the turn to write now
   * @param heard told of the position another node announced, on the event loop
   */
  public ChangeNotices(Vertx vertx, String node, BooleanSupplier writing, LongConsumer heard) {
    this.vertx = vertx;
    this.node = node;
    this.writing = writing;
    this.consumer =
        vertx
            .eventBus()
            .<String>consumer(ADDRESS)
            .handler(
                m -> {
                  String body = m.body();
                  int at = body.indexOf(' ');
                  if (at > 0 && !body.substring(at + 1).equals(node)) {
                    received.incrementAndGet();
                    heard.accept(Long.parseLong(body.substring(0, at)));
                  }
                });
  }

  @Override
  public void visible(Change change, long seq) {
    newest.accumulateAndGet(seq, Math::max);
    if (writing.getAsBoolean() && scheduled.compareAndSet(false, true)) {
      // on the writer thread: the publish itself goes to the event loop, with the newest position
      // by the time it runs
      vertx.runOnContext(
          v -> {
            scheduled.set(false);
            vertx.eventBus().publish(ADDRESS, newest.get() + " " + node);
          });
    }
  }

  /** Notices of other nodes' changes received: {@code cluster_change_notices_received_total}. */
  public long received() {
    return received.get();
  }

  @Override
  public void close() {
    consumer.unregister();
  }
}
