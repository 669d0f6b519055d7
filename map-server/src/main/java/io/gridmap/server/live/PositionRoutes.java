package io.gridmap.server.live;

import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.server.content.Content;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.SecurityHandler;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.ApiPaths;
import io.gridmap.server.web.GeoJsonReader;
import io.gridmap.server.web.Loaded;
import io.gridmap.server.web.OpenApiDoc;
import io.gridmap.server.web.Params;
import io.gridmap.server.web.RouteModule;
import io.gridmap.server.web.Routes;
import io.gridmap.server.write.Writer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.locationtech.jts.geom.Envelope;

/**
 * {@code POST /live/positions}: grid workers' phones post their own position, a positions gateway
 * posts batches of many forces. The body is parsed and checked on a worker thread ({@link
 * PositionBatch}); the batch then goes to the one writer as a plan ({@link PositionPlan}) that
 * checks who may move which force against the current index, and the response is sent once the new
 * positions are in the store, the audit log, the index and the tiles. See docs/live.md.
 */
public final class PositionRoutes implements RouteModule {
  public static final String PATH = "/live/positions";
  static final List<String> MEDIA_TYPES = List.of("application/geo+json", "application/json");

  private final Loaded<Content> content;
  private final Loaded<Writer> writer;
  private final long maxBodyBytes;

  /**
   * @param maxBodyBytes the largest body accepted (the {@code max_body_kb} setting)
   */
  public PositionRoutes(Loaded<Content> content, Loaded<Writer> writer, long maxBodyBytes) {
    this.content = content;
    this.writer = writer;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void mount(Routes router) {
    PositionRoutes routes = this;
    // two routes: Vert.x wants a route's body handler before its own handlers
    router.post(PATH).setName(PATH).handler(routes::checkHeaders);
    router
        .post(PATH)
        .setName(PATH)
        .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
        .handler(routes::post);
  }

  /** Refuses what the headers already say is wrong, before the body is read. */
  private void checkHeaders(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    String media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!MEDIA_TYPES.contains(media)) {
      ctx.fail(
          new ApiException(
              415,
              "Unsupported Media Type",
              "header Content-Type="
                  + Params.quote(String.valueOf(type))
                  + " is not accepted; expected application/geo+json or application/json"));
      return;
    }
    String length = ctx.request().getHeader("Content-Length");
    long max = maxBodyBytes;
    if (length != null
        && length.strip().matches("[0-9]{1,18}")
        && Long.parseLong(length.strip()) > max) {
      ctx.fail(
          new ApiException(
              413,
              "Content Too Large",
              "the body has "
                  + length.strip()
                  + " bytes, more than max_body_kb="
                  + max / 1024
                  + " ("
                  + max
                  + " bytes) allows; send at most "
                  + PositionBatch.MAX_POSITIONS
                  + " positions per request, or fewer if they do not fit"));
      return;
    }
    ctx.next();
  }

