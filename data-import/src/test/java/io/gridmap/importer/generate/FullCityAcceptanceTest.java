package io.gridmap.importer.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.importer.clean.DistrictCodes;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.IncidentState;
import io.gridmap.layers.model.Layer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Geometry;

/** The whole city at full scale against DESIGN.md's numbers. About a minute; -Pfast skips it. */
@Tag("slow")
class FullCityAcceptanceTest {
  private static Dataset city;

  @BeforeAll
  static void generate() {
    // progress goes to the test output: the phase timings are the generator's benchmark figures
    city =
        new CityGenerator(
                GeneratorConfig.fullCity(42), line -> System.out.println("[full city] " + line))
            .generate();
  }

  private static boolean mainUrban(Feature f) {
    return DistrictCodes.MAIN_URBAN.contains(Long.toString(f.id()).substring(0, 6));
  }

  @Test
  void countsMatchTheDesign() {
    assertThat(city.layer("districts").size()).isEqualTo(38);
    assertThat(city.layer("streets").size()).isEqualTo(1031);
    assertThat(city.layer("villages").size()).isBetween(10_780, 11_220);
    assertThat(city.layer("grids").size()).isBetween(63_700, 66_300);
    double streetShare =
        city.layer("streets").features().stream().filter(FullCityAcceptanceTest::mainUrban).count()
            / 1031.0;
    double gridShare =
        city.layer("grids").features().stream().filter(FullCityAcceptanceTest::mainUrban).count()
            / (double) city.layer("grids").size();
    assertThat(streetShare).as("main urban share of streets").isBetween(0.13, 0.17);
    assertThat(gridShare).as("main urban share of grids").isBetween(0.30, 0.37);
  }

  @Test
  void residentsAndPointsHaveTheDesignMagnitudes() {
    long people = city.layer("districts").features().stream().mapToLong(f -> f.longValue(2)).sum();
    assertThat(people).isBetween(31_500_000L, 32_500_000L);
    assertThat((double) people / city.layer("grids").size()).isBetween(450.0, 550.0);
    assertThat(city.layer("key_sites").size()).isBetween(80_000, 110_000);
    // the seed's volumes (issue 10): over a million forces and a million events a year, a few
    // hundred to a few thousand of them still open at the year's end
    assertThat(city.layer("forces").size()).isBetween(1_030_000, 1_130_000);
    assertThat(city.layer("events").size()).isBetween(1_050_000, 1_150_000);
    int status = Catalogue.EVENTS.requireField("status");
    long open =
        city.layer("events").features().stream()
            .filter(e -> !IncidentState.ofCode(e.string(status)).orElseThrow().terminal())
            .count();
    assertThat(open).as("open at the year's end").isBetween(300L, 5_000L);
    assertThat(city.metadata().hotspots()).hasSizeBetween(6, 10);
  }

  @Test
  void shapesAreAcceptable() {
    for (String layer : List.of("streets", "villages", "grids")) {
      assertThat(CityStats.tooSmall(city, layer))
          .as(layer + " below 2 ha (urban) or 20 ha (rural)")
          .isEmpty();
      assertThat(CityStats.compactShare(city.layer(layer), 0.15))
          .as(layer + " with Polsby-Popper >= 0.15")
          .isGreaterThanOrEqualTo(0.99);
    }
    assertThat(CityStats.urbanToRuralMedianGridArea(city)).isLessThanOrEqualTo(0.1);
  }

  @Test
  void everyLevelTilesItsParentsAndIsOneCoverage() {
    assertThat(CityStats.untiledParents(city, "streets", "districts")).isEmpty();
    assertThat(CityStats.untiledParents(city, "villages", "streets")).isEmpty();
    assertThat(CityStats.untiledParents(city, "grids", "villages")).isEmpty();
    for (var def : Catalogue.ADMIN_LEVELS) {
      assertThat(CityStats.isCoverage(city.layer(def.name()))).as(def.name()).isTrue();
    }
  }

  @Test
  void gridsPerVillageFollowTheKind() {
    Map<String, Long> grids =
        city.layer("grids").features().stream()
            .collect(
                Collectors.groupingBy(g -> g.string(0).substring(0, 12), Collectors.counting()));
    for (Feature v : city.layer("villages").features()) {
      long n = grids.get(v.string(0));
      if (v.string(2).equals("community")) {
        assertThat(n).isBetween(5L, 15L);
      } else {
        assertThat(n).isBetween(2L, 5L);
      }
    }
  }

  @Test
  void simplifiedGridsOfEachVillageStayACoverage() {
    Layer grids = city.layer("grids");
    for (int z = 12; z <= 14; z++) {
      Map<Long, Geometry> g = city.generalised().get("grids", z);
      assertThat(g).hasSize(grids.size());
      Map<String, List<Geometry>> byVillage = new HashMap<>();
      for (Feature f : grids.features()) {
        byVillage
            .computeIfAbsent(f.string(0).substring(0, 12), k -> new ArrayList<>())
            .add(g.get(f.id()));
      }
      for (var e : byVillage.entrySet()) {
        assertThat(
                CoverageValidator.hasInvalidResult(
                    CoverageValidator.validate(e.getValue().toArray(Geometry[]::new))))
            .as("grids of " + e.getKey() + " at z" + z)
            .isFalse();
      }
    }
  }
}
