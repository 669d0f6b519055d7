package io.gridmap.server.edit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.gridmap.layers.edit.Change;
import io.gridmap.layers.edit.EditRefused;
import io.gridmap.layers.edit.GridRedraw;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.SecurityHandler;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.EntityTags;
import io.gridmap.server.web.GeoJsonReader;
import io.gridmap.server.web.Params;
import io.gridmap.server.write.Writer;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.TopologyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /edits/grids}: redraws grid boundaries inside one village. The body is a GeoJSON
 * FeatureCollection of grids (id = grid code) with their new outlines; the rules are {@link
 * GridRedraw}'s, checked by the one writer against the current index, after the caller's scope
 * covers every grid named and each grid's {@code etag} member, when given, names its current
 * version. Answers 200 with the grids as they now are, each with its new etag; a redraw that
 * changes no outline writes nothing and answers the same way.
 */
final class GridRedrawHandler {
  private static final Logger LOG = LoggerFactory.getLogger(GridRedrawHandler.class);
  static final String BODY_FORM =
      "a GeoJSON FeatureCollection of the grids of one village, each a Feature whose id is the grid's"
          + " 15-digit code and whose geometry is its new Polygon or MultiPolygon (WGS84 lon/lat); a"
          + " Feature without id is a grid to create, numbered by the server";
  private static final GeometryFactory FACTORY = new GeometryFactory();

  private final Edits edits;
  private final GridRedraw.Limits limits;

  GridRedrawHandler(Edits edits, GridRedraw.Limits limits) {
    this.edits = edits;
    this.limits = limits;
  }

  /**
   * The grids of a redraw body, in body order.
   *
   * @param etags grid id -> the ETag its feature's {@code etag} member names, for the grids that
   *     carry one
   */
  record Request(
      Map<Long, Geometry> outlines,
      Map<Long, GridProperties> properties,
      Map<Long, String> etags,
      List<io.gridmap.layers.edit.GridOperations.NewOutline> created) {
    Request(
        Map<Long, Geometry> outlines,
        Map<Long, GridProperties> properties,
        Map<Long, String> etags) {
      this(outlines, properties, etags, List.of());
    }
  }

