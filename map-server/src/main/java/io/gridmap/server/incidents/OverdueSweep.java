package io.gridmap.server.incidents;

import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.IncidentState;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code interval}, looks for open incidents whose next step is past due and has {@link
 * Incidents#markOverdue} write them overdue (pinned for their street's command centre). The look
 * runs on a worker thread and writes only when it found one, so a quiet city writes nothing; the
 * plan checks each again against the newest versions, so a transition that just came in wins.
 */
public final class OverdueSweep {
  private static final Logger LOG = LoggerFactory.getLogger(OverdueSweep.class);

  private final Incidents incidents;
  private final Vertx vertx;
  private final long timer;
  private volatile boolean running;

  public OverdueSweep(Incidents incidents, Vertx vertx, Duration interval) {
    this.incidents = incidents;
    this.vertx = vertx;
    this.timer = vertx.setPeriodic(interval.toMillis(), id -> tick());
  }

  private void tick() {
    if (running) {
      return; // the last look is still going: never two at once
    }
    running = true;
    vertx
        .executeBlocking(
            () -> {
              if (anyDue()) {
                incidents.markOverdue(Incidents.SYSTEM).join();
              }
              return null;
            },
            false)
        .onComplete(
            r -> {
              running = false;
              if (r.failed()) {
                LOG.warn("overdue sweep failed: {}", r.cause().toString());
              }
            });
  }

  private boolean anyDue() {
    long now = incidents.now();
    var def = Incidents.DEF;
    int due = def.fieldIndex("due_at");
    int overdue = def.fieldIndex("overdue");
    int status = def.fieldIndex("status");
    for (Feature f : incidents.content().index().layer(def.name()).features()) {
      if (f.value(due) instanceof Long d
          && d <= now
          && !Boolean.TRUE.equals(f.value(overdue))
          && !IncidentState.ofCode((String) f.value(status))
              .map(IncidentState::terminal)
              .orElse(true)) {
        return true;
      }
    }
    return false;
  }

  public void close() {
    vertx.cancelTimer(timer);
  }
}
