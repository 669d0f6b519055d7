package io.gridmap.importer.read.gpkg;

import io.gridmap.importer.read.ImportException;
import java.nio.file.Path;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;

/**
 * A GeoPackage geometry blob (GeoPackage 1.3 clause 2.1.3, "StandardGeoPackageBinary") as a JTS
 * geometry: an 8-byte header ({@code GP}, version, flags, srs id), an optional envelope whose size
 * the flags give, then standard or ISO WKB, which JTS reads (with Z and M, as written).
 *
 * <p>The store's own codec in {@code layers} is package-private to the store, and this one must
 * also accept what other software writes: big-endian headers, XYZ and XYZM envelopes, the empty
 * flag.
 */
final class GeoPackageGeometry {
  private static final int HEADER = 8;

  /**
   * Envelope sizes in bytes by the flags' envelope indicator (0 none, 1 xy, 2 xyz, 3 xym, 4 xyzm).
   */
  private static final int[] ENVELOPE_BYTES = {0, 32, 48, 48, 64};

  private final Path file;
  private final WKBReader wkb;

  GeoPackageGeometry(Path file, GeometryFactory factory) {
    this.file = file;
    this.wkb = new WKBReader(factory);
  }

  /**
   * The geometry of {@code blob}; null for a NULL value or a geometry flagged empty, which a
   * feature without a geometry has in a GeoPackage.
   *
   * @throws ImportException when the bytes are not a standard GeoPackage geometry
   */
  Geometry decode(byte[] blob, String where) {
    if (blob == null) {
      return null;
    }
    if (blob.length < HEADER || blob[0] != 'G' || blob[1] != 'P') {
      throw bad(
          where, "expected a GeoPackage geometry starting with 'GP' but found " + start(blob));
    }
    int flags = blob[3] & 0xFF;
    if ((flags & 0x20) != 0) {
      throw bad(
          where,
          "expected a standard GeoPackage geometry but found an extended one (flags 0x"
              + Integer.toHexString(flags)
              + "), which only the software that wrote it reads");
    }
    if ((flags & 0x10) != 0) {
      return null;
    }
    int indicator = (flags >> 1) & 0x07;
    if (indicator >= ENVELOPE_BYTES.length) {
      throw bad(where, "expected an envelope indicator of 0 to 4 but found " + indicator);
    }
    int offset = HEADER + ENVELOPE_BYTES[indicator];
    if (blob.length <= offset) {
      throw bad(
          where,
          "expected WKB after byte " + offset + " but the blob has " + blob.length + " bytes");
    }
    try {
      byte[] body = new byte[blob.length - offset];
      System.arraycopy(blob, offset, body, 0, body.length);
      return wkb.read(body);
    } catch (ParseException | RuntimeException e) {
      throw bad(where, "expected WKB after the header but could not read it: " + e.getMessage());
    }
  }

  private ImportException bad(String where, String problem) {
    return new ImportException(
        file,
        where,
        problem,
        "open the GeoPackage in QGIS and export the layer again (Export > Save Features As,"
            + " GeoPackage)");
  }

  private static String start(byte[] blob) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(blob.length, 8); i++) {
      sb.append(String.format("%02x", blob[i] & 0xFF));
    }
    return blob.length == 0 ? "0 bytes" : sb + " (" + blob.length + " bytes)";
  }
}
