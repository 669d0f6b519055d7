package io.gridmap.importer.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridmap.importer.crs.SourceCrs;
import io.gridmap.importer.generate.SmallCity;
import io.gridmap.importer.geo.FixedGrid;
import io.gridmap.importer.load.ImportOptions;
import io.gridmap.importer.load.LayerImporter;
import io.gridmap.importer.load.ListReader;
import io.gridmap.layers.edit.Change;
import io.gridmap.layers.index.CityIndex;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.store.gpkg.GeoPackageStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.operation.overlayng.OverlayNG;

/**
 * An admin import planned as changes against the map a server holds: the village's own grids change
 * nothing; a redraw is one change of the two grids, with generalised polygons only around them, the
 * same whether generalised locally or over the whole layer; a problem the map already has in
 * another street does not refuse a village's import (the command line, which judges the whole
 * level, still sees it).
 */
class AdminChangesTest {
  @TempDir Path dir;
  private Path store;
  private Dataset city;

  @BeforeEach
  void writeTheCity() {
    store = dir.resolve("city.gpkg");
    city = SmallCity.city();
    try (GeoPackageStore s = new GeoPackageStore(store)) {
      s.write(city);
    }
  }

  private static Map<String, Geometry> outlines(Layer l, String prefix) {
    int code = l.def().requireField("code");
    Map<String, Geometry> out = new TreeMap<>();
    for (Feature f : l.features()) {
      if (f.string(code).startsWith(prefix)) {
        out.put(f.string(code), f.geometry());
      }
    }
    return out;
  }

  private static ListReader file(Map<String, Geometry> units) {
    ListReader r = new ListReader("grids.geojson", Optional.of(SourceCrs.WGS84));
    units.forEach((code, g) -> r.add(g, Map.of("code", code)));
    return r;
  }

  /** {village, grid a, grid b}: two grids of one village sharing a long edge. */
  private static String[] pair(Layer grids) {
    Map<String, Geometry> all = outlines(grids, "");
    for (var a : all.entrySet()) {
      for (var b : all.entrySet()) {
        if (a.getKey().compareTo(b.getKey()) < 0
            && a.getKey().substring(0, 12).equals(b.getKey().substring(0, 12))
            && a.getValue().getEnvelopeInternal().intersects(b.getValue().getEnvelopeInternal())
            && a.getValue().intersection(b.getValue()).getLength() > 1e-3) {
          return new String[] {a.getKey().substring(0, 12), a.getKey(), b.getKey()};
        }
      }
    }
    throw new AssertionError("no two neighbouring grids in one village");
  }

  /** The village's grids with a small box of b around the middle of their edge given to a. */
  private static Map<String, Geometry> redrawn(Map<String, Geometry> grids, String a, String b) {
    Geometry shared = grids.get(a).intersection(grids.get(b));
    Coordinate p = null;
    Coordinate q = null;
    for (int g = 0; g < shared.getNumGeometries(); g++) {
      if (shared.getGeometryN(g) instanceof LineString line) {
        Coordinate[] cs = line.getCoordinates();
        for (int i = 1; i < cs.length; i++) {
          if (p == null || cs[i - 1].distance(cs[i]) > p.distance(q)) {
            p = cs[i - 1];
            q = cs[i];
          }
        }
      }
    }
    double h = p.distance(q) / 8;
    Coordinate m = new Coordinate((p.x + q.x) / 2, (p.y + q.y) / 2);
    Geometry box = FixedGrid.FACTORY.toGeometry(new Envelope(m.x - h, m.x + h, m.y - h, m.y + h));
    Geometry piece =
        OverlayNG.overlay(grids.get(b), box, OverlayNG.INTERSECTION, FixedGrid.PRECISION);
    Map<String, Geometry> out = new TreeMap<>(grids);
    out.put(a, OverlayNG.overlay(grids.get(a), piece, OverlayNG.UNION, FixedGrid.PRECISION));
    out.put(b, OverlayNG.overlay(grids.get(b), piece, OverlayNG.DIFFERENCE, FixedGrid.PRECISION));
    return out;
  }

  private AdminChanges.Planned plan(CityIndex index, ListReader file, int localLimit)
      throws Exception {
    try (GeoPackageStore s = new GeoPackageStore(store)) {
      return AdminChanges.plan(importer(s), file, index, localLimit);
    }
  }

  private AdminImport importer(GeoPackageStore s) {
    return new AdminImport(
        s,
        ImportOptions.defaults("grids"),
        dir.resolve("grids-report.geojson"),
        LayerImporter.Progress.NONE,
        "test");
  }

