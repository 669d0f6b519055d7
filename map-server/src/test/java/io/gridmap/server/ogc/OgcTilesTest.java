package io.gridmap.server.ogc;

import static io.gridmap.server.ogc.OgcTesting.json;
import static io.gridmap.server.ogc.OgcTesting.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridmap.layers.geo.WebMercator;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.MvtFeatures;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.gridmap.tiler.geo.TileCoord;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;

/** OGC API - Tiles: tilesets of the map and of each collection in WebMercatorQuad. */
class OgcTilesTest {
  static TestServer server;
  static List<TileCoord> tiles;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(TestCity.small());
    double x = WebMercator.x(106.57);
    double y = WebMercator.y(29.555);
    tiles =
        List.of(
            TileCoord.containing(x, y, 8),
            TileCoord.containing(x, y, 11),
            TileCoord.containing(x, y, 13),
            TileCoord.containing(x, y, 14));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void mapTilesAreTheSameBytesAsTheCqTiles() throws Exception {
    for (TileCoord t : tiles) {
      var ogc =
          server.get(
              "/tiles/WebMercatorQuad/" + t.z() + "/" + t.y() + "/" + t.x(),
              "Accept-Encoding",
              "gzip");
      var cq =
          server.get(
              "/tiles/cq/" + t.z() + "/" + t.x() + "/" + t.y() + ".mvt", "Accept-Encoding", "gzip");
      assertThat(ogc.statusCode()).as(t.toString()).isEqualTo(200);
      assertThat(ogc.headers().firstValue("Content-Type"))
          .hasValue("application/vnd.mapbox-vector-tile");
      assertThat(ogc.body()).isEqualTo(cq.body());
      assertThat(ogc.headers().firstValue("ETag")).isEqualTo(cq.headers().firstValue("ETag"));
      var plain = server.get("/tiles/WebMercatorQuad/" + t.z() + "/" + t.y() + "/" + t.x());
      assertThat(plain.body()).isEqualTo(gunzip(cq.body()));
    }
    assertThat(server.get("/tiles/WebMercatorQuad/14/0/0").statusCode()).isEqualTo(204);
  }

  @Test
  void collectionTilesHoldThatLayersMessageOfTheMapTileByteForByte() throws Exception {
    TileCoord t = tiles.get(3);
    byte[] whole =
        gunzip(
            server
                .get(
                    "/tiles/cq/" + t.z() + "/" + t.x() + "/" + t.y() + ".mvt",
                    "Accept-Encoding",
                    "gzip")
                .body());
    for (String layer :
        List.of("districts", "streets", "villages", "grids", "key_sites", "forces", "events")) {
      var res =
          server.get(
              "/collections/"
                  + layer
                  + "/tiles/WebMercatorQuad/"
                  + t.z()
                  + "/"
                  + t.y()
                  + "/"
                  + t.x());
      assertThat(res.statusCode()).as(layer).isEqualTo(200);
      assertThat(res.headers().firstValue("Content-Type"))
          .hasValue("application/vnd.mapbox-vector-tile");
      byte[] b = res.body();
      // one layer message: tag 3 (0x1a), its length, then (after the version) its name (tag 1) =
      // the collection id
      assertThat(b[0]).isEqualTo((byte) 0x1a);
      int[] pos = {1};
      long len = varint(b, pos);
      assertThat(pos[0] + len).as(layer + " is exactly one layer message").isEqualTo(b.length);
      if (b[pos[0]] == (byte) 0x78) { // version (field 15) may come first
        pos[0]++;
        varint(b, pos);
      }
      assertThat(b[pos[0]]).isEqualTo((byte) 0x0a);
      pos[0]++;
      int nameLen = (int) varint(b, pos);
      assertThat(new String(b, pos[0], nameLen, StandardCharsets.UTF_8)).isEqualTo(layer);
      assertThat(indexOf(whole, b))
          .as(layer + " bytes inside the map tile")
          .isGreaterThanOrEqualTo(0);
    }
    // grids are not drawn at z8: an empty tile
    TileCoord z8 = tiles.get(0);
    assertThat(
            server
                .get("/collections/grids/tiles/WebMercatorQuad/8/" + z8.y() + "/" + z8.x())
                .statusCode())
        .isEqualTo(204);
  }

