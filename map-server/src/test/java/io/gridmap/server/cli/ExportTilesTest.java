package io.gridmap.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.model.Feature;
import io.gridmap.layers.model.Layer;
import io.gridmap.layers.testing.Ogrinfo;
import io.gridmap.server.testing.MvtFeatures;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.gridmap.tiler.geo.TileCoord;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mapserver export-tiles} end to end on the small generated city, checked by readers we did
 * not write: GDAL's ogrinfo opens the MBTiles, the {@code pmtiles} npm package reads the PMTiles,
 * and every tile equals what a server on the same store serves for the same z/x/y.
 */
@Tag("slow")
class ExportTilesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestServer server;
  private static String store;

  @TempDir Path dir;

  @BeforeAll
  static void serve() throws Exception {
    server = TestServer.startWithStore(TestCity.small(), Map.of());
    store = server.storeFile().toString();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private CliRun export(String... args) throws Exception {
    Path conf = dir.resolve("export.conf");
    Files.writeString(conf, "audit_log = " + dir.resolve("audit.jsonl") + "\n");
    List<String> all = new ArrayList<>(List.of("export-tiles", "--store", store));
    all.addAll(List.of(args));
    all.addAll(List.of("--config", conf.toString()));
    return CliRun.of(all.toArray(String[]::new));
  }

  /** The code of a street of 渝中 (500103), the city's dense core. */
  private static String aStreetOfYuzhong() {
    Dataset city = TestCity.small();
    Layer streets = city.layer("streets");
    int code = streets.def().fieldIndex("code");
    for (Feature f : streets.features()) {
      if (((String) f.value(code)).startsWith("500103")) {
        return (String) f.value(code);
      }
    }
    throw new AssertionError("no street in 500103");
  }

  /** The tile as the server serves it, uncompressed; empty for 204. */
  private static byte[] served(int z, int x, int y) throws Exception {
    HttpResponse<byte[]> r = server.get("/tiles/cq/" + z + "/" + x + "/" + y + ".mvt");
    assertThat(r.statusCode()).as("%d/%d/%d", z, x, y).isIn(200, 204);
    return r.body();
  }

  @Test
  void gdalOpensTheMbtilesWithEveryLayerAndTheFeatureCountsOfOurTiles() throws Exception {
    Path file = dir.resolve("yuzhong.mbtiles");
    CliRun r =
        export(
            "--area", "500103", "--minzoom", "10", "--maxzoom", "14", "--output", file.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("export-tiles [########################]", "tiles/s", "wrote");

    for (int zoom : new int[] {12, 14}) {
      Map<String, Long> ours = new TreeMap<>();
      try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
          ResultSet rs =
              db.createStatement()
                  .executeQuery(
                      "SELECT tile_column, tile_row, tile_data FROM tiles WHERE zoom_level = "
                          + zoom)) {
        while (rs.next()) {
          int y = (1 << zoom) - 1 - rs.getInt(2);
          byte[] stored = rs.getBytes(3);
          // the package's tile is the served one
          assertThat(MvtFeatures.of(stored).layers())
              .isEqualTo(MvtFeatures.of(served(zoom, rs.getInt(1), y)).layers());
          MvtFeatures f = MvtFeatures.of(stored);
          for (String layer : f.layers()) {
            ours.merge(layer, (long) f.count(layer), Long::sum);
          }
        }
      }
      assertThat(ours).as("z%d", zoom).isNotEmpty();
      Map<String, Long> gdal = ogrinfoCounts(file, zoom);
      // every layer of the json metadata is an OGR layer; those the zoom does not draw are empty
      assertThat(gdal.keySet())
          .as("z%d", zoom)
          .contains("districts", "streets", "villages", "labels", "key_sites", "forces", "events");
      gdal.forEach(
          (layer, n) ->
              assertThat(n).as("z%d %s", zoom, layer).isEqualTo(ours.getOrDefault(layer, 0L)));
    }
  }

  /** Layer -> feature count as GDAL's MBTiles driver reads the tiles of one zoom. */
  private static Map<String, Long> ogrinfoCounts(Path file, int zoom) {
    String out =
        Ogrinfo.run("-ro", "-so", "-al", "-oo", "ZOOM_LEVEL=" + zoom, file.toString()).stdout();
    Map<String, Long> counts = new TreeMap<>();
    Matcher m = Pattern.compile("Layer name: (\\S+)[\\s\\S]*?Feature Count: (\\d+)").matcher(out);
    while (m.find()) {
      counts.put(m.group(1), Long.parseLong(m.group(2)));
    }
    assertThat(counts).as(out).isNotEmpty();
    return counts;
  }

  @Test
  void thePmtilesPackageReadsInThePmtilesNpmPackageAsTheServerServesIt() throws Exception {
    String street = aStreetOfYuzhong();
    Path file = dir.resolve("street.pmtiles");
    CliRun r = export("--area", street, "--output", file.toString(), "--threads", "2");
    assertThat(r.code()).as(r.err()).isZero();

    // every tile of the street from z8 (a few dozen), and one far outside it
    io.gridmap.tiler.pack.ExportArea area =
        io.gridmap.tiler.pack.ExportArea.parse(
            street, io.gridmap.layers.index.CityIndex.build(TestCity.small()));
    List<String> zxy = new ArrayList<>();
    long[] ids = area.tileIds(8, 14);
    for (int i = 0; i < ids.length; i += Math.max(1, ids.length / 200)) {
      TileCoord c = io.gridmap.tiler.pack.TileId.toTile(ids[i]);
      zxy.add(c.z() + "/" + c.x() + "/" + c.y());
    }
    zxy.add("14/0/0");
    List<String> args = new ArrayList<>(List.of(file.toString()));
    args.addAll(zxy);
    JsonNode read = JSON.readTree(PmtilesReadTool.run(args));

    JsonNode h = read.get("header");
    assertThat(h.get("specVersion").asInt()).isEqualTo(3);
    assertThat(h.get("tileType").asInt()).as("MVT").isEqualTo(1);
    assertThat(h.get("tileCompression").asInt()).as("gzip").isEqualTo(2);
    assertThat(h.get("internalCompression").asInt()).as("gzip").isEqualTo(2);
    assertThat(h.get("clustered").asBoolean()).isTrue();
    assertThat(h.get("minZoom").asInt()).isZero();
    assertThat(h.get("maxZoom").asInt()).isEqualTo(14);
    assertThat(h.get("rootDirectoryOffset").asLong() + h.get("rootDirectoryLength").asLong())
        .isLessThanOrEqualTo(16_384);
    assertThat(h.get("minLon").asDouble()).isBetween(106.0, 107.0);
    List<String> layers = new ArrayList<>();
    read.at("/metadata/vector_layers").forEach(l -> layers.add(l.get("id").asText()));
    assertThat(layers).contains("districts", "streets", "villages", "grids", "labels", "events");
    assertThat(read.at("/metadata/gridmap:visibility").asText()).isEqualTo("public");

    int compared = 0;
    for (String t : zxy) {
      String[] p = t.split("/");
      byte[] fromServer =
          served(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
      JsonNode b64 = read.at("/tiles").get(t);
      if (fromServer.length == 0) {
        assertThat(b64.isNull()).as("%s: the server has no features there", t).isTrue();
        continue;
      }
      assertThat(b64.isNull()).as("%s is missing from the package", t).isFalse();
      byte[] fromPackage = Base64.getDecoder().decode(b64.asText());
      assertThat(fromPackage).as(t).isEqualTo(fromServer);
      MvtFeatures a = MvtFeatures.of(fromPackage);
      MvtFeatures b = MvtFeatures.of(fromServer);
      for (String layer : b.layers()) {
        assertThat(a.ids(layer)).as("%s %s", t, layer).isEqualTo(b.ids(layer));
      }
      compared++;
    }
    assertThat(compared).isGreaterThanOrEqualTo(8);
  }

  @Test
  void staffPackagesHoldThePersonalFeaturesPublicOnesLeaveOut() throws Exception {
    Path pub = dir.resolve("public.mbtiles");
    Path staff = dir.resolve("staff.mbtiles");
    assertThat(export("--area", "500103", "--minzoom", "14", "--output", pub.toString()).code())
        .isZero();
    assertThat(
            export(
                    "--area",
                    "500103",
                    "--minzoom",
                    "14",
                    "--visibility",
                    "staff",
                    "--output",
                    staff.toString())
                .code())
        .isZero();
    assertThat(keySites(staff)).isGreaterThan(keySites(pub));
    assertThat(Files.readString(dir.resolve("audit.jsonl")))
        .contains("tiles.export", "\"visibility\":\"staff\"");
  }

  private static long keySites(Path mbtiles) throws Exception {
    long n = 0;
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + mbtiles);
        ResultSet rs = db.createStatement().executeQuery("SELECT tile_data FROM tiles")) {
      while (rs.next()) {
        n += MvtFeatures.of(rs.getBytes(1)).count("key_sites");
      }
    }
    return n;
  }

  @Test
  void mistakesAreOneLineThatSaysWhatToDo() throws Exception {
    Path out = dir.resolve("a.pmtiles");
    CliRun unknown = export("--area", "500199", "--output", out.toString());
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err())
        .contains("no district has this code; the nearest are 5001")
        .contains("/collections/districts/items");
    assertThat(export("--area", "106.6,29.5,106.5,29.6", "--output", out.toString()).err())
        .contains("minLon < maxLon");
    assertThat(
            export(
                    "--area",
                    "500103",
                    "--minzoom",
                    "12",
                    "--maxzoom",
                    "10",
                    "--output",
                    "x.pmtiles")
                .err())
        .contains("--minzoom 12 is above --maxzoom 10");
    assertThat(export("--area", "500103", "--maxzoom", "15", "--output", "x.pmtiles").err())
        .contains("--maxzoom 15 is outside 0..14");
    assertThat(export("--area", "500103", "--output", dir.resolve("a.zip").toString()).err())
        .contains("neither .pmtiles nor .mbtiles", "--format");
    assertThat(
            export("--area", "500103", "--visibility", "everyone", "--output", out.toString())
                .err())
        .contains("--visibility everyone is not one of: public, staff");
    Files.writeString(out, "kept");
    CliRun exists = export("--area", "500103", "--maxzoom", "8", "--output", out.toString());
    assertThat(exists.code()).isEqualTo(2);
    assertThat(exists.err()).contains("exists; pass --force to replace it");
    assertThat(Files.readString(out)).isEqualTo("kept");
    assertThat(
            export("--area", "500103", "--maxzoom", "8", "--force", "--output", out.toString())
                .code())
        .isZero();
    assertThat(Files.readAllBytes(out)).startsWith("PMTiles".getBytes(StandardCharsets.US_ASCII));
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.endsWith(".part") || n.endsWith(".tiledata"));
    }
  }
}
