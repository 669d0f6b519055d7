package io.gridmap.importer.read.shapefile;

import io.gridmap.importer.read.ImportException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.HexFormat;

/**
 * A DBF field's bytes as the value an import takes: C as a String without its right padding, N and
 * F as a Long (no decimals, fits a long) or a Double, L as a Boolean, D as an ISO date string, I as
 * a Long. A blank value of any type is null: a DBF has no null, and blanks are what GDAL and ArcGIS
 * write for one (GDAL also reads them back as null).
 *
 * <p>Text is decoded strictly: bytes that are not valid in the charset stop the import instead of
 * becoming replacement characters, because a wrong guess (GBK read as UTF-8) would otherwise store
 * a city's names as mojibake without anyone noticing.
 */
final class DbfValues {
  private final Path dbf;
  private final Charset charset;
  private final CharsetDecoder decoder;

  DbfValues(Path dbf, Charset charset) {
    this.dbf = dbf;
    this.charset = charset;
    this.decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  /** The value of field {@code f} in {@code record} (which starts with the deletion flag). */
  Object parse(byte[] record, DbfField f, String where) {
    int start = f.offset();
    int end = start + f.length();
    return switch (f.type()) {
      case 'C' -> text(record, start, trimRight(record, start, end), f, where);
      case 'N', 'F' -> number(ascii(record, start, end), f, where);
      case 'L' -> logical(ascii(record, start, end), f, where);
      case 'D' -> date(ascii(record, start, end), f, where);
      case 'I' -> (long) ByteBuffer.wrap(record, start, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      default -> throw new IllegalStateException("field type checked when the header was read");
    };
  }

  /** The end of the text without trailing spaces and NULs (GDAL pads with spaces, some with 0). */
  private static int trimRight(byte[] b, int start, int end) {
    while (end > start && (b[end - 1] == ' ' || b[end - 1] == 0)) {
      end--;
    }
    return end;
  }

  private String text(byte[] b, int start, int end, DbfField f, String where) {
    if (end == start) {
      return null;
    }
    try {
      CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(b, start, end - start));
      return chars.toString();
    } catch (CharacterCodingException e) {
      boolean gbk = charset.name().equals("GBK") || charset.name().equals("GB18030");
      throw new ImportException(
          dbf,
          where,
          "field '"
              + f.name()
              + "' holds bytes that are not valid "
              + charset.name()
              + " text ("
              + HexFormat.ofDelimiter(" ").formatHex(b, start, Math.min(end, start + 24))
              + (end - start > 24 ? " ..." : "")
              + "), so the attributes are in another encoding",
          gbk
              ? "pass the encoding the .dbf was written in, such as --encoding UTF-8 or --encoding"
                  + " GB18030, or put a .cpg naming it beside the .dbf"
              : "pass --encoding GBK if the data comes from Chinese Windows software (ArcGIS,"
                  + " older QGIS), or the encoding it was written in; or put a .cpg naming it"
                  + " (such as GBK) beside the .dbf");
    }
  }

  private static String ascii(byte[] b, int start, int end) {
    return new String(b, start, end - start, StandardCharsets.ISO_8859_1).strip();
  }

  private Object number(String s, DbfField f, String where) {
    // blank, or filled with '*' where the value did not fit the field's width (dBASE's overflow)
    if (s.isEmpty() || s.chars().allMatch(c -> c == '*')) {
      return null;
    }
    try {
      if (f.decimals() == 0) {
        try {
          return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException tooLargeOrFractional) {
          // a width-20 integer beyond a long, or "12.5" in a field declared without decimals:
          // still a number
        }
      }
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw invalid(f, where, "a number", s);
    }
  }

  private Boolean logical(String s, DbfField f, String where) {
    if (s.isEmpty()) {
      return null;
    }
    return switch (s.charAt(0)) {
      case 'T', 't', 'Y', 'y' -> Boolean.TRUE;
      case 'F', 'f', 'N', 'n' -> Boolean.FALSE;
      case '?' -> null;
      default -> throw invalid(f, where, "a logical value (T, F, Y, N or ?)", s);
    };
  }

  private String date(String s, DbfField f, String where) {
    // shapelib writes an unknown date as blanks or zeros
    if (s.isEmpty() || s.equals("00000000") || s.equals("0")) {
      return null;
    }
    if (s.length() != 8 || !s.chars().allMatch(Character::isDigit)) {
      throw invalid(f, where, "a date written YYYYMMDD", s);
    }
    try {
      return LocalDate.of(
              Integer.parseInt(s.substring(0, 4)),
              Integer.parseInt(s.substring(4, 6)),
              Integer.parseInt(s.substring(6, 8)))
          .toString();
    } catch (DateTimeException e) {
      throw invalid(f, where, "a date written YYYYMMDD", s);
    }
  }

  private ImportException invalid(DbfField f, String where, String expected, String found) {
    return new ImportException(
        dbf,
        where,
        "expected field '"
            + f.name()
            + "' (type "
            + f.type()
            + ") to hold "
            + expected
            + " but found '"
            + found
            + "'",
        "correct the value in the attribute table (QGIS, ArcGIS) and export again");
  }
}
