package io.gridmap.layers.generalise;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import org.locationtech.jts.coverage.CoverageSimplifier;
import org.locationtech.jts.coverage.CoverageUnion;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineSegment;
import org.locationtech.jts.geom.Polygon;

/**
 * Simplifies a coverage too large to simplify at once, block by block, with the result still a
 * coverage whose neighbours share every vertex of their common edges.
 *
 * <p>Why: JTS {@link CoverageSimplifier} builds its edges, rings and index over every vertex of its
 * input, some 200 bytes a vertex: 530 MB for the 2.7 million vertices of a 65,000-cell grid layer,
 * more than the 241 MB GeoJSON it came from (docs/benchmarks.md, "Imports"). Here it only ever sees
 * one block, or the thin bands along the blocks' seams.
 *
 * <p>How, in two JTS passes:
 *
 * <ol>
 *   <li>Each block ({@link #blocks}: some {@link #BLOCK} polygons close together) is simplified
 *       with {@link CoverageSimplifier#simplifyInner}: every edge between two of its polygons is
 *       simplified, its outline (seams with other blocks, the coverage's own boundary) is held
 *       fixed. An inner edge ends at the same nodes as in the whole coverage (a vertex it shares
 *       with a polygon of another block lies on the outline, shared by two of the block's polygons:
 *       a node of the block too), and the fixed outline keeps it inside the block.
 *   <li>The <em>rim</em> polygons (those with a vertex on their block's outline) of every block are
 *       simplified together with {@link CoverageSimplifier#simplify(Geometry[], double[])}, at the
 *       tolerance, beside one <em>core</em> per block at tolerance 0: the union of the block's
 *       other polygons ({@link CoverageUnion}, which keeps their vertices). An edge takes the lower
 *       tolerance of its two sides, so the edges between rim and core stay as pass 1 left them (the
 *       core's polygons keep them), while the seams between blocks and the coverage's outer
 *       boundary are simplified, each once for both its sides, and the rims' inner edges once more
 *       (a no-op but where a neighbour's vertex blocked a removal in pass 1).
 * </ol>
 *
 * Hand-written here: the partition into blocks, finding each block's outline and rim, and
 * assembling the passes. The simplification, its topology checks and the union are JTS's. The
 * result is a valid coverage as JTS's whole-coverage run is, with the same tolerance per edge; it
 * is not vertex for vertex the same as that run, since whether a vertex may go depends on the edges
 * simplified before it, and the passes order edges differently. A coverage of at most one block is
 * simplified in one run, as before.
 */
public final class BlockCoverageSimplifier {
  /**
   * Polygons a block: a block of 4,096 grid cells of 41 vertices costs JTS some 35 MB (200 bytes a
   * vertex), and its rim is some 250 cells (four sides of a 64 x 64 block, an estimate).
   */
  public static final int BLOCK = 4096;

  private BlockCoverageSimplifier() {}

  /** Where each simplified polygon goes. */
  @FunctionalInterface
  public interface Sink {
    /** Polygon {@code i} simplified (null or empty when JTS simplified it away). */
    void accept(int i, Geometry simplified);
  }

