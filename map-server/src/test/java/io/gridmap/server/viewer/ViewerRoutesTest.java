package io.gridmap.server.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.layers.index.AdminLevel;
import io.gridmap.layers.index.LabelIndex;
import io.gridmap.layers.index.LabelPoint;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /viewer/ over HTTP: static files with ETags, the search behind the search box, the legend. */
class ViewerRoutesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(TestCity.small());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static JsonNode json(String path) throws Exception {
    var res = server.getText(path);
    assertThat(res.statusCode()).as(path + ": " + res.body()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type")).hasValue("application/json");
    return JSON.readTree(res.body());
  }

  @Test
  void viewerWithoutSlashRedirectsKeepingTheQuery() throws Exception {
    var res = server.get("/viewer?theme=default");
    assertThat(res.statusCode()).isEqualTo(301);
    assertThat(res.headers().firstValue("Location")).hasValue("/viewer/?theme=default");
  }

  @Test
  void indexPageHasEtagAndIsRevalidated() throws Exception {
    var res = server.getText("/viewer/");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(res.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(res.body())
        .contains("<main id=\"map\"", "id=\"search\"", "../tiles/cq.json", "app.js");
    String etag = res.headers().firstValue("ETag").orElseThrow();
    assertThat(etag).matches("\"v[0-9a-f]{16}\"");
    var again = server.get("/viewer/index.html", "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
  }

  @Test
  void mapLibreIsServedFromTheClasspathGzippedWithCorsAndVaryOrigin() throws Exception {
    var plain = server.get("/viewer/vendor/maplibre-gl.mjs");
    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.headers().firstValue("Content-Type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(plain.headers().firstValue("Cache-Control")).hasValue("public, max-age=3600");
    assertThat(plain.headers().firstValue("Vary")).hasValue("Accept-Encoding, Origin");
    assertThat(new String(plain.body(), StandardCharsets.UTF_8))
        .startsWith("/**\n* MapLibre GL JS");
    var gz =
        server.get(
            "/viewer/vendor/maplibre-gl.mjs",
            "Accept-Encoding",
            "gzip",
            "Origin",
            "http://example.org");
    assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(gz.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(gz.body().length).isLessThan(plain.body().length / 2);
    assertThat(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes())
        .isEqualTo(plain.body());
    for (String f : new String[] {"maplibre-gl-worker.mjs", "maplibre-gl.css", "LICENSE.txt"}) {
      assertThat(server.get("/viewer/vendor/" + f).statusCode()).as(f).isEqualTo(200);
    }
  }

  @Test
  void theLabelFontsAreServedForTheViewersOwnText() throws Exception {
    assertThat(server.getText("/viewer/viewer.css").body())
        .contains(
            "url(\"fonts/NotoSansSC_400Regular.ttf\")", "url(\"fonts/NotoSansSC_700Bold.ttf\")");
    for (String f : new String[] {"NotoSansSC_400Regular.ttf", "NotoSansSC_700Bold.ttf"}) {
      var res = server.get("/viewer/fonts/" + f);
      assertThat(res.statusCode()).as(f).isEqualTo(200);
      assertThat(res.headers().firstValue("Content-Type")).as(f).hasValue("font/ttf");
      assertThat(res.headers().firstValue("Cache-Control")).as(f).hasValue("public, max-age=3600");
      // a TrueType font: sfnt version 1.0, then more than a few glyph tables' worth of bytes
      assertThat(java.util.Arrays.copyOf(res.body(), 4)).as(f).containsExactly(0, 1, 0, 0);
      assertThat(res.body().length).as(f).isGreaterThan(1_000_000);
    }
    assertThat(server.getText("/viewer/fonts/FontLibrary.class").statusCode()).isEqualTo(404);
  }

  @Test
  void theViewerLoadsNothingFromElsewhere() throws Exception {
    for (String f :
        new String[] {
          "/viewer/",
          "/viewer/app.js",
          "/viewer/incidents.js",
          "/viewer/auth.js",
          "/viewer/viewer.css"
        }) {
      String body = server.getText(f).body();
      assertThat(body)
          .as(f)
          .doesNotContainPattern("(src|href|import|from)\\s*=?\\s*[\"'(]?\\s*(https?:)?//");
      assertThat(body).as(f).doesNotContain("unpkg", "jsdelivr", "cdnjs");
    }
  }

  @Test
  void unknownOrSneakyPathsAre404ProblemsNeverFiles() throws Exception {
    for (String path :
        new String[] {
          "/viewer/nope.js",
          "/viewer/.hidden",
          "/viewer/vendor/",
          "/viewer/..%2Fio%2Fgridmap%2Fserver%2Fhttp%2FMapServer.class",
          "/viewer/%2E%2E/%2E%2E/pom.xml",
          "/viewer/vendor/..%2F..%2Fio/gridmap/server/http/ViewerRoutes.class",
        }) {
      var res = server.getText(path);
      assertThat(res.statusCode()).as(path).isEqualTo(404);
      assertThat(res.headers().firstValue("Content-Type"))
          .as(path)
          .hasValue("application/problem+json");
    }
  }

  @Test
  void searchFindsAVillageByItsExactNameFirstWithItsAncestry() throws Exception {
    LabelPoint village =
        firstWithUniqueName(server.server().content().index().labels(AdminLevel.VILLAGE));
    JsonNode r = json("/viewer/search?q=" + q(village.name()));
    assertThat(r.get("query").asText()).isEqualTo(village.name());
    JsonNode first = r.get("results").get(0);
    assertThat(first.get("level").asText()).isEqualTo("village");
    assertThat(first.get("code").asText()).isEqualTo(village.code());
    assertThat(first.get("name").asText()).isEqualTo(village.name());
    // 6 + 3 digits: the district and the street above it, by name
    assertThat(first.get("path").asText())
        .matches("\\S+ / \\S+")
        .startsWith(districtName(village.code()));
    double lon = first.get("center").get(0).asDouble();
    double lat = first.get("center").get(1).asDouble();
    JsonNode bbox = first.get("bbox");
    assertThat(lon).isBetween(bbox.get(0).asDouble(), bbox.get(2).asDouble());
    assertThat(lat).isBetween(bbox.get(1).asDouble(), bbox.get(3).asDouble());
  }

  @Test
  void searchByCodePrefixPutsTheUnitItselfFirstThenItsChildren() throws Exception {
    JsonNode r = json("/viewer/search?q=500103&limit=5");
    assertThat(r.get("results")).hasSize(5);
    assertThat(r.get("results").get(0).get("code").asText()).isEqualTo("500103");
    assertThat(r.get("results").get(0).get("level").asText()).isEqualTo("district");
    assertThat(r.get("results").get(0).get("path").asText()).isEmpty();
    assertThat(r.get("results").get(1).get("level").asText()).isEqualTo("street");
    assertThat(r.get("total").asInt()).isGreaterThan(500); // every unit of 渝中
    for (JsonNode x : r.get("results")) {
      assertThat(x.get("code").asText()).startsWith("500103");
    }
  }

  @Test
  void searchFiltersByLevelAndPartOfAName() throws Exception {
    JsonNode r = json("/viewer/search?q=" + q("网格") + "&level=grid&limit=3");
    assertThat(r.get("results")).hasSize(3);
    assertThat(r.get("total").asInt())
        .isEqualTo(server.server().content().index().labels(AdminLevel.GRID).size());
    for (JsonNode x : r.get("results")) {
      assertThat(x.get("level").asText()).isEqualTo("grid");
      assertThat(x.get("code").asText()).hasSize(15);
      assertThat(x.get("path").asText().split(" / ")).hasSize(3);
    }
    JsonNode none = json("/viewer/search?q=" + q("不存在的地方"));
    assertThat(none.get("total").asInt()).isZero();
    assertThat(none.get("results")).isEmpty();
  }

  @Test
  void badSearchesAre400ProblemsNamingTheParameter() throws Exception {
    String[][] cases = {
      {"/viewer/search", "q is required"},
      {"/viewer/search?q=%20%20", "q is required"},
      {"/viewer/search?q=" + "x".repeat(65), "at most 64"},
      {"/viewer/search?q=a&level=city", "level 'city'"},
      {"/viewer/search?q=a&limit=0", "limit '0'"},
      {"/viewer/search?q=a&limit=many", "limit 'many'"},
      {"/viewer/search?q=a&limit=101", "from 1 to 100"},
    };
    for (String[] c : cases) {
      var res = server.getText(c[0]);
      assertThat(res.statusCode()).as(c[0]).isEqualTo(400);
      assertThat(res.headers().firstValue("Content-Type"))
          .as(c[0])
          .hasValue("application/problem+json");
      assertThat(JSON.readTree(res.body()).get("detail").asText()).as(c[0]).contains(c[1]);
    }
  }

  @Test
  void legendListsTheBoardsInBothThemes() throws Exception {
    for (String theme : new String[] {"default", "dark"}) {
      JsonNode legend = json("/viewer/legend.json?theme=" + theme);
      assertThat(legend.get("theme").asText()).isEqualTo(theme);
      assertThat(legend.get("entries").findValuesAsText("key"))
          .contains("party_building", "economy", "livelihood", "safety_law", "urgent", "grid");
    }
    var bad = server.getText("/viewer/legend.json?theme=neon");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("theme 'neon'", "default, dark");
  }

  private static LabelPoint firstWithUniqueName(LabelIndex labels) {
    for (int i = 0; i < labels.size(); i++) {
      String name = labels.point(i).name();
      long same =
          java.util.stream.IntStream.range(0, labels.size())
              .filter(j -> labels.point(j).name().equals(name))
              .count();
      if (same == 1) {
        return labels.point(i);
      }
    }
    throw new AssertionError("no village with a unique name in the test city");
  }

  private static String districtName(String code) {
    LabelIndex d = server.server().content().index().labels(AdminLevel.DISTRICT);
    for (int i = 0; i < d.size(); i++) {
      if (code.startsWith(d.point(i).code())) {
        return d.point(i).name();
      }
    }
    throw new AssertionError("no district above " + code);
  }
}