  @Test
  void aVillagesOwnGridsChangeNothing() throws Exception {
    String[] n = pair(city.layer("grids"));
    AdminChanges.Planned p =
        plan(CityIndex.build(city), file(outlines(city.layer("grids"), n[0])), -1);
    assertThat(p.changes()).isEmpty();
    assertThat(p.summary().changed()).isZero();
    assertThat(p.summary().unchanged()).isEqualTo(city.layer("grids").size());
  }

  @Test
  void aRedrawIsOneChangeOfTwoGridsWithPolygonsOnlyAroundThemLocallyOrNot() throws Exception {
    Layer grids = city.layer("grids");
    String[] n = pair(grids);
    Map<String, Geometry> file = redrawn(outlines(grids, n[0]), n[1], n[2]);
    CityIndex index = CityIndex.build(city);
    AdminChanges.Planned local = plan(index, file(file), -1);
    AdminChanges.Planned whole = plan(index, file(file), 0);
    assertThat(local.generalisation().get("grids")).startsWith("local");
    assertThat(whole.generalisation().get("grids")).startsWith("whole layer");
    for (AdminChanges.Planned p : List.of(local, whole)) {
      Change c = p.changes().get(0);
      assertThat(c.layer()).isEqualTo("grids");
      assertThat(c.replacements())
          .extracting(Change.Replacement::id)
          .containsExactlyInAnyOrder(Long.parseLong(n[1]), Long.parseLong(n[2]));
      Set<Long> drawn = new HashSet<>();
      c.generalised().values().forEach(byId -> drawn.addAll(byId.keySet()));
      assertThat(drawn).contains(Long.parseLong(n[1]), Long.parseLong(n[2]));
      // only the village's neighbourhood, not the layer's 3,800 grids
      assertThat(drawn.size()).isLessThan(30);
    }
    // the same polygons either way, zoom by zoom
    Change a = local.changes().get(0);
    Change b = whole.changes().get(0);
    for (long id : List.of(Long.parseLong(n[1]), Long.parseLong(n[2]))) {
      for (int z : a.generalised().keySet()) {
        Geometry ga = a.generalised().get(z).get(id);
        Geometry gb = b.generalised().getOrDefault(z, Map.of()).get(id);
        assertThat(ga != null && gb != null && ga.norm().equalsExact(gb.norm()))
            .as("grid " + id + " at z" + z)
            .isTrue();
      }
    }
  }

  @Test
  void aProblemInAnotherStreetDoesNotRefuseAVillagesImportButTheWholeLevelCheckSeesIt()
      throws Exception {
    Layer grids = city.layer("grids");
    String[] n = pair(grids);
    // an overlap in a village of another street: one grid takes a neighbour's ground as well
    String[] far = farPair(grids, n[0].substring(0, 9));
    Map<String, Geometry> broken = redrawn(outlines(grids, far[0]), far[1], far[2]);
    Geometry overlapping = broken.get(far[1]);
    int code = grids.def().requireField("code");
    List<Feature> features = new ArrayList<>();
    for (Feature f : grids.features()) {
      features.add(
          f.string(code).equals(far[1])
              ? new Feature(f.id(), overlapping, f.values(), f.personal())
              : f);
    }
    Map<String, Layer> layers = new LinkedHashMap<>(city.layers());
    layers.put("grids", new Layer(grids.def(), features));
    Dataset brokenCity = new Dataset(layers, city.metadata(), city.generalised());

    Map<String, Geometry> file = redrawn(outlines(grids, n[0]), n[1], n[2]);
    AdminChanges.Planned p = plan(CityIndex.build(brokenCity), file(file), -1);
    assertThat(p.changes().get(0).replacements()).hasSize(2);
    try (GeoPackageStore s = new GeoPackageStore(store)) {
      assertThatThrownBy(() -> importer(s).prepare(file(file), brokenCity))
          .isInstanceOf(HierarchyRefused.class)
          .hasMessageContaining("overlap");
    }
  }

  /** Two neighbouring grids of a village outside street {@code street}. */
  private static String[] farPair(Layer grids, String street) {
    int code = grids.def().requireField("code");
    List<Feature> others = new ArrayList<>();
    for (Feature f : grids.features()) {
      if (!f.string(code).startsWith(street)) {
        others.add(f);
      }
    }
    return pair(new Layer(grids.def(), others));
  }
}
