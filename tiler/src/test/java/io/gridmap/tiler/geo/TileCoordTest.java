package io.gridmap.tiler.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gridmap.layers.geo.WebMercator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.locationtech.jts.geom.Envelope;

class TileCoordTest {
  @ParameterizedTest
  @CsvSource({
    "-1, 0, 0, zoom -1",
    "30, 0, 0, zoom 30",
    "3, -1, 0, x -1",
    "3, 8, 0, x 8",
    "3, 0, -5, y -5",
    "3, 0, 8, y 8",
    "0, 1, 0, x 1",
  })
  void outOfRangeCoordinatesAreRejectedNamingTheValueAndTheRange(
      int z, int x, int y, String named) {
    assertThatThrownBy(() -> new TileCoord(z, x, y))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(named)
        .hasMessageContaining("expected 0..");
  }

  @Test
  void ofXyzTakesXThenYThenZoom() {
    assertThat(TileCoord.ofXYZ(3, 5, 4)).isEqualTo(new TileCoord(4, 3, 5));
    assertThat(TileCoord.ofXYZ(3, 5, 4)).hasToString("4/3/5");
  }

  @Test
  void packsIntoOneLongAndBack() {
    SplittableRandom rnd = new SplittableRandom(3);
    for (int i = 0; i < 10_000; i++) {
      int z = rnd.nextInt(TileCoord.MAX_ZOOM + 1);
      TileCoord c = new TileCoord(z, rnd.nextInt(1 << z), rnd.nextInt(1 << z));
      assertThat(TileCoord.decode(c.encoded())).isEqualTo(c);
      assertThat(c.encoded()).isNotNegative();
    }
    TileCoord deepest = new TileCoord(29, (1 << 29) - 1, (1 << 29) - 1);
    assertThat(TileCoord.decode(deepest.encoded())).isEqualTo(deepest);
    assertThat(new TileCoord(1, 0, 1).encoded()).isNotEqualTo(new TileCoord(1, 1, 0).encoded());
  }

  @Test
  void zoomZeroIsTheWholeProjectedWorld() {
    Envelope b = new TileCoord(0, 0, 0).bounds();
    assertThat(b.getMinX()).isEqualTo(-WebMercator.HALF_WORLD);
    assertThat(b.getMaxX()).isEqualTo(WebMercator.HALF_WORLD);
    assertThat(b.getMinY()).isEqualTo(-WebMercator.HALF_WORLD);
    assertThat(b.getMaxY()).isEqualTo(WebMercator.HALF_WORLD);
  }

  @Test
  void rowsCountSouthFromTheNorthEdge() {
    Envelope nw = new TileCoord(1, 0, 0).bounds();
    assertThat(nw.getMinX()).isEqualTo(-WebMercator.HALF_WORLD);
    assertThat(nw.getMaxX()).isEqualTo(0.0);
    assertThat(nw.getMinY()).isEqualTo(0.0);
    assertThat(nw.getMaxY()).isEqualTo(WebMercator.HALF_WORLD);
    assertThat(new TileCoord(1, 1, 1).bounds())
        .isEqualTo(new Envelope(0, WebMercator.HALF_WORLD, -WebMercator.HALF_WORLD, 0));
  }

  @Test
  void theZ14TileOfYuzhongContainsIt() {
    double x = WebMercator.x(106.57);
    double y = WebMercator.y(29.55);
    TileCoord t = TileCoord.containing(x, y, 14);
    // 106.57E 29.55N is tile 13042/6783 at z14: x = 286.57/360 * 2^14 = 13042.1,
    // y = (1 - ln(tan(lat) + sec(lat)) / pi) / 2 * 2^14 = 6783.1
    assertThat(t).isEqualTo(new TileCoord(14, 13042, 6783));
    assertThat(t.bounds().contains(x, y)).isTrue();
    assertThat(TileCoord.size(14)).isCloseTo(2445.98, within(0.01));
    assertThat(t.lonLatBounds().contains(106.57, 29.55)).isTrue();
  }

  @Test
  void neighboursShareTheirEdgeExactly() {
    TileCoord a = new TileCoord(12, 3260, 1699);
    assertThat(a.maxX()).isEqualTo(new TileCoord(12, 3261, 1699).minX());
    assertThat(a.minY()).isEqualTo(new TileCoord(12, 3260, 1700).maxY());
  }

  @Test
  void theBufferGrowsEachSideBy64Of4096Units() {
    TileCoord t = new TileCoord(10, 815, 424);
    Envelope b = t.bufferedBounds(64, 4096);
    double unit = TileCoord.size(10) / 4096;
    assertThat(b.getMinX()).isCloseTo(t.minX() - 64 * unit, within(1e-6));
    assertThat(b.getMaxY()).isCloseTo(t.maxY() + 64 * unit, within(1e-6));
  }

  @Test
  void theTransformPutsTheNorthWestCornerAtTheOriginAndYDown() {
    TileCoord t = new TileCoord(12, 3260, 1699);
    TileTransform tr = new TileTransform(t, 4096);
    assertThat(tr.x(t.minX())).isCloseTo(0, within(1e-6));
    assertThat(tr.y(t.maxY())).isCloseTo(0, within(1e-6));
    assertThat(tr.x(t.maxX())).isCloseTo(4096, within(1e-6));
    assertThat(tr.y(t.minY())).isCloseTo(4096, within(1e-6));
  }
}
