package io.gridmap.server.query;

import io.gridmap.layers.index.AdminLevel;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.FieldType;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.query.count.GroupCounter;
import io.gridmap.layers.query.select.FeatureSelector;
import io.gridmap.server.content.Content;
import io.gridmap.server.ogc.OgcApi;
import io.gridmap.server.security.Visibility;
import io.gridmap.server.web.Params;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code GET
 * /query/counts?collection=events&by=street&datetime=2026-03-01/2026-03-31&category=...}: counts of
 * a collection's features grouped by an admin level (district, street, village, grid: from the grid
 * code each point carries, or a unit's own code), by an attribute (category, board, status, role,
 * ...), or by a time bucket of its timestamp (month, week, day, hour_of_day, in China Standard
 * Time). The selection parameters are those of its items.
 *
 * <p>Personal features (homes of elderly people living alone) are counted for the staff visibility
 * class only. The issue lets the public see "at most counts per grid", but a count here can be
 * narrowed far below a grid: a bbox of a few metres, a CQL2 {@code S_DWITHIN} of one metre, and a
 * handful of requests bisect their way to each home. Rather than decide which combinations of
 * parameters stay at grid level, the public class counts no personal feature at all, the rule of
 * every other endpoint.
 */
final class CountsHandler {
  private final OgcApi api;

  CountsHandler(OgcApi api) {
    this.api = api;
  }

  static List<String> accepted(LayerDef def) {
    List<String> out = new ArrayList<>(List.of("district", "street", "village", "grid"));
    for (Field f : def.fields()) {
      if (!f.personal()
          && (f.type() == FieldType.STRING || f.type() == FieldType.BOOLEAN)
          && !f.name().endsWith("code")
          && !f.name().equals("name")) {
        out.add(f.name());
      }
    }
    if (OgcApi.temporalField(def) >= 0) {
      out.addAll(List.of("month", "week", "day", "hour_of_day"));
    }
    return out;
  }

  void handle(RoutingContext ctx) {
    Content c = api.content();
    Selection sel =
        Selection.parse(api, c, ctx, "events", Set.of("by"))
            .limitArea(QueryArea.of(api), ctx.queryParams());
    LayerIndex layer = sel.layer();
    LayerDef def = layer.def();
    String by = Params.single(ctx.queryParams(), "by");
    List<String> accepted = accepted(def);
    if (by == null || !accepted.contains(by)) {
      throw Params.bad(
          "by",
          String.valueOf(by),
          "one of " + String.join(", ", accepted) + " for collection " + def.name());
    }
    var req = sel.request();
    Visibility v = QueryRoutes.visibility(ctx);
    api.work(
            () -> {
              // the public class never counts a personal feature, whatever the grouping (see the
              // class comment)
              int[] matches =
                  FeatureSelector.matches(
                      layer, req.bbox(), req.indexHint(), req.filter(), v == Visibility.STAFF);
              List<GroupCounter.Group> groups;
              switch (by) {
                case "district", "street", "village", "grid" -> {
                  AdminLevel level = AdminLevel.valueOf(by.toUpperCase(Locale.ROOT));
                  int codeField =
                      def.fieldIndex("grid_code") >= 0
                          ? def.fieldIndex("grid_code")
                          : def.fieldIndex("code");
                  Function<Feature, String> key =
                      f ->
                          codeField < 0
                              ? null
                              : GroupCounter.adminPrefix((String) f.value(codeField), level);
                  LayerIndex units = c.index().findLayer(level.layerName()).orElse(null);
                  Function<String, String> name =
                      code -> {
                        if (units == null || code.equals("null")) {
                          return null;
                        }
                        try {
                          return units
                              .byId(Long.parseLong(code))
                              .map(u -> (String) u.value(1))
                              .orElse(null);
                        } catch (NumberFormatException e) {
                          return null;
                        }
                      };
                  groups = GroupCounter.byKey(layer, matches, key, name);
                }
                case "month", "week", "day", "hour_of_day" ->
                    groups =
                        GroupCounter.byTime(
                            layer,
                            matches,
                            OgcApi.temporalField(def),
                            GroupCounter.Bucket.valueOf(by.toUpperCase(Locale.ROOT)));
                default -> {
                  int fi = def.fieldIndex(by);
                  groups =
                      GroupCounter.byKey(
                          layer,
                          matches,
                          f -> f.value(fi) == null ? null : String.valueOf(f.value(fi)),
                          null);
                }
              }
              JsonArray out = new JsonArray();
              for (GroupCounter.Group g : groups) {
                JsonObject o = new JsonObject().put("key", g.key());
                if (g.name() != null) {
                  o.put("name", g.name());
                }
                out.add(o.put("count", g.count()));
              }
              return new JsonObject()
                  .put("collection", def.name())
                  .put("by", by)
                  .put("numberMatched", matches.length)
                  .put("groups", out);
            })
        .onSuccess(doc -> QueryRoutes.json(ctx, v, doc))
        .onFailure(ctx::fail);
  }
}