  void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    Principal who = SecurityHandler.principal(ctx);
    Edits.requireJson(ctx, "application/geo+json or application/json: " + BODY_FORM);
    if (EntityTags.ifMatch(ctx.request()) != null) {
      // one header cannot say which of several grids a tag is for; ignoring it would leave the
      // caller believing the redraw was conditional
      throw ApiException.badRequest(
          "header If-Match is not read on POST /edits/grids: give each grid's ETag as the member"
              + " \"etag\" of its feature, as the answer of GET /collections/grids/items/{id} and of"
              + " a redraw carry it");
    }
    boolean requireEtags = edits.requireIfMatch();
    edits.content(); // 503 while loading
    byte[] body = Edits.body(ctx);
    String base = edits.baseUrl(ctx);
    int[] fields = Edits.fields(who);
    io.gridmap.layers.edit.GridOperations.Codes codes = edits.codes();
    AtomicReference<Request> request = new AtomicReference<>();
    AtomicReference<GridRedraw.Plan> planned = new AtomicReference<>();
    long[] planNanos = new long[1];
    edits.run(
        ctx,
        () -> {
          Request r = parse(body, limits);
          if (requireEtags && r.etags().size() < r.outlines().size()) {
            List<Long> missing =
                r.outlines().keySet().stream().filter(id -> !r.etags().containsKey(id)).toList();
            throw EntityTags.required(
                "grid(s) "
                    + missing.stream().map(String::valueOf).collect(Collectors.joining(", "))
                    + " carry no member \"etag\" (the ETag of the version redrawn)");
          }
          request.set(r);
          String target =
              "grids/"
                  + String.join(",", r.outlines().keySet().stream().map(String::valueOf).toList());
          return new Writer.Write(
              who,
              "grids.redraw",
              target,
              current -> {
                long t = System.nanoTime();
                GridRedraw.Plan p = plan(current, who, r, codes, limits);
                planNanos[0] = System.nanoTime() - t;
                planned.set(p);
                return p.change();
              });
        },
        index -> {
          GridRedraw.Plan p = planned.get();
          if (p != null) {
            log(who, p, planNanos[0], System.nanoTime() - start);
          }
          LayerIndex grids = index.layer("grids");
          List<Feature> now = new ArrayList<>();
          request.get().outlines().keySet().forEach(id -> grids.byId(id).ifPresent(now::add));
          if (p != null) {
            p.change().replacements().stream()
                .filter(io.gridmap.layers.edit.Change.Replacement::isAdded)
                .forEach(a -> grids.byId(a.id()).ifPresent(now::add));
          }
          return new Edits.Answer(
              Edits.collection(now, p == null ? List.of() : p.redrawn(), fields, base), null);
        });
  }

  private static void log(Principal who, GridRedraw.Plan p, long planNanos, long totalNanos) {
    Change c = p.change();
    int polygons = c.generalised().values().stream().mapToInt(Map::size).sum();
    LOG.info(
        "grids.redraw by {} ({}): {} grid outline(s) of village {} changed; {} grids generalised again ({} ring(s) of"
            + " neighbours, {} as context), {} generalised polygons replaced over zooms {}; planned in {} ms, visible to readers"
            + " {} ms after the request arrived",
        who.subject(),
        who.role().code(),
        p.redrawn().size(),
        p.village(),
        p.generalised().recomputed(),
        p.generalised().rings(),
        p.generalised().context(),
        polygons,
        c.generalised().keySet(),
        planNanos / 1_000_000,
        totalNanos / 1_000_000);
  }

  /** Reads the body, or a 400 naming the member that is wrong. */
  static Request parse(byte[] body, GridRedraw.Limits limits) {
    JsonNode fc = GeoJsonReader.object(body, BODY_FORM);
    ArrayNode features = GeoJsonReader.features(fc, BODY_FORM);
    if (features.size() > limits.maxGrids()) {
      throw new ApiException(
          413,
          "Content Too Large",
          "rule request-cap: features holds "
              + features.size()
              + " grids; at most "
              + limits.maxGrids()
              + " are accepted in one redraw");
    }
    GeoJsonReader.Budget budget =
        new GeoJsonReader.Budget(limits.maxVerticesPerRequest(), "one redraw");
    Map<Long, Geometry> outlines = new LinkedHashMap<>();
    Map<Long, GridProperties> properties = new LinkedHashMap<>();
    Map<Long, String> etags = new LinkedHashMap<>();
    List<io.gridmap.layers.edit.GridOperations.NewOutline> created = new ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      JsonNode f = features.get(i);
      String at = "features[" + i + "]";
      GeoJsonReader.feature(f, at, "a GeoJSON Feature with an id and a geometry");
      boolean isNew =
          !f.hasNonNull("id")
              && !(f.hasNonNull("properties") && f.get("properties").hasNonNull("code"));
      if (isNew) {
        // a feature without id or code is a grid to create, with a new code of its village
        if (f.hasNonNull("etag")) {
          throw ApiException.badRequest(
              at + " has an etag but no id: a grid to create has no version yet");
        }
        created.add(
            new io.gridmap.layers.edit.GridOperations.NewOutline(
                GeoJsonReader.polygonal(f.get("geometry"), at + ".geometry", FACTORY, budget),
                GridSplitHandler.newGrid(f.get("properties"), at + ".properties")));
        continue;
      }
      GridProperties props =
          f.hasNonNull("properties")
              ? GridProperties.parse(f.get("properties"), at + ".properties")
              : null;
      long id = id(f, props, at);
      if (outlines.containsKey(id)) {
        throw ApiException.badRequest(
            at
                + ".id is "
                + id
                + ", which an earlier feature already names; each grid appears once");
      }
      outlines.put(
          id, GeoJsonReader.polygonal(f.get("geometry"), at + ".geometry", FACTORY, budget));
      if (props != null) {
        properties.put(id, props);
      }
      JsonNode etag = f.get("etag");
      if (etag != null && !etag.isNull()) {
        etags.put(id, etag(etag, at + ".etag"));
      }
    }
    return new Request(outlines, properties, etags, created);
  }

  /**
   * An {@code etag} member: the ETag as the header gave it ({@code "\"0f3a...\""}), or its opaque
   * part without the quotes, which JSON clients tend to keep.
   */
  static String etag(JsonNode v, String at) {
    String form =
        "the grid's ETag as a string, as the ETag header or a redraw's answer gives it, e.g."
            + " \"\\\"0f3a5c7e9b1d2f40\\\"\"";
    if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > 200) {
      throw GeoJsonReader.invalid(at, v, form);
    }
    String t = v.asText().strip();
    return t.startsWith("\"") || t.startsWith("W/") || t.equals(EntityTags.ANY)
        ? t
        : "\"" + t + "\"";
  }

  /**
   * The grid a feature names: its id, or its properties' code when it has no id; both must agree.
   */
  private static long id(JsonNode f, GridProperties props, String at) {
    JsonNode id = f.get("id");
    JsonNode code = props == null ? null : props.repeated().get("code");
    JsonNode given = id != null && !id.isNull() ? id : code;
    String where = id != null && !id.isNull() ? at + ".id" : at + ".properties.code";
    if (given == null
        || !(given.isIntegralNumber() || given.isTextual())
        || !given.asText().matches("\\d{15}")) {
      throw GeoJsonReader.invalid(where, given, "the grid's 15-digit code, e.g. 500103001001001");
    }
    if (id != null && code != null && !Objects.equals(id.asText(), code.asText())) {
      throw ApiException.badRequest(
          at
              + ".properties.code="
              + GeoJsonReader.shown(code)
              + " but "
              + at
              + ".id is "
              + id.asText()
              + ": code is read-only (rule codes-fixed: a grid keeps its code and its place in the hierarchy)");
    }
    return Long.parseLong(given.asText());
  }

  /**
   * The change against the current index: every grid known and in scope, attributes as they are,
   * then the topology rules.
   */
  static GridRedraw.Plan plan(
      CityIndex current,
      Principal who,
      Request r,
      io.gridmap.layers.edit.GridOperations.Codes codes,
      GridRedraw.Limits limits) {
    LayerIndex grids = current.layer("grids");
    int codeField = grids.def().requireField("code");
    for (long id : r.outlines().keySet()) {
      Feature grid = grids.byId(id).orElse(null);
      if (grid == null) {
        throw Edits.refusal(
            new EditRefused(
                EditRefused.Rule.UNKNOWN_FEATURE,
                id,
                "grid "
                    + id
                    + " does not exist; a redraw names existing grids by their 15-digit code"));
      }
      String code = grid.string(codeField);
      if (!who.covers(code)) {
        throw Edits.outsideScope(who, code);
      }
    }
    // checked here, in the writer's turn, so no write comes between the check and this one
    checkEtags(grids, r.etags());
    r.properties()
        .forEach(
            (id, props) -> {
              Feature grid = grids.byId(id).orElseThrow();
              String at = "the properties of grid " + id;
              props.checkCodes(grid, at);
              props
                  .values()
                  .forEach(
                      (name, v) -> {
                        Object now = grid.value(GridProperties.GRIDS.requireField(name));
                        if (!Objects.equals(now, v)) {
                          throw ApiException.badRequest(
                              at
                                  + ": "
                                  + name
                                  + " is "
                                  + Params.quote(String.valueOf(v))
                                  + " but the grid's is "
                                  + Params.quote(String.valueOf(now))
                                  + "; a redraw moves boundaries only: change "
                                  + name
                                  + " with PATCH /collections/grids/items/"
                                  + id
                                  + ", or leave it out here");
                        }
                      });
            });
    if (!r.created().isEmpty()) {
      return guarded(
          () ->
              io.gridmap.layers.edit.GridOperations.create(
                  current, r.outlines(), r.created(), codes, limits));
    }
    return redraw(current, r.outlines(), limits);
  }

  /**
   * A 412 naming every grid whose given etag is not its current version's (checked in the writer's
   * turn, so no write comes between the check and the edit).
   */
  static void checkEtags(LayerIndex grids, Map<Long, String> etags) {
    List<String> stale = new ArrayList<>();
    etags.forEach(
        (id, given) -> {
          Feature grid = grids.byId(id).orElse(null);
          String now = grid == null ? null : EntityTags.of(grids.def(), grid);
          if (now != null && !EntityTags.matches(given, now)) {
            stale.add("grid " + id + " (etag " + given + ", now " + now + ")");
          }
        });
    if (!stale.isEmpty()) {
      throw new ApiException(
          412,
          "Precondition Failed",
          "the etag given does not name the current version of "
              + String.join(", ", stale)
              + ": someone changed it since you read it (weak tags W/\"...\" never match). Read"
              + " the grids again, edit what they are now, and send their new etags; nothing"
              + " was written");
    }
  }

  /** {@link GridRedraw#plan}, with JTS's robustness failures as a refusal naming the place. */
  static GridRedraw.Plan redraw(
      CityIndex current, Map<Long, Geometry> outlines, GridRedraw.Limits limits) {
    return guarded(() -> GridRedraw.plan(current, outlines, limits));
  }

  /** A plan, with JTS's robustness failures as a refusal naming the place. */
  static GridRedraw.Plan guarded(java.util.function.Supplier<GridRedraw.Plan> plan) {
    try {
      return plan.get();
    } catch (TopologyException e) {
      // JTS's message names its own internals; the place is what a planner can act on
      Coordinate at = e.getCoordinate();
      throw Edits.refusal(
          new EditRefused(
              EditRefused.Rule.VALID_POLYGON,
              null,
              "the new outlines could not be overlaid robustly"
                  + (at == null ? "" : " near lon " + at.x + ", lat " + at.y)
                  + "; check them for near-coincident edges or vertices there"));
    }
  }
}
