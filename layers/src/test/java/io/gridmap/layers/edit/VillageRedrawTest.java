package io.gridmap.layers.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.layers.edit.EditRefused.Rule;
import io.gridmap.layers.generalise.CoverageGeneraliser;
import io.gridmap.layers.geo.GroundMeasure;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.DatasetMetadata;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.testing.TestGrids;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.coverage.CoverageUnion;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.operation.overlayng.OverlayNG;

/**
 * Redrawing the boundary of two villages moves their grids with it. The city: {@link TestGrids}' 8
 * × 8 grids of about 200 m, two columns a village: {@link #V1}, {@link #V2}, {@link #V3} of street
 * 500103001 and {@link #V4} of street 500103002, west to east.
 */
class VillageRedrawTest {
  static final String V1 = "500103001001";
  static final String V2 = "500103001002";
  static final String V3 = "500103001003";
  static final String V4 = "500103002001";
  private static final int N = 8;
  private static final double STEP = 0.002;
  private static final GeometryFactory F = new GeometryFactory();
  private static final CityIndex CITY = CityIndex.build(city());

  /** Column i, row j of the city, with villages of two columns each. */
  private static Dataset city() {
    Dataset base = TestGrids.city(N, 11);
    Map<Long, Feature> grids = new TreeMap<>();
    Map<String, List<Geometry>> villageParts = new TreeMap<>();
    for (Feature f : base.layer("grids").features()) {
      Coordinate c = f.geometry().getInteriorPoint().getCoordinate();
      int i = (int) Math.floor((c.x - 106.5) / STEP);
      int j = (int) Math.floor((c.y - 29.5) / STEP);
      String village = List.of(V1, V2, V3, V4).get(i / 2);
      long id = Long.parseLong(village + String.format("%03d", (i % 2) * N + j + 1));
      String code = Long.toString(id);
      Object[] values = {
        code,
        "第" + (id % 1000) + "网格",
        village,
        village.substring(0, 9),
        village.substring(0, 6),
        500L,
        180L,
        id * 100,
        "worker " + id
      };
      grids.put(id, new Feature(id, f.geometry(), values, false));
      villageParts.computeIfAbsent(village, k -> new ArrayList<>()).add(f.geometry());
    }
    List<Feature> villages = new ArrayList<>();
    villageParts.forEach(
        (code, parts) -> {
          Object[] values = {
            code, "村" + code.substring(9), "village", code.substring(0, 9), "500103", 8000L, 2880L
          };
          villages.add(
              new Feature(
                  Long.parseLong(code),
                  CoverageUnion.union(parts.toArray(Geometry[]::new)),
                  values,
                  false));
        });
    Layer gridLayer = new Layer(Catalogue.GRIDS, new ArrayList<>(grids.values()));
    Layer villageLayer = new Layer(Catalogue.VILLAGES, villages);
    Generalised g = Generalised.empty();
    CoverageGeneraliser.generalise(gridLayer, g);
    CoverageGeneraliser.generalise(villageLayer, g);
    DatasetMetadata meta =
        new DatasetMetadata(
            "village-redraw",
            11,
            1.0,
            List.of("500103"),
            "2025-01-01T00:00:00Z",
            Map.of("grids", grids.size(), "villages", villages.size()),
            List.of(),
            Map.of());
    return Dataset.of(List.of(villageLayer, gridLayer), meta, g);
  }

  private static Geometry village(CityIndex index, String code) {
    return index.layer("villages").byId(Long.parseLong(code)).orElseThrow().geometry();
  }

  private static Feature grid(String village, int column, int row) {
    return CITY.layer("grids")
        .byId(Long.parseLong(village + String.format("%03d", column * N + row + 1)))
        .orElseThrow();
  }

  private static Geometry overlay(Geometry a, Geometry b, int op) {
    return OverlayNG.overlay(a, b, op, GridRedraw.PRECISION);
  }

