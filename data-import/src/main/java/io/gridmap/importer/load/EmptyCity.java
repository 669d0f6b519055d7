package io.gridmap.importer.load;

import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.model.Layer;
import java.util.List;
import java.util.Map;

/**
 * A city with every built-in layer empty: what the first import into a new store writes, and what a
 * dry run into a store that holds nothing yet compares with.
 */
public final class EmptyCity {
  private EmptyCity() {}

  public static Dataset of() {
    return Dataset.of(
        Catalogue.ALL.stream().map(d -> new Layer(d, List.of())).toList(),
        new DatasetMetadata(
            "imported",
            0,
            1.0,
            List.of(),
            java.time.Instant.now().toString(),
            Map.of(),
            List.of(),
            Map.of("made_by", "mapserver import")),
        Generalised.empty());
  }
}
