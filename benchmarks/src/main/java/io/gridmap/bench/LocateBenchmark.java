package io.gridmap.bench;

import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.query.locate.GridLocation;
import io.gridmap.layers.query.locate.GridLocator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.locationtech.jts.geom.Coordinate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Locate in process on one thread (DESIGN.md target: 1,000,000/s at event positions). Points are
 * where queries land: the positions of events (dense urban grids), or uniform over the city's
 * bounding box. {@code path} is the mechanism: {@code cells}, the grid layer's {@link
 * io.gridmap.layers.index.CellIndex} (what the server uses), or {@code rtree}, the packed R-tree's
 * candidates each tested by ray crossing (the mechanism before it: the baseline, in the same run).
 *
 * <p>The setup locates every point once by the measured path before timing: the cell index builds a
 * top cell the first time a point lands in it, and that first pass (printed with the cells' size)
 * is a one-off cost, not the steady state this measures. It then checks that the cell index gives
 * the R-tree path's answer (grid and border flag) at every point, and stops at the first
 * difference. The R-tree path here returns the same precomputed chain as the cell path: the
 * mechanism differs, nothing else.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx3g"})
@Threads(1)
@State(Scope.Benchmark)
public class LocateBenchmark {
  @Param({"events", "uniform"})
  public String points;

  @Param({"cells", "rtree"})
  public String path;

  private boolean cells;

  private GridLocator locator;
  private double[] lon;
  private double[] lat;
  private int next;

  @Setup(Level.Trial)
  public void load() {
    Dataset city = BenchCity.load();
    locator = GridLocator.build(CityIndex.build(city));
    int n = 1 << 16;
    lon = new double[n];
    lat = new double[n];
    SplittableRandom rnd = new SplittableRandom(7);
    List<Feature> events = city.layer("events").features();
    var box =
        city.layer("districts").features().stream()
            .map(f -> f.geometry().getEnvelopeInternal())
            .reduce(
                (a, b) -> {
                  var e = new org.locationtech.jts.geom.Envelope(a);
                  e.expandToInclude(b);
                  return e;
                })
            .orElseThrow();
    for (int i = 0; i < n; i++) {
      if (points.equals("events")) {
        Coordinate c = events.get(rnd.nextInt(events.size())).geometry().getCoordinate();
        lon[i] = c.x;
        lat[i] = c.y;
      } else {
        lon[i] = box.getMinX() + rnd.nextDouble() * box.getWidth();
        lat[i] = box.getMinY() + rnd.nextDouble() * box.getHeight();
      }
    }
    cells =
        switch (path) {
          case "cells" -> true;
          case "rtree" -> false;
          default ->
              throw new IllegalArgumentException("path " + path + "; expected cells or rtree");
        };
    long t0 = System.nanoTime();
    long located = 0;
    for (int i = 0; i < n; i++) {
      located +=
          (cells
                      ? locator.locateOrdinal(lon[i], lat[i])
                      : locator.locateOrdinalByTree(lon[i], lat[i]))
                  >= 0
              ? 1
              : 0;
    }
    if (cells) {
      // the answers must be the R-tree path's, point for point, before any timing counts
      for (int i = 0; i < n; i++) {
        GridLocation a = locator.locate(lon[i], lat[i]);
        GridLocation b = locator.locateByTree(lon[i], lat[i]);
        boolean same =
            a == null
                ? b == null
                : b != null && a.grid().id() == b.grid().id() && a.onBorder() == b.onBorder();
        if (!same) {
          throw new IllegalStateException(
              "the cell index and the R-tree disagree at "
                  + lon[i]
                  + ", "
                  + lat[i]
                  + ": "
                  + a
                  + " / "
                  + b);
        }
      }
    }
    System.out.printf(
        "%n# first pass, %s path: %d of %d points in a grid, %.0f ms%s%n",
        path,
        located,
        n,
        (System.nanoTime() - t0) / 1e6,
        cells ? "; cells then: " + locator.grids().cells().stats() : "");
  }

  /** Point to grid ordinal. */
  @Benchmark
  public int grid() {
    int i = next;
    next = (i + 1) & (lon.length - 1);
    return cells
        ? locator.locateOrdinal(lon[i], lat[i])
        : locator.locateOrdinalByTree(lon[i], lat[i]);
  }

  /** Point to the whole chain: grid, village, street, district, worker, command centre. */
  @Benchmark
  public GridLocation chain() {
    int i = next;
    next = (i + 1) & (lon.length - 1);
    return cells ? locator.locate(lon[i], lat[i]) : locator.locateByTree(lon[i], lat[i]);
  }
}
