package io.gridmap.server.web;

import io.vertx.core.json.JsonObject;

/** Link objects of OGC API documents. */
public final class Links {
  private Links() {}

  /** A link with its relation, media type and title. */
  public static JsonObject of(String href, String rel, String type, String title) {
    return new JsonObject().put("href", href).put("rel", rel).put("type", type).put("title", title);
  }
}
