package io.gridmap.importer.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.importer.admin.HierarchyProblem.Rule;
import io.gridmap.layers.index.AdminLevel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.WKTReader;

/**
 * The hierarchy rules on a village of 0.01° (about 1 km) cut into four grids, each rule broken by
 * one small change.
 */
class HierarchyCheckTest {
  static final String VILLAGE = "500103001001";

  static Geometry box(double x0, double y0, double x1, double y1) {
    try {
      return new WKTReader()
          .read(
              String.format(
                  java.util.Locale.ROOT,
                  "POLYGON ((%s %s, %s %s, %s %s, %s %s, %s %s))",
                  x0,
                  y0,
                  x1,
                  y0,
                  x1,
                  y1,
                  x0,
                  y1,
                  x0,
                  y0));
    } catch (org.locationtech.jts.io.ParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The village 106.50-106.51 x 29.50-29.51, as four grids 001 to 004 of equal squares. */
  static List<AdminUnit> grids() {
    return List.of(
        new AdminUnit(VILLAGE + "001", box(106.500, 29.500, 106.505, 29.505)),
        new AdminUnit(VILLAGE + "002", box(106.505, 29.500, 106.510, 29.505)),
        new AdminUnit(VILLAGE + "003", box(106.500, 29.505, 106.505, 29.510)),
        new AdminUnit(VILLAGE + "004", box(106.505, 29.505, 106.510, 29.510)));
  }

  static Map<String, Geometry> villages() {
    return Map.of(VILLAGE, box(106.50, 29.50, 106.51, 29.51));
  }

  private static List<HierarchyProblem> check(List<AdminUnit> grids) {
    return HierarchyCheck.check(AdminLevel.GRID, grids, villages(), List.of());
  }

  private static List<AdminUnit> with(int i, String code, Geometry g) {
    List<AdminUnit> out = new java.util.ArrayList<>(grids());
    out.set(i, new AdminUnit(code, g));
    return out;
  }

  @Test
  void gridsThatTileTheirVillageHaveNoProblem() {
    assertThat(check(grids())).isEmpty();
  }

  @Test
  void aGridReachingIntoItsNeighbourIsAnOverlapWithItsGround() {
    // grid 001 widened 0.001° into 002: 0.001° x 0.005°, about 97 m x 556 m
    List<HierarchyProblem> p =
        check(with(0, VILLAGE + "001", box(106.500, 29.500, 106.506, 29.505)));
    // 003 and 004 are named too: 001's top edge now runs past the corner they share with it
    assertThat(p).extracting(HierarchyProblem::rule).containsOnly(Rule.OVERLAP, Rule.EDGES);
    assertThat(p).filteredOn(x -> x.rule() == Rule.OVERLAP).hasSize(1);
    HierarchyProblem overlap =
        p.stream().filter(x -> x.rule() == Rule.OVERLAP).findFirst().orElseThrow();
    assertThat(overlap.code()).isEqualTo(VILLAGE + "001");
    assertThat(overlap.other()).isEqualTo(VILLAGE + "002");
    assertThat(overlap.where().getEnvelopeInternal().getMinX()).isEqualTo(106.505, within());
    assertThat(overlap.areaM2()).isBetween(50_000.0, 60_000.0);
  }

  @Test
  void groundOfTheVillageInNoGridIsAGapNamingTheVillage() {
    List<HierarchyProblem> p =
        check(with(3, VILLAGE + "004", box(106.506, 29.505, 106.510, 29.510)));
    assertThat(p).extracting(HierarchyProblem::rule).contains(Rule.GAP);
    HierarchyProblem gap = p.stream().filter(x -> x.rule() == Rule.GAP).findFirst().orElseThrow();
    assertThat(gap.code()).isEqualTo(VILLAGE);
    assertThat(gap.areaM2()).isBetween(50_000.0, 60_000.0);
  }

  @Test
  void aGridPastItsVillagesOutlineIsOutsideItsParent() {
    List<HierarchyProblem> p =
        check(with(1, VILLAGE + "002", box(106.505, 29.499, 106.510, 29.505)));
    assertThat(p).extracting(HierarchyProblem::rule).contains(Rule.OUTSIDE_PARENT);
    HierarchyProblem out =
        p.stream().filter(x -> x.rule() == Rule.OUTSIDE_PARENT).findFirst().orElseThrow();
    assertThat(out.code()).isEqualTo(VILLAGE + "002");
    assertThat(out.other()).isEqualTo(VILLAGE);
    assertThat(out.where().getEnvelopeInternal().getMaxY()).isEqualTo(29.500, within());
  }

  @Test
  void codesOfTheWrongLengthOrOfAnotherVillageAreNamed() {
    Geometry g = grids().get(0).geometry();
    assertThat(check(with(0, "50010300100100", g)))
        .extracting(HierarchyProblem::rule)
        .contains(Rule.BAD_CODE);
    List<HierarchyProblem> p = check(with(0, "500103001999001", g));
    assertThat(p).extracting(HierarchyProblem::rule).contains(Rule.NOT_NESTED);
    assertThat(
            p.stream().filter(x -> x.rule() == Rule.NOT_NESTED).findFirst().orElseThrow().other())
        .isEqualTo("500103001999");
  }

  @Test
  void aNewVillageOutlineThatLeavesItsGridsOutOrDropsTheirVillageIsCheckedAgainstThem() {
    Map<String, Geometry> streets = Map.of("500103001", box(106.4, 29.4, 106.6, 29.6));
    // the village shrunk by a strip: its grids 002 and 004 reach outside it
    List<HierarchyProblem> shrunk =
        HierarchyCheck.check(
            AdminLevel.VILLAGE,
            List.of(new AdminUnit(VILLAGE, box(106.50, 29.50, 106.509, 29.51))),
            streets,
            grids());
    assertThat(shrunk)
        .filteredOn(x -> x.rule() == Rule.OUTSIDE_PARENT)
        .extracting(HierarchyProblem::layer, HierarchyProblem::code)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("grids", VILLAGE + "002"),
            org.assertj.core.groups.Tuple.tuple("grids", VILLAGE + "004"));
    // the village under another code: its grids have no village
    List<HierarchyProblem> renamed =
        HierarchyCheck.check(
            AdminLevel.VILLAGE,
            List.of(new AdminUnit("500103001002", villages().get(VILLAGE))),
            streets,
            grids());
    assertThat(renamed).filteredOn(x -> x.rule() == Rule.ORPHAN).hasSize(4);
  }

  @Test
  void neighboursWhoseSharedEdgeDoesNotMatchVertexForVertexAreNamed() {
    // 001's right edge gets a vertex on the line that 002 does not have: no ground changes hands
    Geometry bent;
    try {
      bent =
          new WKTReader()
              .read(
                  "POLYGON ((106.5 29.5, 106.505 29.5, 106.505 29.5025, 106.505 29.505,"
                      + " 106.5 29.505, 106.5 29.5))");
    } catch (org.locationtech.jts.io.ParseException e) {
      throw new IllegalArgumentException(e);
    }
    List<HierarchyProblem> p = check(with(0, VILLAGE + "001", bent));
    assertThat(p).extracting(HierarchyProblem::rule).contains(Rule.EDGES);
    assertThat(p).extracting(HierarchyProblem::rule).doesNotContain(Rule.OVERLAP);
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
