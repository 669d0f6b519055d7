package io.gridmap.styles;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.model.ForceRole;
import io.gridmap.layers.model.SiteCategory;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every category and role of the data model has its own colour, and no two share one. */
class VocabularyColoursTest {
  @Test
  void everySiteCategoryHasExactlyOneDistinctColour() {
    assertThat(Arrays.stream(SiteColour.values()).map(SiteColour::category))
        .containsExactlyInAnyOrder(SiteCategory.values());
    Set<String> hexes = new HashSet<>();
    for (SiteColour c : SiteColour.values()) {
      assertThat(hexes.add(c.colour().hex())).as(c + " colour is unique").isTrue();
    }
    assertThat(hexes).doesNotContain(SiteColour.OTHER_COLOUR.hex());
  }

  @Test
  void everyForceRoleHasExactlyOneDistinctColour() {
    assertThat(Arrays.stream(ForceColour.values()).map(ForceColour::role))
        .containsExactlyInAnyOrder(ForceRole.values());
    Set<String> hexes = new HashSet<>();
    for (ForceColour c : ForceColour.values()) {
      assertThat(hexes.add(c.colour().hex())).as(c + " colour is unique").isTrue();
    }
    assertThat(hexes)
        .doesNotContain(ForceColour.OTHER_COLOUR.hex(), ForceColour.OFF_DUTY_COLOUR.hex());
  }
}
