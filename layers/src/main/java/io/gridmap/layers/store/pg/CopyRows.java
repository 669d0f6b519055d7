package io.gridmap.layers.store.pg;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.postgresql.copy.CopyIn;

/**
 * Rows for PostgreSQL's {@code COPY ... FROM STDIN} in its text format, streamed to the server a
 * megabyte at a time: a whole city (two million points, 65 thousand grids with their per-zoom
 * polygons) goes in at a few hundred thousand rows a second, where single INSERTs manage a few
 * thousand.
 *
 * <p>Hand-written: the driver's {@code CopyManager} takes bytes, not values; the text format's
 * rules (tab between columns, {@code \N} for null, backslash escapes) are in PostgreSQL's COPY
 * page. Geometries go as hex extended WKB, which PostGIS's geometry input reads.
 */
final class CopyRows {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final int FLUSH_AT = 1 << 20;

  private final CopyIn copy;
  private final ByteArrayOutputStream buf = new ByteArrayOutputStream(FLUSH_AT + (1 << 16));
  private boolean first = true;
  private long rows;

  CopyRows(CopyIn copy) {
    this.copy = copy;
  }

  CopyRows nul() {
    sep();
    buf.write('\\');
    buf.write('N');
    return this;
  }

  CopyRows number(long v) {
    sep();
    ascii(Long.toString(v));
    return this;
  }

  CopyRows number(double v) {
    sep();
    // Java's Double.toString ("1.0E-5", "NaN", "Infinity") is what float8's input reads
    ascii(Double.toString(v));
    return this;
  }

  CopyRows bool(boolean v) {
    sep();
    buf.write(v ? 't' : 'f');
    return this;
  }

  CopyRows text(String s) {
    sep();
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      switch (b) {
        case '\\' -> {
          buf.write('\\');
          buf.write('\\');
        }
        case '\t' -> {
          buf.write('\\');
          buf.write('t');
        }
        case '\n' -> {
          buf.write('\\');
          buf.write('n');
        }
        case '\r' -> {
          buf.write('\\');
          buf.write('r');
        }
        default -> buf.write(b);
      }
    }
    return this;
  }

  /** Bytes as hex text: what geometry's input takes for (extended) WKB. */
  CopyRows hex(byte[] bytes) {
    sep();
    for (byte b : bytes) {
      buf.write(HEX[(b >> 4) & 0xf]);
      buf.write(HEX[b & 0xf]);
    }
    return this;
  }

  /** Ends the row; sends what is buffered once a megabyte has gathered. */
  void endRow() throws SQLException {
    buf.write('\n');
    first = true;
    rows++;
    if (buf.size() >= FLUSH_AT) {
      flush();
    }
  }

  /** Sends the rest and ends the COPY; returns the rows the server took. */
  long finish() throws SQLException {
    flush();
    long taken = copy.endCopy();
    if (taken != rows) {
      throw new SQLException("COPY took " + taken + " rows of " + rows);
    }
    return taken;
  }

  /** Abandons the COPY after a failure, so that the connection can roll back; never throws. */
  void cancel() {
    try {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    } catch (SQLException e) {
      // the server ended it already; the rollback that follows cleans up
    }
  }

  private void flush() throws SQLException {
    if (buf.size() > 0) {
      byte[] b = buf.toByteArray();
      copy.writeToCopy(b, 0, b.length);
      buf.reset();
    }
  }

  private void sep() {
    if (!first) {
      buf.write('\t');
    }
    first = false;
  }

  private void ascii(String s) {
    for (int i = 0; i < s.length(); i++) {
      buf.write(s.charAt(i));
    }
  }
}
