package io.gridmap.server.edit;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.layers.edit.Change;
import io.gridmap.layers.edit.GridOperations;
import io.gridmap.layers.edit.GridRedraw;
import io.gridmap.layers.index.CityIndex;
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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.operation.valid.IsValidOp;

/**
 * {@code POST /edits/grids/{code}/split}: cuts a grid in two along a line ({@link
 * GridOperations#split}); the grid is retired and two grids with new codes take its place, every
 * rule of a redraw checked. Answers 200 with the two new grids (each with its {@code etag}) and the
 * retired code in {@code retired}; {@code ?dryRun=true} answers the same without writing.
 */
final class GridSplitHandler {
  static final String BODY_FORM =
      "{\"line\": {\"type\": \"LineString\", \"coordinates\": [[lon, lat], ...]}, \"etag\":"
          + " \"<the grid's ETag>\", \"grids\": [{\"name\": \"...\", \"worker_id\": ...}, {...}],"
          + " \"forces\": 0}: the line runs across the grid from outside it to outside it; grids"
          + " (optional) names the larger part first; forces (0 or 1, default 0) is the part that"
          + " takes over the forces serving the grid";

  private static final GeometryFactory FACTORY = new GeometryFactory();

  private final Edits edits;
  private final GridRedraw.Limits limits;

  GridSplitHandler(Edits edits, GridRedraw.Limits limits) {
    this.edits = edits;
    this.limits = limits;
  }

  /** A split as the body gives it. */
  record Request(LineString line, String etag, List<GridOperations.NewGrid> grids, int forces) {}

  void handle(RoutingContext ctx) {
    Principal who = SecurityHandler.principal(ctx);
    long id = Edits.gridId(ctx);
    Edits.requireJson(ctx, "application/json: " + BODY_FORM, true);
    if (EntityTags.ifMatch(ctx.request()) != null) {
      throw ApiException.badRequest(
          "header If-Match is not read on a split: give the grid's ETag as the member \"etag\" of"
              + " the body, as for a redraw");
    }
    edits.content(); // 503 while loading
    byte[] body = Edits.body(ctx);
    String base = edits.baseUrl(ctx);
    int[] fields = Edits.fields(who);
    GridOperations.Codes codes = edits.codes();
    AtomicReference<GridRedraw.Plan> planned = new AtomicReference<>();
    edits.run(
        ctx,
        () -> {
          Request r = parse(body, limits);
          if (r.etag() == null && edits.requireIfMatch()) {
            throw EntityTags.required(
                "the split carries no member \"etag\" (the ETag of grid " + id + ")");
          }
          return new Writer.Write(
              who,
              "grids.split",
              "grids/" + id,
              current -> {
                GridRedraw.Plan p = plan(current, who, id, r, codes, limits);
                planned.set(p);
                return p.change();
              });
        },
        index -> answer(index, planned.get(), fields, base));
  }

  /** The grids an add-or-retire edit added, as they are now, and the ids it retired. */
  static Edits.Answer answer(CityIndex index, GridRedraw.Plan p, int[] fields, String base) {
    List<Feature> now = new ArrayList<>();
    List<Long> retired = new ArrayList<>();
    for (Change.Replacement r : p.change().replacements()) {
      if (r.isRetired()) {
        retired.add(r.id());
      } else if (r.isAdded()) {
        index.layer("grids").byId(r.id()).ifPresent(now::add);
      }
    }
    return new Edits.Answer(Edits.collection(now, p.redrawn(), retired, fields, base), null);
  }

  static Request parse(byte[] body, GridRedraw.Limits limits) {
    JsonNode o = GeoJsonReader.object(body, BODY_FORM);
    LineString line = null;
    String etag = null;
    List<GridOperations.NewGrid> grids = new ArrayList<>();
    int forces = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      switch (e.getKey()) {
        case "line" ->
            line =
                GeoJsonReader.lineString(
                    v,
                    "line",
                    FACTORY,
                    new GeoJsonReader.Budget(limits.maxVerticesPerPolygon(), "one split line"));
        case "etag" -> etag = v.isNull() ? null : GridRedrawHandler.etag(v, "etag");
        case "grids" -> {
          if (!v.isArray() || v.size() > 2) {
            throw GeoJsonReader.invalid(
                "grids", v, "an array of at most 2 objects, the larger part's first");
          }
          for (int i = 0; i < v.size(); i++) {
            grids.add(newGrid(v.get(i), "grids[" + i + "]"));
          }
        }
        case "forces" -> {
          if (!v.isInt() || v.asInt() < 0 || v.asInt() > 1) {
            throw GeoJsonReader.invalid(
                "forces",
                v,
                "0 (the larger part) or 1: the part that takes over the grid's forces");
          }
          forces = v.asInt();
        }
        default ->
            throw ApiException.badRequest(
                Params.quote(e.getKey()) + " is not a member of a split; expected " + BODY_FORM);
      }
    }
    if (line == null) {
      throw ApiException.badRequest("the split has no member \"line\"; expected " + BODY_FORM);
    }
    if (!new IsValidOp(line).isValid() || !line.isSimple()) {
      throw ApiException.badRequest(
          "line crosses itself; a split line runs across the grid without looping");
    }
    return new Request(line, etag, grids, forces);
  }

  /** What a request says of a new grid: a name and a worker, both optional. */
  static GridOperations.NewGrid newGrid(JsonNode v, String at) {
    if (v == null || v.isNull()) {
      return GridOperations.NewGrid.DERIVED;
    }
    GridProperties p = GridProperties.parse(v, at);
    for (String name : p.values().keySet()) {
      if (!name.equals("name") && !name.equals("worker_id")) {
        throw ApiException.badRequest(
            at
                + "."
                + name
                + ": a new grid takes name and worker_id; its code is the village's next, its"
                + " residents and households are estimated by area (change them with PATCH after)");
      }
    }
    if (!p.repeated().isEmpty()) {
      throw ApiException.badRequest(
          at
              + "."
              + p.repeated().keySet().iterator().next()
              + ": a new grid's codes are given by the server (the village's next code, never one"
              + " given before)");
    }
    return new GridOperations.NewGrid(
        (String) p.values().get("name"), (Long) p.values().get("worker_id"));
  }

  static GridRedraw.Plan plan(
      CityIndex current,
      Principal who,
      long id,
      Request r,
      GridOperations.Codes codes,
      GridRedraw.Limits limits) {
    GridUpdateHandler.inScope(current, who, id, r.etag());
    return GridRedrawHandler.guarded(
        () -> GridOperations.split(current, id, r.line(), r.grids(), r.forces(), codes, limits));
  }
}
