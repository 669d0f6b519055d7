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
 * Locate in process on one thread (DESIGN.md target: 200,000/s). Points are where queries land: the
 * positions of events (dense urban grids), or uniform over the city's bounding box.
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
  }

  /** Point to grid ordinal. */
  @Benchmark
  public int grid() {
    int i = next;
    next = (i + 1) & (lon.length - 1);
    return locator.locateOrdinal(lon[i], lat[i]);
  }

  /** Point to the whole chain: grid, village, street, district, worker, command centre. */
  @Benchmark
  public GridLocation chain() {
    int i = next;
    next = (i + 1) & (lon.length - 1);
    return locator.locate(lon[i], lat[i]);
  }
}
