package io.gridmap.layers.store.gpkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import mil.nga.geopackage.geom.GeoPackageGeometryData;
import mil.nga.sf.GeometryEnvelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;
import org.locationtech.jts.io.WKTReader;

class GeometryBlobTest {
  private final GeometryFactory factory = new GeometryFactory();
  private final GeometryBlob blob = new GeometryBlob(factory);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "POINT (106.5516 29.5630)",
        "POLYGON ((106 29, 106.1 29, 106.1 29.1, 106 29.1, 106 29), (106.07 29.04, 106.07 29.06, 106.08 29.06, 106.08 29.04, 106.07 29.04))",
        "MULTIPOLYGON (((106.1 29, 106.2 29, 106.2 29.1, 106.1 29.1, 106.1 29)), ((106.25 29, 106.26 29, 106.26 29.01, 106.25 29.01, 106.25 29)))",
        "POLYGON EMPTY",
        "POINT EMPTY"
      })
  void decodesWhatItEncodesExactly(String wkt) throws ParseException {
    Geometry g = new WKTReader(factory).read(wkt);
    Geometry back = blob.decode(blob.encode(g, 4326));
    assertThat(back.getGeometryType()).isEqualTo(g.getGeometryType());
    assertThat(back.isEmpty()).isEqualTo(g.isEmpty());
    if (!g.isEmpty()) {
      assertThat(back.equalsExact(g)).as("%s came back as %s", g, back).isTrue();
    }
  }

  @Test
  void writesTheStandardHeaderWithAnEnvelopeForPolygonsOnly() throws ParseException {
    byte[] polygon =
        blob.encode(new WKTReader(factory).read("POLYGON ((1 2, 3 2, 3 5, 1 5, 1 2))"), 4326);
    ByteBuffer b = ByteBuffer.wrap(polygon).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(new byte[] {b.get(0), b.get(1), b.get(2)}).containsExactly('G', 'P', 0);
    assertThat(b.get(3)).as("flags: little endian, xy envelope").isEqualTo((byte) 0b0000_0011);
    assertThat(b.getInt(4)).isEqualTo(4326);
    assertThat(new double[] {b.getDouble(8), b.getDouble(16), b.getDouble(24), b.getDouble(32)})
        .containsExactly(1, 3, 2, 5);

    byte[] point =
        blob.encode(factory.createPoint(new org.locationtech.jts.geom.Coordinate(1, 2)), 4326);
    assertThat(point[3]).as("flags: little endian, no envelope").isEqualTo((byte) 0b0000_0001);
    assertThat(point).hasSize(8 + 21);

    byte[] empty = blob.encode(factory.createPolygon(), 4326);
    assertThat(empty[3])
        .as("flags: little endian, empty, no envelope")
        .isEqualTo((byte) 0b0001_0001);
  }

  @Test
  void ngaReadsOurBlobs() throws Exception {
    Geometry g =
        new WKTReader(factory).read("POLYGON ((106 29, 106.1 29, 106.1 29.1, 106 29.1, 106 29))");
    GeoPackageGeometryData nga = GeoPackageGeometryData.create(blob.encode(g, 4326));
    assertThat(nga.getSrsId()).isEqualTo(4326);
    assertThat(nga.isEmpty()).isFalse();
    GeometryEnvelope e = nga.getEnvelope();
    assertThat(new double[] {e.getMinX(), e.getMaxX(), e.getMinY(), e.getMaxY()})
        .containsExactly(106, 106.1, 29, 29.1);
    assertThat(new WKBReader(factory).read(nga.getWkb()).equalsExact(g)).isTrue();
  }

  @Test
  void readsBigEndianBlobsWrittenByNga() throws Exception {
    Geometry g =
        new WKTReader(factory)
            .read("MULTIPOLYGON (((106 29, 106.1 29, 106.1 29.1, 106 29.1, 106 29)))");
    GeoPackageGeometryData nga =
        GeoPackageGeometryData.createFromWkbAndBuildEnvelope(4326, blob.encodeWkb(g));
    nga.setByteOrder(ByteOrder.BIG_ENDIAN);
    byte[] bytes = nga.toBytes();
    assertThat(bytes[3] & 1).as("big endian").isZero();
    assertThat(blob.decode(bytes).equalsExact(g)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "POINT (106.5516 29.5630)",
        "POLYGON ((106 29, 106.1 29, 106.1 29.1, 106 29.1, 106 29))",
        "MULTIPOLYGON (((106.1 29, 106.2 29, 106.2 29.1, 106.1 29.1, 106.1 29)), ((106.25 29.2, 106.26 29.2, 106.26 29.21, 106.25 29.21, 106.25 29.2)))"
      })
  void readsTheEnvelopeOfOursAndOfNgasBlobsInEitherByteOrder(String wkt) throws Exception {
    Geometry g = new WKTReader(factory).read(wkt);
    org.locationtech.jts.geom.Envelope e = g.getEnvelopeInternal();
    double[] expected = {e.getMinX(), e.getMaxX(), e.getMinY(), e.getMaxY()};
    double[] box = new double[4];
    // ours: a point's from its coordinates, a polygon's from the header
    assertThat(blob.envelope(blob.encode(g, 4326), box)).isTrue();
    assertThat(box).containsExactly(expected);
    // NGA's, big-endian, without an envelope in the header: a point's coordinates, else decoded
    GeoPackageGeometryData nga = GeoPackageGeometryData.create(4326, null);
    nga.setGeometryFromWkb(blob.encodeWkb(g));
    nga.setByteOrder(ByteOrder.BIG_ENDIAN);
    byte[] big = nga.toBytes();
    assertThat(big[3] & 0x0f).as("big endian, no envelope").isZero();
    java.util.Arrays.fill(box, 0);
    assertThat(blob.envelope(big, box)).isTrue();
    assertThat(box).containsExactly(expected);
  }

  @Test
  void anEmptyGeometryHasNoEnvelope() {
    double[] box = new double[4];
    assertThat(blob.envelope(blob.encode(factory.createPolygon(), 4326), box)).isFalse();
    assertThat(blob.envelope(blob.encode(factory.createPoint(), 4326), box)).isFalse();
    assertThatThrownBy(() -> blob.envelope(new byte[] {1, 1, 0, 0, 0}, box))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("expected a GeoPackage geometry starting with 'GP'");
  }

  @Test
  void rejectsBytesThatAreNoGeoPackageGeometry() {
    assertThatThrownBy(() -> blob.decode(new byte[] {1, 1, 0, 0, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "expected a GeoPackage geometry starting with 'GP' but found 0101000000 (5 bytes)");
    assertThatThrownBy(() -> blob.decode(new byte[] {'G', 'P', 0, 1, 0, 0, 0, 0, 1, 3}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("expected WKB at byte 8 but could not parse it");
  }
}
