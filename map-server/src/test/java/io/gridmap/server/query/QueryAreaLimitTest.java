package io.gridmap.server.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import io.gridmap.server.web.ApiException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.GeometryFactory;

/** max_query_area_km2: the area a domain query is asked about, and the polygon's vertices. */
class QueryAreaLimitTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The generated full city's bounding box (districts), lon/lat. */
  static final Envelope CITY = new Envelope(105.290039, 110.200195, 28.161133, 32.202148);

  static final String ASIA = "70,10,140,50";
  static TestServer server;

  /** A server that allows 100 km² at most. */
  static TestServer small;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(TestCity.small());
    small = TestServer.start(TestCity.small(), Map.of("max_query_area_km2", "100"));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    small.close();
  }

  @Test
  void areasOnTheSphere() {
    // a degree square at the equator: R² (π/180) sin(1°)
    assertThat(QueryArea.km2(new Envelope(0, 1, 0, 1))).isCloseTo(12_363.7, within(0.1));
    assertThat(QueryArea.km2(CITY)).isCloseTo(212_031, within(1.0));
    // a polygon is measured as a box is, exactly for a box
    var box = new GeometryFactory().toGeometry(CITY);
    assertThat(QueryArea.km2(box)).isCloseTo(QueryArea.km2(CITY), within(1e-6));
    assertThat(QueryArea.circleKm2(50_000)).isCloseTo(7_854.0, within(0.1));
  }

  static String polygonOf(int vertices) {
    StringBuilder sb = new StringBuilder("POLYGON((");
    for (int i = 0; i <= vertices; i++) {
      double a = 2 * Math.PI * (i % vertices) / vertices;
      sb.append(i == 0 ? "" : ", ")
          .append(
              String.format(
                  Locale.ROOT,
                  "%.7f %.7f",
                  106.57 + 0.01 * Math.cos(a),
                  29.56 + 0.01 * Math.sin(a)));
    }
    return sb.append("))").toString();
  }

  @Test
  void polygonVerticesAreCountedAndNamed() {
    QueryArea any = new QueryArea(Integer.MAX_VALUE);
    assertThat(WithinHandler.polygon(polygonOf(WithinHandler.MAX_VERTICES - 1), any).getNumPoints())
        .isEqualTo(WithinHandler.MAX_VERTICES);
    assertThatThrownBy(() -> WithinHandler.polygon(polygonOf(WithinHandler.MAX_VERTICES), any))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("parameter polygon=")
        .hasMessageContaining("at most 10000 vertices; this one has 10001");
  }

  static void assertProblem(TestServer s, String path, String... fragments) throws Exception {
    var res = s.getText(path, "Authorization", s.analyst());
    assertThat(res.statusCode()).as(path + " " + res.body()).isEqualTo(400);
    assertThat(res.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    String detail = JSON.readTree(res.body()).get("detail").asText();
    for (String f : fragments) {
      assertThat(detail).as(path).contains(f);
    }
  }

  static void assertOk(TestServer s, String path) throws Exception {
    var res = s.getText(path, "Authorization", s.analyst());
    assertThat(res.statusCode()).as(path + " " + res.body()).isEqualTo(200);
  }

  static String km2(Envelope e) {
    return String.format(Locale.ROOT, "%.0f", QueryArea.km2(e)) + " km²";
  }

  @Test
  void areasLargerThanTheDefaultAreRefusedNamingParameterAreaAndLimit() throws Exception {
    String asia = km2(new Envelope(70, 140, 10, 50));
    String limit = "at most 250000 km² (the server's max_query_area_km2)";
    assertProblem(
        server,
        "/query/counts?by=district&bbox=" + ASIA,
        "parameter bbox='" + ASIA + "'",
        asia,
        limit);
    assertProblem(
        server, "/query/hotspots?bbox=" + ASIA, "parameter bbox='" + ASIA + "'", asia, limit);
    assertProblem(
        server,
        "/query/within?lon=106.57&lat=29.56&radius=100&bbox=" + ASIA,
        "parameter bbox='" + ASIA + "'",
        asia,
        limit);
    String poly = "POLYGON((70 10, 140 10, 140 50, 70 50, 70 10))";
    assertProblem(
        server,
        "/query/within?polygon=" + URLEncoder.encode(poly, StandardCharsets.UTF_8),
        "parameter polygon='" + poly + "'",
        asia,
        limit);
    // the whole city is a normal area for counts and hotspots
    String city =
        CITY.getMinX() + "," + CITY.getMinY() + "," + CITY.getMaxX() + "," + CITY.getMaxY();
    assertOk(server, "/query/counts?by=district&bbox=" + city);
    assertOk(server, "/query/hotspots?bbox=" + city);
    assertOk(server, "/query/within?lon=106.57&lat=29.56&radius=50000&limit=1");
  }

  @Test
  void theConfiguredLimitAppliesToBboxPolygonAndRadius() throws Exception {
    String limit = "at most 100 km²";
    Envelope big = new Envelope(106.5, 106.7, 29.5, 29.7);
    String bigBox = "106.5,29.5,106.7,29.7";
    assertProblem(
        small,
        "/query/counts?by=grid&bbox=" + bigBox,
        "parameter bbox='" + bigBox + "'",
        km2(big),
        limit);
    assertProblem(
        small,
        "/query/hotspots?bbox=" + bigBox,
        "parameter bbox='" + bigBox + "'",
        km2(big),
        limit);
    assertProblem(
        small,
        "/query/within?radius=10000&lon=106.57&lat=29.56",
        "parameter radius='10000'",
        "this one covers 314 km²",
        limit);
    String poly = "POLYGON((106.5 29.5, 106.7 29.5, 106.7 29.7, 106.5 29.7, 106.5 29.5))";
    assertProblem(
        small,
        "/query/within?polygon=" + URLEncoder.encode(poly, StandardCharsets.UTF_8),
        "parameter polygon=",
        km2(big),
        limit);
    // a bbox in another CRS is measured as the lon/lat box it stands for
    assertProblem(
        small,
        "/query/counts?by=grid&bbox-crs="
            + URLEncoder.encode(
                "http://www.opengis.net/def/crs/EPSG/0/4326", StandardCharsets.UTF_8)
            + "&bbox=29.5,106.5,29.7,106.7",
        "parameter bbox='29.5,106.5,29.7,106.7'",
        km2(big),
        limit);

    assertOk(small, "/query/counts?by=grid&bbox=106.55,29.55,106.6,29.6");
    assertOk(small, "/query/hotspots?bbox=106.55,29.55,106.6,29.6");
    assertOk(small, "/query/within?radius=5000&lon=106.57&lat=29.56");
    assertOk(
        small,
        "/query/within?polygon="
            + URLEncoder.encode(
                "POLYGON((106.55 29.55, 106.6 29.55, 106.6 29.6, 106.55 29.55))",
                StandardCharsets.UTF_8));
    // without an area, counts and hotspots read the whole collection, as items do
    assertOk(small, "/query/counts?by=district");
    assertOk(small, "/query/hotspots");
  }
}
