package io.gridmap.server.incidents;

import io.gridmap.layers.model.IncidentState;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * How long each step of the loop may take, per urgency: the next step of an incident is due this
 * long after it entered its state ({@code due_at}); past that it is overdue and escalates by itself
 * to its street's command centre ({@link OverdueSweep}). An urgent incident must be dispatched
 * within 2 minutes and accepted within 5: the wristband story's "within five minutes the grid
 * worker, the community doctor and an ambulance are moving".
 *
 * @param urgent limits for urgent incidents, by the state being left
 * @param normal limits for normal ones
 */
public record Deadlines(Map<IncidentState, Duration> urgent, Map<IncidentState, Duration> normal) {
  public Deadlines {
    urgent = Map.copyOf(urgent);
    normal = Map.copyOf(normal);
  }

  /** The documented defaults (docs/incidents.md). */
  public static Deadlines defaults() {
    Map<IncidentState, Duration> u = new EnumMap<>(IncidentState.class);
    u.put(IncidentState.REPORTED, Duration.ofMinutes(2));
    u.put(IncidentState.DISPATCHED, Duration.ofMinutes(5));
    u.put(IncidentState.ESCALATED, Duration.ofMinutes(10));
    u.put(IncidentState.ACCEPTED, Duration.ofMinutes(30));
    u.put(IncidentState.ON_SITE, Duration.ofHours(4));
    u.put(IncidentState.RESOLVED, Duration.ofHours(24));
    u.put(IncidentState.VERIFIED, Duration.ofHours(24));
    Map<IncidentState, Duration> n = new EnumMap<>(IncidentState.class);
    n.put(IncidentState.REPORTED, Duration.ofHours(2));
    n.put(IncidentState.DISPATCHED, Duration.ofHours(4));
    n.put(IncidentState.ESCALATED, Duration.ofHours(8));
    n.put(IncidentState.ACCEPTED, Duration.ofHours(24));
    n.put(IncidentState.ON_SITE, Duration.ofHours(72));
    n.put(IncidentState.RESOLVED, Duration.ofHours(72));
    n.put(IncidentState.VERIFIED, Duration.ofHours(72));
    return new Deadlines(u, n);
  }

  /** Every limit scaled to {@code limit} (tests: a loop that goes overdue in a second). */
  public static Deadlines all(Duration limit) {
    Map<IncidentState, Duration> m = new EnumMap<>(IncidentState.class);
    for (IncidentState s : IncidentState.values()) {
      if (!s.terminal()) {
        m.put(s, limit);
      }
    }
    return new Deadlines(m, m);
  }

  /** When the step after entering {@code state} at {@code at} is due, or null (terminal). */
  public Long dueAt(IncidentState state, boolean urgentIncident, long at) {
    Duration d = (urgentIncident ? urgent : normal).get(state);
    return d == null ? null : at + d.toMillis();
  }

  /** The limit of a state, for messages. */
  public Duration limit(IncidentState state, boolean urgentIncident) {
    return (urgentIncident ? urgent : normal).get(state);
  }
}
