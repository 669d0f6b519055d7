package io.gridmap.layers.store.pg;

import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.ByteOrderValues;
import org.locationtech.jts.io.WKBWriter;

/**
 * PostGIS's extended WKB (WKB with the SRID in the header), which a typed geometry column needs: a
 * geometry without an SRID is refused by {@code geometry(Point, 4326)}.
 *
 * <p>Hand-written because JTS's {@link WKBWriter} writes the geometry's own SRID, and the features
 * of a city carry none (0); copying every geometry to set one would cost a copy of two million
 * points on every write. Plain WKB is written by JTS, then the SRID flag and the four SRID bytes go
 * into the header of the outer geometry, as PostGIS's {@code ST_AsEWKB} lays it out.
 */
final class Ewkb {
  private static final int SRID_FLAG = 0x20000000;

  private final WKBWriter wkb = new WKBWriter(2, ByteOrderValues.LITTLE_ENDIAN, false);

  /** Extended WKB of {@code g} with {@code srid}, little-endian. */
  byte[] write(Geometry g, int srid) {
    byte[] plain = wkb.write(g);
    byte[] out = new byte[plain.length + 4];
    out[0] = plain[0]; // byte order: 1, little-endian
    int type =
        (plain[1] & 0xff)
            | (plain[2] & 0xff) << 8
            | (plain[3] & 0xff) << 16
            | (plain[4] & 0xff) << 24;
    type |= SRID_FLAG;
    putIntLe(out, 1, type);
    putIntLe(out, 5, srid);
    System.arraycopy(plain, 5, out, 9, plain.length - 5);
    return out;
  }

  private static void putIntLe(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
    b[at + 2] = (byte) (v >>> 16);
    b[at + 3] = (byte) (v >>> 24);
  }
}
