package io.gridmap.server.web;

import io.gridmap.layers.index.LayerIndex;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The {@code paths} object of the OpenAPI document being assembled, with what a module needs to
 * describe per-collection paths: the collections served now.
 *
 * @param paths the OpenAPI paths, keyed by path template
 * @param collections the layers served as collections, in catalogue order
 */
public record ApiPaths(JsonObject paths, List<LayerIndex> collections) {

  /** Adds one path item (its operations keyed by method). */
  public void put(String path, JsonObject item) {
    JsonObject existing = paths.getJsonObject(path);
    if (existing == null) {
      paths.put(path, item);
    } else {
      existing.mergeIn(item); // e.g. GET from one module, PATCH from another
    }
  }
}
