package io.gridmap.layers.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gridmap.layers.geo.ChinaCoordinates.Datum;
import io.gridmap.layers.geo.ChinaCoordinates.LonLat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The GCJ-02 and BD-09 conversions against points published by the projects the formulas are taken
 * from, and their inverses against the forward formulas over thousands of seeded random points.
 */
class ChinaCoordinatesTest {
  /** Chongqing municipality's lon/lat box. */
  static final double[] CHONGQING = {105.2, 28.1, 110.2, 32.2};

  /** A box over mainland China, well inside the formulas' outside-China box. */
  static final double[] MAINLAND = {73.5, 18.0, 135.0, 53.5};

  static final int POINTS = 5_000;

  // ---------------------------------------------------------------- inverses

  @Test
  void forwardOfInverseIsWithinTheToleranceAcrossChongqingAndChina() {
    for (double[] box : new double[][] {CHONGQING, MAINLAND}) {
      Random random = new Random(20240601L);
      for (int i = 0; i < POINTS; i++) {
        double lon = box[0] + random.nextDouble() * (box[2] - box[0]);
        double lat = box[1] + random.nextDouble() * (box[3] - box[1]);
        assertForwardOfInverse(lon, lat);
      }
    }
    // the offset polynomials have sqrt|lon - 105|, steepest on the meridian 105° (in Chongqing)
    for (double lon : new double[] {105.0, Math.nextUp(105.0), 105.0 + 1e-9, 105.0 - 1e-7}) {
      assertForwardOfInverse(lon, 29.5);
    }
  }

  private static void assertForwardOfInverse(double lon, double lat) {
    LonLat w = ChinaCoordinates.toWgs84(Datum.GCJ02, lon, lat);
    LonLat back = ChinaCoordinates.fromWgs84(Datum.GCJ02, w.lon(), w.lat());
    assertThat(back.lon()).as("lon of %s, %s", lon, lat).isCloseTo(lon, within(1e-7));
    assertThat(back.lat()).as("lat of %s, %s", lon, lat).isCloseTo(lat, within(1e-7));

    // BD-09 goes through two inverses, each within 1e-7 of its own forward: twice the tolerance
    w = ChinaCoordinates.toWgs84(Datum.BD09, lon, lat);
    back = ChinaCoordinates.fromWgs84(Datum.BD09, w.lon(), w.lat());
    assertThat(back.lon()).as("BD-09 lon of %s, %s", lon, lat).isCloseTo(lon, within(2e-7));
    assertThat(back.lat()).as("BD-09 lat of %s, %s", lon, lat).isCloseTo(lat, within(2e-7));

    // and BD-09 to GCJ-02 alone undoes GCJ-02 to BD-09 to the tolerance
    double[] gcj = new double[2];
    double[] bd = new double[2];
    ChinaCoordinates.bd09ToGcj02(lon, lat, gcj);
    ChinaCoordinates.gcj02ToBd09(gcj[0], gcj[1], bd);
    assertThat(bd[0]).isCloseTo(lon, within(1e-7));
    assertThat(bd[1]).isCloseTo(lat, within(1e-7));
  }

  @Test
  void inverseOfForwardGivesTheWgs84PointBack() {
    double[] out = new double[2];
    for (double[] box : new double[][] {CHONGQING, MAINLAND}) {
      Random random = new Random(7L);
      for (int i = 0; i < POINTS; i++) {
        double lon = box[0] + random.nextDouble() * (box[2] - box[0]);
        double lat = box[1] + random.nextDouble() * (box[3] - box[1]);
        for (Datum d : Datum.values()) {
          ChinaCoordinates.fromWgs84(d, lon, lat, out);
          ChinaCoordinates.toWgs84(d, out[0], out[1], out);
          assertThat(out[0]).as("%s lon of %s, %s", d, lon, lat).isCloseTo(lon, within(1e-6));
          assertThat(out[1]).as("%s lat of %s, %s", d, lon, lat).isCloseTo(lat, within(1e-6));
        }
      }
    }
  }

