package io.gridmap.importer.load;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A grid layer as a web tool exports it (the shape of benchmarks' ImportMemory grids): {@code
 * count} cells of a lattice of 0.002 degrees (about 220 m), each edge bent at 9 points offset by a
 * hash of the edge (up to 11 m, above z14's 2.4 m tolerance, below z11's 19 m), so the two cells of
 * an edge share its vertices exactly; GeoJSON indented one value per line, about 3,700 bytes a
 * cell.
 */
final class LatticeGrids {
  private static final int BENDS = 9;
  private static final double CELL = 0.002;

  private LatticeGrids() {}

  static void write(Path file, int count) throws IOException {
    int columns = (int) Math.ceil(Math.sqrt(count));
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("{\n  \"type\": \"FeatureCollection\",\n  \"features\": [\n");
      for (int i = 0; i < count; i++) {
        int cx = i % columns;
        int cy = i / columns;
        w.write("    {\n      \"type\": \"Feature\",\n      \"properties\": {\n");
        w.write("        \"code\": \"" + (500_000_000_000_000L + i) + "\",\n");
        w.write("        \"population\": " + (300 + i % 700) + "\n");
        w.write("      },\n      \"geometry\": {\n        \"type\": \"Polygon\",\n");
        w.write("        \"coordinates\": [\n          [\n");
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

  private static void edge(StringBuilder ring, int x0, int y0, int x1, int y1) {
    vertex(ring, x0, y0, 0, 0, false);
    int ax = Math.min(x0, x1);
    int ay = Math.min(y0, y1);
    boolean horizontal = y0 == y1;
    SplittableRandom rnd = new SplittableRandom((ax * 1_000_003L + ay) * 2 + (horizontal ? 1 : 0));
    double[] offsets = new double[BENDS];
    for (int k = 0; k < BENDS; k++) {
      offsets[k] = (rnd.nextDouble() - 0.5) * 0.1;
    }
    boolean forward = horizontal ? x1 > x0 : y1 > y0;
    for (int j = 0; j < BENDS; j++) {
      int k = forward ? j : BENDS - 1 - j;
      double along = (k + 1.0) / (BENDS + 1);
      vertex(ring, ax, ay, horizontal ? along : offsets[k], horizontal ? offsets[k] : along, false);
    }
  }

  private static void vertex(StringBuilder ring, int x, int y, double dx, double dy, boolean last) {
    ring.append("            [\n              ")
        .append(106.5 + (x + dx) * CELL)
        .append(",\n              ")
        .append(29.5 + (y + dy) * CELL)
        .append("\n            ]")
        .append(last ? "\n" : ",\n");
  }
}
