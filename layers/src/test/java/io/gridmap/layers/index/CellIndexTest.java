package io.gridmap.layers.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.testing.TestDatasets;
import io.gridmap.layers.testing.TestGrids;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;

/**
 * The cell index answers every point exactly as a scan of every polygon with JTS's relate
 * predicates does (interior by {@code contains}, else the smallest id that {@code covers}), and as
 * the R-tree path before it: random points, shared vertices, points on shared edges, points on the
 * cells' own split lines; before and after a layer's polygons are redrawn, added and retired.
 */
class CellIndexTest {
  private static final GeometryFactory GF = new GeometryFactory();

  /**
   * The border rule by brute force: interior (smallest id if several), else smallest boundary id.
   */
  static int scan(LayerIndex layer, Coordinate c) {
    Point p = GF.createPoint(c);
    int inside = -1;
    int boundary = -1;
    for (int o = 0; o < layer.size(); o++) {
      Feature f = layer.feature(o);
      if (!f.geometry().getEnvelopeInternal().covers(c)) {
        continue;
      }
      if (f.geometry().contains(p)) {
        if (inside < 0 || f.id() < layer.feature(inside).id()) {
          inside = o;
        }
      } else if (f.geometry().covers(p)
          && (boundary < 0 || f.id() < layer.feature(boundary).id())) {
        boundary = o;
      }
    }
    return inside >= 0 ? inside : boundary < 0 ? CellIndex.NONE : -2 - boundary;
  }

  /**
   * Points to ask about: random ones over a box a little larger than the layer, every vertex, the
   * midpoint of every edge, and points on the lines the cells split at (the bounds' quarters,
   * eighths, ... where a point goes to the cell on its east or north).
   */
  static List<Coordinate> probes(LayerIndex layer, int random, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Envelope b = layer.bounds();
    double w = b.getWidth();
    double h = b.getHeight();
    List<Coordinate> out = new ArrayList<>();
    for (int i = 0; i < random; i++) {
      out.add(
          new Coordinate(
              b.getMinX() - 0.02 * w + rng.nextDouble() * 1.04 * w,
              b.getMinY() - 0.02 * h + rng.nextDouble() * 1.04 * h));
    }
    for (Feature f : layer.features()) {
      Coordinate[] cs = f.geometry().getCoordinates();
      for (int k = 0; k + 1 < cs.length; k++) {
        out.add(cs[k]);
        out.add(new Coordinate((cs[k].x + cs[k + 1].x) / 2, (cs[k].y + cs[k + 1].y) / 2));
      }
    }
    for (int i = 0; i < random / 4; i++) {
      int parts = 1 << (1 + rng.nextInt(8));
      double x = b.getMinX() + w * rng.nextInt(parts + 1) / parts;
      double y = b.getMinY() + h * rng.nextInt(parts + 1) / parts;
      out.add(new Coordinate(x, y));
      out.add(new Coordinate(x, b.getMinY() + rng.nextDouble() * h));
      out.add(new Coordinate(b.getMinX() + rng.nextDouble() * w, y));
    }
    return out;
  }

  /**
   * Asserts cells, R-tree and scan agree at every probe; returns {inside, on a border, outside}.
   */
  static int[] assertAgrees(LayerIndex layer, List<Coordinate> probes) {
    CellIndex cells = layer.cells();
    int[] kinds = new int[3];
    for (Coordinate c : probes) {
      int expected = scan(layer, c);
      assertThat(cells.locate(c.x, c.y)).as("cells at %s", c).isEqualTo(expected);
      assertThat(byTree(layer, c)).as("R-tree at %s", c).isEqualTo(expected);
      kinds[expected >= 0 ? 0 : expected == CellIndex.NONE ? 2 : 1]++;
    }
    return kinds;
  }

  /** The R-tree path as GridLocator had it: envelope candidates, JTS ray crossing. */
  static int byTree(LayerIndex layer, Coordinate c) {
    int[] found = {-1, -1};
    layer.queryOrdinals(
        new Envelope(c),
        o -> {
          int loc =
              org.locationtech.jts.algorithm.locate.SimplePointInAreaLocator.locate(
                  c, layer.feature(o).geometry());
          if (loc == org.locationtech.jts.geom.Location.INTERIOR) {
            found[0] =
                found[0] < 0 || layer.feature(o).id() < layer.feature(found[0]).id() ? o : found[0];
          } else if (loc == org.locationtech.jts.geom.Location.BOUNDARY
              && (found[1] < 0 || layer.feature(o).id() < layer.feature(found[1]).id())) {
            found[1] = o;
          }
        });
    return found[0] >= 0 ? found[0] : found[1] < 0 ? CellIndex.NONE : -2 - found[1];
  }

