package io.gridmap.importer.read.geojson;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The file's bytes on their way to Jackson: counted, for progress when the parser cannot say its
 * byte offset (UTF-16 input, which Jackson decodes through a Reader), and with GeoJSON text
 * sequences' record separators (RFC 8142: each record starts with 0x1E) turned into spaces, which
 * leaves a stream of whitespace-separated objects that Jackson reads as root values one by one.
 *
 * <p>Only a file whose first byte is 0x1E has its separators replaced: in UTF-8 that byte is never
 * part of another character, and a raw control character inside a JSON string is invalid anyway.
 */
final class GeoJsonInput extends FilterInputStream {
  private static final int RECORD_SEPARATOR = 0x1E;

  private long count;
  private boolean first = true;
  private boolean recordSeparated;

  GeoJsonInput(InputStream in) {
    super(in);
  }

  long count() {
    return count;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      seen(b);
      count++;
      if (recordSeparated && b == RECORD_SEPARATOR) {
        return ' ';
      }
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      seen(b[off]);
      count += n;
      if (recordSeparated) {
        for (int i = off; i < off + n; i++) {
          if (b[i] == RECORD_SEPARATOR) {
            b[i] = ' ';
          }
        }
      }
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = in.skip(n);
    count += skipped;
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false; // a reset would count bytes twice
  }

  private void seen(int firstByte) {
    if (first) {
      first = false;
      recordSeparated = firstByte == RECORD_SEPARATOR;
    }
  }
}