  private void post(RoutingContext ctx) {
    Principal who = SecurityHandler.principal(ctx);
    Content content = this.content.get();
    Envelope bounds = cityBounds(content.index());
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    var datum = GeoJsonReader.datum(ctx.request().getHeader("Content-Crs"));
    ctx.vertx()
        .executeBlocking(
            () -> PositionBatch.parse(bytes, bounds, System.currentTimeMillis(), datum), false)
        .compose(batch -> write(ctx, who, batch))
        .onSuccess(
            doc ->
                ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "no-store")
                    .end(doc.encode()))
        .onFailure(ctx::fail);
  }

  private Future<JsonObject> write(RoutingContext ctx, Principal who, PositionBatch batch) {
    PositionPlan plan = new PositionPlan(who, batch, writer.get().latest());
    CompletableFuture<Writer.Written> done =
        writer.get().submit(new Writer.Write(who, "positions", Catalogue.FORCES.name(), plan));
    return Future.fromCompletionStage(done, ctx.vertx().getOrCreateContext())
        .map(written -> summary(written, plan));
  }

  private static JsonObject summary(Writer.Written written, PositionPlan plan) {
    JsonArray ignored = new JsonArray();
    for (PositionPlan.Ignored i : plan.ignored()) {
      ignored.add(
          new JsonObject()
              .put("feature", i.feature())
              .put("id", i.forceId())
              .put("time", Instant.ofEpochMilli(i.time()).toString())
              .put("reason", i.reason()));
    }
    return new JsonObject()
        .put("accepted", written.change().replacements().size())
        .put("ignored", ignored);
  }

  /**
   * Where positions may be: the bounding box of the districts (the city's outline, which no
   * position moves) with a margin. Not the index's own bounds: those grow with every point that
   * moves, and a chain of positions at the margin would walk them outwards.
   */
  static Envelope cityBounds(CityIndex index) {
    Envelope outline =
        index
            .findLayer(Catalogue.DISTRICTS.name())
            .map(LayerIndex::bounds)
            .filter(e -> !e.isNull())
            .orElse(index.lonLatBounds());
    Envelope e = new Envelope(outline);
    e.expandBy(PositionBatch.MARGIN_DEGREES);
    return e;
  }

  /** Adds {@code POST /live/positions} to the OpenAPI document. */
  @Override
  public void describe(ApiPaths api) {
    JsonObject paths = api.paths();
    JsonObject point =
        new JsonObject()
            .put("type", "object")
            .put("required", new JsonArray().add("type").add("coordinates"))
            .put(
                "properties",
                new JsonObject()
                    .put(
                        "type",
                        new JsonObject()
                            .put("type", "string")
                            .put("enum", new JsonArray().add("Point")))
                    .put(
                        "coordinates",
                        new JsonObject()
                            .put("type", "array")
                            .put("minItems", 2)
                            .put("maxItems", 3)
                            .put("items", new JsonObject().put("type", "number"))));
    JsonObject feature =
        new JsonObject()
            .put("type", "object")
            .put("required", new JsonArray().add("type").add("geometry"))
            .put(
                "properties",
                new JsonObject()
                    .put(
                        "type",
                        new JsonObject()
                            .put("type", "string")
                            .put("enum", new JsonArray().add("Feature")))
                    .put(
                        "id",
                        new JsonObject()
                            .put(
                                "description",
                                "the force's id (an integer, or a string of digits)"))
                    .put("geometry", point)
                    .put(
                        "properties",
                        new JsonObject()
                            .put("type", "object")
                            .put(
                                "properties",
                                new JsonObject()
                                    .put(
                                        "force_id",
                                        new JsonObject()
                                            .put(
                                                "description",
                                                "the force's id, when the feature has no id"))
                                    .put("on_duty", new JsonObject().put("type", "boolean"))
                                    .put(
                                        "time",
                                        new JsonObject()
                                            .put("type", "string")
                                            .put("format", "date-time")))));
    JsonObject schema = OpenApiDoc.featureCollection(feature, PositionBatch.MAX_POSITIONS);
    JsonObject content = new JsonObject();
    MEDIA_TYPES.forEach(m -> content.put(m, new JsonObject().put("schema", schema)));
    JsonObject responses =
        OpenApiDoc.json(
            "how many positions were written, and those left out (not newer than the force's, or superseded in the batch) with why");
    OpenApiDoc.problems(
        responses,
        List.of(
            new String[][] {
              {
                "400",
                "a position is malformed, outside the city, more than 5 minutes ahead, or of an unknown force; nothing was written"
              },
              {"401", "no credentials"},
              {"403", "a position of a force the caller may not move; nothing was written"},
              {
                "413",
                "more than "
                    + PositionBatch.MAX_POSITIONS
                    + " positions, or a body above max_body_kb"
              },
              {"415", "a Content-Type other than application/geo+json or application/json"}
            }));
    JsonObject post =
        OpenApiDoc.operation(
                "post positions of forces",
                "Grid workers post their own position (the token's subject is their force id); commanders and admins post positions of forces whose grid_code their scope covers. "
                    + "Each position moves the force, sets updated_at to its time (default: now) and on_duty when given. A position not newer than the force's is left out and reported. "
                    + "The response comes once the positions are stored, audited and visible in items and tiles.",
                List.of(),
                responses)
            .put("requestBody", new JsonObject().put("required", true).put("content", content));
    paths.put(PATH, new JsonObject().put("post", post));
  }
}
