package io.gridmap.server.incidents;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.layers.edit.FeatureVersion;
import io.gridmap.layers.model.Department;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.IncidentState;
import io.gridmap.server.content.Content;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.Role;
import io.gridmap.server.security.SecurityHandler;
import io.gridmap.server.security.Visibility;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.ApiPaths;
import io.gridmap.server.web.BaseUrl;
import io.gridmap.server.web.GeoJsonReader;
import io.gridmap.server.web.OpenApiDoc;
import io.gridmap.server.web.Params;
import io.gridmap.server.web.RouteModule;
import io.gridmap.server.web.Routes;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The incident endpoints (docs/incidents.md):
 *
 * <ul>
 *   <li>{@code POST /collections/events/items}: report one (a GeoJSON Feature); 201 with the
 *       incident, where it was routed and who was sent, {@code Location} and {@code ETag}. A retry
 *       with the same {@code Idempotency-Key} answers 200 with the first and writes nothing.
 *   <li>{@code POST /collections/events/items/{id}/transitions}: move it along the loop ({@code
 *       {"action": "dispatch", "note": ...}}), with {@code If-Match} its ETag; 200 with the new
 *       version and ETag, 412 when someone moved it first.
 *   <li>{@code GET /collections/events/items/{id}/transitions}: its history, who did what when.
 *   <li>{@code GET /incidents/panel}: the command centre's list, pinned and overdue first, key
 *       people first for staff.
 * </ul>
 */
public final class IncidentRoutes implements RouteModule {
  static final String ITEMS = "/collections/events/items";
  static final String PANEL = "/incidents/panel";
  static final long MAX_BODY = 64 * 1024;

  private final Incidents incidents;
  private final String publicUrl;

  /**
   * @param publicUrl the configured public URL for links, or empty to take it from the request
   */
  public IncidentRoutes(Incidents incidents, String publicUrl) {
    this.incidents = incidents;
    this.publicUrl = publicUrl;
  }

