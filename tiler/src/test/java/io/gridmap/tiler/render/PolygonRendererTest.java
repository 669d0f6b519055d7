package io.gridmap.tiler.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.tiler.encode.Commands;
import io.gridmap.tiler.encode.IntList;
import io.gridmap.tiler.geo.TileCoord;
import io.gridmap.tiler.geo.TileTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.valid.IsSimpleOp;
import org.locationtech.jts.operation.valid.IsValidOp;

class PolygonRendererTest {
  static final GeometryFactory GF = new GeometryFactory();
  static final TileCoord TILE = new TileCoord(14, 13042, 6783);
  static final TileTransform T = new TileTransform(TILE, 4096);

  final RenderStats stats = new RenderStats();
  final PolygonRenderer renderer = new PolygonRenderer(4096, 64, stats);

  /** A ring given in tile units (y down), as an EPSG:3857 ring. */
  static LinearRing ring(double... tileXy) {
    Coordinate[] cs = new Coordinate[tileXy.length / 2 + 1];
    double unit = TileCoord.size(TILE.z()) / 4096;
    for (int i = 0; i < tileXy.length / 2; i++) {
      cs[i] =
          new Coordinate(
              TILE.minX() + tileXy[2 * i] * unit, TILE.maxY() - tileXy[2 * i + 1] * unit);
    }
    cs[cs.length - 1] = cs[0].copy();
    return GF.createLinearRing(cs);
  }

  static Polygon poly(LinearRing shell, LinearRing... holes) {
    return GF.createPolygon(shell, holes);
  }

  IntList render(Geometry g) {
    IntList out = new IntList();
    renderer.render(g, T, out);
    return out;
  }

  /** Rings of a command stream, as x,y arrays in tile units. */
  static List<int[]> rings(IntList cmds) {
    List<int[]> rings = new ArrayList<>();
    int x = 0;
    int y = 0;
    IntList cur = new IntList();
    int i = 0;
    while (i < cmds.size()) {
      int c = cmds.get(i++);
      int id = c & 7;
      int count = c >>> 3;
      if (id == Commands.CLOSE_PATH) {
        assertThat(count).isEqualTo(1);
        rings.add(cur.toArray());
        cur = new IntList();
        continue;
      }
      for (int k = 0; k < count; k++) {
        x += Commands.unzigzag(cmds.get(i++));
        y += Commands.unzigzag(cmds.get(i++));
        cur.add(x);
        cur.add(y);
      }
    }
    return rings;
  }

