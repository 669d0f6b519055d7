package io.gridmap.tiler.render;

import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.LayerDef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attributes of a stored layer that tiles carry: its fields marked {@link Field#inTiles()} and
 * never a {@link Field#personal()} one (the model already forbids both at once; this checks again,
 * since a leak here would publish a person's name on every map).
 */
final class TileAttributes {
  private final int[] indexes;
  private final String[] names;
  private final Map<String, String> descriptions = new LinkedHashMap<>();

  TileAttributes(LayerDef def) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < def.fields().size(); i++) {
      Field f = def.fields().get(i);
      if (f.inTiles() && !f.personal()) {
        idx.add(i);
        descriptions.put(f.name(), f.description());
      }
    }
    indexes = idx.stream().mapToInt(Integer::intValue).toArray();
    names = idx.stream().map(i -> def.fields().get(i).name()).toArray(String[]::new);
  }

  /** The tiled fields' indexes in the layer's fields. */
  int[] indexes() {
    return indexes.clone();
  }

  /** The tiled fields' names, in the order of {@link #indexes()}. */
  String[] names() {
    return names.clone();
  }

  Map<String, String> descriptions() {
    return descriptions;
  }
}
