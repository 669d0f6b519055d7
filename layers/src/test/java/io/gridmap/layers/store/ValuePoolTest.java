package io.gridmap.layers.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ValuePoolTest {
  @Test
  void equalValuesComeBackAsOneInstance() {
    ValuePool pool = new ValuePool();
    Object first = pool.shared(new String("urgent"));
    Object again = pool.shared(new String("urgent"));
    assertThat(again).isSameAs(first);
  }

  @Test
  void aColumnOfCodesDrawnFromTheCitysGridsStaysPooledPastTheProbe() {
    ValuePool pool = new ValuePool();
    SplittableRandom rnd = new SplittableRandom(3);
    for (int i = 0; i < ValuePool.PROBE + 10; i++) {
      pool.shared("5001030010" + rnd.nextInt(65_000));
    }
    Object a = pool.shared(new String("grid-x"));
    assertThat(pool.shared(new String("grid-x"))).isSameAs(a);
  }

  @Test
  void aColumnOfDistinctValuesStopsBeingPooledAtTheProbe() {
    ValuePool pool = new ValuePool();
    for (int i = 0; i < ValuePool.PROBE; i++) {
      pool.shared("request-" + i);
    }
    Object a = pool.shared(new String("request-1"));
    assertThat(a).isNotSameAs(pool.shared(new String("request-1")));
  }

  @Test
  void smallNumbersAndBooleansAreLeftToTheJvmsOwnCaches() {
    ValuePool pool = new ValuePool();
    assertThat(pool.shared(7L)).isSameAs(Long.valueOf(7));
    assertThat(pool.shared(Boolean.TRUE)).isSameAs(Boolean.TRUE);
    Object big = pool.shared(Long.valueOf(1_000_000));
    assertThat(pool.shared(Long.valueOf(1_000_000))).isSameAs(big);
  }
}
