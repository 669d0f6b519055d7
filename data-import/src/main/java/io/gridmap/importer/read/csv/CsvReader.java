package io.gridmap.importer.read.csv;

import io.gridmap.importer.crs.SourceCrs;
import io.gridmap.importer.read.CountingInput;
import io.gridmap.importer.read.FeatureReader;
import io.gridmap.importer.read.ImportException;
import io.gridmap.importer.read.SourceFeature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKTReader;

/**
 * Streams a CSV's rows as features: a point from lon/lat columns or any geometry from a WKT column
 * ({@link GeometryColumns}), every other column a string attribute (an empty cell null).
 * commons-csv does the quoting, escaped quotes and line breaks inside cells; this class adds the
 * header, the geometry and the messages. A header row is required; a UTF-8 byte order mark is
 * skipped.
 *
 * <p>A row is named by its physical line, 1-based with the header as line 1, where it starts (a
 * quoted cell may run over several lines): {@code "sites.csv line 40001"}. The text is decoded
 * strictly: bytes that are not valid in the charset stop the import, naming the line, instead of
 * becoming replacement characters.
 */
public final class CsvReader implements FeatureReader {
  /** Delimiters the detection counts in the header line, the first winning a tie. */
  private static final String CANDIDATE_DELIMITERS = ",;\t|";

  /** A plain decimal number: {@code Double.parseDouble} would also take "NaN", "1d" or hex. */
  private static final Pattern NUMBER =
      Pattern.compile("[-+]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?");

  private final Path file;
  private final String name;
  private final long size;
  private final Charset charset;
  private final char delimiter;
  private final CountingInput input;
  private final CSVParser parser;
  private final Iterator<CSVRecord> records;
  private final List<String> header;
  private final GeometryColumns columns;
  private final GeometryFactory factory = new GeometryFactory();
  private final WKTReader wktReader = new WKTReader(factory);

