package io.gridmap.importer.generate.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gridmap.importer.clean.District;
import io.gridmap.importer.clean.DistrictCleaner;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CityPlanTest {
  private static List<District> districts;

  @BeforeAll
  static void load() {
    districts = DistrictCleaner.chongqing().districts();
  }

  @Test
  void fullCityHasTheDesignCounts() {
    Collection<DistrictPlan> plans = CityPlan.of(districts, 1.0).all().values();
    assertThat(plans).hasSize(38);
    assertThat(plans.stream().mapToInt(DistrictPlan::streets).sum()).isEqualTo(1031);
    assertThat(plans.stream().mapToInt(DistrictPlan::units).sum()).isCloseTo(11_000, within(220));
    assertThat(plans.stream().mapToInt(DistrictPlan::grids).sum()).isCloseTo(65_000, within(1300));
    assertThat(plans.stream().mapToLong(DistrictPlan::population).sum())
        .isCloseTo(32_050_000L, within(100_000L));
    int mainStreets =
        plans.stream().filter(DistrictPlan::mainUrban).mapToInt(DistrictPlan::streets).sum();
    int mainGrids =
        plans.stream().filter(DistrictPlan::mainUrban).mapToInt(DistrictPlan::grids).sum();
    assertThat(mainStreets / 1031.0).isBetween(0.13, 0.17);
    assertThat(mainGrids / 65_000.0).isBetween(0.30, 0.37);
  }

  @Test
  void gridsPerUnitStayInTheirRanges() {
    for (double scale : new double[] {1.0, 0.1, 0.01}) {
      for (DistrictPlan p : CityPlan.of(districts, scale).all().values()) {
        assertThat(p.streets()).isPositive();
        assertThat(p.units()).isGreaterThanOrEqualTo(p.streets());
        if (p.communities() > 0) {
          assertThat(p.communityGrids()).isBetween(5 * p.communities(), 15 * p.communities());
        }
        if (p.villages() > 0) {
          assertThat(p.villageGrids()).isBetween(2 * p.villages(), 5 * p.villages());
        }
        assertThat(p.subdistricts() + p.townships()).isLessThanOrEqualTo(p.streets());
      }
    }
  }

  @Test
  void apportionAddsUpExactly() {
    long[] parts = Apportion.byWeight(1031, new double[] {3, 1, 1, 0.5}, 1);
    assertThat(parts[0] + parts[1] + parts[2] + parts[3]).isEqualTo(1031);
    long[] bounded =
        Apportion.bounded(20, new double[] {10, 1}, new long[] {2, 2}, new long[] {15, 15});
    assertThat(bounded).containsExactly(15, 5);
  }
}
