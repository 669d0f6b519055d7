package io.gridmap.layers.store.gpkg;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.io.ByteOrderValues;
import org.locationtech.jts.io.InStream;
import org.locationtech.jts.io.OutStream;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;
import org.locationtech.jts.io.WKBWriter;

/**
 * The GeoPackage geometry encoding (GeoPackage 1.3 clause 2.1.3, "StandardGeoPackageBinary"): an
 * 8-byte header ({@code GP}, version 0, flags, srs id), an optional envelope, then standard WKB.
 *
 * <p>Written by hand around JTS's WKB rather than through NGA's {@code GeoPackageGeometryData}: NGA
 * would first convert every JTS geometry into its own model, which doubles the work for the half a
 * million features of a full city. Tests check that NGA and GDAL decode these blobs.
 *
 * <p>Instances hold reusable buffers and are not thread-safe: use one per thread.
 */
final class GeometryBlob {
  private static final int HEADER = 8;

  /**
   * Envelope sizes in bytes by the flags' envelope indicator (0 none, 1 xy, 2 xyz, 3 xym, 4 xyzm).
   */
  private static final int[] ENVELOPE_BYTES = {0, 32, 48, 48, 64};

  private final WKBWriter writer = new WKBWriter(2, ByteOrderValues.LITTLE_ENDIAN);
  private final WKBReader reader;
  private final Buffer out = new Buffer();
  private final Slice in = new Slice();

  /** A codec whose decoded geometries come from {@code factory} (and carry its SRID). */
  GeometryBlob(GeometryFactory factory) {
    this.reader = new WKBReader(factory);
  }

