package io.gridmap.importer.read;

import io.gridmap.importer.crs.CodePages;
import io.gridmap.importer.read.csv.CsvOptions;
import io.gridmap.importer.read.csv.CsvReader;
import io.gridmap.importer.read.geojson.GeoJsonReader;
import io.gridmap.importer.read.gpkg.GeoPackageFeatureReader;
import io.gridmap.importer.read.shapefile.ShapefileReader;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The reader for a file, by its extension: GeoJSON, Shapefile, GeoPackage and CSV natively, any
 * other format GDAL reads through {@code ogr2ogr} ({@link OgrConversion}).
 */
public final class Readers {
  private Readers() {}

  /** The extensions read natively, for messages and help. */
  public static final String NATIVE =
      ".geojson .json .geojsons .geojsonl .ndjson .shp .gpkg .csv .tsv .txt";

  /**
   * Opens {@code file} for reading.
   *
   * @throws ImportException for options that do not suit the file (a --table for a CSV), an
   *     encoding we do not know, or a conversion that fails
   */
  public static FeatureReader open(Path file, ReadOptions options) throws IOException {
    String name = file.getFileName().toString();
    String ext = extension(name);
    switch (ext) {
      case "geojson", "json", "geojsons", "geojsonl", "ndjson" -> {
        only(file, options, false, false, false);
        return GeoJsonReader.open(file);
      }
      case "shp" -> {
        only(file, options, true, false, false);
        return new ShapefileReader(file, options.encoding());
      }
      case "gpkg" -> {
        only(file, options, false, true, false);
        return new GeoPackageFeatureReader(file, options.table());
      }
      case "csv", "tsv", "txt" -> {
        only(file, options, true, false, true);
        Charset charset = options.encoding().map(e -> charset(file, e)).orElse(null);
        try {
          return CsvReader.open(
              file,
              new CsvOptions(
                  options.lon().orElse(null),
                  options.lat().orElse(null),
                  options.wkt().orElse(null),
                  ext.equals("tsv") ? '\t' : CsvOptions.DETECT,
                  charset));
        } catch (IllegalArgumentException e) {
          throw new ImportException(file, name, e.getMessage(), "");
        }
      }
      case "dbf", "shx", "prj", "cpg" ->
          throw new ImportException(
              file,
              name,
              "is one part of a Shapefile",
              "import the .shp: " + name.substring(0, name.length() - ext.length()) + "shp");
      default -> {
        only(file, options, false, true, false);
        return converted(file, options);
      }
    }
  }

  /** A file GDAL reads, converted to GeoJSONSeq and read from there; the copy goes on close. */
  private static FeatureReader converted(Path file, ReadOptions options) throws IOException {
    Path seq = OgrConversion.toGeoJsonSeq(file, options.table());
    GeoJsonReader inner;
    try {
      inner = GeoJsonReader.open(seq);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(seq);
      throw e;
    }
    return new FeatureReader() {
      @Override
      public Path file() {
        return file;
      }

      @Override
      public Optional<io.gridmap.importer.crs.SourceCrs> declaredCrs() {
        return inner.declaredCrs();
      }

      @Override
      public boolean wgs84ByDefinition() {
        return true; // GDAL writes GeoJSONSeq in WGS84, reprojecting from the source's CRS
      }

      @Override
      public SourceFeature next() throws IOException {
        SourceFeature f = inner.next();
        if (f == null) {
          return null;
        }
        // name the file the planner gave, not our temporary copy
        String where =
            f.where().replace(seq.getFileName().toString(), file.getFileName() + " (via ogr2ogr)");
        return new SourceFeature(f.geometry(), f.attributes(), where);
      }

      @Override
      public long bytesRead() {
        return inner.bytesRead();
      }

      @Override
      public long size() {
        return inner.size();
      }

      @Override
      public void close() throws IOException {
        try {
          inner.close();
        } finally {
          Files.deleteIfExists(seq);
        }
      }
    };
  }

  private static void only(
      Path file, ReadOptions o, boolean encoding, boolean table, boolean csvColumns) {
    String name = file.getFileName().toString();
    if (!encoding && o.encoding().isPresent()) {
      throw new ImportException(
          file,
          name,
          "--encoding is for Shapefiles and CSV files",
          "leave it out: this format says its own encoding");
    }
    if (!table && o.table().isPresent()) {
      throw new ImportException(
          file,
          name,
          "--table is for GeoPackages and other files of several layers",
          "leave it out");
    }
    if (!csvColumns && (o.lon().isPresent() || o.lat().isPresent() || o.wkt().isPresent())) {
      throw new ImportException(
          file, name, "--lon, --lat and --wkt are for CSV files", "leave them out");
    }
  }

  private static Charset charset(Path file, String encoding) {
    return CodePages.forName(encoding)
        .orElseThrow(
            () ->
                new ImportException(
                    file,
                    file.getFileName().toString(),
                    "--encoding " + encoding + " names no encoding we know",
                    "pass UTF-8, GBK, GB18030, 936 or windows-1252"));
  }

  private static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
