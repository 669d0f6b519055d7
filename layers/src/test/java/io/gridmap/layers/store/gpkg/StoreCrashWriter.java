package io.gridmap.layers.store.gpkg;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.edit.Provenance;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;

/**
 * The child process of {@link StoreCrashTest}: applies change after change to the forces layer of a
 * GeoPackage store until it is killed. Change {@code n} moves every force to {@link #position(long,
 * long) position(id, n)} and sets its {@code updated_at} to {@code T + n}, so the stored state
 * names the change it came from. Prints {@code start n0} after reading the store (it carries on
 * from whatever change the store holds), then {@code committed n} after each {@link
 * GeoPackageStore#apply} returns.
 *
 * <p>Usage: {@code StoreCrashWriter <file.gpkg> <last change number> [rollback-journal]}: with the
 * third argument it writes with SQLite's rollback journal instead of the write-ahead log. Exits
 * when its standard input closes (the test died without killing it).
 */
public final class StoreCrashWriter {
  static final String LAYER = "forces";

  /** updated_at of change n is {@code T + n} (epoch ms); the generated forces have 1.7e12 + id. */
  static final long T = 1_800_000_000_000L;

  /**
   * Longitude step per change: larger than two float32 steps at 106 degrees (the R-tree's bounds
   * are float32, ~7.6e-6 there), so the spatial index also tells which change it holds.
   */
  static final double STEP = 1e-4;

  static final int UPDATED_AT =
      Catalogue.FORCES.fields().stream().map(f -> f.name()).toList().indexOf("updated_at");

  private static final GeometryFactory GF = new GeometryFactory();

  private StoreCrashWriter() {}

  /** Where change n puts force {@code id}: a spot of its own, shifted east by n steps. */
  static Point position(long id, long n) {
    double lon = 106.45 + Math.floorMod(id, 97) * 1e-3 + n * STEP;
    double lat = 29.50 + Math.floorMod(id, 89) * 1e-3;
    return GF.createPoint(new Coordinate(lon, lat));
  }

  /** The change number a stored force carries, or -1 for a force no change has touched. */
  static long sequence(Feature f) {
    long n = (Long) f.value(UPDATED_AT) - T;
    return n >= 0 ? n : -1;
  }

  static Feature version(Feature f, long n) {
    Object[] v = f.values().clone();
    v[UPDATED_AT] = T + n;
    return new Feature(f.id(), position(f.id(), n), v, f.personal());
  }

  static Provenance provenance(long n) {
    return new Provenance("crash-writer", "system", "positions", Instant.ofEpochMilli(T + n));
  }

  public static void main(String[] args) {
    Path file = Path.of(args[0]);
    long last = Long.parseLong(args[1]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    // the test holds our stdin open: when it dies without killing us, stop rather than write on
    Thread orphan =
        new Thread(
            () -> {
              try {
                while (System.in.read() >= 0) {
                  // nothing is sent
                }
              } catch (java.io.IOException ignored) {
                // closed
              }
              Runtime.getRuntime().halt(3);
            },
            "parent-watch");
    orphan.setDaemon(true);
    orphan.start();
    boolean rollbackJournal = args.length > 2 && args[2].equals("rollback-journal");
    try (GeoPackageStore store = new GeoPackageStore(file, !rollbackJournal)) {
      List<Feature> current = store.read().layer(LAYER).features();
      long n0 = Math.max(0, sequence(current.get(0)));
      for (Feature f : current) {
        if (Math.max(0, sequence(f)) != n0) {
          throw new IllegalStateException(
              "the store holds a mix: force "
                  + current.get(0).id()
                  + " has change "
                  + n0
                  + ", force "
                  + f.id()
                  + " has "
                  + sequence(f));
        }
      }
      out.println("start " + n0);
      for (long n = n0 + 1; n <= last; n++) {
        List<Change.Replacement> replacements = new ArrayList<>(current.size());
        List<Feature> next = new ArrayList<>(current.size());
        for (Feature f : current) {
          Feature after = version(f, n);
          replacements.add(new Change.Replacement(f, after));
          next.add(after);
        }
        store.apply(Change.of(LAYER, replacements), provenance(n));
        out.println("committed " + n);
        current = next;
      }
      out.println("done");
    }
  }
}