  /**
   * Encodes a geometry, little-endian. Points carry no envelope (it would repeat the point, as GDAL
   * also omits it); other geometries carry their xy envelope so readers can skip the WKB; empty
   * geometries set the empty flag and carry none.
   */
  byte[] encode(Geometry geometry, int srsId) {
    out.reset();
    boolean empty = geometry.isEmpty();
    boolean withEnvelope = !empty && !(geometry instanceof Point);
    int flags = 0x01 /* little endian */ | (withEnvelope ? 1 << 1 : 0) | (empty ? 1 << 4 : 0);
    out.put((byte) 'G');
    out.put((byte) 'P');
    out.put((byte) 0);
    out.put((byte) flags);
    out.putIntLE(srsId);
    if (withEnvelope) {
      Envelope e = geometry.getEnvelopeInternal();
      out.putDoubleLE(e.getMinX());
      out.putDoubleLE(e.getMaxX());
      out.putDoubleLE(e.getMinY());
      out.putDoubleLE(e.getMaxY());
    }
    try {
      writer.write(geometry, out);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("writing WKB to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  /** Encodes bare WKB (no GeoPackage header), little-endian. */
  byte[] encodeWkb(Geometry geometry) {
    return writer.write(geometry);
  }

  /**
   * Decodes a GeoPackage geometry blob.
   *
   * @throws IllegalArgumentException when the bytes are not a standard GeoPackage geometry
   */
  Geometry decode(byte[] blob) {
    return decodeWkb(blob, wkbStart(blob));
  }

  /**
   * Where the WKB of a standard GeoPackage geometry blob starts, after its header and envelope.
   *
   * @throws IllegalArgumentException when the bytes are not a standard GeoPackage geometry
   */
  private static int wkbStart(byte[] blob) {
    if (blob.length < HEADER || blob[0] != 'G' || blob[1] != 'P') {
      throw new IllegalArgumentException(
          "expected a GeoPackage geometry starting with 'GP' but found " + describe(blob));
    }
    int flags = blob[3];
    if ((flags & 0x20) != 0) {
      throw new IllegalArgumentException(
          "expected a standard GeoPackage geometry but found an extended one (flags 0x"
              + Integer.toHexString(flags & 0xff)
              + ")");
    }
    int indicator = (flags >> 1) & 0x07;
    if (indicator >= ENVELOPE_BYTES.length) {
      throw new IllegalArgumentException(
          "expected an envelope indicator 0-4 but found " + indicator);
    }
    return HEADER + ENVELOPE_BYTES[indicator];
  }

  /**
   * The envelope of a GeoPackage geometry blob into {@code box} (minx, maxx, miny, maxy), read from
   * the header when it carries one and from a point's coordinates when it is a point, decoded whole
   * otherwise: for filling an R-tree from a table's rows, a million at a time.
   *
   * @return false when the geometry is empty (the R-tree holds no entry for it)
   */
  boolean envelope(byte[] blob, double[] box) {
    int wkb = wkbStart(blob);
    int flags = blob[3];
    if ((flags & 0x10) != 0) {
      return false;
    }
    if (wkb > HEADER) { // the header's envelope: minx, maxx, miny, maxy first
      VarHandle order = (flags & 0x01) != 0 ? LITTLE : BIG;
      for (int i = 0; i < 4; i++) {
        box[i] = (double) order.get(blob, HEADER + 8 * i);
      }
      return true;
    }
    if (blob.length >= wkb + 21) {
      boolean little = blob[wkb] == 1;
      VarHandle order = little ? LITTLE : BIG;
      int type = (int) (little ? INT_LITTLE : INT_BIG).get(blob, wkb + 1);
      if (type == 1) { // a 2D point
        double x = (double) order.get(blob, wkb + 5);
        double y = (double) order.get(blob, wkb + 13);
        if (Double.isNaN(x) || Double.isNaN(y)) {
          return false;
        }
        box[0] = x;
        box[1] = x;
        box[2] = y;
        box[3] = y;
        return true;
      }
    }
    Envelope e = decodeWkb(blob, wkb).getEnvelopeInternal();
    if (e.isNull()) {
      return false;
    }
    box[0] = e.getMinX();
    box[1] = e.getMaxX();
    box[2] = e.getMinY();
    box[3] = e.getMaxY();
    return true;
  }

  private static final VarHandle LITTLE =
      MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle BIG =
      MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT_LITTLE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_BIG =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  /** Decodes bare WKB starting at {@code offset}. */
  Geometry decodeWkb(byte[] bytes, int offset) {
    in.reset(bytes, offset);
    try {
      return reader.read(in);
    } catch (ParseException | java.io.IOException e) {
      throw new IllegalArgumentException(
          "expected WKB at byte " + offset + " but could not parse it: " + e.getMessage(), e);
    }
  }

  private static String describe(byte[] blob) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(blob.length, 8); i++) {
      sb.append(String.format("%02x", blob[i] & 0xff));
    }
    return blob.length == 0
        ? "0 bytes"
        : sb + (blob.length > 8 ? "..." : "") + " (" + blob.length + " bytes)";
  }

  /** A growable byte buffer that JTS's WKB writer can append to. */
  private static final class Buffer implements OutStream {
    private byte[] bytes = new byte[1024];
    private int size;

    void reset() {
      size = 0;
    }

    private void ensure(int extra) {
      if (size + extra > bytes.length) {
        bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + extra));
      }
    }

    void put(byte b) {
      ensure(1);
      bytes[size++] = b;
    }

    void putIntLE(int v) {
      ensure(4);
      for (int i = 0; i < 4; i++) {
        bytes[size++] = (byte) (v >>> (8 * i));
      }
    }

    void putDoubleLE(double d) {
      long v = Double.doubleToRawLongBits(d);
      ensure(8);
      for (int i = 0; i < 8; i++) {
        bytes[size++] = (byte) (v >>> (8 * i));
      }
    }

    @Override
    public void write(byte[] buf, int len) {
      ensure(len);
      System.arraycopy(buf, 0, bytes, size, len);
      size += len;
    }

    byte[] toByteArray() {
      return java.util.Arrays.copyOf(bytes, size);
    }
  }

  /** Reads a byte array from an offset, so the header need not be copied away. */
  private static final class Slice implements InStream {
    private byte[] bytes;
    private int pos;

    void reset(byte[] bytes, int offset) {
      this.bytes = bytes;
      this.pos = offset;
    }

    @Override
    public int read(byte[] buf) {
      int n = Math.min(buf.length, bytes.length - pos);
      if (n <= 0) {
        return -1;
      }
      System.arraycopy(bytes, pos, buf, 0, n);
      pos += n;
      return n;
    }
  }
}
