package io.gridmap.importer.generate.shape;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.importer.clean.CleanedDistricts;
import io.gridmap.importer.clean.District;
import io.gridmap.importer.clean.DistrictCleaner;
import io.gridmap.importer.geo.FixedGrid;
import io.gridmap.layers.geo.GroundMeasure;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.WKTReader;

class PartitionerTest {
  private static CleanedDistricts districts;

  @BeforeAll
  static void load() {
    districts = DistrictCleaner.chongqing();
  }

  private static District district(String code) {
    return districts.districts().stream()
        .filter(d -> d.code().equals(code))
        .findFirst()
        .orElseThrow();
  }

  static void assertTiles(Geometry parent, List<Geometry> children) {
    for (Geometry c : children) {
      assertThat(c.isValid()).isTrue();
      assertThat(c.isEmpty()).isFalse();
    }
    Geometry[] cov = children.toArray(Geometry[]::new);
    assertThat(CoverageValidator.hasInvalidResult(CoverageValidator.validate(cov))).isFalse();
    double sum = children.stream().mapToDouble(Geometry::getArea).sum();
    assertThat(sum)
        .isCloseTo(parent.getArea(), org.assertj.core.data.Percentage.withPercentage(1e-6));
  }

  @Test
  void childrenTileTheParentExactlyWithTheRequestedCount() throws Exception {
    Geometry square =
        FixedGrid.FACTORY.createGeometry(
            new WKTReader().read("POLYGON ((106 29, 106.1 29, 106.1 29.1, 106 29.1, 106 29))"));
    Geometry parent = new io.gridmap.importer.geo.CanonicalDensifier(100).densify(square);
    List<Geometry> kids =
        new Partitioner(1e4, 50, 2).partition(parent, 17, new SplittableRandom(1));
    assertThat(kids).hasSize(17);
    assertTiles(parent, kids);
  }

  @Test
  void childrenOfNeighbouringParentsFormOneCoverage() {
    District yuzhong = district("500103");
    District jiangbei = district("500105");
    District shapingba = district("500106");
    Partitioner p = new Partitioner(2e4, 30, 2);
    List<Geometry> all = new ArrayList<>();
    for (District d : List.of(yuzhong, jiangbei, shapingba)) {
      List<Geometry> kids =
          p.partition(d.geometry(), 12, new SplittableRandom(d.code().hashCode()));
      assertThat(kids).hasSize(12);
      assertTiles(d.geometry(), kids);
      all.addAll(kids);
    }
    assertThat(
            CoverageValidator.hasInvalidResult(
                CoverageValidator.validate(all.toArray(Geometry[]::new))))
        .isFalse();
  }

  @Test
  void grandchildrenStillFormOneCoverageAcrossParents() {
    Partitioner p = new Partitioner(2e4, 30, 2);
    List<Geometry> grand = new ArrayList<>();
    for (District d : List.of(district("500103"), district("500108"))) {
      for (Geometry street : p.partition(d.geometry(), 5, new SplittableRandom(7))) {
        List<Geometry> kids = p.partition(street, 6, new SplittableRandom(11));
        assertTiles(street, kids);
        grand.addAll(kids);
      }
    }
    assertThat(
            CoverageValidator.hasInvalidResult(
                CoverageValidator.validate(grand.toArray(Geometry[]::new))))
        .isFalse();
  }

  @Test
  void noChildIsBelowTheMinimumArea() {
    District d = district("500103");
    double min = 200_000; // 20 ha, about half the average child: random cuts alone rarely manage
    List<Geometry> kids =
        new Partitioner(min, 30, 2).partition(d.geometry(), 60, new SplittableRandom(3));
    assertThat(kids).hasSize(60);
    assertThat(kids).allMatch(k -> GroundMeasure.sinusoidalAreaM2(k) >= min);
    assertTiles(d.geometry(), kids);
  }

  @Test
  void cellsSpanningTwoArmsOfAConcaveParentAreGivenAway() throws Exception {
    // a comb: three 1.1 km wide teeth 110 m apart, joined along the bottom; Voronoi cells of
    // seeds near a gap reach across it and come out of the cut in two parts
    Geometry comb =
        FixedGrid.FACTORY.createGeometry(
            new WKTReader()
                .read(
                    "POLYGON ((106 29, 106.034 29, 106.034 29.05, 106.0235 29.05, 106.0235 29.005, 106.0225 29.005, 106.0225 29.05, "
                        + "106.0115 29.05, 106.0115 29.005, 106.0105 29.005, 106.0105 29.05, 106 29.05, 106 29))"));
    Geometry parent = new io.gridmap.importer.geo.CanonicalDensifier(50).densify(comb);
    for (long seed = 0; seed < 5; seed++) {
      List<Geometry> kids =
          new Partitioner(1e4, 25, 2).partition(parent, 9, new SplittableRandom(seed));
      assertThat(kids).hasSize(9);
      assertThat(kids).allMatch(k -> k.getNumGeometries() == 1);
      assertTiles(parent, kids);
    }
  }

  private static double areaSpread(List<Geometry> kids) {
    double[] a = kids.stream().mapToDouble(GroundMeasure::areaM2).toArray();
    double mean = java.util.Arrays.stream(a).average().orElseThrow();
    double var =
        java.util.Arrays.stream(a).map(x -> (x - mean) * (x - mean)).average().orElseThrow();
    return Math.sqrt(var) / mean;
  }

  @Test
  void lloydRelaxationTurnsShardsIntoEvenBlocks() throws Exception {
    Geometry square =
        FixedGrid.FACTORY.createGeometry(
            new WKTReader().read("POLYGON ((106 29, 106.1 29, 106.1 29.1, 106 29.1, 106 29))"));
    Geometry parent = new io.gridmap.importer.geo.CanonicalDensifier(100).densify(square);
    // random Voronoi cells vary in area by about half their mean; two Lloyd steps take that under a
    // third
    double raw =
        areaSpread(new Partitioner(1, 0, 0).partition(parent, 40, new SplittableRandom(9)));
    double relaxed =
        areaSpread(new Partitioner(1, 0, 2).partition(parent, 40, new SplittableRandom(9)));
    assertThat(raw).isGreaterThan(0.4);
    assertThat(relaxed).isLessThan(0.3);
  }

  @Test
  void sameRandomSourceGivesTheSameChildren() {
    Geometry parent = district("500104").geometry();
    List<Geometry> a = new Partitioner(1e4, 30, 2).partition(parent, 9, new SplittableRandom(5));
    List<Geometry> b = new Partitioner(1e4, 30, 2).partition(parent, 9, new SplittableRandom(5));
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i).equalsExact(b.get(i))).isTrue();
    }
  }
}
