package io.gridmap.layers.generalise;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.edit.Change;
import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.index.GeneralisedIndex;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Generalised;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.testing.SharedBoundary;
import io.gridmap.layers.testing.TestGrids;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Geometry;

class LocalCoverageGeneraliserTest {
  private static final int N = 8;

  /** Every polygon the index draws at a zoom. */
  private static Geometry[] drawn(CityIndex index, int zoom) {
    GeneralisedIndex gi = index.generalised("grids", zoom).orElseThrow();
    Geometry[] out = new Geometry[gi.size()];
    for (int o = 0; o < out.length; o++) {
      out[o] = gi.geometry(o);
    }
    return out;
  }

  private static Geometry drawn(CityIndex index, int zoom, long id) {
    GeneralisedIndex gi = index.generalised("grids", zoom).orElseThrow();
    return gi.geometry(gi.ordinalOf(id));
  }

  /**
   * Slides the node where grid (i, j), the one above it and a diagonal neighbour meet, if one can
   * be slid.
   */
  private static Optional<SharedBoundary.Move> slide(CityIndex city, int n, int i, int j) {
    Geometry a = city.layer("grids").byId(TestGrids.id(n, i, j)).orElseThrow().geometry();
    Geometry b = city.layer("grids").byId(TestGrids.id(n, i, j + 1)).orElseThrow().geometry();
    for (int di : new int[] {1, -1}) {
      if (i + di >= 0 && i + di < n) {
        Geometry c =
            city.layer("grids").byId(TestGrids.id(n, i + di, j + 1)).orElseThrow().geometry();
        Optional<SharedBoundary.Move> m = SharedBoundary.slideNode(a, b, c);
        if (m.isPresent()) {
          return m;
        }
      }
    }
    return Optional.empty();
  }

  /** The change of a move with the local generalisation's polygons (or others). */
  private static Change change(
      CityIndex city,
      long a,
      long b,
      SharedBoundary.Move m,
      Map<Integer, Map<Long, Geometry>> polygons) {
    Feature fa = city.layer("grids").byId(a).orElseThrow();
    Feature fb = city.layer("grids").byId(b).orElseThrow();
    return new Change(
        "grids",
        List.of(
            new Change.Replacement(fa, new Feature(a, m.first(), fa.values(), false)),
            new Change.Replacement(fb, new Feature(b, m.second(), fb.values(), false))),
        polygons);
  }

  private static boolean coverageAtEveryZoom(CityIndex index, int n) {
    for (int z = 12; z <= 14; z++) {
      Geometry[] all = drawn(index, z);
      // gap width: half a metre, a fifth of the z14 tolerance; the fixture's outline is straight,
      // so only slivers can be flagged
      if (all.length != n * n
          || CoverageValidator.hasInvalidResult(CoverageValidator.validate(all, 0.5))) {
        return false;
      }
    }
    return true;
  }

  @Test
  void aSlidNodeGivesPolygonsThatFitTheUntouchedOnesAtEveryZoom() {
    CityIndex city = CityIndex.build(TestGrids.city(N, 11));
    long a = TestGrids.id(N, 3, 3);
    long b = TestGrids.id(N, 3, 4);
    SharedBoundary.Move m = slide(city, N, 3, 3).orElseThrow();
    LocalCoverageGeneraliser.Result r =
        LocalCoverageGeneraliser.regeneralise(city, "grids", Map.of(a, m.first(), b, m.second()));

    assertThat(r.consistent()).as(r.failure()).isTrue();
    assertThat(r.rings()).isEqualTo(1);
    assertThat(r.polygons().get(14)).containsKeys(a, b);
    assertThat(r.recomputed()).as("S and its neighbours").isLessThanOrEqualTo(2 + 10);
    CityIndex next = city.withChange(change(city, a, b, m, r.polygons()));
    assertThat(coverageAtEveryZoom(next, N)).isTrue();
    assertThat(
            drawn(next, 14, a)
                .contains(
                    drawn(next, 14, a).getFactory().createPoint(WebMercator.project(m.probe()))))
        .as("the area that changed hands is drawn in its new grid")
        .isTrue();
  }

  @Test
  void theNeighboursMustBeGeneralisedAgainToo() {
    // with only the two redrawn grids' polygons replaced, the neighbour whose boundary got a new
    // node keeps a stale outline at some zoom: a sliver or an overlap
    CityIndex city = CityIndex.build(TestGrids.city(N, 11));
    int stale = 0;
    int moves = 0;
    for (int i = 1; i < N - 1; i++) {
      for (int j = 1; j < N - 2; j++) {
        long a = TestGrids.id(N, i, j);
        long b = TestGrids.id(N, i, j + 1);
        Optional<SharedBoundary.Move> m = slide(city, N, i, j);
        if (m.isEmpty()) {
          continue;
        }
        moves++;
        LocalCoverageGeneraliser.Result r =
            LocalCoverageGeneraliser.regeneralise(
                city, "grids", Map.of(a, m.get().first(), b, m.get().second()));
        Map<Integer, Map<Long, Geometry>> onlyS = new java.util.HashMap<>();
        r.polygons()
            .forEach(
                (z, byId) -> {
                  Map<Long, Geometry> s = new java.util.HashMap<>(byId);
                  s.keySet().retainAll(List.of(a, b));
                  onlyS.put(z, s);
                });
        if (!coverageAtEveryZoom(city.withChange(change(city, a, b, m.get(), onlyS)), N)) {
          stale++;
        }
        assertThat(
                coverageAtEveryZoom(city.withChange(change(city, a, b, m.get(), r.polygons())), N))
            .isTrue();
      }
    }
    assertThat(moves).isGreaterThan(10);
    assertThat(stale).as("moves whose neighbours' polygons had to change").isPositive();
  }

