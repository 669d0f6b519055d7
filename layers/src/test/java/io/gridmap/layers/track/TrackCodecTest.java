package io.gridmap.layers.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrackCodecTest {
  @Test
  void fixesComeBackExactlyToTheTenMillionthOfADegreeAndTheMillisecond() {
    List<TrackPoint> fixes =
        List.of(
            TrackPoint.of(1_764_547_200_123L, 106.5512345, 29.5612345),
            TrackPoint.of(1_764_547_205_124L, 106.5512399, 29.5612001),
            TrackPoint.of(1_764_547_210_000L, 106.5511000, 29.5613999));

    List<TrackPoint> back = TrackCodec.decode(TrackCodec.encode(fixes));

    assertThat(back).containsExactlyElementsOf(fixes);
    assertThat(back.get(0).lon()).isEqualTo(106.5512345);
    assertThat(back.get(0).lat()).isEqualTo(29.5612345);
  }

  @Test
  void negativeDifferencesInTimeAndBothAxesRoundTrip() {
    List<TrackPoint> fixes =
        List.of(
            new TrackPoint(10_000, 1_065_000_000, 295_000_000),
            new TrackPoint(4_000, 1_064_999_000, 294_999_999),
            new TrackPoint(-5, -1_800_000_000, -900_000_000),
            new TrackPoint(Long.MAX_VALUE / 4, 1_800_000_000, 900_000_000));

    assertThat(TrackCodec.decode(TrackCodec.encode(fixes))).containsExactlyElementsOf(fixes);
  }

  @Test
  void aWalkAtOneFixEveryFiveSecondsCostsAboutSixBytesAFix() {
    Random r = new Random(7);
    List<TrackPoint> walk = new ArrayList<>();
    long t = 1_764_547_200_000L;
    int x = 1_065_512_345;
    int y = 295_612_345;
    for (int i = 0; i < 256; i++) {
      walk.add(new TrackPoint(t, x, y));
      t += 5_000 + r.nextInt(200) - 100;
      x += r.nextInt(1_400) - 700; // up to 7 m east or west
      y += r.nextInt(1_400) - 700;
    }

    byte[] packed = TrackCodec.encode(walk);

    assertThat(TrackCodec.decode(packed)).containsExactlyElementsOf(walk);
    assertThat(packed.length).isLessThan(256 * 7);
  }

  @Test
  void anAppenderContinuingPackedBytesPacksWhatOneEncodeWould() {
    List<TrackPoint> fixes =
        List.of(
            new TrackPoint(1_000, 1_065_000_000, 295_000_000),
            new TrackPoint(6_000, 1_065_000_700, 294_999_300),
            new TrackPoint(11_000, 1_064_999_000, 295_000_100));
    TrackCodec.Appender a = TrackCodec.Appender.continuing(TrackCodec.encode(fixes.subList(0, 2)));
    a.add(fixes.get(2));

    assertThat(a.bytes()).isEqualTo(TrackCodec.encode(fixes));
    assertThat(a.count()).isEqualTo(3);
    assertThat(a.first()).isEqualTo(fixes.get(0));
    assertThat(a.last()).isEqualTo(fixes.get(2));
  }

  @Test
  void truncatedOrForeignBytesAreRefusedWithWhereTheyEnd() {
    byte[] packed =
        TrackCodec.encode(List.of(new TrackPoint(1_764_547_200_000L, 1_065_000_000, 295_000_000)));

    assertThatThrownBy(() -> TrackCodec.decode(java.util.Arrays.copyOf(packed, packed.length - 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ends inside a number");
    assertThatThrownBy(() -> TrackCodec.decode(new byte[] {9, 1, 2}))
        .hasMessageContaining("format byte 1 but found byte 9");
  }
}
