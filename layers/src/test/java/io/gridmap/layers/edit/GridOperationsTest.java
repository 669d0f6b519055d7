package io.gridmap.layers.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.layers.edit.EditRefused.Rule;
import io.gridmap.layers.geo.GroundMeasure;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.GeneralisedIndex;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.testing.TestGrids;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Polygon;

class GridOperationsTest {
  private static final int N = 6;
  private static final CityIndex CITY = CityIndex.build(TestGrids.city(N, 7));
  private static final GeometryFactory F = new GeometryFactory();
  private static final GridRedraw.Limits LIMITS = GridRedraw.Limits.standard();

  /** A history that holds no id: the codes in use now are all the village ever gave. */
  private static final GridOperations.Codes NONE = (from, to) -> -1;

  /** The western village has grids 001-018. */
  private static final long WEST_BASE = Long.parseLong(TestGrids.WEST) * 1000;

  private static Feature grid(int i, int j) {
    return CITY.layer("grids").byId(TestGrids.id(N, i, j)).orElseThrow();
  }

  /** A west-east line across a grid at its middle, starting and ending outside it. */
  private static LineString across(Feature grid) {
    Envelope e = grid.geometry().getEnvelopeInternal();
    double y = e.centre().y;
    return F.createLineString(
        new Coordinate[] {
          new Coordinate(e.getMinX() - 0.0003, y), new Coordinate(e.getMaxX() + 0.0003, y)
        });
  }

