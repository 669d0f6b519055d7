package io.gridmap.importer.read;

import java.util.Optional;

/**
 * What a reader may need besides the file, as {@code mapserver import} takes it.
 *
 * @param encoding {@code --encoding}: a Shapefile's text when neither its {@code .cpg} nor its DBF
 *     header says, and a CSV's (default UTF-8)
 * @param table {@code --table}: the feature table of a GeoPackage that holds several
 * @param lon {@code --lon}: a CSV's longitude (or easting) column; detected when empty
 * @param lat {@code --lat}: its latitude (or northing) column
 * @param wkt {@code --wkt}: a CSV's geometry column as WKT; detected when empty
 */
public record ReadOptions(
    Optional<String> encoding,
    Optional<String> table,
    Optional<String> lon,
    Optional<String> lat,
    Optional<String> wkt) {

  public static final ReadOptions NONE =
      new ReadOptions(
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
}
