package io.gridmap.styles.glyphs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SignedDistanceFieldTest {
  private static final int W = 30;
  private static final int H = 30;

  /** A 10 x 10 block of full ink at columns and rows 10..19 of a 30 x 30 image. */
  private static int[] square() {
    int[] c = new int[W * H];
    for (int y = 10; y < 20; y++) {
      for (int x = 10; x < 20; x++) {
        c[y * W + x] = 255;
      }
    }
    return c;
  }

  private static int at(byte[] sdf, int x, int y) {
    return sdf[y * W + x] & 0xff;
  }

  @Test
  void inkReadsAboveTheEdgeValueAndBackgroundBelow() {
    byte[] sdf = SignedDistanceField.encode(square(), W, H);

    assertThat(at(sdf, 15, 15)).as("deep inside").isEqualTo(255);
    assertThat(at(sdf, 10, 15)).as("first ink pixel").isGreaterThan(192);
    assertThat(at(sdf, 9, 15)).as("first background pixel").isLessThan(192);
    assertThat(at(sdf, 5, 15)).as("4+ px outside").isLessThan(64);
    assertThat(at(sdf, 0, 0)).as("far outside").isZero();
  }

  @Test
  void encodesDistanceWithRadiusEightAndCutoffQuarter() {
    byte[] sdf = SignedDistanceField.encode(square(), W, H);

    // pixel 9 is 1 px from the nearest ink pixel centre and 0.5 px from the edge; TinySDF's
    // convention measures to the ink pixel, so d = 1: 255 - 255 * (1/8 + 1/4) = 159.4
    assertThat(at(sdf, 9, 15)).isEqualTo(159);
    // 3 px out: 255 - 255 * (3/8 + 1/4) = 95.6
    assertThat(at(sdf, 7, 15)).isEqualTo(96);
    // diagonal from the corner: d = sqrt(2) -> 255 - 255 * (0.1768 + 0.25) = 146.2
    assertThat(at(sdf, 9, 9)).isEqualTo(146);
    // the first ink pixel, 1 px from the background: d = -1 -> 255 - 255 * (0.25 - 0.125) = 223.1
    assertThat(at(sdf, 10, 15)).isEqualTo(223);
    // 2 px in, the field saturates: 255 - 255 * (0.25 - 0.25) = 255
    assertThat(at(sdf, 11, 15)).isEqualTo(255);
  }

  @Test
  void placesAHalfCoveredPixelOnTheEdge() {
    int[] c = square();
    for (int y = 10; y < 20; y++) {
      c[y * W + 20] = 128; // a half-covered column right of the block
    }
    byte[] sdf = SignedDistanceField.encode(c, W, H);

    assertThat(at(sdf, 20, 15)).isBetween(185, 198);
  }

  @Test
  void fallsMonotonicallyAwayFromTheInk() {
    byte[] sdf = SignedDistanceField.encode(square(), W, H);

    for (int x = 15; x > 0; x--) {
      assertThat(at(sdf, x - 1, 15)).as("x=%d", x - 1).isLessThanOrEqualTo(at(sdf, x, 15));
    }
  }

  @Test
  void anImageWithoutInkIsAllBackground() {
    byte[] sdf = SignedDistanceField.encode(new int[W * H], W, H);

    for (byte b : sdf) {
      assertThat(b & 0xff).isZero();
    }
  }
}
