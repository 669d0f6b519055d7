package io.gridmap.server.query;

import io.gridmap.importer.generate.CityGenerator;
import io.gridmap.importer.generate.GeneratorConfig;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.query.locate.GridLocator;
import io.gridmap.server.testing.TestCity;
import java.util.List;
import java.util.Random;
import org.locationtech.jts.geom.Envelope;

/**
 * Rough in-process locate throughput on one thread (not a test; JMH belongs in the benchmarks
 * module). Points: events' positions (where queries land in practice) and uniform points over
 * the grids' bounding box. Arguments: "small" (the test city), "full" (the whole generated city,
 * about a minute to generate) or a .gpkg store, then the number of seconds per measurement.
 */
public final class LocateBench {
  public static void main(String[] args) {
    boolean full = args.length > 0 && args[0].equals("full");
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Dataset d;
    if (args.length > 0 && args[0].endsWith(".gpkg")) {
      try (var store = io.gridmap.layers.store.Stores.open(args[0])) {
        d = store.read();
      }
    } else {
      d = full ? new CityGenerator(GeneratorConfig.fullCity(42), s -> {}).generate() : TestCity.small();
    }
    GridLocator locator = GridLocator.build(CityIndex.build(d));
    System.out.println("grids: " + locator.grids().size());
    int n = 1 << 20;
    double[] lon = new double[n];
    double[] lat = new double[n];
    var events = d.layer("events").features();
    Random rng = new Random(1);
    for (int i = 0; i < n; i++) {
      var c = events.get(rng.nextInt(events.size())).geometry().getCoordinate();
      lon[i] = c.x;
      lat[i] = c.y;
    }
    run("event positions", locator, lon, lat, seconds);
    Envelope b = locator.grids().bounds();
    for (int i = 0; i < n; i++) {
      lon[i] = b.getMinX() + rng.nextDouble() * b.getWidth();
      lat[i] = b.getMinY() + rng.nextDouble() * b.getHeight();
    }
    run("uniform over the bbox", locator, lon, lat, seconds);
  }

  static void run(String name, GridLocator locator, double[] lon, double[] lat, int seconds) {
    long sink = 0;
    for (int r = 0; r < 2; r++) { // warm-up
      for (int i = 0; i < lon.length; i++) {
        sink += locator.locateOrdinal(lon[i], lat[i]);
      }
    }
    for (String mode : List.of("grid", "chain")) {
      long t0 = System.nanoTime();
      long count = 0;
      long deadline = t0 + seconds * 1_000_000_000L;
      while (System.nanoTime() < deadline) {
        for (int i = 0; i < lon.length && (i & 1023) != 1023 || System.nanoTime() < deadline; i++) {
          if (i >= lon.length) {
            break;
          }
          if (mode.equals("grid")) {
            sink += locator.locateOrdinal(lon[i], lat[i]);
          } else {
            var loc = locator.locate(lon[i], lat[i]);
            sink += loc == null ? 0 : loc.grid().id();
          }
          count++;
        }
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      System.out.printf("%-22s %-5s %,12.0f locates/s (%d in %.1f s)%n", name, mode, count / secs, count, secs);
    }
    if (sink == 42) {
      System.out.println();
    }
  }
}
