package io.gridmap.importer.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.importer.crs.SourceCrs;
import io.gridmap.importer.generate.SmallCity;
import io.gridmap.importer.load.ImportOptions;
import io.gridmap.importer.load.LayerImporter;
import io.gridmap.importer.load.ListReader;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.IncidentState;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.store.gpkg.GeoPackageStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.coverage.CoverageUnion;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;

/**
 * Imports into the admin layers of the small generated city: a re-import of its own grids is no
 * change, a boundary pushed into a neighbour is refused with a report and cleaned by --repair, key
 * sites and open incidents follow a moved boundary, forces follow an old code, and villages cannot
 * leave grids without a parent.
 */
class AdminImportTest {
  @TempDir Path dir;
  private Path store;
  private Path report;

  @BeforeEach
  void writeTheCity() {
    store = dir.resolve("city.gpkg");
    report = dir.resolve("grids-report.geojson");
    try (GeoPackageStore s = new GeoPackageStore(store)) {
      s.write(SmallCity.city());
    }
  }

  private Dataset read() {
    try (GeoPackageStore s = new GeoPackageStore(store)) {
      return s.read();
    }
  }

  private static Map<String, Feature> byCode(Layer l) {
    int code = l.def().requireField("code");
    Map<String, Feature> out = new TreeMap<>();
    l.features().forEach(f -> out.put(f.string(code), f));
    return out;
  }

  /** The layer's units as a file holds them: code and name, the outline {@code outline} says. */
  private static ListReader file(
      Layer l, Map<String, Geometry> outlines, Function<String, Map<String, Object>> extra) {
    ListReader r = new ListReader(l.name() + ".geojson", Optional.of(SourceCrs.WGS84));
    Map<String, Feature> units = byCode(l);
    int name = l.def().requireField("name");
    for (Map.Entry<String, Geometry> e : outlines.entrySet()) {
      Map<String, Object> columns = new LinkedHashMap<>();
      columns.put("code", e.getKey());
      Feature was = units.get(e.getKey());
      columns.put("name", was == null ? "新网格" : was.string(name));
      columns.putAll(extra.apply(e.getKey()));
      r.add(e.getValue(), columns);
    }
    return r;
  }

  private static Map<String, Geometry> outlines(Layer l) {
    Map<String, Geometry> out = new TreeMap<>();
    byCode(l).forEach((code, f) -> out.put(code, f.geometry()));
    return out;
  }

  private AdminImportSummary run(String layer, ListReader file, boolean repair, boolean dry)
      throws Exception {
    try (GeoPackageStore s = new GeoPackageStore(store)) {
      return new AdminImport(
              s,
              ImportOptions.defaults(layer).withWrite(false, repair, dry),
              report,
              LayerImporter.Progress.NONE,
              "test")
          .run(file);
    }
  }

  /**
   * Two grids of one village sharing an edge: the first point layer feature's grid and one beside.
   */
  private static String[] neighbours(Layer grids, String in) {
    return neighbours(byCode(grids), in);
  }

  private static String[] neighbours(Map<String, Feature> all, String in) {
    Geometry g = all.get(in).geometry();
    for (Map.Entry<String, Feature> e : all.entrySet()) {
      if (!e.getKey().equals(in)
          && e.getKey().startsWith(in.substring(0, 12))
          && g.getEnvelopeInternal().intersects(e.getValue().geometry().getEnvelopeInternal())
          && g.intersection(e.getValue().geometry()).getLength() > 1e-4) {
        return new String[] {in, e.getKey()};
      }
    }
    return null;
  }

  /**
   * Moves the ground within {@code r} degrees of {@code p} from grid {@code from} to {@code to}.
   */
  private static void give(Map<String, Geometry> grids, Point p, double r, String from, String to) {
    Geometry piece =
        OverlayNGRobust.overlay(grids.get(from), p.buffer(r, 4), OverlayNG.INTERSECTION);
    grids.put(to, OverlayNGRobust.overlay(grids.get(to), piece, OverlayNG.UNION));
    grids.put(from, OverlayNGRobust.overlay(grids.get(from), piece, OverlayNG.DIFFERENCE));
  }