  private static void refused(Rule rule, ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            EditRefused.class, e -> assertThat(e.rule()).as(e.getMessage()).isEqualTo(rule));
  }

  private static void everyZoomIsACoverage(CityIndex city, int grids) {
    for (int z = 12; z <= 14; z++) {
      GeneralisedIndex gi = city.generalised("grids", z).orElseThrow();
      Geometry[] all = new Geometry[gi.size()];
      for (int o = 0; o < gi.size(); o++) {
        all[o] = gi.geometry(o);
      }
      assertThat(all).as("zoom " + z).hasSize(grids);
      assertThat(CoverageValidator.hasInvalidResult(CoverageValidator.validate(all)))
          .as("zoom " + z + " is a coverage")
          .isFalse();
    }
    Geometry[] outlines =
        city.layer("grids").features().stream().map(Feature::geometry).toArray(Geometry[]::new);
    assertThat(CoverageValidator.hasInvalidResult(CoverageValidator.validate(outlines, 1e-6)))
        .as("the grids are a coverage")
        .isFalse();
  }

  @Test
  void aSplitRetiresTheGridAndAddsTwoGridsWithTheVillagesNextCodes() {
    Feature old = grid(1, 2);
    GridRedraw.Plan plan =
        GridOperations.split(CITY, old.id(), across(old), List.of(), 1, NONE, LIMITS);

    Change c = plan.change();
    assertThat(c.replacements().stream().filter(Change.Replacement::isRetired))
        .extracting(Change.Replacement::id)
        .containsExactly(old.id());
    List<Feature> added =
        c.replacements().stream()
            .filter(Change.Replacement::isAdded)
            .map(Change.Replacement::after)
            .toList();
    assertThat(added).extracting(Feature::id).containsExactly(WEST_BASE + 19, WEST_BASE + 20);
    int code = CITY.layer("grids").def().requireField("code");
    int population = CITY.layer("grids").def().requireField("population");
    int village = CITY.layer("grids").def().requireField("village_code");
    assertThat(added)
        .extracting(f -> f.string(code))
        .containsExactly("500103001001019", "500103001001020");
    assertThat(added).allSatisfy(f -> assertThat(f.string(village)).isEqualTo(TestGrids.WEST));
    assertThat(added.get(0).geometry().getArea())
        .isGreaterThanOrEqualTo(added.get(1).geometry().getArea());
    // residents by area: the old grid's 500 shared, none lost to rounding
    assertThat(added.stream().mapToLong(f -> f.longValue(population)).sum()).isEqualTo(500);
    assertThat(added).allSatisfy(f -> assertThat(f.longValue(population)).isBetween(100L, 400L));
    // the forces of the old grid go to the part asked for
    assertThat(c.successors()).containsExactly(Map.entry(old.id(), WEST_BASE + 20));
    // the two parts cover the old grid exactly
    Geometry union = added.get(0).geometry().union(added.get(1).geometry());
    assertThat(GroundMeasure.areaM2(union.symDifference(old.geometry()))).isLessThan(0.1);
    // the east and west neighbours take the points where the line crosses into their boundary
    assertThat(c.replacements().stream().filter(r -> !r.isAdded() && !r.isRetired()))
        .extracting(Change.Replacement::id)
        .containsExactlyInAnyOrder(grid(0, 2).id(), grid(2, 2).id());

    CityIndex next = CITY.withChange(c);
    assertThat(next.layer("grids").byId(old.id())).isEmpty();
    everyZoomIsACoverage(next, N * N + 1);
  }

  @Test
  void aNewCodeIsNeverOneTheHistoryHoldsForARetiredGrid() {
    Feature old = grid(1, 2);
    GridRedraw.Plan plan =
        GridOperations.split(
            CITY, old.id(), across(old), List.of(), 0, (from, to) -> WEST_BASE + 25, LIMITS);

    assertThat(plan.change().after())
        .extracting(Feature::id)
        .contains(WEST_BASE + 26, WEST_BASE + 27)
        .doesNotContain(WEST_BASE + 19);
  }

  @Test
  void aLineThatDoesNotCrossTheGridIsRefusedWithTheLine() {
    Feature old = grid(1, 2);
    Coordinate c = old.geometry().getInteriorPoint().getCoordinate();
    LineString inside =
        F.createLineString(new Coordinate[] {c, new Coordinate(c.x + 0.0001, c.y + 0.0001)});

    assertThatThrownBy(
            () -> GridOperations.split(CITY, old.id(), inside, List.of(), 0, NONE, LIMITS))
        .isInstanceOfSatisfying(
            EditRefused.class,
            e -> {
              assertThat(e.rule()).isEqualTo(Rule.SPLIT_LINE);
              assertThat(e.violations().get(0).where()).isEqualTo(inside);
            });
  }

  @Test
  void aSliverPartBreaksTheSizeBounds() {
    Feature old = grid(1, 2);
    Envelope e = old.geometry().getEnvelopeInternal();
    // a line a few metres inside the southern edge cuts off a strip far below 2,000 m²
    double y = e.getMinY() + 0.00002;
    LineString line =
        F.createLineString(
            new Coordinate[] {
              new Coordinate(e.getMinX() - 0.001, y), new Coordinate(e.getMaxX() + 0.001, y)
            });

    refused(
        Rule.SIZE_BOUNDS,
        () -> GridOperations.split(CITY, old.id(), line, List.of(), 0, NONE, LIMITS));
  }

  @Test
  void aMergeOfNeighboursMakesOneGridWithANewCodeAndHandsOverTheirForces() {
    Feature a = grid(1, 2);
    Feature b = grid(1, 3);
    GridRedraw.Plan plan =
        GridOperations.merge(
            CITY, List.of(a.id(), b.id()), GridOperations.NewGrid.DERIVED, NONE, LIMITS);

    Change c = plan.change();
    List<Feature> after = c.after();
    assertThat(after).extracting(Feature::id).containsExactly(WEST_BASE + 19);
    Feature merged = after.get(0);
    assertThat(merged.geometry()).isInstanceOf(Polygon.class);
    assertThat(
            GroundMeasure.areaM2(merged.geometry().symDifference(a.geometry().union(b.geometry()))))
        .isLessThan(0.1);
    int population = CITY.layer("grids").def().requireField("population");
    assertThat(merged.longValue(population)).isEqualTo(1000);
    assertThat(c.successors())
        .containsExactlyInAnyOrderEntriesOf(Map.of(a.id(), WEST_BASE + 19, b.id(), WEST_BASE + 19));

    CityIndex next = CITY.withChange(c);
    everyZoomIsACoverage(next, N * N - 1);
  }

  @Test
  void aMergeOfGridsThatShareNoBoundaryIsRefused() {
    refused(
        Rule.MERGE_NEIGHBOURS,
        () ->
            GridOperations.merge(
                CITY,
                List.of(grid(0, 0).id(), grid(2, 4).id()),
                GridOperations.NewGrid.DERIVED,
                NONE,
                LIMITS));
  }

  @Test
  void aMergeAcrossVillagesIsRefused() {
    refused(
        Rule.MERGE_NEIGHBOURS,
        () ->
            GridOperations.merge(
                CITY,
                List.of(grid(2, 2).id(), grid(3, 2).id()),
                GridOperations.NewGrid.DERIVED,
                NONE,
                LIMITS));
  }

  @Test
  void aRedrawWithOneMoreGridCreatesItWithANewCodeAndReweighsResidents() {
    Feature old = grid(1, 2);
    List<Polygon> parts = GridOperations.cut(old.geometry(), across(old));
    assertThat(parts).hasSize(2);
    GridRedraw.Plan plan =
        GridOperations.create(
            CITY,
            Map.of(old.id(), parts.get(0)),
            List.of(
                new GridOperations.NewOutline(
                    parts.get(1), new GridOperations.NewGrid("新建网格", null))),
            NONE,
            LIMITS);

    int population = CITY.layer("grids").def().requireField("population");
    int name = CITY.layer("grids").def().requireField("name");
    Feature added =
        plan.change().replacements().stream()
            .filter(Change.Replacement::isAdded)
            .map(Change.Replacement::after)
            .findFirst()
            .orElseThrow();
    Feature kept =
        plan.change().replacements().stream()
            .filter(r -> r.id() == old.id())
            .map(Change.Replacement::after)
            .findFirst()
            .orElseThrow();
    assertThat(added.id()).isEqualTo(WEST_BASE + 19);
    assertThat(added.string(name)).isEqualTo("新建网格");
    assertThat(added.longValue(population) + kept.longValue(population)).isEqualTo(500);
    assertThat(kept.longValue(population)).isLessThan(500);

    everyZoomIsACoverage(CITY.withChange(plan.change()), N * N + 1);
  }
}
