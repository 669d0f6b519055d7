package io.gridmap.layers.geo;

import static io.gridmap.layers.testing.TestDatasets.box;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;

/**
 * Areas against shapes whose area is known, distances against published degree lengths and against
 * Vincenty's geodesic on the WGS84 ellipsoid (computed here, independently of the class).
 */
class GroundMeasureTest {
  static final GeometryFactory GF = new GeometryFactory();

  /** Chongqing's latitude (解放碑). */
  static final double LAT = 29.5587;

  /** Degrees of latitude, and of longitude at LAT, that make one kilometre on the mean sphere. */
  static final double KM_LAT = 1000 / (GroundMeasure.EARTH_RADIUS * Math.PI / 180);

  static final double KM_LON = KM_LAT / Math.cos(Math.toRadians(LAT));

  @Test
  void aKilometreSquareNearChongqingIsAMillionSquareMetres() {
    Polygon square = box(106.5, LAT - KM_LAT / 2, 106.5 + KM_LON, LAT + KM_LAT / 2);

    // its east-west sides are a kilometre at the middle latitude; the box's exact area on the
    // sphere is a million square metres less a thousandth
    assertThat(GroundMeasure.areaM2(square)).isCloseTo(1_000_000, within(0.01));
    assertThat(GroundMeasure.areaM2(square.getEnvelopeInternal()))
        .isCloseTo(GroundMeasure.areaM2(square), within(1e-6));
    // half of it cut along the diagonal
    Polygon half =
        GF.createPolygon(
            new Coordinate[] {
              new Coordinate(106.5, LAT - KM_LAT / 2),
              new Coordinate(106.5 + KM_LON, LAT - KM_LAT / 2),
              new Coordinate(106.5 + KM_LON, LAT + KM_LAT / 2),
              new Coordinate(106.5, LAT - KM_LAT / 2)
            });
    assertThat(GroundMeasure.areaM2(half)).isCloseTo(500_000, within(0.01));
  }

  @Test
  void aDegreeSquareAtTheEquatorIsTheMeanSpheresArea() {
    // R² (π/180) sin 1° with R = 6,371.0088 km
    assertThat(GroundMeasure.areaM2(new Envelope(0, 1, 0, 1)) / 1e6)
        .isCloseTo(12_363.7, within(0.1));
    assertThat(GroundMeasure.areaM2(box(0, 0, 1, 1)) / 1e6)
        .isCloseTo(GroundMeasure.areaM2(new Envelope(0, 1, 0, 1)) / 1e6, within(1e-9));
  }

  @Test
  void holesAreTakenOffAndPartsAddedUp() {
    Polygon outer = box(106.5, LAT, 106.5 + 2 * KM_LON, LAT + 2 * KM_LAT);
    Polygon inner = box(106.5 + KM_LON / 2, LAT + KM_LAT / 2, 106.5 + KM_LON, LAT + KM_LAT);
    LinearRing hole = inner.reverse().getExteriorRing();
    Polygon holed = GF.createPolygon(outer.getExteriorRing(), new LinearRing[] {hole});
    Polygon apart = box(107.0, LAT, 107.0 + KM_LON, LAT + KM_LAT);
    Geometry both = GF.createMultiPolygon(new Polygon[] {holed, apart});

    assertThat(GroundMeasure.areaM2(holed))
        .isCloseTo(GroundMeasure.areaM2(outer) - GroundMeasure.areaM2(inner), within(1e-6))
        .isCloseTo(3_750_000, within(3_750_000 * 2e-4));
    assertThat(GroundMeasure.areaM2(both))
        .isCloseTo(GroundMeasure.areaM2(holed) + GroundMeasure.areaM2(apart), within(1e-6));
    assertThat(GroundMeasure.areaM2(GF.createPoint(new Coordinate(106.5, LAT)))).isZero();
    assertThat(GroundMeasure.areaM2(GF.createPolygon())).isZero();
  }

  @Test
  void aSliverOfAHundredthOfASquareMetreIsNotLostToRounding() {
    // one metre by one centimetre, the size of the gaps a grid redraw must notice
    Polygon sliver = box(106.5, LAT, 106.5 + KM_LON / 1000, LAT + KM_LAT / 100_000);

    assertThat(GroundMeasure.areaM2(sliver)).isCloseTo(0.01, within(1e-8));
  }

  @Test
  void degreeLengthsAreThePublishedOnes() {
    // a degree of the equator is a·π/180; of the meridian from the equator, 110,574.389 m
    assertThat(GroundMeasure.metres(0, 0, 1, 0)).isCloseTo(111_319.4908, within(0.001));
    assertThat(GroundMeasure.metres(0, 0, 0, 1)).isCloseTo(110_574.3886, within(0.05));
    double[] k = GroundMeasure.metresPerDegree(LAT);
    assertThat(GroundMeasure.metres(106.5, LAT, 106.501, LAT)).isCloseTo(k[0] / 1000, within(1e-9));
    assertThat(GroundMeasure.metres(106.5, LAT - 0.0005, 106.5, LAT + 0.0005))
        .isCloseTo(k[1] / 1000, within(1e-9));
  }