  @Test
  void reimportingTheStoresOwnGridsChangesNothingAndTheHierarchyHolds() throws Exception {
    Layer grids = read().layer("grids");
    // as GDAL writes a GeoPackage or a Shapefile: every polygon a MultiPolygon
    Map<String, Geometry> multi = new TreeMap<>();
    outlines(grids)
        .forEach(
            (code, g) ->
                multi.put(
                    code,
                    g instanceof org.locationtech.jts.geom.Polygon p
                        ? g.getFactory()
                            .createMultiPolygon(new org.locationtech.jts.geom.Polygon[] {p})
                        : g));
    AdminImportSummary s = run("grids", file(grids, multi, c -> Map.of()), false, false);
    assertThat(s.added()).isZero();
    assertThat(s.removed()).isZero();
    assertThat(s.changed()).isZero();
    assertThat(s.unchanged()).isEqualTo(grids.size());
    assertThat(Files.exists(report)).as("nothing to report").isFalse();
    assertThat(read().layer("grids").size()).isEqualTo(grids.size());
  }

  @Test
  void aFileOfOneVillagesGridsReplacesThatVillagesGridsAndKeepsTheRest() throws Exception {
    Layer grids = read().layer("grids");
    String first = byCode(grids).keySet().iterator().next();
    String village = first.substring(0, 12);
    Map<String, Geometry> mine = new TreeMap<>(outlines(grids));
    mine.keySet().removeIf(c -> !c.startsWith(village));
    // its first grid dropped: the village would have a gap
    Map<String, Geometry> fewer = new TreeMap<>(mine);
    fewer.remove(first);
    assertThatThrownBy(() -> run("grids", file(grids, fewer, c -> Map.of()), false, false))
        .isInstanceOf(HierarchyRefused.class)
        .hasMessageContaining("gap: ")
        .hasMessageContaining("of village " + village + " lies in none of its grids");

    AdminImportSummary s = run("grids", file(grids, mine, c -> Map.of()), false, false);
    assertThat(s.unchanged()).isEqualTo(grids.size());
    assertThat(s.removed()).isZero();
    assertThat(s.notes())
        .anyMatch(n -> n.contains((grids.size() - mine.size()) + " grids of villages the file"));
    assertThat(read().layer("grids").size()).isEqualTo(grids.size());
  }

