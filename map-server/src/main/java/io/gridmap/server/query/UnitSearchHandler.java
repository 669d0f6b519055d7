package io.gridmap.server.query;

import io.gridmap.layers.index.AdminLevel;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LabelIndex;
import io.gridmap.server.content.Content;
import io.gridmap.server.ogc.OgcApi;
import io.gridmap.server.web.ApiException;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.List;

/**
 * {@code GET /viewer/search?q=}: districts, streets, villages and grids by name or code, for the
 * viewer's search box ({@link UnitSearch}). The index is built on the query pool once per version
 * of the admin levels' labels, as soon as the content is in memory, so the first search is quick.
 */
final class UnitSearchHandler {
  private final OgcApi api;
  private Future<UnitSearch> search;

  /**
   * The label indexes the search was built from: a rename or redraw replaces one, a position never
   * does.
   */
  private List<LabelIndex> searchLabels;

  UnitSearchHandler(OgcApi api) {
    this.api = api;
  }

  /** Builds the index in the background once the content is loaded. */
  void buildWhenLoaded() {
    api.ready().onSuccess(this::searchIndex);
  }

  void handle(RoutingContext ctx) {
    Content content = api.content();
    UnitSearch.Query query;
    try {
      query =
          UnitSearch.Query.parse(
              ctx.request().getParam("q"),
              ctx.request().getParam("level"),
              ctx.request().getParam("limit"));
    } catch (ApiException e) {
      ctx.fail(e);
      return;
    }
    searchIndex(content)
        .compose(index -> api.work(() -> index.find(query)))
        .onSuccess(
            json ->
                ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "public, max-age=60")
                    .end(json.encode()))
        .onFailure(ctx::fail);
  }

  /** The name index of the current units. */
  private synchronized Future<UnitSearch> searchIndex(Content content) {
    CityIndex index = content.index();
    List<LabelIndex> labels = Arrays.stream(AdminLevel.values()).map(index::labels).toList();
    if (search == null || !labels.equals(searchLabels)) { // LabelIndex equality is identity
      searchLabels = labels;
      search = api.work(() -> UnitSearch.build(index));
    }
    return search;
  }
}
