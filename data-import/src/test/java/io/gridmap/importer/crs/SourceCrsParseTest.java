package io.gridmap.importer.crs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What {@code --crs} accepts, and how it refuses the rest. */
class SourceCrsParseTest {
  @Test
  void codesInEveryAcceptedSpelling() {
    GaussKruger cm111 = new GaussKruger(3, 111, false);
    for (String v :
        new String[] {
          "EPSG:4546",
          "epsg:4546",
          "4546",
          " 4546 ",
          "urn:ogc:def:crs:EPSG::4546",
          "http://www.opengis.net/def/crs/EPSG/0/4546"
        }) {
      assertThat(SourceCrs.parse(v)).as(v).isEqualTo(cm111);
    }
    assertThat(cm111.code()).isEqualTo("EPSG:4546");
    assertThat(cm111.describe()).isEqualTo("EPSG:4546 (CGCS2000 / 3-degree Gauss-Kruger CM 111E)");
  }

  @Test
  void namesOfTheGeographicCrsAndWebMercator() {
    assertThat(SourceCrs.parse("wgs84")).isEqualTo(SourceCrs.WGS84);
    assertThat(SourceCrs.parse("EPSG:4326")).isEqualTo(SourceCrs.WGS84);
    assertThat(SourceCrs.parse("CRS84")).isEqualTo(SourceCrs.WGS84);
    assertThat(SourceCrs.parse("CGCS2000")).isEqualTo(SourceCrs.CGCS2000);
    assertThat(SourceCrs.parse("4490")).isEqualTo(SourceCrs.CGCS2000);
    assertThat(SourceCrs.parse("gcj02")).isEqualTo(SourceCrs.GCJ02);
    assertThat(SourceCrs.parse("GCJ-02")).isEqualTo(SourceCrs.GCJ02);
    assertThat(SourceCrs.parse("bd09")).isEqualTo(SourceCrs.BD09);
    for (String v : new String[] {"EPSG:3857", "3857", "EPSG:900913", "ESRI:102100", "102100"}) {
      assertThat(SourceCrs.parse(v)).as(v).isEqualTo(SourceCrs.WEB_MERCATOR);
    }
    assertThat(SourceCrs.GCJ02.epsg()).isEmpty();
    assertThat(SourceCrs.GCJ02.code()).isEqualTo("gcj02");
    assertThat(SourceCrs.BD09.describe()).isEqualTo("bd09");
  }

  @Test
  void anythingElseIsRefusedWithTheListOfWhatIsAccepted() {
    for (String v : new String[] {"EPSG:4214", "EPSG:32648", "xian80", "", "EPSG:", "4555"}) {
      assertThatThrownBy(() -> SourceCrs.parse(v))
          .as(v)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("expected --crs to be one of wgs84 (EPSG:4326), cgcs2000")
          .hasMessageContaining("4534-4554 3-degree CM 75E-135E")
          .hasMessageEndingWith("but found '" + v + "'");
    }
    assertThatThrownBy(() -> SourceCrs.parse(null)).hasMessageEndingWith("but found none");
  }
}
