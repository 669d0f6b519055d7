package io.gridmap.importer.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.model.EventCategory;
import io.gridmap.layers.model.ForceRole;
import io.gridmap.layers.model.SiteCategory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The generator plans every category and role of the data model, each exactly once. */
class PlansCoverVocabularyTest {
  @Test
  void everyModelValueHasOnePlan() {
    assertThat(Arrays.stream(SitePlan.values()).map(p -> p.category))
        .containsExactlyInAnyOrder(SiteCategory.values());
    assertThat(Arrays.stream(ForcePlan.values()).map(p -> p.role))
        .containsExactlyInAnyOrder(ForceRole.values());
    assertThat(Arrays.stream(EventPlan.values()).map(p -> p.category))
        .containsExactlyInAnyOrder(EventCategory.values());
  }

  @Test
  void onlyHomesOfVulnerablePeopleArePersonal() {
    for (SitePlan p : SitePlan.values()) {
      assertThat(p.personal())
          .as(p.toString())
          .isEqualTo(p.category == SiteCategory.ELDERLY_ALONE_HOME);
    }
  }
}