  /** Issue 5: the OGC tiles are those of the caller's visibility class, as at /tiles/cq. */
  @Test
  void staffGetTheHomesInMapAndCollectionTilesThePublicDoesNot() throws Exception {
    List<Feature> sites = TestCity.small().layer("key_sites").features();
    Set<Long> homes = new HashSet<>();
    sites.stream().filter(Feature::personal).forEach(f -> homes.add(f.id()));
    Feature home = sites.stream().filter(Feature::personal).findFirst().orElseThrow();
    Coordinate c = home.geometry().getCoordinate();
    TileCoord t = TileCoord.containing(WebMercator.x(c.x), WebMercator.y(c.y), 14);
    String commander = server.bearer(Role.COMMANDER, "500103");
    for (String path :
        List.of(
            "/tiles/WebMercatorQuad/14/" + t.y() + "/" + t.x(),
            "/collections/key_sites/tiles/WebMercatorQuad/14/" + t.y() + "/" + t.x())) {
      var staff = server.get(path, "Authorization", commander);
      var pub = server.get(path);
      var analyst = server.get(path, "Authorization", server.analyst());
      assertThat(staff.statusCode()).as(path).isEqualTo(200);
      assertThat(pub.statusCode()).as(path).isEqualTo(200);
      assertThat(MvtFeatures.of(staff.body()).ids("key_sites")).as(path).contains(home.id());
      assertThat(MvtFeatures.of(pub.body()).ids("key_sites"))
          .as(path)
          .isNotEmpty()
          .doesNotContainAnyElementsOf(homes);
      assertThat(MvtFeatures.of(analyst.body()).ids("key_sites"))
          .as(path + ": analysts are of the public class")
          .doesNotContainAnyElementsOf(homes);

      assertThat(staff.headers().firstValue("Cache-Control"))
          .get()
          .asString()
          .startsWith("private");
      assertThat(pub.headers().firstValue("Cache-Control")).get().asString().startsWith("public");
      for (var res : List.of(staff, pub)) {
        assertThat(res.headers().firstValue("Vary")).get().asString().contains("Authorization");
      }
      String staffTag = staff.headers().firstValue("ETag").orElseThrow();
      String publicTag = pub.headers().firstValue("ETag").orElseThrow();
      assertThat(staffTag).as(path).isNotEqualTo(publicTag).startsWith("\"staff-");
      // a tag of one class never revalidates the other's copy
      var cross = server.get(path, "If-None-Match", staffTag);
      assertThat(cross.statusCode()).isEqualTo(200);
      assertThat(MvtFeatures.of(cross.body()).ids("key_sites")).doesNotContainAnyElementsOf(homes);
      assertThat(
              server.get(path, "Authorization", commander, "If-None-Match", staffTag).statusCode())
          .isEqualTo(304);
    }
    // the staff map tile is the staff /tiles/cq tile, byte for byte
    var ogc =
        server.get(
            "/tiles/WebMercatorQuad/14/" + t.y() + "/" + t.x(),
            "Accept-Encoding",
            "gzip",
            "Authorization",
            commander);
    var cq =
        server.get(
            "/tiles/cq/14/" + t.x() + "/" + t.y() + ".mvt",
            "Accept-Encoding",
            "gzip",
            "Authorization",
            commander);
    assertThat(ogc.body()).isEqualTo(cq.body());
    assertThat(ogc.headers().firstValue("ETag")).isEqualTo(cq.headers().firstValue("ETag"));
  }

  @Test
  void tilesetsAndTileMatrixSetDescribeWebMercatorQuad() throws Exception {
    JsonNode list = json(server, "/tiles");
    assertThat(list.at("/tilesets/0/tileMatrixSetURI").asText())
        .isEqualTo("http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad");
    assertThat(list.at("/tilesets/0/dataType").asText()).isEqualTo("vector");
    JsonNode ts = json(server, "/tiles/WebMercatorQuad");
    assertThat(ts.get("layers").findValuesAsText("id"))
        .contains("districts", "grids", "labels", "events");
    assertThat(ts.get("links").findValuesAsText("href"))
        .contains(server.baseUrl() + "/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}");
    JsonNode cts = json(server, "/collections/grids/tiles/WebMercatorQuad");
    assertThat(cts.get("layers").findValuesAsText("id")).containsExactly("grids");
    assertThat(cts.at("/layers/0/minTileMatrix").asText()).isEqualTo("12");
    assertThat(json(server, "/collections/grids/tiles").at("/tilesets/0/links/0/href").asText())
        .endsWith("/collections/grids/tiles/WebMercatorQuad");
    JsonNode tms = json(server, "/tileMatrixSets/WebMercatorQuad");
    assertThat(tms.get("tileMatrices")).hasSize(15);
    assertThat(tms.at("/tileMatrices/14/matrixWidth").asLong()).isEqualTo(1L << 14);
    assertThat(tms.get("crs").asText()).isEqualTo("http://www.opengis.net/def/crs/EPSG/0/3857");
    assertThat(json(server, "/tileMatrixSets").at("/tileMatrixSets/0/id").asText())
        .isEqualTo("WebMercatorQuad");
  }

  @Test
  void tilesAreInTheOpenApi() throws Exception {
    JsonNode paths = json(server, "/api").get("paths");
    assertThat(paths.has("/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}")).isTrue();
    assertThat(
            paths.has(
                "/collections/grids/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}"))
        .isTrue();
    assertThat(
            paths
                .at(
                    "/~1tiles~1{tileMatrixSetId}~1{tileMatrix}~1{tileRow}~1{tileCol}/get/responses/200/content")
                .has("application/vnd.mapbox-vector-tile"))
        .isTrue();
  }

  @Test
  void badTileRequestsAre4xxProblems() throws Exception {
    problem(server, "/tiles/WorldCRS84Quad/1/0/0", 404, "'WorldCRS84Quad'", "WebMercatorQuad");
    problem(server, "/tiles/WebMercatorQuad/15/0/0", 404, "15", "0..14");
    problem(server, "/tiles/WebMercatorQuad/3/8/0", 404, "row 8", "0..7");
    problem(
        server, "/tiles/WebMercatorQuad/a/0/0", 400, "tileMatrix", "'a'", "non-negative integer");
    problem(server, "/collections/nope/tiles", 404, "'nope'");
    problem(server, "/collections/grids/tiles/WebMercatorQuad/3/0/x", 400, "tileCol", "'x'");
  }

  static long varint(byte[] b, int[] pos) {
    long v = 0;
    int shift = 0;
    while (true) {
      byte x = b[pos[0]++];
      v |= (long) (x & 0x7f) << shift;
      if ((x & 0x80) == 0) {
        return v;
      }
      shift += 7;
    }
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static byte[] gunzip(byte[] gz) throws Exception {
    return new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes();
  }
}