  /**
   * V1 takes from V2 a band 100 m wide (half a column) between the middles of rows 2 and 5: V1's
   * new outline and V2's, both as a planner would draw them.
   */
  private static Map<String, Geometry> bandToV1() {
    return bandToV1(2.5, 5.5);
  }

  /** As {@link #bandToV1()}, the band between rows {@code from} and {@code to} (in rows). */
  private static Map<String, Geometry> bandToV1(double from, double to) {
    double x0 = 106.5 + 2 * STEP;
    Geometry band =
        F.toGeometry(new Envelope(x0 - STEP, x0 + STEP / 2, 29.5 + from * STEP, 29.5 + to * STEP));
    Geometry v1 = village(CITY, V1);
    Geometry v2 = village(CITY, V2);
    Geometry taken = overlay(band, v2, OverlayNG.INTERSECTION);
    Map<String, Geometry> out = new LinkedHashMap<>();
    out.put(V1, overlay(v1, taken, OverlayNG.UNION));
    out.put(V2, overlay(v2, band, OverlayNG.DIFFERENCE));
    return out;
  }

  private static void refused(Rule rule, ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            EditRefused.class, e -> assertThat(e.rule()).as(e.getMessage()).isEqualTo(rule));
  }

  private static EditRefused refusal(Map<String, Geometry> outlines) {
    try {
      VillageRedraw.plan(CITY, outlines, GridRedraw.Limits.standard());
    } catch (EditRefused e) {
      return e;
    }
    throw new AssertionError("the redraw was accepted");
  }

  @Test
  void aMovedBoundaryTakesTheGridsAlongAndKeepsEveryGridACoverage() {
    Map<String, Geometry> asked = bandToV1();
    VillageRedraw.Plan plan = VillageRedraw.plan(CITY, asked, GridRedraw.Limits.standard());

    assertThat(plan.villages()).containsExactly(V1, V2);
    CityIndex next = CITY.withChange(plan.grids().change());
    LayerIndex grids = next.layer("grids");
    int villageField = grids.def().requireField("village_code");
    // the band's grids in V2's column 2 lost their western part; V1's column 1 grids took it
    assertThat(plan.grids().redrawn())
        .contains(grid(V2, 0, 3).id(), grid(V2, 0, 4).id())
        .allMatch(id -> Long.toString(id).startsWith(V1) || Long.toString(id).startsWith(V2));
    Coordinate probe = new Coordinate(106.5 + 2.35 * STEP, 29.5 + 4.5 * STEP);
    long holder =
        grids.features().stream()
            .filter(g -> g.geometry().covers(F.createPoint(probe)))
            .findFirst()
            .orElseThrow()
            .id();
    assertThat(Long.toString(holder)).as("a point of the band is now in V1").startsWith(V1);
    assertThat(grid(V2, 0, 4).geometry().covers(F.createPoint(probe))).as("it was in V2").isTrue();

    for (String v : List.of(V1, V2)) {
      List<Geometry> parts = new ArrayList<>();
      grids.features().stream()
          .filter(g -> v.equals(g.string(villageField)))
          .forEach(g -> parts.add(g.geometry()));
      Geometry union = CoverageUnion.union(parts.toArray(Geometry[]::new));
      assertThat(GroundMeasure.areaM2(overlay(union, asked.get(v), OverlayNG.SYMDIFFERENCE)))
          .as("village " + v + "'s grids cover its new outline")
          .isLessThan(GridRedraw.AREA_TOLERANCE_M2);
    }
    Geometry oldUnion = overlay(village(CITY, V1), village(CITY, V2), OverlayNG.UNION);
    Geometry newUnion = overlay(asked.get(V1), asked.get(V2), OverlayNG.UNION);
    assertThat(GroundMeasure.areaM2(overlay(oldUnion, newUnion, OverlayNG.SYMDIFFERENCE)))
        .as("the two villages together cover what they did")
        .isLessThan(GridRedraw.AREA_TOLERANCE_M2);

    Geometry[] all = grids.features().stream().map(Feature::geometry).toArray(Geometry[]::new);
    assertThat(CoverageValidator.hasInvalidResult(CoverageValidator.validate(all)))
        .as("every grid of the city, vertex for vertex, no gap, no overlap")
        .isFalse();

    List<Change> villages = VillageOutlines.after(CITY, plan.grids().change());
    assertThat(villages).hasSize(1);
    assertThat(villages.get(0).after()).extracting(Feature::id).hasSize(2);
    for (Feature v : villages.get(0).after()) {
      assertThat(
              GroundMeasure.areaM2(
                  overlay(v.geometry(), asked.get(Long.toString(v.id())), OverlayNG.SYMDIFFERENCE)))
          .as("village " + v.id() + " as stored is as requested")
          .isLessThan(GridRedraw.AREA_TOLERANCE_M2);
    }
  }

  @Test
  void theTwoSidesOfTheNewBoundaryShareTheirVertices() {
    VillageRedraw.Plan plan = VillageRedraw.plan(CITY, bandToV1(), GridRedraw.Limits.standard());
    CityIndex next = CITY.withChange(plan.grids().change());
    LayerIndex grids = next.layer("grids");
    // every redrawn grid with each neighbour: the boundary they share is a line, and every vertex
    // of one along it is a vertex of the other
    int pairs = 0;
    for (long id : plan.grids().redrawn()) {
      Geometry g = grids.byId(id).orElseThrow().geometry();
      for (Feature n : grids.query(g.getEnvelopeInternal())) {
        if (n.id() == id || n.geometry().relate(g).get(1, 1) < 1) {
          continue; // not a neighbour along a line
        }
        Geometry shared = overlay(g.getBoundary(), n.geometry().getBoundary(), 0);
        java.util.Set<Coordinate> mine = new java.util.HashSet<>(List.of(g.getCoordinates()));
        java.util.Set<Coordinate> theirs =
            new java.util.HashSet<>(List.of(n.geometry().getCoordinates()));
        for (Coordinate c : shared.getCoordinates()) {
          assertThat(mine.contains(c) && theirs.contains(c))
              .as("vertex " + c + " between " + id + " and " + n.id())
              .isTrue();
        }
        pairs++;
      }
    }
    assertThat(pairs).isGreaterThan(4);
  }

  @Test
  void aGainedPieceGoesToTheGridSharingTheLongestBoundaryWithIt() {
    // rows 3.9 to 4.7: the corner between rows 3 and 4 lies within 0.2 rows of row 4 (the
    // city's jitter), so the piece borders grid (1, 4) along at least 0.5 rows, (1, 3) along at
    // most 0.3; (1, 3) comes first in code order
    Map<String, Geometry> asked = bandToV1(3.9, 4.7);
    VillageRedraw.Plan plan = VillageRedraw.plan(CITY, asked, GridRedraw.Limits.standard());
    long row3 = grid(V1, 1, 3).id();
    long row4 = grid(V1, 1, 4).id();
    assertThat(plan.grids().redrawn()).contains(row4);
    LayerIndex after = CITY.withChange(plan.grids().change()).layer("grids");
    Geometry now = after.byId(row4).orElseThrow().geometry();
    // (1, 3) may gain a vertex where the piece's corner meets it, never area
    assertThat(
            GroundMeasure.areaM2(
                overlay(
                    after.byId(row3).orElseThrow().geometry(),
                    grid(V1, 1, 3).geometry(),
                    OverlayNG.SYMDIFFERENCE)))
        .isLessThan(GridRedraw.AREA_TOLERANCE_M2);
    Geometry piece = overlay(asked.get(V1), village(CITY, V1), OverlayNG.DIFFERENCE);
    assertThat(GroundMeasure.areaM2(overlay(piece, now, OverlayNG.DIFFERENCE)))
        .as("all of the piece went to grid (1, 4)")
        .isLessThan(GridRedraw.AREA_TOLERANCE_M2);
    assertThat(GroundMeasure.areaM2(piece)).isGreaterThan(1_000);
  }

  @Test
  void aGridLeftWithoutAreaIsNamedWithItsOutline() {
    Feature swallowed = grid(V2, 0, 3);
    Map<String, Geometry> asked = new LinkedHashMap<>();
    asked.put(V1, overlay(village(CITY, V1), swallowed.geometry(), OverlayNG.UNION));
    asked.put(V2, overlay(village(CITY, V2), swallowed.geometry(), OverlayNG.DIFFERENCE));
    EditRefused e = refusal(asked);
    assertThat(e.rule()).as(e.getMessage()).isEqualTo(Rule.NOT_EMPTY);
    assertThat(e.feature()).isEqualTo(swallowed.id());
    assertThat(e.violations().get(0).where().equalsExact(swallowed.geometry())).isTrue();
  }

  @Test
  void outlinesThatChangeTheirUnionAreRefusedWithWhere() {
    Map<String, Geometry> grown = new LinkedHashMap<>(bandToV1());
    Geometry outside = F.toGeometry(new Envelope(106.49, 106.5, 29.505, 29.506));
    grown.put(V1, overlay(grown.get(V1), outside, OverlayNG.UNION));
    EditRefused e = refusal(grown);
    assertThat(e.rule()).as(e.getMessage()).isEqualTo(Rule.SAME_OUTLINE);
    assertThat(e.violations().get(0).where().getArea()).isCloseTo(outside.getArea(), within(1e-9));

    Map<String, Geometry> shrunk = new LinkedHashMap<>(bandToV1());
    Geometry cut = grid(V2, 1, 7).geometry();
    shrunk.put(V2, overlay(shrunk.get(V2), cut, OverlayNG.DIFFERENCE));
    EditRefused gap = refusal(shrunk);
    assertThat(gap.rule()).as(gap.getMessage()).isEqualTo(Rule.NO_GAP);
    assertThat(gap.feature()).isEqualTo(Long.parseLong(V2));

    Map<String, Geometry> overlapping = new LinkedHashMap<>(bandToV1());
    overlapping.put(V2, village(CITY, V2));
    refused(
        Rule.NO_OVERLAP, () -> VillageRedraw.plan(CITY, overlapping, GridRedraw.Limits.standard()));
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }

  @Test
  void villagesOfTwoStreetsOrNotNeighboursAreRefused() {
    Map<String, Geometry> streets = new LinkedHashMap<>();
    streets.put(V3, village(CITY, V3));
    streets.put(V4, village(CITY, V4));
    EditRefused e = refusal(streets);
    assertThat(e.rule()).isEqualTo(Rule.ONE_VILLAGE);
    assertThat(e.getMessage()).contains("another street");

    Map<String, Geometry> apart = new LinkedHashMap<>();
    apart.put(V1, village(CITY, V1));
    apart.put(V3, village(CITY, V3));
    EditRefused a = refusal(apart);
    assertThat(a.rule()).isEqualTo(Rule.ONE_VILLAGE);
    assertThat(a.getMessage()).contains("share no stretch of boundary");

    refused(
        Rule.ONE_VILLAGE,
        () ->
            VillageRedraw.plan(CITY, Map.of(V1, village(CITY, V1)), GridRedraw.Limits.standard()));
    assertThat(refusal(Map.of(V1, village(CITY, V1), "500103001009", village(CITY, V2))).rule())
        .isEqualTo(Rule.UNKNOWN_FEATURE);
  }

  @Test
  void theOutlinesAsTheyAreChangeNothing() {
    Map<String, Geometry> same = new LinkedHashMap<>();
    same.put(V1, village(CITY, V1));
    same.put(V2, village(CITY, V2));
    assertThat(refusal(same).rule()).isEqualTo(Rule.NO_CHANGE);
  }
}
