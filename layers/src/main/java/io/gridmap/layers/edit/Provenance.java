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
 */
public record Provenance(String actor, String role, String action, Instant time) {
  public Provenance {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(time, "time");
  }
}