  private CsvReader(Path file, CsvOptions options, CountingInput input) throws IOException {
    this.file = file;
    this.name = file.getFileName().toString();
    this.size = Files.size(file);
    this.charset = options.charset() == null ? StandardCharsets.UTF_8 : options.charset();
    this.input = input;
    BufferedReader text =
        new BufferedReader(
            new InputStreamReader(
                input,
                charset
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)));
    try {
      skipByteOrderMark(text);
      this.delimiter =
          options.delimiter() == CsvOptions.DETECT ? detectDelimiter(text) : options.delimiter();
    } catch (CharacterCodingException e) {
      throw undecodable();
    }
    // blank lines are kept as records (of one empty cell) and skipped here, so that the parser's
    // line count before a record is always the line just before it
    CSVFormat format =
        CSVFormat.RFC4180.builder().setDelimiter(this.delimiter).setIgnoreEmptyLines(false).get();
    this.parser = format.parse(text);
    this.records = parser.iterator();
    List<String> cells = nextRecord().map(r -> r.record().toList()).orElse(null);
    if (cells == null) {
      throw new ImportException(
          file,
          name,
          "the file is empty: expected a header row naming the columns",
          "add a header row, e.g. name,lon,lat");
    }
    this.header = cells;
    Set<String> seen = new HashSet<>();
    for (String column : header) {
      if (!seen.add(column)) {
        throw new ImportException(
            file,
            name + " line 1",
            "the header names the column '" + column + "' twice",
            "rename one of them");
      }
    }
    try {
      this.columns = GeometryColumns.find(header, options);
    } catch (GeometryColumns.MissingColumns e) {
      throw new ImportException(file, name + " line 1", e.getMessage(), e.fix);
    }
  }

  /**
   * Opens {@code file} and reads its header, so that missing geometry columns are reported before
   * any row is read.
   */
  public static CsvReader open(Path file, CsvOptions options) throws IOException {
    CountingInput input = new CountingInput(Files.newInputStream(file));
    try {
      return new CsvReader(file, options, input);
    } catch (IOException | RuntimeException e) {
      input.close();
      throw e;
    }
  }

  @Override
  public Path file() {
    return file;
  }

  /** None: a CSV declares no CRS; the import's {@code --crs} says. */
  @Override
  public Optional<SourceCrs> declaredCrs() {
    return Optional.empty();
  }

  @Override
  public SourceFeature next() throws IOException {
    while (true) {
      Optional<Row> row = nextRecord();
      if (row.isEmpty()) {
        return null;
      }
      CSVRecord r = row.get().record();
      if (r.size() == 1 && r.get(0).isEmpty()) {
        continue; // a blank line
      }
      return feature(r, name + " line " + row.get().line());
    }
  }

  @Override
  public long bytesRead() {
    return input.count();
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public void close() throws IOException {
    try {
      parser.close();
    } finally {
      input.close();
    }
  }

  /** A record and the physical line it starts on. */
  private record Row(CSVRecord record, long line) {}

  private Optional<Row> nextRecord() throws IOException {
    long line = parser.getCurrentLineNumber() + 1;
    try {
      return records.hasNext() ? Optional.of(new Row(records.next(), line)) : Optional.empty();
    } catch (UncheckedIOException e) {
      IOException cause = e.getCause();
      if (cause instanceof CharacterCodingException) {
        throw undecodable();
      }
      if (cause instanceof CSVException && cause.getMessage().contains("EOF reached before")) {
        throw new ImportException(
            file,
            name + " line " + line,
            "a quoted cell that starts in this row is never closed: the file ends inside quotes",
            "close the quote; a quote inside a quoted cell is written twice (\"\")");
      }
      if (cause instanceof CSVException) {
        throw new ImportException(
            file,
            name + " line " + line,
            "malformed CSV: " + cause.getMessage(),
            "a cell with a quote, delimiter or line break must be quoted, with its quotes doubled:"
                + " \"say \"\"hi\"\"\"");
      }
      throw cause;
    }
  }

  private SourceFeature feature(CSVRecord r, String where) {
    if (r.size() != header.size()) {
      throw new ImportException(
          file,
          where,
          "the row has " + r.size() + " cells but the header has " + header.size(),
          "quote cells that hold the delimiter '"
              + (delimiter == '\t' ? "\\t" : String.valueOf(delimiter))
              + "' or a line break, and give every row the header's columns");
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (int i = 0; i < header.size(); i++) {
      if (!columns.isGeometry(i)) {
        String cell = r.get(i);
        attributes.put(header.get(i), cell.isEmpty() ? null : cell);
      }
    }
    return new SourceFeature(geometry(r, where), attributes, where);
  }

  private Geometry geometry(CSVRecord r, String where) {
    if (columns.wkt() >= 0) {
      String text = r.get(columns.wkt());
      if (text.isBlank()) {
        return null;
      }
      try {
        return wktReader.read(text);
      } catch (ParseException | IllegalArgumentException e) {
        throw new ImportException(
            file,
            where,
            "column "
                + header.get(columns.wkt())
                + " is not valid WKT ("
                + e.getMessage()
                + "): '"
                + abbreviate(text)
                + "'",
            "correct the geometry, e.g. POINT (106.5772 29.5587) or POLYGON ((x y, ...)), or"
                + " export again with ogr2ogr -f CSV -lco GEOMETRY=AS_WKT");
      }
    }
    String lonText = r.get(columns.lon()).strip();
    String latText = r.get(columns.lat()).strip();
    if (lonText.isEmpty() && latText.isEmpty()) {
      return null;
    }
    double lon = coordinate(lonText, columns.lon(), 180, where);
    double lat = coordinate(latText, columns.lat(), 90, where);
    return factory.createPoint(new Coordinate(lon, lat));
  }

  private double coordinate(String text, int column, double limit, String where) {
    String columnName = header.get(column);
    if (!NUMBER.matcher(text).matches()) {
      throw new ImportException(
          file,
          where,
          "column " + columnName + " is '" + abbreviate(text) + "', not a number",
          "correct the value (a decimal number such as 106.5772, no degree signs), or leave both"
              + " coordinates empty for a row without a location");
    }
    double value = Double.parseDouble(text);
    if (!Double.isFinite(value) || (columns.degrees() && Math.abs(value) > limit)) {
      throw new ImportException(
          file,
          where,
          "column "
              + columnName
              + " is "
              + text
              + ", outside -"
              + (int) limit
              + " to "
              + (int) limit,
          "check that the column holds degrees and that longitude and latitude are not swapped");
    }
    return value;
  }

  private ImportException undecodable() throws IOException {
    UndecodableLine bad = UndecodableLine.find(file, charset);
    boolean utf8 = charset.equals(StandardCharsets.UTF_8);
    return new ImportException(
        file,
        name + " line " + bad.line(),
        "the text is not valid "
            + charset.name()
            + (bad.bytes().isEmpty() ? "" : " (bytes " + bad.bytes() + ")"),
        utf8
            ? "the file is probably GBK, as Chinese Excel and WPS save CSV: pass --encoding GBK,"
                + " or save the file as UTF-8"
            : "pass --encoding with the file's encoding (UTF-8, GBK, GB18030), or save it as"
                + " UTF-8");
  }

  private static void skipByteOrderMark(BufferedReader text) throws IOException {
    text.mark(1);
    if (text.read() != '\uFEFF') {
      text.reset();
    }
  }

  /** The commonest candidate outside quotes in the first line (up to 64 K characters). */
  private static char detectDelimiter(BufferedReader text) throws IOException {
    int limit = 1 << 16;
    text.mark(limit);
    int[] counts = new int[CANDIDATE_DELIMITERS.length()];
    boolean quoted = false;
    for (int i = 0, c = text.read();
        i < limit && c >= 0 && (quoted || (c != '\n' && c != '\r'));
        i++, c = text.read()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && CANDIDATE_DELIMITERS.indexOf(c) >= 0) {
        counts[CANDIDATE_DELIMITERS.indexOf(c)]++;
      }
    }
    text.reset();
    int best = 0;
    for (int i = 1; i < counts.length; i++) {
      if (counts[i] > counts[best]) {
        best = i;
      }
    }
    return CANDIDATE_DELIMITERS.charAt(best);
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