  /**
   * Partitions polygons into blocks of at most {@code blockSize} that lie close together: strips by
   * the centre's x, each strip cut by the centre's y (the sort-tile-recursive layout of an R-tree's
   * leaves).
   *
   * @param envelopes polygon i's envelope, or null for a polygon to leave out
   * @return the blocks, each the polygons' indices in ascending order
   */
  public static int[][] blocks(int n, IntFunction<Envelope> envelopes, int blockSize) {
    if (blockSize < 1) {
      throw new IllegalArgumentException("blockSize " + blockSize + ": expected at least 1");
    }
    double[] cx = new double[n];
    double[] cy = new double[n];
    int present = 0;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      Envelope e = envelopes.apply(i);
      if (e == null || e.isNull()) {
        continue;
      }
      cx[i] = (e.getMinX() + e.getMaxX()) / 2;
      cy[i] = (e.getMinY() + e.getMaxY()) / 2;
      order[present++] = i;
    }
    Integer[] all = Arrays.copyOf(order, present);
    if (present == 0) {
      return new int[0][];
    }
    int blocks = (present + blockSize - 1) / blockSize;
    int strips = (int) Math.ceil(Math.sqrt(blocks));
    int perStrip = (present + strips - 1) / strips;
    Arrays.sort(all, (a, b) -> cx[a] != cx[b] ? Double.compare(cx[a], cx[b]) : a - b);
    List<int[]> out = new ArrayList<>();
    for (int s = 0; s < present; s += perStrip) {
      Integer[] strip = Arrays.copyOfRange(all, s, Math.min(present, s + perStrip));
      Arrays.sort(strip, (a, b) -> cy[a] != cy[b] ? Double.compare(cy[a], cy[b]) : a - b);
      int inStrip = (strip.length + blockSize - 1) / blockSize;
      int per = (strip.length + inStrip - 1) / inStrip;
      for (int b = 0; b < strip.length; b += per) {
        int[] block = new int[Math.min(per, strip.length - b)];
        for (int k = 0; k < block.length; k++) {
          block[k] = strip[b + k];
        }
        Arrays.sort(block);
        out.add(block);
      }
    }
    return out.toArray(int[][]::new);
  }

  /**
   * Simplifies a coverage in the given blocks, handing each simplified polygon to {@code out} as
   * soon as it is final (in no particular order).
   *
   * @param polygon polygon i, made when asked (each is asked for once, in its block's turn); null
   *     or empty for one left out (simplified away at a zoom above)
   * @param blocks from {@link #blocks}
   * @param tolerance the {@link CoverageSimplifier} distance tolerance
   */
  public static void simplify(
      IntFunction<Geometry> polygon, int[][] blocks, double tolerance, Sink out) {
    if (blocks.length == 1) {
      // one block: the whole coverage in one run, exactly as CoverageSimplifier.simplify
      Block b = present(blocks[0], polygon);
      int[] block = b.indices();
      Geometry[] s = CoverageSimplifier.simplify(b.polygons(), tolerance);
      for (int k = 0; k < block.length; k++) {
        out.accept(block[k], s[k]);
      }
      return;
    }
    List<Geometry> seam = new ArrayList<>();
    List<Integer> seamIndex = new ArrayList<>(); // polygon index, or -1 for a core
    for (int[] all : blocks) {
      Block b = present(all, polygon);
      int[] block = b.indices();
      Geometry[] s = CoverageSimplifier.simplifyInner(b.polygons(), tolerance);
      Set<Coordinate> outline = outlineVertices(s);
      List<Geometry> inner = new ArrayList<>();
      for (int k = 0; k < block.length; k++) {
        if (touches(s[k], outline)) {
          seam.add(s[k]);
          seamIndex.add(block[k]);
        } else {
          out.accept(block[k], s[k]);
          inner.add(s[k]);
        }
      }
      if (!inner.isEmpty()) {
        seam.add(CoverageUnion.union(inner.toArray(Geometry[]::new)));
        seamIndex.add(-1);
      }
    }
    Geometry[] rims = seam.toArray(Geometry[]::new);
    seam.clear();
    double[] tolerances = new double[rims.length];
    for (int k = 0; k < rims.length; k++) {
      tolerances[k] = seamIndex.get(k) < 0 ? 0 : tolerance;
    }
    Geometry[] s = CoverageSimplifier.simplify(rims, tolerances);
    for (int k = 0; k < s.length; k++) {
      if (seamIndex.get(k) >= 0) {
        out.accept(seamIndex.get(k), s[k]);
      }
    }
  }

  /** A block's polygons that are there to simplify, with their indices. */
  private record Block(int[] indices, Geometry[] polygons) {}

  private static Block present(int[] block, IntFunction<Geometry> polygon) {
    int[] indices = new int[block.length];
    Geometry[] polygons = new Geometry[block.length];
    int n = 0;
    for (int i : block) {
      Geometry g = polygon.apply(i);
      if (g != null && !g.isEmpty()) {
        indices[n] = i;
        polygons[n++] = g;
      }
    }
    return new Block(Arrays.copyOf(indices, n), Arrays.copyOf(polygons, n));
  }

  /**
   * The vertices of a block's outline: of the segments that only one of its polygons has (in a
   * coverage every other segment is drawn by exactly two).
   */
  static Set<Coordinate> outlineVertices(Geometry[] block) {
    Set<LineSegment> once = new HashSet<>();
    for (Geometry g : block) {
      forEachRing(
          g,
          ring -> {
            for (int i = 0; i + 1 < ring.length; i++) {
              if (ring[i].equals2D(ring[i + 1])) {
                continue;
              }
              LineSegment seg = new LineSegment(ring[i], ring[i + 1]);
              seg.normalize();
              if (!once.remove(seg)) {
                once.add(seg);
              }
            }
          });
    }
    Set<Coordinate> out = new HashSet<>();
    for (LineSegment seg : once) {
      out.add(seg.p0);
      out.add(seg.p1);
    }
    return out;
  }

  private static boolean touches(Geometry g, Set<Coordinate> outline) {
    boolean[] hit = {false};
    forEachRing(
        g,
        ring -> {
          for (int i = 0; i < ring.length && !hit[0]; i++) {
            hit[0] = outline.contains(ring[i]);
          }
        });
    return hit[0];
  }

  private static void forEachRing(Geometry g, java.util.function.Consumer<Coordinate[]> ring) {
    if (g == null) {
      return;
    }
    for (int i = 0; i < g.getNumGeometries(); i++) {
      if (g.getGeometryN(i) instanceof Polygon p && !p.isEmpty()) {
        ring.accept(p.getExteriorRing().getCoordinates());
        for (int h = 0; h < p.getNumInteriorRing(); h++) {
          ring.accept(p.getInteriorRingN(h).getCoordinates());
        }
      }
    }
  }
}