  // ---------------------------------------------------------------- size of the offset

  @Test
  void theOffsetInChongqingIsHundredsOfMetres() {
    // 解放碑: 479 m
    LonLat g = ChinaCoordinates.fromWgs84(Datum.GCJ02, 106.5772, 29.5587);
    assertThat(GroundMeasure.metres(106.5772, 29.5587, g.lon(), g.lat())).isBetween(450.0, 500.0);

    Random random = new Random(29L);
    for (int i = 0; i < POINTS; i++) {
      double lon = CHONGQING[0] + random.nextDouble() * (CHONGQING[2] - CHONGQING[0]);
      double lat = CHONGQING[1] + random.nextDouble() * (CHONGQING[3] - CHONGQING[1]);
      g = ChinaCoordinates.fromWgs84(Datum.GCJ02, lon, lat);
      assertThat(GroundMeasure.metres(lon, lat, g.lon(), g.lat()))
          .as("offset at %s, %s", lon, lat)
          .isGreaterThan(100)
          .isLessThan(1000);
    }
  }

  // ---------------------------------------------------------------- published points

  @Test
  void wgs84ToGcj02MatchesEviltransformsTestPoints() {
    // googollee/eviltransform, go/transform_test.go (the same three in javascript/test.js):
    // {wgsLat, wgsLng, gcjLat, gcjLng} for Shanghai, Shenzhen and Beijing. That test compares
    // five decimals; ours match the printed digits to 1e-6 (in fact exactly) and the inverse
    // gives the WGS84 point back to 1e-6 (eviltransform's own exact inverse is held to 0.5 m).
    double[][] points = {
      {31.1774276, 121.5272106, 31.17530398364597, 121.531541859215},
      {22.543847, 113.912316, 22.540796131694766, 113.9171764808363},
      {39.911954, 116.377817, 39.91334545536069, 116.38404722455657},
    };
    for (double[] p : points) {
      LonLat gcj = ChinaCoordinates.fromWgs84(Datum.GCJ02, p[1], p[0]);
      assertThat(gcj.lon()).isCloseTo(p[3], within(1e-6));
      assertThat(gcj.lat()).isCloseTo(p[2], within(1e-6));
      LonLat wgs = ChinaCoordinates.toWgs84(Datum.GCJ02, p[3], p[2]);
      assertThat(wgs.lon()).isCloseTo(p[1], within(1e-6));
      assertThat(wgs.lat()).isCloseTo(p[0], within(1e-6));
    }
  }

  @Test
  void gcj02AndBd09MatchCoordtransformsTestPoints() {
    // wandergis/coordtransform, test/app.js: each function applied to (116.404, 39.915) in
    // Beijing, results printed as [lng, lat]
    LonLat gcj = ChinaCoordinates.fromWgs84(Datum.GCJ02, 116.404, 39.915);
    assertThat(gcj.lon()).isCloseTo(116.41024449916938, within(1e-6));
    assertThat(gcj.lat()).isCloseTo(39.91640428150164, within(1e-6));

    double[] out = new double[2];
    ChinaCoordinates.gcj02ToBd09(116.404, 39.915, out);
    assertThat(out[0]).isCloseTo(116.41036949371029, within(1e-6));
    assertThat(out[1]).isCloseTo(39.92133699351021, within(1e-6));

    // its bd09togcj02 is the one-step published inverse; ours iterates on from it and lands
    // 4.5e-7° (5 cm) away here
    ChinaCoordinates.bd09ToGcj02(116.404, 39.915, out);
    assertThat(out[0]).isCloseTo(116.39762729119315, within(1e-6));
    assertThat(out[1]).isCloseTo(39.90865673957631, within(1e-6));

    // and through the public API: the GCJ-02 point as WGS84, then as BD-09
    LonLat wgs = ChinaCoordinates.toWgs84(Datum.GCJ02, 116.404, 39.915);
    LonLat bd = ChinaCoordinates.fromWgs84(Datum.BD09, wgs.lon(), wgs.lat());
    assertThat(bd.lon()).isCloseTo(116.41036949371029, within(1e-6));
    assertThat(bd.lat()).isCloseTo(39.92133699351021, within(1e-6));
  }