  @Test
  void aGridPushedIntoItsNeighbourIsRefusedWithAReportAndRepairGivesTheGroundToTheLowerCode()
      throws Exception {
    Dataset city = read();
    Layer grids = city.layer("grids");
    String[] pair = neighbours(grids, byCode(grids).keySet().iterator().next());
    Map<String, Geometry> outlines = outlines(grids);
    Geometry a = outlines.get(pair[0]);
    Geometry b = outlines.get(pair[1]);
    Point onEdge = a.intersection(b).getInteriorPoint();
    // the lower code reaches 30 m into its neighbour, which keeps its outline
    outlines.put(
        pair[0],
        OverlayNGRobust.overlay(
            a,
            OverlayNGRobust.overlay(b, onEdge.buffer(0.0003, 4), OverlayNG.INTERSECTION),
            OverlayNG.UNION));

    assertThatThrownBy(() -> run("grids", file(grids, outlines, c -> Map.of()), false, false))
        .isInstanceOf(HierarchyRefused.class)
        .hasMessageContaining("overlap")
        .hasMessageContaining(pair[0] + " and " + pair[1] + " overlap")
        .hasMessageContaining("pass --repair");
    String json = Files.readString(report);
    assertThat(json)
        .contains("\"rule\":\"overlap\"")
        .contains("\"code\":\"" + pair[0] + "\"")
        .contains("\"other\":\"" + pair[1] + "\"")
        .contains("\"type\":\"Polygon\"");
    // GDAL, which QGIS opens files with, reads it as a layer of problems with their fields
    String gdal =
        io.gridmap.layers.testing.GdalTool.run("ogrinfo", "", "-al", "-so", report.toString())
            .stdout();
    assertThat(gdal)
        .contains("Geometry: Polygon")
        .containsPattern("Feature Count: [1-9]")
        .contains("rule: String")
        .contains("area_m2: Real")
        .contains("fix: String");
    assertThat(byCode(read().layer("grids")).get(pair[0]).geometry().equalsExact(a))
        .as("the store is as it was")
        .isTrue();

    AdminImportSummary s = run("grids", file(grids, outlines, c -> Map.of()), true, false);
    assertThat(s.moves()).anyMatch(m -> m.contains("overlap"));
    assertThat(s.changed()).isGreaterThanOrEqualTo(2);
    assertThat(Files.readString(report)).contains("\"kind\":\"moved\"");
    Layer after = read().layer("grids");
    Map<String, Feature> now = byCode(after);
    assertThat(now.get(pair[0]).geometry().getArea()).isGreaterThan(a.getArea());
    assertThat(now.get(pair[1]).geometry().getArea()).isLessThan(b.getArea());
    // the village is still tiled exactly by its grids, and they form a coverage
    String village = pair[0].substring(0, 12);
    Geometry[] mine =
        now.entrySet().stream()
            .filter(e -> e.getKey().startsWith(village))
            .map(e -> e.getValue().geometry())
            .toArray(Geometry[]::new);
    assertThat(CoverageValidator.isValid(mine)).isTrue();
    Geometry villageOutline = byCode(city.layer("villages")).get(village).geometry();
    assertThat(CoverageUnion.union(mine).symDifference(villageOutline).getArea()).isLessThan(1e-12);
    assertThat(
            HierarchyCheck.check(
                    io.gridmap.layers.index.AdminLevel.GRID,
                    now.entrySet().stream()
                        .map(e -> new AdminUnit(e.getKey(), e.getValue().geometry()))
                        .toList(),
                    Map.of(village, villageOutline),
                    List.of())
                .stream()
                .filter(p -> p.code().startsWith(village)))
        .isEmpty();
  }

  @Test
  void keySitesAndOpenIncidentsFollowAMovedBoundaryWhileForcesKeepTheirGrid() throws Exception {
    Dataset city = read();
    Layer grids = city.layer("grids");
    Map<String, Geometry> outlines = outlines(grids);
    int siteGrid = city.layer("key_sites").def().requireField("grid_code");
    Map<String, Feature> gridsByCode = byCode(grids);
    Feature site = null;
    String[] pair = null;
    for (Feature f : city.layer("key_sites").features()) {
      pair = neighbours(gridsByCode, f.string(siteGrid));
      if (pair != null) {
        site = f;
        break;
      }
    }
    give(outlines, (Point) site.geometry(), 0.0002, pair[0], pair[1]);
    int status = city.layer("events").def().requireField("status");
    int eventGrid = city.layer("events").def().requireField("grid_code");
    Feature open = null;
    String[] eventPair = null;
    for (Feature f : city.layer("events").features()) {
      boolean isOpen = !IncidentState.ofCode(f.string(status)).orElseThrow().terminal();
      String g = f.string(eventGrid);
      if (isOpen
          && !List.of(pair).contains(g)
          && (eventPair = neighbours(gridsByCode, g)) != null
          && !List.of(pair).contains(eventPair[1])) {
        open = f;
        break;
      }
    }
    give(outlines, (Point) open.geometry(), 0.0002, eventPair[0], eventPair[1]);

    AdminImportSummary s = run("grids", file(grids, outlines, c -> Map.of()), true, false);

    assertThat(s.sites()).isGreaterThanOrEqualTo(1);
    assertThat(s.events()).isGreaterThanOrEqualTo(1);
    assertThat(s.forces()).isZero();
    Dataset after = read();
    long siteId = site.id();
    Feature siteNow =
        after.layer("key_sites").features().stream()
            .filter(f -> f.id() == siteId)
            .findFirst()
            .orElseThrow();
    assertThat(siteNow.string(siteGrid)).isEqualTo(pair[1]);
    long openId = open.id();
    Feature eventNow =
        after.layer("events").features().stream()
            .filter(f -> f.id() == openId)
            .findFirst()
            .orElseThrow();
    assertThat(eventNow.string(eventGrid)).isEqualTo(eventPair[1]);
    int assignee = after.layer("events").def().requireField("assignee_id");
    if (open.value(assignee) != null) {
      assertThat(eventNow.longValue(assignee))
          .as("assigned to the worker of the grid it is in now")
          .isEqualTo(
              byCode(after.layer("grids"))
                  .get(eventPair[1])
                  .longValue(after.layer("grids").def().requireField("worker_id")));
    }
    // a force's grid is an assignment, not where it stands
    int forceGrid = city.layer("forces").def().requireField("grid_code");
    Map<Long, String> before = new java.util.HashMap<>();
    city.layer("forces").features().forEach(f -> before.put(f.id(), f.string(forceGrid)));
    after
        .layer("forces")
        .features()
        .forEach(f -> assertThat(f.string(forceGrid)).isEqualTo(before.get(f.id())));
    // closed incidents keep the grid they were closed in
    List<Feature> closedBefore = new ArrayList<>();
    city.layer("events").features().stream()
        .filter(f -> IncidentState.ofCode(f.string(status)).orElseThrow().terminal())
        .forEach(closedBefore::add);
    Map<Long, Feature> eventsAfter = new java.util.HashMap<>();
    after.layer("events").features().forEach(f -> eventsAfter.put(f.id(), f));
    closedBefore.forEach(
        f -> assertThat(eventsAfter.get(f.id()).string(eventGrid)).isEqualTo(f.string(eventGrid)));
  }

