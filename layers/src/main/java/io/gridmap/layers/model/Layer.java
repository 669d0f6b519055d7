package io.gridmap.layers.model;

import java.util.List;
import java.util.Objects;

/** A layer's definition with its features. */
public record Layer(LayerDef def, List<Feature> features) {
  public Layer {
    Objects.requireNonNull(def, "def");
    features = List.copyOf(features);
  }

  public String name() {
    return def.name();
  }

  public int size() {
    return features.size();
  }
}
