package io.gridmap.server.live;

import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.LayerDef;
import io.netty.channel.Channel;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.locationtech.jts.geom.Envelope;

/**
 * One WebSocket subscription: what it asked for, and where its delivery stands.
 *
 * <p>Delivery goes through four states. {@link State#CATCHING_UP}: what it missed is being read
 * from the change log; live messages wait in {@link #buffer}. {@link State#LIVE}: each message is
 * written as it comes. {@link State#LAGGING}: its queue is full, messages are dropped and it will
 * catch up from {@link #resumeFrom} once the queue drains (or be closed if it does not). {@link
 * State#CLOSED}: gone. The state and the fields below it are read and written on the stream's
 * encoder thread only; {@link #pendingBytes} and {@link #resumeWhenDrained} also from the socket's
 * event loop.
 */
final class Subscriber {
  enum State {
    CATCHING_UP,
    LIVE,
    LAGGING,
    CLOSED
  }

  final ServerWebSocket socket;

  /** The TCP connection under the socket, or null when Vert.x does not show it. */
  final Channel channel;

  final Vertx vertx;
  final Set<String> layers;
  final Envelope bbox;
  final String unit;
  final boolean staff;

  /** Bytes written to the socket that Netty has not yet handed to the kernel. */
  final AtomicLong pendingBytes = new AtomicLong();

  /** Set while lagging: the write that brings the queue below half asks for a catch-up. */
  final AtomicBoolean resumeWhenDrained = new AtomicBoolean();

  State state = State.CATCHING_UP;

  /** The version of the last message written. */
  long lastSent;

  /** While lagging: the position to catch up from, the last version the client can have. */
  long resumeFrom;

  /** Counts lags, so that a stall timer of an earlier lag does nothing. */
  int lagEpoch;

  /** Counts catch-up rounds, so that a finished read of an abandoned round is dropped. */
  int round;

  /** Live messages that came while catching up, oldest first. */
  final ArrayDeque<LiveMessage> buffer = new ArrayDeque<>();

  long bufferedBytes;

  /** The buffer outgrew its bound this round: its messages were dropped. */
  boolean overflowed;

  Subscriber(
      ServerWebSocket socket,
      Channel channel,
      Vertx vertx,
      Set<String> layers,
      Envelope bbox,
      String unit,
      boolean staff) {
    this.socket = socket;
    this.channel = channel;
    this.vertx = vertx;
    this.layers = layers;
    this.bbox = bbox;
    this.unit = unit;
    this.staff = staff;
  }

  /** Whether its visibility class sees the feature at all (the public no personal feature). */
  boolean sees(Feature f) {
    return f != null && (staff || !f.personal());
  }

  /** Whether it sees the feature and the feature is in its area. */
  /**
   * Whether an admin unit's edit concerns this subscriber: its code under the subscribed unit, its
   * outline across the subscribed box. Admin units are public, so visibility does not enter.
   */
  boolean touches(Feature unitFeature, int codeField) {
    if (bbox != null && !bbox.intersects(unitFeature.geometry().getEnvelopeInternal())) {
      return false;
    }
    if (unit != null) {
      Object c = codeField < 0 ? null : unitFeature.value(codeField);
      // a grid under the street, or the village or street that holds the subscribed unit
      return c instanceof String code && (code.startsWith(unit) || unit.startsWith(code));
    }
    return true;
  }

  boolean inArea(LayerDef def, Feature f) {
    if (!sees(f)) {
      return false;
    }
    if (bbox != null && !bbox.intersects(f.geometry().getEnvelopeInternal())) {
      return false;
    }
    if (unit != null) {
      int code = def.fieldIndex("grid_code");
      Object c = code < 0 ? null : f.value(code);
      return c instanceof String s && s.startsWith(unit);
    }
    return true;
  }
}
