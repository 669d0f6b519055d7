package io.gridmap.layers.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;

class FeatureTest {
  private static final Point P = new GeometryFactory().createPoint(new Coordinate(106.5, 29.5));

  @Test
  void idsBelow2To52AreExactAsJavaScriptNumbers() {
    for (long id : new long[] {0, 1, 500_103_001_001_001L, 5_001_030_000_101L, (1L << 52) - 1}) {
      Feature f = new Feature(id, P, new Object[0], false);
      // what JSON.parse and pbf do with an id: read it into a double
      assertThat((long) (double) f.id()).as("%d through a double", id).isEqualTo(id);
    }
    assertThat(Feature.ID_LIMIT).isEqualTo(4_503_599_627_370_496L);
  }

  @Test
  void idsFrom2To52OnAndNegativeIdsAreRefusedNamingTheId() {
    // a 17-digit id: a JavaScript number makes 50010300100100101 into 50010300100100104, the
    // id of another force of the same grid
    assertThat((long) (double) 50_010_300_100_100_101L).isEqualTo(50_010_300_100_100_104L);
    for (long id : new long[] {1L << 52, 50_010_300_100_100_101L, -1}) {
      assertThatThrownBy(() -> new Feature(id, P, new Object[0], false))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "feature id "
                  + id
                  + " is outside 0..4503599627370495 (2^52 - 1): larger ids do not survive a"
                  + " JavaScript number");
    }
  }
}
