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
    String[] keys = by == null ? new String[0] : by.split(",", -1);
    if (by == null || keys.length > MAX_KEYS || !accepted.containsAll(List.of(keys))) {
      throw Params.bad(
          "by",
          String.valueOf(by),
          "one of "
              + String.join(", ", accepted)
              + " for collection "
              + def.name()
              + ", or up to "
              + MAX_KEYS
              + " of them comma-separated (by=street,status)");
    }
    if (new java.util.HashSet<>(List.of(keys)).size() != keys.length) {
      throw Params.bad("by", by, "each grouping at most once");
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
              if (keys.length == 1) {
                groups = groups(c, layer, matches, keys[0]);
              } else {
                // several groupings: one key per feature, the parts joined by '|'
                List<Function<Feature, String>> parts = new ArrayList<>();
                for (String k : keys) {
                  parts.add(key(layer, k));
                }
                groups =
                    GroupCounter.byKey(
                        layer,
                        matches,
                        f -> {
                          StringBuilder sb = new StringBuilder();
                          for (int i = 0; i < parts.size(); i++) {
                            sb.append(i == 0 ? "" : "|").append(parts.get(i).apply(f));
                          }
                          return sb.toString();
                        },
                        null);
              }
              JsonArray out = new JsonArray();
              for (GroupCounter.Group g : groups) {
                JsonObject o = new JsonObject().put("key", g.key());
                if (g.name() != null) {
                  o.put("name", g.name());
                }
                if (keys.length > 1) {
                  String[] values = g.key().split("\\|", -1);
                  JsonObject named = new JsonObject();
                  for (int i = 0; i < keys.length; i++) {
                    named.put(keys[i], values[i]);
                  }
                  o.put("keys", named);
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

  /** At most this many groupings in one {@code by}. */
  static final int MAX_KEYS = 3;

  /** The key of one grouping for a feature: its admin unit, time bucket or attribute value. */
  private static Function<Feature, String> key(LayerIndex layer, String by) {
    LayerDef def = layer.def();
    return switch (by) {
      case "district", "street", "village", "grid" -> {
        AdminLevel level = AdminLevel.valueOf(by.toUpperCase(Locale.ROOT));
        int codeField =
            def.fieldIndex("grid_code") >= 0 ? def.fieldIndex("grid_code") : def.fieldIndex("code");
        yield f ->
            codeField < 0 ? null : GroupCounter.adminPrefix((String) f.value(codeField), level);
      }
      case "month", "week", "day", "hour_of_day" -> {
        int t = OgcApi.temporalField(def);
        GroupCounter.Bucket bucket = GroupCounter.Bucket.valueOf(by.toUpperCase(Locale.ROOT));
        yield f -> f.value(t) == null ? null : bucket.key((Long) f.value(t));
      }
      default -> {
        int fi = def.fieldIndex(by);
        yield f -> f.value(fi) == null ? null : String.valueOf(f.value(fi));
      }
    };
  }

  /** One grouping, as before several were allowed: admin units carry their names. */
  private static List<GroupCounter.Group> groups(
      Content c, LayerIndex layer, int[] matches, String by) {
    LayerDef def = layer.def();
    switch (by) {
      case "district", "street", "village", "grid" -> {
        AdminLevel level = AdminLevel.valueOf(by.toUpperCase(Locale.ROOT));
        LayerIndex units = c.index().findLayer(level.layerName()).orElse(null);
        Function<String, String> name =
            code -> {
              if (units == null || code.equals("null")) {
                return null;
              }
              try {
                return units.byId(Long.parseLong(code)).map(u -> (String) u.value(1)).orElse(null);
              } catch (NumberFormatException e) {
                return null;
              }
            };
        return GroupCounter.byKey(layer, matches, key(layer, by), name);
      }
      case "month", "week", "day", "hour_of_day" -> {
        return GroupCounter.byTime(
            layer,
            matches,
            OgcApi.temporalField(def),
            GroupCounter.Bucket.valueOf(by.toUpperCase(Locale.ROOT)));
      }
      default -> {
        return GroupCounter.byKey(layer, matches, key(layer, by), null);
      }
    }
  }
}
