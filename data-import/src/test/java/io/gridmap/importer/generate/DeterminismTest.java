package io.gridmap.importer.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeterminismTest {
  private static final List<String> TWO = List.of("500104", "500237");

  private static Dataset generate(long seed, List<String> codes) {
    return new CityGenerator(new GeneratorConfig(seed, 0.05, codes)).generate();
  }

  @Test
  void sameSeedGivesAnIdenticalDataset() {
    Dataset a = generate(11, TWO);
    Dataset b = generate(11, TWO);
    assertThat(DatasetHash.of(a)).isEqualTo(DatasetHash.of(b));
    assertThat(a.metadata().hotspots()).isEqualTo(b.metadata().hotspots());
    assertThat(a.generalised().get("grids", 13).keySet())
        .isEqualTo(b.generalised().get("grids", 13).keySet());
  }

  @Test
  void anotherSeedGivesAnotherDataset() {
    assertThat(DatasetHash.of(generate(11, TWO))).isNotEqualTo(DatasetHash.of(generate(12, TWO)));
  }

  @Test
  void aDistrictComesOutTheSameAloneAsWithOthers() {
    Dataset both = generate(11, TWO);
    Dataset alone = generate(11, List.of("500237"));
    String inBoth = DatasetHash.of(both, f -> inDistrict(f, "500237"));
    String inAlone = DatasetHash.of(alone, f -> inDistrict(f, "500237"));
    assertThat(inBoth).isEqualTo(inAlone);
    List<Long> ids = new ArrayList<>();
    alone.layers().values().forEach(l -> l.features().forEach(f -> ids.add(f.id())));
    assertThat(ids).allMatch(id -> Long.toString(id).startsWith("500237"));
  }

  private static boolean inDistrict(Feature f, String code) {
    return Long.toString(f.id()).startsWith(code);
  }

  @Test
  void scaleMultipliesTheCountsButKeepsAStreetPerDistrict() {
    Dataset small = new CityGenerator(new GeneratorConfig(3, 0.02, TWO)).generate();
    Dataset larger = new CityGenerator(new GeneratorConfig(3, 0.08, TWO)).generate();
    assertThat(small.layer("streets").size()).isGreaterThanOrEqualTo(2);
    double ratio = (double) larger.layer("grids").size() / small.layer("grids").size();
    assertThat(ratio).isBetween(3.0, 5.0);
    double events = (double) larger.layer("events").size() / small.layer("events").size();
    assertThat(events).isBetween(3.0, 5.0);
  }
}
