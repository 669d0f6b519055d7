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

  @Test
  void textReadAsBytesComesBackAsOneStringPerValue() {
    ValuePool pool = new ValuePool();
    String first = pool.sharedText("网格 500101".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String again = pool.sharedText("网格 500101".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(first).isEqualTo("网格 500101").isSameAs(again);
    assertThat(pool.sharedText(new byte[0])).isEmpty();
    assertThat(pool.sharedText(null)).isNull();
  }

  @Test
  void aColumnOfDistinctTextsStillDecodesOncePoolingStopped() {
    ValuePool pool = new ValuePool();
    for (int i = 0; i < ValuePool.PROBE; i++) {
      pool.sharedText(("request-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    byte[] bytes = "request-1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String a = pool.sharedText(bytes);
    assertThat(a).isEqualTo("request-1").isNotSameAs(pool.sharedText(bytes));
  }

  @Test
  void threadsReadingPartsOfOneLayerShareItsValues() throws Exception {
    ValuePool pool = new ValuePool();
    int threads = 4;
    java.util.concurrent.ExecutorService run =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      java.util.List<java.util.concurrent.Future<String[]>> parts = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        parts.add(
            run.submit(
                () -> {
                  String[] got = new String[1000];
                  for (int i = 0; i < got.length; i++) {
                    got[i] =
                        pool.sharedText(
                            ("grid-" + i % 100).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                  }
                  return got;
                }));
      }
      String[] first = parts.get(0).get();
      for (java.util.concurrent.Future<String[]> part : parts) {
        String[] got = part.get();
        for (int i = 0; i < got.length; i++) {
          assertThat(got[i]).isSameAs(first[i]);
        }
      }
    } finally {
      run.shutdownNow();
    }
  }
}
