package io.gridmap.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.server.security.AuditLog;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.RouteModule;
import io.gridmap.server.web.Routes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Predicate;

/** {@code /admin/audit}: the audit log, newest first, for admins (the access policy says who). */
public final class AdminRoutes implements RouteModule {
  private static final int MAX_LIMIT = 10_000;

  private final AuditLog audit;

  public AdminRoutes(AuditLog audit) {
    this.audit = audit;
  }

  @Override
  public void mount(Routes router) {
    router.get("/admin/audit").setName("/admin/audit").handler(this::audit);
  }

  private void audit(RoutingContext ctx) {
    String actor = ctx.queryParams().get("actor");
    String action = ctx.queryParams().get("action");
    String since = ctx.queryParams().get("since");
    String rawLimit = ctx.queryParams().get("limit");
    int limit = 100;
    if (rawLimit != null) {
      try {
        limit = Integer.parseInt(rawLimit);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        ctx.fail(
            ApiException.badRequest(
                "limit must be an integer in 1.." + MAX_LIMIT + ", got '" + rawLimit + "'"));
        return;
      }
    }
    if (since != null && !since.matches("\\d{4}-\\d{2}-\\d{2}(T.*)?")) {
      ctx.fail(
          ApiException.badRequest(
              "since must be an ISO-8601 date or instant such as 2026-11-24T08:00:00Z, got '"
                  + since
                  + "'"));
      return;
    }
    Predicate<JsonNode> filter =
        n ->
            (actor == null || actor.equals(n.path("actor").asText()))
                && (action == null || action.equals(n.path("action").asText()))
                && (since == null || n.path("time").asText().compareTo(since) >= 0);
    int max = limit;
    ctx.vertx()
        .<List<JsonNode>>executeBlocking(() -> audit.query(filter, max), false)
        .onSuccess(
            entries -> {
              JsonArray out = new JsonArray();
              entries.forEach(e -> out.add(new JsonObject(e.toString())));
              ctx.response()
                  .putHeader("Content-Type", "application/json")
                  .putHeader("Cache-Control", "no-store")
                  .end(
                      new JsonObject()
                          .put("entries", out)
                          .put("numberReturned", out.size())
                          .encode());
            })
        .onFailure(ctx::fail);
  }
}
