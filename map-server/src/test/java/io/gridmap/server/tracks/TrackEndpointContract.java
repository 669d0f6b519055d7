package io.gridmap.server.tracks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridmap.layers.model.Catalogue;
import io.gridmap.layers.model.Feature;
import io.gridmap.server.live.PositionRoutes;
import io.gridmap.server.security.Role;
import io.gridmap.server.testing.TestCity;
import io.gridmap.server.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.locationtech.jts.geom.Point;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code GET /collections/forces/items/{id}/track} end to end: positions posted through the writer
 * come back as the force's track (GeoJSON and GPX), for the window asked, to the staff in scope
 * only. A store's test extends this with how its server starts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TrackEndpointContract {
  static final Map<String, String> SETTINGS =
      Map.of("rate_limit_per_s", "100000", "rate_limit_burst", "100000");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int GRID_CODE = Catalogue.FORCES.fieldIndex("grid_code");
  private static final int UPDATED_AT = Catalogue.FORCES.fieldIndex("updated_at");

  private TestServer server;
  private Iterator<Feature> unused;

  /** A server on a fresh store holding {@link TestCity#small()}. */
  abstract TestServer start() throws Exception;

  @BeforeAll
  void startServer() throws Exception {
    server = start();
    unused =
        TestCity.small().layer("forces").features().stream()
            .filter(f -> f.value(GRID_CODE) instanceof String g && g.startsWith("500103"))
            .iterator();
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** A force of district 500103 no other test moves. */
  private Feature fresh() {
    return unused.next();
  }

  private String commander(String scope) {
    return server.bearer("cc-" + scope, Role.COMMANDER, scope);
  }

  /** Posts {@code n} positions of {@code f}, one batch each, 5 s apart from {@code t0}. */
  private List<long[]> walk(Feature f, Instant t0, int n) throws Exception {
    Point at = (Point) f.geometry();
    List<long[]> fixes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double lon = at.getX() + (i % 3 == 2 ? -1 : 1) * i * 0.0000713;
      double lat = at.getY() - i * 0.0000391;
      Instant t = t0.plusSeconds(5L * i);
      String body =
          "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"id\":"
              + f.id()
              + ",\"geometry\":{\"type\":\"Point\",\"coordinates\":["
              + lon
              + ","
              + lat
              + "]},\"properties\":{\"time\":\""
              + t
              + "\"}}]}";
      HttpResponse<String> r =
          server.send(
              "POST",
              PositionRoutes.PATH,
              body,
              "Content-Type",
              "application/geo+json",
              "Authorization",
              commander("500103"));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(JSON.readTree(r.body()).get("accepted").asInt()).as(r.body()).isEqualTo(1);
      fixes.add(new long[] {t.toEpochMilli(), Math.round(lon * 1e7), Math.round(lat * 1e7)});
    }
    return fixes;
  }

  /** A start after the force's last position and before now, at a whole second. */
  private static Instant start(Feature f, int fixes) {
    Instant latest = Instant.now().minusSeconds(5L * fixes + 60).truncatedTo(ChronoUnit.SECONDS);
    Object t = f.value(UPDATED_AT);
    assertThat(t == null || (Long) t < latest.toEpochMilli())
        .as("force %s moved lately", f.id())
        .isTrue();
    return latest;
  }

  private HttpResponse<String> track(long id, String query, String... headers) throws Exception {
    return server.getText(
        "/collections/forces/items/" + id + "/track" + (query.isEmpty() ? "" : "?" + query),
        headers);
  }

  private static String interval(long from, long to) {
    return "datetime=" + Instant.ofEpochMilli(from) + "/" + Instant.ofEpochMilli(to);
  }

  @Test
  void positionsPostedThroughTheWriterComeBackAsALineStringWithATimePerVertexInOrder()
      throws Exception {
    Feature f = fresh();
    Instant t0 = start(f, 6);
    List<long[]> fixes = walk(f, t0, 6);

    HttpResponse<String> r =
        track(
            f.id(),
            interval(fixes.get(0)[0], fixes.get(5)[0]),
            "Authorization",
            commander("500103"));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/geo+json");
    assertThat(r.headers().firstValue("Cache-Control").orElse("")).contains("private");
    JsonNode doc = JSON.readTree(r.body());
    assertThat(doc.get("type").asText()).isEqualTo("Feature");
    assertThat(doc.get("properties").get("force_id").asLong()).isEqualTo(f.id());
    assertThat(doc.get("geometry").get("type").asText()).isEqualTo("LineString");
    JsonNode coords = doc.get("geometry").get("coordinates");
    JsonNode times = doc.get("properties").get("times");
    assertThat(coords.size()).isEqualTo(6);
    assertThat(times.size()).isEqualTo(6);
    for (int i = 0; i < 6; i++) {
      assertThat(Instant.parse(times.get(i).asText()).toEpochMilli()).isEqualTo(fixes.get(i)[0]);
      assertThat(Math.round(coords.get(i).get(0).asDouble() * 1e7)).isEqualTo(fixes.get(i)[1]);
      assertThat(Math.round(coords.get(i).get(1).asDouble() * 1e7)).isEqualTo(fixes.get(i)[2]);
    }
  }

  @Test
  void theWindowsBoundsAreIncludedAndFixesOutsideLeftOutASingleFixIsAPointNoneANullGeometry()
      throws Exception {
    Feature f = fresh();
    List<long[]> fixes = walk(f, start(f, 5), 5);
    String auth = commander("500103");

    JsonNode inner =
        JSON.readTree(
            track(f.id(), interval(fixes.get(1)[0], fixes.get(3)[0]), "Authorization", auth)
                .body());
    assertThat(inner.get("properties").get("times"))
        .extracting(JsonNode::asText)
        .containsExactly(
            Instant.ofEpochMilli(fixes.get(1)[0]).toString(),
            Instant.ofEpochMilli(fixes.get(2)[0]).toString(),
            Instant.ofEpochMilli(fixes.get(3)[0]).toString());

    JsonNode one =
        JSON.readTree(
            track(f.id(), interval(fixes.get(2)[0] - 1, fixes.get(2)[0] + 1), "Authorization", auth)
                .body());
    assertThat(one.get("geometry").get("type").asText()).isEqualTo("Point");
    assertThat(one.get("properties").get("times").size()).isEqualTo(1);

    HttpResponse<String> none =
        track(
            f.id(), interval(fixes.get(0)[0] - 60_000, fixes.get(0)[0] - 1), "Authorization", auth);
    assertThat(none.statusCode()).isEqualTo(200);
    JsonNode empty = JSON.readTree(none.body());
    assertThat(empty.get("geometry").isNull()).isTrue();
    assertThat(empty.get("properties").get("times").size()).isZero();
  }

  @Test
  void gpxParsesAsXmlWithATrkptAndItsTimePerFix() throws Exception {
    Feature f = fresh();
    List<long[]> fixes = walk(f, start(f, 4), 4);
    String window = interval(fixes.get(0)[0], fixes.get(3)[0]);

    for (HttpResponse<String> r :
        List.of(
            track(f.id(), window + "&f=gpx", "Authorization", commander("500103")),
            track(
                f.id(),
                window,
                "Authorization",
                commander("500103"),
                "Accept",
                "application/gpx+xml"))) {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/gpx+xml");
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      Document gpx =
          factory
              .newDocumentBuilder()
              .parse(new ByteArrayInputStream(r.body().getBytes(StandardCharsets.UTF_8)));
      assertThat(gpx.getDocumentElement().getLocalName()).isEqualTo("gpx");
      assertThat(gpx.getDocumentElement().getNamespaceURI())
          .isEqualTo("http://www.topografix.com/GPX/1/1");
      NodeList pts = gpx.getElementsByTagNameNS("http://www.topografix.com/GPX/1/1", "trkpt");
      assertThat(pts.getLength()).isEqualTo(4);
      for (int i = 0; i < 4; i++) {
        Element pt = (Element) pts.item(i);
        assertThat(Math.round(Double.parseDouble(pt.getAttribute("lon")) * 1e7))
            .isEqualTo(fixes.get(i)[1]);
        assertThat(Math.round(Double.parseDouble(pt.getAttribute("lat")) * 1e7))
            .isEqualTo(fixes.get(i)[2]);
        String time = pt.getElementsByTagNameNS("*", "time").item(0).getTextContent();
        assertThat(Instant.parse(time).toEpochMilli()).isEqualTo(fixes.get(i)[0]);
      }
    }
  }

  @Test
  void theTrackIsForStaffInScopeOnly() throws Exception {
    Feature f = fresh();
    walk(f, start(f, 2), 2);

    assertThat(track(f.id(), "").statusCode()).isEqualTo(401);
    assertThat(track(f.id(), "", "Authorization", server.analyst()).statusCode()).isEqualTo(403);
    assertThat(track(f.id(), "", "Authorization", server.bearer(Role.PLANNER, "")).statusCode())
        .isEqualTo(403);
    HttpResponse<String> outside = track(f.id(), "", "Authorization", commander("500105"));
    assertThat(outside.statusCode()).isEqualTo(403);
    assertThat(outside.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(outside.body()).contains("500105");
    assertThat(track(f.id(), "", "Authorization", commander("500103")).statusCode()).isEqualTo(200);
    assertThat(
            track(f.id(), "", "Authorization", server.bearer("root", Role.ADMIN, "")).statusCode())
        .isEqualTo(200);
  }

  @Test
  void anUnknownForceIs404AndABadWindowOrFormat400NamingTheParameter() throws Exception {
    String auth = commander("500103");
    HttpResponse<String> unknown = track(999_999_999_999L, "", "Authorization", auth);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(
            server
                .getText("/collections/forces/items/abc/track", "Authorization", auth)
                .statusCode())
        .isEqualTo(404);
    assertThat(
            server
                .getText(
                    "/collections/forces/items/99999999999999999999/track", "Authorization", auth)
                .statusCode())
        .isEqualTo(404);

    long id = fresh().id();
    for (String bad :
        List.of(
            "datetime=yesterday",
            "datetime=2026-12-01T00:00:00Z/2026-11-01T00:00:00Z",
            "datetime=2026-11-01T00:00:00Z/2026-11-09T00:00:00Z",
            "datetime=../..",
            "datetime=-999999999-01-01T00:00:00Z/%2B999999999-12-31T00:00:00Z",
            "datetime=-200000000-01-01T00:00:00Z/%2B200000000-12-31T00:00:00Z",
            "datetime=2026-11-01T00:00:00Z&datetime=2026-11-02T00:00:00Z")) {
      HttpResponse<String> r = track(id, bad, "Authorization", auth);
      assertThat(r.statusCode()).as(bad + ": " + r.body()).isEqualTo(400);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(JSON.readTree(r.body()).get("detail").asText()).contains("datetime");
    }
    HttpResponse<String> format = track(id, "f=kml", "Authorization", auth);
    assertThat(format.statusCode()).isEqualTo(400);
    assertThat(format.body()).contains("parameter f=");
    HttpResponse<String> other = track(id, "bbox=1,2,3,4", "Authorization", auth);
    assertThat(other.statusCode()).isEqualTo(400);
    assertThat(other.body()).contains("bbox");
  }
}
