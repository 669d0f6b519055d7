package io.gridmap.bench;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.edit.Provenance;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a group of live writes costs the GeoPackage store, as the writer commits it under live load:
 * {@code FeatureStore.applyAll} of {@code writes} changes of one feature each (a phone's position
 * post, an incident's transition), in one transaction: each change's change-log row, its row
 * updated (with the GeoPackage R-tree's triggers when it moved), its history version, the forces'
 * open track chunks, the commit (the write-ahead log's append and fsync, {@code synchronous =
 * FULL}). On a copy of the store named by {@code -Dgridmap.store} (the full city for real figures;
 * the tiny generated one otherwise), in a temporary directory on the same disk as {@code
 * java.io.tmpdir}.
 *
 * <p>{@code writes}: 1 (a quiet city, one post at a time), 7 (what the writer gathers per group
 * under 1,000 changes a second, docs/benchmarks.md) and 100. Each group of moves is followed by the
 * same forces walking back, so the rows and the history versions stay as the server writes them
 * however long it cycles. The score is a group's time: divide by {@code writes} for a change's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g"})
@Threads(1)
@State(Scope.Benchmark)
public class StoreWriteBenchmark {
  /** Changes committed in one transaction. */
  @Param({"1", "7", "100"})
  public int writes;

  /**
   * {@code position}: a force moved (its row, its R-tree entry, its track); {@code transition}: an
   * incident's next step, its position unchanged (its revision counted on).
   */
  @Param({"position", "transition"})
  public String kind;

  private Path dir;
  private FeatureStore store;
  private List<List<Change>> groups;
  private List<Provenance> provenances;
  private int next;
  private long clock = Instant.parse("2026-12-07T08:00:00Z").toEpochMilli();

  @Setup(Level.Trial)
  public void open() throws IOException {
    String source = System.getProperty("gridmap.store", "");
    dir = Files.createTempDirectory("store-write-bench");
    Path copy = dir.resolve("city.gpkg");
    if (source.isEmpty()) {
      try (FeatureStore s = Stores.open(copy.toString())) {
        s.write(BenchCity.load());
      }
    } else {
      Files.copy(Path.of(source), copy, StandardCopyOption.REPLACE_EXISTING);
    }
    store = Stores.open(copy.toString());
    boolean moves = kind.equals("position");
    String layerName = moves ? "forces" : "events";
    Layer layer = store.read().layer(layerName);
    List<Feature> all = layer.features();
    int revision = layer.def().fields().stream().map(f -> f.name()).toList().indexOf("revision");
    SplittableRandom rnd = new SplittableRandom(7);
    groups = new ArrayList<>();
    for (int g = 0; g < 32; g++) {
      List<Change> out = new ArrayList<>();
      List<Change> back = new ArrayList<>();
      Set<Long> seen = new HashSet<>();
      while (out.size() < Math.min(writes, all.size())) {
        Feature f = all.get(rnd.nextInt(all.size()));
        if (!seen.add(f.id())) {
          continue;
        }
        Feature next;
        if (moves) {
          next = BenchCity.walked(f, rnd);
        } else {
          Object[] values = f.values().clone();
          values[revision] = values[revision] == null ? 1L : ((Long) values[revision]) + 1;
          next = new Feature(f.id(), f.geometry(), values, f.personal());
        }
        out.add(Change.of(layerName, List.of(new Change.Replacement(f, next))));
        back.add(Change.of(layerName, List.of(new Change.Replacement(next, f))));
      }
      groups.add(out);
      groups.add(back);
    }
    provenances =
        new ArrayList<>(
            Collections.nCopies(
                writes, new Provenance("bench", "staff", action(), Instant.ofEpochMilli(clock))));
  }

  /** One group of position writes committed. */
  @Benchmark
  public long[] applyAll() {
    List<Change> group = groups.get(next);
    next = (next + 1) % groups.size();
    // each group a second after the last, as a force's next post
    Instant now = Instant.ofEpochMilli(clock += 1000);
    Provenance p = new Provenance("bench", "staff", action(), now);
    for (int i = 0; i < group.size(); i++) {
      provenances.set(i, p);
    }
    return store.applyAll(group, provenances.subList(0, group.size()));
  }

  private String action() {
    return kind.equals("position") ? "positions" : "incident.transition";
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
