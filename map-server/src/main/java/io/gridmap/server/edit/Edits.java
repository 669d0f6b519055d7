package io.gridmap.server.edit;

import io.gridmap.layers.edit.EditRefused;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.query.crs.SupportedCrs;
import io.gridmap.server.content.Content;
import io.gridmap.server.edit.schedule.Scheduling;
import io.gridmap.server.ogc.ItemsHandler;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.Visibility;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.BaseUrl;
import io.gridmap.server.web.EntityTags;
import io.gridmap.server.web.GeoJsonWriter;
import io.gridmap.server.web.Loaded;
import io.gridmap.server.write.Writer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * What the edit handlers share: a worker pool for reading bodies and writing answers (never the
 * event loop), the way a write goes to the one {@link Writer} and its answer comes back, how a
 * broken rule becomes a problem response, and GeoJSON answers in the caller's visibility class.
 */
final class Edits {
  private final Loaded<Content> content;
  private final Loaded<Writer> writer;
  private final WorkerExecutor workers;
  private final String publicUrl;
  private final boolean requireIfMatch;

  /**
   * @param workers where bodies are read and answers written
   * @param publicUrl the configured public URL, or null to take links from the request
   * @param requireIfMatch true when a write must name the version it changes (428 without)
   */
  Edits(
      Loaded<Content> content,
      Loaded<Writer> writer,
      WorkerExecutor workers,
      String publicUrl,
      boolean requireIfMatch) {
    this.content = content;
    this.writer = writer;
    this.workers = workers;
    this.publicUrl = publicUrl;
    this.requireIfMatch = requireIfMatch;
  }

  /**
   * The codes the store's history holds, so new grids never take a retired grid's code; a map
   * without a store keeps no history, and only the codes in use count.
   */
  io.gridmap.layers.edit.GridOperations.Codes codes() {
    return content()
        .store()
        .<io.gridmap.layers.edit.GridOperations.Codes>map(
            s -> (from, to) -> s.maxHistoricId("grids", from, to))
        .orElse((from, to) -> -1);
  }

  /** True when a write must name the version it changes (setting edits_require_if_match). */
  boolean requireIfMatch() {
    return requireIfMatch;
  }

  /**
   * The If-Match of a write to one grid, or null; a 428 when the server requires one and there is
   * none.
   */
  String ifMatch(RoutingContext ctx, long id) {
    String ifMatch = EntityTags.ifMatch(ctx.request());
    if (ifMatch == null && requireIfMatch) {
      throw EntityTags.required(
          "header If-Match is missing on "
              + ctx.request().method()
              + " of grid "
              + id
              + " (its ETag is in the ETag header of GET /collections/grids/items/"
              + id
              + ")");
    }
    return ifMatch;
  }

  /**
   * An edit's answer: the body, and the ETag of the one grid it is about (null for several, whose
   * tags are in the body).
   */
  record Answer(byte[] body, String etag) {}

  /** The grid a PATCH or PUT names in its path, or a 404 for an id that cannot be one. */
  static long gridId(RoutingContext ctx) {
    String fid = ctx.pathParam("featureId");
    try {
      return Long.parseLong(fid);
    } catch (NumberFormatException e) {
      throw ApiException.notFound(
          "feature "
              + io.gridmap.server.web.Params.quote(fid)
              + " does not exist in collection grids; grid ids are their 15-digit codes");
    }
  }

  /** The loaded content, or a 503 while loading. */
  Content content() {
    return content.get();
  }

