package io.gridmap.bench.imports;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.gridmap.importer.load.ImportOptions;
import io.gridmap.importer.load.ImportSummary;
import java.io.BufferedWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Peak memory while importing a GeoJSON larger than the heap. The file is what a web tool's export
 * looks like ({@code JSON.stringify(fc, null, 2)}, Python's {@code json.dump(indent=2)}): points of
 * a staff roster, indented, one value per line, coordinates at full double precision, some 430
 * bytes a feature. The import streams it (no text, no tree held), so the heap holds the features
 * only; run with {@code -Xmx} below the file's size, and the figures say how far below.
 *
 * <p>Prints the file's size, the heap's limit, the peak of heap used (sampled every 2 ms), the peak
 * of heap used after a collection (what the import really holds) and the features per second.
 *
 * <p>{@code ImportMemory POINTS [DIR]}.
 */
public final class ImportMemory {
  private ImportMemory() {}

  private static final String[] ROLES = {
    "grid_worker",
    "part_timer",
    "police",
    "utility",
    "clinic_doctor",
    "party_member",
    "volunteer",
    "delivery_rider"
  };

  public static void main(String[] args) throws Exception {
    boolean grids = args[0].equals("grids");
    int count = Integer.parseInt(args[1]);
    Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("import-memory");
    Path file = dir.resolve(args[0] + ".geojson");
    if (grids) {
      writeGrids(file, count);
    } else {
      write(file, count);
    }
    long size = Files.size(file);
    long max = Runtime.getRuntime().maxMemory();
    System.gc();

    java.util.Set<String> heapPools = new java.util.HashSet<>();
    for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == java.lang.management.MemoryType.HEAP) {
        heapPools.add(pool.getName());
      }
    }
    AtomicLong peakUsed = new AtomicLong();
    AtomicLong peakAfterGc = new AtomicLong();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc)
          .addNotificationListener(
              (n, h) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                    n.getType())) {
                  return;
                }
                var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                // the heap's pools only: the map holds the code cache and metaspace too
                long after =
                    info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                        .filter(e -> heapPools.contains(e.getKey()))
                        .mapToLong(e -> e.getValue().getUsed())
                        .sum();
                peakAfterGc.accumulateAndGet(after, Math::max);
              },
              null,
              null);
    }
    Thread sampler =
        new Thread(
            () -> {
              var memory = ManagementFactory.getMemoryMXBean();
              while (!Thread.currentThread().isInterrupted()) {
                peakUsed.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                  Thread.sleep(2);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();

    long t0 = System.nanoTime();
    ImportSummary s =
        ImportRun.into(
            dir,
            file,
            grids
                ? ImportOptions.defaults("survey").withVisibility(false)
                : ImportOptions.defaults("roster")
                    .withFields(java.util.Set.of("name", "phone"), java.util.Set.of()));
    double seconds = (System.nanoTime() - t0) / 1e9;
    sampler.interrupt();
    Files.delete(file);
    System.out.printf(
        Locale.ROOT,
        "ImportMemory %s: %,d features in a %,.0f MB GeoJSON, heap limit %,.0f MB (%.2f of the file):"
            + " peak heap used %,.0f MB, peak after a collection %,.0f MB; %.1f s, %,.0f features/s%n",
        args[0],
        s.read(),
        size / 1e6,
        max / 1e6,
        (double) max / size,
        peakUsed.get() / 1e6,
        peakAfterGc.get() / 1e6,
        seconds,
        s.read() / seconds);
    if (max >= size) {
      System.out.println("ImportMemory: note: the heap is not smaller than the file; lower -Xmx");
    }
  }

  /** Vertices on each cell edge between its corners. */
  private static final int BENDS = 9;

  /** A cell's side, degrees: about 220 m, a dense urban grid. */
  private static final double CELL = 0.002;

  /**
   * A grid layer as a web tool writes it, indented: {@code count} cells of a lattice over the
   * city's west, each edge bent at {@link #BENDS} points offset by a hash of the edge, so that the
   * two cells on an edge share its vertices exactly.
   */
  private static void writeGrids(Path file, int count) throws Exception {
    int columns = (int) Math.ceil(Math.sqrt(count));
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("{\n  \"type\": \"FeatureCollection\",\n  \"features\": [\n");
      for (int i = 0; i < count; i++) {
        int cx = i % columns;
        int cy = i / columns;
        w.write("    {\n      \"type\": \"Feature\",\n      \"properties\": {\n");
        w.write("        \"code\": \"" + (500_000_000_000_000L + i) + "\",\n");
        w.write("        \"name\": \"第" + (i % 15 + 1) + "网格\",\n");
        w.write("        \"population\": " + (300 + i % 700) + "\n");
        w.write("      },\n      \"geometry\": {\n        \"type\": \"Polygon\",\n");
        w.write("        \"coordinates\": [\n          [\n");
        // counter-clockwise: bottom edge east, right edge north, top edge west, left edge south
        StringBuilder ring = new StringBuilder();
        edge(ring, cx, cy, cx + 1, cy);
        edge(ring, cx + 1, cy, cx + 1, cy + 1);
        edge(ring, cx + 1, cy + 1, cx, cy + 1);
        edge(ring, cx, cy + 1, cx, cy);
        vertex(ring, cx, cy, 0, 0, true);
        w.write(ring.toString());
        w.write("          ]\n        ]\n      }\n    }" + (i + 1 < count ? "," : "") + "\n");
      }
      w.write("  ]\n}\n");
    }
  }

  /** The corner (x0,y0) and the bends of the edge to (x1,y1), in that direction. */
  private static void edge(StringBuilder ring, int x0, int y0, int x1, int y1) {
    vertex(ring, x0, y0, 0, 0, false);
    // the bends depend on the edge, not on its direction: both cells draw the same points
    int ax = Math.min(x0, x1);
    int ay = Math.min(y0, y1);
    boolean horizontal = y0 == y1;
    long seed = (ax * 1_000_003L + ay) * 2 + (horizontal ? 1 : 0);
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] offsets = new double[BENDS];
    for (int k = 0; k < BENDS; k++) {
      offsets[k] = (rnd.nextDouble() - 0.5) * 0.1;
    }
    boolean forward = horizontal ? x1 > x0 : y1 > y0;
    for (int j = 0; j < BENDS; j++) {
      int k = forward ? j : BENDS - 1 - j;
      double along = (k + 1.0) / (BENDS + 1);
      double dx = horizontal ? along : offsets[k];
      double dy = horizontal ? offsets[k] : along;
      vertex(ring, ax, ay, dx, dy, false);
    }
  }

  private static void vertex(StringBuilder ring, int x, int y, double dx, double dy, boolean last) {
    double lon = 105.5 + (x + dx) * CELL;
    double lat = 28.5 + (y + dy) * CELL;
    ring.append("            [\n              ")
        .append(lon)
        .append(",\n              ")
        .append(lat)
        .append("\n            ]")
        .append(last ? "\n" : ",\n");
  }

  /** A staff roster as a web tool writes it, indented. */
  private static void write(Path file, int points) throws Exception {
    SplittableRandom rnd = new SplittableRandom(7);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("{\n  \"type\": \"FeatureCollection\",\n  \"features\": [\n");
      for (int i = 0; i < points; i++) {
        double lon = 105.3 + rnd.nextDouble() * 4.8;
        double lat = 28.2 + rnd.nextDouble() * 3.8;
        w.write("    {\n      \"type\": \"Feature\",\n      \"properties\": {\n");
        w.write("        \"code\": \"5001" + (10_000_000_000_000L + i) + "\",\n");
        w.write("        \"name\": \"网格员" + i + "\",\n");
        w.write("        \"phone\": \"138" + (10_000_000 + rnd.nextInt(90_000_000)) + "\",\n");
        w.write("        \"role\": \"" + ROLES[rnd.nextInt(ROLES.length)] + "\",\n");
        w.write("        \"on_duty\": " + rnd.nextBoolean() + "\n");
        w.write("      },\n      \"geometry\": {\n        \"type\": \"Point\",\n");
        w.write("        \"coordinates\": [\n          " + lon + ",\n          " + lat + "\n");
        w.write("        ]\n      }\n    }" + (i + 1 < points ? "," : "") + "\n");
      }
      w.write("  ]\n}\n");
    }
  }
}
