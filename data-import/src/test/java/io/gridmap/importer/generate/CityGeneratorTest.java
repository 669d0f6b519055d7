package io.gridmap.importer.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.layers.geo.GroundMeasure;
import io.gridmap.layers.model.Board;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.EventCategory;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Field;
import io.gridmap.layers.model.ForceRole;
import io.gridmap.layers.model.IncidentState;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.algorithm.locate.IndexedPointInAreaLocator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Location;

class CityGeneratorTest {
  private static Dataset city;

  @BeforeAll
  static void generate() {
    city = SmallCity.city();
  }

  private static Map<String, Feature> byCode(String layer) {
    Layer l = city.layer(layer);
    int code = l.def().requireField("code");
    return l.features().stream().collect(Collectors.toMap(f -> f.string(code), f -> f));
  }

  @Test
  void hasTheSevenCatalogueLayersInOrder() {
    assertThat(city.layers().keySet())
        .containsExactly(
            "districts", "streets", "villages", "grids", "key_sites", "forces", "events");
    assertThat(city.layer("districts").size()).isEqualTo(4);
  }

  @Test
  void valuesFollowTheFieldOrderAndTypes() {
    for (Layer l : city.layers().values()) {
      for (Feature f : l.features()) {
        assertThat(f.values()).hasSize(l.def().fields().size());
        for (int i = 0; i < f.values().length; i++) {
          Field field = l.def().fields().get(i);
          Object v = f.values()[i];
          if (!optional(l.def(), field)) {
            assertThat(v).as(l.name() + "." + field.name()).isNotNull();
          }
          if (v != null) {
            assertThat(v).as(l.name() + "." + field.name()).isInstanceOf(field.type().javaType());
          }
        }
      }
    }
  }

  /**
   * Fields a generated feature may leave empty: when it was closed, the incident loop's fields that
   * only live reports, transitions and devices fill, and the devices of a site that is no home.
   */
  private static boolean optional(LayerDef def, Field field) {
    if (def == Catalogue.KEY_SITES && field.name().equals("devices")) {
      return true; // only homes have devices
    }
    return def == Catalogue.EVENTS
        && !java.util.Set.of(
                "category",
                "board",
                "urgency",
                "status",
                "reported_at",
                "grid_code",
                "source",
                "pinned",
                "overdue",
                "updated_at",
                "revision")
            .contains(field.name());
  }

  @Test
  void codesNestAndIdsAreTheCodes() {
    Map<String, Integer> digits = Map.of("districts", 6, "streets", 9, "villages", 12, "grids", 15);
    for (LayerDef def : Catalogue.ADMIN_LEVELS) {
      Layer l = city.layer(def.name());
      int code = def.requireField("code");
      for (Feature f : l.features()) {
        assertThat(f.string(code)).matches("\\d{" + digits.get(def.name()) + "}");
        assertThat(f.id()).isEqualTo(Long.parseLong(f.string(code)));
      }
    }
    Set<String> villages = byCode("villages").keySet();
    int villageCode = Catalogue.GRIDS.requireField("village_code");
    int streetCode = Catalogue.GRIDS.requireField("street_code");
    for (Feature g : city.layer("grids").features()) {
      String code = g.string(0);
      assertThat(g.string(villageCode)).isEqualTo(code.substring(0, 12)).isIn(villages);
      assertThat(g.string(streetCode)).isEqualTo(code.substring(0, 9));
    }
  }

  @Test
  void everyIdIsExactAsAJavaScriptNumber() {
    // tiles and GeoJSON reach browsers, whose readers hold ids in doubles: exact below 2^53
    for (Layer l : city.layers().values()) {
      Set<Long> ids = new HashSet<>();
      for (Feature f : l.features()) {
        assertThat(f.id()).as(l.name()).isBetween(0L, Feature.ID_LIMIT - 1);
        assertThat((long) (double) f.id()).as(l.name()).isEqualTo(f.id());
        assertThat(ids.add(f.id())).as(l.name() + " id " + f.id() + " twice").isTrue();
      }
    }
  }

