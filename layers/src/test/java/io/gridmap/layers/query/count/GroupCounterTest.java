package io.gridmap.layers.query.count;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.index.AdminLevel;
import io.gridmap.layers.index.LayerIndex;
import io.gridmap.layers.index.SyntheticCity;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.query.count.GroupCounter.Bucket;
import io.gridmap.layers.query.count.GroupCounter.Group;
import io.gridmap.layers.testing.TestDatasets;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;

/**
 * Counts by admin unit against where the points actually lie: on {@link SyntheticCity#small()} each
 * event's grid code is checked by nothing but its prefix, and the test counts the events inside
 * each unit's polygon.
 */
class GroupCounterTest {
  static final int GRID_CODE = Catalogue.EVENTS.fieldIndex("grid_code");

  static int[] all(LayerIndex layer) {
    return IntStream.range(0, layer.size()).toArray();
  }

  static Function<Feature, String> unitOf(AdminLevel level) {
    return f -> GroupCounter.adminPrefix((String) f.value(GRID_CODE), level);
  }

  @Test
  void countsByEveryAdminLevelAgreeWithThePointsInsideEachUnit() {
    Dataset city = SyntheticCity.generate(SyntheticCity.small());
    LayerIndex events = LayerIndex.build(city.layer("events"));
    for (AdminLevel level : AdminLevel.values()) {
      Map<String, Long> inside = new HashMap<>();
      for (Feature unit : city.layer(level.layerName()).features()) {
        PreparedGeometry g = PreparedGeometryFactory.prepare(unit.geometry());
        long n = events.features().stream().filter(e -> g.covers(e.geometry())).count();
        if (n > 0) {
          inside.put(Long.toString(unit.id()), n);
        }
      }

      List<Group> groups = GroupCounter.byKey(events, all(events), unitOf(level), null);

      assertThat(groups.stream().collect(Collectors.toMap(Group::key, Group::count)))
          .as(level.name())
          .isEqualTo(inside);
      assertThat(groups)
          .as(level.name())
          .isSortedAccordingTo(
              Comparator.comparingLong(Group::count).reversed().thenComparing(Group::key));
    }
  }

  @Test
  void aPointWithoutAGridCodeIsCountedUnderNullAndUnitsGetTheirNames() {
    Dataset tiny = TestDatasets.tiny();
    LayerIndex events = LayerIndex.build(tiny.layer("events"));
    LayerIndex districts = LayerIndex.build(tiny.layer("districts"));
    int name = Catalogue.DISTRICTS.fieldIndex("name");
    Function<String, String> names =
        code ->
            code.equals("null")
                ? null
                : districts.byId(Long.parseLong(code)).map(d -> d.string(name)).orElse(null);

    List<Group> groups =
        GroupCounter.byKey(events, all(events), unitOf(AdminLevel.DISTRICT), names);

    // two events in 500103, one in 500104, one without a grid code; ties in key order
    assertThat(groups)
        .containsExactly(
            new Group("500103", "渝中区", 2),
            new Group("500104", "大渡口区", 1),
            new Group("null", null, 1));
  }

  @Test
  void aCodeIsCutToItsLevelsDigitsAndATooShortOneHasNoUnit() {
    String grid = "500103001002003";

    assertThat(GroupCounter.adminPrefix(grid, AdminLevel.DISTRICT)).isEqualTo("500103");
    assertThat(GroupCounter.adminPrefix(grid, AdminLevel.STREET)).isEqualTo("500103001");
    assertThat(GroupCounter.adminPrefix(grid, AdminLevel.VILLAGE)).isEqualTo("500103001002");
    assertThat(GroupCounter.adminPrefix(grid, AdminLevel.GRID)).isEqualTo(grid);
    assertThat(GroupCounter.adminPrefix("500103001", AdminLevel.VILLAGE)).isNull();
    assertThat(GroupCounter.adminPrefix(null, AdminLevel.DISTRICT)).isNull();
  }

  @Test
  void monthsAreCountedOnTheCitysClock() {
    int reported = Catalogue.EVENTS.fieldIndex("reported_at");
    // 23:30 on 30 April and 00:30 on 1 May in Chongqing (UTC+8); both 30 April in UTC
    long april = Instant.parse("2024-04-30T15:30:00Z").toEpochMilli();
    long may = Instant.parse("2024-04-30T16:30:00Z").toEpochMilli();
    LayerIndex events =
        LayerIndex.build(
            new Layer(
                Catalogue.EVENTS,
                List.of(
                    event(1, reported, april), event(2, reported, may), event(3, reported, may))));

    assertThat(GroupCounter.byTime(events, all(events), reported, Bucket.MONTH))
        .containsExactly(new Group("2024-04", null, 1), new Group("2024-05", null, 2));
    assertThat(GroupCounter.byTime(events, all(events), reported, Bucket.HOUR_OF_DAY))
        .containsExactly(new Group("00", null, 2), new Group("23", null, 1));
  }

  private static Feature event(long id, int field, long epochMillis) {
    Object[] values = new Object[Catalogue.EVENTS.fields().size()];
    values[field] = epochMillis;
    return new Feature(id, TestDatasets.point(106.5, 29.5), values, false);
  }
}
