package io.gridmap.server.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import io.gridmap.layers.model.Generalised;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PastViewsTest {
  private static final CityIndex EMPTY =
      CityIndex.build(
          Dataset.of(
              List.of(),
              new DatasetMetadata("past", 0, 1, null, null, null, null, null),
              Generalised.empty()));

  @Test
  void aViewAskedAgainIsBuiltOnce() {
    PastViews views = new PastViews();
    AtomicInteger built = new AtomicInteger();
    for (int i = 0; i < 3; i++) {
      views.index("2026-12-01T08:00Z", () -> count(built));
    }
    assertThat(built).hasValue(1);
  }

  @Test
  void keepsTheEightAskedLastAndForgetsTheOldest() {
    PastViews views = new PastViews();
    AtomicInteger built = new AtomicInteger();
    for (int k = 0; k < 9; k++) {
      views.index(k, () -> count(built));
    }
    views.index(8, () -> count(built)); // kept: the newest
    views.index(1, () -> count(built)); // kept
    assertThat(built).hasValue(9);
    views.index(0, () -> count(built)); // the oldest, gone: built again
    assertThat(built).hasValue(10);
  }

  @Test
  void twoServersDoNotShareTheirViews() {
    AtomicInteger built = new AtomicInteger();
    new PastViews().index("same instant", () -> count(built));
    new PastViews().index("same instant", () -> count(built));
    assertThat(built).hasValue(2);
  }

  private static CityIndex count(AtomicInteger built) {
    built.incrementAndGet();
    return EMPTY;
  }
}
