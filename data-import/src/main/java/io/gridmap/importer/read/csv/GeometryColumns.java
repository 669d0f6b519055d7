package io.gridmap.importer.read.csv;

import java.util.List;
import java.util.Locale;

/**
 * Which cells of a row hold its geometry: a longitude and a latitude column, or one WKT column. The
 * names looked for are the usual ones of Chinese and international spreadsheets and of {@code
 * ogr2ogr -f CSV} ({@code -lco GEOMETRY=AS_XY} writes X and Y, {@code AS_WKT} writes WKT). A WKT
 * column wins over lon/lat ones: it carries any geometry, and an X or Y beside it is more likely an
 * attribute.
 *
 * @param lon the longitude column's index, or -1
 * @param lat the latitude column's index, or -1
 * @param wkt the WKT column's index, or -1
 * @param degrees true when both lon/lat columns' names say degrees (lon, longitude, 经度; not x, y or
 *     a name the user chose, which may hold eastings and northings): their values are then checked
 *     to be within -180..180 and -90..90; other coordinates are checked by {@code CrsTransform}
 *     once the CRS is known
 */
record GeometryColumns(int lon, int lat, int wkt, boolean degrees) {
  /** Degree names first, then x: {@link #inDegrees} counts on it. */
  static final List<String> LON_NAMES = List.of("lon", "lng", "long", "longitude", "经度", "x");

  static final List<String> LAT_NAMES = List.of("lat", "latitude", "纬度", "y");
  static final List<String> WKT_NAMES = List.of("wkt", "geometry", "geom", "the_geom");

  /** The columns the options name, or found by name in the header. */
  static GeometryColumns find(List<String> header, CsvOptions options) throws MissingColumns {
    if (options.wkt() != null) {
      return new GeometryColumns(-1, -1, named(header, options.wkt(), "--wkt"), false);
    }
    if (options.lon() != null) {
      int lon = named(header, options.lon(), "--lon");
      int lat = named(header, options.lat(), "--lat");
      return new GeometryColumns(lon, lat, -1, inDegrees(header, lon, lat));
    }
    int wkt = first(header, WKT_NAMES);
    if (wkt >= 0) {
      return new GeometryColumns(-1, -1, wkt, false);
    }
    int lon = first(header, LON_NAMES);
    int lat = first(header, LAT_NAMES);
    if (lon >= 0 && lat >= 0) {
      return new GeometryColumns(lon, lat, -1, inDegrees(header, lon, lat));
    }
    throw new MissingColumns(
        "found no geometry columns: expected a longitude column ("
            + String.join(", ", LON_NAMES)
            + ") and a latitude column ("
            + String.join(", ", LAT_NAMES)
            + "), or a WKT column ("
            + String.join(", ", WKT_NAMES)
            + "), any case, but the header has: "
            + String.join(", ", header),
        "pass --lon and --lat, or --wkt, with the names of the columns that hold the location");
  }

  boolean isGeometry(int column) {
    return column == lon || column == lat || column == wkt;
  }

  /** A column the user named: exactly, else ignoring case and surrounding spaces. */
  private static int named(List<String> header, String name, String flag) throws MissingColumns {
    int exact = header.indexOf(name);
    if (exact >= 0) {
      return exact;
    }
    int loose = first(header, List.of(name));
    if (loose >= 0) {
      return loose;
    }
    throw new MissingColumns(
        flag + " names the column '" + name + "', but the header has: " + String.join(", ", header),
        "pass " + flag + " with one of the header's names");
  }

  /** The first header cell, in the order of {@code names}, that is one of them. */
  private static int first(List<String> header, List<String> names) {
    for (String name : names) {
      for (int i = 0; i < header.size(); i++) {
        if (normal(header.get(i)).equals(normal(name))) {
          return i;
        }
      }
    }
    return -1;
  }

  private static boolean inDegrees(List<String> header, int lon, int lat) {
    return LON_NAMES.subList(0, 5).contains(normal(header.get(lon)))
        && LAT_NAMES.subList(0, 3).contains(normal(header.get(lat)));
  }

  private static String normal(String name) {
    return name.strip().toLowerCase(Locale.ROOT);
  }

  /** The header lacks the geometry columns; the reader adds the file and line. */
  static final class MissingColumns extends Exception {
    final String fix;

    MissingColumns(String problem, String fix) {
      super(problem, null, false, false);
      this.fix = fix;
    }
  }
}
