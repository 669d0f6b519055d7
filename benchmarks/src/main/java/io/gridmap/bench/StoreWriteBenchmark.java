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
 *
 * <p>{@code audit}: where each write's audit entry goes. {@code store}: into the same transaction
 * ({@code applyAll} with the entries), as the server writes them since the GeoPackage store keeps
 * the log; {@code file}: appended to a file beside the store and forced to disk before the
 * transaction, as the server's {@code AuditLog} did for a GeoPackage store before (its {@code
 * recordAll}: one write of the group's lines, one {@code force}; repeated here, the class is the
 * server's). An entry is a JSON object of about the size of a position's.
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

  /** Where the group's audit entries go: {@code store} or {@code file} (see the class comment). */
  @Param({"store", "file"})
  public String audit;

  private java.nio.channels.FileChannel auditFile;

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
    auditFile =
        java.nio.channels.FileChannel.open(
            dir.resolve("audit.jsonl"),
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.WRITE,
            java.nio.file.StandardOpenOption.APPEND);
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

  /** One group of position writes committed, with its audit entries. */
  @Benchmark
  public long[] applyAll() throws IOException {
    List<Change> group = groups.get(next);
    next = (next + 1) % groups.size();
    // each group a second after the last, as a force's next post
    Instant now = Instant.ofEpochMilli(clock += 1000);
    Provenance p = new Provenance("bench", "staff", action(), now);
    List<String> entries = new ArrayList<>(group.size());
    for (int i = 0; i < group.size(); i++) {
      provenances.set(i, p);
      entries.add(entry(now, group.get(i)));
    }
    if (audit.equals("store")) {
      return store.applyAll(group, provenances.subList(0, group.size()), entries);
    }
    StringBuilder lines = new StringBuilder();
    entries.forEach(e -> lines.append(e).append('\n'));
    java.nio.ByteBuffer buf =
        java.nio.ByteBuffer.wrap(
            lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    while (buf.hasRemaining()) {
      auditFile.write(buf);
    }
    auditFile.force(false);
    return store.applyAll(group, provenances.subList(0, group.size()));
  }

  /** An entry shaped as the server's for one write: who, what, the feature's old and new place. */
  private String entry(Instant now, Change change) {
    Change.Replacement r = change.replacements().get(0);
    org.locationtech.jts.geom.Coordinate from = r.before().geometry().getCoordinate();
    org.locationtech.jts.geom.Coordinate to = r.after().geometry().getCoordinate();
    return "{\"time\":\""
        + now
        + "\",\"actor\":\"bench\",\"role\":\"admin\",\"scope\":\"\",\"via\":\"jwt\","
        + "\"credential\":\"bench-token\",\"action\":\""
        + action()
        + "\",\"target\":\""
        + change.layer()
        + "\",\"changes\":{\"features\":[{\"id\":"
        + r.id()
        + ",\"from\":["
        + from.x
        + ","
        + from.y
        + "],\"to\":["
        + to.x
        + ","
        + to.y
        + "]}]}}";
  }

  private String action() {
    return kind.equals("position") ? "positions" : "incident.transition";
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    auditFile.close();
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