  @Test
  void twoGridsMergedUnderOneCodeNeedTheOldCodeForTheirForcesAndKeepAFullTimeWorker()
      throws Exception {
    Dataset city = read();
    Layer grids = city.layer("grids");
    String[] pair = neighbours(grids, byCode(grids).keySet().iterator().next());
    Map<String, Geometry> outlines = outlines(grids);
    Geometry merged =
        CoverageUnion.union(new Geometry[] {outlines.get(pair[0]), outlines.get(pair[1])});
    outlines.put(pair[0], merged);
    outlines.remove(pair[1]);

    assertThatThrownBy(() -> run("grids", file(grids, outlines, c -> Map.of()), false, false))
        .isInstanceOf(HierarchyRefused.class)
        .hasMessageContaining("force-grid-removed")
        .hasMessageContaining("serves grid " + pair[1])
        .hasMessageContaining("old_code");

    Function<String, Map<String, Object>> oldCode =
        c -> c.equals(pair[0]) ? Map.of("old_code", pair[1]) : Map.of();
    AdminImportSummary dry = run("grids", file(grids, outlines, oldCode), false, true);
    assertThat(dry.written()).isFalse();
    assertThat(dry.removed()).isEqualTo(1);
    assertThat(read().layer("grids").size()).as("a dry run writes nothing").isEqualTo(grids.size());

    AdminImportSummary s = run("grids", file(grids, outlines, oldCode), false, false);
    assertThat(s.removed()).isEqualTo(1);
    assertThat(s.forces()).isPositive();
    Dataset after = read();
    assertThat(after.layer("grids").size()).isEqualTo(grids.size() - 1);
    assertThat(after.metadata().counts()).containsEntry("grids", grids.size() - 1);
    assertThat(after.metadata().notes()).containsKey("imported_grids");
    int forceGrid = after.layer("forces").def().requireField("grid_code");
    int role = after.layer("forces").def().requireField("role");
    assertThat(after.layer("forces").features())
        .extracting(f -> f.string(forceGrid))
        .doesNotContain(pair[1]);
    Feature g = byCode(after.layer("grids")).get(pair[0]);
    long worker = g.longValue(after.layer("grids").def().requireField("worker_id"));
    Feature w =
        after.layer("forces").features().stream()
            .filter(f -> f.id() == worker)
            .findFirst()
            .orElseThrow();
    assertThat(w.string(forceGrid)).isEqualTo(pair[0]);
    assertThat(w.string(role)).isEqualTo("grid_worker");
    int siteGrid = after.layer("key_sites").def().requireField("grid_code");
    assertThat(after.layer("key_sites").features())
        .extracting(f -> f.string(siteGrid))
        .doesNotContain(pair[1]);
    // the village's population is its grids' sum still
    int people = after.layer("grids").def().requireField("population");
    assertThat(g.longValue(people)).isEqualTo(byCode(grids).get(pair[0]).longValue(people));
  }

