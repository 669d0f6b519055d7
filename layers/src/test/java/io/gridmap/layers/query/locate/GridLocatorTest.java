package io.gridmap.layers.query.locate;

import static io.gridmap.layers.testing.TestDatasets.box;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.testing.TestDatasets;
import io.gridmap.layers.testing.TestGrids;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;

/**
 * Point to grid and its chain, on {@link TestDatasets#tiny()} (known answers: every unit is a box,
 * one grid sits in the hole of another, one district has an exclave) and on {@link TestGrids#city}
 * (wiggly shared edges, checked against a scan of every grid with JTS's relate predicates).
 */
class GridLocatorTest {
  static final GeometryFactory GF = new GeometryFactory();
  static GridLocator tiny;

  @BeforeAll
  static void build() {
    tiny = GridLocator.build(CityIndex.build(TestDatasets.tiny()));
  }

  /** The grid whose interior holds c, else the smallest id whose boundary does, else null. */
  static Feature scan(List<Feature> grids, Coordinate c) {
    Point p = GF.createPoint(c);
    Feature onBoundary = null;
    for (Feature g : grids) {
      if (g.geometry().contains(p)) {
        return g;
      }
      if (g.geometry().covers(p) && (onBoundary == null || g.id() < onBoundary.id())) {
        onBoundary = g;
      }
    }
    return onBoundary;
  }

  @Test
  void aPointInsideAGridGetsTheGridItsVillageStreetDistrictAndWorker() {
    GridLocation at = tiny.locate(106.01, 29.01);

    assertThat(at.grid().id()).isEqualTo(500103001001001L);
    assertThat(at.village().id()).isEqualTo(500103001001L);
    assertThat(at.street().id()).isEqualTo(500103001L);
    assertThat(at.district().id()).isEqualTo(500103L);
    // the grid's worker_id 1 is force 1, and the force carries the grid's worker_name
    assertThat(at.worker().id()).isEqualTo(1L);
    assertThat(at.worker().value(Catalogue.FORCES.fieldIndex("name")))
        .isEqualTo(at.grid().value(Catalogue.GRIDS.fieldIndex("worker_name")));
    assertThat(at.onBorder()).isFalse();
  }

  @Test
  void aPointInAHoleBelongsToTheGridInTheHoleNotToTheRingAroundIt() {
    assertThat(tiny.locate(106.075, 29.05).grid().id()).isEqualTo(500103002001002L);
    assertThat(tiny.locate(106.06, 29.05).grid().id()).isEqualTo(500103002001001L);
  }

  @Test
  void aPointInADistrictsExclaveGetsTheExclavesChain() {
    GridLocation at = tiny.locate(106.252, 29.005);

    assertThat(at.grid().id()).isEqualTo(500104002001001L);
    assertThat(at.street().id()).isEqualTo(500104002L);
    assertThat(at.district().id()).isEqualTo(500104L);
  }

  @Test
  void aGridWithoutAWorkerOrWithAWorkerIdNoForceHasGetsNoWorker() {
    // worker_id null
    assertThat(tiny.locate(106.01, 29.07).worker()).isNull();
    // worker_id 4: the forces layer has ids 1-3
    assertThat(tiny.locate(106.04, 29.07).grid().id()).isEqualTo(500103001002002L);
    assertThat(tiny.locate(106.04, 29.07).worker()).isNull();
  }

  @Test
  void aPointOnAnEdgeTwoGridsShareGoesToTheSmallerCode() {
    Coordinate edge = new Coordinate(106.025, 29.02);
    assertThat(coveringGrids(edge)).containsExactly(500103001001001L, 500103001001002L);

    GridLocation at = tiny.locate(edge.x, edge.y);

    assertThat(at.grid().id()).isEqualTo(500103001001001L);
    assertThat(at.onBorder()).isTrue();
  }

  @Test
  void aVertexFourGridsShareGoesToTheSmallestOfTheFour() {
    Coordinate corner = new Coordinate(106.025, 29.05);
    assertThat(coveringGrids(corner)).hasSize(4);

    assertThat(tiny.locate(corner.x, corner.y).grid().id()).isEqualTo(500103001001001L);
  }

  @Test
  void aPointOnTheEdgeOfAHoleGoesToTheRingWhoseCodeIsSmaller() {
    assertThat(tiny.locate(106.07, 29.05).grid().id()).isEqualTo(500103002001001L);
    assertThat(tiny.locate(106.07, 29.05).onBorder()).isTrue();
  }