  /**
   * Runs an edit: {@code prepare} reads the body on the worker pool into a write, the writer plans
   * and applies it, then {@code answer} writes the response body from the index readers now see. A
   * write refused with {@link EditRefused.Rule#NO_CHANGE} is answered the same way, with nothing
   * written.
   */
  void run(RoutingContext ctx, Callable<Writer.Write> given, Function<CityIndex, Answer> answer) {
    String reason = reason(ctx);
    Callable<Writer.Write> prepare = reason == null ? given : () -> given.call().withReason(reason);
    Context context = ctx.vertx().getOrCreateContext();
    Content content = content();
    boolean dryRun = dryRun(ctx);
    // ?effective=: checked now by the dry run, then stored to be applied at its instant
    java.time.Instant effective = Scheduling.effective(ctx);
    if (dryRun || effective != null) {
      workers
          .executeBlocking(() -> preview(content, prepare.call(), answer), false)
          .onSuccess(
              a -> {
                if (!dryRun) {
                  Scheduling.schedule(
                      ctx, workers, content.store(), effective, a.body(), baseUrl(ctx));
                  return;
                }
                if (effective != null) {
                  ctx.response().putHeader(Scheduling.EFFECTIVE_HEADER, effective.toString());
                }
                ctx.response().putHeader(DRY_RUN, "true");
                if (a.etag() != null) {
                  ctx.response().putHeader("ETag", a.etag());
                }
                ctx.response()
                    .putHeader("Content-Type", ItemsHandler.GEOJSON)
                    .putHeader("Cache-Control", "no-store")
                    .end(Buffer.buffer(a.body()));
              })
          .onFailure(e -> ctx.fail(problem(e)));
      return;
    }
    workers
        .<Writer.Write>executeBlocking(prepare, false)
        .compose(
            write ->
                Future.fromCompletionStage(writer.get().submit(write), context)
                    .map(
                        written -> {
                          Scheduling.written(ctx, written.seq());
                          return true;
                        })
                    .recover(
                        e ->
                            isNoChange(e) ? Future.succeededFuture(false) : Future.failedFuture(e)))
        .compose(written -> workers.executeBlocking(() -> answer.apply(content.index()), false))
        .onSuccess(
            a -> {
              if (a.etag() != null) {
                ctx.response().putHeader("ETag", a.etag());
              }
              ctx.response()
                  .putHeader("Content-Type", ItemsHandler.GEOJSON)
                  .putHeader("Cache-Control", "no-store")
                  .end(Buffer.buffer(a.body()));
            })
        .onFailure(e -> ctx.fail(problem(e)));
  }

  /** The longest reason an edit may give (characters). */
  static final int MAX_REASON = 500;

  /**
   * Why the edit is made, in the editor's words ({@code ?reason=...}): kept with every version it
   * makes and in the audit log; null when not given.
   */
  static String reason(RoutingContext ctx) {
    String v = io.gridmap.server.web.Params.single(ctx.queryParams(), "reason");
    if (v == null) {
      return null;
    }
    String r = v.strip();
    if (r.isEmpty() || r.length() > MAX_REASON || r.chars().anyMatch(Character::isISOControl)) {
      throw io.gridmap.server.web.Params.bad(
          "reason",
          v,
          "why the edit is made, 1 to " + MAX_REASON + " characters without control characters");
    }
    return r;
  }

  /** The response header that says an answer is a dry run's: nothing was written. */
  static final String DRY_RUN = "Dry-Run";

  /**
   * Whether the request asks for a dry run ({@code ?dryRun=true}): the edit planned and checked by
   * every rule against the map as it is, answered as if written, and nothing written.
   */
  static boolean dryRun(RoutingContext ctx) {
    String v = io.gridmap.server.web.Params.single(ctx.queryParams(), "dryRun");
    if (v == null || v.equals("false")) {
      return false;
    }
    if (v.equals("true")) {
      return true;
    }
    throw io.gridmap.server.web.Params.bad("dryRun", v, "true or false");
  }

  /**
   * The answer the edit would get: its changes (and what follows them) applied to a copy of the
   * index, never to the store or to what readers see.
   */
  private Answer preview(Content content, Writer.Write write, Function<CityIndex, Answer> answer) {
    CityIndex now = content.index();
    List<io.gridmap.layers.edit.Change> changes;
    try {
      changes = writer.get().preview(write);
    } catch (EditRefused r) {
      if (r.rule() == EditRefused.Rule.NO_CHANGE) {
        return answer.apply(now);
      }
      throw r;
    }
    CityIndex after = now;
    for (io.gridmap.layers.edit.Change c : changes) {
      after = after.withChange(c);
    }
    return answer.apply(after);
  }

