package io.gridmap.layers.query.hotspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gridmap.layers.geo.GroundMeasure;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.query.hotspot.HotspotDetector.Cluster;
import io.gridmap.layers.query.hotspot.HotspotDetector.Settings;
import io.gridmap.layers.testing.TestDatasets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;

/**
 * Hotspots on generated points: uniform noise over a 12 km square near Chongqing with clusters
 * planted in it. The clustering is checked against a brute-force DBSCAN (every pair measured); the
 * ranking against what the planted clusters are.
 */
class HotspotDetectorTest {
  static final double LON0 = 106.50;
  static final double LAT0 = 29.50;
  static final double[] K = GroundMeasure.metresPerDegree(LAT0);
  static final Settings S = Settings.DEFAULTS;

  /** Ids: planted clusters from 1, 101, 201 ...; noise from 10,001. */
  static final long NOISE = 10_001;

  /** A point {@code east}, {@code north} metres from the square's south-west corner. */
  static Feature point(long id, double east, double north) {
    return new Feature(
        id,
        TestDatasets.point(LON0 + east / K[0], LAT0 + north / K[1]),
        new Object[Catalogue.EVENTS.fields().size()],
        false);
  }

  /** n points uniformly within {@code radius} metres of (east, north), ids from {@code firstId}. */
  static List<Feature> clump(
      long firstId, int n, double east, double north, double radius, SplittableRandom rng) {
    List<Feature> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double r = radius * Math.sqrt(rng.nextDouble());
      double a = rng.nextDouble() * 2 * Math.PI;
      out.add(point(firstId + i, east + r * Math.cos(a), north + r * Math.sin(a)));
    }
    return out;
  }

  static List<Feature> noise(int n, double side, SplittableRandom rng) {
    List<Feature> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(point(NOISE + i, rng.nextDouble() * side, rng.nextDouble() * side));
    }
    return out;
  }

  static double metres(Feature a, Feature b) {
    Coordinate p = a.geometry().getCoordinate();
    Coordinate q = b.geometry().getCoordinate();
    return GroundMeasure.metres(p.x, p.y, q.x, q.y);
  }

  /**
   * DBSCAN by measuring every pair: core points have minPoints within eps (themselves included),
   * clusters are core points joined through eps, plus the non-core points within eps of a core.
   * Fails when a pair lies within a centimetre of eps or a border point could join two clusters:
   * the fixture would not have one answer.
   */
  static Set<Set<Long>> bruteForce(List<Feature> points) {
    int n = points.size();
    List<List<Integer>> near = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<Integer> within = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        double d = metres(points.get(i), points.get(j));
        assertThat(Math.abs(d - S.epsMetres())).as("pair %d,%d", i, j).isGreaterThan(0.01);
        if (d <= S.epsMetres()) {
          within.add(j);
        }
      }
      near.add(within);
    }
    int[] root = IntStream.range(0, n).toArray();
    boolean[] core = new boolean[n];
    for (int i = 0; i < n; i++) {
      core[i] = near.get(i).size() >= S.minPoints();
    }
    for (int i = 0; i < n; i++) {
      for (int j : near.get(i)) {
        if (core[i] && core[j]) {
          root[find(root, i)] = find(root, j);
        }
      }
    }
    Map<Integer, Set<Long>> clusters = new HashMap<>();
    for (int i = 0; i < n; i++) {
      if (core[i]) {
        clusters.computeIfAbsent(find(root, i), r -> new HashSet<>()).add(points.get(i).id());
      }
    }
    for (int i = 0; i < n; i++) {
      if (core[i]) {
        continue;
      }
      int at = i;
      Set<Integer> joins =
          near.get(i).stream()
              .filter(j -> core[j])
              .map(j -> find(root, j))
              .collect(Collectors.toSet());
      assertThat(joins).as("border point %d", at).hasSizeLessThanOrEqualTo(1);
      joins.forEach(r -> clusters.get(r).add(points.get(at).id()));
    }
    return new HashSet<>(clusters.values());
  }

  private static int find(int[] root, int i) {
    while (root[i] != i) {
      i = root[i];
    }
    return i;
  }

  static LayerIndex layer(List<Feature> points) {
    return LayerIndex.build(new Layer(Catalogue.EVENTS, points));
  }

  static List<Cluster> detect(LayerIndex layer) {
    return HotspotDetector.detect(layer, IntStream.range(0, layer.size()).toArray(), S);
  }

  static Set<Long> ids(LayerIndex layer, Cluster c) {
    return HotspotDetector.features(layer, c).stream().map(Feature::id).collect(Collectors.toSet());
  }

  @Test
  void aPlantedClusterIsFoundWholeAndRankedFirstAndNoiseStaysOut() {
    SplittableRandom rng = new SplittableRandom(1);
    List<Feature> points = new ArrayList<>(noise(250, 12_000, rng));
    List<Feature> planted = clump(1, 20, 4_000, 7_000, 60, rng);
    List<Feature> weaker = clump(101, 6, 9_000, 2_500, 70, rng);
    points.addAll(planted);
    points.addAll(weaker);
    LayerIndex layer = layer(points);

    List<Cluster> clusters = detect(layer);

    Set<Set<Long>> expected = bruteForce(points);
    assertThat(clusters.stream().map(c -> ids(layer, c)).collect(Collectors.toSet()))
        .isEqualTo(expected);
    // the planted clusters, strongest first, and no noise point in either
    assertThat(clusters).hasSize(2);
    assertThat(ids(layer, clusters.get(0)))
        .isEqualTo(planted.stream().map(Feature::id).collect(Collectors.toSet()));
    assertThat(ids(layer, clusters.get(1)))
        .isEqualTo(weaker.stream().map(Feature::id).collect(Collectors.toSet()));
    // the first cluster's description, measured here
    Cluster c = clusters.get(0);
    List<Feature> members = HotspotDetector.features(layer, c);
    double lon =
        members.stream().mapToDouble(f -> f.geometry().getCoordinate().x).average().orElseThrow();
    double lat =
        members.stream().mapToDouble(f -> f.geometry().getCoordinate().y).average().orElseThrow();
    assertThat(c.centreLon()).isCloseTo(lon, within(1e-9));
    assertThat(c.centreLat()).isCloseTo(lat, within(1e-9));
    double farthest =
        members.stream()
            .mapToDouble(
                f -> {
                  Coordinate p = f.geometry().getCoordinate();
                  return GroundMeasure.metres(lon, lat, p.x, p.y);
                })
            .max()
            .orElseThrow();
    assertThat(c.radiusMetres()).isCloseTo(farthest, within(0.01));
    assertThat(c.members()).isSorted().hasSize(c.count());
    assertThat(c.score())
        .isCloseTo(
            c.count() * Math.log(c.count() / c.expected()) - (c.count() - c.expected()),
            within(1e-9));
  }

  @Test
  void sparseNoiseAloneFormsNoCluster() {
    List<Feature> points = noise(150, 12_000, new SplittableRandom(2));
    assertThat(bruteForce(points))
        .as("the fixture: no point has three others within eps")
        .isEmpty();

    assertThat(detect(layer(points))).isEmpty();
  }

  @Test
  void aClumpInAQuietPlaceRanksAboveTheSameClumpAmidBusyGround() {
    SplittableRandom rng = new SplittableRandom(3);
    List<Feature> points = new ArrayList<>();
    // busy ground: a 400 m lattice over 4 km (no two points within eps, so no cluster of its own)
    long id = NOISE;
    for (int i = 0; i <= 10; i++) {
      for (int j = 0; j <= 10; j++) {
        points.add(point(id++, i * 400.0, j * 400.0));
      }
    }
    // one clump in the middle of a lattice cell, the same clump 8 km away from everything
    List<Feature> busy = clump(1, 8, 2_200, 2_200, 40, rng);
    List<Feature> quiet = new ArrayList<>();
    for (Feature f : busy) {
      Coordinate c = f.geometry().getCoordinate();
      quiet.add(
          new Feature(
              f.id() + 100, TestDatasets.point(c.x + 8_000 / K[0], c.y), f.values(), false));
    }
    points.addAll(busy);
    points.addAll(quiet);
    LayerIndex layer = layer(points);

    List<Cluster> clusters = detect(layer);

    assertThat(clusters).hasSize(2);
    assertThat(ids(layer, clusters.get(0)))
        .isEqualTo(quiet.stream().map(Feature::id).collect(Collectors.toSet()));
    assertThat(ids(layer, clusters.get(1)))
        .isEqualTo(busy.stream().map(Feature::id).collect(Collectors.toSet()));
    // the busy clump's neighbourhood holds the lattice: chance would put more points there
    assertThat(clusters.get(1).expected()).isGreaterThan(10 * clusters.get(0).expected());
    assertThat(clusters.get(0).score()).isGreaterThan(clusters.get(1).score());
  }

  @Test
  void aCoreNeedsMinPointsWithinEpsAndOnlyCoresReachFurther() {
    List<Feature> points =
        List.of(
            // a 100 m square: each corner has the other three within eps (141 m across), a core
            point(1, 1_000, 1_000),
            point(2, 1_100, 1_000),
            point(3, 1_000, 1_100),
            point(4, 1_100, 1_100),
            // 139 m from corner 2 and from point 6 only: reached from a core, not a core itself
            point(5, 1_230, 950),
            // 139 m from point 5 only: reached by no core, so noise
            point(6, 1_360, 900),
            // the same square alone: each point has exactly minPoints within eps
            point(201, 3_000, 3_000),
            point(202, 3_100, 3_000),
            point(203, 3_000, 3_100),
            point(204, 3_100, 3_100),
            // a 100 m L elsewhere: each has at most two others within eps
            point(101, 5_000, 5_000),
            point(102, 5_100, 5_000),
            point(103, 5_000, 5_100));
    LayerIndex layer = layer(points);

    List<Cluster> clusters = detect(layer);

    Set<Set<Long>> expected = Set.of(Set.of(1L, 2L, 3L, 4L, 5L), Set.of(201L, 202L, 203L, 204L));
    assertThat(bruteForce(points)).isEqualTo(expected);
    assertThat(clusters.stream().map(c -> ids(layer, c)).collect(Collectors.toSet()))
        .isEqualTo(expected);
  }

  @Test
  void noPointsNoClusters() {
    assertThat(HotspotDetector.detect(layer(List.of()), new int[0], S)).isEmpty();
  }

  @Test
  void settingsRefuseWhatCannotClusterNamingTheValues() {
    assertThat(Settings.DEFAULTS).isEqualTo(new Settings(150, 4, 1000));
    assertThatThrownBy(() -> new Settings(0, 4, 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 0.0, 4, 1000.0");
    assertThatThrownBy(() -> new Settings(150, 1, 1000)).hasMessageContaining("minPoints >= 2");
    assertThatThrownBy(() -> new Settings(150, 4, 150)).hasMessageContaining("background > eps");
  }
}