  @Test
  void theSmallerCodeWinsWhereverItLiesAndWhateverOrderTheLayerHoldsTheGrids() {
    // the smaller code is the eastern grid, and the layer lists it second
    long west = 500103001001002L;
    long east = 500103001001001L;
    GridLocator two =
        GridLocator.build(
            CityIndex.build(
                gridsOnly(
                    grid(west, box(106.00, 29.00, 106.01, 29.01)),
                    grid(east, box(106.01, 29.00, 106.02, 29.01)))));

    assertThat(two.locate(106.01, 29.005).grid().id()).isEqualTo(east);
    assertThat(two.locateOrdinal(106.01, 29.005)).isEqualTo(1);
    assertThat(two.locate(106.005, 29.005).grid().id()).isEqualTo(west);
  }

  @Test
  void aPointOnTheCitysOuterEdgeBelongsToTheOneGridThere() {
    GridLocation at = tiny.locate(106.00, 29.02);

    assertThat(at.grid().id()).isEqualTo(500103001001001L);
    assertThat(at.onBorder()).isTrue();
  }

  @Test
  void aPointOutsideEveryGridHasNoLocation() {
    // between district 500104's mainland (to 106.20) and its exclave (from 106.25)
    assertThat(tiny.locate(106.22, 29.005)).isNull();
    assertThat(tiny.locateOrdinal(106.22, 29.005)).isEqualTo(-1);
    // inside the city's bounding box but north of every grid, and far away
    assertThat(tiny.locate(106.255, 29.05)).isNull();
    assertThat(tiny.locate(0, 0)).isNull();
  }

  @Test
  void randomPointsVerticesAndEdgePointsAgreeWithAScanOfEveryGrid() {
    Dataset city = TestGrids.city(8, 11);
    GridLocator locator = GridLocator.build(CityIndex.build(city));
    List<Feature> grids = city.layer("grids").features();
    SplittableRandom rng = new SplittableRandom(5);
    Envelope b = locator.grids().bounds();
    int inside = 0;
    int onBorder = 0;
    int outside = 0;
    for (int i = 0; i < 1500; i++) {
      // random points over a box a little larger than the city
      Coordinate random =
          new Coordinate(
              b.getMinX() - 0.001 + rng.nextDouble() * (b.getWidth() + 0.002),
              b.getMinY() - 0.001 + rng.nextDouble() * (b.getHeight() + 0.002));
      // a vertex of a grid (shared by up to four grids) and the midpoint of its next edge
      Coordinate[] cs = grids.get(rng.nextInt(grids.size())).geometry().getCoordinates();
      int k = rng.nextInt(cs.length - 1);
      Coordinate mid = new Coordinate((cs[k].x + cs[k + 1].x) / 2, (cs[k].y + cs[k + 1].y) / 2);
      for (Coordinate c : new Coordinate[] {random, cs[k], mid}) {
        Feature expected = scan(grids, c);
        GridLocation got = locator.locate(c.x, c.y);
        if (expected == null) {
          assertThat(got).as("%s is in no grid", c).isNull();
          assertThat(locator.locateOrdinal(c.x, c.y)).isEqualTo(-1);
          outside++;
          continue;
        }
        assertThat(got).as("%s", c).isNotNull();
        assertThat(got.grid().id()).as("%s", c).isEqualTo(expected.id());
        assertThat(got.onBorder())
            .as("%s", c)
            .isEqualTo(!expected.geometry().contains(GF.createPoint(c)));
        // a grids-only dataset: no units above, no forces
        assertThat(got.village()).isNull();
        assertThat(got.district()).isNull();
        assertThat(got.worker()).isNull();
        if (got.onBorder()) {
          onBorder++;
        } else {
          inside++;
        }
      }
    }
    // each kind of answer was exercised
    assertThat(inside).isGreaterThan(1000);
    assertThat(onBorder).isGreaterThan(1000);
    assertThat(outside).isGreaterThan(10);
  }

  private static List<Long> coveringGrids(Coordinate c) {
    Point p = GF.createPoint(c);
    return tiny.grids().features().stream()
        .filter(g -> g.geometry().covers(p))
        .map(Feature::id)
        .sorted()
        .toList();
  }

  private static Feature grid(long id, Geometry g) {
    String code = Long.toString(id);
    Object[] values = new Object[Catalogue.GRIDS.fields().size()];
    values[Catalogue.GRIDS.fieldIndex("code")] = code;
    return new Feature(id, g, values, false);
  }

  private static Dataset gridsOnly(Feature... grids) {
    DatasetMetadata meta =
        new DatasetMetadata(
            "two-grids",
            1L,
            1.0,
            List.of("500103"),
            "2025-01-01T00:00:00Z",
            Map.of("grids", grids.length),
            List.of(),
            Map.of());
    return Dataset.of(
        List.of(new Layer(Catalogue.GRIDS, List.of(grids))), meta, Generalised.empty());
  }
}
