package io.gridmap.importer.read.shapefile;

import io.gridmap.importer.crs.DbfEncoding;
import io.gridmap.importer.crs.SourceCrs;
import io.gridmap.importer.read.FeatureReader;
import io.gridmap.importer.read.ImportException;
import io.gridmap.importer.read.SourceFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * Reads an ESRI Shapefile: the shapes of the .shp and the attributes of the .dbf in step, record by
 * record, holding one record of each.
 *
 * <p>Written by hand: GeoTools, the usual Java reader, is not served by our package registries, and
 * no maintained Shapefile library on its own is. The format is small (the ESRI Shapefile Technical
 * Description, 1998, and dBASE's table), and reading it ourselves lets every problem name its
 * record and the fix, which a planner needs more than a stack trace.
 *
 * <p>What is read: Null, Point, MultiPoint, PolyLine and Polygon shapes and their Z and M variants,
 * x and y only; DBF fields C, N, F, L, D and Visual FoxPro's I. A record deleted in the .dbf ('*')
 * is skipped with its shape. The .shx is only used to check counts: its length gives the number of
 * records, which the .shp and the .dbf must both have.
 */
public final class ShapefileReader implements FeatureReader {
  private final ShapefileParts parts;
  private final String name;
  private final int shxRecords;
  private final ShpFile shp;
  private final DbfFile dbf;
  private final ShapeDecoder decoder;
  private final Optional<String> prjText;
  private Optional<SourceCrs> crs;

  /**
   * Opens {@code shp} and the files beside it.
   *
   * @param encodingFlag the value of {@code --encoding}, used when neither a .cpg nor the .dbf's
   *     language driver names the encoding (see {@link DbfEncoding#detect})
   * @throws ImportException when a required file is missing or the files do not agree
   */
  public ShapefileReader(Path shp, Optional<String> encodingFlag) throws IOException {
    this.parts = ShapefileParts.of(shp);
    this.name = shp.getFileName().toString();
    this.shxRecords = shxRecords(parts.shx());
    Charset charset = charset(encodingFlag);
    // read here, where an IOException may be thrown, and matched when asked for
    this.prjText =
        parts.prj().isPresent()
            ? Optional.of(Files.readString(parts.prj().get(), StandardCharsets.ISO_8859_1))
            : Optional.empty();
    this.shp = new ShpFile(shp);
    try {
      this.dbf = new DbfFile(parts.dbf(), charset);
    } catch (RuntimeException | IOException e) {
      this.shp.close();
      throw e;
    }
    this.decoder = new ShapeDecoder(shp, new GeometryFactory());
    if (dbf.records() != shxRecords) {
      close();
      throw new ImportException(
          parts.dbf(),
          name,
          parts.dbf().getFileName()
              + " has "
              + dbf.records()
              + " records but "
              + parts.shx().getFileName()
              + " lists "
              + shxRecords
              + " shapes",
          "the files come from different exports, or one was edited without the others: export"
              + " the Shapefile again and copy all its files together");
    }
  }

  /** The number of records the .shx lists: 8 bytes each after a 100-byte header. */
  private static int shxRecords(Path shx) throws IOException {
    long size = Files.size(shx);
    if (size < ShpFile.HEADER || (size - ShpFile.HEADER) % 8 != 0) {
      throw new ImportException(
          shx,
          shx.getFileName().toString(),
          "expected a 100-byte header and 8 bytes for each record but the file has "
              + size
              + " bytes",
          "the .shx is damaged or cut short: export the Shapefile again");
    }
    return (int) ((size - ShpFile.HEADER) / 8);
  }

  private Charset charset(Optional<String> encodingFlag) throws IOException {
    Optional<String> cpg = Optional.empty();
    if (parts.cpg().isPresent()) {
      // decoded leniently: DbfEncoding reports a content it cannot name, with the content
      cpg = Optional.of(new String(Files.readAllBytes(parts.cpg().get()), StandardCharsets.UTF_8));
    }
    try {
      return DbfEncoding.detect(parts.dbf(), cpg, encodingFlag);
    } catch (IllegalArgumentException e) {
      Path about = parts.cpg().filter(c -> e.getMessage().contains(".cpg")).orElse(parts.dbf());
      throw new ImportException(about, about.getFileName().toString(), e.getMessage(), "");
    }
  }

  @Override
  public Path file() {
    return parts.shp();
  }

  /**
   * The CRS of the .prj beside the .shp, empty without one.
   *
   * @throws ImportException when the .prj matches no CRS we convert, with {@link
   *     SourceCrs#fromPrj}'s explanation and how to pass {@code --crs}
   */
  @Override
  public Optional<SourceCrs> declaredCrs() {
    if (crs == null) {
      try {
        crs = prjText.map(SourceCrs::fromPrj);
      } catch (IllegalArgumentException e) {
        Path prj = parts.prj().orElseThrow();
        throw new ImportException(prj, prj.getFileName().toString(), e.getMessage(), "");
      }
    }
    return crs;
  }

  @Override
  public SourceFeature next() throws IOException {
    while (true) {
      ByteBuffer content = shp.next();
      if (content == null) {
        if (shp.records() != shxRecords) {
          throw countMismatch(
              name + " record " + (shp.records() + 1),
              name + " ends after " + shp.records() + " records");
        }
        return null;
      }
      String where = name + " record " + shp.records();
      if (shp.records() > shxRecords) {
        throw countMismatch(where, name + " has more records than that");
      }
      // the .dbf has as many records as the .shx, checked when opened, so this one exists
      dbf.advance();
      if (dbf.deleted()) {
        continue;
      }
      return new SourceFeature(decoder.decode(content, where), dbf.values(where), where);
    }
  }

  private ImportException countMismatch(String where, String found) {
    return new ImportException(
        parts.shp(),
        where,
        "expected "
            + shxRecords
            + " records, as "
            + parts.shx().getFileName()
            + " and "
            + parts.dbf().getFileName()
            + " list, but "
            + found,
        "the .shp is cut short or comes from another export than its .shx and .dbf: export the"
            + " Shapefile again and copy all its files together");
  }

  @Override
  public long bytesRead() {
    return shp.position() + dbf.position();
  }

  @Override
  public long size() {
    return shp.size() + dbf.size();
  }

  @Override
  public void close() throws IOException {
    try {
      shp.close();
    } finally {
      dbf.close();
    }
  }
}
