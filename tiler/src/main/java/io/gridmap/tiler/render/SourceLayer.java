package io.gridmap.tiler.render;

import io.gridmap.tiler.encode.MvtLayerWriter;
import java.util.Map;

/**
 * One source layer of the tileset: what it is called, where it is drawn, how to render a tile of
 * it.
 */
public interface SourceLayer {
  String name();

  String description();

  int minZoom();

  int maxZoom();

  /** True when its features change while the server runs: cached briefly. */
  boolean live();

  /** Attributes the tiles carry, name to description, for TileJSON's vector_layers. */
  Map<String, String> fields();

  default boolean visibleAt(int z) {
    return z >= minZoom() && z <= maxZoom();
  }

  /** Writes the layer's features in {@code ctx}'s tile to {@code out}. */
  void render(RenderContext ctx, MvtLayerWriter out);
}
