package io.gridmap.importer.read;

import io.gridmap.importer.crs.SourceCrs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads a source file's features one at a time, in file order, holding no more of the file than the
 * feature at hand: a GeoJSON larger than the heap streams through. Not thread-safe.
 *
 * <p>Every problem with the input is an {@link ImportException} naming the file, the feature or
 * line, and the fix; an {@link IOException} is left for the disk itself failing.
 */
public interface FeatureReader extends AutoCloseable {
  /** The file read (for a Shapefile, its {@code .shp}). */
  Path file();

  /**
   * The coordinate system the file declares: a Shapefile's {@code .prj}, a GeoPackage table's
   * {@code srs_id}, a GeoJSON's (obsolete) {@code crs} member; empty when it declares none (a CSV,
   * RFC 7946 GeoJSON, which is WGS84 by definition, a Shapefile without {@code .prj}).
   *
   * @throws ImportException when it declares one we do not know, saying what it found and how to
   *     pass {@code --crs}
   */
  Optional<SourceCrs> declaredCrs();

  /** True when the format's coordinates are WGS84 unless it says otherwise (GeoJSON, RFC 7946). */
  default boolean wgs84ByDefinition() {
    return false;
  }

  /**
   * The next feature, or null after the last.
   *
   * @throws ImportException for input that is not what the format says (truncated, malformed, an
   *     invalid value), naming where
   */
  SourceFeature next() throws IOException;

  /** Bytes of the file read so far, for a progress bar. */
  long bytesRead();

  /** The file's size in bytes (for a Shapefile, its {@code .shp} and {@code .dbf} together). */
  long size();

  @Override
  void close() throws IOException;
}
