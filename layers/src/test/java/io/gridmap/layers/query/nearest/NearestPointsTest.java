package io.gridmap.layers.query.nearest;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.geo.GroundMeasure;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.index.SyntheticCity;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.query.nearest.NearestPoints.Neighbour;
import io.gridmap.layers.testing.TestDatasets;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;

/**
 * The k nearest points against a scan of every point of the layer, on {@link SyntheticCity#small()}
 * (3,000 events and 600 key sites, a tenth of these personal, dense in the centre and sparse at the
 * edges).
 */
class NearestPointsTest {
  static LayerIndex events;
  static LayerIndex keySites;
  static Envelope bounds;

  @BeforeAll
  static void build() {
    Dataset city = SyntheticCity.generate(SyntheticCity.small());
    events = LayerIndex.build(city.layer("events"));
    keySites = LayerIndex.build(city.layer("key_sites"));
    bounds = events.bounds();
  }

  /** Every point the filter accepts within maxMetres, nearest first, ties by id, the first k. */
  static List<Neighbour> scan(
      LayerIndex layer,
      double lon,
      double lat,
      int k,
      Predicate<Feature> filter,
      double maxMetres,
      boolean includePersonal) {
    return layer.features().stream()
        .filter(f -> includePersonal || !f.personal())
        .filter(f -> filter == null || filter.test(f))
        .map(
            f -> {
              Coordinate c = f.geometry().getCoordinate();
              return new Neighbour(f, GroundMeasure.metres(lon, lat, c.x, c.y));
            })
        .filter(n -> n.metres() <= maxMetres)
        .sorted(
            Comparator.comparingDouble(Neighbour::metres).thenComparingLong(n -> n.feature().id()))
        .limit(k)
        .toList();
  }

  static void assertSame(List<Neighbour> got, List<Neighbour> expected, String what) {
    assertThat(got.stream().map(n -> n.feature().id()).toList())
        .as(what)
        .isEqualTo(expected.stream().map(n -> n.feature().id()).toList());
    assertThat(got.stream().map(Neighbour::metres).toList())
        .as(what)
        .isEqualTo(expected.stream().map(Neighbour::metres).toList());
  }

  @Test
  void theKNearestAgreeWithAScanOfEveryPoint() {
    SplittableRandom rng = new SplittableRandom(3);
    int grown = 0;
    for (int i = 0; i < 300; i++) {
      // over the city and a margin around it, where the nearest point can be kilometres away
      double lon = bounds.getMinX() - 0.05 + rng.nextDouble() * (bounds.getWidth() + 0.1);
      double lat = bounds.getMinY() - 0.05 + rng.nextDouble() * (bounds.getHeight() + 0.1);
      int k = new int[] {1, 7, 30}[i % 3];
      double max = new double[] {300, 3_000, 50_000}[rng.nextInt(3)];
      List<Neighbour> expected = scan(events, lon, lat, k, null, max, false);

      List<Neighbour> got = NearestPoints.nearest(events, lon, lat, k, null, max);

      assertSame(got, expected, "k=" + k + " max=" + max + " at " + lon + "," + lat);
      if (!got.isEmpty() && got.get(got.size() - 1).metres() > 500) {
        grown++; // the answer needed a box larger than the first 500 m one
      }
    }
    assertThat(grown).isGreaterThan(20);
  }

  @Test
  void nothingFartherThanMaxMetresIsReturnedEvenWhenFewerThanKAreLeft() {
    double lon = bounds.getMaxX() + 0.2; // about 20 km east of the city
    double lat = bounds.centre().y;

    assertThat(NearestPoints.nearest(events, lon, lat, 5, null, 1_000)).isEmpty();
    List<Neighbour> far = NearestPoints.nearest(events, lon, lat, 5, null, 100_000);
    assertThat(far).hasSize(5);
    assertThat(far.get(0).metres()).isGreaterThan(15_000);
    assertSame(far, scan(events, lon, lat, 5, null, 100_000, false), "20 km east");
  }

  @Test
  void personalPointsAreLeftOutUnlessAskedFor() {
    SplittableRandom rng = new SplittableRandom(9);
    int differ = 0;
    for (int i = 0; i < 100; i++) {
      double lon = bounds.getMinX() + rng.nextDouble() * bounds.getWidth();
      double lat = bounds.getMinY() + rng.nextDouble() * bounds.getHeight();

      List<Neighbour> open = NearestPoints.nearest(keySites, lon, lat, 10, null, 20_000);
      List<Neighbour> staff = NearestPoints.nearest(keySites, lon, lat, 10, null, 20_000, true);

      assertThat(open).noneMatch(n -> n.feature().personal());
      assertSame(open, scan(keySites, lon, lat, 10, null, 20_000, false), "public");
      assertSame(staff, scan(keySites, lon, lat, 10, null, 20_000, true), "staff");
      if (staff.stream().anyMatch(n -> n.feature().personal())) {
        differ++;
      }
    }
    assertThat(differ).as("queries whose staff answer holds a personal point").isGreaterThan(10);
  }

  @Test
  void aFilterChoosesTheCandidatesAndStillKAreReturned() {
    int category = Catalogue.EVENTS.fieldIndex("category");
    Predicate<Feature> manholes = f -> "manhole_cover".equals(f.value(category));
    double lon = bounds.centre().x;
    double lat = bounds.centre().y;

    List<Neighbour> got = NearestPoints.nearest(events, lon, lat, 12, manholes, 50_000);

    assertThat(got).hasSize(12).allMatch(n -> manholes.test(n.feature()));
    assertSame(got, scan(events, lon, lat, 12, manholes, 50_000, false), "manhole covers");
  }

  @Test
  void pointsAtTheSameDistanceComeInIdOrder() {
    // ids 9 and 4 at the same distance east and west of the query point, 6 farther north
    double lon = 106.5;
    double lat = 29.5;
    LayerIndex layer =
        LayerIndex.build(
            new Layer(
                Catalogue.EVENTS,
                List.of(
                    event(9, lon + 0.001, lat),
                    event(6, lon, lat + 0.0015),
                    event(4, lon - 0.001, lat))));

    List<Neighbour> got = NearestPoints.nearest(layer, lon, lat, 2, null, 1_000);

    assertThat(got.stream().map(n -> n.feature().id())).containsExactly(4L, 9L);
    assertThat(got.get(0).metres()).isEqualTo(got.get(1).metres());
  }

  private static Feature event(long id, double lon, double lat) {
    return new Feature(
        id, TestDatasets.point(lon, lat), new Object[Catalogue.EVENTS.fields().size()], false);
  }
}
