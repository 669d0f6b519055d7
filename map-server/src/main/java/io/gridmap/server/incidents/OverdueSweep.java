package io.gridmap.server.incidents;

import io.gridmap.server.content.Content;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code interval}, looks for open incidents whose next step is past due and has {@link
 * Incidents#markOverdue} write them overdue (pinned for their street's command centre). The look
 * runs on a worker thread and writes only when it found one, so a quiet city writes nothing; the
 * plan checks each again against the newest versions, so a transition that just came in wins. The
 * look asks {@link DueSteps}, kept by the writer's changes, instead of reading every incident.
 */
public final class OverdueSweep {
  private static final Logger LOG = LoggerFactory.getLogger(OverdueSweep.class);

  private final Incidents incidents;
  private final Vertx vertx;
  private final DueSteps due;
  private final long timer;
  private volatile boolean running;

  /** Starts looking; the content and its writer must be loaded. */
  public OverdueSweep(Incidents incidents, Vertx vertx, Duration interval) {
    this.incidents = incidents;
    this.vertx = vertx;
    // told of changes before it reads the layer: none falls between (see DueSteps)
    Content content = incidents.content();
    this.due = new DueSteps(content::index, w -> incidents.writer().onVisible(w));
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
              List<Long> ids = due.due(incidents.now());
              if (!ids.isEmpty()) {
                incidents.markOverdue(Incidents.SYSTEM, ids).join();
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

  public void close() {
    vertx.cancelTimer(timer);
  }
}
