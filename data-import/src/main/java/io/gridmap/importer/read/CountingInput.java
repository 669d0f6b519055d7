package io.gridmap.importer.read;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes a reader has taken from its file, for {@code bytesRead()} where the parser
 * cannot say its offset (a CSV's decoder, a GeoJSON decoded through a Reader). Subclasses that
 * change bytes on the way ({@code GeoJsonInput}) do so after these reads.
 */
public class CountingInput extends FilterInputStream {
  private long count;

  public CountingInput(InputStream in) {
    super(in);
  }

  public final long count() {
    return count;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    count += b >= 0 ? 1 : 0;
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    count += Math.max(n, 0);
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = in.skip(n);
    count += skipped;
    return skipped;
  }

  @Override
  public final boolean markSupported() {
    return false; // a reset would count bytes twice
  }
}
