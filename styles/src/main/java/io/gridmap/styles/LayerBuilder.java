package io.gridmap.styles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Writes one style layer object; keys follow the MapLibre style spec. */
final class LayerBuilder {
  private final ObjectNode layer = Expr.NODES.objectNode();
  private final ObjectNode layout = Expr.NODES.objectNode();
  private final ObjectNode paint = Expr.NODES.objectNode();
  private final ObjectNode metadata = Expr.NODES.objectNode();

  private LayerBuilder(String id, String type) {
    layer.put("id", id);
    layer.put("type", type);
  }

  static LayerBuilder layer(String id, String type, String sourceLayer) {
    LayerBuilder b = new LayerBuilder(id, type);
    b.layer.put("source", StyleLayers.SOURCE);
    b.layer.put("source-layer", sourceLayer);
    return b;
  }

  static LayerBuilder background(String id) {
    return new LayerBuilder(id, "background");
  }

  LayerBuilder minzoom(int zoom) {
    layer.put("minzoom", zoom);
    return this;
  }

  /** The first zoom at which the layer is no longer drawn (exclusive, as MapLibre has it). */
  LayerBuilder maxzoom(int zoom) {
    layer.put("maxzoom", zoom);
    return this;
  }

  LayerBuilder filter(JsonNode filter) {
    layer.set("filter", filter);
    return this;
  }

  LayerBuilder layout(String key, Object value) {
    layout.set(key, Expr.node(value));
    return this;
  }

  LayerBuilder paint(String key, Object value) {
    paint.set(key, Expr.node(value));
    return this;
  }

  /** The viewer's toggle group: an admin level, a point layer, or a board. */
  LayerBuilder group(String group) {
    metadata.put("gridmap:group", group);
    return this;
  }

  LayerBuilder board(String boardCode) {
    metadata.put("gridmap:board", boardCode);
    return this;
  }

  ObjectNode build() {
    if (!metadata.isEmpty()) {
      layer.set("metadata", metadata);
    }
    if (!layout.isEmpty()) {
      layer.set("layout", layout);
    }
    if (!paint.isEmpty()) {
      layer.set("paint", paint);
    }
    return layer;
  }
}
