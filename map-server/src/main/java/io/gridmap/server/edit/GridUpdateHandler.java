package io.gridmap.server.edit;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.layers.edit.Change;
import io.gridmap.layers.edit.EditRefused;
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
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code PATCH /collections/grids/items/{fid}}: OGC API - Features Part 4 "update" of a grid's
 * attributes, with a JSON merge patch of the feature ({@code {"properties": {...}}}, or a GeoJSON
 * Feature that carries only properties). Editable: name, population, households, worker_id (an
 * existing force) and worker_name. Codes are read-only; a geometry is refused (boundaries move with
 * {@code POST /edits/grids}, since a grid's outline cannot change without its neighbours'). The
 * grid must lie in the caller's scope, and an {@code If-Match} must name its current version.
 * Answers 200 with the grid as it now is and its new ETag.
 */
final class GridUpdateHandler {
  static final String BODY_FORM =
      "a JSON merge patch of the grid, {\"properties\": {\"name\": \"...\"}}, or a GeoJSON Feature"
          + " with only properties; editable: "
          + String.join(", ", GridProperties.EDITABLE);

  private final Edits edits;

  GridUpdateHandler(Edits edits) {
    this.edits = edits;
  }

  void handle(RoutingContext ctx) {
    Principal who = SecurityHandler.principal(ctx);
    long id = Edits.gridId(ctx);
    Edits.requireJson(ctx, "application/merge-patch+json or application/json: " + BODY_FORM, true);
    String ifMatch = edits.ifMatch(ctx, id);
    edits.content(); // 503 while loading
    byte[] body = Edits.body(ctx);
    String base = edits.baseUrl(ctx);
    int[] fields = Edits.fields(who);
    edits.run(
        ctx,
        () -> {
          GridProperties patch = parse(body, id);
          return new Writer.Write(
              who, "grid.update", "grids/" + id, current -> plan(current, who, id, ifMatch, patch));
        },
        index -> Edits.tagged(index.layer("grids").byId(id).orElseThrow(), fields, base));
  }

  /** The patch's properties, or a 400 naming the member that is wrong. */
  static GridProperties parse(byte[] body, long id) {
    JsonNode patch = GeoJsonReader.object(body, BODY_FORM);
    JsonNode properties = null;
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      switch (e.getKey()) {
        case "type" -> {
          if (!"Feature".equals(v.asText(null))) {
            throw GeoJsonReader.invalid(
                "type", v, "\"Feature\" (or leave type out of a merge patch)");
          }
        }
        case "id" -> {
          if (!(v.isIntegralNumber() || v.isTextual()) || !v.asText().equals(Long.toString(id))) {
            throw GeoJsonReader.invalid(
                "id", v, id + ", the id in the path (a grid's id never changes)");
          }
        }
        case "geometry" ->
            throw ApiException.badRequest(
                "geometry="
                    + GeoJsonReader.shown(v)
                    + " is refused: a PATCH does not move boundaries: a grid's"
                    + " outline cannot change without its neighbours' (the village must stay tiled exactly). Redraw boundaries with POST"
                    + " /edits/grids, a FeatureCollection of the grids of one village with their new outlines; see docs/editing.md");
        case "properties" -> properties = v;
        default ->
            throw ApiException.badRequest(
                Params.quote(e.getKey())
                    + " is not a member a grid update may carry; expected "
                    + BODY_FORM);
      }
    }
    if (properties == null) {
      throw ApiException.badRequest("the patch has no properties; expected " + BODY_FORM);
    }
    GridProperties p = GridProperties.parse(properties, "properties");
    if (p.isEmpty()) {
      throw ApiException.badRequest(
          "properties is empty: nothing to update; expected " + BODY_FORM);
    }
    return p;
  }

  /**
   * The change against the current index: in scope, the version the caller named, codes unchanged,
   * worker a force.
   *
   * @param ifMatch the request's If-Match, or null
   */
  static Change plan(
      CityIndex current, Principal who, long id, String ifMatch, GridProperties patch) {
    Feature grid = inScope(current, who, id, ifMatch);
    patch.checkCodes(grid, "properties");
    patch.checkWorker(current, "properties");
    Object[] values = patch.applied(grid);
    if (Arrays.equals(values, grid.values())) {
      throw new EditRefused(
          EditRefused.Rule.NO_CHANGE, id, "grid " + id + " already has these values");
    }
    return Change.of(
        "grids",
        List.of(
            new Change.Replacement(
                grid, new Feature(id, grid.geometry(), values, grid.personal()))));
  }

  /**
   * The grid to write, checked against the current index (in the writer's turn, so no other write
   * comes between the check and this one): it exists, the caller's scope covers it, and the
   * caller's If-Match names its current version.
   */
  static Feature inScope(CityIndex current, Principal who, long id, String ifMatch) {
    Feature grid =
        current
            .layer("grids")
            .byId(id)
            .orElseThrow(
                () ->
                    ApiException.notFound("feature " + id + " does not exist in collection grids"));
    String code = grid.string(GridProperties.GRIDS.requireField("code"));
    if (!who.covers(code)) {
      throw Edits.outsideScope(who, code);
    }
    EntityTags.check(ifMatch, "grid " + id, EntityTags.of(GridProperties.GRIDS, grid));
    return grid;
  }
}
