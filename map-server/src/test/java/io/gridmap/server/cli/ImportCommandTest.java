package io.gridmap.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.FieldType;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.model.LayerDef;
import io.gridmap.layers.store.Failpoint;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.store.gpkg.GeoPackageStore;
import io.gridmap.layers.testing.GdalTool;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.MvtFeatures;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.gridmap.tiler.geo.TileCoord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.locationtech.jts.geom.Geometry;

/**
 * {@code mapserver import} end to end: the grid layer of the small generated city written by GDAL's
 * {@code ogr2ogr} to each format we read, imported into a layer of its own, gives back the same
 * features; a re-import is an upsert by code that a dry run describes first; bad input is refused
 * with its file, place and fix, and leaves the store as it was, as does a kill -9 in the middle.
 */
@Tag("slow")
class ImportCommandTest {
  @TempDir static Path shared;
  @TempDir Path dir;

  private static Path city;
  private static Layer grids;

  @BeforeAll
  static void exportTheCity() throws Exception {
    Dataset small = TestCity.small();
    grids = small.layer("grids");
    city = shared.resolve("city.gpkg");
    try (GeoPackageStore store = new GeoPackageStore(city)) {
      store.write(small);
    }
    String gpkg = city.toString();
    GdalTool.run("ogr2ogr", "", "-f", "GeoJSON", out("grids.geojson"), gpkg, "grids");
    GdalTool.run(
        "ogr2ogr",
        "",
        "-f",
        "ESRI Shapefile",
        "-lco",
        "ENCODING=GBK",
        out("grids.shp"),
        gpkg,
        "grids");
    GdalTool.run("ogr2ogr", "", "-f", "GPKG", "-nln", "survey", out("grids.gpkg"), gpkg, "grids");
    GdalTool.run(
        "ogr2ogr", "", "-f", "CSV", "-lco", "GEOMETRY=AS_WKT", out("grids.csv"), gpkg, "grids");
    GdalTool.run(
        "ogr2ogr", "", "-f", "CSV", "-lco", "GEOMETRY=AS_XY", out("sites.csv"), gpkg, "key_sites");
  }

  private static String out(String name) {
    return shared.resolve(name).toString();
  }

  /** A fresh copy of the city's store for one test. */
  private Path store() throws Exception {
    Path s = dir.resolve("store.gpkg");
    Files.copy(city, s, StandardCopyOption.REPLACE_EXISTING);
    return s;
  }

  private CliRun importing(Path store, String... args) throws Exception {
    Path conf = dir.resolve("import.conf");
    Files.writeString(conf, "audit_log = " + dir.resolve("audit.jsonl") + "\n");
    List<String> all = new ArrayList<>(List.of("import", "--store", store.toString()));
    all.addAll(List.of(args));
    all.addAll(List.of("--config", conf.toString()));
    return CliRun.of(all.toArray(String[]::new));
  }

