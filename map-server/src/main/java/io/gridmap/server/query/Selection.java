package io.gridmap.server.query;

import io.gridmap.layers.index.LayerIndex;
import io.gridmap.server.content.Content;
import io.gridmap.server.ogc.ItemsRequest;
import io.gridmap.server.ogc.OgcApi;
import io.gridmap.server.web.Params;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * The features a domain query works on: a collection ({@code collection}, with a default) narrowed
 * by the same parameters as its items (bbox, datetime, CQL2 filter, property parameters), so that
 * "manhole covers in March in 渝中" is asked the same way everywhere.
 */
record Selection(LayerIndex layer, ItemsRequest request) {

  static Selection parse(
      OgcApi api, Content c, RoutingContext ctx, String defaultCollection, Set<String> own) {
    MultiMap q = ctx.queryParams();
    String id = Params.single(q, "collection");
    LayerIndex layer = api.collection(c, id == null ? defaultCollection : id, ctx);
    MultiMap rest = MultiMap.caseInsensitiveMultiMap();
    for (var e : q.entries()) {
      if (!e.getKey().equals("collection") && !own.contains(e.getKey())) {
        rest.add(e.getKey(), e.getValue());
      }
    }
    return new Selection(layer, ItemsRequest.parse(layer, rest));
  }

  /** Refuses a bbox that covers more than the area limit; returns this selection. */
  Selection limitArea(QueryArea limit, MultiMap q) {
    if (request.bbox() != null) {
      limit.check("bbox", q.get("bbox"), QueryArea.km2(request.bbox()));
    }
    return this;
  }
}
