package io.gridmap.importer.crs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gridmap.layers.geo.ChinaCoordinates;
import io.gridmap.layers.geo.ChinaCoordinates.Datum;
import io.gridmap.layers.geo.ChinaCoordinates.LonLat;
import io.gridmap.layers.testing.GdalTool;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateXYZM;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Point;

/**
 * Conversions to WGS84 against GDAL as the independent reference: gdaltransform projects lon/lat
 * points into each CRS, and ours brings them back.
 */
class CrsTransformTest {
  private static final GeometryFactory GF = new GeometryFactory();

  /**
   * How close a point comes back, degrees (about 1 cm), as the brief asks. PROJ's transverse
   * Mercator (Poder/Engsager) and proj4j's are different series, yet over these points, each within
   * half a zone width plus half a degree of its meridian, they agreed to 5.2e-11° (6 µm) when this
   * was written: the bound has three orders of magnitude to spare.
   */
  static final double TOLERANCE = 1e-7;

  /** Chongqing's box, lon/lat. */
  static final double[] CHONGQING = {105.3, 28.2, 110.2, 32.2};

  @Test
  @Tag("slow") // runs GDAL: fails, never skips, without it; -Pfast leaves it out
  void chongqingsZonesComeBackFromGdalWithinTheTolerance() {
    List<double[]> points = chongqing();
    // 3-degree CM 105E, 108E, 111E; their prefixed zones 35, 36, 37; 6-degree zones 18 and 19 in
    // both forms; Web Mercator
    for (int code : new int[] {4544, 4545, 4546, 4523, 4524, 4525, 4496, 4497, 4507, 4508, 3857}) {
      assertRoundTrip(code, points);
    }
  }

  @Test
  @Tag("slow") // runs GDAL: fails, never skips, without it; -Pfast leaves it out
  void otherChineseZonesComeBackFromGdalWithinTheTolerance() {
    // Beijing (CM 117E, zone 39), Urumqi (CM 87E), Harbin (CM 126E), Guangzhou (CM 114E),
    // Sanya (CM 108E, the far south), Mohe (6-degree zone 21, the far north)
    assertRoundTrip(4548, around(116.4, 39.9));
    assertRoundTrip(4527, around(116.4, 39.9));
    assertRoundTrip(4538, around(87.6, 43.8));
    assertRoundTrip(4551, around(126.6, 45.8));
    assertRoundTrip(4547, around(113.3, 23.1));
    assertRoundTrip(4545, around(109.5, 18.25));
    assertRoundTrip(4499, around(122.5, 52.97));
  }

  private static void assertRoundTrip(int code, List<double[]> lonLats) {
    SourceCrs crs = SourceCrs.parse("EPSG:" + code);
    List<double[]> inZone = lonLats;
    if (crs instanceof GaussKruger gk) {
      // data in a zone lies within its width of the meridian; far outside, the check refuses it
      inZone =
          lonLats.stream()
              .filter(p -> Math.abs(p[0] - gk.centralMeridian()) <= gk.zoneWidth() / 2.0 + 0.5)
              .toList();
    }
    assertThat(inZone).as("points in EPSG:%s", code).hasSizeGreaterThan(5);
    StringBuilder stdin = new StringBuilder();
    for (double[] p : inZone) {
      stdin.append(p[0]).append(' ').append(p[1]).append('\n');
    }
    String out =
        GdalTool.run(
                "gdaltransform",
                stdin.toString(),
                "-s_srs",
                "EPSG:4326",
                "-t_srs",
                "EPSG:" + code,
                "-output_xy")
            .stdout();
    String[] lines = out.strip().split("\n");
    assertThat(lines).hasSameSizeAs(inZone.toArray());
    Coordinate[] projected = new Coordinate[lines.length];
    for (int i = 0; i < lines.length; i++) {
      String[] xy = lines[i].strip().split("\\s+");
      projected[i] = new Coordinate(Double.parseDouble(xy[0]), Double.parseDouble(xy[1]));
    }
    LineString line = GF.createLineString(projected);
    CrsTransform.toWgs84(crs).apply(line, "EPSG:" + code + " points");
    for (int i = 0; i < lines.length; i++) {
      Coordinate c = line.getCoordinateN(i);
      double[] p = inZone.get(i);
      assertThat(c.x)
          .as("lon of %s from EPSG:%s %s", p[0], code, lines[i])
          .isCloseTo(p[0], within(TOLERANCE));
      assertThat(c.y)
          .as("lat of %s from EPSG:%s %s", p[1], code, lines[i])
          .isCloseTo(p[1], within(TOLERANCE));
    }
  }

  /** A 6 × 5 lattice over Chongqing's box and 40 seeded random points in it. */
  static List<double[]> chongqing() {
    List<double[]> points = new ArrayList<>();
    for (int i = 0; i <= 5; i++) {
      for (int j = 0; j <= 4; j++) {
        points.add(
            new double[] {
              CHONGQING[0] + i * (CHONGQING[2] - CHONGQING[0]) / 5,
              CHONGQING[1] + j * (CHONGQING[3] - CHONGQING[1]) / 4
            });
      }
    }
    Random random = new Random(12L);
    for (int i = 0; i < 40; i++) {
      points.add(
          new double[] {
            CHONGQING[0] + random.nextDouble() * (CHONGQING[2] - CHONGQING[0]),
            CHONGQING[1] + random.nextDouble() * (CHONGQING[3] - CHONGQING[1])
          });
    }
    return points;
  }

