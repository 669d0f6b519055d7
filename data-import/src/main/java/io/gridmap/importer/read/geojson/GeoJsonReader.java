package io.gridmap.importer.read.geojson;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.gridmap.importer.crs.SourceCrs;
import io.gridmap.importer.read.FeatureReader;
import io.gridmap.importer.read.ImportException;
import io.gridmap.importer.read.SourceFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * Streams the features of a GeoJSON file: an RFC 7946 FeatureCollection, a single Feature, or a
 * sequence of Features (GeoJSONSeq, RFC 8142, with or without the 0x1E record separators; also
 * newline-delimited GeoJSON). Jackson's streaming parser tokenises, so only the feature at hand is
 * in memory and a collection larger than the heap reads through; the geometry assembly is ours
 * ({@link GeoJsonGeometry}), the feature's members are gathered by {@link FeatureObject}.
 *
 * <p>The obsolete {@code crs} member counts when it comes before {@code "features"}, where ogr2ogr
 * writes it: a reader that streams cannot look behind the features. Features are numbered from 1 in
 * file order; a message names one with the parser's line and column, e.g. {@code "grids.geojson
 * feature 12 (line 3401, column 17)"}.
 */
public final class GeoJsonReader implements FeatureReader {
  private static final String CRS_FIX =
      "if you know the CRS the coordinates are in, pass --crs: wgs84, cgcs2000, gcj02, bd09,"
          + " EPSG:3857, or a CGCS2000 Gauss-Kruger code EPSG:4491 to EPSG:4554";
  private static final String TOP_FIX =
      "export the layer as GeoJSON (ogr2ogr -f GeoJSON out.geojson in.shp, or QGIS's Export >"
          + " Save Features As > GeoJSON)";

  /** Where the reader is in the file. */
  private enum Mode {
    START,
    /** Inside the {@code "features"} array of a FeatureCollection. */
    COLLECTION,
    /** A single Feature or a sequence of them, one root value each. */
    SEQUENCE,
    DONE
  }

  private final Path file;
  private final String name;
  private final long size;
  private final GeoJsonInput input;
  private final JsonFactory json;
  private final JsonParser parser;
  private final GeoJsonGeometry geometries = new GeoJsonGeometry(new GeometryFactory());

  private Mode mode = Mode.START;
  private SourceFeature pending;
  private String crsName;
  private int number;

  /** True while a feature's object is being read: messages then name it, else the one before. */
  private boolean inFeature;

  private long bytesRead;

  private GeoJsonReader(Path file, long size, GeoJsonInput input, JsonFactory json)
      throws IOException {
    this.file = file;
    this.name = file.getFileName().toString();
    this.size = size;
    this.input = input;
    this.json = json;
    this.parser = json.createParser(input);
  }

  /** Opens {@code file}; nothing is parsed until {@link #declaredCrs()} or {@link #next()}. */
  public static GeoJsonReader open(Path file) throws IOException {
    long size = Files.size(file);
    GeoJsonInput input = new GeoJsonInput(Files.newInputStream(file));
    try {
      return new GeoJsonReader(file, size, input, new JsonFactory());
    } catch (IOException | RuntimeException e) {
      input.close();
      throw e;
    }
  }

  @Override
  public Path file() {
    return file;
  }

  @Override
  public Optional<SourceCrs> declaredCrs() {
    try {
      guard(this::start);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // the disk, not the JSON: declaredCrs() declares none
    }
    if (crsName == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(SourceCrs.parse(crsName));
    } catch (IllegalArgumentException e) {
      throw new ImportException(
          file,
          name,
          "the crs member names '" + crsName + "', which is not a CRS we convert",
          CRS_FIX);
    }
  }

  @Override
  public boolean wgs84ByDefinition() {
    return true;
  }

  @Override
  public SourceFeature next() throws IOException {
    return guard(this::advance);
  }

