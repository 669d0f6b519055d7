package io.gridmap.importer.read;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Input an import cannot take, said so that a planner can fix it: the file, the feature or line,
 * what is wrong, and what to do. The message reads {@code "grids.shp record 17: ring is not closed
 * (first point 106.5 29.5, last 106.6 29.5). Fix: close the ring in QGIS (Vector > Geometry Tools >
 * Check Validity) and export again."}
 */
public final class ImportException extends RuntimeException {
  private final transient Path file;
  private final String where;
  private final String problem;
  private final String fix;

  /**
   * @param file the file
   * @param where the feature, record or line, with the file's name: {@link SourceFeature#where()}
   *     or just the file's name for a problem of the whole file
   * @param problem what is wrong, with the value found
   * @param fix what to do about it
   */
  public ImportException(Path file, String where, String problem, String fix) {
    super(where + ": " + problem + (fix == null || fix.isEmpty() ? "" : ". Fix: " + fix));
    this.file = Objects.requireNonNull(file, "file");
    this.where = where;
    this.problem = problem;
    this.fix = fix == null ? "" : fix;
  }

  public Path file() {
    return file;
  }

  public String where() {
    return where;
  }

  public String problem() {
    return problem;
  }

  public String fix() {
    return fix;
  }
}