  // ---------------------------------------------------------------- outside China

  @Test
  void outsideChinaGcj02IsWgs84() {
    double[][] places = {
      {-0.1276, 51.5072}, // London
      {139.6917, 35.6895}, // Tokyo, east of the box
      {129.7331, 62.0355}, // Yakutsk, north of it
      {151.2093, -33.8688}, // Sydney
      {106.0, 0.5}, // south of it, in the sea
      {72.0, 40.0}, // just west of it
    };
    for (double[] p : places) {
      assertThat(ChinaCoordinates.outsideChina(p[0], p[1])).isTrue();
      for (LonLat q :
          new LonLat[] {
            ChinaCoordinates.fromWgs84(Datum.GCJ02, p[0], p[1]),
            ChinaCoordinates.toWgs84(Datum.GCJ02, p[0], p[1])
          }) {
        assertThat(q).isEqualTo(new LonLat(p[0], p[1]));
      }
      // BD-09's own formula shifts everywhere, and still round-trips
      LonLat bd = ChinaCoordinates.fromWgs84(Datum.BD09, p[0], p[1]);
      assertThat(GroundMeasure.metres(p[0], p[1], bd.lon(), bd.lat())).isGreaterThan(100);
      LonLat back = ChinaCoordinates.toWgs84(Datum.BD09, bd.lon(), bd.lat());
      assertThat(back.lon()).isCloseTo(p[0], within(1e-6));
      assertThat(back.lat()).isCloseTo(p[1], within(1e-6));
    }
    // the box is rough: Singapore is inside it and shifted
    assertThat(ChinaCoordinates.outsideChina(103.8198, 1.3521)).isFalse();
    assertThat(ChinaCoordinates.fromWgs84(Datum.GCJ02, 103.8198, 1.3521))
        .isNotEqualTo(new LonLat(103.8198, 1.3521));
  }

  @Test
  void wgs84IsLeftAlone() {
    assertThat(ChinaCoordinates.toWgs84(Datum.WGS84, 106.5, 29.5))
        .isEqualTo(new LonLat(106.5, 29.5));
    assertThat(ChinaCoordinates.fromWgs84(Datum.WGS84, 106.5, 29.5))
        .isEqualTo(new LonLat(106.5, 29.5));
  }

  // ---------------------------------------------------------------- names

  @Test
  void parseAcceptsTheNamesAndAliasesInAnyCase() {
    for (String n :
        new String[] {
          "wgs84",
          "WGS84",
          "WGS-84",
          "EPSG:4326",
          "epsg:4326",
          "CRS84",
          "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
          "urn:ogc:def:crs:OGC:1.3:CRS84",
          "http://www.opengis.net/def/crs/EPSG/0/4326",
          " wgs84ll "
        }) {
      assertThat(Datum.parse(n)).as(n).isEqualTo(Datum.WGS84);
    }
    for (String n : new String[] {"gcj02", "GCJ02", "gcj-02", "GCJ-02", "gcj02ll"}) {
      assertThat(Datum.parse(n)).as(n).isEqualTo(Datum.GCJ02);
    }
    for (String n : new String[] {"bd09", "BD09", "bd-09", "BD-09", "bd09ll"}) {
      assertThat(Datum.parse(n)).as(n).isEqualTo(Datum.BD09);
    }
  }

  @Test
  void parseRefusesOtherNamesListingTheAcceptedOnes() {
    for (String n : new String[] {"bd09mc", "EPSG:3857", "gcj", "mars", "", "wgs 84"}) {
      assertThatThrownBy(() -> Datum.parse(n))
          .as(n)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("but found '" + n + "'")
          .hasMessageContaining("wgs84, ")
          .hasMessageContaining("gcj02, gcj-02")
          .hasMessageContaining("bd09, bd-09");
    }
    assertThatThrownBy(() -> Datum.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("but found none");
  }
}
