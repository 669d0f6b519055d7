package io.gridmap.layers.edit;

import java.time.Instant;
import java.util.Objects;

/**
 * Who made a change and why, as the store's history keeps it beside every replaced version.
 *
 * @param actor who (a token subject or an API key name)
 * @param role their role's code
 * @param action what kind of write ("grid.update", "positions", ...)
 * @param time when the change was accepted
 * @param reason why, in the editor's words (a re-zoning decision, a correction), or null
 */
public record Provenance(String actor, String role, String action, Instant time, String reason) {
  public Provenance {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(time, "time");
  }

  /** A change made without a reason given. */
  public Provenance(String actor, String role, String action, Instant time) {
    this(actor, role, action, time, null);
  }
}