  private static Optional<Layer> layer(Path store, String name) {
    try (FeatureStore s = Stores.open(store.toString())) {
      return s.readImportedLayer(name);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "grids.geojson, ''",
    "grids.shp, village_code=village_co,street_code=street_cod,district_code=district_c",
    "grids.gpkg, ''",
    "grids.csv, ''"
  })
  void theGridLayerComesBackFromEachFormatAsGdalWroteIt(String file, String map) throws Exception {
    Path store = store();
    List<String> args = new ArrayList<>(List.of("--layer", "survey", "--visibility", "public"));
    if (file.endsWith(".csv")) {
      args.addAll(List.of("--crs", "wgs84"));
    }
    if (!map.isEmpty()) {
      args.addAll(List.of("--map", map));
    }
    args.add(out(file));
    CliRun r = importing(store, args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("imported layer 'survey' from " + file)
        .contains(String.format("%,d added", grids.size()))
        .contains("forming a coverage");
    assertThat(r.err()).contains("import: writing");

    Layer survey = layer(store, "survey").orElseThrow();
    LayerDef def = survey.def();
    assertThat(def.staffOnly()).isFalse();
    assertThat(def.fields().get(def.fieldIndex("code")).type()).isEqualTo(FieldType.STRING);
    assertThat(def.fields().get(def.fieldIndex("village_code")).type()).isEqualTo(FieldType.STRING);
    assertThat(def.fields().get(def.fieldIndex("population")).type()).isEqualTo(FieldType.INTEGER);
    Map<String, Feature> byCode = byCode(survey);
    assertThat(byCode).hasSize(grids.size());
    int code = grids.def().fieldIndex("code");
    for (Feature g : grids.features()) {
      Feature f = byCode.get((String) g.value(code));
      assertThat(f).as("grid %s", g.value(code)).isNotNull();
      assertThat(close(f.geometry(), g.geometry())).as("grid %s geometry", g.value(code)).isTrue();
      for (String field : List.of("name", "village_code", "population", "households")) {
        Object ours = g.value(grids.def().fieldIndex(field));
        Object theirs = f.value(def.fieldIndex(field));
        assertThat(String.valueOf(theirs))
            .as("grid %s %s", g.value(code), field)
            .isEqualTo(String.valueOf(ours));
      }
    }
  }

  /** Same vertices in any ring order and orientation, to 1e-9 degrees (GDAL prints 15 digits). */
  private static boolean close(Geometry a, Geometry b) {
    return a.norm().equalsExact(b.norm(), 1e-9);
  }

  /**
   * Each feature by code as text (id, geometry, values): comparable where Feature's array is not.
   */
  private static Map<String, String> content(Layer l) {
    Map<String, String> out = new java.util.TreeMap<>();
    byCode(l)
        .forEach(
            (code, f) ->
                out.put(
                    code,
                    f.id()
                        + " "
                        + f.geometry().toText()
                        + " "
                        + java.util.Arrays.toString(f.values())));
    return out;
  }

  private static Map<String, Feature> byCode(Layer l) {
    int code = l.def().fieldIndex("code");
    Map<String, Feature> out = new HashMap<>();
    l.features().forEach(f -> out.put((String) f.value(code), f));
    return out;
  }

  @Test
  void intoPostgisTheLayerLandsTooAndARefusedImportLeavesItAsItWas() throws Exception {
    String schema = io.gridmap.layers.testing.TestPostgis.newSchema();
    try {
      String url = io.gridmap.layers.testing.TestPostgis.storeUrl(schema);
      Path conf = dir.resolve("pg.conf");
      Files.writeString(conf, "audit_log = " + dir.resolve("pg-audit.jsonl") + "\n");
      CliRun made =
          CliRun.of("generate", "--store", url, "--scale", "0.05", "--districts", "500103");
      assertThat(made.code()).as(made.err()).isZero();
      CliRun r =
          CliRun.of(
              "import",
              "--store",
              url,
              "--layer",
              "survey",
              "--visibility",
              "public",
              "--config",
              conf.toString(),
              out("grids.geojson"));
      assertThat(r.code()).as(r.err()).isZero();
      Map<String, String> before;
      try (FeatureStore s = Stores.open(url)) {
        Layer survey = s.readImportedLayer("survey").orElseThrow();
        assertThat(survey.size()).isEqualTo(grids.size());
        assertThat(s.read().layers()).containsKey("survey");
        before = content(survey);
      }
      Path cut = dir.resolve("cut.geojson");
      byte[] whole = Files.readAllBytes(Path.of(out("grids.geojson")));
      Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 3));
      CliRun refused =
          CliRun.of(
              "import",
              "--store",
              url,
              "--layer",
              "survey",
              "--replace",
              "--config",
              conf.toString(),
              cut.toString());
      assertThat(refused.code()).isEqualTo(2);
      try (FeatureStore s = Stores.open(url)) {
        assertThat(content(s.readImportedLayer("survey").orElseThrow())).isEqualTo(before);
      }
    } finally {
      io.gridmap.layers.testing.TestPostgis.drop(schema);
    }
  }

  @Test
  void anAdminImportIntoPostgisWaitsForItsServersToStop() throws Exception {
    String schema = io.gridmap.layers.testing.TestPostgis.newSchema();
    try {
      String url = io.gridmap.layers.testing.TestPostgis.storeUrl(schema);
      try (FeatureStore s = Stores.open(url)) {
        s.write(TestCity.small());
      }
      Path conf = dir.resolve("pg.conf");
      Files.writeString(conf, "audit_log = " + dir.resolve("pg-audit.jsonl") + "\n");
      String[] args = {
        "import",
        "--store",
        url,
        "--layer",
        "grids",
        "--config",
        conf.toString(),
        out("grids.geojson")
      };
      try (TestServer server = TestServer.startOnStore(url, Map.of())) {
        CliRun refused = CliRun.of(args);
        assertThat(refused.code()).as(refused.out() + refused.err()).isEqualTo(2);
        assertThat(refused.err())
            .contains("a server writes to")
            .contains("Import into the running server instead")
            .contains("--data-binary @grids.geojson")
            .contains("/imports?layer=grids")
            .contains("Or stop every server on the store");
        assertThat(server.getText("/collections/grids/items?limit=1").statusCode()).isEqualTo(200);
        // the request it names imports into the running server: the city's own grids change
        // nothing
        java.net.http.HttpResponse<String> posted =
            server.send(
                "POST",
                "/imports?layer=grids",
                Files.readString(Path.of(out("grids.geojson"))),
                "Authorization",
                server.bearer(io.gridmap.server.security.Role.ADMIN, ""),
                "Content-Type",
                "application/geo+json");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        assertThat(posted.body()).contains("\"written\":false", "the file changes nothing");
      }
      CliRun r = CliRun.of(args);
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("0 added, 0 changed, " + grids.size() + " unchanged");
      // and the turn it held is given back at once, not when it would run out
      try (FeatureStore s = Stores.open(url)) {
        assertThat(s.takeTurn(java.time.Duration.ofSeconds(5))).isTrue();
        s.releaseTurn();
      }
    } finally {
      io.gridmap.layers.testing.TestPostgis.drop(schema);
    }
  }

  @Test
  void aFormatWeDoNotReadIsConvertedByOgr2ogr() throws Exception {
    Path kml = dir.resolve("sites.kml");
    GdalTool.run("ogr2ogr", "", "-f", "KML", kml.toString(), city.toString(), "key_sites");
    Path store = store();
    CliRun r = importing(store, "--layer", "sites_kml", "--visibility", "public", kml.toString());
    assertThat(r.code()).as(r.err()).isZero();
    Layer sites = TestCity.small().layer("key_sites");
    assertThat(r.out())
        .contains(String.format("%,d added", sites.size()))
        .contains("WGS84 as GeoJSON (RFC 7946) defines");
    Layer imported = layer(store, "sites_kml").orElseThrow();
    assertThat(imported.size()).isEqualTo(sites.size());
    assertThat(imported.def().kind()).isEqualTo(io.gridmap.layers.model.GeometryKind.POINT);
  }

  @Test
  void aReimportIsAnUpsertByCodeThatADryRunDescribesFirst() throws Exception {
    Path store = store();
    CliRun first = importing(store, "--layer", "survey", "--crs", "wgs84", out("grids.csv"));
    assertThat(first.code()).as(first.err()).isZero();
    Map<String, Feature> before = byCode(layer(store, "survey").orElseThrow());
    Map<String, String> beforeContent = content(layer(store, "survey").orElseThrow());

    // the next survey: one grid renamed, one gone from the file, one new
    List<org.apache.commons.csv.CSVRecord> rows;
    try (var parser =
        org.apache.commons.csv.CSVFormat.DEFAULT
            .builder()
            .setHeader()
            .get()
            .parse(Files.newBufferedReader(Path.of(out("grids.csv"))))) {
      rows = parser.getRecords();
    }
    List<String> header = rows.get(0).getParser().getHeaderNames();
    String renamedCode = rows.get(0).get("code");
    String goneCode = rows.get(1).get("code");
    Path survey2 = dir.resolve("survey2.csv");
    try (var printer =
        new org.apache.commons.csv.CSVPrinter(
            Files.newBufferedWriter(survey2),
            org.apache.commons.csv.CSVFormat.DEFAULT
                .builder()
                .setHeader(header.toArray(String[]::new))
                .get())) {
      for (int i = 0; i < rows.size(); i++) {
        if (i == 1) {
          continue;
        }
        Map<String, String> row = new java.util.LinkedHashMap<>(rows.get(i).toMap());
        if (i == 0) {
          row.put("name", "改名" + row.get("name"));
        }
        printer.printRecord(header.stream().map(row::get).toList());
      }
      Map<String, String> added = new java.util.LinkedHashMap<>(rows.get(2).toMap());
      added.put("code", "999999999999999");
      printer.printRecord(header.stream().map(added::get).toList());
    }

    CliRun dry =
        importing(store, "--layer", "survey", "--crs", "wgs84", "--dry-run", survey2.toString());
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out())
        .contains("dry run, nothing written")
        .contains(
            String.format(
                "1 added, 1 changed, %,d unchanged, 0 removed, 1 kept (not in the file) -> %,d"
                    + " features",
                grids.size() - 2, grids.size() + 1));
    assertThat(content(layer(store, "survey").orElseThrow())).isEqualTo(beforeContent);

    CliRun replaceDry =
        importing(
            store,
            "--layer",
            "survey",
            "--crs",
            "wgs84",
            "--dry-run",
            "--replace",
            survey2.toString());
    assertThat(replaceDry.out()).contains("1 added, 1 changed").contains("1 removed, 0 kept");

    CliRun real = importing(store, "--layer", "survey", "--crs", "wgs84", survey2.toString());
    assertThat(real.code()).as(real.err()).isZero();
    Map<String, Feature> after = byCode(layer(store, "survey").orElseThrow());
    assertThat(after).hasSize(grids.size() + 1);
    assertThat(after.get(renamedCode).id()).isEqualTo(before.get(renamedCode).id());
    assertThat(after.get(goneCode).id()).isEqualTo(before.get(goneCode).id()); // kept
    Layer now = layer(store, "survey").orElseThrow();
    assertThat((String) after.get(renamedCode).value(now.def().fieldIndex("name")))
        .startsWith("改名第");
    assertThat(after.get("999999999999999").id())
        .isGreaterThan(before.values().stream().mapToLong(Feature::id).max().orElseThrow());
    assertThat(Files.readString(dir.resolve("audit.jsonl"))).contains("layer.import", "survey");
  }

  @Test
  void aRosterIsStaffOnlyByDefaultWithItsPersonalFieldsOutOfTiles() throws Exception {
    Path store = store();
    CliRun r =
        importing(
            store,
            "--layer",
            "roster",
            "--crs",
            "wgs84",
            "--personal",
            "name",
            "--no-cluster",
            out("sites.csv"));
    assertThat(r.code()).as(r.err()).isZero();
    LayerDef def = layer(store, "roster").orElseThrow().def();
    assertThat(def.staffOnly()).isTrue();
    assertThat(def.clustered()).isFalse();
    assertThat(def.fields().get(def.fieldIndex("name")).personal()).isTrue();
    assertThat(def.fields().get(def.fieldIndex("name")).inTiles()).isFalse();

    // the next roster, imported without the flags: the layer stays as it was declared
    CliRun again = importing(store, "--layer", "roster", "--crs", "wgs84", out("sites.csv"));
    assertThat(again.code()).as(again.err()).isZero();
    LayerDef now = layer(store, "roster").orElseThrow().def();
    assertThat(now.staffOnly()).isTrue();
    assertThat(now.clustered()).isFalse();
    assertThat(now.fields().get(now.fieldIndex("name")).personal()).isTrue();
  }

  @Test
  void aServerOnTheStoreServesTheImportedLayersAsCollectionsAndTiles() throws Exception {
    Path store = store();
    assertThat(
            importing(store, "--layer", "survey", "--visibility", "public", out("grids.geojson"))
                .code())
        .isZero();
    assertThat(
            importing(
                    store,
                    "--layer",
                    "roster",
                    "--crs",
                    "wgs84",
                    "--personal",
                    "name",
                    out("sites.csv"))
                .code())
        .isZero();
    Feature grid = grids.features().get(0);
    String code = (String) grid.value(grids.def().fieldIndex("code"));
    try (TestServer server = TestServer.startOnStore(store, Map.of())) {
      HttpResponse<String> items =
          server.getText(
              "/collections/survey/items?filter="
                  + java.net.URLEncoder.encode("code = '" + code + "'", StandardCharsets.UTF_8));
      assertThat(items.statusCode()).as(items.body()).isEqualTo(200);
      assertThat(items.body()).contains("\"numberMatched\":1", code);
      assertThat(server.getText("/collections/survey/queryables").body())
          .contains("\"population\"", "\"village_code\"");
      // the roster is for staff: the public is told no such collection exists
      assertThat(server.getText("/collections/roster").statusCode()).isEqualTo(404);
      String staff = server.bearer(Role.ADMIN, "");
      HttpResponse<String> roster =
          server.getText("/collections/roster/items?limit=1", "Authorization", staff);
      assertThat(roster.statusCode()).isEqualTo(200);
      assertThat(roster.body()).contains("\"name\"");

      org.locationtech.jts.geom.Point p = grid.geometry().getInteriorPoint();
      TileCoord c = TileCoord.containing(WebMercator.x(p.getX()), WebMercator.y(p.getY()), 12);
      HttpResponse<byte[]> tile = server.get("/tiles/cq/12/" + c.x() + "/" + c.y() + ".mvt");
      assertThat(tile.statusCode()).isEqualTo(200);
      MvtFeatures f = MvtFeatures.of(tile.body());
      assertThat(f.layers()).contains("grids", "survey").doesNotContain("roster");
      assertThat(f.count("survey")).isEqualTo(f.count("grids"));
      assertThat(server.getText("/tiles/cq.json").body()).contains("\"id\":\"survey\"");
    }
  }

  @Test
  void anAdminLayerIsReplacedOnlyWhileItsCodesNestAndTheReportSaysWhereNot() throws Exception {
    Path store = store();
    CliRun same = importing(store, "--layer", "grids", out("grids.geojson"));
    assertThat(same.code()).as(same.err()).isZero();
    assertThat(same.out())
        .contains("into grids")
        .contains("0 added, 0 changed, " + grids.size() + " unchanged, 0 removed");
    assertThat(same.err()).contains("restart a server running on");

    // the same grids under codes of a district the city does not hold: they nest in no village
    Path moved = dir.resolve("moved.geojson");
    GdalTool.run(
        "ogr2ogr",
        "",
        "-f",
        "GeoJSON",
        "-sql",
        "SELECT geom, '599' || substr(code, 4) AS code, name FROM grids",
        moved.toString(),
        city.toString());
    Path report = dir.resolve("grids-problems.geojson");
    byte[] before = Files.readAllBytes(store);
    CliRun r =
        importing(
            store, "--layer", "grids", "--repair", "--report", report.toString(), moved.toString());
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err())
        .contains("the hierarchy would not hold")
        .contains("not-nested")
        .contains("--repair fixes geometry, not codes")
        .contains("validation report (open it in QGIS): " + report.toAbsolutePath())
        .doesNotContain("\tat ");
    assertThat(Files.readString(report)).contains("\"rule\":\"not-nested\"");
    assertThat(Files.readAllBytes(store)).as("the store file, byte for byte").isEqualTo(before);

    CliRun styled =
        importing(store, "--layer", "grids", "--visibility", "public", out("grids.geojson"));
    assertThat(styled.code()).isEqualTo(2);
    assertThat(styled.err())
        .contains("--visibility: grids is an admin layer")
        .contains("leave it out");
  }

  // ---- bad input: named, with the fix, and the store as it was ----

  private void refusedAndUnchanged(Path store, String expectedInMessage, String... args)
      throws Exception {
    CliRun seed = importing(store, "--layer", "survey", "--crs", "wgs84", out("grids.csv"));
    assertThat(seed.code()).as(seed.err()).isZero();
    byte[] before = Files.readAllBytes(store);
    List<String> all = new ArrayList<>(List.of("--layer", "survey"));
    all.addAll(List.of(args));
    CliRun r = importing(store, all.toArray(String[]::new));
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err()).contains("mapserver: ").contains(expectedInMessage);
    assertThat(r.err()).doesNotContain("Exception", "\tat ");
    assertThat(Files.readAllBytes(store)).as("the store file, byte for byte").isEqualTo(before);
  }

  @Test
  void aTruncatedFileIsRefusedNamingWhereItEnds() throws Exception {
    byte[] whole = Files.readAllBytes(Path.of(out("grids.geojson")));
    Path cut = dir.resolve("cut.geojson");
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
    refusedAndUnchanged(store(), "cut.geojson feature", cut.toString());
  }

  @Test
  void textInTheWrongEncodingIsRefusedWithTheEncodingToPass() throws Exception {
    Path gbk = dir.resolve("gbk.csv");
    Files.writeString(
        gbk,
        Files.readString(Path.of(out("sites.csv")), StandardCharsets.UTF_8),
        Charset.forName("GBK"));
    refusedAndUnchanged(store(), "--encoding GBK", "--crs", "wgs84", gbk.toString());
  }

  @Test
  void mixedGeometryTypesAndInvalidRingsAreListedFeatureByFeature() throws Exception {
    Path mixed = dir.resolve("mixed.geojson");
    Files.writeString(
        mixed,
        "{\"type\":\"FeatureCollection\",\"features\":["
            + feature(
                "1",
                "Polygon",
                "[[[106.5,29.5],[106.6,29.5],[106.6,29.6],[106.5,29.6],[106.5,29.5]]]")
            + ","
            + feature("2", "Point", "[106.55,29.55]")
            + ","
            + feature(
                "3",
                "Polygon",
                "[[[106.5,29.5],[106.6,29.6],[106.6,29.5],[106.5,29.6],[106.5,29.5]]]")
            + "]}");
    refusedAndUnchanged(store(), "mixed.geojson feature 2", mixed.toString());
    CliRun r = importing(store(), "--layer", "x", mixed.toString());
    assertThat(r.err())
        .contains("2 problems; nothing was imported")
        .contains("mixed geometry types")
        .contains("mixed.geojson feature 3")
        .contains("Self-intersection")
        .contains("--repair");
  }

  private static String feature(String code, String type, String coordinates) {
    return "{\"type\":\"Feature\",\"properties\":{\"code\":\""
        + code
        + "\"},\"geometry\":{\"type\":\""
        + type
        + "\",\"coordinates\":"
        + coordinates
        + "}}";
  }

  @Test
  void aShapefileWithoutPrjIsRefusedWithHowToPassCrs() throws Exception {
    Path shp = dir.resolve("noprj.shp");
    for (String ext : List.of("shp", "shx", "dbf", "cpg")) {
      Files.copy(Path.of(out("grids." + ext)), dir.resolve("noprj." + ext));
    }
    refusedAndUnchanged(store(), "noprj.shp: declares no coordinate system", shp.toString());
  }

  @Test
  void aBadRowFortyThousandLinesInIsNamedByItsLine() throws Exception {
    Path csv = dir.resolve("big.csv");
    StringBuilder b = new StringBuilder("code,lon,lat,name\n");
    for (int i = 2; i <= 40_005; i++) {
      boolean bad = i == 40_001;
      b.append(i)
          .append(',')
          .append(bad ? "106.5x" : "106.5")
          .append(",29.5,site ")
          .append(i)
          .append('\n');
    }
    Files.writeString(csv, b);
    refusedAndUnchanged(store(), "big.csv line 40001", "--crs", "wgs84", csv.toString());
  }

  @Test
  void killedInTheMiddleTheStoreHoldsTheLayerAsBefore() throws Exception {
    Path store = store();
    CliRun seed = importing(store, "--layer", "survey", "--crs", "wgs84", out("grids.csv"));
    assertThat(seed.code()).as(seed.err()).isZero();
    Map<String, String> before = content(layer(store, "survey").orElseThrow());

    Path conf = dir.resolve("kill.conf");
    Files.writeString(conf, "audit_log = " + dir.resolve("kill-audit.jsonl") + "\n");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dgridmap.failpoint=" + Failpoint.IMPORT_BEFORE_COMMIT,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "import",
                "--store",
                store.toString(),
                "--layer",
                "survey",
                "--replace",
                "--config",
                conf.toString(),
                out("sites.csv"),
                "--crs",
                "wgs84")
            .redirectErrorStream(true)
            .start();
    boolean parked = false;
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.contains("failpoint " + Failpoint.IMPORT_BEFORE_COMMIT + ": parked")) {
          parked = true;
          break;
        }
      }
      assertThat(parked).as("the import reached its failpoint").isTrue();
      p.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback by us
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    Optional<Layer> after = layer(store, "survey");
    assertThat(after).isPresent();
    assertThat(after.get().def().kind()).isEqualTo(io.gridmap.layers.model.GeometryKind.POLYGON);
    assertThat(content(after.get())).isEqualTo(before);
    try (var db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + store);
        var rs = db.createStatement().executeQuery("PRAGMA integrity_check")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("ok");
    }
  }
}
