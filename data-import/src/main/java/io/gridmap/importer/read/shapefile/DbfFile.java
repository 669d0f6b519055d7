package io.gridmap.importer.read.shapefile;

import io.gridmap.importer.read.ImportException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attribute table (.dbf, dBASE III/IV as ESRI and GDAL write it, and Visual FoxPro's integer
 * field) read record by record in step with the .shp. The header is checked against the file's size
 * before the first record, so a cut-short table is reported before any feature is imported.
 */
final class DbfFile implements AutoCloseable {
  private static final int HEADER = 32;
  private static final int DESCRIPTOR = 32;
  private static final byte TERMINATOR = 0x0D;

  private final Path path;
  private final String name;
  private final long size;
  private final int records;
  private final int recordLength;
  private final List<DbfField> fields;
  private final InputStream in;
  private final DbfValues values;
  private final byte[] record;
  private long position;
  private int read;

  DbfFile(Path path, Charset charset) throws IOException {
    this.path = path;
    this.name = path.getFileName().toString();
    this.size = Files.size(path);
    this.in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
    try {
      byte[] header = in.readNBytes(HEADER);
      if (header.length < HEADER) {
        throw damaged("expected a DBF header of 32 bytes but the file has " + header.length);
      }
      ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
      this.records = h.getInt(4);
      int headerLength = h.getShort(8) & 0xFFFF;
      this.recordLength = h.getShort(10) & 0xFFFF;
      if (records < 0 || headerLength < HEADER + 1 || recordLength < 1) {
        throw damaged(
            "expected a record count of 0 or more, a header length above 32 and a record length"
                + " above 0, but the header says "
                + records
                + ", "
                + headerLength
                + " and "
                + recordLength);
      }
      byte[] rest = in.readNBytes(headerLength - HEADER);
      if (rest.length < headerLength - HEADER) {
        throw damaged(
            "expected a header of "
                + headerLength
                + " bytes (its field descriptors) but the file has "
                + size);
      }
      this.fields = fields(rest, charset);
      this.position = headerLength;
      long expected = headerLength + (long) records * recordLength;
      if (size < expected) {
        long complete = (size - headerLength) / recordLength;
        throw new ImportException(
            path,
            name + " record " + (complete + 1),
            "expected "
                + records
                + " records of "
                + recordLength
                + " bytes after a "
                + headerLength
                + "-byte header ("
                + expected
                + " bytes) but the file has "
                + size
                + " bytes: it ends inside record "
                + (complete + 1),
            "the .dbf is cut short: copy or export the Shapefile again");
      }
      this.record = new byte[recordLength];
      this.values = new DbfValues(path, charset);
    } catch (RuntimeException | IOException e) {
      in.close();
      throw e;
    }
  }

  private List<DbfField> fields(byte[] descriptors, Charset charset) {
    List<DbfField> list = new ArrayList<>();
    int offset = 1; // after the deletion flag
    for (int at = 0;
        at + DESCRIPTOR <= descriptors.length && descriptors[at] != TERMINATOR;
        at += DESCRIPTOR) {
      int nameLength = 0;
      while (nameLength < 11 && descriptors[at + nameLength] != 0) {
        nameLength++;
      }
      // names are decoded leniently: a name with a stray byte is still a usable column name, and
      // the values, which matter more, are decoded strictly
      String fieldName = new String(descriptors, at, nameLength, charset).strip();
      char type = (char) (descriptors[at + 11] & 0xFF);
      int length = descriptors[at + 16] & 0xFF;
      int decimals = descriptors[at + 17] & 0xFF;
      if (type == 'M') {
        throw new ImportException(
            path,
            name,
            "field '"
                + fieldName
                + "' is a memo (type M), whose text lives in a .dbt file that"
                + " this reader does not read",
            "convert the field to text (type C, at most 254 characters) or delete it, then export"
                + " again");
      }
      if (DbfField.TYPES.indexOf(type) < 0) {
        throw new ImportException(
            path,
            name,
            "expected field '"
                + fieldName
                + "' to have a type of C (text), N or F (number), L"
                + " (logical), D (date) or I (integer) but found '"
                + type
                + "'",
            "convert the field to text or a number, or delete it, then export again");
      }
      if (type == 'I' && length != 4) {
        throw damaged(
            "expected integer field '" + fieldName + "' to be 4 bytes but found " + length);
      }
      list.add(new DbfField(fieldName, type, offset, length, decimals));
      offset += length;
    }
    if (offset > recordLength) {
      throw damaged(
          "expected the fields to fit the record length of "
              + recordLength
              + " bytes but they need "
              + offset);
    }
    return List.copyOf(list);
  }

  /** Records the header declares, deleted ones included. */
  int records() {
    return records;
  }

  List<DbfField> fields() {
    return fields;
  }

  long size() {
    return size;
  }

  /** Bytes consumed so far. */
  long position() {
    return position;
  }

  /**
   * Reads the next record; false after the last the header declares.
   *
   * @throws ImportException when a record does not start with a deletion flag
   */
  boolean advance() throws IOException {
    if (read == records) {
      return false;
    }
    int n = in.readNBytes(record, 0, recordLength);
    read++;
    position += n;
    if (n < recordLength) {
      // only when the file shrank after we checked its size
      throw new ImportException(
          path, name + " record " + read, "the file ends inside this record", "export it again");
    }
    if (record[0] != ' ' && record[0] != '*') {
      throw new ImportException(
          path,
          name + " record " + read,
          "expected the record to start with ' ' (kept) or '*' (deleted) but found byte 0x"
              + Integer.toHexString(record[0] & 0xFF),
          "the .dbf is damaged (its header's lengths do not match its records): export it again");
    }
    return true;
  }

  /** Whether the record read is marked deleted ('*'); its shape is skipped with it. */
  boolean deleted() {
    return record[0] == '*';
  }

  /** The record's values by field name, in field order; {@code where} names it in errors. */
  Map<String, Object> values(String where) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (DbfField f : fields) {
      map.put(f.name(), values.parse(record, f, where));
    }
    return map;
  }

  private ImportException damaged(String problem) {
    return new ImportException(path, name, problem, "the .dbf is damaged: export it again");
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
