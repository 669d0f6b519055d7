package io.gridmap.server.edit.schedule;

import io.gridmap.layers.schedule.ScheduledEdit;
import io.gridmap.layers.schedule.ScheduledEdits;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.ScheduledCallers;
import io.gridmap.server.security.SecurityHandler;
import io.gridmap.server.web.ApiException;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * The edit side of {@code ?effective=}: an edit that passed its dry run is stored as a scheduled
 * edit and answered 202 ({@link #schedule}); its replay at the instant reports the change-log
 * position it wrote ({@link #written}). Called by the edit handlers' common runner, so every edit
 * (those added later too) can be scheduled.
 */
public final class Scheduling {
  /** The header a replay's answer carries the change-log position of its change in. */
  public static final String SEQ_HEADER = "Gridmap-Edit-Seq";

  /** The header of a dry run with {@code effective}: the instant it would be scheduled for. */
  public static final String EFFECTIVE_HEADER = "Effective";

  private Scheduling() {}

  /** The request's {@code effective}, or null; a 400 for a bad one (see {@link Effective}). */
  public static Instant effective(RoutingContext ctx) {
    return Effective.of(ctx, Instant.now());
  }

  /**
   * Stores the request as an edit applied at {@code effective} and answers 202 with it; called once
   * its dry run has passed every rule.
   *
   * @param dryRunAnswer the body the dry run answered (summarised in the scheduled edit)
   */
  public static void schedule(
      RoutingContext ctx,
      WorkerExecutor workers,
      Optional<FeatureStore> store,
      Instant effective,
      byte[] dryRunAnswer,
      String base) {
    Optional<ScheduledEdits> edits = store.flatMap(FeatureStore::scheduledEdits);
    if (edits.isEmpty()) {
      ctx.fail(
          new ApiException(
              501,
              "Not Implemented",
              "this server keeps no store for scheduled edits (it serves a dataset from memory);"
                  + " send the edit without "
                  + Effective.PARAM));
      return;
    }
    Principal who = SecurityHandler.principal(ctx);
    byte[] body =
        ctx.body() == null || ctx.body().buffer() == null ? null : ctx.body().buffer().getBytes();
    ScheduledEdit edit =
        ScheduledEdit.of(
            effective,
            ctx.request().method().name(),
            ctx.request().path(),
            withoutEffective(ctx.request().query()),
            ctx.request().getHeader("Content-Type"),
            ctx.request().getHeader("If-Match"),
            body,
            who.subject(),
            who.role().code(),
            who.scope(),
            Instant.now(),
            summary(dryRunAnswer).encode());
    workers
        .executeBlocking(
            () -> {
              long id = edits.get().add(edit);
              return edits.get().find(id).orElseThrow();
            },
            false)
        .onSuccess(
            stored ->
                ctx.response()
                    .setStatusCode(202)
                    .putHeader("Location", ScheduledEditRoutes.PATH + "/" + stored.id())
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "no-store")
                    .end(ScheduledEditJson.of(stored, base).encode()))
        .onFailure(ctx::fail);
  }

  /** On a replay's answer, the change-log position its change was written at. */
  public static void written(RoutingContext ctx, long seq) {
    if (ScheduledCallers.VIA.equals(SecurityHandler.principal(ctx).via())) {
      ctx.response().putHeader(SEQ_HEADER, Long.toString(seq));
    }
  }

  /** The query string without {@code effective} (the replay is the edit at once), or empty. */
  static String withoutEffective(String query) {
    if (query == null || query.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (String part : query.split("&")) {
      int eq = part.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
      if (name.equals(Effective.PARAM) || part.isEmpty()) {
        continue;
      }
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(part);
    }
    return out.toString();
  }

  /**
   * What the dry run answered, in short: the features it would leave (ids) and, for a redraw, those
   * whose outline would change.
   */
  static JsonObject summary(byte[] answer) {
    JsonObject out = new JsonObject().put("status", 200);
    JsonArray ids = new JsonArray();
    try {
      JsonObject doc = new JsonObject(io.vertx.core.buffer.Buffer.buffer(answer));
      if ("Feature".equals(doc.getString("type"))) {
        ids.add(doc.getValue("id"));
      } else if (doc.getJsonArray("features") != null) {
        for (Object f : doc.getJsonArray("features")) {
          if (f instanceof JsonObject feature) {
            ids.add(feature.getValue("id"));
          }
        }
      }
      out.put("features", ids);
      if (doc.getJsonArray("redrawn") != null) {
        out.put("redrawn", doc.getJsonArray("redrawn"));
      }
    } catch (DecodeException | ClassCastException e) {
      out.put("features", ids);
    }
    return out;
  }
}
