package io.gridmap.server.edit;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.layers.edit.GridOperations;
import io.gridmap.layers.edit.GridRedraw;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code POST /edits/grids/merge}: joins neighbouring grids of one village into one grid with a new
 * code ({@link GridOperations#merge}); the grids are retired and their forces go to the new one.
 * Answers 200 with the new grid and the retired codes in {@code retired}; {@code ?dryRun=true}
 * answers the same without writing.
 */
final class GridMergeHandler {
  static final String BODY_FORM =
      "{\"grids\": [{\"id\": \"<15-digit code>\", \"etag\": \"<its ETag>\"}, ...], \"properties\":"
          + " {\"name\": \"...\", \"worker_id\": ...}}: two or more neighbouring grids of one"
          + " village (a code alone stands for a grid without etag); properties are optional";

  private final Edits edits;
  private final GridRedraw.Limits limits;

  GridMergeHandler(Edits edits, GridRedraw.Limits limits) {
    this.edits = edits;
    this.limits = limits;
  }

  /**
   * @param etags grid id -> the ETag given, for the grids given one
   */
  record Request(List<Long> grids, Map<Long, String> etags, GridOperations.NewGrid merged) {}

  void handle(RoutingContext ctx) {
    Principal who = SecurityHandler.principal(ctx);
    Edits.requireJson(ctx, "application/json: " + BODY_FORM, true);
    if (EntityTags.ifMatch(ctx.request()) != null) {
      throw ApiException.badRequest(
          "header If-Match is not read on a merge: give each grid's ETag as its member \"etag\"");
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
          if (edits.requireIfMatch() && r.etags().size() < r.grids().size()) {
            throw EntityTags.required(
                "every grid of a merge carries its member \"etag\" (setting"
                    + " edits_require_if_match)");
          }
          return new Writer.Write(
              who,
              "grids.merge",
              "grids/" + String.join(",", r.grids().stream().map(String::valueOf).toList()),
              current -> {
                GridRedraw.Plan p = plan(current, who, r, codes, limits);
                planned.set(p);
                return p.change();
              });
        },
        index -> GridSplitHandler.answer(index, planned.get(), fields, base));
  }

  static Request parse(byte[] body, GridRedraw.Limits limits) {
    JsonNode o = GeoJsonReader.object(body, BODY_FORM);
    List<Long> grids = new ArrayList<>();
    Map<Long, String> etags = new LinkedHashMap<>();
    GridOperations.NewGrid merged = GridOperations.NewGrid.DERIVED;
    for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      switch (e.getKey()) {
        case "grids" -> {
          if (!v.isArray() || v.size() < 2 || v.size() > limits.maxGrids()) {
            throw GeoJsonReader.invalid(
                "grids", v, "an array of 2 to " + limits.maxGrids() + " grids: " + BODY_FORM);
          }
          for (int i = 0; i < v.size(); i++) {
            String at = "grids[" + i + "]";
            JsonNode g = v.get(i);
            JsonNode id = g.isObject() ? g.get("id") : g;
            long code = code(id, g.isObject() ? at + ".id" : at);
            if (grids.contains(code)) {
              throw ApiException.badRequest(at + " names grid " + code + " a second time");
            }
            grids.add(code);
            if (g.isObject()) {
              for (Iterator<String> names = g.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("id") && !name.equals("etag")) {
                  throw ApiException.badRequest(
                      at + "." + name + " is not read; a grid of a merge is {\"id\", \"etag\"}");
                }
              }
              if (g.hasNonNull("etag")) {
                etags.put(code, GridRedrawHandler.etag(g.get("etag"), at + ".etag"));
              }
            }
          }
        }
        case "properties" -> merged = GridSplitHandler.newGrid(v, "properties");
        default ->
            throw ApiException.badRequest(
                Params.quote(e.getKey()) + " is not a member of a merge; expected " + BODY_FORM);
      }
    }
    if (grids.isEmpty()) {
      throw ApiException.badRequest("the merge has no member \"grids\"; expected " + BODY_FORM);
    }
    return new Request(grids, etags, merged);
  }

  private static long code(JsonNode v, String at) {
    if (v == null || !(v.isIntegralNumber() || v.isTextual()) || !v.asText().matches("\\d{15}")) {
      throw GeoJsonReader.invalid(at, v, "a grid's 15-digit code, e.g. 500103001001001");
    }
    return Long.parseLong(v.asText());
  }

  static GridRedraw.Plan plan(
      CityIndex current,
      Principal who,
      Request r,
      GridOperations.Codes codes,
      GridRedraw.Limits limits) {
    LayerIndex grids = current.layer("grids");
    for (long id : r.grids()) {
      GridUpdateHandler.inScope(current, who, id, null);
    }
    GridRedrawHandler.checkEtags(grids, r.etags());
    return GridRedrawHandler.guarded(
        () -> GridOperations.merge(current, r.grids(), r.merged(), codes, limits));
  }
}
