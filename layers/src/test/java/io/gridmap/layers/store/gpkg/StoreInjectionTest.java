package io.gridmap.layers.store.gpkg;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.FieldType;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.DatasetAssertions;
import io.gridmap.layers.testing.TestDatasets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, point 4 for the GeoPackage store: values that look like SQL are data. Every string
 * attribute of every feature is replaced by an injection string; the store writes and reads them
 * back byte for byte, and every table is still there.
 */
class StoreInjectionTest {
  private static final String[] PAYLOADS = {
    "'; DROP TABLE grids; --",
    "x' OR '1'='1",
    "\"); DELETE FROM events; --",
    "Robert'); DROP TABLE gpkg_contents;--",
    "1; ATTACH DATABASE '/tmp/pwn.db' AS pwn; --",
    "${jndi:ldap://127.0.0.1/a}",
    "\u0000nul\u0000",
  };

  @Test
  void sqlLookingValuesRoundTripAndHarmNothing(@TempDir Path dir) throws Exception {
    Dataset tiny = TestDatasets.tiny();
    List<Layer> layers = new ArrayList<>();
    int n = 0;
    for (Layer l : tiny.layers().values()) {
      List<Feature> fs = new ArrayList<>();
      for (Feature f : l.features()) {
        Object[] v = f.values().clone();
        for (int i = 0; i < v.length; i++) {
          if (l.def().fields().get(i).type() == FieldType.STRING) {
            v[i] = PAYLOADS[n++ % PAYLOADS.length];
          }
        }
        fs.add(new Feature(f.id(), f.geometry(), v, f.personal()));
      }
      layers.add(new Layer(l.def(), fs));
    }
    Dataset hostile = Dataset.of(layers, tiny.metadata(), tiny.generalised());
    Path file = dir.resolve("hostile.gpkg");
    try (FeatureStore s = Stores.open(file.toString())) {
      s.write(hostile);
    }
    try (FeatureStore s = Stores.open(file.toString())) {
      DatasetAssertions.assertSameDataset(hostile, s.read());
      assertThat(s.counts()).containsAllEntriesOf(tiny.metadata().counts());
    }
    assertThat(n).isGreaterThan(PAYLOADS.length);
  }
}
