package io.gridmap.importer.clean;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.geo.GroundMeasure;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.WKTReader;

/** The generator's cleaning within a parent: overlaps, gaps and parts outside it. */
class UnitCleanerTest {
  private static Geometry wkt(String s) {
    try {
      return new WKTReader().read(s);
    } catch (org.locationtech.jts.io.ParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static final Geometry VILLAGE =
      wkt("POLYGON ((106.5 29.5, 106.51 29.5, 106.51 29.51, 106.5 29.51, 106.5 29.5))");

  @Test
  void overlapGoesToTheLowerCodeGapToTheLongestBorderAndWhatIsOutsideIsCutOff() {
    TreeMap<String, Geometry> grids = new TreeMap<>();
    // 001 reaches into 002 and out of the village at the bottom
    grids.put(
        "001",
        wkt("POLYGON ((106.5 29.499, 106.506 29.499, 106.506 29.51, 106.5 29.51, 106.5 29.499))"));
    // 002 leaves a strip uncovered at its right
    grids.put(
        "002",
        wkt(
            "POLYGON ((106.505 29.5, 106.5095 29.5, 106.5095 29.51, 106.505 29.51, 106.505 29.5))"));

    UnitCleaner.Cleaned c = UnitCleaner.within(VILLAGE, grids);

    Geometry a = c.units().get("001");
    Geometry b = c.units().get("002");
    assertThat(CoverageValidator.isValid(new Geometry[] {a, b})).isTrue();
    assertThat(a.union(b).symDifference(VILLAGE).getArea()).isLessThan(1e-12);
    // the lower code kept the overlap: 001 runs to 106.506
    assertThat(a.getEnvelopeInternal().getMaxX()).isEqualTo(106.506);
    assertThat(a.getEnvelopeInternal().getMinY()).isEqualTo(29.5);
    // the strip went to its only neighbour
    assertThat(b.getEnvelopeInternal().getMaxX()).isEqualTo(106.51);
    Map<String, Double> moved = new TreeMap<>();
    c.moves().forEach(m -> moved.merge(m.kind(), m.areaM2(), Double::sum));
    assertThat(moved).containsOnlyKeys("gap", "outside", "overlap");
    // the strip: 0.0005° x 0.01°, about 48 m x 1.1 km
    assertThat(moved.get("gap"))
        .isCloseTo(
            GroundMeasure.areaM2(
                wkt(
                    "POLYGON ((106.5095 29.5, 106.51 29.5, 106.51 29.51, 106.5095 29.51, 106.5095 29.5))")),
            org.assertj.core.data.Percentage.withPercentage(0.1));
    assertThat(c.moves())
        .filteredOn(m -> m.kind().equals("overlap"))
        .extracting(UnitCleaner.Move::to, UnitCleaner.Move::from)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("001", "002"));
  }

  @Test
  void unitsAcrossAParentsBoundaryShareTheVerticesTheCleaningAdded() {
    Map<String, Geometry> units = new TreeMap<>();
    // A was cleaned and got a vertex on its right edge that its neighbour B lacks
    units.put("A", wkt("POLYGON ((0 0, 1 0, 1 0.5, 1 1, 0 1, 0 0))"));
    units.put("B", wkt("POLYGON ((1 0, 2 0, 2 1, 1 1, 1 0))"));
    assertThat(CoverageValidator.isValid(units.values().toArray(Geometry[]::new))).isFalse();

    UnitCleaner.shareVertices(units, java.util.Set.of("A"));

    assertThat(CoverageValidator.isValid(units.values().toArray(Geometry[]::new))).isTrue();
    assertThat(units.get("B").getArea()).isEqualTo(1.0);
  }
}
