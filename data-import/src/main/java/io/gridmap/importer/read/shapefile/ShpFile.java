package io.gridmap.importer.read.shapefile;

import io.gridmap.importer.read.ImportException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The main file (.shp) read record by record: a 100-byte header, then records of an 8-byte
 * big-endian header (record number, content length in 16-bit words) and the content. Holds one
 * record's bytes at a time.
 */
final class ShpFile implements AutoCloseable {
  static final int HEADER = 100;
  private static final int FILE_CODE = 9994;

  private final Path path;
  private final String name;
  private final long size;
  private final InputStream in;
  private final byte[] recordHeader = new byte[8];
  private byte[] content = new byte[1024];
  private long position;
  private int records;

  ShpFile(Path path) throws IOException {
    this.path = path;
    this.name = path.getFileName().toString();
    this.size = Files.size(path);
    this.in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
    byte[] header = in.readNBytes(HEADER);
    position = header.length;
    int code =
        header.length < 4 ? -1 : ByteBuffer.wrap(header).order(ByteOrder.BIG_ENDIAN).getInt();
    if (header.length < HEADER || code != FILE_CODE) {
      in.close();
      throw new ImportException(
          path,
          name,
          header.length < HEADER
              ? "expected a Shapefile header of 100 bytes but the file has " + header.length
              : "expected a Shapefile, whose first 4 bytes are the number 9994, but found " + code,
          "the .shp is damaged or not a Shapefile: export it again");
    }
  }

  Path path() {
    return path;
  }

  long size() {
    return size;
  }

  /** Bytes consumed so far. */
  long position() {
    return position;
  }

  /** The records read so far. */
  int records() {
    return records;
  }

  /**
   * The next record's content as a buffer over a reused array (valid until the next call), or null
   * at the end of the file.
   *
   * @throws ImportException when the file ends inside a record
   */
  ByteBuffer next() throws IOException {
    int n = in.readNBytes(recordHeader, 0, 8);
    if (n == 0) {
      return null;
    }
    int record = records + 1;
    String where = name + " record " + record;
    if (n < 8) {
      throw truncated(where, "its 8-byte header", n);
    }
    long words = ByteBuffer.wrap(recordHeader).order(ByteOrder.BIG_ENDIAN).getInt(4) & 0xFFFFFFFFL;
    long length = words * 2;
    if (length > size - position - 8) {
      // checked before reading, so a damaged length cannot make us allocate gigabytes
      throw truncated(where, length + " bytes of content (its header says)", size - position - 8);
    }
    if (content.length < length) {
      content = new byte[(int) Math.max(length, content.length * 2L)];
    }
    int got = in.readNBytes(content, 0, (int) length);
    if (got < length) {
      throw truncated(where, length + " bytes of content", got);
    }
    position += 8 + length;
    records = record;
    return ByteBuffer.wrap(content, 0, (int) length).slice();
  }

  private ImportException truncated(String where, String expected, long found) {
    return new ImportException(
        path,
        where,
        "expected "
            + expected
            + " but the file ends after "
            + Math.max(found, 0)
            + " more bytes ("
            + size
            + " bytes in all): the .shp is cut short",
        "copy or export the Shapefile again; an interrupted copy or download leaves a shorter"
            + " file");
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
