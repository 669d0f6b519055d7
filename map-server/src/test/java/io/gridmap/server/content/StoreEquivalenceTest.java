package io.gridmap.server.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridmap.layers.model.Dataset;
import io.gridmap.layers.store.FeatureStore;
import io.gridmap.layers.store.Stores;
import io.gridmap.layers.testing.TestPostgis;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same city written to a GeoPackage and to PostGIS is served the same: a fixed list of tiles
 * (z8 to z14 over the dense centre and the edge of the city) and of feature, locate, nearest,
 * within, count and hotspot queries gives byte-for-byte the same answers from a server on either
 * store (the server's own address in links and the time stamp of an items page aside).
 */
class StoreEquivalenceTest {
  private static final String SCHEMA = TestPostgis.newSchema();
  private static TestServer fromFile;
  private static TestServer fromPostgis;
  private static Path dir;

  @BeforeAll
  static void start() throws Exception {
    Dataset city = TestCity.small();
    dir = Files.createTempDirectory("gridmap-equivalence");
    String gpkg = dir.resolve("city.gpkg").toString();
    String postgis = TestPostgis.storeUrl(SCHEMA);
    for (String location : List.of(gpkg, postgis)) {
      try (FeatureStore s = Stores.open(location)) {
        s.write(city);
      }
    }
    fromFile = TestServer.startOnStore(gpkg, Map.of());
    fromPostgis = TestServer.startOnStore(postgis, Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (fromFile != null) {
      fromFile.close();
    }
    if (fromPostgis != null) {
      fromPostgis.close();
    }
    TestPostgis.drop(SCHEMA);
  }

  /** Tiles around 解放碑 (渝中) and 荣昌 at every zoom band the styles use. */
  static List<String> tiles() {
    List<String> paths = new ArrayList<>();
    double[][] places = {{106.577, 29.557}, {105.594, 29.404}};
    for (double[] p : places) {
      for (int z : new int[] {8, 10, 11, 12, 13, 14}) {
        int n = 1 << z;
        int x = (int) Math.floor((p[0] + 180) / 360 * n);
        double lat = Math.toRadians(p[1]);
        int y =
            (int) Math.floor((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2 * n);
        paths.add("/tiles/cq/" + z + "/" + x + "/" + y + ".mvt");
        paths.add("/tiles/cq/" + z + "/" + (x + 1) + "/" + y + ".mvt");
      }
    }
    return paths;
  }

  static List<String> queries() {
    String square =
        URLEncoder.encode(
            "POLYGON((106.56 29.55, 106.59 29.55, 106.59 29.57, 106.56 29.57, 106.56 29.55))",
            StandardCharsets.UTF_8);
    String closed =
        URLEncoder.encode("status = 'closed' AND urgency = 'urgent'", StandardCharsets.UTF_8);
    return List.of(
        "/collections/districts/items?limit=10",
        "/collections/streets/items?limit=100",
        "/collections/villages/items?bbox=106.55,29.54,106.60,29.58&limit=200",
        "/collections/grids/items?bbox=106.56,29.55,106.59,29.57&limit=500",
        "/collections/key_sites/items?limit=300",
        "/collections/forces/items?bbox=106.55,29.54,106.60,29.58&limit=500",
        "/collections/events/items?limit=200&filter=" + closed,
        "/collections/grids/items?limit=5&offset=100",
        "/query/locate?lon=106.577&lat=29.557",
        "/query/locate?lon=105.594&lat=29.404",
        "/query/nearest?lon=106.577&lat=29.557&k=20",
        "/query/nearest?lon=106.577&lat=29.557&k=5&collection=key_sites",
        "/query/within?collection=events&limit=500&polygon=" + square,
        "/query/counts?collection=events&by=street",
        "/query/counts?collection=key_sites&by=district",
        "/query/hotspots?collection=events");
  }

  @Test
  void everyTileIsTheSameFromEitherStore() throws Exception {
    int withFeatures = 0;
    for (String path : tiles()) {
      HttpResponse<byte[]> a = fromFile.get(path);
      HttpResponse<byte[]> b = fromPostgis.get(path);
      assertThat(b.statusCode()).as(path).isEqualTo(a.statusCode());
      assertThat(b.body()).as(path).isEqualTo(a.body());
      if (a.statusCode() == 200 && a.body().length > 1000) {
        withFeatures++;
      }
    }
    assertThat(withFeatures).as("tiles that hold a real part of the city").isGreaterThan(15);
  }

  @Test
  void everyQueryAnswersTheSameFromEitherStore() throws Exception {
    for (String path : queries()) {
      HttpResponse<String> a = fromFile.getText(path, "Authorization", fromFile.analyst());
      HttpResponse<String> b = fromPostgis.getText(path, "Authorization", fromPostgis.analyst());
      assertThat(a.statusCode()).as(path + ": " + a.body()).isEqualTo(200);
      assertThat(b.statusCode()).as(path).isEqualTo(200);
      assertThat(comparable(b.body(), fromPostgis))
          .as(path)
          .isEqualTo(comparable(a.body(), fromFile));
      assertThat(a.body().length()).as(path + " answers something").isGreaterThan(100);
    }
  }

  /** The answer without what differs by server, not by store: its port in links, the time. */
  private static String comparable(String json, TestServer server) {
    return json.replace(server.baseUrl(), "http://server")
        .replaceAll("\"timeStamp\":\"[^\"]*\"", "\"timeStamp\":\"\"");
  }
}