  @Test
  void villagesThatLeaveGridsWithoutTheirVillageAreRefused() throws Exception {
    Layer villages = read().layer("villages");
    Map<String, Geometry> outlines = outlines(villages);
    String gone = outlines.keySet().iterator().next();
    outlines.remove(gone);
    report = dir.resolve("villages-report.geojson");
    assertThatThrownBy(() -> run("villages", file(villages, outlines, c -> Map.of()), true, false))
        .isInstanceOf(HierarchyRefused.class)
        .hasMessageContaining("orphan")
        .hasMessageContaining("which the file does not hold")
        .hasMessageContaining("--repair fixes geometry, not codes");
    assertThat(Files.readString(report))
        .contains("\"rule\":\"orphan\"")
        .contains("\"rule\":\"gap\"");
    assertThat(read().layer("villages").size()).isEqualTo(villages.size());
  }

  @Test
  void aVillageBoundaryMovedWithRepairTakesItsGridsAlong() throws Exception {
    Dataset city = read();
    Layer villages = city.layer("villages");
    Map<String, Feature> byVillage = byCode(villages);
    String[] pair = null;
    for (String v : byVillage.keySet()) {
      Geometry g = byVillage.get(v).geometry();
      for (Map.Entry<String, Feature> e : byVillage.entrySet()) {
        if (!e.getKey().equals(v)
            && e.getKey().startsWith(v.substring(0, 9))
            && g.getEnvelopeInternal().intersects(e.getValue().geometry().getEnvelopeInternal())
            && g.intersection(e.getValue().geometry()).getLength() > 1e-3) {
          pair = new String[] {v, e.getKey()};
          break;
        }
      }
      if (pair != null) {
        break;
      }
    }
    Map<String, Geometry> outlines = outlines(villages);
    Point onEdge = outlines.get(pair[0]).intersection(outlines.get(pair[1])).getInteriorPoint();
    give(outlines, onEdge, 0.001, pair[1], pair[0]);
    report = dir.resolve("villages-report.geojson");

    assertThatThrownBy(() -> run("villages", file(villages, outlines, c -> Map.of()), false, false))
        .isInstanceOf(HierarchyRefused.class)
        .hasMessageContaining("outside-parent")
        .hasMessageContaining("gap");

    AdminImportSummary s = run("villages", file(villages, outlines, c -> Map.of()), true, false);
    assertThat(s.changed()).isEqualTo(2);
    assertThat(s.followed()).isPositive();
    Dataset after = read();
    Map<String, Feature> grids = byCode(after.layer("grids"));
    Map<String, Feature> villagesNow = byCode(after.layer("villages"));
    for (String v : pair) {
      Geometry[] mine =
          grids.entrySet().stream()
              .filter(e -> e.getKey().startsWith(v))
              .map(e -> e.getValue().geometry())
              .toArray(Geometry[]::new);
      assertThat(CoverageValidator.isValid(mine)).isTrue();
      assertThat(CoverageUnion.union(mine).symDifference(villagesNow.get(v).geometry()).getArea())
          .as("village %s is tiled by its grids", v)
          .isLessThan(1e-12);
    }
    List<AdminUnit> all =
        grids.entrySet().stream()
            .map(e -> new AdminUnit(e.getKey(), e.getValue().geometry()))
            .toList();
    Map<String, Geometry> parents = new TreeMap<>();
    villagesNow.forEach((code, f) -> parents.put(code, f.geometry()));
    assertThat(
            HierarchyCheck.check(io.gridmap.layers.index.AdminLevel.GRID, all, parents, List.of()))
        .isEmpty();
  }
}
