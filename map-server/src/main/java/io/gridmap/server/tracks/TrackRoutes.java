package io.gridmap.server.tracks;

import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.track.TrackPoint;
import io.gridmap.layers.track.TrackStore;
import io.gridmap.server.content.Content;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.SecurityHandler;
import io.gridmap.server.security.Visibility;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.ApiPaths;
import io.gridmap.server.web.Loaded;
import io.gridmap.server.web.OpenApiDoc;
import io.gridmap.server.web.Params;
import io.gridmap.server.web.RouteModule;
import io.gridmap.server.web.Routes;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * {@code GET /collections/forces/items/{id}/track}: where a force was over a time window, as a
 * GeoJSON Feature (a LineString whose {@code properties.times} has one RFC 3339 time per vertex) or
 * as GPX 1.1 ({@code f=gpx} or {@code Accept: application/gpx+xml}). Read from the store's track
 * chunks on a worker thread. Tracks are personal: the access policy lets only the staff class here
 * (the roles that see forces' names), and this handler only a force whose {@code grid_code} the
 * caller's scope covers (403 otherwise, as for positions). See docs/live.md.
 */
public final class TrackRoutes implements RouteModule {
  public static final String PATH = "/collections/forces/items/:featureId/track";
  static final String DOC_PATH = "/collections/forces/items/{featureId}/track";
  static final String GPX = "application/gpx+xml";

  /** The longest window one request may ask for: a week of fixes every 5 s is ~121,000 vertices. */
  static final Duration MAX_WINDOW = Duration.ofDays(7);

  /** The window when none, or only its end, is given: the day before it. */
  static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

  static final String DATETIME_FORM =
      "an RFC 3339 interval start/end, e.g. 2026-12-04T00:00:00Z/2026-12-04T08:00:00Z, or a date"
          + " (2026-12-04), at most "
          + MAX_WINDOW.toDays()
          + " days long; an open end ('..' or empty) is now, an open start "
          + DEFAULT_WINDOW.toHours()
          + " hours before the end";

  private final Loaded<Content> content;
  private final LongSupplier clock;

  /**
   * @param clock epoch milliseconds: an open end of the window
   */
  public TrackRoutes(Loaded<Content> content, LongSupplier clock) {
    this.content = content;
    this.clock = clock;
  }

  @Override
  public void mount(Routes routes) {
    routes.get(PATH).setName(DOC_PATH).handler(this::track);
  }

  /** The window asked for, in epoch ms, both ends included. */
  record Window(long from, long to) {}

  static Window window(MultiMap q, long now) {
    String raw = Params.single(q, "datetime");
    if (raw == null) {
      return new Window(now - DEFAULT_WINDOW.toMillis(), now);
    }
    String v = raw.strip();
    Params.TimeRange r;
    try {
      r = Params.datetime(q, "datetime");
    } catch (ApiException | ArithmeticException e) {
      // ArithmeticException: a year too far for epoch milliseconds
      throw Params.bad("datetime", raw, DATETIME_FORM);
    }
    boolean openEnd = r.to() == Long.MAX_VALUE;
    boolean openStart = r.from() == Long.MIN_VALUE;
    long to = openEnd ? now : r.to();
    long from;
    long length;
    try {
      from = openStart ? Math.subtractExact(to, DEFAULT_WINDOW.toMillis()) : r.from();
      length = Math.subtractExact(to, from);
    } catch (ArithmeticException e) {
      throw Params.bad("datetime", v, DATETIME_FORM);
    }
    if (from > to) {
      throw Params.bad("datetime", v, DATETIME_FORM + "; the start not after the end");
    }
    if (length > MAX_WINDOW.toMillis()) {
      throw Params.bad(
          "datetime",
          v,
          DATETIME_FORM
              + "; this window is "
              + Duration.ofMillis(length).toHours()
              + " hours long, ask for it a week at a time");
    }
    return new Window(from, to);
  }

  /** Whether the caller asked for GPX: {@code f=gpx}, else an Accept that names GPX. */
  static boolean gpx(RoutingContext ctx) {
    String f = Params.single(ctx.queryParams(), "f");
    if (f != null) {
      return switch (f.strip().toLowerCase(Locale.ROOT)) {
        case "gpx" -> true;
        case "json", "geojson" -> false;
        default -> throw Params.bad("f", f, "json (GeoJSON, the default) or gpx");
      };
    }
    String accept = ctx.request().getHeader("Accept");
    return accept != null && accept.toLowerCase(Locale.ROOT).contains(GPX);
  }

  private void track(RoutingContext ctx) {
    Principal who = SecurityHandler.principal(ctx);
    for (String name : ctx.queryParams().names()) {
      if (!name.equals("datetime") && !name.equals("f")) {
        throw Params.bad(name, ctx.queryParams().get(name), "only the parameters datetime and f");
      }
    }
    Window w = window(ctx.queryParams(), clock.getAsLong());
    boolean gpx = gpx(ctx);
    String rawId = ctx.pathParam("featureId");
    Content c = content.get();
    Feature force =
        rawId.matches("[0-9]{1,16}")
            ? c.index()
                .findLayer(Catalogue.FORCES.name())
                .flatMap(l -> l.byId(Long.parseLong(rawId)))
                .orElse(null)
            : null;
    if (force == null) {
      throw ApiException.notFound(
          "force " + Params.quote(rawId) + " does not exist in /collections/forces");
    }
    String grid = (String) force.value(Catalogue.FORCES.fieldIndex("grid_code"));
    if (!who.covers(grid)) {
      throw new ApiException(
          403,
          "Forbidden",
          "force "
              + force.id()
              + " serves grid "
              + grid
              + ", outside the scope "
              + (who.scope().isEmpty() ? "(the whole city)" : who.scope())
              + " of "
              + who.subject()
              + "; a track is read only inside the caller's scope");
    }
    TrackStore tracks =
        c.store()
            .flatMap(io.gridmap.layers.store.FeatureStore::tracks)
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "this server keeps no tracks: it serves a dataset without a store"));
    ctx.vertx()
        .executeBlocking(() -> tracks.track(force.id(), w.from(), w.to()), false)
        .onSuccess(
            fixes ->
                ctx.response()
                    .putHeader("Content-Type", gpx ? GPX + "; charset=utf-8" : OpenApiDoc.GEOJSON)
                    .putHeader("Cache-Control", "private, no-store")
                    .putHeader("Vary", Visibility.VARY + ", Accept")
                    .end(gpx ? Gpx.write(force, fixes) : feature(force, w, fixes).encode()))
        .onFailure(ctx::fail);
  }

  /**
   * The track as a GeoJSON Feature: a LineString of two or more fixes; a single fix is a Point (a
   * LineString needs two positions, RFC 7946 3.1.4) and none a null geometry, so that {@code
   * properties.times} always has one time per position.
   */
  static JsonObject feature(Feature force, Window w, List<TrackPoint> fixes) {
    JsonArray coordinates = new JsonArray();
    JsonArray times = new JsonArray();
    for (TrackPoint p : fixes) {
      coordinates.add(new JsonArray().add(p.lon()).add(p.lat()));
      times.add(Params.iso(p.time()));
    }
    Object geometry =
        switch (fixes.size()) {
          case 0 -> null;
          case 1 ->
              new JsonObject().put("type", "Point").put("coordinates", coordinates.getJsonArray(0));
          default -> new JsonObject().put("type", "LineString").put("coordinates", coordinates);
        };
    return new JsonObject()
        .put("type", "Feature")
        .put("id", force.id())
        .put("geometry", geometry)
        .put(
            "properties",
            new JsonObject()
                .put("force_id", force.id())
                .put("role", force.value(Catalogue.FORCES.fieldIndex("role")))
                .put("name", force.value(Catalogue.FORCES.fieldIndex("name")))
                .put("start", Params.iso(w.from()))
                .put("end", Params.iso(w.to()))
                .put("count", fixes.size())
                .put("times", times));
  }

  @Override
  public void describe(ApiPaths api) {
    JsonObject responses =
        OpenApiDoc.response(
            "the track: a GeoJSON Feature whose geometry is a LineString (a Point for a single fix,"
                + " null for none) and whose properties.times holds one RFC 3339 time per position;"
                + " or GPX 1.1 (one trk, one trkseg, a trkpt with its time per fix)",
            OpenApiDoc.GEOJSON);
    responses
        .getJsonObject("200")
        .getJsonObject("content")
        .put(GPX, new JsonObject().put("schema", new JsonObject().put("type", "string")));
    OpenApiDoc.problems(
        responses,
        List.of(
            new String[][] {
              {
                "400", "datetime is not an interval, or is longer than 7 days; f is not json or gpx"
              },
              {"401", "no credentials"},
              {"403", "a role that sees no personal data, or a force outside the caller's scope"},
              {"404", "no such force"}
            }));
    api.paths()
        .put(
            DOC_PATH,
            OpenApiDoc.get(
                "a force's track",
                "Where a force was between two times, from its positions as the writer accepted"
                    + " them (one per force per position batch). Staff only, inside the caller's"
                    + " scope; kept track_retention_days days.",
                List.of(
                    OpenApiDoc.path("featureId", new JsonObject().put("type", "integer")),
                    OpenApiDoc.query(
                        "datetime", DATETIME_FORM, new JsonObject().put("type", "string")),
                    OpenApiDoc.query(
                        "f",
                        "json (GeoJSON, the default) or gpx; Accept: application/gpx+xml also"
                            + " asks for GPX",
                        new JsonObject()
                            .put("type", "string")
                            .put("enum", new JsonArray().add("json").add("gpx")))),
                responses));
  }
}