  static long doubledArea(int[] xy) {
    long a = 0;
    int n = xy.length / 2;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      a += (long) xy[2 * i] * xy[2 * j + 1] - (long) xy[2 * j] * xy[2 * i + 1];
    }
    return a;
  }

  /** The command stream rebuilt as a JTS geometry: positive rings start polygons (MVT 2.1). */
  static Geometry toJts(IntList cmds) {
    List<Polygon> polys = new ArrayList<>();
    LinearRing shell = null;
    List<LinearRing> holes = new ArrayList<>();
    for (int[] xy : rings(cmds)) {
      Coordinate[] cs = new Coordinate[xy.length / 2 + 1];
      for (int i = 0; i < xy.length / 2; i++) {
        cs[i] = new Coordinate(xy[2 * i], xy[2 * i + 1]);
      }
      cs[cs.length - 1] = cs[0];
      LinearRing r = GF.createLinearRing(cs);
      if (doubledArea(xy) > 0) {
        if (shell != null) {
          polys.add(GF.createPolygon(shell, holes.toArray(LinearRing[]::new)));
        }
        shell = r;
        holes = new ArrayList<>();
      } else {
        holes.add(r);
      }
    }
    if (shell != null) {
      polys.add(GF.createPolygon(shell, holes.toArray(LinearRing[]::new)));
    }
    return polys.size() == 1 ? polys.get(0) : GF.createMultiPolygon(polys.toArray(Polygon[]::new));
  }

  @Test
  void aSquareInsideTheTileIsMoveToLineToThreeClosePath() {
    IntList cmds = render(poly(ring(0, 0, 10, 0, 10, 10, 0, 10)));
    assertThat(cmds.toArray()).containsExactly(9, 0, 0, 26, 20, 0, 0, 20, 19, 0, 15);
  }

  @Test
  void shellsComeOutClockwiseOnScreenWhicheverWayTheyCameIn() {
    for (LinearRing r :
        List.of(
            ring(100, 100, 900, 100, 900, 700, 100, 700),
            ring(100, 100, 100, 700, 900, 700, 900, 100))) {
      List<int[]> rings = rings(render(poly(r)));
      assertThat(rings).hasSize(1);
      assertThat(doubledArea(rings.get(0))).isEqualTo(2L * 800 * 600);
    }
  }

  @Test
  void holesComeOutWithNegativeArea() {
    LinearRing shell = ring(100, 100, 900, 100, 900, 900, 100, 900);
    LinearRing sameWayHole = ring(300, 300, 600, 300, 600, 600, 300, 600);
    List<int[]> rings = rings(render(poly(shell, sameWayHole)));
    assertThat(rings).hasSize(2);
    assertThat(doubledArea(rings.get(0))).isPositive();
    assertThat(doubledArea(rings.get(1))).isEqualTo(-2L * 300 * 300);
  }

  @Test
  void aPolygonCoveringTheTileIsClippedToTheBufferedSquare() {
    IntList cmds = render(poly(ring(-90000, -90000, 90000, -90000, 90000, 90000, -90000, 90000)));
    Geometry g = toJts(cmds);
    assertThat(g.getEnvelopeInternal())
        .isEqualTo(new org.locationtech.jts.geom.Envelope(-64, 4160, -64, 4160));
    assertThat(g.getArea()).isEqualTo(4224.0 * 4224.0);
    assertThat(g.getNumPoints()).isEqualTo(5);
    assertThat(stats.snapshot().polygonsClipped()).isEqualTo(1);
  }

  @Test
  void aPolygonOutsideTheBufferDrawsNothing() {
    IntList out = new IntList();
    assertThat(renderer.render(poly(ring(4200, 0, 4300, 0, 4300, 100, 4200, 100)), T, out))
        .isFalse();
    assertThat(out.isEmpty()).isTrue();
  }

  @Test
  void aSliverThinnerThanHalfAUnitCollapsesAndIsDropped() {
    IntList out = new IntList();
    assertThat(renderer.render(poly(ring(10, 10.1, 2000, 10.1, 2000, 10.3, 10, 10.3)), T, out))
        .isFalse();
  }

  @Test
  void aVertexRoundedOntoAnotherEdgeIsRepairedIntoValidPolygons() {
    // (50, 0.4) rounds onto the edge (0,0)-(100,0): the ring then touches itself
    IntList cmds = render(poly(ring(0, 0, 100, 0, 100, 100, 50, 0.4, 0, 100)));
    Geometry g = toJts(cmds);
    assertThat(IsValidOp.isValid(g)).isTrue();
    assertThat(g.getArea()).isCloseTo(5000.0, org.assertj.core.data.Offset.offset(60.0));
    assertThat(stats.snapshot().polygonsRepaired()).isEqualTo(1);
  }

  /** The tile east of {@link #TILE}, whose buffered square overlaps its own by 128 units. */
  static final TileTransform EAST =
      new TileTransform(new TileCoord(14, TILE.x() + 1, TILE.y()), 4096);

  @Test
  void aPolygonRepairedOnceIsRecalledInEveryTileItLiesWhollyInside() {
    // near the east edge: wholly inside this tile's buffered square and the east tile's
    Polygon broken = poly(ring(4040, 0, 4090, 0, 4090, 50, 4065, 0.4, 4040, 50));
    RingMemo memo = new RingMemo(1);
    IntList first = new IntList();
    assertThat(renderer.render(broken, T, first, memo, 0)).isTrue();
    assertThat(memo.verdict(0)).isEqualTo(RingMemo.REPAIRED);
    assertThat(first.toArray()).isEqualTo(render(broken).toArray());

    // drawn in the east tile, the kept rings come back moved by a tile's width
    int[] kept = memo.repairedRings(0).clone();
    kept[kept.length - 2] += 1; // mark the kept rings so that drawing them shows
    memo.repaired(0, kept);
    IntList recalled = new IntList();
    assertThat(renderer.render(broken, EAST, recalled, memo, 0)).isTrue();
    IntList redone = new IntList();
    new PolygonRenderer(4096, 64, new RenderStats()).render(broken, EAST, redone);
    int[] got = rings(recalled).stream().flatMapToInt(java.util.Arrays::stream).toArray();
    int[] want = rings(redone).stream().flatMapToInt(java.util.Arrays::stream).toArray();
    assertThat(got).hasSameSizeAs(want);
    int differing = 0;
    for (int i = 0; i < got.length; i++) {
      differing += got[i] == want[i] ? 0 : 1;
    }
    assertThat(differing).as("the marked vertex, and only it, differs").isEqualTo(1);
    assertThat(rings(redone).get(0)[0]).isBetween(-64, 0);
  }

  @Test
  void aClippedPolygonIsCheckedInEachTileAndNotRemembered() {
    Polygon across = poly(ring(-500, 10, 300, 10, 300, 100, -500, 100));
    RingMemo memo = new RingMemo(1);
    assertThat(renderer.render(across, T, new IntList(), memo, 0)).isTrue();
    assertThat(memo.verdict(0)).isEqualTo(RingMemo.UNKNOWN);
    Polygon inside = poly(ring(10, 10, 300, 10, 300, 100, 10, 100));
    assertThat(renderer.render(inside, T, new IntList(), memo, 0)).isTrue();
    assertThat(memo.verdict(0)).isEqualTo(RingMemo.VALID);
  }

  @Test
  void renderingWithMemosDrawsWhatRenderingAfreshDrawsInBothTilesOfAnOverlap() {
    SplittableRandom rnd = new SplittableRandom(5);
    List<Geometry> polys = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      double cx = rnd.nextDouble(3980, 4180);
      double cy = rnd.nextDouble(50, 4000);
      if (i % 2 == 0) {
        // a dip whose tip rounds onto the opposite edge (or not), at any fraction of a unit
        double w = rnd.nextDouble(4, 40);
        double tip = rnd.nextDouble(0.05, 1.5);
        polys.add(poly(ring(cx, cy, cx + w, cy, cx + w, cy + w, cx + w / 2, cy + tip, cx, cy + w)));
      } else {
        int n = rnd.nextInt(4, 12);
        double[] xy = new double[2 * n];
        for (int k = 0; k < n; k++) {
          double a = 2 * Math.PI * (k + rnd.nextDouble(0, 0.9)) / n;
          double r = rnd.nextDouble(0.3, 30);
          xy[2 * k] = cx + r * Math.cos(a);
          xy[2 * k + 1] = cy + r * Math.sin(a);
        }
        polys.add(poly(ring(xy)));
      }
    }
    RingMemo memo = new RingMemo(polys.size());
    int whole = 0;
    for (TileTransform t : List.of(T, EAST, T, EAST)) {
      for (int i = 0; i < polys.size(); i++) {
        Geometry g = polys.get(i);
        IntList withMemo = new IntList();
        IntList fresh = new IntList();
        boolean a = renderer.render(g, t, withMemo, memo, i);
        boolean b = new PolygonRenderer(4096, 64, new RenderStats()).render(g, t, fresh);
        assertThat(a).as("polygon %d", i).isEqualTo(b);
        assertThat(withMemo.toArray()).as("polygon %d", i).isEqualTo(fresh.toArray());
      }
    }
    assertThat(memo.decided()).isGreaterThan(polys.size() / 2);
    assertThat(stats.snapshot().polygonsRepaired()).isPositive();
  }

  @Test
  void aUShapeLeavingAndReEnteringAcrossOneEdgeComesOutAsTwoValidParts() {
    // the bottom of the U lies left of the buffer: clipping leaves a zero-width bridge on x = -64
    Polygon u =
        poly(ring(-500, 0, 300, 0, 300, 100, -400, 100, -400, 300, 300, 300, 300, 400, -500, 400));
    Geometry g = toJts(render(u));
    assertThat(IsValidOp.isValid(g)).isTrue();
    assertThat(g.getNumGeometries()).isEqualTo(2);
    assertThat(g.getArea()).isEqualTo(2 * 364.0 * 100);
  }

  @Test
  void aShellCutIntoPiecesByTheBufferIsDrawnAsItsPiecesWithoutRepair() {
    // a comb whose back lies left of the buffer: four teeth reach into the tile
    Polygon comb =
        poly(
            ring(
                -500, -200, -300, 0, 400, 0, 400, 100, -300, 100, -300, 300, 400, 300, 400, 400,
                -300, 400, -300, 600, 400, 600, 400, 700, -300, 700, -300, 900, 400, 900, 400, 1000,
                -300, 1000, -500, 1200));
    Geometry g = toJts(render(comb));
    assertThat(IsValidOp.isValid(g)).isTrue();
    assertThat(g.getNumGeometries()).isEqualTo(4);
    assertThat(g.getArea()).isEqualTo(4 * 464.0 * 100);
    assertThat(stats.snapshot().polygonsClipped()).isEqualTo(1);
    assertThat(stats.snapshot().polygonsRepaired()).isZero();
  }

  @Test
  void multiPolygonPartsAreEachOrientedAndPartsOutsideAreSkipped() {
    Geometry mp =
        GF.createMultiPolygon(
            new Polygon[] {
              poly(ring(0, 0, 10, 0, 10, 10, 0, 10)),
              poly(ring(20, 20, 20, 40, 40, 40, 40, 20)),
              poly(ring(9000, 0, 9100, 0, 9100, 100, 9000, 100))
            });
    List<int[]> rings = rings(render(mp));
    assertThat(rings).hasSize(2);
    assertThat(rings).allSatisfy(r -> assertThat(doubledArea(r)).isPositive());
  }

  @Test
  void theLoneShellsTestAgreesWithJtsOnRandomRingSetsWhereNoRingsTouch() {
    SplittableRandom rnd = new SplittableRandom(17);
    int valid = 0;
    int invalid = 0;
    for (int trial = 0; trial < 20_000; trial++) {
      IntList coords = new IntList();
      IntList starts = new IntList();
      List<LinearRing> rings = new ArrayList<>();
      int count = rnd.nextInt(2, 4);
      while (rings.size() < count) {
        int n = rnd.nextInt(3, 6);
        int ox = rnd.nextInt(6);
        int oy = rnd.nextInt(6);
        int[] xy = new int[2 * n];
        for (int i = 0; i < n; i++) {
          xy[2 * i] = ox + rnd.nextInt(4);
          xy[2 * i + 1] = oy + rnd.nextInt(4);
        }
        Coordinate[] cs = new Coordinate[n + 1];
        for (int i = 0; i < n; i++) {
          cs[i] = new Coordinate(xy[2 * i], xy[2 * i + 1]);
        }
        cs[n] = cs[0];
        boolean repeats = false;
        for (int i = 0; i < n; i++) {
          repeats |= cs[i].equals2D(cs[i + 1]);
        }
        if (repeats || doubledArea(xy) == 0) {
          continue; // the renderer drops repeated points, and rings without area
        }
        starts.add(coords.size());
        for (int v : xy) {
          coords.add(v);
        }
        rings.add(GF.createLinearRing(cs));
      }
      boolean touch = false;
      for (int a = 0; a < rings.size(); a++) {
        for (int b = a + 1; b < rings.size(); b++) {
          touch |= rings.get(a).intersects(rings.get(b));
        }
      }
      Geometry mp =
          GF.createMultiPolygon(rings.stream().map(GF::createPolygon).toArray(Polygon[]::new));
      boolean ours =
          PolygonRenderer.shellsValid(
              coords, starts, new long[coords.size()], new int[coords.size()]);
      assertThat(ours).as("%s", mp).isEqualTo(!touch && IsValidOp.isValid(mp));
      if (ours) {
        valid++;
      } else {
        invalid++;
      }
    }
    assertThat(valid).isGreaterThan(1_000);
    assertThat(invalid).isGreaterThan(1_000);
  }

  @Test
  void theIntegerSimplicityTestAgreesWithJtsOnRandomSmallRings() {
    SplittableRandom rnd = new SplittableRandom(11);
    int checked = 0;
    for (int trial = 0; trial < 20_000; trial++) {
      int n = rnd.nextInt(3, 9);
      IntList xy = new IntList();
      int px = Integer.MIN_VALUE;
      int py = Integer.MIN_VALUE;
      for (int i = 0; i < n; i++) {
        int x = rnd.nextInt(5);
        int y = rnd.nextInt(5);
        if (x != px || y != py) {
          xy.add(x);
          xy.add(y);
          px = x;
          py = y;
        }
      }
      int m = xy.size() / 2;
      if (m >= 2 && xy.get(0) == xy.get(2 * m - 2) && xy.get(1) == xy.get(2 * m - 1)) {
        m--;
      }
      int[] arr = java.util.Arrays.copyOf(xy.toArray(), 2 * m);
      if (m < 3 || doubledArea(arr) == 0) {
        continue;
      }
      Coordinate[] cs = new Coordinate[m + 1];
      for (int i = 0; i < m; i++) {
        cs[i] = new Coordinate(arr[2 * i], arr[2 * i + 1]);
      }
      cs[m] = cs[0];
      LinearRing r = GF.createLinearRing(cs);
      IntList ring = new IntList();
      for (int v : arr) {
        ring.add(v);
      }
      boolean ours = PolygonRenderer.isSimple(ring, 0, m);
      assertThat(ours).as("ring %s", r).isEqualTo(new IsSimpleOp(r).isSimple());
      assertThat(ours)
          .as("ring %s as a polygon", r)
          .isEqualTo(IsValidOp.isValid(GF.createPolygon(r)));
      checked++;
    }
    assertThat(checked).isGreaterThan(5_000);
  }
}