  @Test
  void keySitesAndForcesHaveDistrictGridNumberIdsAnd17DigitCodes() {
    for (String layer : List.of("key_sites", "forces")) {
      Layer l = city.layer(layer);
      int gridCode = l.def().requireField("grid_code");
      int code = l.def().requireField("code");
      Map<String, Long> gridPart = new HashMap<>();
      Set<String> codes = new HashSet<>();
      for (Feature f : l.features()) {
        String c = f.string(code);
        String grid = f.string(gridCode);
        assertThat(c).as(layer + " " + f.id()).matches("\\d{17}").startsWith(grid);
        assertThat(codes.add(c)).as(layer + " code " + c + " twice").isTrue();
        // district code × 10^7 + the grid's number in its district × 100 + the code's last 2 digits
        assertThat(f.id() / 10_000_000).isEqualTo(Long.parseLong(grid.substring(0, 6)));
        assertThat(f.id() % 100).isEqualTo(Long.parseLong(c.substring(15)));
        Long before = gridPart.putIfAbsent(grid, f.id() / 100);
        assertThat(before).as("grid " + grid + " has one number").isIn(null, f.id() / 100);
      }
      assertThat(new HashSet<>(gridPart.values())).hasSameSizeAs(gridPart.keySet());
    }
    Map<Long, Feature> forces =
        city.layer("forces").features().stream().collect(Collectors.toMap(Feature::id, f -> f));
    int workerId = Catalogue.GRIDS.requireField("worker_id");
    int code = Catalogue.FORCES.requireField("code");
    for (Feature g : city.layer("grids").features()) {
      assertThat(forces.get(g.longValue(workerId)).string(code)).isEqualTo(g.string(0) + "00");
    }
  }

  @Test
  void namesAreUniqueWithinTheirParentAndEndRight() {
    for (String layer : List.of("streets", "villages", "grids")) {
      Layer l = city.layer(layer);
      Map<String, Set<String>> seen = new HashMap<>();
      for (Feature f : l.features()) {
        String parent = CityStats.parentCode(f, l.def());
        assertThat(seen.computeIfAbsent(parent, k -> new HashSet<>()).add(f.string(1)))
            .as(layer + " " + f.string(1))
            .isTrue();
      }
    }
    int kind = Catalogue.STREETS.requireField("kind");
    for (Feature s : city.layer("streets").features()) {
      String suffix =
          switch (s.string(kind)) {
            case "subdistrict" -> "街道";
            case "town" -> "镇";
            case "township" -> "乡";
            default -> throw new AssertionError(s.string(kind));
          };
      assertThat(s.string(1)).endsWith(suffix);
    }
    int vkind = Catalogue.VILLAGES.requireField("kind");
    for (Feature v : city.layer("villages").features()) {
      assertThat(v.string(1)).endsWith(v.string(vkind).equals("community") ? "社区" : "村");
    }
    assertThat(city.layer("grids").features()).allMatch(g -> g.string(1).matches("第\\d+网格"));
  }

  @Test
  void eachLevelTilesItsParentExactly() {
    assertThat(CityStats.untiledParents(city, "streets", "districts")).isEmpty();
    assertThat(CityStats.untiledParents(city, "villages", "streets")).isEmpty();
    assertThat(CityStats.untiledParents(city, "grids", "villages")).isEmpty();
  }

  @Test
  void eachLevelIsOneCoverageAcrossParents() {
    for (LayerDef def : Catalogue.ADMIN_LEVELS) {
      assertThat(CityStats.isCoverage(city.layer(def.name()))).as(def.name()).isTrue();
    }
  }