  @Test
  void wigglyGridsAnswerAsAScanAtRandomPointsVerticesEdgesAndSplitLines() {
    LayerIndex grids = CityIndex.build(TestGrids.city(12, 3)).layer("grids");

    int[] kinds = assertAgrees(grids, probes(grids, 4000, 1));

    assertThat(kinds[0]).as("inside").isGreaterThan(3000);
    assertThat(kinds[1]).as("on a border").isGreaterThan(3000);
    assertThat(kinds[2]).as("outside").isGreaterThan(100);
    CellIndex.Stats stats = grids.cells().stats();
    assertThat(stats.insideLeaves()).as("cells answered without a polygon test").isPositive();
    assertThat(stats.listLeaves()).isPositive();
  }

  @Test
  void holesExclavesAndUnitsOfEveryLevelAnswerAsAScan() {
    CityIndex tiny = CityIndex.build(TestDatasets.tiny());
    for (String layer : List.of("grids", "villages", "streets", "districts")) {
      LayerIndex li = tiny.layer(layer);
      assertAgrees(li, probes(li, 2000, 2));
    }
  }

  @Test
  void manySmallPolygonsBesideOneLargeOneWithAHoleAnswerAsAScan() {
    // one top cell then lists dozens of polygons, and a large one has a hole holding others
    List<Feature> features = new ArrayList<>();
    Polygon big =
        GF.createPolygon(
            GF.createLinearRing(
                new Coordinate[] {
                  new Coordinate(106, 29),
                  new Coordinate(106.1, 29),
                  new Coordinate(106.1, 29.1),
                  new Coordinate(106, 29.1),
                  new Coordinate(106, 29)
                }),
            new org.locationtech.jts.geom.LinearRing[] {
              GF.createLinearRing(
                  new Coordinate[] {
                    new Coordinate(106.02, 29.02),
                    new Coordinate(106.05, 29.02),
                    new Coordinate(106.05, 29.05),
                    new Coordinate(106.02, 29.05),
                    new Coordinate(106.02, 29.02)
                  })
            });
    features.add(feature(900, big));
    long id = 100;
    for (int i = 0; i < 10; i++) {
      for (int j = 0; j < 10; j++) {
        double x = 106.02 + i * 0.003;
        double y = 29.02 + j * 0.003;
        features.add(feature(id++, TestDatasets.box(x, y, x + 0.003, y + 0.003)));
      }
    }
    // and a two-part grid east of the big one
    Geometry twoParts =
        GF.createMultiPolygon(
            new Polygon[] {
              TestDatasets.box(106.1, 29.0, 106.11, 29.01),
              TestDatasets.box(106.1, 29.02, 106.11, 29.03)
            });
    features.add(feature(50, twoParts));
    LayerIndex layer = LayerIndex.build(new Layer(Catalogue.GRIDS, features));

    assertAgrees(layer, probes(layer, 5000, 3));
  }

