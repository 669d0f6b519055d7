package io.gridmap.layers.store.gpkg;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.GdalTool;
import io.gridmap.layers.testing.Ogrinfo;
import io.gridmap.layers.testing.TestDatasets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.WKBReader;

/**
 * GDAL as an independent reader: {@code ogrinfo} (Debian's gdal-bin) must open a written store
 * without a warning, list every layer with its geometry type and feature count, read values and the
 * {@code tile_geometries} table, and use the R-tree.
 */
@Tag("slow")
class OgrInfoAcceptanceTest {
  @TempDir static Path dir;
  static Path file;
  static final Dataset TINY = TestDatasets.tiny();

  @BeforeAll
  static void writeStore() {
    file = dir.resolve("city.gpkg");
    Stores.open(file.toString()).write(TINY);
  }

  @Test
  void listsEveryLayerWithItsGeometryTypeAndNoWarning() {
    GdalTool.Result r = Ogrinfo.run("-ro", file.toString());
    assertThat(r.stderr()).as("ogrinfo's warnings").isEmpty();
    assertThat(r.stdout())
        .contains(
            "1: districts (Multi Polygon)",
            "2: streets (Polygon)",
            "3: villages (Polygon)",
            "4: grids (Polygon)",
            "5: key_sites (Point)",
            "6: forces (Point)",
            "7: events (Point)",
            "8: tile_geometries (None)");
  }

  @Test
  void summaryGivesEveryLayersFeatureCountAndGeometry() {
    GdalTool.Result r = Ogrinfo.run("-ro", "-so", "-al", file.toString());
    assertThat(r.stderr()).isEmpty();
    Map<String, String> summary = new LinkedHashMap<>();
    Matcher m =
        Pattern.compile("Layer name: (\\w+)\\R(?:.*\\R)*?Geometry: (.+)\\RFeature Count: (\\d+)")
            .matcher(r.stdout());
    while (m.find()) {
      summary.put(m.group(1), m.group(2) + ", " + m.group(3));
    }
    int tileRows =
        TINY.generalised().layers().stream()
            .mapToInt(
                l ->
                    TINY.generalised().zooms(l).stream()
                        .mapToInt(z -> TINY.generalised().get(l, z).size())
                        .sum())
            .sum();
    assertThat(summary)
        .containsExactly(
            Map.entry("districts", "Multi Polygon, 2"),
            Map.entry("streets", "Polygon, 4"),
            Map.entry("villages", "Polygon, 5"),
            Map.entry("grids", "Polygon, 10"),
            Map.entry("key_sites", "Point, 3"),
            Map.entry("forces", "Point, 3"),
            Map.entry("events", "Point, 4"),
            Map.entry("tile_geometries", "None, " + tileRows));
    assertThat(r.stdout())
        .contains(
            "IDENTIFIER=Management grids (网格)", "reported_at: DateTime", "urban: Integer(Boolean)");
  }

  @Test
  void readsFeatureValuesAsWritten() {
    GdalTool.Result r = Ogrinfo.run("-ro", "-q", file.toString(), "events", "-fid", "1");
    assertThat(r.stdout())
        .contains(
            "category (String) = manhole_cover",
            "reported_at (DateTime) = 2024/05/01 08:30:00.123+00",
            "closed_at (DateTime) = 2024/05/02 08:30:00.123+00",
            "POINT (106.013 29.011)");
    assertThat(Ogrinfo.run("-ro", "-q", file.toString(), "key_sites", "-fid", "3").stdout())
        .contains("personal (Integer(Boolean)) = 1", "name (String) = 独居老人住所");
  }

  @Test
  void readsTileGeometriesAsWkbOfTheGeneralisedPolygon() throws Exception {
    long fid = 500104002001002L;
    GdalTool.Result r =
        Ogrinfo.run(
            "-ro",
            "-q",
            file.toString(),
            "tile_geometries",
            "-where",
            "layer = 'grids' AND zoom = 14 AND fid = " + fid);
    Matcher m = Pattern.compile("wkb \\(Binary\\) = ([0-9A-F]+)").matcher(r.stdout());
    assertThat(m.find()).as("a wkb value in:%n%s", r.stdout()).isTrue();
    Geometry g = new WKBReader().read(WKBReader.hexToBytes(m.group(1)));
    assertThat(g.equalsExact(TINY.generalised().get("grids", 14).get(fid))).isTrue();
  }

  @Test
  void whileForcesMoveGdalFiltersThemWithoutTheirRTreeAndFindsItAgainAtRest() throws Exception {
    Path served = dir.resolve("served.gpkg");
    Stores.open(served.toString()).write(TINY);
    io.gridmap.layers.model.Feature force = TINY.layer("forces").features().get(0);
    io.gridmap.layers.model.Feature moved =
        new io.gridmap.layers.model.Feature(
            force.id(), TestDatasets.point(106.6001, 29.6001), force.values(), force.personal());
    String[] filter = {
      "-ro", "-q", served.toString(), "forces", "-spat", "106.6", "29.6", "106.61", "29.61"
    };
    try (var store = Stores.open(served.toString())) {
      store.apply(
          io.gridmap.layers.edit.Change.of(
              "forces", List.of(new io.gridmap.layers.edit.Change.Replacement(force, moved))),
          new io.gridmap.layers.edit.Provenance(
              "worker-1", "grid_worker", "positions", java.time.Instant.now()));
      // the server holds the file open, its forces' R-tree set aside
      assertThat(
              Ogrinfo.run(
                      "-ro", served.toString(), "-sql", "SELECT HasSpatialIndex('forces', 'geom')")
                  .stdout())
          .contains("HasSpatialIndex (Integer) = 0");
      GdalTool.Result r = Ogrinfo.run(filter);
      assertThat(r.stderr()).as("ogrinfo's warnings").isEmpty();
      assertThat(forceIds(r)).containsExactly(String.valueOf(force.id()));
    }
    assertThat(
            Ogrinfo.run(
                    "-ro", served.toString(), "-sql", "SELECT HasSpatialIndex('forces', 'geom')")
                .stdout())
        .contains("HasSpatialIndex (Integer) = 1");
    assertThat(forceIds(Ogrinfo.run(filter))).containsExactly(String.valueOf(force.id()));
  }

  private static List<String> forceIds(GdalTool.Result r) {
    List<String> fids = new ArrayList<>();
    Pattern.compile("OGRFeature\\(forces\\):(\\d+)")
        .matcher(r.stdout())
        .results()
        .forEach(x -> fids.add(x.group(1)));
    return fids;
  }

  @Test
  void findsTheRTreeAndFiltersByIt() {
    assertThat(
            Ogrinfo.run("-ro", file.toString(), "-sql", "SELECT HasSpatialIndex('grids', 'geom')")
                .stdout())
        .contains("HasSpatialIndex (Integer) = 1");
    GdalTool.Result r =
        Ogrinfo.run(
            "-ro", "-q", file.toString(), "grids", "-spat", "106.24", "28.99", "106.27", "29.02");
    List<String> fids = new ArrayList<>();
    Pattern.compile("OGRFeature\\(grids\\):(\\d+)")
        .matcher(r.stdout())
        .results()
        .forEach(x -> fids.add(x.group(1)));
    assertThat(fids).containsExactly("500104002001001", "500104002001002");
  }
}
