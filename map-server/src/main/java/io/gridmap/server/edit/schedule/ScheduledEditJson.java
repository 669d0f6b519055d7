package io.gridmap.server.edit.schedule;

import io.gridmap.layers.schedule.ScheduledEdit;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A scheduled edit as the API shows it (the body it replays is left out: it may be megabytes). */
final class ScheduledEditJson {
  private ScheduledEditJson() {}

  static JsonObject of(ScheduledEdit e, String base) {
    JsonObject o =
        new JsonObject()
            .put("id", e.id())
            .put("effective", e.effective().toString())
            .put("method", e.method())
            .put("path", e.path())
            .put("query", e.query())
            .put(
                "who",
                new JsonObject()
                    .put("subject", e.subject())
                    .put("role", e.role())
                    .put("scope", e.scope()))
            .put("status", e.status())
            .put("created", e.created().toString());
    if (e.ifMatch() != null) {
      o.put("ifMatch", e.ifMatch());
    }
    if (e.summary() != null) {
      o.put("dryRun", json(e.summary()));
    }
    switch (e.status()) {
      case ScheduledEdit.APPLIED -> {
        o.put("seq", e.seq());
        o.put("applied", e.done() == null ? null : e.done().toString());
      }
      case ScheduledEdit.FAILED -> o.put("failed", e.done() == null ? null : e.done().toString());
      case ScheduledEdit.CANCELLED -> {
        o.put("cancelled", e.done() == null ? null : e.done().toString());
        o.put("cancelledBy", e.doneBy());
      }
      case ScheduledEdit.INTERRUPTED ->
          o.put("interrupted", e.done() == null ? null : e.done().toString());
      case ScheduledEdit.APPLYING ->
          o.put("claimed", e.done() == null ? null : e.done().toString());
      default -> {}
    }
    if (e.outcome() != null) {
      o.put("outcome", json(e.outcome()));
    }
    o.put(
        "links",
        new JsonArray()
            .add(
                new JsonObject()
                    .put("rel", "self")
                    .put("type", "application/json")
                    .put("href", base + ScheduledEditRoutes.PATH + "/" + e.id())));
    return o;
  }

  private static Object json(String s) {
    try {
      return new JsonObject(s);
    } catch (DecodeException | ClassCastException e) {
      return s;
    }
  }
}
