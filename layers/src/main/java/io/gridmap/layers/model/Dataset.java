package io.gridmap.layers.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A whole city: every layer, its metadata, and the per-zoom generalised polygons that tiles draw.
 * This is what the generator produces, what a store writes and reads, and what the index is built
 * from.
 */
public record Dataset(
    Map<String, Layer> layers, DatasetMetadata metadata, Generalised generalised) {
  public Dataset {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(generalised, "generalised");
    layers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(layers));
  }

  public static Dataset of(List<Layer> layers, DatasetMetadata metadata, Generalised generalised) {
    Map<String, Layer> byName = new LinkedHashMap<>();
    for (Layer l : layers) {
      byName.put(l.name(), l);
    }
    return new Dataset(byName, metadata, generalised);
  }

  public Layer layer(String name) {
    Layer l = layers.get(name);
    if (l == null) {
      throw new IllegalArgumentException(
          "dataset has no layer " + name + "; it has " + layers.keySet());
    }
    return l;
  }
}