  @Override
  public void mount(Routes router) {
    // two routes each: Vert.x wants a route's body handler before its own handlers
    router.post(ITEMS).setName(ITEMS).handler(IncidentRoutes::jsonBody);
    router
        .post(ITEMS)
        .setName(ITEMS)
        .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY))
        .handler(this::report);
    String transitions = ITEMS + "/:featureId/transitions";
    router.post(transitions).setName(ITEMS + "/{id}/transitions").handler(IncidentRoutes::jsonBody);
    router
        .post(transitions)
        .setName(ITEMS + "/{id}/transitions")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY))
        .handler(this::transition);
    router
        .get(ITEMS + "/:featureId/transitions")
        .setName(ITEMS + "/{id}/transitions")
        .handler(this::history);
    router.get(PANEL).setName(PANEL).handler(this::panel);
  }

  /** 415 before the body is read when it is not JSON. */
  static void jsonBody(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    String media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!media.equals("application/json") && !media.equals("application/geo+json")) {
      ctx.fail(
          new ApiException(
              415,
              "Unsupported Media Type",
              "header Content-Type="
                  + Params.quote(String.valueOf(type))
                  + " is not accepted; expected application/geo+json or application/json"));
      return;
    }
    ctx.next();
  }

  private static boolean staff(Principal who) {
    return who.role().visibility() == Visibility.STAFF;
  }

  private static byte[] body(RoutingContext ctx) {
    Buffer b = ctx.body() == null ? null : ctx.body().buffer();
    return b == null ? new byte[0] : b.getBytes();
  }

  private void report(RoutingContext ctx) {
    Principal who = SecurityHandler.principal(ctx);
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key != null && !key.matches("[\\x21-\\x7e]{1,128}")) {
      throw Params.bad(
          "Idempotency-Key", key, "1 to 128 visible ASCII characters, e.g. a UUID (header)");
    }
    String source = who.role() == Role.GRID_WORKER ? "worker" : "system";
    Report r =
        ReportReader.read(
            body(ctx),
            GeoJsonReader.datum(ctx.request().getHeader("Content-Crs")),
            incidents.now(),
            source,
            key == null ? null : who.subject() + "|" + key);
    String baseUrl = BaseUrl.of(ctx, publicUrl);
    Future.fromCompletionStage(incidents.report(who, r), ctx.vertx().getOrCreateContext())
        .onSuccess(
            done -> {
              Feature f = done.incident();
              ctx.response()
                  .setStatusCode(done.created() ? 201 : 200)
                  .putHeader("Content-Type", "application/geo+json")
                  .putHeader("Cache-Control", "no-store")
                  .putHeader("Location", baseUrl + ITEMS + "/" + f.id())
                  .putHeader("ETag", Incidents.etag(f))
                  .end(
                      Buffer.buffer(
                          IncidentJson.feature(f, done.placement(), staff(who), baseUrl)));
            })
        .onFailure(ctx::fail);
  }

  private static long id(RoutingContext ctx) {
    String fid = ctx.pathParam("featureId");
    if (fid == null || !fid.matches("[0-9]{1,16}")) {
      throw ApiException.notFound(
          "incident "
              + Params.quote(String.valueOf(fid))
              + " does not exist in /collections/events; ids are integers");
    }
    return Long.parseLong(fid);
  }

  private void transition(RoutingContext ctx) {
    Principal who = SecurityHandler.principal(ctx);
    long id = id(ctx);
    String form =
        "{\"action\": one of "
            + Action.codes()
            + ", \"note\": text, \"department\": for escalate, \"assignee_id\": for dispatch}";
    JsonNode b = GeoJsonReader.object(body(ctx), form);
    b.fieldNames()
        .forEachRemaining(
            n -> {
              if (!Set.of("action", "note", "department", "assignee_id").contains(n)) {
                throw GeoJsonReader.bad(n, b.get(n), "is not a member of a transition", form);
              }
            });
    JsonNode a = b.get("action");
    Action action =
        a != null && a.isTextual()
            ? Action.ofCode(a.asText())
                .orElseThrow(() -> GeoJsonReader.invalid("action", a, "one of " + Action.codes()))
            : null;
    if (action == null) {
      throw GeoJsonReader.invalid("action", a, "one of " + Action.codes());
    }
    JsonNode n = b.get("note");
    if (n != null && !n.isNull() && (!n.isTextual() || n.asText().length() > 2000)) {
      throw GeoJsonReader.invalid("note", n, "a string of at most 2000 characters");
    }
    JsonNode d = b.get("department");
    Department department = null;
    if (d != null && !d.isNull()) {
      department = d.isTextual() ? Department.ofCode(d.asText()).orElse(null) : null;
      if (department == null) {
        throw GeoJsonReader.invalid(
            "department",
            d,
            "one of "
                + java.util.Arrays.stream(Department.values()).map(Department::code).toList());
      }
    }
    JsonNode as = b.get("assignee_id");
    Long assignee =
        as == null || as.isNull()
            ? null
            : GeoJsonReader.positiveId(as, "assignee_id", "a force id");
    String note = n == null || n.isNull() ? null : n.asText().strip();
    Incidents.Transition t =
        new Incidents.Transition(
            action, note, department, assignee, ctx.request().getHeader("If-Match"));
    String baseUrl = BaseUrl.of(ctx, publicUrl);
    Future.fromCompletionStage(incidents.transition(who, id, t), ctx.vertx().getOrCreateContext())
        .onSuccess(
            written -> {
              Feature f = written.change().after().get(0);
              ctx.response()
                  .putHeader("Content-Type", "application/geo+json")
                  .putHeader("Cache-Control", "no-store")
                  .putHeader("ETag", Incidents.etag(f))
                  .end(Buffer.buffer(IncidentJson.feature(f, null, staff(who), baseUrl)));
            })
        .onFailure(ctx::fail);
  }

  private void history(RoutingContext ctx) {
    Principal who = SecurityHandler.principal(ctx);
    long id = id(ctx);
    Feature now = incidents.find(id);
    if (now == null || (now.personal() && !staff(who))) {
      throw ApiException.notFound("incident " + id + " does not exist in /collections/events");
    }
    Content c = incidents.content();
    ctx.vertx()
        .executeBlocking(
            () -> c.store().map(s -> s.history(Incidents.DEF.name(), id)).orElse(List.of()), false)
        .onSuccess(
            versions -> {
              JsonArray steps = new JsonArray();
              int status = Incidents.DEF.fieldIndex("status");
              int note = Incidents.DEF.fieldIndex("note");
              for (FeatureVersion v : versions) {
                JsonObject one =
                    new JsonObject()
                        .put("version", v.version())
                        .put("status", v.feature().value(status));
                if (v.provenance() != null) {
                  String action = v.provenance().action();
                  one.put(
                      "action",
                      action != null && action.startsWith("incident.")
                          ? action.substring("incident.".length())
                          : action);
                  one.put("at", v.provenance().time().toString());
                  if (staff(who)) {
                    one.put("actor", v.provenance().actor());
                    one.put("role", v.provenance().role());
                    one.put("note", v.feature().value(note));
                  }
                }
                steps.add(one);
              }
              ctx.response()
                  .putHeader("Content-Type", "application/json")
                  .putHeader("Cache-Control", staff(who) ? "private, no-store" : "no-store")
                  .putHeader("Vary", Visibility.VARY)
                  .end(
                      new JsonObject()
                          .put("id", id)
                          .put("status", now.value(status))
                          .put("transitions", steps)
                          .encode());
            })
        .onFailure(ctx::fail);
  }

  /** Non-terminal incidents of a unit, in the order a command centre's screen lists them. */
  private void panel(RoutingContext ctx) {
    Principal who = SecurityHandler.principal(ctx);
    var q = ctx.queryParams();
    for (String n : q.names()) {
      if (!Set.of("unit", "limit").contains(n)) {
        throw Params.bad(n, q.get(n), "only the parameters unit and limit");
      }
    }
    String unit = Params.single(q, "unit");
    if (unit == null) {
      unit = who.scope();
    }
    if (!unit.matches("|\\d{6}|\\d{9}|\\d{12}|\\d{15}")) {
      throw Params.bad(
          "unit",
          unit,
          "an admin code: a district (6 digits), street (9), village (12) or grid (15)");
    }
    int limit = Params.integer(q, "limit", 100, 1, 1000, "an integer from 1 to 1000");
    boolean staff = staff(who);
    String u = unit;
    // a scan of the year's incidents (a million at the seed's volumes): off the event loop
    ctx.vertx()
        .executeBlocking(() -> panel(who, u, limit, staff), false)
        .onSuccess(
            doc ->
                ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "private, no-store")
                    .putHeader("Vary", Visibility.VARY)
                    .end(doc.encode()))
        .onFailure(ctx::fail);
  }

  private JsonObject panel(Principal who, String u, int limit, boolean staff) {
    List<Feature> open = new ArrayList<>();
    var def = Incidents.DEF;
    int status = def.fieldIndex("status");
    int grid = def.fieldIndex("grid_code");
    for (Feature f : incidents.content().index().layer(def.name()).features()) {
      if ((f.personal() && !staff)
          || IncidentState.ofCode((String) f.value(status))
              .map(IncidentState::terminal)
              .orElse(true)
          || !((String) f.value(grid)).startsWith(u)) {
        continue;
      }
      open.add(f);
    }
    int pinned = def.fieldIndex("pinned");
    int overdue = def.fieldIndex("overdue");
    int urgency = def.fieldIndex("urgency");
    int reported = def.fieldIndex("reported_at");
    Comparator<Feature> order =
        Comparator.<Feature>comparingInt(f -> Boolean.TRUE.equals(f.value(pinned)) ? 0 : 1)
            .thenComparingInt(f -> Boolean.TRUE.equals(f.value(overdue)) ? 0 : 1)
            .thenComparingInt(f -> staff && f.personal() ? 0 : 1)
            .thenComparingInt(f -> "urgent".equals(f.value(urgency)) ? 0 : 1)
            .thenComparingLong(f -> f.longValue(reported))
            .thenComparingLong(Feature::id);
    open.sort(order);
    JsonArray items = new JsonArray();
    int acked = def.fieldIndex("acked_by");
    for (Feature f : open.subList(0, Math.min(limit, open.size()))) {
      JsonObject o =
          new JsonObject()
              .put("id", f.id())
              .put("category", f.value(def.fieldIndex("category")))
              .put("urgency", f.value(urgency))
              .put("status", f.value(status))
              .put("pinned", f.value(pinned))
              .put("overdue", f.value(overdue))
              .put("grid_code", f.value(grid))
              .put("reported_at", Instant.ofEpochMilli(f.longValue(reported)).toString())
              .put("etag", Incidents.etag(f))
              .put(
                  "coordinates",
                  new JsonArray()
                      .add(f.geometry().getCoordinate().x)
                      .add(f.geometry().getCoordinate().y));
      Object due = f.value(def.fieldIndex("due_at"));
      if (due instanceof Long d) {
        o.put("due_at", Instant.ofEpochMilli(d).toString());
      }
      if (staff) {
        o.put("key_person", f.personal());
        String by = (String) f.value(acked);
        o.put("acknowledged", by != null && List.of(by.split(" ")).contains(who.subject()));
        o.put("description", f.value(def.fieldIndex("description")));
      }
      items.add(o);
    }
    return new JsonObject().put("unit", u).put("open", open.size()).put("items", items);
  }

  @Override
  public void describe(ApiPaths api) {
    JsonObject paths = api.paths();
    JsonObject created =
        OpenApiDoc.geojson(
            "the incident as written, with routing: its grid chain, the assignee, the command centre and the responders sent");
    OpenApiDoc.problems(
        created,
        List.of(
            new String[][] {
              {"400", "a malformed report, naming the member; or a Content-Crs we do not convert"},
              {"401", "no credentials"},
              {"403", "a role that may not report, or a place outside the caller's scope"},
              {"415", "a Content-Type other than application/geo+json or application/json"},
              {"422", "a place in no grid of the city, or a site_id that is no key site"}
            }));
    JsonObject report =
        OpenApiDoc.operation(
                "report an incident",
                "A GeoJSON Feature with a Point (WGS84, or GCJ-02/BD-09 with a Content-Crs header) and properties category, urgency, description, reporter, time, photos, site_id. "
                    + "Located to its grid, assigned to the grid's worker and the street's command centre; an urgent one gets the nearest on-duty responders of its category's roles. "
                    + "A retry with the same Idempotency-Key answers 200 with the first report.",
                List.of(),
                created)
            .put(
                "requestBody",
                new JsonObject()
                    .put("required", true)
                    .put(
                        "content",
                        new JsonObject()
                            .put(
                                "application/geo+json",
                                new JsonObject()
                                    .put("schema", new JsonObject().put("type", "object")))));
    paths.put(ITEMS, paths.getJsonObject(ITEMS, new JsonObject()).put("post", report));
    JsonObject moved = OpenApiDoc.geojson("the incident's new version; ETag header");
    OpenApiDoc.problems(
        moved,
        List.of(
            new String[][] {
              {"400", "a malformed transition, naming the member"},
              {"403", "the caller may not take this action on this incident"},
              {"404", "no such incident"},
              {
                "409",
                "the action does not apply in the incident's state; the message lists those that do"
              },
              {"412", "If-Match is not the incident's current ETag: someone moved it first"}
            }));
    JsonObject transitions =
        new JsonObject()
            .put(
                "post",
                OpenApiDoc.operation(
                        "move an incident along the loop",
                        "Body {action, note, department, assignee_id}; actions: "
                            + Action.codes()
                            + ". Send If-Match with the ETag you last saw.",
                        List.of(OpenApiDoc.path("id", new JsonObject().put("type", "integer"))),
                        moved)
                    .put(
                        "requestBody",
                        new JsonObject()
                            .put("required", true)
                            .put(
                                "content",
                                new JsonObject()
                                    .put(
                                        "application/json",
                                        new JsonObject()
                                            .put(
                                                "schema",
                                                new JsonObject().put("type", "object"))))))
            .put(
                "get",
                OpenApiDoc.operation(
                    "an incident's transitions",
                    "Every version: state, action, time; for staff also who and their note.",
                    List.of(OpenApiDoc.path("id", new JsonObject().put("type", "integer"))),
                    OpenApiDoc.json("the transitions, oldest first")));
    paths.put(ITEMS + "/{id}/transitions", transitions);
    paths.put(
        PANEL,
        OpenApiDoc.get(
            "the command centre's list",
            "Open incidents of a unit (default: the caller's scope): pinned first, then overdue, then (for staff) key people, then urgent, oldest first.",
            List.of(
                OpenApiDoc.query("unit", "an admin code", new JsonObject().put("type", "string")),
                OpenApiDoc.query(
                    "limit", "1 to 1000 (default 100)", new JsonObject().put("type", "integer"))),
            OpenApiDoc.json("the list")));
  }
}
