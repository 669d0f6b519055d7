package io.gridmap.importer.clean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.importer.geo.FixedGrid;
import io.gridmap.layers.geo.GroundMeasure;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.io.WKTReader;

class DistrictCleanerTest {
  private static CleanedDistricts chongqing;

  @BeforeAll
  static void clean() {
    chongqing = DistrictCleaner.chongqing();
  }

  @Test
  void bundledOutlinesAreNotACoverageAsShipped() {
    List<RawDistrict> raw = DistrictSource.bundled();
    assertThat(raw).hasSize(38);
    assertThat(raw).anyMatch(d -> !d.geometry().isValid());
    Geometry[] fixedOnly =
        raw.stream()
            .map(d -> org.locationtech.jts.geom.util.GeometryFixer.fix(d.geometry()))
            .toArray(Geometry[]::new);
    assertThat(
            Arrays.stream(CoverageValidator.validate(fixedOnly)).filter(Objects::nonNull).count())
        .isGreaterThan(0);
  }

  @Test
  void cleanedDistrictsFormAValidCoverage() {
    List<District> ds = chongqing.districts();
    assertThat(ds).hasSize(38);
    for (District d : ds) {
      assertThat(d.geometry().isValid()).as(d.code()).isTrue();
      assertThat(d.geometry().isEmpty()).as(d.code()).isFalse();
    }
    Geometry[] coverage = ds.stream().map(District::geometry).toArray(Geometry[]::new);
    assertThat(CoverageValidator.hasInvalidResult(CoverageValidator.validate(coverage))).isFalse();
  }

  @Test
  void everyVertexIsOnTheFixedGrid() {
    for (District d : chongqing.districts()) {
      for (Coordinate c : d.geometry().getCoordinates()) {
        assertThat(FixedGrid.PRECISION.makePrecise(c.x)).isEqualTo(c.x);
        assertThat(FixedGrid.PRECISION.makePrecise(c.y)).isEqualTo(c.y);
      }
    }
  }

  @Test
  void countyNamesBecomeTodaysDistrictNames() {
    assertThat(chongqing.districts())
        .anyMatch(d -> d.code().equals("500155") && d.name().equals("梁平区"));
    assertThat(chongqing.districts())
        .anyMatch(d -> d.code().equals("500156") && d.name().equals("武隆区"));
    assertThat(chongqing.districts()).filteredOn(District::mainUrban).hasSize(9);
  }

  @Test
  void reportCountsOverlapsAndGapsOfTheBundledFile() {
    CleaningReport r = chongqing.report();
    assertThat(r.districts()).isEqualTo(38);
    assertThat(r.repairedInputs()).isPositive();
    assertThat(r.overlapPieces()).isPositive();
    assertThat(r.gapPieces()).isPositive();
    assertThat(r.overlapKm2()).isPositive();
    assertThat(r.summary()).contains("overlap pieces");
    double total =
        chongqing.districts().stream()
            .mapToDouble(d -> GroundMeasure.areaM2(d.geometry()) / 1e6)
            .sum();
    // Chongqing is 82,400 km²; the 1/1024-degree source is close to that.
    assertThat(total).isBetween(80_000.0, 85_000.0);
  }

  @Test
  void overlapGoesToTheLowerCode() throws Exception {
    WKTReader wkt = new WKTReader(new GeometryFactory());
    RawDistrict a =
        new RawDistrict(
            "500102",
            "b",
            "b",
            wkt.read("POLYGON ((106 29, 106.1 29, 106.1 29.1, 106 29.1, 106 29))"));
    RawDistrict b =
        new RawDistrict(
            "500101",
            "a",
            "a",
            wkt.read("POLYGON ((106.09 29, 106.2 29, 106.2 29.1, 106.09 29.1, 106.09 29))"));
    CleanedDistricts c = new DistrictCleaner(1000).clean(List.of(a, b), "test");
    assertThat(c.report().overlapPieces()).isEqualTo(1);
    Geometry lower = c.districts().get(0).geometry();
    Geometry higher = c.districts().get(1).geometry();
    assertThat(c.districts().get(0).code()).isEqualTo("500101");
    assertThat(lower.getEnvelopeInternal().getMinX()).isEqualTo(106.09);
    assertThat(higher.getEnvelopeInternal().getMaxX()).isEqualTo(106.09);
    // 0.01° × 0.1° at 29°N: 0.974 km × 11.1 km
    assertThat(c.report().overlapKm2()).isCloseTo(10.8, org.assertj.core.data.Offset.offset(0.2));
  }

  @Test
  void sliverGapIsFilledIntoTheNeighbourWithTheLongestBorder() throws Exception {
    WKTReader wkt = new WKTReader(new GeometryFactory());
    // a+e and b leave a thin gap x in 106.1..106.1005 (0.54 km²) between them; c and d close it
    // at the top and bottom. b shares 0.1° of border with the gap, a and e 0.05° each, c and d
    // 0.0005°.
    RawDistrict a =
        new RawDistrict(
            "500101",
            "a",
            "a",
            wkt.read("POLYGON ((106 29.05, 106.1 29.05, 106.1 29.1, 106 29.1, 106 29.05))"));
    RawDistrict e =
        new RawDistrict(
            "500105",
            "e",
            "e",
            wkt.read("POLYGON ((106 29, 106.1 29, 106.1 29.05, 106 29.05, 106 29))"));
    RawDistrict b =
        new RawDistrict(
            "500102",
            "b",
            "b",
            wkt.read(
                "POLYGON ((106.1005 28.99, 106.2 28.99, 106.2 29.1, 106.1005 29.1, 106.1005 29, 106.1005 28.99))"));
    RawDistrict c =
        new RawDistrict(
            "500103",
            "c",
            "c",
            wkt.read("POLYGON ((106 29.1, 106.2 29.1, 106.2 29.2, 106 29.2, 106 29.1))"));
    RawDistrict d =
        new RawDistrict(
            "500104",
            "d",
            "d",
            wkt.read("POLYGON ((106 28.9, 106.1005 28.9, 106.1005 29, 106 29, 106 28.9))"));
    CleanedDistricts out = new DistrictCleaner(1000).clean(List.of(a, b, c, d, e), "test");
    assertThat(out.report().gapPieces()).isEqualTo(1);
    assertThat(out.report().gapKm2()).isGreaterThan(0.45).isLessThan(0.6);
    Geometry bGeom = out.districts().get(1).geometry();
    assertThat(bGeom.getEnvelopeInternal().getMinX()).isEqualTo(106.1);
    assertThat(
            CoverageValidator.hasInvalidResult(
                CoverageValidator.validate(
                    out.districts().stream().map(District::geometry).toArray(Geometry[]::new))))
        .isFalse();
  }

  @Test
  void errorsNameTheFileAndTheProblem() {
    String json =
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"不存在区\"},"
            + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[106,29]}}]}";
    assertThatThrownBy(
            () ->
                DistrictSource.read(
                    new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "bad.geojson"))
        .hasMessageContaining("bad.geojson")
        .hasMessageContaining("feature 0")
        .hasMessageContaining("不存在区");
    assertThatThrownBy(
            () ->
                DistrictSource.read(
                    new ByteArrayInputStream("[1,2".getBytes(StandardCharsets.UTF_8)), "x.geojson"))
        .hasMessageContaining("x.geojson");
  }
}
