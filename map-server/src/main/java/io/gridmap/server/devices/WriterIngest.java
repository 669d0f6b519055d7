package io.gridmap.server.devices;

import io.gridmap.server.config.MqttSettings;
import io.gridmap.server.ops.ServerMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT ingest on the node whose turn it is to write, and on no other (several nodes on one map).
 * Every node is configured alike, with one {@code mqtt_client_id}: the broker's persistent session
 * belongs to the cluster, not to a node. The node that takes the turn connects with it and gets
 * what the broker queued meanwhile; a node that loses the turn closes its connection, and the
 * session, with every message not acknowledged, waits at the broker for the next writer.
 *
 * <p>A writer paused past its turn may still be connected when the next one connects: the broker
 * then hands the session to the newer connection (MQTT allows one connection per client id) and
 * sends again what the old one took and did not acknowledge. The old one's writes are refused
 * (fenced), so nothing it took is written twice; a message it did commit but not acknowledge is
 * dropped as a duplicate by its request key, which the new writer has read before its first write
 * (the catch-up on taking the turn). Should the old node reconnect before it learns it lost the
 * turn, the two take the session from each other until it does (within a fifth of a turn): no
 * message is lost, some are delivered once more.
 */
public final class WriterIngest {
  private static final Logger LOG = LoggerFactory.getLogger(WriterIngest.class);

  private final Vertx vertx;
  private final MqttSettings settings;
  private final DeviceSink sink;
  private final MqttIngest.Stats stats = new MqttIngest.Stats();

  /** The ingest while this node writes; null otherwise. Under this object's lock. */
  private MqttIngest running;

  /** The last one closed, until its close ends: a new one waits for it. Under the lock. */
  private Future<Void> closing = Future.succeededFuture();

  private boolean closed;

  /**
   * @param sink where messages go; the same one (and its memory of duplicates) across turns
   */
  public WriterIngest(Vertx vertx, MqttSettings settings, DeviceSink sink, ServerMetrics metrics) {
    this.vertx = vertx;
    this.settings = settings;
    this.sink = sink;
    stats.bind(metrics);
  }

  /** Connects when this node has taken the turn to write, disconnects when it has lost it. */
  public synchronized void writing(boolean writes) {
    if (closed || writes == (running != null)) {
      return;
    }
    if (writes) {
      MqttIngest ingest = new MqttIngest(vertx, settings, sink, stats);
      running = ingest;
      // after the last one has let the session go: one connection per client id
      closing.onComplete(v -> ingest.start()); // retries by itself until the broker answers
    } else {
      LOG.info("MQTT: this node no longer writes; leaving the session to the node that does");
      closing = running.close();
      running = null;
    }
  }

  /** Stops taking messages; those being written are acknowledged first ({@link MqttIngest}). */
  public synchronized Future<Void> close() {
    closed = true;
    if (running != null) {
      closing = running.close();
      running = null;
    }
    return closing;
  }
}