  @Override
  public long bytesRead() {
    return bytesRead;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public void close() throws IOException {
    parser.close();
    input.close();
  }

  private interface Step<T> {
    T run() throws IOException;
  }

  /**
   * Runs a step of the parse, turning Jackson's exceptions and ours into an {@link
   * ImportException}; an {@link IOException} that is not about the JSON (the disk) goes through.
   */
  private <T> T guard(Step<T> step) throws IOException {
    try {
      T result = step.run();
      long offset = parser.currentLocation().getByteOffset();
      bytesRead = Math.max(bytesRead, offset >= 0 ? offset : input.count());
      return result;
    } catch (BadGeoJson e) {
      mode = Mode.DONE;
      throw new ImportException(file, where(e.location()), e.problem(), e.fix());
    } catch (JsonProcessingException e) {
      mode = Mode.DONE;
      throw isTruncation(e) ? truncated(e) : malformed(e);
    }
  }

  /**
   * Jackson says so in a {@link JsonEOFException}, or in a plain parse error "Unexpected
   * end-of-input" when the end comes between an array's entries.
   */
  private static boolean isTruncation(JsonProcessingException e) {
    return e instanceof JsonEOFException
        || (e.getOriginalMessage() != null
            && e.getOriginalMessage().startsWith("Unexpected end-of-input"));
  }

  private ImportException truncated(JsonProcessingException e) {
    return new ImportException(
        file,
        where(e.getLocation()),
        "unexpected end of file: the file is truncated, it ends "
            + (inFeature ? "inside this feature" : "before the GeoJSON closes"),
        "copy or export the whole file again: a download or copy that stopped early leaves a"
            + " file like this");
  }

  private ImportException malformed(JsonProcessingException e) {
    String message = String.valueOf(e.getOriginalMessage());
    return new ImportException(
        file,
        where(e.getLocation()),
        "malformed JSON: " + message,
        message.contains("UTF-8") || message.contains("UTF8")
            ? "GeoJSON is UTF-8 (RFC 7946): convert the file to UTF-8, e.g. iconv -f GBK -t"
                + " UTF-8 in.geojson > out.geojson"
            : "correct the JSON at this place, or export the layer again");
  }

  private SourceFeature advance() throws IOException {
    while (true) {
      switch (mode) {
        case START -> start();
        case COLLECTION -> {
          JsonToken t = parser.nextToken();
          if (t == JsonToken.END_ARRAY) {
            finishCollection();
            return null;
          }
          if (t != JsonToken.START_OBJECT) {
            throw new BadGeoJson(
                "expected a Feature object in the features array but found "
                    + GeoJsonGeometry.describe(parser),
                TOP_FIX,
                parser.currentTokenLocation());
          }
          number++;
          return readFeature();
        }
        case SEQUENCE -> {
          if (pending != null) {
            SourceFeature f = pending;
            pending = null;
            return f;
          }
          JsonToken t = parser.nextToken();
          if (t == null) {
            mode = Mode.DONE;
            return null;
          }
          if (t != JsonToken.START_OBJECT) {
            throw new BadGeoJson(
                "expected the next Feature object of the sequence but found "
                    + GeoJsonGeometry.describe(parser),
                TOP_FIX,
                parser.currentTokenLocation());
          }
          number++;
          return readFeature();
        }
        case DONE -> {
          return null;
        }
      }
    }
  }

  /**
   * Reads the top-level object up to its {@code "features"} array, or whole when it is a Feature
   * (held as {@link #pending}). Returns null, for {@link #guard}.
   */
  private Void start() throws IOException {
    if (mode != Mode.START) {
      return null;
    }
    JsonToken t = parser.nextToken();
    if (t != JsonToken.START_OBJECT) {
      mode = Mode.DONE;
      throw new ImportException(
          file,
          name,
          "expected a GeoJSON FeatureCollection or Feature but found "
              + (t == null ? "an empty file" : GeoJsonGeometry.describe(parser)),
          TOP_FIX);
    }
    number = 1; // unless it turns out to be a collection
    inFeature = true;
    JsonLocation at = parser.currentTokenLocation();
    FeatureObject root = new FeatureObject(json, geometries, at);
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String member = parser.currentName();
      parser.nextToken();
      if (member.equals("features")) {
        if (root.type() != null && !root.type().equals("FeatureCollection")) {
          throw topLevel(root.type());
        }
        if (parser.currentToken() != JsonToken.START_ARRAY) {
          throw new BadGeoJson(
              "expected the FeatureCollection's features to be an array but found "
                  + GeoJsonGeometry.describe(parser),
              TOP_FIX,
              parser.currentTokenLocation());
        }
        number = 0;
        inFeature = false;
        mode = Mode.COLLECTION;
        return null;
      } else if (member.equals("crs")) {
        crsName = CrsMember.read(parser);
      } else {
        root.member(member, parser);
      }
    }
    if ("FeatureCollection".equals(root.type())) {
      number = 0;
      inFeature = false;
      mode = Mode.DONE; // a collection without features holds none
      return null;
    }
    if (!"Feature".equals(root.type())) {
      throw topLevel(root.type());
    }
    pending = root.toFeature(featureWhere(at));
    inFeature = false;
    mode = Mode.SEQUENCE;
    return null;
  }

  private ImportException topLevel(String type) {
    mode = Mode.DONE;
    return new ImportException(
        file,
        name,
        "expected a GeoJSON FeatureCollection or Feature but found "
            + (type == null
                ? "an object without a type member"
                : "an object of type '" + type + "'"),
        TOP_FIX);
  }

  /** The current token is the feature's START_OBJECT. */
  private SourceFeature readFeature() throws IOException {
    JsonLocation at = parser.currentTokenLocation();
    inFeature = true;
    FeatureObject feature = new FeatureObject(json, geometries, at);
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String member = parser.currentName();
      parser.nextToken();
      feature.member(member, parser);
    }
    SourceFeature f = feature.toFeature(featureWhere(at));
    inFeature = false;
    return f;
  }

  /** The members after the features array, then the end of the file. */
  private void finishCollection() throws IOException {
    mode = Mode.DONE;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      parser.nextToken();
      parser.skipChildren();
    }
    JsonToken after = parser.nextToken();
    if (after != null) {
      throw new BadGeoJson(
          "expected the end of the file after the FeatureCollection but found "
              + GeoJsonGeometry.describe(parser),
          "a GeoJSON file holds one FeatureCollection; split the file or export it again",
          parser.currentTokenLocation());
    }
  }

  private String featureWhere(JsonLocation at) {
    return name + " feature " + number + position(at);
  }

  private String where(JsonLocation at) {
    String feature =
        inFeature ? " feature " + number : number > 0 ? " after feature " + number : "";
    return name + feature + position(at);
  }

  private static String position(JsonLocation at) {
    return at == null || at.getLineNr() < 0
        ? ""
        : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }
}
