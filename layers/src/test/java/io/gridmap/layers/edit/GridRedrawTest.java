package io.gridmap.layers.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.layers.edit.EditRefused.Rule;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.GeneralisedIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.testing.SharedBoundary;
import io.gridmap.layers.testing.TestGrids;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

class GridRedrawTest {
  private static final int N = 6;
  private static final CityIndex CITY = CityIndex.build(TestGrids.city(N, 7));
  private static final GeometryFactory F = new GeometryFactory();

  private static Feature grid(int i, int j) {
    return CITY.layer("grids").byId(TestGrids.id(N, i, j)).orElseThrow();
  }

  /**
   * The boundary between column 1 and column 2 of row 2 (both in the western village), moved 8 m
   * east.
   */
  private static SharedBoundary.Move move() {
    return SharedBoundary.move(grid(1, 2).geometry(), grid(2, 2).geometry(), 8).orElseThrow();
  }

  private static void refused(Rule rule, ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            EditRefused.class, e -> assertThat(e.rule()).as(e.getMessage()).isEqualTo(rule));
  }

  @Test
  void aBoundaryMoveChangesBothGridsAndKeepsEveryZoomACoverage() {
    SharedBoundary.Move m = move();
    long a = grid(1, 2).id();
    long b = grid(2, 2).id();
    GridRedraw.Plan plan =
        GridRedraw.plan(CITY, Map.of(a, m.first(), b, m.second()), GridRedraw.Limits.standard());

    assertThat(plan.redrawn()).containsExactlyInAnyOrder(a, b);
    assertThat(plan.village()).isEqualTo(TestGrids.WEST);
    assertThat(plan.change().replacements()).hasSize(2);
    assertThat(plan.change().generalised()).containsKey(14);
    assertThat(plan.change().generalised().get(14)).containsKeys(a, b);
    assertThat(plan.generalised().rings()).isBetween(1, 4);

    CityIndex next = CITY.withChange(plan.change());
    assertThat(
            next.layer("grids").byId(a).orElseThrow().geometry().contains(F.createPoint(m.probe())))
        .isTrue();
    for (int z = 12; z <= 14; z++) {
      GeneralisedIndex gi = next.generalised("grids", z).orElseThrow();
      Geometry[] all = new Geometry[gi.size()];
      for (int o = 0; o < gi.size(); o++) {
        all[o] = gi.geometry(o);
      }
      assertThat(all).hasSize(N * N);
      assertThat(CoverageValidator.hasInvalidResult(CoverageValidator.validate(all)))
          .as("zoom " + z + " is a coverage")
          .isFalse();
    }
    Geometry oldZ14 =
        CITY.generalised("grids", 14)
            .orElseThrow()
            .geometry(CITY.generalised("grids", 14).orElseThrow().ordinalOf(a));
    Geometry newZ14 =
        next.generalised("grids", 14)
            .orElseThrow()
            .geometry(next.generalised("grids", 14).orElseThrow().ordinalOf(a));
    assertThat(newZ14.getArea())
        .as("8 m more along the boundary at z14")
        .isGreaterThan(oldZ14.getArea() + 100);
  }

  @Test
  void aSlidNodeRegeneralisesTheNeighbourWhoseBoundaryGotIt() {
    // find a node slide in the western village after which a neighbour's generalised polygon
    // changes
    GridRedraw.Plan plan = null;
    for (int i = 0; i < N / 2 && plan == null; i++) {
      for (int j = 0; j < N - 1 && plan == null; j++) {
        for (int di : new int[] {1, -1}) {
          if (plan != null || i + di < 0 || i + di >= N / 2) {
            continue;
          }
          Feature a = grid(i, j);
          Feature b = grid(i, j + 1);
          var m =
              SharedBoundary.slideNode(a.geometry(), b.geometry(), grid(i + di, j + 1).geometry());
          if (m.isEmpty()) {
            continue;
          }
          GridRedraw.Plan p =
              GridRedraw.plan(
                  CITY,
                  Map.of(a.id(), m.get().first(), b.id(), m.get().second()),
                  GridRedraw.Limits.standard());
          assertThat(p.redrawn()).containsExactlyInAnyOrder(a.id(), b.id());
          assertThat(p.change().after())
              .extracting(Feature::id)
              .containsExactlyInAnyOrder(a.id(), b.id());
          boolean neighbourRedrawn =
              p.change().generalised().values().stream()
                  .flatMap(byId -> byId.keySet().stream())
                  .anyMatch(id -> id != a.id() && id != b.id());
          if (neighbourRedrawn) {
            plan = p;
          }
        }
      }
    }
    assertThat(plan).as("a slide whose neighbour's generalised polygon changes").isNotNull();
    CityIndex next = CITY.withChange(plan.change());
    for (int z = 12; z <= 14; z++) {
      GeneralisedIndex gi = next.generalised("grids", z).orElseThrow();
      Geometry[] all = new Geometry[gi.size()];
      for (int o = 0; o < gi.size(); o++) {
        all[o] = gi.geometry(o);
      }
      assertThat(CoverageValidator.hasInvalidResult(CoverageValidator.validate(all, 0.5)))
          .as("zoom " + z)
          .isFalse();
    }
  }

  @Test
  void codesAndAttributesStayAsTheyWere() {
    SharedBoundary.Move m = move();
    long a = grid(1, 2).id();
    Change c =
        GridRedraw.plan(
                CITY,
                Map.of(a, m.first(), grid(2, 2).id(), m.second()),
                GridRedraw.Limits.standard())
            .change();
    Change.Replacement r =
        c.replacements().stream().filter(x -> x.id() == a).findFirst().orElseThrow();
    assertThat(r.after().values()).containsExactly(r.before().values());
    assertThat(r.geometryChanged()).isTrue();
  }

  @Test
  void movingOneGridIntoItsNeighbourIsAnOverlap() {
    SharedBoundary.Move m = move();
    refused(
        Rule.NO_OVERLAP,
        () ->
            GridRedraw.plan(
                CITY,
                Map.of(grid(1, 2).id(), m.first(), grid(2, 2).id(), grid(2, 2).geometry()),
                GridRedraw.Limits.standard()));
  }

  @Test
  void shrinkingOneGridAloneLeavesAGap() {
    SharedBoundary.Move m = move();
    // the second grid loses the area but the first does not take it
    refused(
        Rule.NO_GAP,
        () ->
            GridRedraw.plan(
                CITY,
                Map.of(grid(1, 2).id(), grid(1, 2).geometry(), grid(2, 2).id(), m.second()),
                GridRedraw.Limits.standard()));
  }

  @Test
  void growingOneGridWithoutItsNeighbourLeavesTheOutline() {
    SharedBoundary.Move m = move();
    refused(
        Rule.SAME_OUTLINE,
        () ->
            GridRedraw.plan(
                CITY, Map.of(grid(1, 2).id(), m.first()), GridRedraw.Limits.standard()));
  }

  @Test
  void aSelfCrossingRingIsRefusedWithWhereItCrosses() {
    var box = grid(1, 2).geometry().getEnvelopeInternal();
    Coordinate[] bowTie = {
      new Coordinate(box.getMinX(), box.getMinY()),
      new Coordinate(box.getMaxX(), box.getMaxY()),
      new Coordinate(box.getMaxX(), box.getMinY()),
      new Coordinate(box.getMinX(), box.getMaxY()),
      new Coordinate(box.getMinX(), box.getMinY())
    };
    assertThatThrownBy(
            () ->
                GridRedraw.plan(
                    CITY,
                    Map.of(grid(1, 2).id(), F.createPolygon(bowTie)),
                    GridRedraw.Limits.standard()))
        .isInstanceOfSatisfying(
            EditRefused.class,
            e -> {
              assertThat(e.rule()).isEqualTo(Rule.VALID_POLYGON);
              assertThat(e.feature()).isEqualTo(grid(1, 2).id());
              assertThat(e.getMessage()).contains("Self-intersection", "IsValidOp");
            });
  }

  @Test
  void aBoundaryBetweenTwoNeighbouringVillagesOfOneStreetMoves() {
    long west = grid(2, 2).id();
    long east = grid(3, 2).id();
    SharedBoundary.Move m =
        SharedBoundary.move(grid(2, 2).geometry(), grid(3, 2).geometry(), 8).orElseThrow();
    GridRedraw.Plan plan =
        GridRedraw.plan(
            CITY, Map.of(west, m.first(), east, m.second()), GridRedraw.Limits.standard());
    assertThat(plan.redrawn()).containsExactlyInAnyOrder(west, east);
    assertThat(plan.village()).isEqualTo(TestGrids.WEST + "," + TestGrids.EAST);
  }

  @Test
  void capsAndUnknownGrids() {
    SharedBoundary.Move m = move();
    refused(
        Rule.VERTEX_CAP,
        () ->
            GridRedraw.plan(
                CITY,
                Map.of(grid(1, 2).id(), m.first(), grid(2, 2).id(), m.second()),
                new GridRedraw.Limits(100, 10, 1000)));
    refused(
        Rule.REQUEST_CAP,
        () ->
            GridRedraw.plan(
                CITY,
                Map.of(grid(1, 2).id(), m.first(), grid(2, 2).id(), m.second()),
                new GridRedraw.Limits(1, 1000, 1000)));
    refused(
        Rule.UNKNOWN_FEATURE,
        () ->
            GridRedraw.plan(
                CITY, Map.of(500103001009999L, m.first()), GridRedraw.Limits.standard()));
  }

  @Test
  void sameOutlinesAreNoChange() {
    refused(
        Rule.NO_CHANGE,
        () ->
            GridRedraw.plan(
                CITY,
                Map.of(grid(1, 2).id(), grid(1, 2).geometry()),
                GridRedraw.Limits.standard()));
  }

  @Test
  void positionsAreSnappedToTheStoreGrid() {
    SharedBoundary.Move m = move();
    // a client that sends 15 decimals gets the store's 7
    Geometry noisyA = m.first().copy();
    noisyA.apply((org.locationtech.jts.geom.CoordinateFilter) p -> p.x += 1e-9);
    noisyA.geometryChanged();
    Geometry noisyB = m.second().copy();
    noisyB.apply((org.locationtech.jts.geom.CoordinateFilter) p -> p.x += 1e-9);
    noisyB.geometryChanged();
    Change c =
        GridRedraw.plan(
                CITY,
                Map.of(grid(1, 2).id(), noisyA, grid(2, 2).id(), noisyB),
                GridRedraw.Limits.standard())
            .change();
    List<Coordinate> all = new ArrayList<>();
    c.after().forEach(f -> all.addAll(List.of(f.geometry().getCoordinates())));
    assertThat(all)
        .allSatisfy(p -> assertThat(Math.abs(p.x * 1e7 - Math.rint(p.x * 1e7))).isLessThan(1e-6));
    assertThat(c.after().get(0).geometry().norm().equalsExact(m.first().norm())).isTrue();
  }

  private static Geometry square(double metres) {
    double dLat = metres / 110_900.0;
    double dLon = metres / 96_500.0;
    return F.toGeometry(
        new org.locationtech.jts.geom.Envelope(106.5, 106.5 + dLon, 29.5, 29.5 + dLat));
  }

  @Test
  void aGridSmallerThanASliverOrLargerThanADistrictIsOutOfBounds() {
    assertThat(GridRedraw.sizeBounds(1, square(200))).as("40,000 m²: a grid").isEmpty();
    assertThat(GridRedraw.sizeBounds(1, square(30)))
        .hasValueSatisfying(
            v -> {
              assertThat(v.rule()).isEqualTo(Rule.SIZE_BOUNDS);
              assertThat(v.detail()).contains("2000 to 100000000 m²");
              assertThat(v.where()).isNotNull();
            });
    assertThat(GridRedraw.sizeBounds(1, square(11_000))).as("121 km²").isPresent();
  }
}
