package io.gridmap.tiler.render;

import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.IncidentState;
import io.gridmap.layers.model.LayerDef;
import java.time.Duration;

/**
 * Which points of a layer a visibility class's tiles draw, and how.
 *
 * <ul>
 *   <li>Personal features (homes of vulnerable residents) only in the staff class.
 *   <li>An incident that has finished (status {@code closed} or {@code rejected}) only while its
 *       {@code closed_at} lies within the recent window ({@code closed_at + window > now}); one
 *       without a {@code closed_at} not at all. A screen needs what is open now and what was just
 *       closed; the year's history stays in the index for items and queries.
 *   <li>An open urgent incident is never hidden in a cluster: it is drawn individually at every
 *       zoom. Finished urgent ones are clustered like any point.
 * </ul>
 *
 * Layers without a {@code status} field (forces, key sites) show every point of the class.
 */
public final class PointRules {
  /** Not in tiles. */
  public static final byte HIDDEN = 0;

  /** Counted in cells below z14, drawn itself at z14. */
  public static final byte CLUSTERED = 1;

  /** Drawn itself at every zoom. */
  public static final byte INDIVIDUAL = 2;

  private static final String CLOSED = IncidentState.CLOSED.code();
  private static final String REJECTED = IncidentState.REJECTED.code();

  private final boolean includePersonal;
  private final int status;
  private final int closedAt;
  private final int urgency;
  private final long windowMillis;

  /**
   * @param includePersonal the staff class
   * @param closedWindow how long a finished incident stays in tiles after {@code closed_at}
   */
  public PointRules(LayerDef def, boolean includePersonal, Duration closedWindow) {
    this.includePersonal = includePersonal;
    this.status = def.fieldIndex("status");
    this.closedAt = def.fieldIndex("closed_at");
    this.urgency = def.fieldIndex("urgency");
    this.windowMillis = closedWindow.toMillis();
  }

  /** How a feature is drawn at time {@code now} (epoch milliseconds). */
  public byte kind(Feature f, long now) {
    if (f.geometry().isEmpty() || (f.personal() && !includePersonal)) {
      return HIDDEN;
    }
    boolean finished = finished(f);
    if (finished) {
      return now < expiresAt(f) ? CLUSTERED : HIDDEN;
    }
    return urgency >= 0 && "urgent".equals(f.value(urgency)) ? INDIVIDUAL : CLUSTERED;
  }

  /**
   * When the feature leaves the tiles by age alone (epoch milliseconds): {@link Long#MAX_VALUE} for
   * one that never does (every open incident, every force), {@link Long#MIN_VALUE} for a finished
   * incident without a {@code closed_at}.
   */
  public long expiresAt(Feature f) {
    if (!finished(f)) {
      return Long.MAX_VALUE;
    }
    Object closed = closedAt < 0 ? null : f.value(closedAt);
    if (!(closed instanceof Number n)) {
      return Long.MIN_VALUE;
    }
    long at = n.longValue();
    return at > Long.MAX_VALUE - windowMillis ? Long.MAX_VALUE : at + windowMillis;
  }

  private boolean finished(Feature f) {
    if (status < 0 || !(f.value(status) instanceof String s)) {
      return false;
    }
    // the terminal states of IncidentState, compared directly: this runs per point at start-up
    return CLOSED.equals(s) || REJECTED.equals(s);
  }
}
