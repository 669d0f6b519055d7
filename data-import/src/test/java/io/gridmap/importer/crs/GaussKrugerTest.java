package io.gridmap.importer.crs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.layers.testing.GdalTool;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Our table of CGCS2000 Gauss-Krüger codes against GDAL's EPSG database, code by code. */
class GaussKrugerTest {
  private static final Pattern PROJCS = Pattern.compile("^PROJCS\\[\"([^\"]+)\"");
  private static final Pattern PARAMETER =
      Pattern.compile("PARAMETER\\[\"(central_meridian|false_easting)\",([-0-9.]+)\\]");

  @Test
  @Tag("slow") // runs GDAL: fails, never skips, without it; -Pfast leaves it out
  void everyCodeFrom4491To4554HasGdalsMeridianFalseEastingAndName() {
    for (int code = 4491; code <= 4554; code++) {
      String wkt =
          GdalTool.run("gdalsrsinfo", "", "--single-line", "-o", "wkt1", "EPSG:" + code).stdout();
      Matcher name = PROJCS.matcher(wkt.strip());
      assertThat(name.find()).as("EPSG:%s is a PROJCS: %s", code, wkt).isTrue();
      double cm = Double.NaN;
      double fe = Double.NaN;
      Matcher p = PARAMETER.matcher(wkt);
      while (p.find()) {
        if (p.group(1).equals("central_meridian")) {
          cm = Double.parseDouble(p.group(2));
        } else {
          fe = Double.parseDouble(p.group(2));
        }
      }
      GaussKruger zone = GaussKruger.ofEpsg(code).orElseThrow();
      assertThat((double) zone.centralMeridian())
          .as("central meridian of EPSG:%s", code)
          .isEqualTo(cm);
      assertThat(zone.falseEasting()).as("false easting of EPSG:%s", code).isEqualTo(fe);
      assertThat(zone.name()).as("name of EPSG:%s", code).isEqualTo(name.group(1));
      assertThat(zone.epsg()).hasValue(code);
      assertThat(SourceCrs.parse("EPSG:" + code)).isEqualTo(zone);
    }
  }

  @Test
  void codesOutsideTheRangeAreNotZones() {
    assertThat(GaussKruger.ofEpsg(4490)).isEmpty();
    assertThat(GaussKruger.ofEpsg(4555)).isEmpty();
  }

  @Test
  void theZonePrefixAloneTellsTheZoneWidth() {
    assertThat(GaussKruger.ofPrefix(19)).contains(new GaussKruger(6, 111, true));
    assertThat(GaussKruger.ofPrefix(36)).contains(new GaussKruger(3, 108, true));
    assertThat(GaussKruger.ofPrefix(24)).isEmpty();
    assertThat(GaussKruger.ofPrefix(46)).isEmpty();
  }

  @Test
  void aMeridianThatIsNoZonesIsRefused() {
    assertThatThrownBy(() -> new GaussKruger(6, 108, false))
        .hasMessage(
            "expected the central meridian of a CGCS2000 6-degree zone (75, 81, … 135) but found"
                + " 108");
    assertThatThrownBy(() -> new GaussKruger(3, 70, false)).hasMessageContaining("but found 70");
    assertThatThrownBy(() -> new GaussKruger(4, 108, false))
        .hasMessage("expected a zone width of 3 or 6 degrees but found 4");
  }
}
