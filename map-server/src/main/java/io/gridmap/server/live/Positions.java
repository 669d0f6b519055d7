package io.gridmap.server.live;

import io.gridmap.layers.model.Catalogue;
import io.gridmap.server.security.Principal;
import io.gridmap.server.write.Writer;
import java.util.concurrent.CompletableFuture;

/**
 * Positions written from outside HTTP (a force's tracker over MQTT): the same plan, rules and
 * writer as {@code POST /live/positions}.
 */
public final class Positions {
  private Positions() {}

  /**
   * What a batch became.
   *
   * @param accepted positions written
   * @param ignored positions left out (not newer than the force's)
   */
  public record Outcome(int accepted, int ignored) {}

  /**
   * Writes a batch as {@code who}; completes once readers see it, or fails with the plan's {@link
   * io.gridmap.server.web.ApiException} or the store's failure.
   */
  public static CompletableFuture<Outcome> write(
      Writer writer, Principal who, PositionBatch batch) {
    PositionPlan plan = new PositionPlan(who, batch, writer.latest());
    return writer
        .submit(new Writer.Write(who, "positions", Catalogue.FORCES.name(), plan))
        .thenApply(w -> new Outcome(w.change().replacements().size(), plan.ignored().size()));
  }
}
