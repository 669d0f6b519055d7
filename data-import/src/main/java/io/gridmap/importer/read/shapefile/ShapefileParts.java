package io.gridmap.importer.read.shapefile;

import io.gridmap.importer.read.ImportException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The files of one Shapefile beside its .shp: .shx and .dbf, which must be there, and .prj and
 * .cpg, which may be. Extensions are matched in lower and upper case, as ArcGIS and old DOS tools
 * wrote them ({@code GRIDS.DBF}).
 */
record ShapefileParts(Path shp, Path shx, Path dbf, Optional<Path> prj, Optional<Path> cpg) {

  /**
   * The parts of {@code shp}.
   *
   * @throws ImportException when the .shp, .shx or .dbf is missing, naming it
   */
  static ShapefileParts of(Path shp) {
    String fileName = shp.getFileName().toString();
    int dot = fileName.lastIndexOf('.');
    if (dot < 0 || !fileName.substring(dot + 1).equalsIgnoreCase("shp")) {
      throw new ImportException(
          shp,
          fileName,
          "expected a Shapefile's .shp but found '" + fileName + "'",
          "pass the .shp of the Shapefile");
    }
    if (!Files.isRegularFile(shp)) {
      throw new ImportException(
          shp, fileName, "the file does not exist", "check the path and the file's name");
    }
    String base = fileName.substring(0, dot);
    return new ShapefileParts(
        shp,
        required(shp, base, "shx", "the index of the shapes' positions"),
        required(shp, base, "dbf", "the attribute table"),
        optional(shp, base, "prj"),
        optional(shp, base, "cpg"));
  }

  private static Path required(Path shp, String base, String ext, String what) {
    return optional(shp, base, ext)
        .orElseThrow(
            () ->
                new ImportException(
                    shp,
                    shp.getFileName().toString(),
                    base
                        + "."
                        + ext
                        + " ("
                        + what
                        + ") is missing: a Shapefile is at least its"
                        + " .shp, .shx and .dbf side by side, with the same name",
                    "copy every file of the Shapefile ("
                        + base
                        + ".shp, .shx, .dbf, .prj, .cpg)"
                        + " into the same folder; a .zip holds them all"));
  }

  private static Optional<Path> optional(Path shp, String base, String ext) {
    for (String e : new String[] {ext, ext.toUpperCase(Locale.ROOT)}) {
      Path p = shp.resolveSibling(base + "." + e);
      if (Files.isRegularFile(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
