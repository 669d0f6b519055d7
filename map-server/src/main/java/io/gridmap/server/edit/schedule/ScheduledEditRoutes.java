package io.gridmap.server.edit.schedule;

import io.gridmap.layers.schedule.ScheduledEdit;
import io.gridmap.layers.schedule.ScheduledEdits;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.server.content.Content;
import io.gridmap.server.security.AccessPolicy;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.Role;
import io.gridmap.server.security.SecurityHandler;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.ApiPaths;
import io.gridmap.server.web.BaseUrl;
import io.gridmap.server.web.JsonResponse;
import io.gridmap.server.web.Loaded;
import io.gridmap.server.web.OpenApiDoc;
import io.gridmap.server.web.Params;
import io.gridmap.server.web.RouteModule;
import io.gridmap.server.web.Routes;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /edits/scheduled} (the edits scheduled with {@code ?effective=}, newest first, by
 * status), {@code GET /edits/scheduled/{id}} (one, and what became of it) and {@code DELETE
 * /edits/scheduled/{id}} (cancel one still scheduled: its author or an admin). Planners and admins
 * ({@link AccessPolicy}). Also describes {@code effective} on every edit that takes {@code dryRun}.
 * See docs/editing.md.
 */
public final class ScheduledEditRoutes implements RouteModule {
  /** Where scheduled edits are. */
  public static final String PATH = "/edits/scheduled";

  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1000;

  private final Loaded<Content> content;
  private final WorkerExecutor workers;
  private final String publicUrl;

  /**
   * @param workers where the store is read and written
   * @param publicUrl the configured public URL, or null to take links from the request
   */
  public ScheduledEditRoutes(Loaded<Content> content, WorkerExecutor workers, String publicUrl) {
    this.content = content;
    this.workers = workers;
    this.publicUrl = publicUrl;
  }

  @Override
  public void mount(Routes routes) {
    routes.get(PATH).setName(PATH).handler(this::list);
    routes.get(PATH + "/:id").setName(PATH + "/{id}").handler(this::one);
    routes.delete(PATH + "/:id").setName(PATH + "/{id} (cancel)").handler(this::cancel);
  }

