package io.gridmap.importer.read.csv;

import java.nio.charset.Charset;

/**
 * How to read a CSV: the {@code --lon}/{@code --lat}/{@code --wkt}, delimiter and {@code
 * --encoding} of the import command. A null (or for the delimiter {@link #DETECT}) means "find it":
 * geometry columns by their usual names ({@link GeometryColumns}), the delimiter from the header
 * line, UTF-8 as the charset (decoded strictly, so a GBK file is reported, not turned into
 * mojibake).
 *
 * @param lon the longitude (or x) column's name, with {@code lat}
 * @param lat the latitude (or y) column's name, with {@code lon}
 * @param wkt the WKT geometry column's name, instead of lon/lat
 * @param delimiter the cell delimiter, or {@link #DETECT} for the commonest of {@code , ; tab |} in
 *     the header line
 * @param charset the text encoding, or null for UTF-8
 */
public record CsvOptions(String lon, String lat, String wkt, char delimiter, Charset charset) {
  /** The delimiter value meaning: count the candidates in the header line. */
  public static final char DETECT = '\0';

  public CsvOptions {
    if ((lon == null) != (lat == null)) {
      throw new IllegalArgumentException(
          "expected both --lon and --lat, but found only "
              + (lon == null ? "--lat " + lat : "--lon " + lon));
    }
    if (wkt != null && lon != null) {
      throw new IllegalArgumentException(
          "expected --lon and --lat, or --wkt, but found all three: a row has one geometry");
    }
    if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
      throw new IllegalArgumentException(
          "expected a delimiter such as ',' ';' or a tab, but found a quote or line break");
    }
  }

  /** Everything found from the file. */
  public static CsvOptions detect() {
    return new CsvOptions(null, null, null, DETECT, null);
  }
}
