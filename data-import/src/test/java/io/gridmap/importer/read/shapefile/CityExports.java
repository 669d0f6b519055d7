package io.gridmap.importer.read.shapefile;

import io.gridmap.importer.generate.SmallCity;
import io.gridmap.layers.store.gpkg.GeoPackageStore;
import io.gridmap.layers.testing.GdalTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The small test city as other software writes it: our store, then {@code ogr2ogr} to the
 * Shapefiles and GeoPackages a planner brings. Written once per test JVM into one temporary
 * directory (the city takes a second, each export a fraction of one); tests copy a file set before
 * damaging it.
 */
public final class CityExports {
  private static Path dir;

  private CityExports() {}

  /** The directory holding every export, written on first use. */
  public static synchronized Path dir() {
    if (dir == null) {
      try {
        Path created = Files.createTempDirectory("city-exports");
        // about 14 MB: removed when the test JVM exits rather than left in /tmp
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(created)));
        dir = write(created);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return dir;
  }

  /** The store our server writes (every layer, WGS84). */
  public static Path store() {
    return dir().resolve("city.gpkg");
  }

  private static Path write(Path d) {
    Path store = d.resolve("city.gpkg");
    try (GeoPackageStore s = new GeoPackageStore(store)) {
      s.write(SmallCity.city());
    }
    String src = store.toString();
    ogr2ogr(d, "grids.shp", "-lco", "ENCODING=UTF-8", src, "grids");
    ogr2ogr(d, "grids_gbk.shp", "-lco", "ENCODING=GBK", src, "grids");
    ogr2ogr(d, "key_sites.shp", "-lco", "ENCODING=UTF-8", src, "key_sites");
    ogr2ogr(d, "grids_4545.shp", "-lco", "ENCODING=UTF-8", "-t_srs", "EPSG:4545", src, "grids");
    ogr2ogr(d, "grids.gpkg", "-f", "GPKG", src, "grids");
    ogr2ogr(d, "two_tables.gpkg", "-f", "GPKG", src, "grids", "key_sites");
    return d;
  }

  private static void delete(Path d) {
    try (var files = Files.list(d)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(d);
    } catch (IOException e) {
      // a temporary directory left behind is no reason to fail a finished test run
    }
  }

  private static void ogr2ogr(Path d, String out, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = d.resolve(out).toString();
    System.arraycopy(args, 0, all, 1, args.length);
    GdalTool.run("ogr2ogr", "", all);
  }
}
