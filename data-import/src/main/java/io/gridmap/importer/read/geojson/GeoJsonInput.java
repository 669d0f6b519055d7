package io.gridmap.importer.read.geojson;

import io.gridmap.importer.read.CountingInput;
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
final class GeoJsonInput extends CountingInput {
  private static final int RECORD_SEPARATOR = 0x1E;

  private boolean first = true;
  private boolean recordSeparated;

  GeoJsonInput(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      seen(b);
      if (recordSeparated && b == RECORD_SEPARATOR) {
        return ' ';
      }
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      seen(b[off]);
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

  private void seen(int firstByte) {
    if (first) {
      first = false;
      recordSeparated = firstByte == RECORD_SEPARATOR;
    }
  }
}