  private static Throwable unwrap(Throwable e) {
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static boolean isNoChange(Throwable e) {
    return unwrap(e) instanceof EditRefused r && r.rule() == EditRefused.Rule.NO_CHANGE;
  }

  /** A failure as the problem handler writes it: a broken rule becomes its 4xx. */
  static Throwable problem(Throwable e) {
    Throwable t = unwrap(e);
    return t instanceof EditRefused r ? refusal(r) : t;
  }

  /**
   * The response to a broken rule: 400 for a body of the wrong form, 413 for one too large, 422 for
   * a well-formed edit that breaks a topology rule. The detail starts with the rule's code.
   */
  static ApiException refusal(EditRefused e) {
    ApiException plain = status(e);
    return new ApiException(plain.status(), plain.title(), plain.getMessage(), violations(e));
  }

  /**
   * Every violation as the problem's {@code violations} member: rule, feature, detail and, when it
   * has a place, the geometry as GeoJSON (lon/lat) for a client to draw over the map.
   */
  static io.vertx.core.json.JsonObject violations(EditRefused e) {
    io.vertx.core.json.JsonArray all = new io.vertx.core.json.JsonArray();
    for (EditRefused.Violation v : e.violations()) {
      io.vertx.core.json.JsonObject one =
          new io.vertx.core.json.JsonObject()
              .put("rule", v.rule().code())
              .put("feature", v.feature())
              .put("detail", v.detail());
      if (v.where() != null && !v.where().isEmpty()) {
        one.put("geometry", geojson(v.where()));
      }
      all.add(one);
    }
    return new io.vertx.core.json.JsonObject().put("violations", all);
  }

  private static io.vertx.core.json.JsonObject geojson(org.locationtech.jts.geom.Geometry g) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try {
      GeoJsonWriter w =
          new GeoJsonWriter(out, GridProperties.GRIDS, SupportedCrs.CRS84, new int[0]);
      w.geometry(g);
      w.json().flush();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return new io.vertx.core.json.JsonObject(Buffer.buffer(out.toByteArray()));
  }

  private static ApiException status(EditRefused e) {
    return switch (e.rule()) {
      case POLYGON, CODES_FIXED ->
          new ApiException(400, "Bad Request", "rule " + e.rule().code() + ": " + e.getMessage());
      case EDITED_SINCE ->
          new ApiException(409, "Conflict", "rule " + e.rule().code() + ": " + e.getMessage());
      case REQUEST_CAP ->
          new ApiException(
              413, "Content Too Large", "rule " + e.rule().code() + ": " + e.getMessage());
      default ->
          new ApiException(
              422,
              "Topology rule broken: " + e.rule().code(),
              "rule " + e.rule().code() + ": " + e.getMessage());
    };
  }

  /** A 403 for a grid outside the caller's scope; nothing is written. */
  static ApiException outsideScope(Principal who, String code) {
    return outsideScope(who, "grid", code);
  }

  /** A 403 for a unit of an admin layer ({@code what}: "village") outside the caller's scope. */
  static ApiException outsideScope(Principal who, String what, String code) {
    return new ApiException(
        403,
        "Forbidden",
        what
            + " "
            + code
            + " lies outside scope "
            + (who.scope().isEmpty() ? "(the whole city)" : who.scope())
            + " of "
            + who.role().code()
            + " "
            + who.subject()
            + "; a "
            + who.role().code()
            + " edits only "
            + what
            + "s whose code starts with its scope, and nothing was written");
  }

  /** The base URL as the client sees it (see {@link io.gridmap.server.web.BaseUrl}). */
  String baseUrl(RoutingContext ctx) {
    return BaseUrl.of(ctx, publicUrl);
  }

  /** The request body's bytes, or null when there is none. */
  static byte[] body(RoutingContext ctx) {
    return ctx.body() == null || ctx.body().buffer() == null
        ? null
        : ctx.body().buffer().getBytes();
  }

  /**
   * A 415 unless the Content-Type, when given, is JSON (application/json, merge-patch+json,
   * geo+json).
   */
  static void requireJson(RoutingContext ctx, String expected) {
    requireJson(ctx, expected, false);
  }

  /**
   * As {@link #requireJson(RoutingContext, String)}; with {@code required}, a missing Content-Type
   * is a 400 (OGC API - Features Part 4 /req/update/patch-content-type: the server reads the body's
   * form from the header, never guesses it).
   */
  static void requireJson(RoutingContext ctx, String expected, boolean required) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null && required) {
      throw ApiException.badRequest(
          "header Content-Type is missing; a "
              + ctx.request().method()
              + " names the form of its body: send "
              + expected);
    }
    if (type != null && !type.toLowerCase(java.util.Locale.ROOT).contains("json")) {
      throw new ApiException(
          415,
          "Unsupported Media Type",
          "Content-Type "
              + io.gridmap.server.web.Params.quote(type)
              + " is not accepted here; send "
              + expected);
    }
  }

  /** The field indexes a role may read: every field for staff, the public ones for the others. */
  static int[] fields(Principal who) {
    return who.role().visibility() == Visibility.STAFF
        ? IntStream.range(0, GridProperties.GRIDS.fields().size()).toArray()
        : GeoJsonWriter.publicFields(GridProperties.GRIDS);
  }

  /** One grid as a GeoJSON Feature with its self link, and its ETag. */
  static Answer tagged(Feature f, int[] fields, String base) {
    return new Answer(feature(f, fields, base), EntityTags.of(GridProperties.GRIDS, f));
  }

  /** One grid as a GeoJSON Feature with its self link. */
  static byte[] feature(Feature f, int[] fields, String base) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8 * 1024);
    try {
      GeoJsonWriter w = new GeoJsonWriter(out, GridProperties.GRIDS, SupportedCrs.CRS84, fields);
      w.feature(
          f,
          g -> {
            g.writeArrayFieldStart("links");
            link(g, "self", base + "/collections/grids/items/" + f.id());
            g.writeEndArray();
          });
      w.json().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Grids as a GeoJSON FeatureCollection, with a foreign member naming those whose outline changed
   * and each grid's ETag as a foreign member {@code etag} of its feature (a collection has no
   * header per feature; a client sends the features back with their tags as the next redraw).
   */
  static byte[] collection(List<Feature> features, List<Long> redrawn, int[] fields, String base) {
    return collection(features, redrawn, List.of(), fields, base);
  }

  /**
   * Grids as a FeatureCollection (see above) with a foreign member {@code retired} naming the grids
   * the edit retired (a split grid, the grids of a merge): their codes are gone for good.
   */
  static byte[] collection(
      List<Feature> features, List<Long> redrawn, List<Long> retired, int[] fields, String base) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try {
      GeoJsonWriter w = new GeoJsonWriter(out, GridProperties.GRIDS, SupportedCrs.CRS84, fields);
      var g = w.json();
      g.writeStartObject();
      g.writeStringField("type", "FeatureCollection");
      g.writeArrayFieldStart("features");
      for (Feature f : features) {
        w.feature(
            f,
            j -> {
              j.writeArrayFieldStart("links");
              link(j, "self", base + "/collections/grids/items/" + f.id());
              j.writeEndArray();
              j.writeStringField("etag", EntityTags.of(GridProperties.GRIDS, f));
            });
      }
      g.writeEndArray();
      g.writeArrayFieldStart("redrawn");
      for (long id : redrawn) {
        g.writeNumber(id);
      }
      g.writeEndArray();
      if (!retired.isEmpty()) {
        g.writeArrayFieldStart("retired");
        for (long id : retired) {
          g.writeNumber(id);
        }
        g.writeEndArray();
      }
      g.writeNumberField("numberReturned", features.size());
      g.writeEndObject();
      g.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void link(com.fasterxml.jackson.core.JsonGenerator g, String rel, String href)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("href", href);
    g.writeStringField("rel", rel);
    g.writeStringField("type", ItemsHandler.GEOJSON);
    g.writeEndObject();
  }
}
