package io.gridmap.server.edit;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.layers.edit.Change;
import io.gridmap.layers.edit.EditRefused;
import io.gridmap.layers.edit.GridRedraw;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.security.Principal;
import io.gridmap.server.security.SecurityHandler;
import io.gridmap.server.web.ApiException;
import io.gridmap.server.web.GeoJsonReader;
import io.gridmap.server.web.Params;
import io.gridmap.server.write.Writer;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * {@code PUT /collections/grids/items/{fid}}: OGC API - Features Part 4 "replace" of one grid with
 * a whole GeoJSON Feature, as a client sends back what it read and changed.
 *
 * <p>Replace means the body is the grid as the caller sees it: every editable property the caller
 * reads must be given (a missing one is a 400 naming it, never a silent clear); a property the
 * caller's role does not read (worker_name for a planner) is kept unless given. Codes may be
 * repeated unchanged. The geometry is required: the same outline changes nothing; another outline
 * is planned as a redraw of this one grid by {@link GridRedraw}'s rules, which refuse it (a lone
 * grid cannot move a boundary without its neighbour: same-outline, no-gap) unless it only reshapes
 * the grid without moving what it covers. Boundaries between grids move with {@code POST
 * /edits/grids}.
 */
final class GridReplaceHandler {
  static final String BODY_FORM =
      "a GeoJSON Feature of the grid: {\"type\": \"Feature\", \"geometry\": its Polygon or"
          + " MultiPolygon, \"properties\": {every editable property}}; editable: "
          + String.join(", ", GridProperties.EDITABLE);

  private static final GeometryFactory FACTORY = new GeometryFactory();

  private final Edits edits;
  private final GridRedraw.Limits limits;

  GridReplaceHandler(Edits edits, GridRedraw.Limits limits) {
    this.edits = edits;
    this.limits = limits;
  }

  /** A replacement: the new outline and the properties given. */
  record Replacement(Geometry outline, GridProperties properties) {}

  void handle(RoutingContext ctx) {
    Principal who = SecurityHandler.principal(ctx);
    long id = Edits.gridId(ctx);
    Edits.requireJson(ctx, "application/geo+json or application/json: " + BODY_FORM, true);
    String ifMatch = edits.ifMatch(ctx, id);
    edits.content(); // 503 while loading
    byte[] body = Edits.body(ctx);
    String base = edits.baseUrl(ctx);
    int[] fields = Edits.fields(who);
    List<String> required =
        Arrays.stream(fields)
            .mapToObj(i -> GridProperties.GRIDS.fields().get(i).name())
            .filter(GridProperties.EDITABLE::contains)
            .toList();
    edits.run(
        ctx,
        () -> {
          Replacement r = parse(body, id, required, limits);
          return new Writer.Write(
              who,
              "grid.replace",
              "grids/" + id,
              current -> plan(current, who, id, ifMatch, r, limits));
        },
        index -> Edits.tagged(index.layer("grids").byId(id).orElseThrow(), fields, base));
  }

  /**
   * The body as a replacement, or a 400 naming what is wrong.
   *
   * @param required the editable properties the caller reads, which a replacement must give
   */
  static Replacement parse(byte[] body, long id, List<String> required, GridRedraw.Limits limits) {
    JsonNode feature = GeoJsonReader.object(body, BODY_FORM);
    JsonNode properties = null;
    JsonNode geometry = null;
    boolean typed = false;
    for (Iterator<Map.Entry<String, JsonNode>> it = feature.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      switch (e.getKey()) {
        case "type" -> {
          if (!"Feature".equals(v.asText(null))) {
            throw GeoJsonReader.invalid("type", v, "\"Feature\": " + BODY_FORM);
          }
          typed = true;
        }
        case "id" -> {
          if (!(v.isIntegralNumber() || v.isTextual()) || !v.asText().equals(Long.toString(id))) {
            throw GeoJsonReader.invalid(
                "id", v, id + ", the id in the path (a grid's id never changes)");
          }
        }
        case "geometry" -> geometry = v;
        case "properties" -> properties = v;
        // what a GET of the item gives besides: a client sends it back as it read it
        case "links", "etag", "bbox" -> {}
        default ->
            throw ApiException.badRequest(
                Params.quote(e.getKey())
                    + " is not a member a grid replacement may carry; expected "
                    + BODY_FORM);
      }
    }
    if (!typed) {
      throw ApiException.badRequest("type is missing; expected " + BODY_FORM);
    }
    if (geometry == null || geometry.isNull()) {
      throw ApiException.badRequest(
          "geometry is missing: a replacement is the whole grid, its outline included (send it as"
              + " you read it to change attributes only, or PATCH the properties); expected "
              + BODY_FORM);
    }
    if (properties == null || properties.isNull()) {
      throw ApiException.badRequest("properties is missing; expected " + BODY_FORM);
    }
    GridProperties p = GridProperties.parse(properties, "properties");
    List<String> missing = required.stream().filter(n -> !p.values().containsKey(n)).toList();
    if (!missing.isEmpty()) {
      throw ApiException.badRequest(
          "properties lacks "
              + String.join(", ", missing)
              + ": a PUT replaces the grid, so every editable property you read is given (null"
              + " clears worker_name); send the grid as you read it with your changes, or PATCH"
              + " only what changes");
    }
    Geometry outline =
        GeoJsonReader.polygonal(
            geometry,
            "geometry",
            FACTORY,
            new GeoJsonReader.Budget(limits.maxVerticesPerRequest(), "one grid"));
    return new Replacement(outline, p);
  }

  /**
   * The change against the current index: in scope, the version named, codes unchanged, worker a
   * force, and a new outline only as a redraw of this grid allows.
   */
  static Change plan(
      CityIndex current,
      Principal who,
      long id,
      String ifMatch,
      Replacement r,
      GridRedraw.Limits limits) {
    Feature grid = GridUpdateHandler.inScope(current, who, id, ifMatch);
    r.properties().checkCodes(grid, "properties");
    r.properties().checkWorker(current, "properties");
    Object[] values = r.properties().applied(grid);
    GridRedraw.Plan redraw;
    try {
      redraw = GridRedrawHandler.redraw(current, Map.of(id, r.outline()), limits);
    } catch (EditRefused e) {
      if (e.rule() != EditRefused.Rule.NO_CHANGE) {
        throw e;
      }
      redraw = null;
    }
    if (redraw == null) {
      if (Arrays.equals(values, grid.values())) {
        throw new EditRefused(
            EditRefused.Rule.NO_CHANGE, id, "grid " + id + " already is as given");
      }
      return Change.of(
          "grids",
          List.of(
              new Change.Replacement(
                  grid, new Feature(id, grid.geometry(), values, grid.personal()))));
    }
    Feature redrawn = redraw.change().replacements().get(0).after();
    return new Change(
        "grids",
        List.of(
            new Change.Replacement(
                grid, new Feature(id, redrawn.geometry(), values, grid.personal()))),
        redraw.change().generalised());
  }
}