  private ScheduledEdits edits() {
    return content
        .get()
        .store()
        .flatMap(FeatureStore::scheduledEdits)
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "this server keeps no store, so no edit is scheduled (it serves a dataset from"
                        + " memory)"));
  }

  private void list(RoutingContext ctx) {
    String status = Params.single(ctx.queryParams(), "status");
    if (status != null && !ScheduledEdit.STATUSES.contains(status)) {
      throw Params.bad("status", status, "one of " + String.join(", ", ScheduledEdit.STATUSES));
    }
    int limit =
        Params.integer(
            ctx.queryParams(), "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, "1 to " + MAX_LIMIT);
    int before =
        Params.integer(
            ctx.queryParams(), "before", 0, 0, Integer.MAX_VALUE, "an id of a scheduled edit");
    ScheduledEdits edits = edits();
    String base = BaseUrl.of(ctx, publicUrl);
    workers
        .executeBlocking(() -> edits.list(status, before, limit), false)
        .onSuccess(
            all -> {
              JsonArray out = new JsonArray();
              all.forEach(e -> out.add(ScheduledEditJson.of(e, base)));
              JsonObject doc =
                  new JsonObject().put("scheduledEdits", out).put("numberReturned", all.size());
              if (all.size() == limit) {
                doc.put(
                    "links",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("rel", "next")
                                .put(
                                    "href",
                                    base
                                        + PATH
                                        + "?limit="
                                        + limit
                                        + "&before="
                                        + all.get(all.size() - 1).id()
                                        + (status == null ? "" : "&status=" + status))));
              }
              JsonResponse.send(ctx, doc, "no-store");
            })
        .onFailure(ctx::fail);
  }

  private static long id(RoutingContext ctx) {
    String raw = ctx.pathParam("id");
    try {
      long id = Long.parseLong(raw);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // a 404 below
    }
    throw ApiException.notFound("no scheduled edit " + Params.quote(raw) + "; ids are from 1");
  }

  private static ApiException none(long id) {
    return ApiException.notFound("no scheduled edit " + id + "; GET " + PATH + " lists them");
  }

  private void one(RoutingContext ctx) {
    long id = id(ctx);
    ScheduledEdits edits = edits();
    String base = BaseUrl.of(ctx, publicUrl);
    workers
        .executeBlocking(() -> edits.find(id).orElseThrow(() -> none(id)), false)
        .onSuccess(e -> JsonResponse.send(ctx, ScheduledEditJson.of(e, base), "no-store"))
        .onFailure(ctx::fail);
  }

  private void cancel(RoutingContext ctx) {
    long id = id(ctx);
    Principal who = SecurityHandler.principal(ctx);
    ScheduledEdits edits = edits();
    String base = BaseUrl.of(ctx, publicUrl);
    workers
        .executeBlocking(
            () -> {
              ScheduledEdit e = edits.find(id).orElseThrow(() -> none(id));
              if (who.role() != Role.ADMIN && !who.subject().equals(e.subject())) {
                throw new ApiException(
                    403,
                    "Forbidden",
                    "scheduled edit "
                        + id
                        + " is "
                        + e.subject()
                        + "'s; "
                        + AccessPolicy.CANCEL_RULE
                        + "; nothing was cancelled");
              }
              if (!edits.cancel(id, who.subject(), Instant.now())) {
                ScheduledEdit now = edits.find(id).orElseThrow(() -> none(id));
                throw new ApiException(
                    409,
                    "Conflict",
                    "scheduled edit "
                        + id
                        + " is "
                        + now.status()
                        + ", no longer scheduled: only a scheduled edit can be cancelled");
              }
              return edits.find(id).orElseThrow(() -> none(id));
            },
            false)
        .onSuccess(e -> JsonResponse.send(ctx, ScheduledEditJson.of(e, base), "no-store"))
        .onFailure(ctx::fail);
  }

  @Override
  public void describe(ApiPaths api) {
    JsonObject paths = api.paths();
    JsonObject id =
        OpenApiDoc.path("id", new JsonObject().put("type", "integer").put("minimum", 1));
    List<String[]> common =
        List.of(
            new String[] {"401", "no credentials"}, new String[] {"403", "not a planner or admin"});
    paths.put(
        PATH,
        OpenApiDoc.get(
            "list scheduled edits",
            "Edits sent with ?effective= and stored to be applied at that instant, newest first:"
                + " who sent them, their dry run's result and, once their instant passed, what"
                + " became of them (applied with the change-log position seq, or failed with the"
                + " problem the edit met). Planners and admins; see docs/editing.md.",
            List.of(
                OpenApiDoc.query(
                    "status",
                    "only edits in this status",
                    new JsonObject()
                        .put("type", "string")
                        .put("enum", new JsonArray(ScheduledEdit.STATUSES))),
                OpenApiDoc.query(
                    "limit",
                    "at most this many",
                    new JsonObject()
                        .put("type", "integer")
                        .put("minimum", 1)
                        .put("maximum", MAX_LIMIT)
                        .put("default", DEFAULT_LIMIT)),
                OpenApiDoc.query(
                    "before",
                    "only edits with smaller ids (the next page: the link rel=next)",
                    new JsonObject().put("type", "integer").put("minimum", 0))),
            OpenApiDoc.problems(
                OpenApiDoc.json("the scheduled edits as scheduledEdits, and numberReturned"),
                List.of(
                    new String[] {"400", "a status or limit of the wrong form"},
                    common.get(0),
                    common.get(1)))));
    JsonObject item =
        OpenApiDoc.get(
            "a scheduled edit",
            "One scheduled edit: effective, method, path, who, status (scheduled, applying,"
                + " applied, failed, cancelled, interrupted), dryRun, and seq or outcome once"
                + " applied or failed.",
            List.of(id),
            OpenApiDoc.problems(
                OpenApiDoc.json("the scheduled edit"),
                List.of(common.get(0), common.get(1), new String[] {"404", "no such edit"})));
    item.put(
        "delete",
        OpenApiDoc.operation(
            "cancel a scheduled edit",
            "Cancels an edit still scheduled: nothing is applied at its instant. "
                + AccessPolicy.CANCEL_RULE
                + ". 200 with the edit, status cancelled.",
            List.of(id),
            OpenApiDoc.problems(
                OpenApiDoc.json("the edit, now cancelled"),
                List.of(
                    common.get(0),
                    new String[] {"403", "not a planner or admin, or a planner not its author"},
                    new String[] {"404", "no such edit"},
                    new String[] {
                      "409",
                      "the edit is no longer scheduled (applying, applied, failed, cancelled)"
                    }))));
    paths.put(PATH + "/{id}", item);
    withEffective(paths);
  }

  /**
   * Every edit operation that takes {@code dryRun} takes {@code effective} too (the edits of other
   * modules included: they all run through one runner), with its 202.
   */
  private static void withEffective(JsonObject paths) {
    for (Map.Entry<String, Object> p : paths) {
      if (!(p.getValue() instanceof JsonObject item)) {
        continue;
      }
      for (String method : List.of("post", "put", "patch")) {
        JsonObject op = item.getJsonObject(method);
        if (op == null || !takesDryRun(op)) {
          continue;
        }
        op.getJsonArray("parameters")
            .add(
                OpenApiDoc.query(
                    Effective.PARAM,
                    "an RFC 3339 instant after now and at most a year ahead (e.g."
                        + " 2027-01-01T00:00:00+08:00): the edit is checked now as a dry run"
                        + " (a broken rule is its 4xx, and nothing is scheduled), then stored and"
                        + " answered 202 with Location "
                        + PATH
                        + "/{id}; at the instant it is applied as if sent then, by the same"
                        + " handler and rules, with the If-Match sent now (a grid changed in"
                        + " between: the scheduled edit fails with 412). With dryRun=true: the dry"
                        + " run's answer, header Effective, nothing stored. Now or past, or more"
                        + " than a year ahead: 400",
                    new JsonObject().put("type", "string").put("format", "date-time")));
        JsonObject responses = op.getJsonObject("responses");
        if (responses != null) {
          responses.put(
              "202",
              new JsonObject()
                  .put(
                      "description",
                      "with effective: checked and scheduled; the body is the scheduled edit")
                  .put(
                      "headers",
                      new JsonObject()
                          .put(
                              "Location",
                              new JsonObject()
                                  .put("description", "the scheduled edit, " + PATH + "/{id}")
                                  .put("schema", new JsonObject().put("type", "string"))))
                  .put(
                      "content",
                      new JsonObject()
                          .put(
                              "application/json",
                              new JsonObject()
                                  .put("schema", new JsonObject().put("type", "object")))));
        }
      }
    }
  }

  private static boolean takesDryRun(JsonObject op) {
    JsonArray params = op.getJsonArray("parameters");
    if (params == null) {
      return false;
    }
    for (Object p : params) {
      if (p instanceof JsonObject o && "dryRun".equals(o.getString("name"))) {
        return true;
      }
    }
    return false;
  }
}