  @Test
  void populationAndHouseholdsAddUpTheHierarchy() {
    for (String[] pair :
        new String[][] {{"grids", "villages"}, {"villages", "streets"}, {"streets", "districts"}}) {
      Layer child = city.layer(pair[0]);
      Map<String, Feature> parents = byCode(pair[1]);
      int cp = child.def().requireField("population");
      int ch = child.def().requireField("households");
      Map<String, long[]> sums = new HashMap<>();
      for (Feature f : child.features()) {
        long[] s = sums.computeIfAbsent(CityStats.parentCode(f, child.def()), k -> new long[2]);
        s[0] += f.longValue(cp);
        s[1] += f.longValue(ch);
      }
      LayerDef pdef = city.layer(pair[1]).def();
      sums.forEach(
          (code, s) -> {
            Feature p = parents.get(code);
            assertThat(p.longValue(pdef.requireField("population"))).isEqualTo(s[0]);
            assertThat(p.longValue(pdef.requireField("households"))).isEqualTo(s[1]);
          });
    }
    for (Feature g : city.layer("grids").features()) {
      double perHousehold = (double) g.longValue(5) / g.longValue(6);
      assertThat(perHousehold).isBetween(2.4, 3.1);
    }
  }

  @Test
  void gridsPerVillageFollowTheKind() {
    Map<String, Long> grids =
        city.layer("grids").features().stream()
            .collect(
                Collectors.groupingBy(g -> g.string(0).substring(0, 12), Collectors.counting()));
    int kind = Catalogue.VILLAGES.requireField("kind");
    for (Feature v : city.layer("villages").features()) {
      long n = grids.get(v.string(0));
      if (v.string(kind).equals("community")) {
        assertThat(n).isBetween(5L, 15L);
      } else {
        assertThat(n).isBetween(2L, 5L);
      }
    }
  }

  @Test
  void shapesAreLargeEnoughAndCompact() {
    for (String layer : List.of("streets", "villages", "grids")) {
      assertThat(CityStats.tooSmall(city, layer)).as(layer).isEmpty();
      assertThat(CityStats.compactShare(city.layer(layer), 0.15))
          .as(layer)
          .isGreaterThanOrEqualTo(0.99);
    }
    assertThat(CityStats.urbanToRuralMedianGridArea(city)).isLessThanOrEqualTo(0.1);
  }

  @Test
  void commandCentreIsInsideItsStreet() {
    int lon = Catalogue.STREETS.requireField("centre_lon");
    int lat = Catalogue.STREETS.requireField("centre_lat");
    for (Feature s : city.layer("streets").features()) {
      Coordinate c = new Coordinate((Double) s.value(lon), (Double) s.value(lat));
      assertThat(new IndexedPointInAreaLocator(s.geometry()).locate(c))
          .isEqualTo(Location.INTERIOR);
    }
  }

  /** Every point feature lies strictly inside the grid its grid_code names. */
  private static void assertInsideTheirGrids(String layer) {
    Map<String, Feature> grids = byCode("grids");
    Map<String, IndexedPointInAreaLocator> locators = new HashMap<>();
    int gc = city.layer(layer).def().requireField("grid_code");
    for (Feature p : city.layer(layer).features()) {
      Geometry grid = grids.get(p.string(gc)).geometry();
      IndexedPointInAreaLocator loc =
          locators.computeIfAbsent(p.string(gc), k -> new IndexedPointInAreaLocator(grid));
      assertThat(loc.locate(p.geometry().getCoordinate()))
          .as(layer + " " + p.id())
          .isEqualTo(Location.INTERIOR);
    }
  }

  @Test
  void keySitesSpanEightCategoriesAndHideHomesOfTheElderly() {
    Layer sites = city.layer("key_sites");
    Set<String> categories =
        sites.features().stream().map(f -> f.string(0)).collect(Collectors.toSet());
    assertThat(categories)
        .hasSizeGreaterThanOrEqualTo(8)
        .contains(
            "school",
            "clinic",
            "community_canteen",
            "enterprise",
            "fire_lane",
            "volunteer_station",
            "market",
            "elderly_alone_home");
    for (Feature f : sites.features()) {
      assertThat(f.personal()).isEqualTo(f.string(0).equals("elderly_alone_home"));
    }
    assertInsideTheirGrids("key_sites");
  }

