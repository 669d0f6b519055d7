package io.gridmap.importer.generate;

import io.gridmap.importer.clean.District;
import io.gridmap.importer.clean.DistrictCleaner;
import io.gridmap.layers.model.Dataset;
import java.util.ArrayList;
import java.util.List;

/**
 * A small generated city shared by the tests: 渝中 (all city), 沙坪坝 (main urban with towns), 城口 (a
 * rural county) and one district that gets a hotspot for the seed, at a tenth of full scale.
 * Generated once per test JVM: about a second.
 */
public final class SmallCity {
  public static final long SEED = 7;
  public static final double SCALE = 0.1;

  private static Dataset city;
  private static GeneratorConfig config;

  private SmallCity() {}

  public static synchronized GeneratorConfig config() {
    if (config == null) {
      List<String> all =
          DistrictCleaner.chongqing().districts().stream().map(District::code).toList();
      List<String> codes = new ArrayList<>(List.of("500103", "500106", "500229"));
      String hot =
          CityGenerator.hotspotDistricts(SEED, all).stream()
              .filter(c -> !codes.contains(c))
              .findFirst()
              .orElseThrow();
      codes.add(hot);
      config = new GeneratorConfig(SEED, SCALE, codes);
    }
    return config;
  }

  public static synchronized Dataset city() {
    if (city == null) {
      city = new CityGenerator(config()).generate();
    }
    return city;
  }
}