  @Test
  void redrawnAddedAndRetiredGridsAreFoundWhereTheyAreNowAndNotWhereTheyWere() {
    CityIndex index = CityIndex.build(TestGrids.city(12, 4));
    LayerIndex before = index.layer("grids");
    List<Coordinate> probes = probes(before, 3000, 4);
    assertAgrees(before, probes); // builds every cell the probes reach

    // redraw: grid A takes the half of its neighbour B that borders it; B keeps the rest
    Feature a = before.byId(TestGrids.id(12, 3, 3)).orElseThrow();
    Feature b = before.byId(TestGrids.id(12, 4, 3)).orElseThrow();
    Envelope eb = b.geometry().getEnvelopeInternal();
    Geometry westHalf =
        TestDatasets.box(
            eb.getMinX(), eb.getMinY(), (eb.getMinX() + eb.getMaxX()) / 2, eb.getMaxY());
    Geometry taken = b.geometry().intersection(westHalf);
    Feature a2 = with(a, a.geometry().union(taken));
    Feature b2 = with(b, b.geometry().difference(westHalf));
    CityIndex redrawn =
        index.withChange(
            Change.of(
                "grids", List.of(new Change.Replacement(a, a2), new Change.Replacement(b, b2))));
    LayerIndex afterRedraw = redrawn.layer("grids");
    assertThat(afterRedraw.cells()).isNotSameAs(before.cells());
    Coordinate inTaken = taken.getInteriorPoint().getCoordinate();
    assertThat(CellIndex.ordinal(before.cells().locate(inTaken.x, inTaken.y)))
        .isEqualTo(before.ordinalOf(b.id()));
    assertThat(CellIndex.ordinal(afterRedraw.cells().locate(inTaken.x, inTaken.y)))
        .isEqualTo(afterRedraw.ordinalOf(a.id()));
    assertAgrees(afterRedraw, probes);
    // the old version still answers as it did
    assertAgrees(before, probes.subList(0, 500));

    // retire grid C and add D (C's outline under a new code), plus E beyond the city's bounds
    Feature c = afterRedraw.byId(TestGrids.id(12, 8, 8)).orElseThrow();
    Feature d = new Feature(c.id() + 500, c.geometry(), c.values(), false);
    Envelope city = afterRedraw.bounds();
    Feature e =
        new Feature(
            c.id() + 501,
            TestDatasets.box(
                city.getMaxX() + 0.001,
                city.getMinY(),
                city.getMaxX() + 0.003,
                city.getMinY() + 0.002),
            c.values(),
            false);
    CityIndex retired =
        redrawn.withChange(
            Change.of(
                "grids",
                List.of(
                    Change.Replacement.retired(c),
                    Change.Replacement.added(d),
                    Change.Replacement.added(e))));
    LayerIndex afterRetire = retired.layer("grids");
    Coordinate inC = c.geometry().getInteriorPoint().getCoordinate();
    assertThat(afterRetire.feature(afterRetire.cells().locate(inC.x, inC.y)).id())
        .isEqualTo(d.id());
    Coordinate inE = e.geometry().getInteriorPoint().getCoordinate();
    assertThat(afterRetire.feature(afterRetire.cells().locate(inE.x, inE.y)).id())
        .isEqualTo(e.id());
    List<Coordinate> wider = new ArrayList<>(probes);
    wider.addAll(probes(afterRetire, 500, 5));
    assertAgrees(afterRetire, wider);
  }

  @Test
  void aRenameKeepsTheBuiltCellsAndARedrawRebuildsOnlyTheCellsItTouches() {
    CityIndex index = CityIndex.build(TestGrids.city(12, 6));
    LayerIndex grids = index.layer("grids");
    List<Coordinate> probes = probes(grids, 2000, 6);
    assertAgrees(grids, probes);
    long built = grids.cells().stats().builtTopCells();
    assertThat(built).isPositive();

    Feature f = grids.byId(TestGrids.id(12, 5, 5)).orElseThrow();
    Object[] v = f.values().clone();
    v[Catalogue.GRIDS.fieldIndex("name")] = "renamed";
    LayerIndex renamed =
        index
            .withChange(
                Change.of(
                    "grids",
                    List.of(
                        new Change.Replacement(f, new Feature(f.id(), f.geometry(), v, false)))))
            .layer("grids");
    assertThat(renamed.cells().stats().builtTopCells()).isEqualTo(built);
    assertAgrees(renamed, probes);

    Geometry moved =
        org.locationtech.jts.geom.util.AffineTransformation.translationInstance(0, 0)
            .transform(f.geometry());
    LayerIndex redrawn =
        index
            .withChange(
                Change.of(
                    "grids",
                    List.of(new Change.Replacement(f, new Feature(f.id(), moved, v, false)))))
            .layer("grids");
    long kept = redrawn.cells().stats().builtTopCells();
    assertThat(kept).isLessThan(built).isGreaterThan(built / 2);
    assertAgrees(redrawn, probes);
  }

  private static Feature feature(long id, Geometry g) {
    Object[] values = new Object[Catalogue.GRIDS.fields().size()];
    values[Catalogue.GRIDS.fieldIndex("code")] = Long.toString(id);
    return new Feature(id, g, values, false);
  }

  private static Feature with(Feature f, Geometry g) {
    return new Feature(f.id(), g, f.values(), f.personal());
  }
}
