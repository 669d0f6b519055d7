package io.gridmap.server.devices;

import java.util.concurrent.CompletableFuture;

/**
 * Where well-formed device messages go: for an alarm, an urgent incident at the device's site; for
 * a position, the device's point. {@link MqttIngest} sends the broker its PUBACK for a message only
 * once the future this returns has completed normally, so "completed" must mean "committed": the
 * write is durable, or it is known to have been made before.
 *
 * <p>The sink decides what a duplicate is: a device's retry and the broker's redelivery repeat the
 * message's {@code msg_id}, and only the store, which keeps {@link DeviceMessage#requestKey()} with
 * what it wrote, can recognise one across restarts. {@link DedupingSink} in front of it drops the
 * recent ones without a write.
 *
 * <p>Called on the ingest's event loop: it must not block (hand the write to the writer thread or a
 * worker and return its future). The futures may complete on any thread and in any order.
 */
@FunctionalInterface
public interface DeviceSink {

  /** What became of a message whose future completed normally; the broker is told it is done. */
  enum Outcome {
    /** Written now. */
    APPLIED,
    /** Already written before: a retry or a redelivery (same device, same {@code msg_id}). */
    DUPLICATE,
    /**
     * Taken and dropped on purpose, nothing written (e.g. a device registered to no site): the
     * broker must not redeliver it.
     */
    IGNORED
  }

  /**
   * Stores the message.
   *
   * @return completes normally once it is committed (or known to be); completes exceptionally when
   *     it could not be (the store is down): the message is then not acknowledged and the broker
   *     delivers it again after the ingest reconnects
   */
  CompletableFuture<Outcome> accept(DeviceMessage message);
}