  @Test
  void everyGridHasExactlyOneFullTimeWorker() {
    Layer forces = city.layer("forces");
    Map<Long, Feature> byId =
        forces.features().stream().collect(Collectors.toMap(Feature::id, f -> f));
    Map<String, Long> workers =
        forces.features().stream()
            .filter(f -> f.string(0).equals("grid_worker"))
            .collect(Collectors.groupingBy(f -> f.string(2), Collectors.counting()));
    for (Feature g : city.layer("grids").features()) {
      assertThat(workers.get(g.string(0))).as(g.string(0)).isEqualTo(1L);
      Feature worker = byId.get(g.longValue(Catalogue.GRIDS.requireField("worker_id")));
      assertThat(worker.string(0)).isEqualTo("grid_worker");
      assertThat(worker.string(3)).isEqualTo(g.string(Catalogue.GRIDS.requireField("worker_name")));
    }
    assertThat(forces.features().stream().map(f -> f.string(0)).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(
            java.util.Arrays.stream(ForceRole.values()).map(ForceRole::code).toList());
    assertThat(forces.features())
        .anyMatch(f -> (Boolean) f.value(1))
        .anyMatch(f -> !(Boolean) f.value(1));
    assertInsideTheirGrids("forces");
  }

  @Test
  void eventsFollowTheYearTheBoardsAndTheirStatus() {
    Layer events = city.layer("events");
    LayerDef def = events.def();
    int category = def.requireField("category");
    int board = def.requireField("board");
    int urgency = def.requireField("urgency");
    int status = def.requireField("status");
    int reported = def.requireField("reported_at");
    int closed = def.requireField("closed_at");
    Map<String, Long> perCategory = new HashMap<>();
    long day = 0;
    long urgent = 0;
    for (Feature e : events.features()) {
      long r = e.longValue(reported);
      assertThat(r).isBetween(Timeline.START, Timeline.END - 1);
      Board.ofCode(e.string(board));
      assertThat(EventCategory.ofCode(e.string(category)).orElseThrow().board().code())
          .isEqualTo(e.string(board));
      IncidentState state = IncidentState.ofCode(e.string(status)).orElseThrow();
      if (state.terminal()) {
        assertThat((Long) e.value(closed)).isGreaterThan(r);
      } else {
        assertThat(e.value(closed)).isNull();
      }
      assertThat(e.string(urgency)).isIn("normal", "urgent");
      urgent += e.string(urgency).equals("urgent") ? 1 : 0;
      int hour = Timeline.localHour(r);
      day += hour >= 8 && hour < 20 ? 1 : 0;
      perCategory.merge(e.string(category), 1L, Long::sum);
    }
    int n = events.size();
    assertThat((double) day / n).as("share reported 08-20").isGreaterThan(0.7);
    assertThat((double) urgent / n).isBetween(0.005, 0.1);
    List<Long> top =
        perCategory.values().stream().sorted((a, b) -> Long.compare(b, a)).limit(3).toList();
    assertThat((double) (top.get(0) + top.get(1) + top.get(2)) / n)
        .as("three biggest categories")
        .isGreaterThan(0.3);
    assertThat(
            perCategory.keySet().stream()
                .map(c -> EventCategory.ofCode(c).orElseThrow().board())
                .collect(Collectors.toSet()))
        .containsExactlyInAnyOrder(Board.values());
    assertInsideTheirGrids("events");
  }

  @Test
  void eventsAreDenserInTheCityThanInTheCountry() {
    Set<String> communities = CityStats.communityCodes(city);
    Map<String, Feature> grids = byCode("grids");
    double[] area = new double[2];
    double[] count = new double[2];
    for (Feature g : grids.values()) {
      area[communities.contains(g.string(0).substring(0, 12)) ? 0 : 1] +=
          GroundMeasure.areaM2(g.geometry()) / 1e6;
    }
    for (Feature e : city.layer("events").features()) {
      count[communities.contains(e.string(6).substring(0, 12)) ? 0 : 1]++;
    }
    assertThat(count[0] / area[0]).isGreaterThan(5 * count[1] / area[1]);
  }

  @Test
  void plantedHotspotsAreInTheEvents() {
    assertThat(city.metadata().hotspots()).isNotEmpty();
    Layer events = city.layer("events");
    for (var h : city.metadata().hotspots()) {
      long near =
          events.features().stream()
              .filter(e -> e.string(0).equals(h.category()))
              .filter(
                  e -> e.longValue(4) >= h.fromEpochMillis() && e.longValue(4) <= h.toEpochMillis())
              .filter(
                  e ->
                      GroundMeasure.sphereMetres(
                              e.geometry().getCoordinate(),
                              new Coordinate(h.centreLon(), h.centreLat()))
                          <= h.radiusMeters())
              .count();
      assertThat(near).as(h.description()).isGreaterThanOrEqualTo(h.count());
    }
  }

  @Test
  void metadataDescribesTheDataset() {
    var m = city.metadata();
    assertThat(m.name()).isEqualTo("chongqing");
    assertThat(m.seed()).isEqualTo(SmallCity.SEED);
    assertThat(m.scale()).isEqualTo(SmallCity.SCALE);
    assertThat(m.districtCodes()).containsExactlyElementsOf(SmallCity.config().districtCodes());
    for (Layer l : city.layers().values()) {
      assertThat(m.counts().get(l.name())).isEqualTo(l.size());
    }
    assertThat(m.notes().get("cleaning")).contains("overlap pieces").contains("gap pieces");
    assertThat(java.time.Instant.parse(m.createdAt())).isNotNull();
  }

  @Test
  void generalisedPolygonsAreCoveragesAtEveryDrawnZoom() {
    for (LayerDef def : Catalogue.ADMIN_LEVELS) {
      assertThat(city.generalised().zooms(def.name())).hasSize(def.maxZoom() - def.minZoom() + 1);
    }
    // grids of each village at z12-14, villages of each street at z10-14, streets of each district
    // at z7-14, and every level as a whole
    for (LayerDef def : List.of(Catalogue.GRIDS, Catalogue.VILLAGES, Catalogue.STREETS)) {
      Layer l = city.layer(def.name());
      for (int z = def.minZoom(); z <= def.maxZoom(); z++) {
        Map<Long, Geometry> g = city.generalised().get(def.name(), z);
        Map<String, List<Geometry>> byParent = new HashMap<>();
        for (Feature f : l.features()) {
          if (g.containsKey(f.id())) {
            byParent
                .computeIfAbsent(CityStats.parentCode(f, def), k -> new java.util.ArrayList<>())
                .add(g.get(f.id()));
          }
        }
        for (List<Geometry> kids : byParent.values()) {
          assertThat(
                  org.locationtech.jts.coverage.CoverageValidator.hasInvalidResult(
                      org.locationtech.jts.coverage.CoverageValidator.validate(
                          kids.toArray(Geometry[]::new))))
              .as(def.name() + " z" + z)
              .isFalse();
        }
      }
    }
    for (LayerDef def : Catalogue.ADMIN_LEVELS) {
      for (int z = def.minZoom(); z <= def.maxZoom(); z++) {
        Geometry[] all = city.generalised().get(def.name(), z).values().toArray(Geometry[]::new);
        assertThat(
                org.locationtech.jts.coverage.CoverageValidator.hasInvalidResult(
                    org.locationtech.jts.coverage.CoverageValidator.validate(all)))
            .as(def.name() + " z" + z)
            .isFalse();
      }
    }
  }

  @Test
  void unknownDistrictIsRefusedByName() {
    assertThatThrownBy(
            () -> new CityGenerator(new GeneratorConfig(1, 0.1, List.of("509999"))).generate())
        .hasMessageContaining("509999");
    assertThatThrownBy(() -> new GeneratorConfig(1, 0, List.of())).hasMessageContaining("scale");
    assertThatThrownBy(() -> new GeneratorConfig(1, 1.5, List.of())).hasMessageContaining("scale");
  }
}
