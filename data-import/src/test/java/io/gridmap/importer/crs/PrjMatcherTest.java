package io.gridmap.importer.crs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code .prj} detection for every fixture: GDAL's ESRI and OGC WKT1 of a spread of zones (see the
 * fixtures' README.md and generate.sh), hand-made variants, and the ones we refuse.
 */
class PrjMatcherTest {
  private static final Pattern GDAL_MADE = Pattern.compile("(esri|ogc)-([0-9]+)\\.prj");

  @Test
  void everyGdalMadePrjOfOursMatchesItsEpsgCode() {
    List<Path> files = fixtures().filter(p -> GDAL_MADE.matcher(name(p)).matches()).toList();
    assertThat(files).hasSizeGreaterThanOrEqualTo(27);
    for (Path f : files) {
      Matcher m = GDAL_MADE.matcher(name(f));
      assertThat(m.matches()).isTrue();
      SourceCrs crs = SourceCrs.fromPrj(read(f));
      assertThat(crs.code()).as(name(f)).isEqualTo("EPSG:" + m.group(2));
    }
  }

  @Test
  void handMadeVariantsOfOursMatchOnParameters() {
    assertThat(prj("hand-arcgis-transverse-mercator-cm108.prj")).isEqualTo(SourceCrs.parse("4545"));
    assertThat(prj("hand-custom-names-zone36.prj")).isEqualTo(SourceCrs.parse("4524"));
    assertThat(prj("hand-900913-google.prj")).isEqualTo(SourceCrs.WEB_MERCATOR);
    assertThat(prj("hand-3785-popular-visualisation-sphere.prj")).isEqualTo(SourceCrs.WEB_MERCATOR);
    assertThat(prj("hand-bom-crlf-4490.prj")).isEqualTo(SourceCrs.CGCS2000);
  }

  @Test
  void withAVerticalCsTheHorizontalOneCounts() {
    assertThat(prj("esri-4545+5737.prj")).isEqualTo(SourceCrs.parse("4545"));
    assertThat(prj("ogc-4545+5737.prj")).isEqualTo(SourceCrs.parse("4545"));
  }

  @Test
  void aSixDegreeMeridianIsTheThreeDegreeCodeOnlyWhenTheNameSaysSo() {
    // the same parameters: only the label differs, the conversion is the same
    assertThat(prj("esri-4544.prj")).isEqualTo(new GaussKruger(3, 105, false));
    assertThat(prj("esri-4507.prj")).isEqualTo(new GaussKruger(6, 105, false));
    assertThat(prj("ogc-4507.prj")).isEqualTo(new GaussKruger(6, 105, false));
  }

  @Test
  void otherDatumsAreRefusedNamingTheDatumAndHowToPassCrs() {
    assertThatThrownBy(() -> prj("esri-2383-xian1980.prj"))
        .hasMessageStartingWith(
            "the .prj declares the datum \"D_Xian_1980\" (spheroid \"Xian_1980\", a = 6378140,"
                + " 1/f = 298.257) in GEOGCS \"GCS_Xian_1980\", which matches no CRS we convert:"
                + " we convert WGS 84 and CGCS2000 (China_2000); other datums (Xian 1980, Beijing"
                + " 1954, local systems) need transformation parameters a .prj does not carry, so"
                + " convert the data to CGCS2000 or WGS 84 first with the parameters from your"
                + " surveying bureau. If you know the CRS the coordinates are in, pass --crs with"
                + " one of wgs84 (EPSG:4326)")
        .hasMessageEndingWith("(the .prj is then not read)");
    assertThatThrownBy(() -> prj("esri-2433-beijing1954.prj"))
        .hasMessageContaining("the datum \"D_Beijing_1954\" (spheroid \"Krasovsky_1940\"");
    assertThatThrownBy(() -> prj("esri-4214-beijing1954.prj"))
        .hasMessageContaining("the datum \"D_Beijing_1954\"");
    assertThatThrownBy(() -> prj("hand-china2000-on-krasovsky.prj"))
        .hasMessageStartingWith(
            "the .prj declares the datum \"D_China_2000\" with an ellipsoid that is not its own"
                + " (spheroid \"Krasovsky_1940\", a = 6378245, 1/f = 298.3; expected a = 6378137"
                + " and 1/f = 298.257222101), which matches no CRS we convert. If you know");
  }

  @Test
  void otherProjectionsAreRefusedSayingWhatWasFound() {
    assertThatThrownBy(() -> prj("esri-32648-utm48n.prj"))
        .hasMessageStartingWith(
            "the .prj declares PROJCS \"WGS_1984_UTM_Zone_48N\": transverse Mercator on WGS84 with"
                + " central meridian 105, false easting 500000, false northing 0, scale"
                + " 0.9996, latitude of origin 0, which matches no CRS we convert: we convert"
                + " transverse Mercator on CGCS2000 only. If you know");
    assertThatThrownBy(() -> prj("ogc-3395-world-mercator.prj"))
        .hasMessageContaining("PROJCS \"WGS 84 / World Mercator\": Mercator with parameters")
        .hasMessageContaining(
            "which matches no CRS we convert: Mercator on the WGS 84 ellipsoid is World Mercator"
                + " (EPSG:3395), not Web Mercator. If you know");
    assertThatThrownBy(() -> prj("hand-prefix-disagrees-with-meridian.prj"))
        .hasMessageContaining(
            "central meridian 105, false easting 36500000, false northing 0, scale 1,"
                + " latitude of origin 0, which matches no CRS we convert: a CGCS2000"
                + " Gauss-Kruger zone has scale 1, latitude of origin 0, false northing 0, a"
                + " zone's central meridian, and false easting 500000 or, with the zone prefix,"
                + " zone × 1000000 + 500000. If you know");
  }

  @Test
  void textThatIsNotWktIsRefusedWithThePosition() {
    assertThatThrownBy(() -> prj("hand-proj-string-not-wkt.prj"))
        .hasMessageStartingWith(
            "expected the .prj to hold WKT (a PROJCS or GEOGCS) but it does not: expected a"
                + " keyword but found '+proj=tmerc +lat_0=0' at position 0. If you know the CRS");
    assertThatThrownBy(() -> prj("hand-truncated.prj"))
        .hasMessageContaining(
            "expected ',' or ']' in PROJCS but found the end of the text at position 429");
    assertThatThrownBy(() -> SourceCrs.fromPrj(""))
        .hasMessageContaining("expected a keyword but found the end of the text at position 0");
  }

  private static SourceCrs prj(String name) {
    return SourceCrs.fromPrj(read(dir().resolve(name)));
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String name(Path p) {
    return p.getFileName().toString();
  }

  private static Stream<Path> fixtures() {
    try (Stream<Path> s = Files.list(dir())) {
      return s.filter(p -> name(p).endsWith(".prj")).sorted().toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path dir() {
    try {
      return Path.of(PrjMatcherTest.class.getResource("prj").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
