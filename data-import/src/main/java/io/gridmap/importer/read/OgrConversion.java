package io.gridmap.importer.read;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Formats we do not read ourselves (KML, GML, GPX, FileGDB, MapInfo, DXF, ...) are converted by
 * GDAL's {@code ogr2ogr} (Debian {@code gdal-bin}) to GeoJSONSeq, which GDAL writes in WGS84 (RFC
 * 8142: it reprojects from the source's declared CRS), and read from there. GDAL is a converter
 * here, not a dependency: the formats a city's data mostly arrives in are read natively.
 */
final class OgrConversion {
  private OgrConversion() {}

  /** How long a conversion may take before it is stopped. */
  private static final long TIMEOUT_MINUTES = 30;

  /**
   * Converts {@code source} (its layer {@code table}, or its only or first layer) to a temporary
   * GeoJSONSeq file, which the caller deletes.
   *
   * @throws ImportException when ogr2ogr is missing or fails, with its message
   */
  static Path toGeoJsonSeq(Path source, Optional<String> table) throws IOException {
    String name = source.getFileName().toString();
    Path ogr2ogr = find();
    if (ogr2ogr == null) {
      throw new ImportException(
          source,
          name,
          "is a format read through GDAL's ogr2ogr, which is not installed",
          "install it (apt-get install gdal-bin), or convert the file to GeoPackage, Shapefile,"
              + " GeoJSON or CSV");
    }
    Path out = Files.createTempFile("gridmap-import-", ".geojsons");
    Path err = Files.createTempFile("gridmap-import-", ".log");
    List<String> command = new ArrayList<>();
    command.add(ogr2ogr.toString());
    command.addAll(List.of("-f", "GeoJSONSeq", "-overwrite", out.toString(), source.toString()));
    table.ifPresent(command::add);
    try {
      Files.delete(out); // ogr2ogr makes the file itself
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new ImportException(
            source, name, "ogr2ogr did not finish in " + TIMEOUT_MINUTES + " minutes", "");
      }
      if (p.exitValue() != 0 || !Files.exists(out)) {
        String message = Files.readString(err, StandardCharsets.UTF_8).trim();
        Files.deleteIfExists(out);
        throw new ImportException(
            source,
            name,
            "GDAL's ogr2ogr could not convert it: "
                + (message.isEmpty() ? "exit " + p.exitValue() : message),
            "check that GDAL reads it (ogrinfo " + name + "), or convert it to GeoPackage");
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Files.deleteIfExists(out);
      throw new IOException("interrupted converting " + source, e);
    } finally {
      Files.deleteIfExists(err);
    }
  }

  private static Path find() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, "ogr2ogr");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