  @Test
  void distancesAcrossTheCityAgreeWithVincentysGeodesic() {
    // 解放碑 to Chongqing Jiangbei airport, and to Chengdu's Tianfu Square
    assertThat(GroundMeasure.metres(106.5775, 29.5587, 106.6417, 29.7194))
        .isCloseTo(vincenty(106.5775, 29.5587, 106.6417, 29.7194), within(0.005));
    assertThat(GroundMeasure.metres(106.5775, 29.5587, 104.0657, 30.6578))
        .isCloseTo(vincenty(106.5775, 29.5587, 104.0657, 30.6578), within(271_011 * 1e-4));
    SplittableRandom rng = new SplittableRandom(4);
    for (int i = 0; i < 1000; i++) {
      double lon1 = 106.3 + rng.nextDouble() * 0.5;
      double lat1 = 29.3 + rng.nextDouble() * 0.5;
      double lon2 = lon1 + (rng.nextDouble() - 0.5) * 0.5;
      double lat2 = lat1 + (rng.nextDouble() - 0.5) * 0.5;
      double geodesic = vincenty(lon1, lat1, lon2, lat2);

      assertThat(GroundMeasure.metres(lon1, lat1, lon2, lat2))
          .isCloseTo(geodesic, within(geodesic * 1e-6 + 1e-6));
    }
  }

  @Test
  void theExpandedBoxHoldsEveryPointWithinTheDistance() {
    SplittableRandom rng = new SplittableRandom(6);
    for (double lat : new double[] {0, LAT, -60, 85}) {
      Envelope from = new Envelope(106.5, 106.52, lat, lat + 0.01);
      for (double r : new double[] {10, 1_000, 50_000}) {
        Envelope box = GroundMeasure.expand(from, r);
        double reach = 2 * r / 100_000; // degrees, more than r at any of these latitudes
        for (int i = 0; i < 2000; i++) {
          double lon =
              from.getMinX() - reach * 3 + rng.nextDouble() * (from.getWidth() + 6 * reach);
          double la = from.getMinY() - reach + rng.nextDouble() * (from.getHeight() + 2 * reach);
          double nearestLon = Math.max(from.getMinX(), Math.min(from.getMaxX(), lon));
          double nearestLat = Math.max(from.getMinY(), Math.min(from.getMaxY(), la));
          if (GroundMeasure.metres(nearestLon, nearestLat, lon, la) <= r) {
            assertThat(box.contains(lon, la))
                .as("%s,%s within %s m of %s", lon, la, r, from)
                .isTrue();
          }
        }
      }
    }
  }

  @Test
  void theGeneratorsMeasuresStayCloseToTheseOnes() {
    // a district-sized disc, densified as the generator densifies borders
    Coordinate[] ring = new Coordinate[1025];
    for (int i = 0; i < 1024; i++) {
      double a = 2 * Math.PI * i / 1024;
      ring[i] = new Coordinate(106.5 + 20 * KM_LON * Math.cos(a), LAT + 20 * KM_LAT * Math.sin(a));
    }
    ring[1024] = ring[0];
    Polygon disc = GF.createPolygon(ring);
    double area = GroundMeasure.areaM2(disc);

    // the two areas differ by floating-point noise only
    assertThat(GroundMeasure.sinusoidalAreaM2(disc)).isCloseTo(area, within(area * 1e-11));
    Coordinate a = new Coordinate(106.5775, 29.5587);
    Coordinate b = new Coordinate(106.6417, 29.7194);
    assertThat(GroundMeasure.sphereMetres(a, b))
        .isCloseTo(GroundMeasure.metres(a, b), within(GroundMeasure.metres(a, b) * 0.004));
  }

  /** Vincenty's inverse formula on the WGS84 ellipsoid, metres. */
  static double vincenty(double lon1, double lat1, double lon2, double lat2) {
    double a = 6_378_137.0;
    double f = 1 / 298.257223563;
    double b = a * (1 - f);
    double l = Math.toRadians(lon2 - lon1);
    double u1 = Math.atan((1 - f) * Math.tan(Math.toRadians(lat1)));
    double u2 = Math.atan((1 - f) * Math.tan(Math.toRadians(lat2)));
    double sinU1 = Math.sin(u1);
    double cosU1 = Math.cos(u1);
    double sinU2 = Math.sin(u2);
    double cosU2 = Math.cos(u2);
    double lambda = l;
    double sinSigma;
    double cosSigma;
    double sigma;
    double cos2Alpha;
    double cos2SigmaM;
    for (int i = 0; ; i++) {
      double sinLambda = Math.sin(lambda);
      double cosLambda = Math.cos(lambda);
      sinSigma = Math.hypot(cosU2 * sinLambda, cosU1 * sinU2 - sinU1 * cosU2 * cosLambda);
      if (sinSigma == 0) {
        return 0;
      }
      cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda;
      sigma = Math.atan2(sinSigma, cosSigma);
      double sinAlpha = cosU1 * cosU2 * sinLambda / sinSigma;
      cos2Alpha = 1 - sinAlpha * sinAlpha;
      cos2SigmaM = cos2Alpha == 0 ? 0 : cosSigma - 2 * sinU1 * sinU2 / cos2Alpha;
      double c = f / 16 * cos2Alpha * (4 + f * (4 - 3 * cos2Alpha));
      double previous = lambda;
      lambda =
          l
              + (1 - c)
                  * f
                  * sinAlpha
                  * (sigma
                      + c
                          * sinSigma
                          * (cos2SigmaM + c * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
      if (Math.abs(lambda - previous) < 1e-13) {
        break;
      }
      if (i > 200) {
        throw new IllegalStateException("Vincenty did not converge");
      }
    }
    double uSq = cos2Alpha * (a * a - b * b) / (b * b);
    double bigA = 1 + uSq / 16384 * (4096 + uSq * (-768 + uSq * (320 - 175 * uSq)));
    double bigB = uSq / 1024 * (256 + uSq * (-128 + uSq * (74 - 47 * uSq)));
    double deltaSigma =
        bigB
            * sinSigma
            * (cos2SigmaM
                + bigB
                    / 4
                    * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)
                        - bigB
                            / 6
                            * cos2SigmaM
                            * (-3 + 4 * sinSigma * sinSigma)
                            * (-3 + 4 * cos2SigmaM * cos2SigmaM)));
    return b * bigA * (sigma - deltaSigma);
  }
}