  /** Twelve seeded random points within a degree of a place. */
  static List<double[]> around(double lon, double lat) {
    Random random = new Random(Double.doubleToLongBits(lon));
    List<double[]> points = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      points.add(
          new double[] {lon + random.nextDouble() * 2 - 1, lat + random.nextDouble() * 2 - 1});
    }
    return points;
  }

  // ---------------------------------------------------------------- lon/lat datums

  @Test
  void gcj02AndBd09GoThroughTheSharedConversion() {
    // ChinaCoordinatesTest's published points: eviltransform's Shanghai (GCJ-02 to WGS84) and
    // coordtransform's Beijing pair (GCJ-02 (116.404, 39.915) is BD-09 (116.41036949371029,
    // 39.92133699351021))
    Point shanghai = GF.createPoint(new Coordinate(121.531541859215, 31.17530398364597));
    CrsTransform.toWgs84(SourceCrs.GCJ02).apply(shanghai, "shanghai");
    assertThat(shanghai.getX()).isCloseTo(121.5272106, within(1e-6));
    assertThat(shanghai.getY()).isCloseTo(31.1774276, within(1e-6));

    Point beijing = GF.createPoint(new Coordinate(116.41036949371029, 39.92133699351021));
    CrsTransform.toWgs84(SourceCrs.BD09).apply(beijing, "beijing");
    LonLat viaGcj = ChinaCoordinates.toWgs84(Datum.GCJ02, 116.404, 39.915);
    assertThat(beijing.getX()).isCloseTo(viaGcj.lon(), within(1e-6));
    assertThat(beijing.getY()).isCloseTo(viaGcj.lat(), within(1e-6));

    // and across Chongqing both invert their forward conversion to the shared class's tolerance
    for (double[] p : chongqing()) {
      for (Datum d : new Datum[] {Datum.GCJ02, Datum.BD09}) {
        LonLat shifted = ChinaCoordinates.fromWgs84(d, p[0], p[1]);
        Point q = GF.createPoint(new Coordinate(shifted.lon(), shifted.lat()));
        CrsTransform.toWgs84(SourceCrs.parse(d.name())).apply(q, "p");
        assertThat(q.getX()).isCloseTo(p[0], within(1e-6));
        assertThat(q.getY()).isCloseTo(p[1], within(1e-6));
      }
    }
  }

  @Test
  void wgs84AndCgcs2000LonLatAreLeftAsTheyAre() {
    for (SourceCrs crs : new SourceCrs[] {SourceCrs.WGS84, SourceCrs.CGCS2000}) {
      Point p = GF.createPoint(new Coordinate(106.5772, 29.5587));
      CrsTransform.toWgs84(crs).apply(p, "p");
      assertThat(p.getCoordinate()).isEqualTo(new Coordinate(106.5772, 29.5587));
    }
  }

  @Test
  void zAndMeasuresAreKeptAndACopyLeavesTheOriginal() {
    LineString line =
        GF.createLineString(
            new Coordinate[] {
              new CoordinateXYZM(354541.950289776, 3265627.00704594, 245.5, 7),
              new CoordinateXYZM(354641.950289776, 3265727.00704594, 246.5, 8)
            });
    Geometry copy = CrsTransform.toWgs84(SourceCrs.parse("4545")).transformed(line, "line");
    assertThat(line.getCoordinateN(0).x).isEqualTo(354541.950289776);
    assertThat(copy.getCoordinates()[0].x).isCloseTo(106.5, within(TOLERANCE));
    assertThat(copy.getCoordinates()[0].y).isCloseTo(29.5, within(TOLERANCE));
    assertThat(copy.getCoordinates()[0].getZ()).isEqualTo(245.5);
    assertThat(copy.getCoordinates()[1].getM()).isEqualTo(8);
  }

  // ---------------------------------------------------------------- refusals

  @Test
  void anEightDigitEastingInACentralMeridianFormNamesTheZonePrefixAndTheCode() {
    LineString line = line(CM108, 36354541.95, 3265627.0);
    assertThatThrownBy(
            () -> CrsTransform.toWgs84(SourceCrs.parse("4545")).apply(line, "grids.shp feature 12"))
        .hasMessage(
            "grids.shp feature 12: coordinate 1 (36354541.95, 3265627.0) has an 8-digit easting,"
                + " which carries the zone prefix 36, but EPSG:4545 (CGCS2000 / 3-degree"
                + " Gauss-Kruger CM 108E) is a central-meridian form whose eastings are 6 digits"
                + " around 500000; if the data is in zone 36, pass --crs EPSG:4524 (CGCS2000 /"
                + " 3-degree Gauss-Kruger zone 36)");
  }

  @Test
  void aSixDigitEastingInAPrefixedFormNamesTheCentralMeridianCode() {
    assertThatThrownBy(
            () ->
                CrsTransform.toWgs84(SourceCrs.parse("4524"))
                    .apply(line(ZONE36, 354541.95, 3265627.0), "f 3"))
        .hasMessage(
            "f 3: coordinate 1 (354541.95, 3265627.0) has a 6-digit easting without the zone"
                + " prefix (36xxxxxx) that EPSG:4524 (CGCS2000 / 3-degree Gauss-Kruger zone 36)"
                + " expects; if the data is in that zone without the prefix, pass --crs EPSG:4545"
                + " (CGCS2000 / 3-degree Gauss-Kruger CM 108E)");
  }

  @Test
  void aZonePrefixThatDisagreesWithTheDeclaredZoneNamesTheRightCode() {
    assertThatThrownBy(
            () ->
                CrsTransform.toWgs84(SourceCrs.parse("4524"))
                    .apply(line(ZONE36, 35554541.95, 3265627.0), "f 3"))
        .hasMessage(
            "f 3: coordinate 1 (35554541.95, 3265627.0) has an easting with the zone prefix 35,"
                + " but EPSG:4524 (CGCS2000 / 3-degree Gauss-Kruger zone 36) is zone 36; if the"
                + " data is in zone 35, pass --crs EPSG:4523");
    // a 6-degree zone's prefix in a 3-degree zone's data
    assertThatThrownBy(
            () ->
                CrsTransform.toWgs84(SourceCrs.parse("4524"))
                    .apply(line(ZONE36, 18554541.95, 3265627.0), "f 3"))
        .hasMessageEndingWith("if the data is in zone 18, pass --crs EPSG:4496");
  }

  @Test
  void northingFirstDataIsCaughtWithAHintToSwap() {
    assertThatThrownBy(
            () ->
                CrsTransform.toWgs84(SourceCrs.parse("4545"))
                    .apply(line(CM108, 3265627.0, 354541.95), "f 1"))
        .hasMessage(
            "f 1: coordinate 1 (3265627.0, 354541.95) looks northing first (x is a northing's"
                + " size, y an easting's): Shapefiles and GeoPackages store the easting as x,"
                + " whatever the EPSG axis order; swap the axes before importing");
    assertThatThrownBy(
            () ->
                CrsTransform.toWgs84(SourceCrs.parse("4524"))
                    .apply(line(ZONE36, 3265627.0, 36354541.95), "f 1"))
        .hasMessageContaining("looks northing first");
  }

  @Test
  void latitudeFirstLonLatIsOutsideChinaWithAHintToSwap() {
    assertThatThrownBy(
            () ->
                CrsTransform.toWgs84(SourceCrs.WGS84)
                    .apply(line(new Coordinate(106.5, 29.5), 29.5587, 106.5772), "f 9"))
        .hasMessage(
            "f 9: coordinate 1 (29.5587, 106.5772) lands at lon 29.558700, lat 106.577200 in"
                + " WGS84, outside China (lon 72.0 to 137.8, lat 0.8 to 55.8): is EPSG:4326 (WGS"
                + " 84) the right CRS? It looks like latitude, longitude: files store the"
                + " longitude as x; swap the axes");
  }

  @Test
  void theFirstCoordinateOutsideChinaIsNamed() {
    // Web Mercator metres of London after two good Chongqing points
    LineString line =
        GF.createLineString(
            new Coordinate[] {
              new Coordinate(11855525.77, 3439440.06),
              new Coordinate(11855625.77, 3439540.06),
              new Coordinate(-14204.0, 6711542.0),
              new Coordinate(-14304.0, 6711642.0)
            });
    assertThatThrownBy(
            () -> CrsTransform.toWgs84(SourceCrs.WEB_MERCATOR).apply(line, "roads.shp feature 4"))
        .hasMessageStartingWith(
            "roads.shp feature 4: coordinate 2 (-14204.0, 6711542.0) lands at lon -0.127597, lat"
                + " 51.507397 in WGS84")
        .hasMessageEndingWith(
            "outside China (lon 72.0 to 137.8, lat 0.8 to 55.8): is EPSG:3857"
                + " (WGS 84 / Pseudo-Mercator) the right CRS?");
  }

  @Test
  void notANumberIsRefused() {
    assertThatThrownBy(
            () ->
                CrsTransform.toWgs84(SourceCrs.GCJ02)
                    .apply(line(new Coordinate(106.5, 29.5), Double.NaN, 29.5), "f"))
        .hasMessage("f: coordinate 1 (NaN, 29.5) is not a number");
  }

  /** CM 108E (EPSG:4545) coordinates of 106.5°E, 29.5°N, as gdaltransform gives them. */
  private static final Coordinate CM108 = new Coordinate(354541.950289776, 3265627.00704594);

  /** The same point in zone 36 (EPSG:4524). */
  private static final Coordinate ZONE36 = new Coordinate(36354541.950289776, 3265627.00704594);

  /** A two-point line: a good point, then (x, y). */
  private static LineString line(Coordinate good, double x, double y) {
    return GF.createLineString(new Coordinate[] {good.copy(), new Coordinate(x, y)});
  }
}