  @Test
  void manyEditsInARowKeepEveryZoomACoverage() {
    CityIndex city = CityIndex.build(TestGrids.city(N, 5));
    Random rnd = new Random(3);
    int moves = 0;
    for (int attempt = 0; attempt < 80 && moves < 30; attempt++) {
      int i = rnd.nextInt(N);
      int j = rnd.nextInt(N - 1);
      long a = TestGrids.id(N, i, j);
      long b = TestGrids.id(N, i, j + 1);
      Optional<SharedBoundary.Move> m =
          rnd.nextBoolean()
              ? slide(city, N, i, j)
              : SharedBoundary.move(
                  city.layer("grids").byId(a).orElseThrow().geometry(),
                  city.layer("grids").byId(b).orElseThrow().geometry(),
                  2 + rnd.nextDouble() * 18);
      if (m.isEmpty()) {
        continue;
      }
      LocalCoverageGeneraliser.Result r =
          LocalCoverageGeneraliser.regeneralise(
              city, "grids", Map.of(a, m.get().first(), b, m.get().second()));
      assertThat(r.consistent()).as(r.failure()).isTrue();
      city = city.withChange(change(city, a, b, m.get(), r.polygons()));
      moves++;
      assertThat(coverageAtEveryZoom(city, N))
          .as("after edit " + moves + " (" + a + "|" + b + ")")
          .isTrue();
    }
    assertThat(moves).isGreaterThanOrEqualTo(20);
  }

  @Test
  void aGridOnTheLayersOuterEdge() {
    // its free boundary has no neighbour to match; the ring around it is open on that side
    CityIndex city = CityIndex.build(TestGrids.city(N, 13));
    long a = TestGrids.id(N, 0, 0);
    long b = TestGrids.id(N, 0, 1);
    SharedBoundary.Move m = slide(city, N, 0, 0).orElseThrow();
    LocalCoverageGeneraliser.Result r =
        LocalCoverageGeneraliser.regeneralise(city, "grids", Map.of(a, m.first(), b, m.second()));
    assertThat(r.consistent()).as(r.failure()).isTrue();
    assertThat(coverageAtEveryZoom(city.withChange(change(city, a, b, m, r.polygons())), N))
        .isTrue();
  }

  /**
   * An index whose stored polygons were simplified twice as hard as a local run does (each zoom
   * holds what the chain makes one zoom lower), so no ring of neighbours fits them: the run has to
   * widen until nothing is left around it.
   */
  private static CityIndex coarselyGeneralised(int n, long seed) {
    Dataset d = TestGrids.city(n, seed);
    Layer grids = d.layer("grids");
    List<Long> ids = new ArrayList<>();
    List<Geometry> projected = new ArrayList<>();
    grids
        .features()
        .forEach(
            f -> {
              ids.add(f.id());
              projected.add(WebMercator.project(f.geometry()));
            });
    Map<Integer, Map<Long, Geometry>> coarse = CoverageGeneraliser.chain(ids, projected, 13, 11);
    Generalised g = Generalised.empty();
    coarse.forEach((z, byId) -> g.put("grids", z + 1, byId));
    return CityIndex.build(Dataset.of(List.of(grids), d.metadata(), g));
  }

  @Test
  void theRingWidensUntilTheNewPolygonsFit() {
    int n = 4;
    CityIndex city = coarselyGeneralised(n, 2);
    long a = TestGrids.id(n, 1, 1);
    long b = TestGrids.id(n, 1, 2);
    SharedBoundary.Move m = slide(city, n, 1, 1).orElseThrow();
    LocalCoverageGeneraliser.Result r =
        LocalCoverageGeneraliser.regeneralise(city, "grids", Map.of(a, m.first(), b, m.second()));
    assertThat(r.consistent()).as(r.failure()).isTrue();
    assertThat(r.rings()).as("rings kept").isGreaterThan(1);
    assertThat(r.context()).as("the whole small layer was kept").isZero();
    assertThat(coverageAtEveryZoom(city.withChange(change(city, a, b, m, r.polygons())), n))
        .isTrue();
  }

  @Test
  void givesUpAfterMaxRingsSayingWhere() {
    int n = 14;
    CityIndex city = coarselyGeneralised(n, 2);
    long a = TestGrids.id(n, 6, 6);
    long b = TestGrids.id(n, 6, 7);
    SharedBoundary.Move m = slide(city, n, 6, 6).orElseThrow();
    LocalCoverageGeneraliser.Result r =
        LocalCoverageGeneraliser.regeneralise(city, "grids", Map.of(a, m.first(), b, m.second()));
    assertThat(r.consistent()).isFalse();
    assertThat(r.failure()).containsPattern("zoom 1[234]").contains("near (106.");
    assertThat(r.polygons()).isEmpty();
  }

  @Test
  void aLayerWithoutGeneralisedPolygonsLeavesProjectionToTheIndex() {
    Dataset d = TestGrids.city(4, 2);
    Layer grids = d.layer("grids");
    CityIndex bare = CityIndex.build(Dataset.of(List.of(grids), d.metadata(), Generalised.empty()));
    Feature f = grids.features().get(0);
    LocalCoverageGeneraliser.Result r =
        LocalCoverageGeneraliser.regeneralise(bare, "grids", Map.of(f.id(), f.geometry()));
    assertThat(r.consistent()).isTrue();
    assertThat(r.polygons()).isEmpty();
  }
}
